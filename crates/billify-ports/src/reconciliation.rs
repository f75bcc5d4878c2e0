//! Stored reconciliation: matches of bank transactions to invoices, suggestions for people to
//! decide, and which transactions the rules have already looked at.

use billify_domain::{
    Candidate, CandidateKeys, Invoice, InvoiceEvent, InvoiceId, MatchExplanation, MatchRule, Money, OpenItem,
    OrganisationId, UserId,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::RepositoryError;
use crate::bank::StoredBankTransaction;

/// A part of a bank transaction applied to one invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMatch {
    /// Its id.
    pub id: Uuid,
    /// The transaction.
    pub transaction_id: Uuid,
    /// The invoice.
    pub invoice_id: InvoiceId,
    /// The amount applied (positive), in the invoice's currency.
    pub amount: Money,
    /// What the transaction paid beyond what the invoice had open (zero when nothing); it is
    /// flagged here and stays on the transaction, never dropped.
    pub overpayment: Money,
    /// Why.
    pub explanation: MatchExplanation,
    /// Who applied it; `None` when the rules did.
    pub applied_by: Option<UserId>,
    /// The suggestion it was accepted from, if any.
    pub suggestion_id: Option<Uuid>,
    /// When it was applied.
    pub created_at: OffsetDateTime,
    /// When it was undone; an undone match no longer counts and is never applied again by the
    /// rules.
    pub undone_at: Option<OffsetDateTime>,
    /// Who undid it.
    pub undone_by: Option<UserId>,
}

impl StoredMatch {
    /// Whether it still counts (not undone).
    pub fn is_active(&self) -> bool {
        self.undone_at.is_none()
    }
}

/// Where a suggestion stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SuggestionStatus {
    /// Waiting for a person.
    Pending,
    /// Accepted: matches were made from it.
    Accepted,
    /// Rejected: its candidates are never suggested again for the transaction.
    Rejected,
}

impl SuggestionStatus {
    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            SuggestionStatus::Pending => "pending",
            SuggestionStatus::Accepted => "accepted",
            SuggestionStatus::Rejected => "rejected",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<SuggestionStatus> {
        [SuggestionStatus::Pending, SuggestionStatus::Accepted, SuggestionStatus::Rejected]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// Invoices that may be what a transaction pays, for a person to decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSuggestion {
    /// Its id.
    pub id: Uuid,
    /// The transaction.
    pub transaction_id: Uuid,
    /// The strongest rule that found the candidates.
    pub rule: MatchRule,
    /// A sentence for people.
    pub reason: String,
    /// The candidates, best first.
    pub candidates: Vec<Candidate>,
    /// Where it stands.
    pub status: SuggestionStatus,
    /// When it was made.
    pub created_at: OffsetDateTime,
    /// When a person decided.
    pub decided_at: Option<OffsetDateTime>,
    /// Who decided.
    pub decided_by: Option<UserId>,
}

/// A person's decision on a suggestion, stored with the outcome it leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SuggestionDecision {
    /// The suggestion.
    pub suggestion_id: Uuid,
    /// Accepted or rejected.
    pub status: SuggestionStatus,
    /// Who decided.
    pub decided_by: UserId,
}

/// Everything one reconciliation step changes, stored as one atomic unit.
#[derive(Debug, Clone, Default)]
pub struct ReconciliationOutcome {
    /// New matches.
    pub matches: Vec<StoredMatch>,
    /// New pending suggestions.
    pub suggestions: Vec<StoredSuggestion>,
    /// The invoices the matches paid, each advanced by one version, with their events.
    pub invoices: Vec<(Invoice, Vec<InvoiceEvent>)>,
    /// Transactions the rules have now looked at. Each must not have been looked at before:
    /// otherwise the whole outcome is refused with `Conflict` (another process got there first).
    pub reconciled_transactions: Vec<Uuid>,
    /// Transactions a person matched: marked as looked at if they were not yet, so the rules
    /// leave them alone.
    pub touched_transactions: Vec<Uuid>,
    /// New invoices now compared with the transactions left unmatched. Each must not have been
    /// compared before: otherwise the whole outcome is refused with `Conflict`.
    pub reconciled_invoices: Vec<InvoiceId>,
    /// A person's decision on a pending suggestion.
    pub decision: Option<SuggestionDecision>,
    /// The audit entries of the step (what a person decided, what it paid), appended in the
    /// same transaction: stored with the step or not at all.
    pub audit: Vec<crate::audit::NewAuditEntry>,
}

impl ReconciliationOutcome {
    /// Whether it changes nothing.
    pub fn is_empty(&self) -> bool {
        self.matches.is_empty()
            && self.suggestions.is_empty()
            && self.invoices.is_empty()
            && self.reconciled_transactions.is_empty()
            && self.touched_transactions.is_empty()
            && self.reconciled_invoices.is_empty()
            && self.decision.is_none()
            && self.audit.is_empty()
    }
}

/// A transaction with how much of it active matches already use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionBalance {
    /// The transaction.
    pub transaction: StoredBankTransaction,
    /// The sum of its active matches, in minor units (positive).
    pub matched_minor: i64,
}

impl TransactionBalance {
    /// What is left to match, in minor units (positive).
    pub fn remaining_minor(&self) -> i64 {
        let amount = self.transaction.transaction.amount().to_minor_units().unwrap_or(0).saturating_abs();
        (amount - self.matched_minor).max(0)
    }
}

/// Stores matches and suggestions. Every method is scoped by organisation.
pub trait ReconciliationRepository: Send + Sync {
    /// What the rules need of every open invoice (not paid, something left to pay, net of its
    /// payments and of the unsettled credit notes that correct it).
    fn open_items(&self, organisation: OrganisationId) -> Result<Vec<OpenItem>, RepositoryError>;

    /// The open items a batch may name: those whose normalised invoice number or payment
    /// reference is one of `keys.keys`, whose open amount (net of payments) is one of
    /// `keys.amounts` in its flow and currency, or that credit notes correct; read through
    /// indexes, so the cost follows the batch, not the number of open invoices. May return more
    /// (every item it returns is what [`ReconciliationRepository::open_items`] would return), never
    /// fewer.
    fn open_items_for(
        &self,
        organisation: OrganisationId,
        keys: &CandidateKeys,
    ) -> Result<Vec<OpenItem>, RepositoryError>;

    /// These invoices of the organisation, in one read (ids of other organisations or unknown
    /// ids are left out), in no particular order.
    fn invoices_by_id(&self, organisation: OrganisationId, ids: &[InvoiceId]) -> Result<Vec<Invoice>, RepositoryError>;

    /// Transactions the rules have not looked at yet, oldest booking first, at most `limit`.
    fn transactions_to_reconcile(
        &self,
        organisation: OrganisationId,
        limit: u32,
    ) -> Result<Vec<StoredBankTransaction>, RepositoryError>;

    /// Invoices stored since reconciliation last compared the transactions left unmatched with
    /// the invoices (new, imported or confirmed ones), with their issue dates, in issue-date
    /// order after `after` (issue date and id), at most `limit`.
    fn invoices_to_reconcile(
        &self,
        organisation: OrganisationId,
        after: Option<(time::Date, InvoiceId)>,
        limit: u32,
    ) -> Result<Vec<(InvoiceId, time::Date)>, RepositoryError>;

    /// Transactions the rules looked at and left unmatched (no active match, no pending
    /// suggestion), booked on or after `since`, in booking order after `after` (booking date and
    /// id), at most `limit`.
    fn unmatched_transactions(
        &self,
        organisation: OrganisationId,
        since: time::Date,
        after: Option<(time::Date, Uuid)>,
        limit: u32,
    ) -> Result<Vec<StoredBankTransaction>, RepositoryError>;

    /// For each of these transactions, the invoices the rules must leave alone: those of its
    /// undone matches and of its rejected suggestions. Pairs of (transaction, invoice).
    fn excluded_invoices(
        &self,
        organisation: OrganisationId,
        transactions: &[Uuid],
    ) -> Result<Vec<(Uuid, InvoiceId)>, RepositoryError>;

    /// Stores an outcome atomically: matches, suggestions, invoice updates (optimistic: the
    /// stored version must be one less, else `StaleVersion`), the transactions marked as looked
    /// at, and a suggestion decision (the suggestion must still be pending, else `Conflict`).
    /// `Conflict` too when the active matches of a transaction would add up to more than its
    /// amount (two people matching the same transaction at once).
    fn save_outcome(
        &self,
        organisation: OrganisationId,
        outcome: &ReconciliationOutcome,
        now: OffsetDateTime,
    ) -> Result<(), RepositoryError>;

    /// A transaction and how much of it is matched, if it exists in this organisation.
    fn transaction_balance(
        &self,
        organisation: OrganisationId,
        transaction: Uuid,
    ) -> Result<Option<TransactionBalance>, RepositoryError>;

    /// A match, if it exists in this organisation.
    fn get_match(&self, organisation: OrganisationId, id: Uuid) -> Result<Option<StoredMatch>, RepositoryError>;

    /// The matches (undone ones too) of a transaction, oldest first.
    fn matches_of_transaction(
        &self,
        organisation: OrganisationId,
        transaction: Uuid,
    ) -> Result<Vec<StoredMatch>, RepositoryError>;

    /// The matches (undone ones too) of an invoice, oldest first.
    fn matches_of_invoice(
        &self,
        organisation: OrganisationId,
        invoice: InvoiceId,
    ) -> Result<Vec<StoredMatch>, RepositoryError>;

    /// The organisation's latest matches (undone ones too), newest first, at most `limit`.
    fn recent_matches(&self, organisation: OrganisationId, limit: u32) -> Result<Vec<StoredMatch>, RepositoryError>;

    /// Marks a match undone and stores the invoice it had paid, restored and advanced by one
    /// version, with its events; atomically. `Conflict` when it was already undone,
    /// `StaleVersion` when the invoice changed meanwhile.
    #[allow(
        clippy::too_many_arguments,
        reason = "one atomic step: the match, the invoice it restores, who, when and its audit entry"
    )]
    fn undo_match(
        &self,
        organisation: OrganisationId,
        id: Uuid,
        invoice: &Invoice,
        events: &[InvoiceEvent],
        by: UserId,
        now: OffsetDateTime,
        audit: &crate::audit::NewAuditEntry,
    ) -> Result<(), RepositoryError>;

    /// A suggestion, if it exists in this organisation.
    fn get_suggestion(
        &self,
        organisation: OrganisationId,
        id: Uuid,
    ) -> Result<Option<StoredSuggestion>, RepositoryError>;

    /// Suggestions with this status, oldest first, at most `limit`.
    fn suggestions(
        &self,
        organisation: OrganisationId,
        status: SuggestionStatus,
        limit: u32,
    ) -> Result<Vec<StoredSuggestion>, RepositoryError>;
}
