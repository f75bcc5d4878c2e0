//! Invoices laid out like real invoicing software (`corpus/software.py`, tuning half) must read
//! as their ground truth says (`tests/fixtures/software/truth.json`). They keep fixed the
//! failure kinds of issue 20 met in those layouts: the number in the title ("Invoice
//! INV/2024/00012", "Ausgangsrechnung ACC-SINV-…") beside a "Nr." column of lines, a name label
//! with its value beside it ("Kundenname:"), a trading name on top and the legal name below, an
//! attention line between a buyer's name and street ("t.a.v. de administratie"), a total with
//! the VAT it includes in brackets ("(enthält … MwSt.)"), a subtotal before shipping, several VAT
//! rates, deposits paid, multi-page tables with the totals on the last page, and the reading
//! organisation as the buyer. Their invoice lines must all be read and add up to the subtotal:
//! tables over several pages (a repeated header, or none when LibreOffice breaks a table across
//! pages), a time sheet with a date column before the activity, a quantity column before the
//! description, a price column standing for the line amount ("Product  Quantity  Price") with
//! the shipping in the totals, line amounts including VAT beside net unit prices, headers
//! qualified "(excl. tax)" or "HT", numbers grouped by spaces ("1 443,71"), and descriptions
//! wrapped above and below their values.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::str::FromStr;

use bigdecimal::BigDecimal;
use billify_domain::{Iban, VatNumber};
use billify_pdf::{Limits, extract_invoice};
use billify_ports::intake::{Confidence, OwnParty};
use serde_json::Value;
use time::macros::date;

fn compact(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn strings(v: &Value, k: &str) -> Vec<String> {
    v[k].as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

/// The fields of one fixture that differ from its truth.
fn wrong_fields(entry: &Value) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/software");
    let name = entry["file"].as_str().unwrap();
    let bytes = std::fs::read(dir.join(name)).unwrap();
    let own = &entry["own"];
    let own = OwnParty {
        names: strings(own, "names"),
        vat_numbers: strings(own, "vat_numbers").iter().filter_map(|s| VatNumber::parse(s).ok()).collect(),
        ibans: strings(own, "ibans").iter().filter_map(|s| Iban::parse(s).ok()).collect(),
    };
    let inv = extract_invoice(&bytes, &own, date!(2026 - 01 - 01), &Limits::default()).unwrap();
    let truth = &entry["truth"];
    let want = |k: &str| truth[k].as_str().map(str::to_string);
    let mut wrong = Vec::new();
    let mut check = |field: &str, got: Option<String>, same: &dyn Fn(&str, &str) -> bool| {
        if let Some(w) = want(field) {
            let ok = got.as_deref().is_some_and(|g| same(g, &w));
            if !ok {
                wrong.push(format!("{name} {field}: want {w:?}, got {got:?}"));
            }
        }
    };
    let eq = |a: &str, b: &str| a == b;
    let amount = |a: &str, b: &str| BigDecimal::from_str(a).ok() == BigDecimal::from_str(b).ok();
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
    // Every invoice line, over all pages, and the lines add up to the subtotal (which the
    // reader checks and says with its confidence).
    if let Some(n) = truth["lines"].as_u64() {
        if inv.lines.len() as u64 != n {
            wrong.push(format!("{name} lines: want {n}, got {}", inv.lines.len()));
        }
        let sum: BigDecimal = inv.lines.iter().map(|l| &l.line_total).sum();
        let subtotal = want("subtotal").and_then(|s| BigDecimal::from_str(&s).ok());
        if n > 0 && subtotal.as_ref() != Some(&sum) {
            wrong.push(format!("{name} lines: sum {sum}, subtotal {subtotal:?}"));
        }
        if n > 0 && inv.line_total.as_ref().is_none_or(|t| t.confidence < Confidence::percent(90)) {
            wrong.push(format!("{name} lines: checked sum {:?}", inv.line_total));
        }
    }
    wrong
}

#[test]
fn real_software_layouts_read_as_their_truth() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/software");
    let entries: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(dir.join("truth.json")).unwrap()).unwrap();
    assert!(entries.len() >= 6, "the fixtures are listed");
    let wrong: Vec<String> = entries.iter().flat_map(wrong_fields).collect();
    assert!(wrong.is_empty(), "wrong fields:\n{}", wrong.join("\n"));
}

#[test]
fn a_wrong_truth_is_caught() {
    // The check can fail: a fixture read against another fixture's truth differs.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/software");
    let entries: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(dir.join("truth.json")).unwrap()).unwrap();
    let mut swapped = entries[0].clone();
    swapped["truth"] = entries[1]["truth"].clone();
    assert!(!wrong_fields(&swapped).is_empty());
}
