//! Invoices printed through the PDF writers of real invoicing software (`corpus/producers.py`,
//! tuning half) must read as their ground truth says (`tests/fixtures/producers/truth.json`).
//! They keep fixed the failure kinds met there: Identity-H text without a `/ToUnicode` CMap
//! (an fpdf2 and a WeasyPrint page with the CMaps dropped) is read through the embedded
//! TrueType font's own `cmap`; xhtml2pdf (ReportLab) writes a footer's `•` as the unused
//! WinAnsi code `\177`, a bullet, so the footer still splits into seller, VAT and IBAN; a
//! pdfmake header row set one em apart ("Gutschrift Nr.  Rechnungsdatum  …  Zahlbar bis") is
//! cut after a label ending in a dot; jsPDF places every glyph on its own with Helvetica and no
//! `/Widths`, so the footer's `·` must be measured as narrow as it is or it eats the space
//! after it; a Typst title "Handelsrechnung Nr. F24-3332 vom 23.01.2024" wraps after "Nr.",
//! and the number on the next line, left of the label, is still its number. An FPDI-style page
//! (the text in a form XObject) and a page stored landscape and turned by `/Rotate 90` read as
//! their truth too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::str::FromStr;

use bigdecimal::BigDecimal;
use billify_domain::{Iban, VatNumber};
use billify_pdf::{Limits, extract_invoice};
use billify_ports::intake::{DocumentKind, OwnParty};
use serde_json::Value;
use time::macros::date;

fn compact(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn strings(v: &Value, k: &str) -> Vec<String> {
    v[k].as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

fn entries() -> Vec<Value> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/producers");
    serde_json::from_str(&std::fs::read_to_string(dir.join("truth.json")).unwrap()).unwrap()
}

/// The fields of one fixture that differ from its truth (amounts of a credit note by absolute
/// value, as the scorer compares them).
fn wrong_fields(entry: &Value) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/producers");
    let name = entry["file"].as_str().unwrap();
    let bytes = std::fs::read(dir.join(name)).unwrap();
    let own = &entry["own"];
    let own = OwnParty {
        names: strings(own, "names"),
        vat_numbers: strings(own, "vat_numbers").iter().filter_map(|s| VatNumber::parse(s).ok()).collect(),
        ibans: strings(own, "ibans").iter().filter_map(|s| Iban::parse(s).ok()).collect(),
    };
    // A page without text (the reader of `pdf5` on the ToUnicode-less fixtures) fails its
    // fixture, not the whole run, so every wrong fixture is listed.
    let inv = match extract_invoice(&bytes, &own, date!(2026 - 01 - 01), &Limits::default()) {
        Ok(inv) => inv,
        Err(e) => return vec![format!("{name}: not read: {e}")],
    };
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
    let kind = inv.kind.as_ref().map(|k| k.value);
    let want_kind = if credit { DocumentKind::CreditNote } else { DocumentKind::Invoice };
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

#[test]
fn producers_read_as_their_truth() {
    let entries = entries();
    assert!(entries.len() >= 8, "the fixtures are listed");
    let wrong: Vec<String> = entries.iter().flat_map(wrong_fields).collect();
    assert!(wrong.is_empty(), "wrong fields:\n{}", wrong.join("\n"));
}

#[test]
fn a_wrong_truth_is_caught() {
    // The check can fail: a fixture read against another fixture's truth differs.
    let entries = entries();
    let mut swapped = entries[0].clone();
    swapped["truth"] = entries[1]["truth"].clone();
    assert!(!wrong_fields(&swapped).is_empty());
}

#[test]
fn text_without_to_unicode_is_read_from_the_embedded_font() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/producers");
    for name in ["nocmap-benelux-00.pdf", "nocmap-credit-10.pdf"] {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        let doc = billify_pdf::extract_text(&bytes, &billify_pdf::Limits::default()).unwrap();
        let text: String = doc.pages.iter().flat_map(|p| p.lines.iter().map(|l| l.text() + "\n")).collect();
        let number = entries().into_iter().find(|e| e["file"] == name).unwrap()["truth"]["invoice_number"].clone();
        assert!(text.contains(number.as_str().unwrap()), "{name}: {text}");
    }
}
