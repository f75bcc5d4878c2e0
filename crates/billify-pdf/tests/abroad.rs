//! Invoices from suppliers abroad and the documents small businesses type or get at the till
//! must read as their ground truth says (`tests/fixtures/abroad/truth.json`: one tuning-half
//! document of each family of `corpus/intl.py` and `corpus/world.py`;
//! `tests/fixtures/smb/truth.json`: of `corpus/smb.py`). They keep fixed the failure kinds met
//! there: labels in Spanish, Italian, Portuguese, Polish, Swedish, Danish, Czech and Swiss and
//! Austrian German; VAT numbers printed without their prefix under a national label or labelled
//! by the words just before them; a rounding line between VAT and total; a VAT summary with a
//! row per rate; the dollar of a page that names its country, the rand, GST, HST and QST;
//! payments that leave nothing to pay; a letter's subject line and its total in a sentence.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/truth.rs"]
mod truth;

use serde_json::Value;

/// The fields of one fixture of `folder` that differ from its truth, its kind and its lines.
fn wrong_fields(folder: &str, entry: &Value) -> Vec<String> {
    let inv = match truth::read(folder, entry) {
        Ok(inv) => inv,
        Err(e) => return vec![e],
    };
    let mut wrong = truth::wrong_header_fields(entry, &inv);
    wrong.extend(truth::wrong_kind_and_lines(entry, &inv));
    wrong
}

#[test]
fn invoices_from_abroad_read_as_their_truth() {
    let entries = truth::entries("abroad");
    assert!(entries.len() >= 20, "the fixtures are listed");
    let wrong: Vec<String> = entries.iter().flat_map(|e| wrong_fields("abroad", e)).collect();
    assert!(wrong.is_empty(), "wrong fields:\n{}", wrong.join("\n"));
}

#[test]
fn letters_folios_and_marketplace_invoices_read_as_their_truth() {
    let entries = truth::entries("smb");
    assert!(entries.len() >= 5, "the fixtures are listed");
    let wrong: Vec<String> = entries.iter().flat_map(|e| wrong_fields("smb", e)).collect();
    assert!(wrong.is_empty(), "wrong fields:\n{}", wrong.join("\n"));
}

#[test]
fn a_wrong_truth_is_caught() {
    // The check can fail: a fixture read against another fixture's truth differs.
    let entries = truth::entries("abroad");
    let mut swapped = entries[0].clone();
    swapped["truth"] = entries[1]["truth"].clone();
    assert!(!wrong_fields("abroad", &swapped).is_empty());
}
