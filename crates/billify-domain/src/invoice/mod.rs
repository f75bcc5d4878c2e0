//! The invoice entity: what is owed, to or by whom, when, and how far it has been paid.
//!
//! The entity and its rules are here; its value types, its inputs and errors, and its events
//! have a file each.

mod changes;
mod events;
mod values;

pub use changes::{InvoiceError, InvoicePatch, NewInvoice, TotalsMismatch};
pub use events::{InvoiceEvent, InvoiceEventKind};
pub use values::{Counterparty, Direction, InvoiceKind, InvoiceNumber, InvoiceSource, InvoiceStatus};

use time::{Date, OffsetDateTime};

use crate::{Currency, InvoiceId, Money, OrganisationId, ParseError, PaymentReference, Urgency, UrgencyLevel};

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
    /// The part of what is open that linked credit notes settle (see [`Invoice::credit_settled`]);
    /// derived by storage from the other documents, never stored with this one.
    credit: Option<Money>,
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
            credit: None,
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
        let invoice = Invoice { r: record, credit: None };
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
            // A negative net amount with a larger VAT amount would add up to a positive total.
            if s.is_negative() {
                return Err(InvoiceError::NegativeAmount { field: "subtotal" });
            }
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
        let candidate = Invoice { r: next, credit: self.credit.clone() };
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
    /// Paid invoices, and invoices their credit notes settle, have none.
    pub fn urgency(&self, today: Date) -> Option<Urgency> {
        if self.is_settled() {
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

    /// The amount still open: the total minus the payments, minus what linked credit notes
    /// settle (for a credit note: minus what the invoice it corrects absorbed). Never below zero;
    /// a credit note for the full amount leaves nothing open on its invoice.
    pub fn open_amount(&self) -> Money {
        let currency = self.r.total.currency();
        let zero = Money::zero(currency);
        let unpaid = self.r.total.checked_sub(&self.r.amount_paid).unwrap_or_else(|_| zero.clone());
        let open = match &self.credit {
            Some(credit) => unpaid.checked_sub(credit).unwrap_or_else(|_| zero.clone()),
            None => unpaid,
        };
        if open.is_negative() { zero } else { open }
    }

    /// The total minus the payments, without credit notes.
    pub fn unpaid_amount(&self) -> Money {
        self.r.total.checked_sub(&self.r.amount_paid).unwrap_or_else(|_| Money::zero(self.r.total.currency()))
    }

    /// What linked credit notes settle of this invoice (for a credit note: what the invoice it
    /// corrects absorbed of it), as storage computed it with
    /// [`crate::cashflow::allocate_credit`]; zero when none.
    pub fn credit_settled(&self) -> Money {
        self.credit.clone().unwrap_or_else(|| Money::zero(self.r.total.currency()))
    }

    /// This invoice with `amount` settled by credit notes (see [`Invoice::credit_settled`]).
    /// Storage sets it when it reads a document; an amount in another currency is ignored.
    pub fn with_credit_settled(mut self, amount: Money) -> Invoice {
        self.credit = (amount.currency() == self.currency() && amount.is_positive()).then_some(amount);
        self
    }

    /// Whether nothing is left open (paid, or settled by credit notes).
    pub fn is_settled(&self) -> bool {
        !self.r.status.is_open() || !self.open_amount().is_positive()
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
mod tests;
