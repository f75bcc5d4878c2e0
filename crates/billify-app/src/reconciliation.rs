//! Reconciliation: bank transactions close the invoices they pay.
//!
//! The rules ([`billify_domain::reconcile`]) run over the transactions the rules have not yet
//! looked at, after every bank sync and statement import and on demand, always as a job on the
//! durable job queue: one job per organisation at a time (the queue keys it), and each batch
//! claims its transactions when it is stored, so two processes never match one transaction twice.
//! Applied matches record payments through the invoice entity (its events and status), and each
//! is audited. People decide suggestions, match by hand and undo matches.

use std::collections::HashMap;
use std::sync::Arc;

use billify_domain::{
    AllocationError, Candidate, Invoice, InvoiceError, InvoiceEvent, InvoiceId, InvoicePatch, MatchExplanation,
    MatchSettings, Money, OpenItem, OrganisationId, PaymentFacts, Permission, reconcile::check_allocation,
};
use billify_ports::audit::{AuditAction, AuditTarget, NewAuditEntry};
use billify_ports::jobs::{Job, JobQueue, NewJob};
use billify_ports::reconciliation::{
    ReconciliationOutcome, ReconciliationRepository, StoredMatch, StoredSuggestion, SuggestionDecision,
    SuggestionStatus, TransactionBalance,
};
use billify_ports::{Clock, InvoiceRepository, RepositoryError};
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use super::Actor;
use super::audit::invoice_state;

/// The job kind of a reconciliation run.
pub const RECONCILE_JOB: &str = "reconciliation.run";

/// How many transactions one stored step of a run takes.
const BATCH: u32 = 1000;

/// Invoices compared with the unmatched transactions in one pass over them (about 16 bytes
/// each in memory).
const RECHECK_INVOICES: usize = 100_000;

/// How many invoices paid by a run one audit entry names.
const AUDIT_GROUP: usize = 100;

/// Why a reconciliation use case failed.
#[derive(Debug, thiserror::Error)]
pub enum ReconciliationError {
    /// The actor's role does not allow this.
    #[error("your role does not allow reconciling")]
    Forbidden,
    /// An id names nothing in the actor's organisation; `field` is the input at fault.
    #[error("{field}: not found")]
    NotFound {
        /// The input at fault.
        field: String,
    },
    /// The input breaks a rule; `field` is the input at fault.
    #[error("{field}: {message}")]
    Invalid {
        /// The input at fault.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The state changed meanwhile (already decided, already undone, matched elsewhere).
    #[error("{0}")]
    Conflict(String),
    /// Storage failed.
    #[error(transparent)]
    Repository(RepositoryError),
}

impl From<RepositoryError> for ReconciliationError {
    fn from(e: RepositoryError) -> Self {
        match e {
            RepositoryError::Conflict(what) => ReconciliationError::Conflict(what),
            RepositoryError::StaleVersion { .. } => {
                ReconciliationError::Conflict("an invoice changed meanwhile; try again".to_owned())
            }
            other => ReconciliationError::Repository(other),
        }
    }
}

impl From<AllocationError> for ReconciliationError {
    fn from(e: AllocationError) -> Self {
        let field = e.field().to_owned();
        let message = e.to_string();
        let message = message.strip_prefix(&format!("{field}: ")).unwrap_or(&message).to_owned();
        ReconciliationError::Invalid { field, message }
    }
}

fn invalid(field: impl Into<String>, e: InvoiceError) -> ReconciliationError {
    ReconciliationError::Invalid { field: field.into(), message: e.to_string() }
}

/// What a run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunSummary {
    /// Transactions the rules looked at for the first time.
    pub transactions: u32,
    /// Transactions left unmatched earlier, compared again with invoices stored since.
    pub rechecked: u32,
    /// Matches applied.
    pub matches: u32,
    /// Invoices that became fully paid.
    pub invoices_paid: u32,
    /// Suggestions made.
    pub suggestions: u32,
    /// Matches that flagged an over-payment.
    pub overpayments: u32,
}

/// A suggestion with what a person needs to decide it.
#[derive(Debug, Clone)]
pub struct SuggestionView {
    /// The suggestion.
    pub suggestion: StoredSuggestion,
    /// Its transaction and how much of it is matched.
    pub transaction: TransactionBalance,
    /// The candidate invoices that still exist, in the suggestion's order.
    pub invoices: Vec<Invoice>,
}

/// A match with what a person needs to read it: its transaction and its invoice.
#[derive(Debug, Clone)]
pub struct MatchView {
    /// The match, with its explanation.
    pub stored: StoredMatch,
    /// Its transaction and how much of it is matched.
    pub transaction: Option<TransactionBalance>,
    /// The invoice it paid, while it exists.
    pub invoice: Option<Invoice>,
}

/// One part of a manual match: an invoice and the amount of the transaction it receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManualPart {
    /// The invoice.
    pub invoice_id: InvoiceId,
    /// The amount as decimal text (`"120.50"`), in the transaction's currency.
    pub amount: String,
}

/// The wiring of a [`ReconciliationService`].
pub struct ReconciliationPorts {
    /// Matches, suggestions and the transactions to look at; every change is stored with its
    /// audit entries (matches, undos, decisions), in one transaction.
    pub reconciliation: Arc<dyn ReconciliationRepository>,
    /// Invoices.
    pub invoices: Arc<dyn InvoiceRepository>,
    /// The job queue runs are queued on.
    pub jobs: Arc<dyn JobQueue>,
    /// Organisations, for their calendar (today is the organisation's local date).
    pub accounts: Arc<dyn billify_ports::AccountRepository>,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// Live events (`match.applied`, `match.undone`, `forecast.changed`).
    pub events: Arc<dyn billify_ports::EventLog>,
}

/// Reconciliation use cases.
pub struct ReconciliationService {
    repo: Arc<dyn ReconciliationRepository>,
    invoices: Arc<dyn InvoiceRepository>,
    jobs: Arc<dyn JobQueue>,
    accounts: Arc<dyn billify_ports::AccountRepository>,
    clock: Arc<dyn Clock>,
    settings: MatchSettings,
    events: crate::events::EventPublisher,
}

/// Queues a reconciliation run for the organisation unless one is already queued or running;
/// returns whether it was queued. Called after syncs and imports.
pub fn queue_run(
    jobs: &dyn JobQueue,
    organisation: OrganisationId,
    now: OffsetDateTime,
) -> Result<bool, RepositoryError> {
    jobs.enqueue(
        &NewJob {
            organisation_id: organisation,
            kind: RECONCILE_JOB.to_owned(),
            key: "all".to_owned(),
            payload: "{}".to_owned(),
            run_at: now,
        },
        now,
    )
}

/// Queues a run after an invoice was stored (created, confirmed from a draft, imported): the
/// run compares it with the bank transactions left unmatched. A failure to queue is logged, not
/// returned: the invoice stays marked as not yet compared, and the next run compares it.
pub fn queue_after_new_invoice(jobs: &dyn JobQueue, organisation: OrganisationId, now: OffsetDateTime) {
    if let Err(e) = queue_run(jobs, organisation, now) {
        log::warn!("cannot queue the reconciliation of {organisation}: {e}");
    }
}

fn require(actor: &Actor, permission: Permission) -> Result<(), ReconciliationError> {
    if actor.role.can(permission) { Ok(()) } else { Err(ReconciliationError::Forbidden) }
}

/// Invoices changed by one stored step: each loaded once, advanced one version, with its events
/// and its state before, for the audit trail.
#[derive(Default)]
struct Touched {
    order: Vec<InvoiceId>,
    invoices: HashMap<InvoiceId, (Invoice, Vec<InvoiceEvent>, serde_json::Value)>,
}

impl Touched {
    /// Takes invoices loaded in one read, so paying them needs no read of its own.
    fn preload(&mut self, invoices: Vec<Invoice>, now: OffsetDateTime) {
        for mut invoice in invoices {
            let id = invoice.id();
            if self.invoices.contains_key(&id) {
                continue;
            }
            let before = invoice_state(&invoice);
            invoice.advance_version(now);
            self.order.push(id);
            self.invoices.insert(id, (invoice, Vec::new(), before));
        }
    }

    fn pay(
        &mut self,
        invoices: &dyn InvoiceRepository,
        organisation: OrganisationId,
        id: InvoiceId,
        amount: &Money,
        now: OffsetDateTime,
        today: time::Date,
    ) -> Result<(), ReconciliationError> {
        if !self.invoices.contains_key(&id) {
            let mut invoice = invoices
                .get(organisation, id)?
                .ok_or_else(|| ReconciliationError::NotFound { field: "invoice_id".to_owned() })?;
            let before = invoice_state(&invoice);
            invoice.advance_version(now);
            self.order.push(id);
            self.invoices.insert(id, (invoice, Vec::new(), before));
        }
        if let Some((invoice, events, _)) = self.invoices.get_mut(&id) {
            let new_events = invoice.record_payment(amount, now, today).map_err(|e| invalid("amount", e))?;
            events.extend(new_events);
        }
        Ok(())
    }

    fn into_parts(mut self) -> Vec<(Invoice, Vec<InvoiceEvent>, serde_json::Value)> {
        self.order.iter().filter_map(|id| self.invoices.remove(id)).collect()
    }
}

fn money(minor: i64, like: &Money) -> Result<Money, ReconciliationError> {
    Money::from_minor_units(minor, like.currency())
        .map_err(|e| ReconciliationError::Invalid { field: "amount".to_owned(), message: e.to_string() })
}

impl ReconciliationService {
    /// Wires the service with the default rule settings.
    pub fn new(ports: ReconciliationPorts) -> Self {
        ReconciliationService {
            repo: ports.reconciliation,
            invoices: ports.invoices,
            jobs: ports.jobs,
            accounts: ports.accounts,
            events: crate::events::EventPublisher::new(ports.events, ports.clock.clone()),
            clock: ports.clock,
            settings: MatchSettings::default(),
        }
    }

    /// Uses these rule settings (amount tolerance, date window).
    pub fn with_settings(mut self, settings: MatchSettings) -> Self {
        self.settings = settings;
        self
    }

    /// Queues a run for the actor's organisation (`POST /reconciliation/run`); returns whether
    /// a job was queued (`false`: one is already queued or running and will see the same data).
    pub fn request_run(&self, actor: &Actor) -> Result<bool, ReconciliationError> {
        require(actor, Permission::WriteInvoices)?;
        Ok(queue_run(self.jobs.as_ref(), actor.organisation_id, self.clock.now())?)
    }

    /// Runs a claimed reconciliation job.
    pub fn run_job(&self, job: &Job) -> Result<RunSummary, ReconciliationError> {
        self.run(job.organisation_id)
    }

    /// Stores an outcome with the touched invoices and audits each invoice's payment; returns
    /// how many invoices became paid.
    fn store(
        &self,
        organisation: OrganisationId,
        mut outcome: ReconciliationOutcome,
        touched: Touched,
        actor: Option<&Actor>,
        now: OffsetDateTime,
    ) -> Result<u32, ReconciliationError> {
        let parts = touched.into_parts();
        let mut audits = Vec::new();
        let mut paid = 0;
        if actor.is_none() {
            // A run of the rules: one audit entry per hundred invoices it paid, each naming the
            // invoices with their state before and after and the matches that paid them.
            for chunk in parts.chunks(AUDIT_GROUP) {
                let invoices: Vec<serde_json::Value> = chunk
                    .iter()
                    .map(|(invoice, _, before)| {
                        json!({
                            "invoice_id": invoice.id().to_string(),
                            "before": before,
                            "after": invoice_state(invoice),
                            "matches": outcome.matches.iter().filter(|m| m.invoice_id == invoice.id()).map(|m| json!({
                                "match_id": m.id.to_string(),
                                "transaction_id": m.transaction_id.to_string(),
                                "amount": m.amount.to_plain_string(),
                                "overpayment": m.overpayment.to_plain_string(),
                                "rule": m.explanation.rule.code(),
                                "score": m.explanation.score,
                            })).collect::<Vec<_>>(),
                        })
                    })
                    .collect();
                audits.push(NewAuditEntry {
                    organisation_id: Some(organisation),
                    actor: None,
                    action: AuditAction::PaymentMatched,
                    target: AuditTarget::new("reconciliation_run", Uuid::now_v7()),
                    occurred_at: now,
                    ip: None,
                    before: None,
                    after: Some(json!({ "invoices": invoices })),
                });
            }
        }
        for (invoice, events, before) in parts {
            paid += u32::from(!invoice.status().is_open());
            let matches: Vec<serde_json::Value> = outcome
                .matches
                .iter()
                .filter(|m| m.invoice_id == invoice.id())
                .map(|m| {
                    json!({
                        "match_id": m.id.to_string(),
                        "transaction_id": m.transaction_id.to_string(),
                        "amount": m.amount.to_plain_string(),
                        "rule": m.explanation.rule.code(),
                    })
                })
                .collect();
            if actor.is_none() {
                outcome.invoices.push((invoice, events));
                continue;
            }
            let mut after = invoice_state(&invoice);
            after["matches"] = json!(matches);
            audits.push(NewAuditEntry {
                organisation_id: Some(organisation),
                actor: actor.map(|a| a.user_id),
                action: AuditAction::PaymentMatched,
                target: AuditTarget::new("invoice", invoice.id()),
                occurred_at: now,
                ip: actor.and_then(|a| a.ip),
                before: Some(before),
                after: Some(after),
            });
            outcome.invoices.push((invoice, events));
        }
        // The entries are stored with the outcome, in its transaction.
        outcome.audit.extend(audits);
        self.repo.save_outcome(organisation, &outcome, now)?;
        let applied: Vec<(Uuid, Uuid, InvoiceId)> =
            outcome.matches.iter().map(|m| (m.id, m.transaction_id, m.invoice_id)).collect();
        self.events.matches_applied(organisation, &applied);
        Ok(paid)
    }

    /// Pending suggestions with their transactions and candidate invoices, oldest first.
    pub fn suggestions(&self, actor: &Actor, limit: u32) -> Result<Vec<SuggestionView>, ReconciliationError> {
        require(actor, Permission::ReadData)?;
        let organisation = actor.organisation_id;
        let mut views = Vec::new();
        for suggestion in self.repo.suggestions(organisation, SuggestionStatus::Pending, limit.clamp(1, 200))? {
            let Some(transaction) = self.repo.transaction_balance(organisation, suggestion.transaction_id)? else {
                continue;
            };
            let mut invoices = Vec::new();
            for candidate in &suggestion.candidates {
                if let Some(invoice) = self.invoices.get(organisation, candidate.invoice_id)? {
                    invoices.push(invoice);
                }
            }
            views.push(SuggestionView { suggestion, transaction, invoices });
        }
        Ok(views)
    }

    fn pending_suggestion(&self, actor: &Actor, id: Uuid) -> Result<StoredSuggestion, ReconciliationError> {
        let suggestion = self
            .repo
            .get_suggestion(actor.organisation_id, id)?
            .ok_or_else(|| ReconciliationError::NotFound { field: "id".to_owned() })?;
        if suggestion.status != SuggestionStatus::Pending {
            return Err(ReconciliationError::Conflict(format!(
                "the suggestion was already {}",
                suggestion.status.code()
            )));
        }
        Ok(suggestion)
    }

    fn balance(&self, actor: &Actor, transaction: Uuid) -> Result<TransactionBalance, ReconciliationError> {
        self.repo
            .transaction_balance(actor.organisation_id, transaction)?
            .ok_or_else(|| ReconciliationError::NotFound { field: "transaction_id".to_owned() })
    }

    fn open_item(&self, actor: &Actor, id: InvoiceId, field: &str) -> Result<(Invoice, OpenItem), ReconciliationError> {
        let invoice = self
            .invoices
            .get(actor.organisation_id, id)?
            .ok_or_else(|| ReconciliationError::NotFound { field: field.to_owned() })?;
        let item = OpenItem::from_invoice(&invoice).ok_or_else(|| ReconciliationError::Invalid {
            field: field.to_owned(),
            message: "the invoice is already fully paid".to_owned(),
        })?;
        Ok((invoice, item))
    }

    /// Accepts a suggestion with the invoices a person chose among its candidates: the
    /// transaction's unmatched amount pays them in the order given, each up to what it has open;
    /// what is left over is flagged as an over-payment on the last match.
    pub fn accept(
        &self,
        actor: &Actor,
        id: Uuid,
        chosen: &[InvoiceId],
    ) -> Result<Vec<StoredMatch>, ReconciliationError> {
        require(actor, Permission::WriteInvoices)?;
        let suggestion = self.pending_suggestion(actor, id)?;
        if chosen.is_empty() {
            return Err(ReconciliationError::Invalid {
                field: "invoice_ids".to_owned(),
                message: "choose at least one of the candidate invoices".to_owned(),
            });
        }
        let balance = self.balance(actor, suggestion.transaction_id)?;
        let facts = PaymentFacts::from_transaction(&balance.transaction.transaction).ok_or_else(|| {
            ReconciliationError::Invalid { field: "transaction_id".to_owned(), message: "amount out of range".into() }
        })?;
        let mut left = balance.remaining_minor();
        let mut parts: Vec<(OpenItem, i64, MatchExplanation)> = Vec::new();
        for (n, invoice_id) in chosen.iter().enumerate() {
            let field = format!("invoice_ids[{n}]");
            let candidate: &Candidate =
                suggestion.candidates.iter().find(|c| c.invoice_id == *invoice_id).ok_or_else(|| {
                    ReconciliationError::Invalid {
                        field: field.clone(),
                        message: "the invoice is not one of the suggestion's candidates".to_owned(),
                    }
                })?;
            let (_, item) = self.open_item(actor, *invoice_id, &field)?;
            let part = left.min(item.open_minor);
            left -= part;
            if part == 0 {
                return Err(ReconciliationError::Invalid {
                    field,
                    message: "nothing of the transaction is left for this invoice".to_owned(),
                });
            }
            parts.push((item, part, candidate.explanation.clone()));
        }
        let refs: Vec<(&OpenItem, i64)> = parts.iter().map(|(i, a, _)| (i, *a)).collect();
        check_allocation(&facts, balance.remaining_minor(), &refs).map_err(|e| {
            ReconciliationError::from(e).renamed(|f| {
                f.replace("invoices[", "invoice_ids[").replace("].amount", "]").replace("].invoice_id", "]")
            })
        })?;
        let decision = SuggestionDecision {
            suggestion_id: suggestion.id,
            status: SuggestionStatus::Accepted,
            decided_by: actor.user_id,
        };
        self.apply_parts(actor, &balance, parts, left, Some(suggestion.id), Some(decision))
    }

    /// Rejects a suggestion: its candidates are never suggested again for its transaction.
    pub fn reject(&self, actor: &Actor, id: Uuid) -> Result<StoredSuggestion, ReconciliationError> {
        require(actor, Permission::WriteInvoices)?;
        let mut suggestion = self.pending_suggestion(actor, id)?;
        let now = self.clock.now();
        let outcome = ReconciliationOutcome {
            decision: Some(SuggestionDecision {
                suggestion_id: suggestion.id,
                status: SuggestionStatus::Rejected,
                decided_by: actor.user_id,
            }),
            audit: vec![super::audit::entry(
                actor,
                AuditAction::SuggestionRejected,
                AuditTarget::new("reconciliation_suggestion", suggestion.id),
                now,
                None,
                Some(json!({
                    "transaction_id": suggestion.transaction_id.to_string(),
                    "candidates": suggestion.candidates.iter().map(|c| c.invoice_id.to_string()).collect::<Vec<_>>(),
                })),
            )],
            ..Default::default()
        };
        self.repo.save_outcome(actor.organisation_id, &outcome, now)?;
        suggestion.status = SuggestionStatus::Rejected;
        suggestion.decided_at = Some(now);
        suggestion.decided_by = Some(actor.user_id);
        Ok(suggestion)
    }

    /// Matches a transaction to invoices by hand, with the amount each receives.
    pub fn manual_match(
        &self,
        actor: &Actor,
        transaction: Uuid,
        parts: &[ManualPart],
    ) -> Result<Vec<StoredMatch>, ReconciliationError> {
        require(actor, Permission::WriteInvoices)?;
        if parts.is_empty() {
            return Err(ReconciliationError::Invalid {
                field: "invoices".to_owned(),
                message: "name at least one invoice".to_owned(),
            });
        }
        let balance = self.balance(actor, transaction)?;
        let facts = PaymentFacts::from_transaction(&balance.transaction.transaction).ok_or_else(|| {
            ReconciliationError::Invalid { field: "transaction_id".to_owned(), message: "amount out of range".into() }
        })?;
        if balance.remaining_minor() == 0 {
            return Err(ReconciliationError::Invalid {
                field: "transaction_id".to_owned(),
                message: "the transaction is already fully matched".to_owned(),
            });
        }
        let mut items = Vec::new();
        for (n, part) in parts.iter().enumerate() {
            let (_, item) = self.open_item(actor, part.invoice_id, &format!("invoices[{n}].invoice_id"))?;
            let minor = Money::parse(&part.amount, facts.currency).and_then(|m| m.to_minor_units()).map_err(|e| {
                ReconciliationError::Invalid { field: format!("invoices[{n}].amount"), message: e.to_string() }
            })?;
            items.push((item, minor, MatchExplanation::manual()));
        }
        let refs: Vec<(&OpenItem, i64)> = items.iter().map(|(i, a, _)| (i, *a)).collect();
        check_allocation(&facts, balance.remaining_minor(), &refs)?;
        self.apply_parts(actor, &balance, items, 0, None, None)
    }

    fn apply_parts(
        &self,
        actor: &Actor,
        balance: &TransactionBalance,
        parts: Vec<(OpenItem, i64, MatchExplanation)>,
        overpayment_minor: i64,
        suggestion_id: Option<Uuid>,
        decision: Option<SuggestionDecision>,
    ) -> Result<Vec<StoredMatch>, ReconciliationError> {
        let now = self.clock.now();
        let today = crate::calendar::today_of(self.accounts.as_ref(), self.clock.as_ref(), actor.organisation_id)?;
        let like = balance.transaction.transaction.amount();
        let mut touched = Touched::default();
        let mut outcome = ReconciliationOutcome {
            touched_transactions: vec![balance.transaction.id],
            decision,
            ..Default::default()
        };
        let last = parts.len().saturating_sub(1);
        for (n, (item, minor, explanation)) in parts.into_iter().enumerate() {
            let amount = money(minor, like)?;
            touched.pay(self.invoices.as_ref(), actor.organisation_id, item.invoice_id, &amount, now, today)?;
            outcome.matches.push(StoredMatch {
                id: Uuid::now_v7(),
                transaction_id: balance.transaction.id,
                invoice_id: item.invoice_id,
                overpayment: money(if n == last { overpayment_minor } else { 0 }, like)?,
                amount,
                explanation,
                applied_by: Some(actor.user_id),
                suggestion_id,
                created_at: now,
                undone_at: None,
                undone_by: None,
            });
        }
        let matches = outcome.matches.clone();
        self.store(actor.organisation_id, outcome, touched, Some(actor), now)?;
        Ok(matches)
    }

    /// The organisation's latest matches (undone ones too), newest first, with their
    /// transactions and invoices; at most `limit` (1 to 200).
    pub fn recent_matches(&self, actor: &Actor, limit: u32) -> Result<Vec<MatchView>, ReconciliationError> {
        require(actor, Permission::ReadData)?;
        let organisation = actor.organisation_id;
        let mut views = Vec::new();
        for stored in self.repo.recent_matches(organisation, limit.clamp(1, 200))? {
            let transaction = self.repo.transaction_balance(organisation, stored.transaction_id)?;
            let invoice = self.invoices.get(organisation, stored.invoice_id)?;
            views.push(MatchView { stored, transaction, invoice });
        }
        Ok(views)
    }

    /// The matches of a transaction (undone ones too), oldest first.
    pub fn matches_of_transaction(
        &self,
        actor: &Actor,
        transaction: Uuid,
    ) -> Result<Vec<StoredMatch>, ReconciliationError> {
        require(actor, Permission::ReadData)?;
        self.balance(actor, transaction)?;
        Ok(self.repo.matches_of_transaction(actor.organisation_id, transaction)?)
    }

    /// The matches of an invoice (undone ones too), oldest first.
    pub fn matches_of_invoice(
        &self,
        actor: &Actor,
        invoice: InvoiceId,
    ) -> Result<Vec<StoredMatch>, ReconciliationError> {
        require(actor, Permission::ReadData)?;
        if self.invoices.get(actor.organisation_id, invoice)?.is_none() {
            return Err(ReconciliationError::NotFound { field: "invoice_id".to_owned() });
        }
        Ok(self.repo.matches_of_invoice(actor.organisation_id, invoice)?)
    }

    /// Undoes a match: the invoice's paid amount goes back by the match's amount and its status
    /// follows (a paid invoice reopens). The match is kept, marked undone, so the rules never
    /// apply it again.
    pub fn undo(&self, actor: &Actor, id: Uuid) -> Result<StoredMatch, ReconciliationError> {
        require(actor, Permission::WriteInvoices)?;
        let organisation = actor.organisation_id;
        let mut found = self
            .repo
            .get_match(organisation, id)?
            .ok_or_else(|| ReconciliationError::NotFound { field: "id".to_owned() })?;
        if !found.is_active() {
            return Err(ReconciliationError::Conflict("the match was already undone".to_owned()));
        }
        let mut invoice = self
            .invoices
            .get(organisation, found.invoice_id)?
            .ok_or_else(|| ReconciliationError::NotFound { field: "invoice_id".to_owned() })?;
        let before = invoice_state(&invoice);
        let now = self.clock.now();
        let today = crate::calendar::today_of(self.accounts.as_ref(), self.clock.as_ref(), organisation)?;
        let restored = invoice.amount_paid().checked_sub(&found.amount).map_err(|e| invalid("amount", e.into()))?;
        if restored.is_negative() {
            return Err(ReconciliationError::Conflict(
                "the invoice has less paid than this match applied; it was changed since".to_owned(),
            ));
        }
        let mut events = Vec::new();
        if !invoice.status().is_open() {
            events
                .extend(invoice.reopen("a reconciliation match was undone", now, today).map_err(|e| invalid("id", e))?);
        }
        let patch = InvoicePatch { amount_paid: Some(restored), ..InvoicePatch::default() };
        events.extend(invoice.apply(patch, now, today).map_err(|e| invalid("id", e))?);
        invoice.advance_version(now);
        let mut after = invoice_state(&invoice);
        after["match"] = json!({
            "match_id": found.id.to_string(),
            "transaction_id": found.transaction_id.to_string(),
            "amount": found.amount.to_plain_string(),
            "rule": found.explanation.rule.code(),
        });
        let entry = super::audit::entry(
            actor,
            AuditAction::MatchUndone,
            AuditTarget::new("invoice", invoice.id()),
            now,
            Some(before),
            Some(after),
        );
        self.repo.undo_match(organisation, id, &invoice, &events, actor.user_id, now, &entry)?;
        self.events.match_undone(organisation, found.id, found.transaction_id, found.invoice_id);
        found.undone_at = Some(now);
        found.undone_by = Some(actor.user_id);
        Ok(found)
    }
}

impl ReconciliationError {
    fn renamed(self, rename: impl Fn(&str) -> String) -> Self {
        match self {
            ReconciliationError::Invalid { field, message } => {
                ReconciliationError::Invalid { field: rename(&field), message }
            }
            other => other,
        }
    }
}

mod run;
