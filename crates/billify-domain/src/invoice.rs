//! The invoice entity: what is owed, to or by whom, when, and how far it has been paid.

use std::fmt;
use std::str::FromStr;
use time::{Date, OffsetDateTime};

use crate::{
    Bic, Currency, Iban, InvoiceId, Money, MoneyError, OrganisationId, ParseError, PaymentReference, Urgency,
    UrgencyLevel, VatNumber,
};

/// Which way the money flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum Direction {
    /// A supplier's invoice that we must pay.
    Payable,
    /// Our invoice that a customer must pay.
    Receivable,
}

impl Direction {
    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Direction::Payable => "payable",
            Direction::Receivable => "receivable",
        }
    }
}

impl FromStr for Direction {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "payable" => Ok(Direction::Payable),
            "receivable" => Ok(Direction::Receivable),
            _ => Err(ParseError::new("direction", "direction is payable or receivable")),
        }
    }
}

/// Where an invoice is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum InvoiceStatus {
    /// Open and not yet due.
    Pending,
    /// Open and past its due date.
    Overdue,
    /// Fully paid. Final, except through an explicit reopen.
    Paid,
}

impl InvoiceStatus {
    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            InvoiceStatus::Pending => "pending",
            InvoiceStatus::Overdue => "overdue",
            InvoiceStatus::Paid => "paid",
        }
    }

    /// The name shown to people.
    pub fn display_name(&self) -> &'static str {
        match self {
            InvoiceStatus::Pending => "Pending Payment",
            InvoiceStatus::Overdue => "Payment Overdue",
            InvoiceStatus::Paid => "Payment Received",
        }
    }

    /// Whether money is still expected to move.
    pub fn is_open(&self) -> bool {
        !matches!(self, InvoiceStatus::Paid)
    }
}

impl FromStr for InvoiceStatus {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "pending" => Ok(InvoiceStatus::Pending),
            "overdue" => Ok(InvoiceStatus::Overdue),
            "paid" => Ok(InvoiceStatus::Paid),
            _ => Err(ParseError::new("status", "status is pending, overdue or paid")),
        }
    }
}

/// Whether a document asks for money or gives it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum InvoiceKind {
    /// An invoice: its total is owed.
    Invoice,
    /// A credit note: its total reduces what is owed (it counts negatively in cash flow).
    CreditNote,
}

impl InvoiceKind {
    /// The stable machine code: `invoice` or `credit_note`.
    pub fn code(&self) -> &'static str {
        match self {
            InvoiceKind::Invoice => "invoice",
            InvoiceKind::CreditNote => "credit_note",
        }
    }
}

impl FromStr for InvoiceKind {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "invoice" => Ok(InvoiceKind::Invoice),
            "credit_note" => Ok(InvoiceKind::CreditNote),
            _ => Err(ParseError::new("kind", "kind is invoice or credit_note")),
        }
    }
}

/// How an invoice entered Billify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum InvoiceSource {
    /// A document uploaded and confirmed by a user.
    Upload,
    /// Typed in by a user.
    Manual,
    /// Read from the accounting package.
    Accounting,
    /// Imported from a file or another system.
    Import,
}

impl InvoiceSource {
    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            InvoiceSource::Upload => "upload",
            InvoiceSource::Manual => "manual",
            InvoiceSource::Accounting => "accounting",
            InvoiceSource::Import => "import",
        }
    }
}

impl FromStr for InvoiceSource {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "upload" => Ok(InvoiceSource::Upload),
            "manual" => Ok(InvoiceSource::Manual),
            "accounting" => Ok(InvoiceSource::Accounting),
            "import" => Ok(InvoiceSource::Import),
            _ => Err(ParseError::new("source", "source is upload, manual, accounting or import")),
        }
    }
}

/// An invoice number as printed: 1 to 100 characters, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InvoiceNumber(String);

impl InvoiceNumber {
    /// Parses an invoice number.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(ParseError::new("invoice number", "the invoice number cannot be empty"));
        }
        if t.chars().count() > 100 {
            return Err(ParseError::new("invoice number", "the invoice number has at most 100 characters"));
        }
        if t.chars().any(char::is_control) {
            return Err(ParseError::new("invoice number", "the invoice number cannot contain control characters"));
        }
        Ok(InvoiceNumber(t.to_owned()))
    }

    /// The number.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for InvoiceNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The other party of an invoice: the supplier of a payable, the customer of a receivable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counterparty {
    name: String,
    vat_number: Option<VatNumber>,
    iban: Option<Iban>,
    bic: Option<Bic>,
}

impl Counterparty {
    /// Builds a counterparty; the name is 1 to 200 characters with whitespace collapsed.
    pub fn new(
        name: &str,
        vat_number: Option<VatNumber>,
        iban: Option<Iban>,
        bic: Option<Bic>,
    ) -> Result<Self, ParseError> {
        let collapsed = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.is_empty() {
            return Err(ParseError::new("counterparty name", "the counterparty name cannot be empty"));
        }
        if collapsed.chars().count() > 200 {
            return Err(ParseError::new("counterparty name", "the counterparty name has at most 200 characters"));
        }
        Ok(Counterparty { name: collapsed, vat_number, iban, bic })
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The VAT number, when known.
    pub fn vat_number(&self) -> Option<&VatNumber> {
        self.vat_number.as_ref()
    }

    /// The bank account, when known.
    pub fn iban(&self) -> Option<&Iban> {
        self.iban.as_ref()
    }

    /// The bank's BIC, when known.
    pub fn bic(&self) -> Option<&Bic> {
        self.bic.as_ref()
    }

    /// What identifies this counterparty for duplicate detection: its VAT number when known,
    /// otherwise its name in lower case.
    pub fn identity_key(&self) -> String {
        match &self.vat_number {
            Some(vat) => format!("vat:{vat}"),
            None => format!("name:{}", self.name.to_lowercase()),
        }
    }
}

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

/// Something that happened to an invoice, for use cases to persist and publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceEvent {
    /// The organisation that owns the invoice.
    pub organisation_id: OrganisationId,
    /// The invoice.
    pub invoice_id: InvoiceId,
    /// When it happened.
    pub occurred_at: OffsetDateTime,
    /// What happened.
    pub kind: InvoiceEventKind,
}

/// The kinds of invoice events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvoiceEventKind {
    /// The invoice was created.
    Created,
    /// Fields changed.
    Updated {
        /// The names of the changed fields.
        changed: Vec<&'static str>,
    },
    /// A payment was recorded that leaves the invoice open.
    PartiallyPaid {
        /// The total paid so far.
        amount_paid: Money,
    },
    /// The invoice became fully paid (InvoicePaid).
    Paid {
        /// The total paid.
        amount_paid: Money,
    },
    /// The due date passed without full payment (InvoiceBecameOverdue).
    BecameOverdue {
        /// The due date that passed.
        due_date: Date,
    },
    /// The due date moved into the future again.
    NoLongerOverdue {
        /// The new due date.
        due_date: Date,
    },
    /// A paid invoice was reopened.
    Reopened {
        /// Why, in the user's words.
        reason: String,
    },
    /// The invoice was deleted.
    Deleted,
}

impl InvoiceEventKind {
    /// The stable machine code, e.g. `"invoice.paid"`.
    pub fn code(&self) -> &'static str {
        match self {
            InvoiceEventKind::Created => "invoice.created",
            InvoiceEventKind::Updated { .. } => "invoice.updated",
            InvoiceEventKind::PartiallyPaid { .. } => "invoice.partially_paid",
            InvoiceEventKind::Paid { .. } => "invoice.paid",
            InvoiceEventKind::BecameOverdue { .. } => "invoice.became_overdue",
            InvoiceEventKind::NoLongerOverdue { .. } => "invoice.no_longer_overdue",
            InvoiceEventKind::Reopened { .. } => "invoice.reopened",
            InvoiceEventKind::Deleted => "invoice.deleted",
        }
    }
}

/// Every stored field of an invoice, for adapters that rebuild one with [`Invoice::restore`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceRecord {
    /// See [`Invoice::id`].
    pub id: InvoiceId,
    /// See [`Invoice::organisation_id`].
    pub organisation_id: OrganisationId,
    /// See [`NewInvoice`] for the meaning of the fields below.
    pub direction: Direction,
    #[allow(missing_docs)]
    pub kind: InvoiceKind,
    #[allow(missing_docs)]
    pub corrects: Option<InvoiceId>,
    #[allow(missing_docs)]
    pub invoice_number: InvoiceNumber,
    #[allow(missing_docs)]
    pub counterparty: Counterparty,
    #[allow(missing_docs)]
    pub issue_date: Date,
    #[allow(missing_docs)]
    pub due_date: Date,
    #[allow(missing_docs)]
    pub subtotal: Option<Money>,
    #[allow(missing_docs)]
    pub vat_amount: Option<Money>,
    #[allow(missing_docs)]
    pub total: Money,
    #[allow(missing_docs)]
    pub amount_paid: Money,
    #[allow(missing_docs)]
    pub status: InvoiceStatus,
    #[allow(missing_docs)]
    pub manual_urgency: Option<UrgencyLevel>,
    #[allow(missing_docs)]
    pub payment_reference: Option<PaymentReference>,
    #[allow(missing_docs)]
    pub source: InvoiceSource,
    #[allow(missing_docs)]
    pub external_reference: Option<String>,
    #[allow(missing_docs)]
    pub created_at: OffsetDateTime,
    #[allow(missing_docs)]
    pub updated_at: OffsetDateTime,
    #[allow(missing_docs)]
    pub version: i64,
}

/// An invoice. Its fields are private: it changes only through methods that keep its rules.
///
/// Rules kept: the total is positive; subtotal + VAT = total when both are known; the due date is
/// not before the issue date; all amounts share one currency; the amount paid lies between zero
/// and the total; the status follows from payments and the due date, and `paid` is final except
/// through [`Invoice::reopen`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    r: InvoiceRecord,
}

fn clean_external_reference(text: Option<String>) -> Result<Option<String>, ParseError> {
    match text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()) {
        Some(t) if t.chars().count() > 200 => {
            Err(ParseError::new("external reference", "the external reference has at most 200 characters"))
        }
        other => Ok(other),
    }
}

impl Invoice {
    /// Creates an invoice from user or integration input, returning it with its events.
    ///
    /// The status follows from the input: paid when the amount paid reaches the total, overdue
    /// when the due date is before `today`, pending otherwise.
    pub fn create(
        id: InvoiceId,
        organisation_id: OrganisationId,
        new: NewInvoice,
        now: OffsetDateTime,
        today: Date,
    ) -> Result<(Invoice, Vec<InvoiceEvent>), InvoiceError> {
        let currency = new.total.currency();
        let amount_paid = new.amount_paid.unwrap_or_else(|| Money::zero(currency));
        let mut invoice = Invoice {
            r: InvoiceRecord {
                id,
                organisation_id,
                direction: new.direction,
                kind: new.kind,
                corrects: new.corrects,
                invoice_number: new.invoice_number,
                counterparty: new.counterparty,
                issue_date: new.issue_date,
                due_date: new.due_date,
                subtotal: new.subtotal,
                vat_amount: new.vat_amount,
                total: new.total,
                amount_paid,
                status: InvoiceStatus::Pending,
                manual_urgency: new.manual_urgency,
                payment_reference: new.payment_reference,
                source: new.source,
                external_reference: clean_external_reference(new.external_reference)?,
                created_at: now,
                updated_at: now,
                version: 1,
            },
        };
        invoice.check_rules()?;
        let mut events = vec![invoice.event(now, InvoiceEventKind::Created)];
        events.extend(invoice.settle_status(now, today));
        Ok((invoice, events))
    }

    /// Rebuilds an invoice from storage, checking its rules again so a corrupted row is caught.
    pub fn restore(record: InvoiceRecord) -> Result<Invoice, InvoiceError> {
        let invoice = Invoice { r: record };
        invoice.check_rules()?;
        let fully_paid = invoice.r.amount_paid >= invoice.r.total;
        if fully_paid != (invoice.r.status == InvoiceStatus::Paid) {
            return Err(InvoiceError::Invalid(ParseError::new(
                "status",
                "the stored status does not match the amount paid",
            )));
        }
        Ok(invoice)
    }

    fn check_rules(&self) -> Result<(), InvoiceError> {
        let r = &self.r;
        let currency = r.total.currency();
        let same = |field: &'static str, m: &Money| {
            if m.currency() == currency {
                Ok(())
            } else {
                Err(InvoiceError::CurrencyMismatch { field, expected: currency, found: m.currency() })
            }
        };
        if !r.total.is_positive() {
            return Err(InvoiceError::NonPositiveTotal);
        }
        if r.corrects.is_some() && (r.kind != InvoiceKind::CreditNote || r.corrects == Some(r.id)) {
            return Err(InvoiceError::CorrectionNotAllowed);
        }
        same("amount_paid", &r.amount_paid)?;
        if r.amount_paid.is_negative() {
            return Err(InvoiceError::NegativeAmount { field: "amount_paid" });
        }
        if r.amount_paid > r.total {
            return Err(InvoiceError::Overpaid { paid: r.amount_paid.clone(), total: r.total.clone() });
        }
        if let Some(s) = &r.subtotal {
            same("subtotal", s)?;
        }
        if let Some(v) = &r.vat_amount {
            same("vat_amount", v)?;
            if v.is_negative() {
                return Err(InvoiceError::NegativeAmount { field: "vat_amount" });
            }
        }
        if let (Some(subtotal), Some(vat)) = (&r.subtotal, &r.vat_amount) {
            let sum = subtotal.checked_add(vat)?;
            if sum != r.total {
                return Err(InvoiceError::TotalsDoNotAddUp(Box::new(TotalsMismatch {
                    subtotal: subtotal.clone(),
                    vat: vat.clone(),
                    sum,
                    total: r.total.clone(),
                })));
            }
        }
        if r.due_date < r.issue_date {
            return Err(InvoiceError::DueBeforeIssue { issued: r.issue_date, due: r.due_date });
        }
        Ok(())
    }

    fn event(&self, at: OffsetDateTime, kind: InvoiceEventKind) -> InvoiceEvent {
        InvoiceEvent { organisation_id: self.r.organisation_id, invoice_id: self.r.id, occurred_at: at, kind }
    }

    /// Brings the status in line with payments and the due date, returning what changed.
    fn settle_status(&mut self, now: OffsetDateTime, today: Date) -> Vec<InvoiceEvent> {
        let target = if self.r.amount_paid >= self.r.total {
            InvoiceStatus::Paid
        } else if self.r.due_date < today {
            InvoiceStatus::Overdue
        } else {
            InvoiceStatus::Pending
        };
        if target == self.r.status {
            return Vec::new();
        }
        let previous = std::mem::replace(&mut self.r.status, target);
        let kind = match (previous, target) {
            (_, InvoiceStatus::Paid) => InvoiceEventKind::Paid { amount_paid: self.r.amount_paid.clone() },
            (_, InvoiceStatus::Overdue) => InvoiceEventKind::BecameOverdue { due_date: self.r.due_date },
            (InvoiceStatus::Overdue, InvoiceStatus::Pending) => {
                InvoiceEventKind::NoLongerOverdue { due_date: self.r.due_date }
            }
            _ => return Vec::new(),
        };
        vec![self.event(now, kind)]
    }

    /// The daily transition: a pending invoice whose due date is before `today` becomes overdue.
    pub fn refresh_status(&mut self, now: OffsetDateTime, today: Date) -> Vec<InvoiceEvent> {
        if self.r.status == InvoiceStatus::Paid {
            return Vec::new();
        }
        self.settle_status(now, today)
    }

    /// Applies a change. On a paid invoice only descriptive fields (number, counterparty,
    /// references) may change; amounts, dates and urgency need a reopen first.
    pub fn apply(
        &mut self,
        patch: InvoicePatch,
        now: OffsetDateTime,
        today: Date,
    ) -> Result<Vec<InvoiceEvent>, InvoiceError> {
        if self.r.status == InvoiceStatus::Paid {
            let locked = [
                ("issue_date", patch.issue_date.is_some()),
                ("due_date", patch.due_date.is_some()),
                ("subtotal", patch.subtotal.is_some()),
                ("vat_amount", patch.vat_amount.is_some()),
                ("total", patch.total.is_some()),
                ("amount_paid", patch.amount_paid.is_some()),
                ("manual_urgency", patch.manual_urgency.is_some()),
            ];
            if let Some((field, _)) = locked.iter().find(|(_, set)| *set) {
                return Err(InvoiceError::PaidIsFinal { field });
            }
        }
        let before = self.r.clone();
        let mut next = self.r.clone();
        let mut changed = Vec::new();
        macro_rules! set {
            ($field:ident) => {
                if let Some(value) = patch.$field {
                    if next.$field != value {
                        next.$field = value;
                        changed.push(stringify!($field));
                    }
                }
            };
        }
        set!(invoice_number);
        set!(counterparty);
        set!(issue_date);
        set!(due_date);
        set!(subtotal);
        set!(vat_amount);
        set!(total);
        set!(amount_paid);
        set!(manual_urgency);
        set!(payment_reference);
        if let Some(value) = patch.external_reference {
            let value = clean_external_reference(value)?;
            if next.external_reference != value {
                next.external_reference = value;
                changed.push("external_reference");
            }
        }
        let candidate = Invoice { r: next };
        candidate.check_rules()?;
        *self = candidate;
        if changed.is_empty() {
            return Ok(Vec::new());
        }
        self.r.updated_at = now;
        let mut events = vec![self.event(now, InvoiceEventKind::Updated { changed: changed.clone() })];
        let paid_changed = before.amount_paid != self.r.amount_paid;
        let status_events = self.settle_status(now, today);
        if paid_changed && status_events.is_empty() && self.r.amount_paid.is_positive() {
            events.push(self.event(now, InvoiceEventKind::PartiallyPaid { amount_paid: self.r.amount_paid.clone() }));
        }
        events.extend(status_events);
        Ok(events)
    }

    /// Records a payment of `amount`; the invoice becomes paid when the total is reached.
    pub fn record_payment(
        &mut self,
        amount: &Money,
        now: OffsetDateTime,
        today: Date,
    ) -> Result<Vec<InvoiceEvent>, InvoiceError> {
        if self.r.status == InvoiceStatus::Paid {
            return Err(InvoiceError::PaidIsFinal { field: "amount_paid" });
        }
        if !amount.is_positive() {
            return Err(InvoiceError::NegativeAmount { field: "payment" });
        }
        let paid = self.r.amount_paid.checked_add(amount)?;
        self.apply(InvoicePatch { amount_paid: Some(paid), ..InvoicePatch::default() }, now, today)
    }

    /// Marks the invoice fully paid.
    pub fn mark_paid(&mut self, now: OffsetDateTime, today: Date) -> Result<Vec<InvoiceEvent>, InvoiceError> {
        if self.r.status == InvoiceStatus::Paid {
            return Ok(Vec::new());
        }
        self.apply(InvoicePatch { amount_paid: Some(self.r.total.clone()), ..InvoicePatch::default() }, now, today)
    }

    /// Reopens a paid invoice (a bounced payment, a booking error): the amount paid returns to
    /// zero and the status follows the due date. The reason is kept in the event for the audit trail.
    pub fn reopen(
        &mut self,
        reason: &str,
        now: OffsetDateTime,
        today: Date,
    ) -> Result<Vec<InvoiceEvent>, InvoiceError> {
        if self.r.status != InvoiceStatus::Paid {
            return Err(InvoiceError::NotPaid);
        }
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(InvoiceError::Invalid(ParseError::new(
                "reason",
                "a reopen needs a reason of 1 to 500 characters",
            )));
        }
        self.r.amount_paid = Money::zero(self.r.total.currency());
        self.r.status = InvoiceStatus::Pending;
        self.r.updated_at = now;
        let mut events = vec![self.event(now, InvoiceEventKind::Reopened { reason: reason.to_owned() })];
        events.extend(self.settle_status(now, today));
        Ok(events)
    }

    /// The event that records this invoice's deletion.
    pub fn deletion_event(&self, now: OffsetDateTime) -> InvoiceEvent {
        self.event(now, InvoiceEventKind::Deleted)
    }

    /// Moves to the next version after a change; adapters store the invoice only if the stored
    /// version is still the previous one (optimistic concurrency).
    pub fn advance_version(&mut self, now: OffsetDateTime) {
        self.r.version += 1;
        self.r.updated_at = now;
    }

    /// The urgency: the manual override if set, otherwise from the days until due.
    /// Paid invoices have none.
    pub fn urgency(&self, today: Date) -> Option<Urgency> {
        if self.r.status == InvoiceStatus::Paid {
            return None;
        }
        Some(match self.r.manual_urgency {
            Some(level) => Urgency { level, is_manual: true },
            None => Urgency {
                level: UrgencyLevel::from_days_until_due((self.r.due_date - today).whole_days()),
                is_manual: false,
            },
        })
    }

    /// The amount still to be paid.
    pub fn open_amount(&self) -> Money {
        self.r.total.checked_sub(&self.r.amount_paid).unwrap_or_else(|_| Money::zero(self.r.total.currency()))
    }

    /// All stored fields, for adapters.
    pub fn record(&self) -> &InvoiceRecord {
        &self.r
    }

    /// The identifier.
    pub fn id(&self) -> InvoiceId {
        self.r.id
    }
    /// The owning organisation.
    pub fn organisation_id(&self) -> OrganisationId {
        self.r.organisation_id
    }
    /// Payable or receivable.
    pub fn direction(&self) -> Direction {
        self.r.direction
    }
    /// Invoice or credit note.
    pub fn kind(&self) -> InvoiceKind {
        self.r.kind
    }
    /// The invoice a credit note corrects, when known.
    pub fn corrects(&self) -> Option<InvoiceId> {
        self.r.corrects
    }
    /// The total with its cash-flow sign: negative for a credit note.
    pub fn signed_total(&self) -> Money {
        match self.r.kind {
            InvoiceKind::Invoice => self.r.total.clone(),
            InvoiceKind::CreditNote => {
                Money::zero(self.r.total.currency()).checked_sub(&self.r.total).unwrap_or_else(|_| self.r.total.clone())
            }
        }
    }
    /// The invoice number.
    pub fn invoice_number(&self) -> &InvoiceNumber {
        &self.r.invoice_number
    }
    /// The other party.
    pub fn counterparty(&self) -> &Counterparty {
        &self.r.counterparty
    }
    /// The issue date.
    pub fn issue_date(&self) -> Date {
        self.r.issue_date
    }
    /// The due date.
    pub fn due_date(&self) -> Date {
        self.r.due_date
    }
    /// The invoice currency.
    pub fn currency(&self) -> Currency {
        self.r.total.currency()
    }
    /// The amount before VAT, when known.
    pub fn subtotal(&self) -> Option<&Money> {
        self.r.subtotal.as_ref()
    }
    /// The VAT amount, when known.
    pub fn vat_amount(&self) -> Option<&Money> {
        self.r.vat_amount.as_ref()
    }
    /// The total.
    pub fn total(&self) -> &Money {
        &self.r.total
    }
    /// The amount paid so far.
    pub fn amount_paid(&self) -> &Money {
        &self.r.amount_paid
    }
    /// The status.
    pub fn status(&self) -> InvoiceStatus {
        self.r.status
    }
    /// The manual urgency override, if any.
    pub fn manual_urgency(&self) -> Option<UrgencyLevel> {
        self.r.manual_urgency
    }
    /// The payment reference, if any.
    pub fn payment_reference(&self) -> Option<&PaymentReference> {
        self.r.payment_reference.as_ref()
    }
    /// How the invoice entered Billify.
    pub fn source(&self) -> InvoiceSource {
        self.r.source
    }
    /// The identifier in the source system, if any.
    pub fn external_reference(&self) -> Option<&str> {
        self.r.external_reference.as_deref()
    }
    /// When it was created.
    pub fn created_at(&self) -> OffsetDateTime {
        self.r.created_at
    }
    /// When it last changed.
    pub fn updated_at(&self) -> OffsetDateTime {
        self.r.updated_at
    }
    /// The version, raised by one on every stored change.
    pub fn version(&self) -> i64 {
        self.r.version
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};
    use uuid::Uuid;

    fn eur(s: &str) -> Money {
        Money::parse(s, Currency::EUR).unwrap()
    }

    fn new_invoice() -> NewInvoice {
        NewInvoice {
            direction: Direction::Payable,
            kind: InvoiceKind::Invoice,
            corrects: None,
            invoice_number: InvoiceNumber::parse("INV-SO-2023-2812").unwrap(),
            counterparty: Counterparty::new(
                "Bloc Group BV",
                Some(VatNumber::parse("BE0662970353").unwrap()),
                None,
                None,
            )
            .unwrap(),
            issue_date: date!(2023 - 04 - 01),
            due_date: date!(2023 - 04 - 10),
            subtotal: Some(eur("315.75")),
            vat_amount: Some(eur("66.31")),
            total: eur("382.06"),
            amount_paid: None,
            manual_urgency: None,
            payment_reference: None,
            source: InvoiceSource::Manual,
            external_reference: None,
        }
    }

    const NOW: OffsetDateTime = datetime!(2023-04-02 10:00 UTC);

    fn create(new: NewInvoice, today: Date) -> Result<(Invoice, Vec<InvoiceEvent>), InvoiceError> {
        Invoice::create(InvoiceId::from_uuid(Uuid::nil()), OrganisationId::from_uuid(Uuid::nil()), new, NOW, today)
    }

    #[test]
    fn a_valid_invoice_starts_pending_with_a_created_event() {
        let (inv, events) = create(new_invoice(), date!(2023 - 04 - 02)).unwrap();
        assert_eq!(inv.status(), InvoiceStatus::Pending);
        assert_eq!(inv.version(), 1);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].kind, InvoiceEventKind::Created);
        assert_eq!(inv.urgency(date!(2023 - 04 - 02)), Some(Urgency { level: UrgencyLevel::High, is_manual: false }));
        assert_eq!(inv.urgency(date!(2023 - 04 - 03)).unwrap().level, UrgencyLevel::Critical);
    }

    #[test]
    fn totals_must_add_up_and_be_positive() {
        let mut n = new_invoice();
        n.vat_amount = Some(eur("66.30"));
        assert!(matches!(create(n, date!(2023 - 04 - 02)), Err(InvoiceError::TotalsDoNotAddUp(_))));
        let mut n = new_invoice();
        n.total = eur("0");
        n.subtotal = None;
        assert_eq!(create(n, date!(2023 - 04 - 02)).unwrap_err(), InvoiceError::NonPositiveTotal);
        let mut n = new_invoice();
        n.vat_amount = None;
        n.total = eur("400");
        assert!(create(n, date!(2023 - 04 - 02)).is_ok(), "only subtotal known: no sum rule");
    }

    #[test]
    fn due_date_cannot_precede_issue_date() {
        let mut n = new_invoice();
        n.due_date = date!(2023 - 03 - 31);
        assert!(matches!(create(n, date!(2023 - 04 - 02)), Err(InvoiceError::DueBeforeIssue { .. })));
    }

    #[test]
    fn currencies_must_match() {
        let mut n = new_invoice();
        n.vat_amount = Some(Money::parse("66.31", Currency::parse("USD").unwrap()).unwrap());
        assert!(matches!(
            create(n, date!(2023 - 04 - 02)),
            Err(InvoiceError::CurrencyMismatch { field: "vat_amount", .. })
        ));
    }

    #[test]
    fn pending_becomes_overdue_once_the_due_date_has_passed() {
        let (mut inv, _) = create(new_invoice(), date!(2023 - 04 - 02)).unwrap();
        assert!(inv.refresh_status(NOW, date!(2023 - 04 - 10)).is_empty(), "due today is not overdue");
        let events = inv.refresh_status(NOW, date!(2023 - 04 - 11));
        assert_eq!(inv.status(), InvoiceStatus::Overdue);
        assert_eq!(events[0].kind, InvoiceEventKind::BecameOverdue { due_date: date!(2023 - 04 - 10) });
        assert!(inv.refresh_status(NOW, date!(2023 - 04 - 12)).is_empty(), "the transition happens once");
        assert_eq!(inv.urgency(date!(2023 - 04 - 12)).unwrap().level, UrgencyLevel::Overdue);
    }

    #[test]
    fn created_past_due_is_overdue_at_once() {
        let (inv, events) = create(new_invoice(), date!(2023 - 05 - 01)).unwrap();
        assert_eq!(inv.status(), InvoiceStatus::Overdue);
        assert_eq!(events.len(), 2);
    }

    #[test]
    fn partial_payments_keep_it_open_and_the_full_amount_pays_it() {
        let today = date!(2023 - 04 - 02);
        let (mut inv, _) = create(new_invoice(), today).unwrap();
        let events = inv.record_payment(&eur("100"), NOW, today).unwrap();
        assert_eq!(inv.status(), InvoiceStatus::Pending);
        assert!(events.iter().any(|e| matches!(e.kind, InvoiceEventKind::PartiallyPaid { .. })));
        assert_eq!(inv.open_amount(), eur("282.06"));
        let events = inv.record_payment(&eur("282.06"), NOW, today).unwrap();
        assert_eq!(inv.status(), InvoiceStatus::Paid);
        assert!(events.iter().any(|e| e.kind == InvoiceEventKind::Paid { amount_paid: eur("382.06") }));
        assert_eq!(inv.urgency(today), None, "paid invoices have no urgency");
        assert!(inv.record_payment(&eur("1"), NOW, today).is_err());
    }

    #[test]
    fn overpayment_is_refused() {
        let today = date!(2023 - 04 - 02);
        let (mut inv, _) = create(new_invoice(), today).unwrap();
        assert!(matches!(inv.record_payment(&eur("500"), NOW, today), Err(InvoiceError::Overpaid { .. })));
        assert_eq!(inv.amount_paid(), &eur("0"), "a refused change leaves the invoice untouched");
    }

    #[test]
    fn paid_is_final_except_through_reopen() {
        let today = date!(2023 - 04 - 20);
        let (mut inv, _) = create(new_invoice(), date!(2023 - 04 - 02)).unwrap();
        inv.mark_paid(NOW, today).unwrap();
        let patch = InvoicePatch { due_date: Some(date!(2023 - 06 - 01)), ..Default::default() };
        assert_eq!(inv.apply(patch, NOW, today).unwrap_err(), InvoiceError::PaidIsFinal { field: "due_date" });
        assert!(inv.refresh_status(NOW, today).is_empty());
        assert_eq!(inv.status(), InvoiceStatus::Paid);
        let rename =
            InvoicePatch { invoice_number: Some(InvoiceNumber::parse("INV-2").unwrap()), ..Default::default() };
        assert_eq!(inv.apply(rename, NOW, today).unwrap().len(), 1, "descriptive fields may change");
        assert!(inv.reopen("  ", NOW, today).is_err());
        let events = inv.reopen("payment bounced", NOW, today).unwrap();
        assert_eq!(inv.status(), InvoiceStatus::Overdue);
        assert!(matches!(events[0].kind, InvoiceEventKind::Reopened { .. }));
        assert_eq!(inv.reopen("again", NOW, today).unwrap_err(), InvoiceError::NotPaid);
    }

    #[test]
    fn moving_the_due_date_forward_ends_overdue() {
        let today = date!(2023 - 04 - 20);
        let (mut inv, _) = create(new_invoice(), today).unwrap();
        assert_eq!(inv.status(), InvoiceStatus::Overdue);
        let patch = InvoicePatch { due_date: Some(date!(2023 - 05 - 10)), ..Default::default() };
        let events = inv.apply(patch, NOW, today).unwrap();
        assert_eq!(inv.status(), InvoiceStatus::Pending);
        assert!(matches!(events.last().unwrap().kind, InvoiceEventKind::NoLongerOverdue { .. }));
        assert_eq!(inv.urgency(today).unwrap().level, UrgencyLevel::Medium);
    }

    #[test]
    fn manual_urgency_overrides_and_clears() {
        let today = date!(2023 - 04 - 02);
        let (mut inv, _) = create(new_invoice(), today).unwrap();
        inv.apply(InvoicePatch { manual_urgency: Some(Some(UrgencyLevel::Low)), ..Default::default() }, NOW, today)
            .unwrap();
        assert_eq!(inv.urgency(today), Some(Urgency { level: UrgencyLevel::Low, is_manual: true }));
        inv.apply(InvoicePatch { manual_urgency: Some(None), ..Default::default() }, NOW, today).unwrap();
        assert_eq!(inv.urgency(today), Some(Urgency { level: UrgencyLevel::High, is_manual: false }));
    }

    #[test]
    fn an_empty_or_unchanged_patch_emits_nothing() {
        let today = date!(2023 - 04 - 02);
        let (mut inv, _) = create(new_invoice(), today).unwrap();
        assert!(inv.apply(InvoicePatch::default(), NOW, today).unwrap().is_empty());
        let same = InvoicePatch { total: Some(eur("382.06")), ..Default::default() };
        assert!(inv.apply(same, NOW, today).unwrap().is_empty());
    }

    #[test]
    fn restore_rejects_inconsistent_rows() {
        let (inv, _) = create(new_invoice(), date!(2023 - 04 - 02)).unwrap();
        let mut record = inv.record().clone();
        assert_eq!(Invoice::restore(record.clone()).unwrap(), inv);
        record.status = InvoiceStatus::Paid;
        assert!(Invoice::restore(record).is_err());
    }

    #[test]
    fn credit_notes_count_negatively_and_only_they_correct() {
        let today = date!(2023 - 04 - 02);
        let (invoice, _) = create(new_invoice(), today).unwrap();
        assert_eq!(invoice.signed_total(), eur("382.06"));
        let mut n = new_invoice();
        n.kind = InvoiceKind::CreditNote;
        n.corrects = Some(InvoiceId::from_uuid(Uuid::from_u128(7)));
        let (credit, _) = create(n, today).unwrap();
        assert_eq!(credit.signed_total(), eur("-382.06"));
        assert_eq!(credit.corrects(), Some(InvoiceId::from_uuid(Uuid::from_u128(7))));
        let mut n = new_invoice();
        n.corrects = Some(InvoiceId::from_uuid(Uuid::from_u128(7)));
        assert_eq!(create(n, today).unwrap_err(), InvoiceError::CorrectionNotAllowed);
        let mut n = new_invoice();
        n.kind = InvoiceKind::CreditNote;
        n.corrects = Some(InvoiceId::from_uuid(Uuid::nil()));
        assert_eq!(create(n, today).unwrap_err(), InvoiceError::CorrectionNotAllowed, "not itself");
    }

    #[test]
    fn counterparty_identity_prefers_vat_number() {
        let a = Counterparty::new("Bloc  Group BV", None, None, None).unwrap();
        assert_eq!(a.identity_key(), "name:bloc group bv");
        let b = Counterparty::new("Bloc", Some(VatNumber::parse("BE0662970353").unwrap()), None, None).unwrap();
        assert_eq!(b.identity_key(), "vat:BE0662970353");
    }
}
