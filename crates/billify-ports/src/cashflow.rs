//! The cash-position port: the sums and groupings of a cash-flow dashboard, computed by the store
//! over integer minor units (never by loading every row).
//!
//! The rules are those of `billify_domain::cashflow`: open amounts net of payments and of linked
//! credit notes, signed as cash flows (receivables +, payables -, credit notes against their
//! direction), transfers between the organisation's own accounts left out of money in and out.

use billify_domain::{Currency, Direction, Interval, InvoiceId, InvoiceKind, Money, OrganisationId, UrgencyLevel};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::RepositoryError;

/// What to compute, all in the organisation's local dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashflowQuery {
    /// The organisation's local today (urgency and overdue are measured against it).
    pub today: Date,
    /// Money in and out from this day (inclusive)...
    pub flows_from: Date,
    /// ...to this day (inclusive)...
    pub flows_to: Date,
    /// ...grouped by this interval.
    pub interval: Interval,
    /// VAT of invoices issued from this day (inclusive)...
    pub vat_from: Date,
    /// ...to this day (inclusive).
    pub vat_to: Date,
    /// How many of the next open receivables and payables to list (0 to 100).
    pub upcoming: u32,
}

/// One bank account's balance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountBalance {
    /// Billify's id of the account.
    pub account_id: Uuid,
    /// Its IBAN, when known.
    pub iban: Option<String>,
    /// The account's description, else its holder's name, when known.
    pub name: Option<String>,
    /// The bank's name, when known.
    pub institution: Option<String>,
    /// The current balance.
    pub balance: Money,
    /// When the bank last synchronised it, when known.
    pub synchronized_at: Option<OffsetDateTime>,
}

/// Money in and out of one period in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodFlow {
    /// The first day of the period (a Monday for weeks, the 1st for months).
    pub period_start: Date,
    /// Credits: zero or positive.
    pub money_in: Money,
    /// Debits: zero or negative.
    pub money_out: Money,
    /// How many credits.
    pub count_in: u64,
    /// How many debits.
    pub count_out: u64,
}

/// The open items of one direction, currency and urgency level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenGroup {
    /// Receivables or payables.
    pub direction: Direction,
    /// The effective urgency: a manual override, else from the due date.
    pub level: UrgencyLevel,
    /// How many open items (invoices with something open, and credit notes with credit left).
    pub count: u64,
    /// Their open amounts, signed as cash flows.
    pub amount: Money,
    /// How many of them are past their due date.
    pub overdue_count: u64,
    /// The signed open amount of those past their due date.
    pub overdue_amount: Money,
}

/// One open invoice, with what is still open on it once payments and credit notes count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenInvoice {
    /// The invoice.
    pub id: InvoiceId,
    /// Receivable or payable.
    pub direction: Direction,
    /// Always [`InvoiceKind::Invoice`] today; credit notes are listed through their invoice.
    pub kind: InvoiceKind,
    /// The number printed on it.
    pub invoice_number: String,
    /// The other party's name.
    pub counterparty_name: String,
    /// The due date.
    pub due_date: Date,
    /// The total, unsigned.
    pub total: Money,
    /// What is still open, signed as a cash flow.
    pub open: Money,
    /// The manual urgency override, if any.
    pub manual_urgency: Option<UrgencyLevel>,
}

/// VAT of the invoices issued in a period, in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VatTotals {
    /// VAT on sales: receivable invoices minus receivable credit notes.
    pub on_sales: Money,
    /// VAT on purchases: payable invoices minus payable credit notes.
    pub on_purchases: Money,
    /// Invoices and credit notes issued in the period.
    pub documents: u64,
    /// Of those, how many do not state their VAT (left out of the sums).
    pub without_vat: u64,
}

/// Everything a cash-flow dashboard needs, read in one consistent snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CashflowData {
    /// Every bank account's balance, ordered by currency, then IBAN, then id.
    pub accounts: Vec<AccountBalance>,
    /// The sum of balances per currency, ordered by currency.
    pub balances: Vec<Money>,
    /// Money in and out per period and currency, ordered by period, then currency; periods
    /// without transactions are absent.
    pub flows: Vec<PeriodFlow>,
    /// Open items per direction, currency and urgency level; empty groups are absent.
    pub open: Vec<OpenGroup>,
    /// The next open receivables by due date (then id), at most `upcoming`.
    pub upcoming_receivables: Vec<OpenInvoice>,
    /// The next open payables by due date (then id), at most `upcoming`.
    pub upcoming_payables: Vec<OpenInvoice>,
    /// VAT of the period per currency, ordered by currency.
    pub vat: Vec<(Currency, VatTotals)>,
}

/// Reads the cash position. Every query is scoped by the organisation.
pub trait CashflowRepository: Send + Sync {
    /// The cash position of `organisation`, computed in the store in one read transaction.
    fn cashflow(&self, organisation: OrganisationId, query: &CashflowQuery) -> Result<CashflowData, RepositoryError>;
}
