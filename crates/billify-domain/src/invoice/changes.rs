//! What creating or changing an invoice takes, and why it can be refused.

use time::Date;

use super::{Counterparty, Direction, InvoiceKind, InvoiceNumber, InvoiceSource};
use crate::{Currency, InvoiceId, Money, MoneyError, ParseError, PaymentReference, UrgencyLevel};

/// Why an invoice operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvoiceError {
    /// The total must be greater than zero.
    #[error("the total must be greater than zero")]
    NonPositiveTotal,
    /// An amount that cannot be negative is.
    #[error("{field} cannot be negative")]
    NegativeAmount {
        /// The field concerned.
        field: &'static str,
    },
    /// Subtotal and VAT are both known and do not add up to the total.
    #[error("{0}")]
    TotalsDoNotAddUp(Box<TotalsMismatch>),
    /// The due date lies before the issue date.
    #[error("the due date {due} is before the issue date {issued}")]
    DueBeforeIssue {
        /// The issue date.
        issued: Date,
        /// The due date.
        due: Date,
    },
    /// The amount paid exceeds the total.
    #[error("the amount paid {paid} exceeds the total {total}")]
    Overpaid {
        /// The amount paid.
        paid: Money,
        /// The total.
        total: Money,
    },
    /// Amounts of one invoice are in different currencies.
    #[error("all amounts of an invoice must be in {expected}, but {field} is in {found}")]
    CurrencyMismatch {
        /// The field concerned.
        field: &'static str,
        /// The invoice currency.
        expected: Currency,
        /// The currency found.
        found: Currency,
    },
    /// The invoice is paid; this change needs a reopen first.
    #[error("the invoice is paid: {field} can only change after it is reopened")]
    PaidIsFinal {
        /// The field concerned.
        field: &'static str,
    },
    /// Only a credit note can correct another invoice, and not itself.
    #[error("only a credit note can correct another invoice")]
    CorrectionNotAllowed,
    /// Only a paid invoice can be reopened.
    #[error("only a paid invoice can be reopened")]
    NotPaid,
    /// A text field is invalid.
    #[error("{0}")]
    Invalid(#[from] ParseError),
    /// An amount is invalid.
    #[error("{0}")]
    Money(#[from] MoneyError),
}

/// The amounts of an invoice whose subtotal and VAT do not add up to its total.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("subtotal {subtotal} plus VAT {vat} is {sum}, not the total {total}")]
pub struct TotalsMismatch {
    /// The subtotal.
    pub subtotal: Money,
    /// The VAT amount.
    pub vat: Money,
    /// Their sum.
    pub sum: Money,
    /// The stated total.
    pub total: Money,
}

/// What a user or an integration supplies to create an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvoice {
    /// Payable or receivable.
    pub direction: Direction,
    /// Invoice or credit note.
    pub kind: InvoiceKind,
    /// The invoice a credit note corrects, when known.
    pub corrects: Option<InvoiceId>,
    /// The number printed on the invoice.
    pub invoice_number: InvoiceNumber,
    /// The other party.
    pub counterparty: Counterparty,
    /// The date the invoice was issued.
    pub issue_date: Date,
    /// The date payment is due.
    pub due_date: Date,
    /// The amount before VAT, when known.
    pub subtotal: Option<Money>,
    /// The VAT amount, when known.
    pub vat_amount: Option<Money>,
    /// The total to pay; its currency is the invoice currency.
    pub total: Money,
    /// How much was already paid (zero when absent).
    pub amount_paid: Option<Money>,
    /// A manual urgency override.
    pub manual_urgency: Option<UrgencyLevel>,
    /// The reference to quote when paying.
    pub payment_reference: Option<PaymentReference>,
    /// How the invoice entered Billify.
    pub source: InvoiceSource,
    /// The identifier in the source system (accounting package, e-invoice id), when any.
    pub external_reference: Option<String>,
}

/// A change to an invoice; `None` leaves a field as it is, `Some(None)` clears an optional field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvoicePatch {
    /// New invoice number.
    pub invoice_number: Option<InvoiceNumber>,
    /// New counterparty.
    pub counterparty: Option<Counterparty>,
    /// New issue date.
    pub issue_date: Option<Date>,
    /// New due date.
    pub due_date: Option<Date>,
    /// New subtotal, or none.
    pub subtotal: Option<Option<Money>>,
    /// New VAT amount, or none.
    pub vat_amount: Option<Option<Money>>,
    /// New total.
    pub total: Option<Money>,
    /// New amount paid so far.
    pub amount_paid: Option<Money>,
    /// New manual urgency, or back to the computed one.
    pub manual_urgency: Option<Option<UrgencyLevel>>,
    /// New payment reference, or none.
    pub payment_reference: Option<Option<PaymentReference>>,
    /// New external reference, or none.
    pub external_reference: Option<Option<String>>,
}

impl InvoicePatch {
    /// Whether the patch changes nothing.
    pub fn is_empty(&self) -> bool {
        self == &InvoicePatch::default()
    }
}
