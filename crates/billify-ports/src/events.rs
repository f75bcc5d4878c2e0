//! Live events: what changed in an organisation, for the clients that follow it
//! (`GET /api/v1/events`, the dashboard).
//!
//! [`EventLog`] stores events in an outbox with their organisation, numbered per organisation
//! without gaps in commit order, so a client resuming after the last number it saw (SSE's
//! `Last-Event-ID`) misses nothing that is still within the retention window. [`EventWakeups`]
//! tells a process's streams that an organisation has new events: in-process on SQLite (one
//! process owns the database), through `LISTEN/NOTIFY` on PostgreSQL, so an event published by
//! one server process reaches clients connected to another. A wake-up carries no data: a woken
//! stream reads the log, so a lost or duplicated wake-up never loses or repeats an event.

use std::sync::Weak;

use billify_domain::{OrganisationId, Permission};
use time::OffsetDateTime;

use crate::RepositoryError;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// A bank sync run ended (with or without new transactions).
    SyncFinished,
    /// An invoice was created (by hand, by confirming a draft).
    InvoiceCreated,
    /// An invoice was changed, paid, reopened, marked overdue or deleted.
    InvoiceChanged,
    /// A bank transaction was matched to invoices (by the rules, by hand, by accepting a
    /// suggestion).
    MatchApplied,
    /// A match was undone.
    MatchUndone,
    /// A notification was created for the organisation.
    NotificationCreated,
    /// Something the forecast and the cash position are computed from changed: invoices, bank
    /// transactions, matches.
    ForecastChanged,
}

impl EventKind {
    /// Every kind.
    pub const ALL: [EventKind; 7] = [
        EventKind::SyncFinished,
        EventKind::InvoiceCreated,
        EventKind::InvoiceChanged,
        EventKind::MatchApplied,
        EventKind::MatchUndone,
        EventKind::NotificationCreated,
        EventKind::ForecastChanged,
    ];

    /// The name clients see (the SSE `event:` field), e.g. `invoice.created`.
    pub fn code(self) -> &'static str {
        match self {
            EventKind::SyncFinished => "sync.finished",
            EventKind::InvoiceCreated => "invoice.created",
            EventKind::InvoiceChanged => "invoice.changed",
            EventKind::MatchApplied => "match.applied",
            EventKind::MatchUndone => "match.undone",
            EventKind::NotificationCreated => "notification.created",
            EventKind::ForecastChanged => "forecast.changed",
        }
    }

    /// The kind named `code`.
    pub fn from_code(code: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// How a permission is stored in an event's `audience`, e.g. `read_data`.
pub fn permission_code(permission: Permission) -> &'static str {
    match permission {
        Permission::ReadData => "read_data",
        Permission::WriteInvoices => "write_invoices",
        Permission::ImportBankData => "import_bank_data",
        Permission::ManageMembers => "manage_members",
        Permission::ManageIntegrations => "manage_integrations",
        Permission::ManageOrganisation => "manage_organisation",
        Permission::ReadAudit => "read_audit",
        Permission::ExportData => "export_data",
        Permission::DeleteOrganisation => "delete_organisation",
    }
}

/// The permission stored as `code`.
pub fn permission_from_code(code: &str) -> Option<Permission> {
    Permission::ALL.into_iter().find(|p| permission_code(*p) == code)
}

/// An event to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    /// The organisation it happened in; only its members' streams see it.
    pub organisation_id: OrganisationId,
    /// What happened.
    pub kind: EventKind,
    /// The permission a member needs to see it (checked with `Role::can`).
    pub audience: Permission,
    /// Details, as a JSON object: ids and counts, never more than the audience may read.
    pub data: String,
}

/// A published event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    /// The organisation.
    pub organisation_id: OrganisationId,
    /// Its number within the organisation: 1, 2, 3, ... in commit order, never reused.
    pub id: i64,
    /// What happened.
    pub kind: EventKind,
    /// Who may see it.
    pub audience: Permission,
    /// Details, as a JSON object.
    pub data: String,
    /// When it was published.
    pub created_at: OffsetDateTime,
}

/// The outbox of live events. Every query is scoped by the organisation.
pub trait EventLog: Send + Sync {
    /// Stores an event with the organisation's next number and, once it is committed, wakes
    /// the streams that listen (see [`EventWakeups`]); returns it as stored.
    fn publish(&self, event: &NewEvent, now: OffsetDateTime) -> Result<StoredEvent, RepositoryError>;

    /// The organisation's events numbered after `after`, oldest first, at most `limit`.
    fn events_after(
        &self,
        organisation: OrganisationId,
        after: i64,
        limit: u32,
    ) -> Result<Vec<StoredEvent>, RepositoryError>;

    /// The number of the organisation's last event, or 0 before its first.
    fn last_event_id(&self, organisation: OrganisationId) -> Result<i64, RepositoryError>;

    /// Deletes the events published before `before` (every organisation's); returns how many.
    /// Numbers are never reused: a client resuming from a pruned number finds a gap.
    fn prune_events(&self, before: OffsetDateTime) -> Result<u64, RepositoryError>;
}

/// Told that an organisation has new events. Implemented by the delivery layer's hub.
pub trait EventListener: Send + Sync {
    /// The organisation's events up to `last_id` are committed.
    fn published(&self, organisation: OrganisationId, last_id: i64);

    /// Wake-ups may have been missed (the listening connection was lost and is back): every
    /// stream should read the log again.
    fn resync(&self);
}

/// Delivers wake-ups to listeners.
pub trait EventWakeups: Send + Sync {
    /// Starts telling `listener` about every organisation's new events, published by this
    /// process or (on PostgreSQL) any other, for as long as the listener lives.
    fn listen(&self, listener: Weak<dyn EventListener>) -> Result<(), RepositoryError>;
}
