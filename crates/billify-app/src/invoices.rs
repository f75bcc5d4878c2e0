//! Creating, reading, changing and deleting invoices, and the daily overdue transition.

use std::sync::Arc;

use billify_domain::{Invoice, InvoiceError, InvoiceEvent, InvoiceId, InvoicePatch, Money, NewInvoice};
use uuid::Uuid;

use super::Actor;
use super::audit::{entry, invoice_state, invoice_target};
use crate::input::InvoiceChanges;
use billify_ports::audit::AuditAction;
use billify_ports::jobs::JobQueue;
use billify_ports::{
    AccountRepository, Clock, InvoicePage, InvoiceQuery, InvoiceRepository, RepositoryError, StoredInvoiceEvent,
};

/// Why an invoice use case failed.
#[derive(Debug, thiserror::Error)]
pub enum InvoiceServiceError {
    /// No such invoice in the actor's organisation.
    #[error("invoice not found")]
    NotFound,
    /// The actor's role does not allow this.
    #[error("your role does not allow changing invoices")]
    Forbidden,
    /// The change breaks an invoice rule.
    #[error(transparent)]
    Invalid(#[from] InvoiceError),
    /// Another invoice has the same direction, counterparty and number.
    #[error("duplicate invoice: {0}")]
    Duplicate(String),
    /// The invoice changed since the caller read it.
    #[error("the invoice was changed by someone else; it is now at version {current}")]
    StaleVersion {
        /// The current version.
        current: i64,
    },
    /// The request's fields do not parse (each problem names its field).
    #[error("the request has invalid fields")]
    Fields(Vec<crate::input::FieldProblem>),
    /// Storage failed.
    #[error(transparent)]
    Repository(RepositoryError),
}

impl From<RepositoryError> for InvoiceServiceError {
    fn from(e: RepositoryError) -> Self {
        match e {
            RepositoryError::NotFound => InvoiceServiceError::NotFound,
            RepositoryError::Conflict(what) => InvoiceServiceError::Duplicate(what),
            RepositoryError::StaleVersion { current } => InvoiceServiceError::StaleVersion { current },
            other => InvoiceServiceError::Repository(other),
        }
    }
}

/// The ports the invoice use cases need.
pub struct InvoicePorts {
    /// Invoices and their events; every change is stored with its audit entry, in one
    /// transaction.
    pub invoices: Arc<dyn InvoiceRepository>,
    /// Organisations (for the own party and settings).
    pub accounts: Arc<dyn AccountRepository>,
    /// The job queue a new invoice queues reconciliation on (it may be what an earlier bank
    /// transaction paid).
    pub jobs: Arc<dyn JobQueue>,
    /// The time.
    pub clock: Arc<dyn Clock>,
    /// Live events (`invoice.created`, `invoice.changed`, `forecast.changed`).
    pub events: Arc<dyn billify_ports::EventLog>,
}

/// Invoice use cases.
pub struct InvoiceService {
    invoices: Arc<dyn InvoiceRepository>,
    accounts: Arc<dyn AccountRepository>,
    jobs: Arc<dyn JobQueue>,
    clock: Arc<dyn Clock>,
    events: crate::events::EventPublisher,
}

fn require_editor(actor: &Actor) -> Result<(), InvoiceServiceError> {
    if actor.role.can(billify_domain::Permission::WriteInvoices) { Ok(()) } else { Err(InvoiceServiceError::Forbidden) }
}

impl InvoiceService {
    /// Wires the service to its ports.
    pub fn new(ports: InvoicePorts) -> Self {
        let InvoicePorts { invoices, accounts, jobs, clock, events } = ports;
        let events = crate::events::EventPublisher::new(events, clock.clone());
        InvoiceService { invoices, accounts, jobs, clock, events }
    }

    /// The clock the service uses.
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// The actor's organisation's local date, which urgency is computed against (its calendar
    /// read at most once per [`crate::calendar::CALENDAR_CACHE_TTL`]).
    pub fn today(&self, actor: &Actor) -> Result<time::Date, InvoiceServiceError> {
        Ok(crate::calendar::today_cached(self.accounts.as_ref(), self.clock.as_ref(), actor.organisation_id)?)
    }

    /// Creates an invoice in the actor's organisation.
    pub fn create(&self, actor: &Actor, new: NewInvoice) -> Result<Invoice, InvoiceServiceError> {
        require_editor(actor)?;
        if let Some(corrected) = new.corrects
            && self.invoices.get(actor.organisation_id, corrected)?.is_none()
        {
            return Err(InvoiceServiceError::Invalid(InvoiceError::Invalid(billify_domain::ParseError {
                kind: "corrects_invoice_id",
                message: "no such invoice in this organisation".into(),
            })));
        }
        let (invoice, events) = Invoice::create(
            InvoiceId::from_uuid(Uuid::now_v7()),
            actor.organisation_id,
            new,
            self.clock.now(),
            self.today(actor)?,
        )?;
        let state = Some(invoice_state(&invoice));
        let record = entry(actor, AuditAction::InvoiceCreated, invoice_target(&invoice), self.clock.now(), None, state);
        self.invoices.insert_audited(&invoice, &events, &record)?;
        self.events.invoice_created(&invoice);
        crate::reconciliation::queue_after_new_invoice(self.jobs.as_ref(), actor.organisation_id, self.clock.now());
        self.read_back(invoice)
    }

    /// Stores many new invoices at once, in one transaction written in multi-row statements (a
    /// batch held in memory; `billify seed` streams its load through
    /// [`InvoiceService::import_bulk`] instead). Unlike
    /// [`InvoiceService::create`] it records no audit entry or live event per invoice (a bulk
    /// load is not a person's change) and does not check credit-note links; it queues one
    /// reconciliation run. Returns how many were stored.
    pub fn import_many(&self, actor: &Actor, batch: Vec<NewInvoice>) -> Result<usize, InvoiceServiceError> {
        require_editor(actor)?;
        let (now, today) = (self.clock.now(), self.today(actor)?);
        let created = batch
            .into_iter()
            .map(|new| Invoice::create(InvoiceId::from_uuid(Uuid::now_v7()), actor.organisation_id, new, now, today))
            .collect::<Result<Vec<_>, _>>()?;
        self.invoices.insert_many(&created)?;
        crate::reconciliation::queue_after_new_invoice(self.jobs.as_ref(), actor.organisation_id, now);
        Ok(created.len())
    }

    /// Stores new invoices of the actor's organisation as one bulk load: one transaction for all
    /// of them, taken from `batches` a batch at a time (each batch is asked for once the ones
    /// before it are written, so the caller can count progress there). Like
    /// [`InvoiceService::import_many`] it records no audit entry or live event per invoice and
    /// does not check credit-note links; the store brings the kept sums and the search index up
    /// to date once for the whole load. Queues one reconciliation run. Returns how many were
    /// stored; on any error none is: an invalid invoice, or an `Err` from `batches` (which comes
    /// back as [`InvoiceServiceError::Repository`] with [`RepositoryError::Other`]).
    pub fn import_bulk(
        &self,
        actor: &Actor,
        batches: impl Iterator<Item = Result<Vec<NewInvoice>, Box<dyn std::error::Error + Send + Sync>>>,
    ) -> Result<usize, InvoiceServiceError> {
        require_editor(actor)?;
        let (now, today) = (self.clock.now(), self.today(actor)?);
        let organisation = actor.organisation_id;
        let mut invalid = None;
        let mut created = batches.map(|batch| {
            batch
                .map_err(RepositoryError::Other)?
                .into_iter()
                .map(|new| Invoice::create(InvoiceId::from_uuid(Uuid::now_v7()), organisation, new, now, today))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| {
                    invalid = Some(e);
                    RepositoryError::Other("an invoice of the bulk load breaks an invoice rule".into())
                })
        });
        let stored = self.invoices.insert_bulk(organisation, &mut created);
        drop(created);
        if let Some(e) = invalid {
            return Err(e.into());
        }
        let stored = stored?;
        crate::reconciliation::queue_after_new_invoice(self.jobs.as_ref(), organisation, now);
        Ok(stored)
    }

    /// Refreshes the planner's statistics after bulk writes ([`InvoiceService::import_many`],
    /// [`InvoiceService::import_bulk`]).
    pub fn refresh_statistics(&self) -> Result<(), InvoiceServiceError> {
        Ok(self.invoices.refresh_statistics()?)
    }

    /// One invoice of the actor's organisation.
    pub fn get(&self, actor: &Actor, id: InvoiceId) -> Result<Invoice, InvoiceServiceError> {
        self.invoices.get(actor.organisation_id, id)?.ok_or(InvoiceServiceError::NotFound)
    }

    /// A page of the actor's organisation's invoices.
    pub fn list(&self, actor: &Actor, query: &InvoiceQuery) -> Result<InvoicePage, InvoiceServiceError> {
        Ok(self.invoices.list(actor.organisation_id, query)?)
    }

    /// Applies a change if the invoice is still at `expected_version`.
    pub fn update(
        &self,
        actor: &Actor,
        id: InvoiceId,
        expected_version: i64,
        patch: InvoicePatch,
    ) -> Result<Invoice, InvoiceServiceError> {
        self.change(actor, id, expected_version, AuditAction::InvoiceUpdated, |invoice, now, today| {
            Ok(invoice.apply(patch, now, today)?)
        })
    }

    /// Applies a request's changes (text, amounts in the invoice's currency) if the invoice is
    /// still at `expected_version`: one call reads, parses, changes and stores.
    pub fn update_fields(
        &self,
        actor: &Actor,
        id: InvoiceId,
        expected_version: i64,
        changes: InvoiceChanges,
    ) -> Result<Invoice, InvoiceServiceError> {
        self.change(actor, id, expected_version, AuditAction::InvoiceUpdated, |invoice, now, today| {
            let patch = changes.parse(invoice.currency()).map_err(InvoiceServiceError::Fields)?;
            Ok(invoice.apply(patch, now, today)?)
        })
    }

    /// Records a payment of `amount` (text, in the invoice's currency; a problem names the field
    /// `amount`); without an amount, pays what is still open.
    pub fn record_payment(
        &self,
        actor: &Actor,
        id: InvoiceId,
        expected_version: i64,
        amount: Option<&str>,
    ) -> Result<Invoice, InvoiceServiceError> {
        self.change(actor, id, expected_version, AuditAction::InvoicePaid, |invoice, now, today| match amount {
            Some(text) => {
                let amount = Money::parse(text, invoice.currency()).map_err(|e| {
                    InvoiceServiceError::Fields(vec![crate::input::FieldProblem {
                        field: "amount".into(),
                        message: e.to_string(),
                    }])
                })?;
                Ok(invoice.record_payment(&amount, now, today)?)
            }
            None => Ok(invoice.mark_paid(now, today)?),
        })
    }

    /// Reopens a paid invoice, with the reason recorded in its events.
    pub fn reopen(
        &self,
        actor: &Actor,
        id: InvoiceId,
        expected_version: i64,
        reason: &str,
    ) -> Result<Invoice, InvoiceServiceError> {
        self.change(actor, id, expected_version, AuditAction::InvoiceReopened, |invoice, now, today| {
            Ok(invoice.reopen(reason, now, today)?)
        })
    }

    fn change(
        &self,
        actor: &Actor,
        id: InvoiceId,
        expected_version: i64,
        action: AuditAction,
        f: impl FnOnce(&mut Invoice, time::OffsetDateTime, time::Date) -> Result<Vec<InvoiceEvent>, InvoiceServiceError>,
    ) -> Result<Invoice, InvoiceServiceError> {
        require_editor(actor)?;
        let mut invoice = self.get(actor, id)?;
        if invoice.version() != expected_version {
            return Err(InvoiceServiceError::StaleVersion { current: invoice.version() });
        }
        let now = self.clock.now();
        let before = invoice_state(&invoice);
        let events = f(&mut invoice, now, self.today(actor)?)?;
        if events.is_empty() {
            return Ok(invoice);
        }
        invoice.advance_version(now);
        let after = invoice_state(&invoice);
        let record = entry(actor, action, invoice_target(&invoice), now, Some(before), Some(after));
        self.invoices.update_audited(&invoice, &events, &record)?;
        self.events.invoice_changed(actor.organisation_id, invoice.id(), Some(invoice.version()));
        self.read_back(invoice)
    }

    /// The invoice as stored, with what credit notes settle of it (which depends on the other
    /// documents); the invoice as written if it is gone meanwhile.
    fn read_back(&self, invoice: Invoice) -> Result<Invoice, InvoiceServiceError> {
        Ok(self.invoices.get(invoice.organisation_id(), invoice.id())?.unwrap_or(invoice))
    }

    /// Deletes an invoice; with `expected_version`, only if unchanged since read.
    pub fn delete(
        &self,
        actor: &Actor,
        id: InvoiceId,
        expected_version: Option<i64>,
    ) -> Result<(), InvoiceServiceError> {
        require_editor(actor)?;
        let invoice = self.get(actor, id)?;
        let now = self.clock.now();
        let event = invoice.deletion_event(now);
        let before = Some(invoice_state(&invoice));
        let record = entry(actor, AuditAction::InvoiceDeleted, invoice_target(&invoice), now, before, None);
        self.invoices.delete_audited(actor.organisation_id, id, expected_version, &[event], &record)?;
        self.events.invoice_changed(actor.organisation_id, id, None);
        Ok(())
    }

    /// The events of one invoice of the actor's organisation.
    pub fn events(&self, actor: &Actor, id: InvoiceId) -> Result<Vec<StoredInvoiceEvent>, InvoiceServiceError> {
        Ok(self.invoices.events(actor.organisation_id, id)?)
    }

    /// The daily transition: every pending invoice past its due date becomes overdue, one
    /// organisation at a time. Safe to run often and from several processes: a concurrent
    /// change makes the stale update fail harmlessly and the next run picks the invoice up.
    /// Returns how many invoices became overdue.
    pub fn mark_overdue_invoices(&self) -> Result<usize, InvoiceServiceError> {
        const BATCH: u32 = 500;
        let mut changed = 0;
        let mut after = None;
        loop {
            let organisations = self.accounts.organisation_ids(after, BATCH)?;
            let Some(last) = organisations.last().copied() else { break };
            for organisation in organisations {
                // Each organisation's day turns at its own midnight.
                let today = match crate::calendar::today_of(self.accounts.as_ref(), self.clock.as_ref(), organisation) {
                    Ok(today) => today,
                    Err(RepositoryError::NotFound) => continue,
                    Err(e) => return Err(e.into()),
                };
                let mut became_overdue = 0;
                loop {
                    let batch = self.invoices.pending_past_due(organisation, today, BATCH)?;
                    let batch_len = batch.len();
                    let mut progressed = 0;
                    for mut invoice in batch {
                        let now = self.clock.now();
                        let events = invoice.refresh_status(now, today);
                        if events.is_empty() {
                            continue;
                        }
                        invoice.advance_version(now);
                        match self.invoices.update(&invoice, &events) {
                            Ok(()) => {
                                progressed += 1;
                                let data = serde_json::json!({"invoice_id": invoice.id().to_string(), "version": invoice.version()});
                                self.events.publish(
                                    organisation,
                                    billify_ports::EventKind::InvoiceChanged,
                                    billify_domain::Permission::ReadData,
                                    data,
                                );
                            }
                            Err(RepositoryError::StaleVersion { .. } | RepositoryError::NotFound) => {}
                            Err(e) => return Err(e.into()),
                        }
                    }
                    changed += progressed;
                    became_overdue += progressed;
                    if batch_len < BATCH as usize || progressed == 0 {
                        break;
                    }
                }
                if became_overdue > 0 {
                    self.events.forecast_changed(organisation, "invoice");
                }
            }
            after = Some(last);
        }
        if changed > 0 {
            log::info!("{changed} invoices became overdue");
        }
        Ok(changed)
    }
}
