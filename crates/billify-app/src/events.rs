//! Live events: publishing what changed ([`EventPublisher`], used by the other use cases) and
//! reading it back for a member's stream ([`EventService`], behind `GET /api/v1/events`).
//!
//! An event is published right after the change it reports commits, in its own transaction
//! (one port call is one transaction): a crash in between loses the event, never the change,
//! and a client that reconnects reads the current state anyway. Publishing never fails the use
//! case; a failure is logged.

use std::sync::Arc;

use billify_domain::{Invoice, InvoiceId, OrganisationId, Permission};
use billify_ports::events::{EventKind, EventLog, NewEvent, StoredEvent};
use billify_ports::{Clock, RepositoryError};
use serde_json::json;
use time::Duration;
use uuid::Uuid;

use crate::Actor;

/// How long events are kept for clients to resume from (`Last-Event-ID`).
pub const DEFAULT_RETENTION: Duration = Duration::hours(24);

/// The most events one read returns.
pub const MAX_READ: u32 = 500;

/// Publishes live events on behalf of the use cases. Cheap to clone.
#[derive(Clone)]
pub struct EventPublisher {
    log: Arc<dyn EventLog>,
    clock: Arc<dyn Clock>,
}

impl EventPublisher {
    /// A publisher writing to `log`.
    pub fn new(log: Arc<dyn EventLog>, clock: Arc<dyn Clock>) -> Self {
        EventPublisher { log, clock }
    }

    /// Publishes an event of `kind` that members whose role grants `audience` may see, with
    /// `data` (a JSON object of ids and counts). Returns the stored event, or `None` when it
    /// could not be stored (logged): the change it reports is committed already.
    pub fn publish(
        &self,
        organisation: OrganisationId,
        kind: EventKind,
        audience: Permission,
        data: serde_json::Value,
    ) -> Option<StoredEvent> {
        let event = NewEvent { organisation_id: organisation, kind, audience, data: data.to_string() };
        match self.log.publish(&event, self.clock.now()) {
            Ok(stored) => Some(stored),
            Err(e) => {
                log::warn!("cannot publish the live event {} of {organisation}: {e}", kind.code());
                None
            }
        }
    }

    /// `invoice.created`, then `forecast.changed`.
    pub fn invoice_created(&self, invoice: &Invoice) {
        let data = json!({"invoice_id": invoice.id().to_string(), "version": invoice.version()});
        self.publish(invoice.organisation_id(), EventKind::InvoiceCreated, Permission::ReadData, data);
        self.forecast_changed(invoice.organisation_id(), "invoice");
    }

    /// `invoice.changed` (with `deleted` when it was deleted), then `forecast.changed`.
    pub fn invoice_changed(&self, organisation: OrganisationId, id: InvoiceId, version: Option<i64>) {
        let data = match version {
            Some(version) => json!({"invoice_id": id.to_string(), "version": version}),
            None => json!({"invoice_id": id.to_string(), "deleted": true}),
        };
        self.publish(organisation, EventKind::InvoiceChanged, Permission::ReadData, data);
        self.forecast_changed(organisation, "invoice");
    }

    /// `sync.finished` for a bank integration's run that ended with `outcome`, then
    /// `forecast.changed` (balances and transactions may have moved).
    pub fn sync_finished(&self, organisation: OrganisationId, integration: Uuid, outcome: &str) {
        let data = json!({"integration_id": integration.to_string(), "outcome": outcome});
        self.publish(organisation, EventKind::SyncFinished, Permission::ReadData, data);
        self.forecast_changed(organisation, "bank");
    }

    /// `match.applied` for matches `(match id, transaction id, invoice id)` (at most the first
    /// hundred listed, with the count), then `forecast.changed`.
    pub fn matches_applied(&self, organisation: OrganisationId, matches: &[(Uuid, Uuid, InvoiceId)]) {
        if matches.is_empty() {
            return;
        }
        let listed: Vec<serde_json::Value> = matches
            .iter()
            .take(100)
            .map(|(id, transaction, invoice)| {
                json!({"match_id": id.to_string(), "transaction_id": transaction.to_string(), "invoice_id": invoice.to_string()})
            })
            .collect();
        let data = json!({"count": matches.len(), "matches": listed});
        self.publish(organisation, EventKind::MatchApplied, Permission::ReadData, data);
        self.forecast_changed(organisation, "match");
    }

    /// `match.undone`, then `forecast.changed`.
    pub fn match_undone(&self, organisation: OrganisationId, id: Uuid, transaction: Uuid, invoice: InvoiceId) {
        let data = json!({"match_id": id.to_string(), "transaction_id": transaction.to_string(), "invoice_id": invoice.to_string()});
        self.publish(organisation, EventKind::MatchUndone, Permission::ReadData, data);
        self.forecast_changed(organisation, "match");
    }

    /// `forecast.changed`: an input of the forecast and the cash position changed (`cause`:
    /// `invoice`, `bank` or `match`).
    pub fn forecast_changed(&self, organisation: OrganisationId, cause: &str) {
        self.publish(organisation, EventKind::ForecastChanged, Permission::ReadData, json!({"cause": cause}));
    }

    /// `notification.created`: the entry point of the notifications use case. `kind` is the
    /// notification's kind (e.g. `payable_due`); only members whose role grants `audience` see
    /// the event, so a notification meant for administrators reaches no viewer's stream.
    pub fn notification_created(
        &self,
        organisation: OrganisationId,
        notification: Uuid,
        kind: &str,
        audience: Permission,
    ) -> Option<StoredEvent> {
        let data = json!({"notification_id": notification.to_string(), "kind": kind});
        self.publish(organisation, EventKind::NotificationCreated, audience, data)
    }
}

/// Why reading events failed.
#[derive(Debug, thiserror::Error)]
pub enum EventError {
    /// The actor's role may not read the organisation's data.
    #[error("your role does not allow reading events")]
    Forbidden,
    /// Storage failed.
    #[error(transparent)]
    Repository(#[from] RepositoryError),
}

/// What one read of a member's stream found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventBatch {
    /// The events after the cursor that the member may see, oldest first.
    pub events: Vec<StoredEvent>,
    /// The cursor to read from next: the last event read, seen or not.
    pub next: i64,
    /// Events after the cursor up to this number are gone (pruned, older than the retention
    /// window), or the cursor was never valid: the client should reload what it shows.
    pub reset_to: Option<i64>,
    /// More events wait after `next`.
    pub more: bool,
}

/// Reading live events for a member's stream, and pruning them.
pub struct EventService {
    log: Arc<dyn EventLog>,
    clock: Arc<dyn Clock>,
    retention: Duration,
}

impl EventService {
    /// Wires the service; events are kept for `retention`.
    pub fn new(log: Arc<dyn EventLog>, clock: Arc<dyn Clock>, retention: Duration) -> Self {
        EventService { log, clock, retention }
    }

    /// A publisher to the same log.
    pub fn publisher(&self) -> EventPublisher {
        EventPublisher::new(self.log.clone(), self.clock.clone())
    }

    /// The number of the actor's organisation's last event: where a new stream starts.
    pub fn last_event_id(&self, actor: &Actor) -> Result<i64, EventError> {
        require_reader(actor)?;
        Ok(self.log.last_event_id(actor.organisation_id)?)
    }

    /// The events of the actor's organisation after `after` that the actor's role may see (at
    /// most [`MAX_READ`] read).
    pub fn events_after(&self, actor: &Actor, after: i64) -> Result<EventBatch, EventError> {
        require_reader(actor)?;
        let organisation = actor.organisation_id;
        let after = after.max(0);
        let read = self.log.events_after(organisation, after, MAX_READ)?;
        let more = read.len() >= MAX_READ as usize;
        let (next, reset_to) = match (read.first(), read.last()) {
            (Some(first), Some(last)) => (last.id, (first.id > after + 1).then_some(first.id - 1)),
            _ => {
                let last = self.log.last_event_id(organisation)?;
                // Nothing after the cursor: either it is current, or what followed it was pruned,
                // or it is ahead of every event (not a number this organisation gave).
                (last, (last != after).then_some(last))
            }
        };
        let events = read.into_iter().filter(|e| actor.role.can(e.audience)).collect();
        Ok(EventBatch { events, next, reset_to, more })
    }

    /// Deletes events older than the retention window; returns how many.
    pub fn prune(&self) -> Result<u64, EventError> {
        Ok(self.log.prune_events(self.clock.now() - self.retention)?)
    }

    /// How long events are kept.
    pub fn retention(&self) -> Duration {
        self.retention
    }
}

fn require_reader(actor: &Actor) -> Result<(), EventError> {
    if actor.role.can(Permission::ReadData) { Ok(()) } else { Err(EventError::Forbidden) }
}
