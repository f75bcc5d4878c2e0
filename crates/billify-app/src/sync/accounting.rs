//! Accounting integrations (Yuki) on the sync engine: connecting with an access key (checked at
//! once, sealed, never returned), choosing the administration, and the daily call budget.
//!
//! **The budget.** Yuki allows 1,000 web-service calls a day per domain (apis.md §2.8). Every
//! call is counted per integration for the budget day (a connected domain is one integration),
//! and the scheduler spends at most `budget_percent` of it (80 % by default): a sync that would
//! pass it waits for the next budget day. apis.md says the count restarts "at midnight, local
//! time [U]"; the robust reading is Dutch time (Yuki is a Dutch service) for the day the calls
//! belong to, and waiting until the next midnight UTC, which comes one or two hours *after*
//! Dutch midnight, so a waiting sync never runs before Yuki's count has restarted.

use std::sync::{Arc, Mutex};

use billify_domain::{OrganisationId, Permission, TimeZoneName};
use time::{Date, Duration, OffsetDateTime, Time};
use uuid::Uuid;

use super::breaker::Breaker;
use super::{SyncError, SyncService};
use crate::Actor;
use crate::audit::entry;
use billify_ports::accounting::{
    AccountingConnection, AccountingError, AccountingProvider, AccountingRegion, AccountingRepository,
    AccountingSettings, CallMeter, DEFAULT_DAILY_CALLS,
};
use billify_ports::audit::{AuditAction, AuditTarget};
use billify_ports::integrations::{Integration, IntegrationStatus, Provider, tokens_context};
use billify_ports::secrets::SecretText;
use billify_ports::{AccountRepository, InvoiceRepository};

/// The time zone whose day Yuki's call count belongs to.
pub const BUDGET_ZONE: &str = "Europe/Amsterdam";

/// How accounting syncs behave; [`Default`] gives production values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountingSyncSettings {
    /// How often an integration is synced (at least; the budget may space syncs further).
    pub interval: Duration,
    /// The provider's daily call budget per domain.
    pub daily_calls: u32,
    /// The share of it the scheduler may spend, in percent.
    pub budget_percent: u32,
    /// Items stored per write transaction.
    pub write_batch: usize,
}

impl Default for AccountingSyncSettings {
    fn default() -> Self {
        AccountingSyncSettings {
            interval: Duration::minutes(15),
            daily_calls: DEFAULT_DAILY_CALLS,
            budget_percent: 80,
            write_batch: 500,
        }
    }
}

impl AccountingSyncSettings {
    /// The calls a day the scheduler may spend.
    pub fn budget(&self) -> u32 {
        let share = u64::from(self.daily_calls) * u64::from(self.budget_percent.min(100)) / 100;
        u32::try_from(share).unwrap_or(u32::MAX)
    }
}

/// The wiring of accounting integrations.
pub struct AccountingPorts {
    /// Yuki, when configured.
    pub provider: Option<Arc<dyn AccountingProvider>>,
    /// Accounting integrations and their items.
    pub repository: Arc<dyn AccountingRepository>,
    /// Invoices (audited writes).
    pub invoices: Arc<dyn InvoiceRepository>,
    /// Organisations (their calendar, for "today").
    pub accounts: Arc<dyn AccountRepository>,
}

pub(super) struct Accounting {
    pub(super) provider: Option<Arc<dyn AccountingProvider>>,
    pub(super) repository: Arc<dyn AccountingRepository>,
    pub(super) invoices: Arc<dyn InvoiceRepository>,
    pub(super) accounts: Arc<dyn AccountRepository>,
    pub(super) settings: AccountingSyncSettings,
    pub(super) breaker: Mutex<Breaker>,
}

/// What an accounting integration is connected with.
pub struct AccountingConnect {
    /// The domain's data centre.
    pub region: AccountingRegion,
    /// The web-service access key (sealed at once; never returned or logged).
    pub access_key: SecretText,
    /// The administration to read, when the key sees several.
    pub administration_id: Option<String>,
}

/// An integration's call budget today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallBudget {
    /// Calls made on the current budget day.
    pub used_today: u32,
    /// The calls a day the scheduler may spend.
    pub budget: u32,
    /// The provider's daily limit.
    pub daily_limit: u32,
    /// When the count starts again.
    pub resets_at: OffsetDateTime,
}

fn budget_zone() -> Option<TimeZoneName> {
    TimeZoneName::parse(BUDGET_ZONE).ok()
}

impl SyncService {
    /// Adds accounting integrations (Yuki) to the engine.
    pub fn with_accounting(mut self, ports: AccountingPorts, settings: AccountingSyncSettings) -> Self {
        self.accounting = Some(Accounting {
            provider: ports.provider,
            repository: ports.repository,
            invoices: ports.invoices,
            accounts: ports.accounts,
            settings,
            breaker: Mutex::new(Breaker::default()),
        });
        self
    }

    pub(super) fn accounting(&self) -> Result<&Accounting, SyncError> {
        self.accounting.as_ref().ok_or(SyncError::NotConfigured)
    }

    fn accounting_provider(&self) -> Result<(&Accounting, &Arc<dyn AccountingProvider>), SyncError> {
        let accounting = self.accounting()?;
        let provider = accounting.provider.as_ref().ok_or(SyncError::AccountingNotConfigured)?;
        Ok((accounting, provider))
    }

    /// The budget day of `now`.
    pub(super) fn budget_day(&self, now: OffsetDateTime) -> Date {
        budget_zone().map_or(now.date(), |zone| self.clock.today_in(&zone))
    }

    /// When the budget of `day` is spent and a new one starts (see the module's note).
    pub(super) fn budget_resets_at(day: Date) -> OffsetDateTime {
        day.next_day().unwrap_or(day).with_time(Time::MIDNIGHT).assume_utc()
    }

    /// The integration's call budget now; `None` for bank feeds.
    pub fn call_budget(&self, integration: &Integration) -> Option<CallBudget> {
        if !integration.provider.is_accounting() {
            return None;
        }
        let settings = self.accounting.as_ref().map(|a| a.settings).unwrap_or_default();
        let day = self.budget_day(self.clock.now());
        Some(CallBudget {
            used_today: if integration.calls_day == Some(day) { integration.calls_used } else { 0 },
            budget: settings.budget(),
            daily_limit: settings.daily_calls,
            resets_at: Self::budget_resets_at(day),
        })
    }

    /// Counts calls made for an integration today; returns the day's count.
    pub(super) fn count_calls(
        &self,
        accounting: &Accounting,
        organisation: OrganisationId,
        id: Uuid,
        meter: &CallMeter,
    ) -> Result<u32, SyncError> {
        let day = self.budget_day(self.clock.now());
        Ok(accounting.repository.count_calls(organisation, id, day, meter.calls)?)
    }

    /// Connects the organisation's accounting package: the key is checked at once
    /// (`Authenticate`); a refused key stores nothing. The administration is the one given
    /// (checked against those the key sees), else the only active one the key sees, else left to
    /// choose. The key is stored only sealed, and a first sync is queued.
    pub fn connect_accounting(&self, actor: &Actor, connect: AccountingConnect) -> Result<Integration, SyncError> {
        Self::require(actor, Permission::ManageIntegrations)?;
        let (accounting, provider) = self.accounting_provider()?;
        let organisation = actor.organisation_id;
        if self
            .integrations
            .integrations(organisation)?
            .iter()
            .any(|i| i.provider == Provider::Yuki && i.status != IntegrationStatus::Disconnected)
        {
            return Err(SyncError::AlreadyConnected);
        }
        let connection = AccountingConnection { region: connect.region, access_key: connect.access_key.expose() };
        let mut meter = CallMeter::default();
        let checked = provider.authenticate(&connection, &mut meter).and_then(|()| {
            let administrations = provider.administrations(&connection, &mut meter)?;
            match &connect.administration_id {
                Some(id) if administrations.iter().any(|a| &a.id == id) => Ok(Some(id.clone())),
                Some(_) => {
                    Err(AccountingError::Administration("the access key cannot read this administration".into()))
                }
                None => {
                    let mut active = administrations.iter().filter(|a| a.active);
                    match (active.next(), active.next()) {
                        (Some(only), None) => Ok(Some(only.id.clone())),
                        _ => Ok(None),
                    }
                }
            }
        });
        let administration_id = match checked {
            Ok(id) => id,
            Err(AccountingError::InvalidAccessKey { detail }) => {
                log::info!("an accounting access key was refused for {organisation}: {detail}");
                return Err(SyncError::AccessKeyRefused);
            }
            Err(e) => return Err(SyncError::Accounting(e)),
        };
        let now = self.clock.now();
        let id = Uuid::now_v7();
        let sealed = self.cipher.seal(&connect.access_key, &tokens_context(organisation, id))?;
        let integration = Integration {
            organisation_id: organisation,
            id,
            provider: Provider::Yuki,
            status: IntegrationStatus::Connected,
            has_tokens: true,
            token_version: 1,
            consent_expires_at: None,
            connected_by: Some(actor.user_id),
            last_attempt_at: None,
            last_success_at: None,
            last_error: None,
            consecutive_failures: 0,
            next_sync_at: Some(now),
            bank_sync_requested_at: None,
            pending_synchronizations: Vec::new(),
            accounting: Some(AccountingSettings { region: connect.region, administration_id }),
            calls_day: Some(self.budget_day(now)),
            calls_used: meter.calls,
            created_at: now,
            updated_at: now,
        };
        let settings = integration
            .accounting
            .clone()
            .unwrap_or(AccountingSettings { region: connect.region, administration_id: None });
        let after = serde_json::json!({
            "provider": Provider::Yuki.code(),
            "status": IntegrationStatus::Connected.code(),
            "region": connect.region.code(),
            "administration_id": settings.administration_id,
        });
        let target = AuditTarget::new("integration", id);
        let audit = entry(actor, AuditAction::IntegrationConnected, target, now, None, Some(after));
        match accounting.repository.create_accounting_integration(&integration, &settings, &sealed, &audit) {
            Ok(()) => {}
            Err(billify_ports::RepositoryError::Conflict(_)) => return Err(SyncError::AlreadyConnected),
            Err(e) => return Err(e.into()),
        }
        log::info!("integration {id} of {organisation} connected to Yuki ({})", connect.region.code());
        if let Err(e) = self.enqueue(organisation, id, None, now) {
            log::warn!("cannot queue the first sync of integration {id}: {e}");
        }
        Ok(integration)
    }

    /// Changes an accounting integration's region, or chooses its administration. Another
    /// administration than the one chosen needs a new connection: the items seen so far belong
    /// to it, and reading another would close every one of them.
    pub fn configure_accounting(
        &self,
        actor: &Actor,
        id: Uuid,
        region: Option<AccountingRegion>,
        administration_id: Option<String>,
    ) -> Result<Integration, SyncError> {
        Self::require(actor, Permission::ManageIntegrations)?;
        let accounting = self.accounting()?;
        let before = self.get(actor, id)?;
        let Some(current) = before.accounting.clone().filter(|_| before.status != IntegrationStatus::Disconnected)
        else {
            return Err(SyncError::NotFound);
        };
        if let (Some(old), Some(new)) = (&current.administration_id, &administration_id)
            && old != new
        {
            return Err(SyncError::AdministrationFixed);
        }
        let settings = AccountingSettings {
            region: region.unwrap_or(current.region),
            administration_id: administration_id.or(current.administration_id.clone()),
        };
        let now = self.clock.now();
        let view = |s: &AccountingSettings| {
            Some(serde_json::json!({"region": s.region.code(), "administration_id": s.administration_id}))
        };
        let target = AuditTarget::new("integration", id);
        let audit = entry(actor, AuditAction::IntegrationConfigured, target, now, view(&current), view(&settings));
        if !accounting.repository.save_accounting_settings(actor.organisation_id, id, &settings, now, &audit)? {
            return Err(SyncError::NotFound);
        }
        // A newly chosen administration is read at once.
        if current.administration_id.is_none() && settings.administration_id.is_some() {
            let mut integration = self.get(actor, id)?;
            if integration.status == IntegrationStatus::Failing {
                integration.next_sync_at = Some(now);
                integration.updated_at = now;
                self.integrations.save_status(&integration)?;
            }
            if let Err(e) = self.enqueue(actor.organisation_id, id, None, now) {
                log::warn!("cannot queue the sync of integration {id}: {e}");
            }
        }
        self.get(actor, id)
    }

    /// The items of an accounting integration kept with a flag (bad data from the books).
    pub fn flagged_items(
        &self,
        actor: &Actor,
        id: Uuid,
        limit: u32,
    ) -> Result<Vec<billify_ports::accounting::AccountingItem>, SyncError> {
        let integration = self.get(actor, id)?;
        let Some(accounting) = self.accounting.as_ref().filter(|_| integration.provider.is_accounting()) else {
            return Ok(Vec::new());
        };
        Ok(accounting.repository.flagged_items(actor.organisation_id, id, limit.clamp(1, 500))?)
    }

    /// Forgets the provider's session of a disconnected accounting integration (best effort).
    pub(super) fn forget_accounting_session(&self, integration: &Integration, sealed: &str) {
        let (Some(accounting), Some(settings)) = (self.accounting.as_ref(), integration.accounting.as_ref()) else {
            return;
        };
        let Some(provider) = accounting.provider.as_ref() else { return };
        match self.cipher.open(sealed, &tokens_context(integration.organisation_id, integration.id)) {
            Ok(key) => provider.forget(&AccountingConnection { region: settings.region, access_key: key.expose() }),
            Err(e) => log::warn!("cannot open the access key of integration {}: {e}", integration.id),
        }
    }
}
