//! Bills that small Benelux businesses receive (`corpus/bills.py`, tuning half) must read as
//! their ground truth says (`tests/fixtures/bills/truth.json`). They keep fixed the failure
//! kinds met in those documents: an energy settlement that ends in a balance in the customer's
//! favour ("Terug te betalen door ons") is a credit note for that balance, not an invoice for
//! the period's consumption; the date of a direct debit written into its note is the due date,
//! and the customer's own IBAN printed there is not the supplier's; an insurance premium notice
//! "vrijgesteld van btw" has no VAT and its net amount is its total, and its number stands under
//! "Notanummer" / "Documentnummer"; a French SaaS invoice paid by card ("Montant payé",
//! "Montant dû 0,00 €") has nothing left to pay; a header row set by LibreOffice as one cell
//! ("Factuurnummer  Factuurdatum  Vervaldatum  Uw referentie") gives each label its value; a
//! totals block set under the descriptions is not an invoice line; the lines of a table without
//! quantities ("Voorschot juni 2025 – Elektriciteit  21%  123,00 €") are read.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/truth.rs"]
mod truth;

use serde_json::Value;

/// The fields of one fixture that differ from its truth, with its document kind, its number of
/// lines, and no IBAN read where the truth has none.
fn wrong_fields(entry: &Value) -> Vec<String> {
    let inv = match truth::read("bills", entry) {
        Ok(inv) => inv,
        Err(e) => return vec![e],
    };
    let name = entry["file"].as_str().unwrap();
    let truth = &entry["truth"];
    let mut wrong = truth::wrong_header_fields(entry, &inv);
    // No IBAN in the truth: none may be read (the customer's own account of a direct debit is
    // not the supplier's).
    if truth.get("iban").is_some_and(Value::is_null) && inv.seller.iban.is_some() {
        wrong.push(format!("{name} iban: want none, got {:?}", inv.seller.iban.as_ref().map(|e| e.value.as_str())));
    }
    wrong.extend(truth::wrong_kind_and_lines(entry, &inv));
    wrong
}

#[test]
fn bills_read_as_their_truth() {
    let entries = truth::entries("bills");
    assert!(entries.len() >= 4, "the fixtures are listed");
    let wrong: Vec<String> = entries.iter().flat_map(wrong_fields).collect();
    assert!(wrong.is_empty(), "wrong fields:\n{}", wrong.join("\n"));
}

#[test]
fn a_wrong_truth_is_caught() {
    // The check can fail: a fixture read against another fixture's truth differs.
    let entries = truth::entries("bills");
    let mut swapped = entries[0].clone();
    swapped["truth"] = entries[1]["truth"].clone();
    assert!(!wrong_fields(&swapped).is_empty());
}
