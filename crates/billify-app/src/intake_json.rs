//! The JSON form of an extraction, shared by `billify extract` and the upload API so that both
//! print the same thing. Amounts are decimal strings, dates `YYYY-MM-DD`, and every extracted
//! field is `{"value": ..., "confidence": 0-100}` or `null`. Also the draft's proposal (the
//! fields as first filled in), kept beside the extraction to measure reading accuracy.

use bigdecimal::BigDecimal;
use serde_json::{Map, Value, json};

use crate::input::InvoiceInput;

use billify_ports::intake::{Extracted, ExtractedInvoice, ExtractedParty};

fn field<T>(f: &Option<Extracted<T>>, show: impl Fn(&T) -> Value) -> Value {
    match f {
        Some(e) => json!({ "value": show(&e.value), "confidence": e.confidence.as_percent() }),
        None => Value::Null,
    }
}

#[allow(clippy::ptr_arg, reason = "passed as the fn(&T) of an Extracted<String>")]
fn text(s: &String) -> Value {
    Value::String(s.clone())
}

fn decimal(d: &BigDecimal) -> Value {
    Value::String(d.normalized().to_string())
}

fn opt_decimal(d: &Option<BigDecimal>) -> Value {
    d.as_ref().map(decimal).unwrap_or(Value::Null)
}

fn party(p: &ExtractedParty) -> Value {
    json!({
        "name": field(&p.name, text),
        "vat_number": field(&p.vat_number, |v| Value::String(v.as_str().to_owned())),
        "legal_id": field(&p.legal_id, text),
        "address": field(&p.address, text),
        "iban": field(&p.iban, |v| Value::String(v.as_str().to_owned())),
        "bic": field(&p.bic, |v| Value::String(v.as_str().to_owned())),
    })
}

/// How a field's values are compared.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Compare {
    /// Case and repeated spaces do not matter.
    Text,
    /// Only letters and digits matter, in upper case.
    Identifier,
    /// Equal as numbers (`1200.5` = `1200.50`).
    Amount,
}

pub(crate) type Getter = fn(&InvoiceInput) -> &Option<String>;

/// The fields a draft proposes (kept under `proposed` in its extraction), with how their values
/// compare when measuring how well documents are read.
pub(crate) const FIELDS: &[(&str, Getter, Compare)] = &[
    ("direction", |f| &f.direction, Compare::Text),
    ("kind", |f| &f.kind, Compare::Text),
    ("invoice_number", |f| &f.invoice_number, Compare::Text),
    ("corrects_invoice_number", |f| &f.corrects_invoice_number, Compare::Text),
    ("counterparty_name", |f| &f.counterparty_name, Compare::Text),
    ("counterparty_vat_number", |f| &f.counterparty_vat_number, Compare::Identifier),
    ("counterparty_iban", |f| &f.counterparty_iban, Compare::Identifier),
    ("counterparty_bic", |f| &f.counterparty_bic, Compare::Identifier),
    ("issue_date", |f| &f.issue_date, Compare::Text),
    ("due_date", |f| &f.due_date, Compare::Text),
    ("currency", |f| &f.currency, Compare::Text),
    ("subtotal", |f| &f.subtotal, Compare::Amount),
    ("vat_amount", |f| &f.vat_amount, Compare::Amount),
    ("total", |f| &f.total, Compare::Amount),
    ("payment_reference", |f| &f.payment_reference, Compare::Identifier),
];

/// The proposal as the JSON object kept in a draft's extraction under `proposed`: each measured
/// field's text, or `null`.
pub fn proposal_json(fields: &InvoiceInput) -> Value {
    let object: Map<String, Value> = FIELDS
        .iter()
        .map(|(name, get, _)| ((*name).to_owned(), get(fields).clone().map_or(Value::Null, Value::String)))
        .collect();
    Value::Object(object)
}

/// The extraction as a JSON object.
pub fn extraction_json(x: &ExtractedInvoice) -> Value {
    json!({
        "method": x.method.code(),
        "kind": field(&x.kind, |k| Value::String(match k {
            billify_ports::intake::DocumentKind::Invoice => "invoice".into(),
            billify_ports::intake::DocumentKind::CreditNote => "credit_note".into(),
        })),
        "invoice_number": field(&x.invoice_number, text),
        "issue_date": field(&x.issue_date, |d| Value::String(d.to_string())),
        "due_date": field(&x.due_date, |d| Value::String(d.to_string())),
        "payment_terms": field(&x.payment_terms, text),
        "currency": field(&x.currency, |c| Value::String(c.code().to_owned())),
        "subtotal": field(&x.subtotal, decimal),
        "line_total": field(&x.line_total, decimal),
        "allowance_total": field(&x.allowance_total, decimal),
        "charge_total": field(&x.charge_total, decimal),
        "vat_amount": field(&x.vat_amount, decimal),
        "vat_rate": field(&x.vat_rate, decimal),
        "total": field(&x.total, decimal),
        "prepaid": field(&x.prepaid, decimal),
        "rounding_amount": field(&x.rounding_amount, decimal),
        "amount_due": field(&x.amount_due, decimal),
        "seller": party(&x.seller),
        "buyer": party(&x.buyer),
        "payment_reference": field(&x.payment_reference, |r| json!({
            "value": r.to_display_string(),
            "type": match r {
                billify_domain::PaymentReference::Structured(_) => "structured",
                billify_domain::PaymentReference::Creditor(_) => "creditor",
                billify_domain::PaymentReference::Free(_) => "free",
            },
        })),
        "preceding_invoice_number": x.preceding_invoice_number,
        "vat_breakdown": x.vat_breakdown.iter().map(|v| json!({
            "category": v.category,
            "rate": opt_decimal(&v.rate),
            "taxable_amount": decimal(&v.taxable_amount),
            "tax_amount": decimal(&v.tax_amount),
        })).collect::<Vec<_>>(),
        "allowances_charges": x.allowances_charges.iter().map(|a| json!({
            "is_charge": a.is_charge,
            "amount": decimal(&a.amount),
            "reason": a.reason,
            "vat_category": a.vat_category,
            "vat_rate": opt_decimal(&a.vat_rate),
        })).collect::<Vec<_>>(),
        "lines": x.lines.iter().map(|l| json!({
            "description": l.description,
            "quantity": opt_decimal(&l.quantity),
            "unit_price": opt_decimal(&l.unit_price),
            "line_total": decimal(&l.line_total),
            "vat_rate": opt_decimal(&l.vat_rate),
        })).collect::<Vec<_>>(),
        "rule_violations": x.rule_violations.iter().map(|r| json!({"rule": r.rule, "message": r.message})).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use billify_ports::intake::{Confidence, ExtractionMethod};

    #[test]
    fn fields_carry_value_and_confidence_and_amounts_are_strings() {
        let mut x = ExtractedInvoice::empty(ExtractionMethod::PdfText);
        x.invoice_number = Some(Extracted::new("INV-1".into(), Confidence::percent(90)));
        x.total = Some(Extracted::certain("382.060".parse().unwrap()));
        let v = extraction_json(&x);
        assert_eq!(v["method"], "pdf_text");
        assert_eq!(v["invoice_number"], json!({"value": "INV-1", "confidence": 90}));
        assert_eq!(v["total"], json!({"value": "382.06", "confidence": 100}));
        assert_eq!(v["due_date"], Value::Null);
    }
}
