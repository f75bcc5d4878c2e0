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

#[path = "support/truth.rs"]
mod truth;

use std::str::FromStr;

use bigdecimal::BigDecimal;
use billify_ports::intake::Confidence;
use serde_json::Value;

/// The fields of one fixture that differ from its truth, and its invoice lines: every one, over
/// all pages, adding up to the subtotal (which the reader checks and says with its confidence).
fn wrong_fields(entry: &Value) -> Vec<String> {
    let inv = truth::read("software", entry).unwrap();
    let name = entry["file"].as_str().unwrap();
    let truth = &entry["truth"];
    let mut wrong = truth::wrong_header_fields(entry, &inv);
    if let Some(n) = truth["lines"].as_u64() {
        if inv.lines.len() as u64 != n {
            wrong.push(format!("{name} lines: want {n}, got {}", inv.lines.len()));
        }
        let sum: BigDecimal = inv.lines.iter().map(|l| &l.line_total).sum();
        let subtotal = truth["subtotal"].as_str().and_then(|s| BigDecimal::from_str(s).ok());
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
    let entries = truth::entries("software");
    assert!(entries.len() >= 6, "the fixtures are listed");
    let wrong: Vec<String> = entries.iter().flat_map(wrong_fields).collect();
    assert!(wrong.is_empty(), "wrong fields:\n{}", wrong.join("\n"));
}

#[test]
fn a_wrong_truth_is_caught() {
    // The check can fail: a fixture read against another fixture's truth differs.
    let entries = truth::entries("software");
    let mut swapped = entries[0].clone();
    swapped["truth"] = entries[1]["truth"].clone();
    assert!(!wrong_fields(&swapped).is_empty());
}
