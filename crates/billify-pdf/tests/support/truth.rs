//! The ground truth of a folder of committed corpus fixtures (`tests/fixtures/NAME/truth.json`,
//! as the corpus generators write it) and the header fields an extraction gets wrong against it,
//! shared by the tests of each corpus.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use bigdecimal::BigDecimal;
use billify_domain::{Iban, VatNumber};
use billify_pdf::{Limits, extract_invoice};
use billify_ports::intake::{DocumentKind, ExtractedInvoice, OwnParty};
use serde_json::Value;
use time::macros::date;

fn folder(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// The entries of `tests/fixtures/{name}/truth.json`: `file`, `own` and `truth`.
pub fn entries(name: &str) -> Vec<Value> {
    serde_json::from_str(&std::fs::read_to_string(folder(name).join("truth.json")).unwrap()).unwrap()
}

fn strings(v: &Value, k: &str) -> Vec<String> {
    v[k].as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

/// Reads an entry's file as the organisation named in its `own` would upload it.
pub fn read(name: &str, entry: &Value) -> Result<ExtractedInvoice, String> {
    let file = entry["file"].as_str().unwrap();
    let bytes = std::fs::read(folder(name).join(file)).unwrap();
    let own = &entry["own"];
    let own = OwnParty {
        names: strings(own, "names"),
        vat_numbers: strings(own, "vat_numbers").iter().filter_map(|s| VatNumber::parse(s).ok()).collect(),
        ibans: strings(own, "ibans").iter().filter_map(|s| Iban::parse(s).ok()).collect(),
    };
    extract_invoice(&bytes, &own, date!(2026 - 01 - 01), &Limits::default())
        .map_err(|e| format!("{file}: not read: {e}"))
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The header fields of `inv` that differ from the entry's truth, one line each: names compared
/// by their letters and digits, amounts as numbers (a credit note's by absolute value, as the
/// corpus scorer compares them).
pub fn wrong_header_fields(entry: &Value, inv: &ExtractedInvoice) -> Vec<String> {
    let name = entry["file"].as_str().unwrap_or("?");
    let truth = &entry["truth"];
    let credit = truth["kind"].as_str() == Some("credit_note");
    let want = |k: &str| truth[k].as_str().map(str::to_string);
    let mut wrong = Vec::new();
    let mut check = |field: &str, got: Option<String>, same: &dyn Fn(&str, &str) -> bool| {
        if let Some(w) = want(field)
            && !got.as_deref().is_some_and(|g| same(g, &w))
        {
            wrong.push(format!("{name} {field}: want {w:?}, got {got:?}"));
        }
    };
    let eq = |a: &str, b: &str| a == b;
    let amount = |a: &str, b: &str| {
        let (a, b) = (BigDecimal::from_str(a).ok(), BigDecimal::from_str(b).ok());
        if credit { a.map(|a| a.abs()) == b.map(|b| b.abs()) } else { a == b }
    };
    let name_eq = |a: &str, b: &str| compact(a) == compact(b);
    check("invoice_number", inv.invoice_number.as_ref().map(|e| e.value.clone()), &eq);
    check("issue_date", inv.issue_date.as_ref().map(|e| e.value.to_string()), &eq);
    check("due_date", inv.due_date.as_ref().map(|e| e.value.to_string()), &eq);
    check("currency", inv.currency.as_ref().map(|e| e.value.to_string()), &eq);
    check("subtotal", inv.subtotal.as_ref().map(|e| e.value.to_string()), &amount);
    check("vat_amount", inv.vat_amount.as_ref().map(|e| e.value.to_string()), &amount);
    check("total", inv.total.as_ref().map(|e| e.value.to_string()), &amount);
    check("amount_due", inv.amount_due.as_ref().map(|e| e.value.to_string()), &amount);
    check("seller_name", inv.seller.name.as_ref().map(|e| e.value.clone()), &name_eq);
    check("seller_vat", inv.seller.vat_number.as_ref().map(|e| e.value.as_str().to_string()), &eq);
    check("buyer_name", inv.buyer.name.as_ref().map(|e| e.value.clone()), &name_eq);
    check("iban", inv.seller.iban.as_ref().map(|e| e.value.as_str().to_string()), &eq);
    wrong
}

/// The document kind and the number of invoice lines of `inv`, where they differ from the
/// entry's truth.
#[allow(dead_code, reason = "the software layouts' test checks lines by their sum instead")]
pub fn wrong_kind_and_lines(entry: &Value, inv: &ExtractedInvoice) -> Vec<String> {
    let name = entry["file"].as_str().unwrap_or("?");
    let truth = &entry["truth"];
    let mut wrong = Vec::new();
    let kind = inv.kind.as_ref().map(|k| k.value);
    let want_kind =
        if truth["kind"].as_str() == Some("credit_note") { DocumentKind::CreditNote } else { DocumentKind::Invoice };
    if kind != Some(want_kind) {
        wrong.push(format!("{name} kind: want {want_kind:?}, got {kind:?}"));
    }
    if let Some(n) = truth["lines"].as_u64()
        && inv.lines.len() as u64 != n
    {
        wrong.push(format!("{name} lines: want {n}, got {}", inv.lines.len()));
    }
    wrong
}
