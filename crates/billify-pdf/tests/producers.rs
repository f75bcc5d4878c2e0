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

#[path = "support/truth.rs"]
mod truth;

use std::path::Path;

use serde_json::Value;

/// The fields of one fixture that differ from its truth, with its document kind and its number
/// of lines. A page without text fails its fixture, not the whole run, so every wrong fixture is
/// listed.
fn wrong_fields(entry: &Value) -> Vec<String> {
    let inv = match truth::read("producers", entry) {
        Ok(inv) => inv,
        Err(e) => return vec![e],
    };
    let mut wrong = truth::wrong_header_fields(entry, &inv);
    wrong.extend(truth::wrong_kind_and_lines(entry, &inv));
    wrong
}

#[test]
fn producers_read_as_their_truth() {
    let entries = truth::entries("producers");
    assert!(entries.len() >= 8, "the fixtures are listed");
    let wrong: Vec<String> = entries.iter().flat_map(wrong_fields).collect();
    assert!(wrong.is_empty(), "wrong fields:\n{}", wrong.join("\n"));
}

#[test]
fn a_wrong_truth_is_caught() {
    // The check can fail: a fixture read against another fixture's truth differs.
    let entries = truth::entries("producers");
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
        let number =
            truth::entries("producers").into_iter().find(|e| e["file"] == name).unwrap()["truth"]["invoice_number"]
                .clone();
        assert!(text.contains(number.as_str().unwrap()), "{name}: {text}");
    }
}
