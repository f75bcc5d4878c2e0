//! The invoice repository port and its query model.

use billify_domain::{Direction, Invoice, InvoiceEvent, InvoiceId, InvoiceStatus, OrganisationId, UrgencyLevel};
use time::{Date, OffsetDateTime};

use crate::RepositoryError;
use crate::audit::NewAuditEntry;

/// The field a list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortField {
    /// By due date (the default: most pressing first).
    DueDate,
    /// By issue date.
    IssueDate,
    /// By total, in minor units (meaningful within one currency).
    Total,
    /// By creation time.
    CreatedAt,
    /// By invoice number, as text.
    InvoiceNumber,
}

impl SortField {
    /// The stable name used in URLs and cursors.
    pub fn code(&self) -> &'static str {
        match self {
            SortField::DueDate => "due_date",
            SortField::IssueDate => "issue_date",
            SortField::Total => "total",
            SortField::CreatedAt => "created_at",
            SortField::InvoiceNumber => "invoice_number",
        }
    }

    /// Parses a sort field name.
    pub fn parse(code: &str) -> Option<SortField> {
        [SortField::DueDate, SortField::IssueDate, SortField::Total, SortField::CreatedAt, SortField::InvoiceNumber]
            .into_iter()
            .find(|f| f.code() == code)
    }
}

/// A sort order; ties are always broken by invoice id in the same direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvoiceSort {
    /// The field.
    pub field: SortField,
    /// Largest first when true.
    pub descending: bool,
}

impl Default for InvoiceSort {
    fn default() -> Self {
        InvoiceSort { field: SortField::DueDate, descending: false }
    }
}

/// The sort-field value of the last row of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CursorKey {
    /// A date (due or issue date).
    Date(Date),
    /// An amount in minor units.
    Minor(i64),
    /// A timestamp.
    Timestamp(OffsetDateTime),
    /// A text (invoice number).
    Text(String),
}

/// Where the next page starts: after the row with this sort key and id (keyset pagination, so
/// pages stay stable while rows are added or removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// The sort the cursor belongs to; a cursor is only valid with the same sort.
    pub sort: InvoiceSort,
    /// The last row's sort key.
    pub key: CursorKey,
    /// The last row's id.
    pub id: InvoiceId,
}

impl Cursor {
    /// The cursor positioned after `invoice` under `sort`.
    pub fn after(invoice: &Invoice, sort: InvoiceSort) -> Result<Cursor, RepositoryError> {
        let key = match sort.field {
            SortField::DueDate => CursorKey::Date(invoice.due_date()),
            SortField::IssueDate => CursorKey::Date(invoice.issue_date()),
            SortField::Total => {
                CursorKey::Minor(invoice.total().to_minor_units().map_err(|e| RepositoryError::Corrupt(e.to_string()))?)
            }
            SortField::CreatedAt => CursorKey::Timestamp(invoice.created_at()),
            SortField::InvoiceNumber => CursorKey::Text(invoice.invoice_number().as_str().to_owned()),
        };
        Ok(Cursor { sort, key, id: invoice.id() })
    }
}

/// Filters, sort and page of an invoice list. All filters combine with AND.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceQuery {
    /// Only these statuses (any status when empty).
    pub statuses: Vec<InvoiceStatus>,
    /// Only this direction.
    pub direction: Option<Direction>,
    /// Only invoices whose effective urgency (manual, else from the due date) is this level;
    /// paid invoices have no urgency and never match.
    pub urgency: Option<UrgencyLevel>,
    /// The day urgency is computed against.
    pub today: Date,
    /// Due on or after this date.
    pub due_from: Option<Date>,
    /// Due on or before this date.
    pub due_to: Option<Date>,
    /// Case-insensitive substring of the invoice number or the counterparty name.
    pub text: Option<String>,
    /// The order.
    pub sort: InvoiceSort,
    /// Continue after this row.
    pub after: Option<Cursor>,
    /// At most this many rows (1 to [`InvoiceQuery::MAX_LIMIT`]).
    pub limit: u32,
}

impl InvoiceQuery {
    /// The largest page a caller may ask for.
    pub const MAX_LIMIT: u32 = 200;
    /// The page size when none is asked for.
    pub const DEFAULT_LIMIT: u32 = 50;

    /// A query for everything, sorted by due date, first page.
    pub fn all(today: Date) -> Self {
        InvoiceQuery {
            statuses: Vec::new(),
            direction: None,
            urgency: None,
            today,
            due_from: None,
            due_to: None,
            text: None,
            sort: InvoiceSort::default(),
            after: None,
            limit: Self::DEFAULT_LIMIT,
        }
    }
}

/// One page of invoices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoicePage {
    /// The invoices, in the requested order.
    pub items: Vec<Invoice>,
    /// Where the next page starts, if there is one.
    pub next: Option<Cursor>,
}

/// A stored invoice event, as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredInvoiceEvent {
    /// The invoice.
    pub invoice_id: InvoiceId,
    /// The event code, e.g. `invoice.paid`.
    pub code: String,
    /// Event details as a JSON object.
    pub details: String,
    /// When it happened.
    pub occurred_at: OffsetDateTime,
}

/// Stores invoices and their events. Every method is scoped by organisation, and every write
/// stores the invoice and its events in one transaction.
pub trait InvoiceRepository: Send + Sync {
    /// Stores a new invoice and its events.
    ///
    /// # Errors
    /// MUST return [`RepositoryError::Conflict`] when the organisation already has an invoice with
    /// the same direction, counterparty identity and number; nothing is overwritten.
    fn insert(&self, invoice: &Invoice, events: &[InvoiceEvent]) -> Result<(), RepositoryError>;

    /// The invoice, if it exists in this organisation.
    fn get(&self, organisation: OrganisationId, id: InvoiceId) -> Result<Option<Invoice>, RepositoryError>;

    /// A page of the organisation's invoices.
    fn list(&self, organisation: OrganisationId, query: &InvoiceQuery) -> Result<InvoicePage, RepositoryError>;

    /// Stores a changed invoice whose version was advanced by one, with its events.
    ///
    /// # Errors
    /// MUST return [`RepositoryError::StaleVersion`] when the stored version is not
    /// `invoice.version() - 1`, [`RepositoryError::NotFound`] when the invoice is gone, and
    /// [`RepositoryError::Conflict`] when the change would duplicate another invoice.
    fn update(&self, invoice: &Invoice, events: &[InvoiceEvent]) -> Result<(), RepositoryError>;

    /// Deletes an invoice and stores its events (the deletion event is kept).
    ///
    /// # Errors
    /// MUST return [`RepositoryError::NotFound`] when absent and [`RepositoryError::StaleVersion`]
    /// when `expected_version` is given and differs.
    fn delete(
        &self,
        organisation: OrganisationId,
        id: InvoiceId,
        expected_version: Option<i64>,
        events: &[InvoiceEvent],
    ) -> Result<(), RepositoryError>;

    /// [`InvoiceRepository::insert`] together with the audit entry that records it, in one
    /// transaction: the change and its record are stored together or not at all.
    fn insert_audited(
        &self,
        invoice: &Invoice,
        events: &[InvoiceEvent],
        audit: &NewAuditEntry,
    ) -> Result<(), RepositoryError>;

    /// [`InvoiceRepository::update`] together with its audit entry, in one transaction; a refused
    /// update records nothing.
    fn update_audited(
        &self,
        invoice: &Invoice,
        events: &[InvoiceEvent],
        audit: &NewAuditEntry,
    ) -> Result<(), RepositoryError>;

    /// [`InvoiceRepository::delete`] together with its audit entry, in one transaction; a refused
    /// deletion records nothing.
    fn delete_audited(
        &self,
        organisation: OrganisationId,
        id: InvoiceId,
        expected_version: Option<i64>,
        events: &[InvoiceEvent],
        audit: &NewAuditEntry,
    ) -> Result<(), RepositoryError>;

    /// Open invoices of the organisation with status pending and a due date before `today`, at
    /// most `limit`, for the daily overdue transition.
    fn pending_past_due(
        &self,
        organisation: OrganisationId,
        today: Date,
        limit: u32,
    ) -> Result<Vec<Invoice>, RepositoryError>;

    /// The events of one invoice, oldest first (kept after the invoice is deleted).
    fn events(&self, organisation: OrganisationId, id: InvoiceId) -> Result<Vec<StoredInvoiceEvent>, RepositoryError>;

    /// Stores many new invoices with their events in one transaction, in multi-row statements
    /// (bulk loads: `billify seed`). All or nothing.
    ///
    /// # Errors
    /// MUST return [`RepositoryError::Conflict`] like [`InvoiceRepository::insert`] when one of
    /// them duplicates a stored invoice (or another of the batch); then none is stored.
    fn insert_many(&self, batch: &[(Invoice, Vec<InvoiceEvent>)]) -> Result<(), RepositoryError> {
        batch.iter().try_for_each(|(invoice, events)| self.insert(invoice, events))
    }

    /// Stores many new invoices of `organisation` with their events in one transaction: a bulk
    /// load (`billify seed`). `batches` yields them a batch at a time, so the caller can report
    /// progress as each batch is asked for; an `Err` it yields rolls the whole load back and is
    /// returned. Afterwards the kept sums (open amounts, daily VAT) and the search index are what
    /// inserting the invoices one by one would have made them; a store may bring them up to date
    /// once for the whole load instead of in every statement. Returns how many were stored.
    ///
    /// # Errors
    /// [`RepositoryError::Conflict`] like [`InvoiceRepository::insert_many`] (then none is
    /// stored); [`RepositoryError::Other`] when an invoice belongs to another organisation.
    fn insert_bulk(
        &self,
        organisation: OrganisationId,
        batches: &mut dyn Iterator<Item = Result<Vec<(Invoice, Vec<InvoiceEvent>)>, RepositoryError>>,
    ) -> Result<usize, RepositoryError> {
        let mut all = Vec::new();
        for batch in batches {
            all.extend(batch?);
        }
        if all.iter().any(|(invoice, _)| invoice.organisation_id() != organisation) {
            return Err(RepositoryError::Other("a bulk load holds another organisation's invoice".into()));
        }
        self.insert_many(&all)?;
        Ok(all.len())
    }

    /// Refreshes the planner's statistics of the invoice and bank tables after a bulk write, so
    /// that the next queries are planned for the tables' new sizes. Nothing by default.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`] when the storage cannot serve.
    fn refresh_statistics(&self) -> Result<(), RepositoryError> {
        Ok(())
    }
}
