//! Invoice fields as people type them (text, [`InvoiceInput`]), parsed into a `NewInvoice` with
//! every problem reported per field. Shared by the create endpoint and draft confirmation, so both
//! accept and refuse exactly the same things; and the changes a request makes to an invoice
//! ([`InvoiceChanges`]), parsed against the invoice's currency by the update use case.

use billify_domain::{
    Bic, Counterparty, Currency, Direction, Iban, InvoiceId, InvoiceKind, InvoiceNumber, InvoicePatch, InvoiceSource,
    Money, NewInvoice, PaymentReference, UrgencyLevel, VatNumber,
};
use time::Date;

pub use billify_ports::input::{InputChanges, InvoiceInput};

/// A problem with one field; `field` is the API's path, e.g. `counterparty.iban`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The field path.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// Text that is not a `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a date in the form YYYY-MM-DD")]
pub struct DateError(pub String);

/// Parses a `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Result<Date, DateError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), &format).map_err(|_| DateError(text.to_owned()))
}

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

#[derive(Default)]
struct Problems(Vec<FieldProblem>);

impl Problems {
    fn check<T, E: std::fmt::Display>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        result.map_err(|e| self.0.push(FieldProblem { field: field.into(), message: e.to_string() })).ok()
    }

    fn required<'a>(&mut self, field: &str, value: &'a Option<String>) -> Option<&'a str> {
        let v = present(value);
        if v.is_none() {
            self.0.push(FieldProblem { field: field.into(), message: "this field is required".into() });
        }
        v
    }
}

/// Parses every field of `input` into an invoice from `source`, correcting `corrects` (already
/// resolved to an id); returns all problems at once.
pub fn parse_invoice(
    input: &InvoiceInput,
    source: InvoiceSource,
    corrects: Option<InvoiceId>,
) -> Result<NewInvoice, Vec<FieldProblem>> {
    let mut p = Problems::default();
    let direction =
        p.required("direction", &input.direction).and_then(|d| p.check("direction", d.parse::<Direction>()));
    let kind = p.check("kind", present(&input.kind).unwrap_or("invoice").parse::<InvoiceKind>());
    let invoice_number = p
        .required("invoice_number", &input.invoice_number)
        .and_then(|n| p.check("invoice_number", InvoiceNumber::parse(n)));
    let before = p.0.len();
    let vat =
        present(&input.counterparty_vat_number).and_then(|v| p.check("counterparty.vat_number", VatNumber::parse(v)));
    let iban = present(&input.counterparty_iban).and_then(|v| p.check("counterparty.iban", Iban::parse(v)));
    let bic = present(&input.counterparty_bic).and_then(|v| p.check("counterparty.bic", Bic::parse(v)));
    let name = p.required("counterparty.name", &input.counterparty_name);
    let counterparty = name.and_then(|n| p.check("counterparty.name", Counterparty::new(n, vat, iban, bic)));
    let counterparty = if p.0.len() > before { None } else { counterparty };
    let issue_date = p.required("issue_date", &input.issue_date).and_then(|d| p.check("issue_date", parse_date(d)));
    let due_date = p.required("due_date", &input.due_date).and_then(|d| p.check("due_date", parse_date(d)));
    let currency = p.check("currency", Currency::parse(present(&input.currency).unwrap_or("EUR")));
    // Amounts are taken as sent: `" 1.00"` or `"+1.00"` is refused, not read as 1.00.
    let mut money = |field: &str, value: &Option<String>| -> Option<Option<Money>> {
        let sent = value.as_deref().filter(|v| !v.trim().is_empty());
        match (sent, currency) {
            (None, _) => Some(None),
            (Some(text), Some(c)) => p.check(field, Money::parse(text, c)).map(Some),
            (Some(_), None) => None,
        }
    };
    let subtotal = money("subtotal", &input.subtotal);
    let vat_amount = money("vat_amount", &input.vat_amount);
    let amount_paid = money("amount_paid", &input.amount_paid);
    let total = if present(&input.total).is_some() { money("total", &input.total).flatten() } else { None };
    if present(&input.total).is_none() {
        p.0.push(FieldProblem { field: "total".into(), message: "this field is required".into() });
    }
    let manual_urgency = present(&input.manual_urgency).map(|u| p.check("manual_urgency", u.parse::<UrgencyLevel>()));
    let payment_reference =
        present(&input.payment_reference).map(|r| p.check("payment_reference", PaymentReference::parse(r)));
    if !p.0.is_empty() {
        return Err(p.0);
    }
    match (
        direction,
        kind,
        invoice_number,
        counterparty,
        issue_date,
        due_date,
        total,
        subtotal,
        vat_amount,
        amount_paid,
    ) {
        (
            Some(direction),
            Some(kind),
            Some(invoice_number),
            Some(counterparty),
            Some(issue_date),
            Some(due_date),
            Some(total),
            Some(subtotal),
            Some(vat_amount),
            Some(amount_paid),
        ) => Ok(NewInvoice {
            direction,
            kind,
            corrects,
            invoice_number,
            counterparty,
            issue_date,
            due_date,
            subtotal,
            vat_amount,
            total,
            amount_paid,
            manual_urgency: manual_urgency.flatten(),
            payment_reference: payment_reference.flatten(),
            source,
            external_reference: present(&input.external_reference).map(str::to_owned),
        }),
        _ => Err(vec![FieldProblem { field: "body".into(), message: "the invoice is incomplete".into() }]),
    }
}

/// A counterparty as text, as a request names it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct CounterpartyText {
    pub name: String,
    pub vat_number: Option<String>,
    pub iban: Option<String>,
    pub bic: Option<String>,
}

/// The changes a request makes to an invoice, as text: `None` keeps a field, `Some(None)` clears
/// an optional one. Amounts are read in the invoice's currency, which cannot change, so the use
/// case parses them ([`InvoiceChanges::parse`]) once it has read the invoice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct InvoiceChanges {
    pub invoice_number: Option<String>,
    pub counterparty: Option<CounterpartyText>,
    pub issue_date: Option<String>,
    pub due_date: Option<String>,
    pub subtotal: Option<Option<String>>,
    pub vat_amount: Option<Option<String>>,
    pub total: Option<String>,
    pub amount_paid: Option<String>,
    pub manual_urgency: Option<Option<String>>,
    pub payment_reference: Option<Option<String>>,
    pub external_reference: Option<Option<String>>,
}

fn optional_text(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

impl InvoiceChanges {
    /// The domain patch, with amounts in `currency` (the invoice's); every problem at once.
    pub fn parse(self, currency: Currency) -> Result<InvoicePatch, Vec<FieldProblem>> {
        let mut p = Problems::default();
        let money = |p: &mut Problems, field: &str, text: String| p.check(field, Money::parse(&text, currency));
        let invoice_number = self.invoice_number.and_then(|n| p.check("invoice_number", InvoiceNumber::parse(&n)));
        let counterparty = self.counterparty.and_then(|body| {
            let before = p.0.len();
            let vat =
                optional_text(body.vat_number).and_then(|v| p.check("counterparty.vat_number", VatNumber::parse(&v)));
            let iban = optional_text(body.iban).and_then(|v| p.check("counterparty.iban", Iban::parse(&v)));
            let bic = optional_text(body.bic).and_then(|v| p.check("counterparty.bic", Bic::parse(&v)));
            let counterparty = p.check("counterparty.name", Counterparty::new(&body.name, vat, iban, bic));
            if p.0.len() > before { None } else { counterparty }
        });
        let patch = InvoicePatch {
            invoice_number,
            counterparty,
            issue_date: self.issue_date.and_then(|d| p.check("issue_date", parse_date(&d))),
            due_date: self.due_date.and_then(|d| p.check("due_date", parse_date(&d))),
            subtotal: self.subtotal.map(|v| v.and_then(|t| money(&mut p, "subtotal", t))),
            vat_amount: self.vat_amount.map(|v| v.and_then(|t| money(&mut p, "vat_amount", t))),
            total: self.total.and_then(|t| money(&mut p, "total", t)),
            amount_paid: self.amount_paid.and_then(|t| money(&mut p, "amount_paid", t)),
            manual_urgency: self
                .manual_urgency
                .map(|v| optional_text(v).and_then(|u| p.check("manual_urgency", u.parse::<UrgencyLevel>()))),
            payment_reference: self
                .payment_reference
                .map(|v| optional_text(v).and_then(|r| p.check("payment_reference", PaymentReference::parse(&r)))),
            external_reference: self.external_reference.map(optional_text),
        };
        if p.0.is_empty() { Ok(patch) } else { Err(p.0) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> InvoiceInput {
        InvoiceInput {
            direction: Some("payable".into()),
            invoice_number: Some("INV-1".into()),
            counterparty_name: Some("Bloc Group BV".into()),
            counterparty_iban: Some("BE71 0018 6092 2869".into()),
            issue_date: Some("2026-01-01".into()),
            due_date: Some("2026-01-31".into()),
            subtotal: Some("100.00".into()),
            vat_amount: Some("21.00".into()),
            total: Some("121.00".into()),
            ..InvoiceInput::default()
        }
    }

    #[test]
    fn valid_input_parses() {
        let n = parse_invoice(&sample(), InvoiceSource::Upload, None).unwrap();
        assert_eq!(n.total.to_plain_string(), "121.00");
        assert_eq!(n.counterparty.iban().unwrap().as_str(), "BE71001860922869");
        assert_eq!(n.source, InvoiceSource::Upload);
    }

    #[test]
    fn every_problem_is_reported_by_field() {
        let mut input = sample();
        input.direction = None;
        input.counterparty_iban = Some("BE00 0000".into());
        input.due_date = Some("31/01/2026".into());
        input.total = Some("12,10".into());
        let fields: Vec<String> =
            parse_invoice(&input, InvoiceSource::Manual, None).unwrap_err().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["direction", "counterparty.iban", "due_date", "total"]);
        let empty = parse_invoice(&InvoiceInput::default(), InvoiceSource::Manual, None).unwrap_err();
        assert!(empty.iter().any(|p| p.field == "total"));
    }
}
