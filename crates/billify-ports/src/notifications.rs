//! Notifications: the alerts an organisation's daily job raises, their in-app inbox, the outbox
//! of outbound deliveries (webhooks, email), members' preferences and the organisation's webhook
//! endpoints; and the two outbound ports, [`WebhookSender`] and [`EmailSender`].
//!
//! The in-app channel is the store itself: a notification is written with one inbox row per
//! recipient, its outbound deliveries and one `notify.deliver` job per delivery, in one
//! transaction ([`NotificationRepository::raise`]). A delivery moves from pending to sent or
//! failed once and never back, so whichever worker claims its job, it is sent once.

use billify_domain::{AlertSettings, Channel, NotificationKind, OrganisationId, UserId};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::RepositoryError;
use crate::audit::NewAuditEntry;
use crate::secrets::SecretText;

/// The job kind that delivers one outbound delivery (key: the delivery's id).
pub const DELIVER_JOB: &str = "notify.deliver";

/// The associated data a webhook endpoint's sealed secret is bound to.
pub fn webhook_secret_context(organisation: OrganisationId, id: Uuid) -> String {
    format!("webhook-secret:{organisation}:{id}")
}

/// A notification to raise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    /// The organisation.
    pub organisation_id: OrganisationId,
    /// Its id.
    pub id: Uuid,
    /// What it is about.
    pub kind: NotificationKind,
    /// Names the alert once and for all within the organisation: raising a notification whose
    /// key exists already does nothing.
    pub dedupe_key: String,
    /// One line for people.
    pub title: String,
    /// A few sentences for people.
    pub body: String,
    /// The facts behind it, as a JSON object (ids, dates, amounts).
    pub data: String,
    /// When it was raised.
    pub created_at: OffsetDateTime,
}

/// An outbound delivery to write with a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewDelivery {
    /// Its id (also the key of its `notify.deliver` job).
    pub id: Uuid,
    /// [`Channel::Webhook`] or [`Channel::Email`].
    pub channel: Channel,
    /// The webhook endpoint's id, or the user's id for email.
    pub target_id: Uuid,
}

/// A stored notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// The organisation.
    pub organisation_id: OrganisationId,
    /// Its id.
    pub id: Uuid,
    /// What it is about.
    pub kind: NotificationKind,
    /// One line for people.
    pub title: String,
    /// A few sentences for people.
    pub body: String,
    /// The facts, as a JSON object.
    pub data: String,
    /// When it was raised.
    pub created_at: OffsetDateTime,
}

/// A notification in a member's inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxItem {
    /// The notification.
    pub notification: Notification,
    /// When the member marked it read.
    pub read_at: Option<OffsetDateTime>,
}

/// Where an outbound delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Not delivered yet (maybe tried and to be tried again).
    Pending,
    /// Delivered.
    Sent,
    /// Given up on after its last try.
    Failed,
}

impl DeliveryStatus {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Failed => "failed",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<Self> {
        [DeliveryStatus::Pending, DeliveryStatus::Sent, DeliveryStatus::Failed].into_iter().find(|s| s.code() == code)
    }
}

/// An outbound delivery: one row of the outbox, and of its target's delivery log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The organisation.
    pub organisation_id: OrganisationId,
    /// Its id.
    pub id: Uuid,
    /// The notification delivered.
    pub notification_id: Uuid,
    /// Webhook or email.
    pub channel: Channel,
    /// The endpoint or the user.
    pub target_id: Uuid,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Tries so far.
    pub attempts: i32,
    /// The last failure, in plain words.
    pub last_error: Option<String>,
    /// The HTTP status of the last webhook response, when one came.
    pub response_status: Option<i32>,
    /// When it was written.
    pub created_at: OffsetDateTime,
    /// When it last changed.
    pub updated_at: OffsetDateTime,
}

/// The outcome of one try of a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryAttempt {
    /// The status after the try: sent, pending (to be tried again) or failed (for good).
    pub status: DeliveryStatus,
    /// Why it failed, if it did.
    pub error: Option<String>,
    /// The HTTP status answered, if any.
    pub response_status: Option<i32>,
}

/// A member's choice for one kind and channel (no stored choice: on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preference {
    /// The member.
    pub user_id: UserId,
    /// The kind.
    pub kind: NotificationKind,
    /// The channel ([`Channel::InApp`] or [`Channel::Email`]).
    pub channel: Channel,
    /// Whether they receive it.
    pub enabled: bool,
}

/// A webhook endpoint of an organisation (its secret is stored sealed, apart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEndpoint {
    /// The organisation.
    pub organisation_id: OrganisationId,
    /// Its id.
    pub id: Uuid,
    /// Where notifications are posted (`https://`, or `http://` for loopback tests).
    pub url: String,
    /// The kinds it receives; empty: every kind.
    pub kinds: Vec<NotificationKind>,
    /// When it was added.
    pub created_at: OffsetDateTime,
}

impl WebhookEndpoint {
    /// Whether it receives notifications of `kind`.
    pub fn receives(&self, kind: NotificationKind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&kind)
    }
}

/// Stores notifications, their inbox and outbox, preferences, webhook endpoints and alert
/// settings. Every method is scoped by organisation.
pub trait NotificationRepository: Send + Sync {
    /// The organisation's alert settings (the defaults when never changed) and the local date
    /// its daily alerts last ran.
    fn alert_settings(&self, organisation: OrganisationId) -> Result<(AlertSettings, Option<Date>), RepositoryError>;

    /// Stores the organisation's alert settings and, in the same transaction, `audit`.
    fn save_alert_settings(
        &self,
        organisation: OrganisationId,
        settings: &AlertSettings,
        audit: &NewAuditEntry,
    ) -> Result<(), RepositoryError>;

    /// Records that the organisation's daily alerts ran on `day` (never moves backwards).
    fn mark_alerts_run(&self, organisation: OrganisationId, day: Date) -> Result<(), RepositoryError>;

    /// In one transaction: stores the notification, an inbox row for each of `inbox`, each
    /// delivery with its `notify.deliver` job (due at `now`). Returns `false`, writing nothing,
    /// when a notification with the same dedupe key exists.
    fn raise(
        &self,
        notification: &NewNotification,
        inbox: &[UserId],
        deliveries: &[NewDelivery],
        now: OffsetDateTime,
    ) -> Result<bool, RepositoryError>;

    /// A notification by id.
    fn notification(&self, organisation: OrganisationId, id: Uuid) -> Result<Option<Notification>, RepositoryError>;

    /// The member's inbox, newest first, at most `limit`; only unread ones with `unread_only`.
    fn inbox(
        &self,
        organisation: OrganisationId,
        user: UserId,
        unread_only: bool,
        limit: u32,
    ) -> Result<Vec<InboxItem>, RepositoryError>;

    /// Marks one inbox item read (keeping the first time); `false` when the member has no such
    /// notification.
    fn mark_read(
        &self,
        organisation: OrganisationId,
        user: UserId,
        notification: Uuid,
        now: OffsetDateTime,
    ) -> Result<bool, RepositoryError>;

    /// Marks every unread item of the member's inbox read; returns how many.
    fn mark_all_read(
        &self,
        organisation: OrganisationId,
        user: UserId,
        now: OffsetDateTime,
    ) -> Result<u64, RepositoryError>;

    /// The stored choices of every member of the organisation.
    fn preferences(&self, organisation: OrganisationId) -> Result<Vec<Preference>, RepositoryError>;

    /// Stores one member's choice for a kind and channel.
    fn set_preference(&self, organisation: OrganisationId, preference: &Preference) -> Result<(), RepositoryError>;

    /// Adds a webhook endpoint with its sealed secret and, in the same transaction, `audit`.
    fn create_webhook_endpoint(
        &self,
        endpoint: &WebhookEndpoint,
        sealed_secret: &str,
        audit: &NewAuditEntry,
    ) -> Result<(), RepositoryError>;

    /// The organisation's webhook endpoints, oldest first.
    fn webhook_endpoints(&self, organisation: OrganisationId) -> Result<Vec<WebhookEndpoint>, RepositoryError>;

    /// One endpoint with its sealed secret.
    fn webhook_endpoint(
        &self,
        organisation: OrganisationId,
        id: Uuid,
    ) -> Result<Option<(WebhookEndpoint, String)>, RepositoryError>;

    /// Deletes an endpoint (its delivery log stays) and, in the same transaction, appends
    /// `audit`; `false` (recording nothing) when there is none.
    fn delete_webhook_endpoint(
        &self,
        organisation: OrganisationId,
        id: Uuid,
        audit: &NewAuditEntry,
    ) -> Result<bool, RepositoryError>;

    /// A delivery by id.
    fn delivery(&self, organisation: OrganisationId, id: Uuid) -> Result<Option<Delivery>, RepositoryError>;

    /// The deliveries to one target (an endpoint's delivery log), newest first, at most `limit`.
    fn deliveries_to(
        &self,
        organisation: OrganisationId,
        target: Uuid,
        limit: u32,
    ) -> Result<Vec<Delivery>, RepositoryError>;

    /// Records one try of a pending delivery (attempts + 1, the new status, error and response);
    /// `false`, changing nothing, when it is no longer pending.
    fn record_attempt(
        &self,
        organisation: OrganisationId,
        id: Uuid,
        attempt: &DeliveryAttempt,
        now: OffsetDateTime,
    ) -> Result<bool, RepositoryError>;
}

/// Why an outbound delivery failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// The receiver answered, but not with success.
    #[error("the receiver answered HTTP {status}")]
    Rejected {
        /// The HTTP status.
        status: u16,
    },
    /// The receiver could not be reached, or the exchange broke off.
    #[error("transport failure: {0}")]
    Transport(String),
    /// The message cannot be sent as it is (a bad address or URL): trying again will not help.
    #[error("cannot be sent: {0}")]
    Permanent(String),
    /// The channel is not configured in this process.
    #[error("not configured")]
    NotConfigured,
}

/// A webhook to post: `body` is signed with `secret`.
#[derive(Debug, Clone)]
pub struct WebhookRequest {
    /// Where.
    pub url: String,
    /// The delivery's id, sent so a receiver can drop a repeat.
    pub delivery_id: Uuid,
    /// The notification kind.
    pub kind: NotificationKind,
    /// The JSON body.
    pub body: String,
    /// The endpoint's signing secret.
    pub secret: SecretText,
    /// The signing time, in seconds since the Unix epoch (sent and signed against replays).
    pub timestamp: i64,
}

/// Posts signed webhooks.
pub trait WebhookSender: Send + Sync {
    /// Posts one webhook; returns the HTTP status of a 2xx answer.
    fn post(&self, request: &WebhookRequest) -> Result<u16, DeliveryError>;
}

/// An email to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailMessage {
    /// The recipient's address.
    pub to: String,
    /// The subject.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
}

/// Sends email.
pub trait EmailSender: Send + Sync {
    /// Sends one message.
    fn send(&self, message: &EmailMessage) -> Result<(), DeliveryError>;
}
