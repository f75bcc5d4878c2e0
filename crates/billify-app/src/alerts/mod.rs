//! Alerts and notifications: the daily alert job of each organisation (`daily`), the delivery of
//! each notification on its outbound channels (`delivery`), and what members do with them here:
//! their inbox, their preferences, and (admins) the organisation's alert settings and webhook
//! endpoints.
//!
//! Both jobs run on the shared job queue (`alerts.daily`, one per organisation and local day;
//! `notify.deliver`, one per outbound delivery), claimed by the sync engine's workers, so they
//! run once whatever the number of processes.
//!
//! The projected-balance alert asks a [`BalanceOutlook`]: the forecast (`ForecastService`),
//! wired in by the composition root; tests pass a fake.

mod daily;
mod delivery;

use std::sync::Arc;

use billify_domain::{AlertSettings, Channel, Currency, Money, NotificationKind, OrganisationId, Permission};
use billify_ports::audit::{AuditAction, AuditTarget};
use billify_ports::integrations::IntegrationRepository;
use billify_ports::jobs::JobQueue;
use billify_ports::notifications::{
    Delivery, EmailSender, InboxItem, NotificationRepository, Preference, WebhookEndpoint, WebhookSender,
    webhook_secret_context,
};
use billify_ports::{
    AccountRepository, Clock, InvoiceRepository, ReconciliationRepository, RepositoryError, SecretCipher, SecretError,
    SecretText, SecretTokens,
};
use time::Date;
use uuid::Uuid;

use crate::Actor;
use crate::audit::entry;

pub use billify_ports::notifications::DELIVER_JOB;
pub use daily::DailyReport;
pub use delivery::{AlertJobOutcome, handles};

/// The job kind of an organisation's daily alerts (key: the local date).
pub const ALERTS_JOB: &str = "alerts.daily";

/// Why the projected balance could not be read.
#[derive(Debug, thiserror::Error)]
#[error("the balance outlook failed: {0}")]
pub struct OutlookError(pub String);

/// The lowest projected balance per currency over the coming days: what the projected-balance
/// alert needs of the forecast. The composition root implements it with the forecast; tests
/// with a fake.
pub trait BalanceOutlook: Send + Sync {
    /// For each currency, the day within `days` days from `today` (included) with the lowest
    /// projected balance, and that balance.
    fn lowest_balance(
        &self,
        organisation: OrganisationId,
        today: Date,
        days: u32,
    ) -> Result<Vec<(Currency, Date, Money)>, OutlookError>;
}

/// What can go wrong.
#[derive(Debug, thiserror::Error)]
pub enum AlertError {
    /// The role does not allow it.
    #[error("forbidden")]
    Forbidden,
    /// No such record in the organisation.
    #[error("not found")]
    NotFound,
    /// A field is invalid.
    #[error("{field}: {message}")]
    Invalid {
        /// The field.
        field: String,
        /// Why.
        message: String,
    },
    /// Storage failed.
    #[error(transparent)]
    Repository(#[from] RepositoryError),
    /// A secret could not be sealed or opened.
    #[error(transparent)]
    Secret(#[from] SecretError),
    /// The forecast failed.
    #[error(transparent)]
    Outlook(#[from] OutlookError),
}

fn invalid(field: &str, message: impl Into<String>) -> AlertError {
    AlertError::Invalid { field: field.to_owned(), message: message.into() }
}

/// The ports of [`AlertService`].
pub struct AlertPorts {
    /// Notifications, their inbox and outbox, preferences, endpoints and settings.
    pub notifications: Arc<dyn NotificationRepository>,
    /// Organisations (time zones), members and their addresses.
    pub accounts: Arc<dyn AccountRepository>,
    /// Payables and receivables.
    pub invoices: Arc<dyn InvoiceRepository>,
    /// Bank integrations and their consent.
    pub integrations: Arc<dyn IntegrationRepository>,
    /// Reconciliation suggestions.
    pub reconciliation: Arc<dyn ReconciliationRepository>,
    /// The job queue the alert and delivery jobs run on.
    pub jobs: Arc<dyn JobQueue>,
    /// The forecast's lowest balances, when wired.
    pub outlook: Option<Arc<dyn BalanceOutlook>>,
    /// Posts webhooks.
    pub webhooks: Arc<dyn WebhookSender>,
    /// Sends email, when SMTP is configured.
    pub email: Option<Arc<dyn EmailSender>>,
    /// Seals and opens webhook secrets.
    pub cipher: Arc<dyn SecretCipher>,
    /// Generates webhook secrets.
    pub tokens: Arc<dyn SecretTokens>,
    /// The time.
    pub clock: Arc<dyn Clock>,
    /// Live events: each notification raised is announced to the organisation's streams.
    pub events: Arc<dyn billify_ports::EventLog>,
}

/// Settings of the alert job.
#[derive(Debug, Clone, Copy)]
pub struct AlertConfig {
    /// How far the projected-balance alert looks ahead, in days (the forecast window).
    pub forecast_days: u32,
    /// How long a claimed alert or delivery job's lease lasts.
    pub lease: time::Duration,
}

impl Default for AlertConfig {
    fn default() -> Self {
        AlertConfig { forecast_days: 90, lease: time::Duration::minutes(5) }
    }
}

/// The alerts and notifications use cases.
pub struct AlertService {
    notifications: Arc<dyn NotificationRepository>,
    accounts: Arc<dyn AccountRepository>,
    invoices: Arc<dyn InvoiceRepository>,
    integrations: Arc<dyn IntegrationRepository>,
    reconciliation: Arc<dyn ReconciliationRepository>,
    jobs: Arc<dyn JobQueue>,
    outlook: Option<Arc<dyn BalanceOutlook>>,
    webhooks: Arc<dyn WebhookSender>,
    email: Option<Arc<dyn EmailSender>>,
    cipher: Arc<dyn SecretCipher>,
    tokens: Arc<dyn SecretTokens>,
    clock: Arc<dyn Clock>,
    events: crate::events::EventPublisher,
    config: AlertConfig,
}

/// A webhook endpoint just created, with its signing secret (shown once).
#[derive(Debug)]
pub struct CreatedEndpoint {
    /// The endpoint.
    pub endpoint: WebhookEndpoint,
    /// The secret receivers check signatures with.
    pub secret: SecretText,
}

/// A member's effective choice for one kind and channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EffectivePreference {
    /// The kind.
    pub kind: NotificationKind,
    /// The channel.
    pub channel: Channel,
    /// Whether they receive it (stored choice, else on).
    pub enabled: bool,
}

fn require(actor: &Actor, permission: Permission) -> Result<(), AlertError> {
    if actor.role.can(permission) { Ok(()) } else { Err(AlertError::Forbidden) }
}

/// Whether `user` wants `kind` on `channel`: their stored choice, else on.
pub(crate) fn wants(
    preferences: &[Preference],
    user: billify_domain::UserId,
    kind: NotificationKind,
    channel: Channel,
) -> bool {
    preferences.iter().find(|p| p.user_id == user && p.kind == kind && p.channel == channel).is_none_or(|p| p.enabled)
}

/// Checks a webhook URL: absolute `https://`, or `http://` to a loopback host (tests, local
/// receivers); no credentials in it.
fn check_url(text: &str) -> Result<String, AlertError> {
    let url = text.trim();
    let rest = if let Some(rest) = url.strip_prefix("https://") {
        rest
    } else if let Some(rest) = url.strip_prefix("http://") {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
        if !matches!(host, "127.0.0.1" | "localhost" | "[::1]") {
            return Err(invalid("url", "a webhook URL must use https (http only to a loopback address)"));
        }
        rest
    } else {
        return Err(invalid("url", "a webhook URL must start with https://"));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() || authority.contains('@') || url.len() > 2000 || url.chars().any(char::is_whitespace) {
        return Err(invalid("url", "not a valid webhook URL"));
    }
    Ok(url.to_owned())
}

impl AlertService {
    /// Wires the service.
    pub fn new(ports: AlertPorts, config: AlertConfig) -> Self {
        AlertService {
            notifications: ports.notifications,
            accounts: ports.accounts,
            invoices: ports.invoices,
            integrations: ports.integrations,
            reconciliation: ports.reconciliation,
            jobs: ports.jobs,
            outlook: ports.outlook,
            webhooks: ports.webhooks,
            email: ports.email,
            cipher: ports.cipher,
            tokens: ports.tokens,
            clock: ports.clock.clone(),
            events: crate::events::EventPublisher::new(ports.events, ports.clock.clone()),
            config,
        }
    }

    /// Whether email is configured.
    pub fn email_configured(&self) -> bool {
        self.email.is_some()
    }

    /// The actor's inbox, newest first.
    pub fn inbox(&self, actor: &Actor, unread_only: bool, limit: u32) -> Result<Vec<InboxItem>, AlertError> {
        Ok(self.notifications.inbox(actor.organisation_id, actor.user_id, unread_only, limit.clamp(1, 200))?)
    }

    /// Marks one of the actor's notifications read.
    pub fn mark_read(&self, actor: &Actor, id: Uuid) -> Result<(), AlertError> {
        let now = self.clock.now();
        if self.notifications.mark_read(actor.organisation_id, actor.user_id, id, now)? {
            Ok(())
        } else {
            Err(AlertError::NotFound)
        }
    }

    /// Marks all of the actor's notifications read; returns how many were unread.
    pub fn mark_all_read(&self, actor: &Actor) -> Result<u64, AlertError> {
        Ok(self.notifications.mark_all_read(actor.organisation_id, actor.user_id, self.clock.now())?)
    }

    /// The actor's effective choices for every kind and personal channel.
    pub fn preferences(&self, actor: &Actor) -> Result<Vec<EffectivePreference>, AlertError> {
        let stored = self.notifications.preferences(actor.organisation_id)?;
        Ok(NotificationKind::ALL
            .into_iter()
            .flat_map(|kind| Channel::PERSONAL.into_iter().map(move |channel| (kind, channel)))
            .map(|(kind, channel)| EffectivePreference {
                kind,
                channel,
                enabled: wants(&stored, actor.user_id, kind, channel),
            })
            .collect())
    }

    /// Stores the actor's choices (kind, channel, enabled); webhooks are not a personal channel.
    pub fn set_preferences(
        &self,
        actor: &Actor,
        choices: &[(NotificationKind, Channel, bool)],
    ) -> Result<Vec<EffectivePreference>, AlertError> {
        if let Some(i) = choices.iter().position(|(_, c, _)| !Channel::PERSONAL.contains(c)) {
            return Err(invalid(&format!("preferences[{i}].channel"), "choose in_app or email"));
        }
        for (kind, channel, enabled) in choices {
            let p = Preference { user_id: actor.user_id, kind: *kind, channel: *channel, enabled: *enabled };
            self.notifications.set_preference(actor.organisation_id, &p)?;
        }
        self.preferences(actor)
    }

    /// The organisation's alert settings.
    pub fn settings(&self, actor: &Actor) -> Result<AlertSettings, AlertError> {
        require(actor, Permission::ReadData)?;
        Ok(self.notifications.alert_settings(actor.organisation_id)?.0)
    }

    /// Changes the organisation's alert settings.
    pub fn update_settings(&self, actor: &Actor, settings: AlertSettings) -> Result<AlertSettings, AlertError> {
        require(actor, Permission::ManageOrganisation)?;
        let (before, _) = self.notifications.alert_settings(actor.organisation_id)?;
        let view = |s: &AlertSettings| {
            Some(serde_json::json!({
                "payable_days": s.payable_days(),
                "balance_threshold_minor": s.balance_threshold_minor(),
            }))
        };
        let target = AuditTarget::new("organisation", *actor.organisation_id.as_uuid());
        let now = self.clock.now();
        let audit = entry(actor, AuditAction::AlertSettingsChanged, target, now, view(&before), view(&settings));
        self.notifications.save_alert_settings(actor.organisation_id, &settings, &audit)?;
        Ok(settings)
    }

    /// The organisation's webhook endpoints.
    pub fn endpoints(&self, actor: &Actor) -> Result<Vec<WebhookEndpoint>, AlertError> {
        require(actor, Permission::ManageIntegrations)?;
        Ok(self.notifications.webhook_endpoints(actor.organisation_id)?)
    }

    /// Adds a webhook endpoint receiving `kinds` (empty: all) with a fresh signing secret,
    /// stored sealed and returned once.
    pub fn create_endpoint(
        &self,
        actor: &Actor,
        url: &str,
        kinds: Vec<NotificationKind>,
    ) -> Result<CreatedEndpoint, AlertError> {
        require(actor, Permission::ManageIntegrations)?;
        let url = check_url(url)?;
        if self.notifications.webhook_endpoints(actor.organisation_id)?.len() >= 20 {
            return Err(invalid("url", "an organisation has at most 20 webhook endpoints"));
        }
        let endpoint = WebhookEndpoint {
            organisation_id: actor.organisation_id,
            id: Uuid::now_v7(),
            url,
            kinds,
            created_at: self.clock.now(),
        };
        let secret = SecretText::new(format!("whsec_{}", self.tokens.generate()));
        let sealed = self.cipher.seal(&secret, &webhook_secret_context(actor.organisation_id, endpoint.id))?;
        let target = AuditTarget::new("webhook_endpoint", endpoint.id);
        let after = Some(serde_json::json!({
            "url": endpoint.url,
            "kinds": endpoint.kinds.iter().map(|k| k.code()).collect::<Vec<_>>(),
        }));
        let audit = entry(actor, AuditAction::WebhookEndpointCreated, target, endpoint.created_at, None, after);
        self.notifications.create_webhook_endpoint(&endpoint, &sealed, &audit)?;
        Ok(CreatedEndpoint { endpoint, secret })
    }

    /// Removes a webhook endpoint; its pending deliveries fail, its log stays.
    pub fn delete_endpoint(&self, actor: &Actor, id: Uuid) -> Result<(), AlertError> {
        require(actor, Permission::ManageIntegrations)?;
        let (endpoint, _) =
            self.notifications.webhook_endpoint(actor.organisation_id, id)?.ok_or(AlertError::NotFound)?;
        let target = AuditTarget::new("webhook_endpoint", id);
        let before = Some(serde_json::json!({ "url": endpoint.url }));
        let audit = entry(actor, AuditAction::WebhookEndpointDeleted, target, self.clock.now(), before, None);
        if !self.notifications.delete_webhook_endpoint(actor.organisation_id, id, &audit)? {
            return Err(AlertError::NotFound);
        }
        Ok(())
    }

    /// An endpoint's delivery log, newest first.
    pub fn endpoint_deliveries(&self, actor: &Actor, id: Uuid, limit: u32) -> Result<Vec<Delivery>, AlertError> {
        require(actor, Permission::ManageIntegrations)?;
        self.notifications.webhook_endpoint(actor.organisation_id, id)?.ok_or(AlertError::NotFound)?;
        Ok(self.notifications.deliveries_to(actor.organisation_id, id, limit.clamp(1, 200))?)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;
    use billify_domain::UserId;

    #[test]
    fn webhook_urls_are_https_or_loopback_http() {
        assert_eq!(check_url(" https://hooks.example.be/x ").unwrap(), "https://hooks.example.be/x");
        assert!(check_url("http://127.0.0.1:9000/hook").is_ok());
        assert!(check_url("http://localhost/hook").is_ok());
        for bad in
            ["http://hooks.example.be/x", "ftp://x", "https://", "https://user:pw@host/x", "https://a b", "hooks"]
        {
            assert!(matches!(check_url(bad), Err(AlertError::Invalid { .. })), "{bad}");
        }
    }

    #[test]
    fn a_choice_not_stored_is_on() {
        let anna = UserId::from_uuid(Uuid::now_v7());
        let bert = UserId::from_uuid(Uuid::now_v7());
        let off =
            Preference { user_id: anna, kind: NotificationKind::LowBalance, channel: Channel::Email, enabled: false };
        let prefs = [off];
        assert!(!wants(&prefs, anna, NotificationKind::LowBalance, Channel::Email));
        assert!(wants(&prefs, anna, NotificationKind::LowBalance, Channel::InApp));
        assert!(wants(&prefs, anna, NotificationKind::PayableDueSoon, Channel::Email));
        assert!(wants(&prefs, bert, NotificationKind::LowBalance, Channel::Email));
    }
}
