//! Bank integrations and the background sync engine.
//!
//! **Linking.** [`SyncService::connect`] asks the provider for a consent URL with a fresh random
//! `state` and PKCE verifier; the state is stored only as a digest, the verifier only sealed, and
//! both are bound to the session that asked. [`SyncService::complete_consent`] accepts the
//! callback only from that session, once, within the consent lifetime, and stores the tokens
//! sealed.
//!
//! **Scheduling.** [`SyncService::schedule_due`] enqueues a `bank.sync` job for every integration
//! whose next sync is due. Jobs live in the database and are claimed with leases
//! ([`billify_ports::jobs::JobQueue`]), so any number of processes share the work and no integration is
//! synced twice at once; the queue refuses a second active job for the same integration.
//!
//! **One sync.** [`SyncService::run_next_job`]: read the accounts (stored when the run starts,
//! with the run and its status, in one transaction) and the transactions the provider already
//! holds, newest first, page by page; pages are stored in batches of `write_batch` transactions by
//! idempotent upserts keyed by the provider's ids, the last batch together with the run's end, its
//! status and the job's completion. A pass over an account stops at the watermark the previous
//! *completed* pass left (plus an overlap of days, for late bookings), and the new watermark is
//! written with the batch that completes the pass: a worker killed at any point leaves no
//! duplicates, and the next run replays what was not stored. The lease is renewed half-way
//! through it; a worker that lost it stops at its next page. Bank-side synchronisations are
//! requested at most once per `bank_sync_interval` per integration, and read on later runs, so no
//! worker waits for a bank.
//!
//! **Failures.** Transient provider errors back off exponentially with full jitter (uniformly
//! between zero and the exponential ceiling, drawn from the injected [`billify_ports::Randomness`];
//! honouring `Retry-After`), per integration, so one broken integration never delays the others. A
//! process-wide circuit breaker per provider stops calling a provider that keeps failing and says
//! so in each integration's status. A refused refresh token marks the integration as needing
//! re-consent. Tokens changed by a refresh are stored (sealed, compare-and-swap) after every
//! provider call, even one that then failed.

use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use billify_domain::{OrganisationId, Permission};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::Actor;
use crate::audit::entry;
use billify_ports::audit::{AuditAction, AuditTarget};
use billify_ports::banking::{BankingError, BankingProvider};
use billify_ports::integrations::{
    Integration, IntegrationRepository, IntegrationStatus, SyncOutcome, SyncRun, tokens_context,
};
use billify_ports::jobs::{JobQueue, NewJob};
use billify_ports::secrets::{SecretCipher, SecretError};
use billify_ports::{Clock, RepositoryError, SecretTokens};

mod accounting;
mod breaker;
mod consent;
mod engine;
mod ledger;
mod mapping;
mod tokens;

pub use accounting::{AccountingConnect, AccountingPorts, AccountingSyncSettings, BUDGET_ZONE, CallBudget};
pub use breaker::CircuitState;

use breaker::Breaker;
use tokens::tokens_from_text;

/// The job kind of an integration sync.
pub const SYNC_JOB: &str = "bank.sync";

/// How the engine behaves; [`Default`] gives production values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncSettings {
    /// How often to read what the provider holds.
    pub interval: Duration,
    /// The least time between two bank-side synchronisations of an integration (the provider's
    /// limit; Ponto: about one per account per 30 minutes).
    pub bank_sync_interval: Duration,
    /// Whether to request bank-side synchronisations at all.
    pub request_bank_syncs: bool,
    /// How long a worker holds a claimed job before another may take it over.
    pub lease: Duration,
    /// How long a consent link stays valid.
    pub consent_ttl: Duration,
    /// The first retry delay after a failure; doubled per failure in a row.
    pub backoff_base: Duration,
    /// The longest retry delay.
    pub backoff_max: Duration,
    /// Failures in a row (across integrations) that open a provider's circuit.
    pub breaker_threshold: u32,
    /// How long an open circuit stays open.
    pub breaker_cooldown: Duration,
    /// Refresh tokens that expire within this margin before starting.
    pub refresh_margin: Duration,
    /// How many days past the watermark a pass keeps reading, for late-booked transactions.
    pub overlap_days: i64,
    /// How soon to look again at bank-side synchronisations just requested.
    pub pending_poll: Duration,
    /// How many transactions a run reads before it stores them: a run writes in batches of
    /// this size (and its last batch with its end), so memory stays bounded on a first sync of
    /// years of history and an organisation's sync is a handful of write transactions.
    pub write_batch: usize,
}

impl Default for SyncSettings {
    fn default() -> Self {
        SyncSettings {
            interval: Duration::minutes(1),
            bank_sync_interval: Duration::minutes(30),
            request_bank_syncs: true,
            lease: Duration::minutes(5),
            consent_ttl: Duration::minutes(15),
            backoff_base: Duration::seconds(30),
            backoff_max: Duration::hours(1),
            breaker_threshold: 5,
            breaker_cooldown: Duration::minutes(1),
            refresh_margin: Duration::minutes(5),
            overlap_days: 7,
            pending_poll: Duration::seconds(10),
            write_batch: 1000,
        }
    }
}

/// Why an integration operation failed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// No banking provider is configured on this server.
    #[error("bank integration is not configured on this server")]
    NotConfigured,
    /// The actor's role does not allow it.
    #[error("your role does not allow managing integrations")]
    Forbidden,
    /// No such integration in the actor's organisation.
    #[error("no such integration")]
    NotFound,
    /// The callback's `state` is unknown, used, expired, or from another session.
    #[error("this consent link is unknown, expired, already used, or was started in another session")]
    ConsentInvalid,
    /// No accounting package (Yuki) is configured on this server.
    #[error("the accounting integration (Yuki) is not configured on this server")]
    AccountingNotConfigured,
    /// The accounting package refused the access key; nothing was stored.
    #[error("Yuki refused the access key")]
    AccessKeyRefused,
    /// The accounting package refused the stored access key: the integration needs a new key
    /// (disconnect, then connect with a fresh key from the accounting package).
    #[error("the accounting package refused the stored access key; connect it again with a new key")]
    NeedsNewAccessKey,
    /// The organisation already has a live integration with this provider.
    #[error("the organisation is already connected to this provider; disconnect it first")]
    AlreadyConnected,
    /// The administration of an accounting integration cannot change.
    #[error("the administration cannot change; disconnect and connect again to read another one")]
    AdministrationFixed,
    /// The accounting package failed or refused the request.
    #[error("{0}")]
    Accounting(#[from] billify_ports::accounting::AccountingError),
    /// The provider failed.
    #[error("{0}")]
    Provider(#[from] BankingError),
    /// A secret could not be sealed or opened.
    #[error("{0}")]
    Secret(#[from] SecretError),
    /// Storage failed.
    #[error(transparent)]
    Repository(#[from] RepositoryError),
}

/// Where to send the user to link their bank.
#[derive(Debug, Clone)]
pub struct ConsentStart {
    /// The integration being linked.
    pub integration: Integration,
    /// The provider's consent page.
    pub consent_url: String,
}

/// What one claimed job did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobReport {
    /// The job's kind: [`SYNC_JOB`], [`crate::reconciliation::RECONCILE_JOB`], an alert job
    /// ([`crate::alerts::ALERTS_JOB`], [`crate::alerts::DELIVER_JOB`]) or an unknown kind,
    /// failed for good.
    pub kind: String,
    /// The organisation.
    pub organisation_id: OrganisationId,
    /// The integration.
    pub integration_id: Uuid,
    /// The run's outcome, or `None` when there was nothing to do.
    pub outcome: Option<SyncOutcome>,
    /// Transactions the run stored for the first time, every batch counted (the last one too,
    /// written with the run's end): what its stored run says.
    pub new_transactions: u32,
    /// Transactions the run found changed.
    pub changed_transactions: u32,
}

/// Why a sync run stopped.
enum RunFailure {
    Provider(BankingError),
    Secret(SecretError),
    Repository(RepositoryError),
    /// Another worker stored newer tokens or took over the job's lease: it owns the
    /// integration now.
    Superseded,
    /// The integration was disconnected (or deleted) before the run could start.
    Gone,
}

impl From<RepositoryError> for RunFailure {
    fn from(e: RepositoryError) -> Self {
        RunFailure::Repository(e)
    }
}

impl From<BankingError> for RunFailure {
    fn from(e: BankingError) -> Self {
        RunFailure::Provider(e)
    }
}

impl From<SecretError> for RunFailure {
    fn from(e: SecretError) -> Self {
        RunFailure::Secret(e)
    }
}

/// Bank integrations and their sync engine.
pub struct SyncService {
    integrations: Arc<dyn IntegrationRepository>,
    jobs: Arc<dyn JobQueue>,
    provider: Option<Arc<dyn BankingProvider>>,
    cipher: Arc<dyn SecretCipher>,
    tokens: Arc<dyn SecretTokens>,
    clock: Arc<dyn Clock>,
    settings: SyncSettings,
    breaker: Mutex<Breaker>,
    random: Arc<dyn billify_ports::Randomness>,
    reconciliation: Option<Arc<crate::reconciliation::ReconciliationService>>,
    alerts: Option<Arc<crate::alerts::AlertService>>,
    events: crate::events::EventPublisher,
    accounting: Option<accounting::Accounting>,
}

/// The wiring of a [`SyncService`].
pub struct SyncPorts {
    /// Integrations.
    pub integrations: Arc<dyn IntegrationRepository>,
    /// The job queue.
    pub jobs: Arc<dyn JobQueue>,
    /// Ponto, when configured.
    pub provider: Option<Arc<dyn BankingProvider>>,
    /// Seals tokens.
    pub cipher: Arc<dyn SecretCipher>,
    /// Digests consent states.
    pub tokens: Arc<dyn SecretTokens>,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// Draws the jitter of back-offs and retries.
    pub random: Arc<dyn billify_ports::Randomness>,
    /// Live events (`sync.finished`, `forecast.changed`).
    pub events: Arc<dyn billify_ports::EventLog>,
}

impl SyncService {
    /// Wires the service.
    pub fn new(ports: SyncPorts, settings: SyncSettings) -> Self {
        SyncService {
            integrations: ports.integrations,
            jobs: ports.jobs,
            provider: ports.provider,
            cipher: ports.cipher,
            tokens: ports.tokens,
            events: crate::events::EventPublisher::new(ports.events, ports.clock.clone()),
            clock: ports.clock,
            settings,
            breaker: Mutex::new(Breaker::default()),
            random: ports.random,
            reconciliation: None,
            alerts: None,
            accounting: None,
        }
    }

    /// Runs the reconciliation jobs its workers claim from the shared queue (the composition
    /// root always wires it; without it such a job fails as of an unknown kind).
    pub fn with_reconciliation(mut self, reconciliation: Arc<crate::reconciliation::ReconciliationService>) -> Self {
        self.reconciliation = Some(reconciliation);
        self
    }

    /// Runs the alert and notification delivery jobs its workers claim from the shared queue,
    /// and queues the daily alerts from its scheduler (the composition root always wires it).
    pub fn with_alerts(mut self, alerts: Arc<crate::alerts::AlertService>) -> Self {
        self.alerts = Some(alerts);
        self
    }

    /// Queues the daily alerts of the organisations whose morning has come; returns how many.
    /// Safe from every process.
    pub fn schedule_alerts(&self) -> Result<usize, crate::alerts::AlertError> {
        match &self.alerts {
            Some(alerts) => alerts.schedule_due(),
            None => Ok(0),
        }
    }

    /// The settings.
    pub fn settings(&self) -> &SyncSettings {
        &self.settings
    }

    fn provider(&self) -> Result<&Arc<dyn BankingProvider>, SyncError> {
        self.provider.as_ref().ok_or(SyncError::NotConfigured)
    }

    fn require(actor: &Actor, permission: Permission) -> Result<(), SyncError> {
        if actor.role.can(permission) { Ok(()) } else { Err(SyncError::Forbidden) }
    }

    /// The organisation's integrations.
    pub fn list(&self, actor: &Actor) -> Result<Vec<Integration>, SyncError> {
        Self::require(actor, Permission::ReadData)?;
        Ok(self.integrations.integrations(actor.organisation_id)?)
    }

    /// One integration.
    pub fn get(&self, actor: &Actor, id: Uuid) -> Result<Integration, SyncError> {
        Self::require(actor, Permission::ReadData)?;
        self.integrations.integration(actor.organisation_id, id)?.ok_or(SyncError::NotFound)
    }

    /// The integration's latest sync runs, newest first.
    pub fn runs(&self, actor: &Actor, id: Uuid, limit: u32) -> Result<Vec<SyncRun>, SyncError> {
        self.get(actor, id)?;
        Ok(self.integrations.sync_runs(actor.organisation_id, id, limit.clamp(1, 200))?)
    }

    /// Schedules a sync now; `customer_ip` is the user's address (PSD2 "customer present").
    /// Returns whether a new job was queued (`false`: one is already queued or running).
    pub fn sync_now(&self, actor: &Actor, id: Uuid, customer_ip: Option<IpAddr>) -> Result<bool, SyncError> {
        Self::require(actor, Permission::ManageIntegrations)?;
        let integration = self.get(actor, id)?;
        if !integration.status.is_syncable() {
            if integration.provider.is_accounting() {
                return Err(SyncError::NeedsNewAccessKey);
            }
            return Err(SyncError::Provider(BankingError::AuthorizationInvalid {
                detail: format!("the integration is {}; connect it again first", integration.status.code()),
            }));
        }
        Ok(self.enqueue(actor.organisation_id, id, customer_ip, self.clock.now())?)
    }

    /// Unlinks: revokes the refresh token at the provider (best effort) and deletes the tokens.
    /// The accounts and transactions already stored are kept.
    pub fn disconnect(&self, actor: &Actor, id: Uuid) -> Result<(), SyncError> {
        Self::require(actor, Permission::ManageIntegrations)?;
        let organisation = actor.organisation_id;
        let before = self.get(actor, id)?;
        if before.provider.is_accounting() {
            if let Some((sealed, _)) = self.integrations.sealed_tokens(organisation, id)? {
                self.forget_accounting_session(&before, &sealed);
            }
        } else if let (Some(provider), Some((sealed, _))) =
            (self.provider.as_ref(), self.integrations.sealed_tokens(organisation, id)?)
        {
            match self.cipher.open(&sealed, &tokens_context(organisation, id)).and_then(|t| tokens_from_text(&t)) {
                Ok(tokens) => {
                    if let Err(e) = provider.revoke_tokens(&tokens) {
                        log::warn!("revoking the tokens of integration {id} failed (deleting them anyway): {e}");
                    }
                }
                Err(e) => log::warn!("cannot open the tokens of integration {id} to revoke them: {e}"),
            }
        }
        let now = self.clock.now();
        let state = |status: &str| Some(serde_json::json!({"provider": before.provider.code(), "status": status}));
        let target = AuditTarget::new("integration", id);
        let (was, now_is) = (state(before.status.code()), state(IntegrationStatus::Disconnected.code()));
        let audit = entry(actor, AuditAction::IntegrationDisconnected, target, now, was, now_is);
        self.integrations.disconnect_audited(organisation, id, now, &audit)?;
        log::info!("integration {id} of {organisation} disconnected");
        Ok(())
    }

    fn enqueue(
        &self,
        organisation: OrganisationId,
        id: Uuid,
        customer_ip: Option<IpAddr>,
        now: OffsetDateTime,
    ) -> Result<bool, RepositoryError> {
        let payload = match customer_ip {
            Some(ip) => serde_json::json!({ "customer_ip": ip.to_string() }).to_string(),
            None => "{}".to_owned(),
        };
        self.jobs.enqueue(
            &NewJob { organisation_id: organisation, kind: SYNC_JOB.into(), key: id.to_string(), payload, run_at: now },
            now,
        )
    }

    /// Enqueues a sync for up to `limit` integrations whose next sync is due; returns how many
    /// jobs were queued. Safe to run from every process at once.
    pub fn schedule_due(&self, limit: u32) -> Result<usize, SyncError> {
        let now = self.clock.now();
        let mut queued = 0;
        for (organisation, id) in self.integrations.due_integrations(now, limit)? {
            if self.enqueue(organisation, id, None, now)? {
                queued += 1;
            }
            // Queued (now or before): out of the due list until the sync ends or its lease
            // expires, so more than `limit` due integrations are all reached.
            self.integrations.postpone_sync(organisation, id, now, now + self.settings.lease)?;
        }
        Ok(queued)
    }

    /// Deletes finished jobs older than a day and sync runs older than 30 days; returns how many
    /// of each. Idempotent; safe from every process.
    pub fn purge_history(&self) -> Result<(u64, u64), SyncError> {
        let now = self.clock.now();
        let jobs = self.jobs.delete_finished_jobs(now - Duration::days(1))?;
        let runs = self.integrations.delete_sync_runs_before(now - Duration::days(30))?;
        Ok((jobs, runs))
    }
}
