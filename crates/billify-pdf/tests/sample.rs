//! The prototype's sample invoice must extract exactly as its ground truth
//! (`shared/fixtures/README.md`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::str::FromStr;

use bigdecimal::BigDecimal;
use billify_domain::{Bic, Currency, Iban, PaymentReference, VatNumber};
use billify_pdf::{Limits, extract_invoice, extract_text};
use billify_ports::intake::{ExtractionMethod, OwnParty};
use time::macros::date;

const SAMPLE: &[u8] = include_bytes!("fixtures/sample.pdf");

fn dec(s: &str) -> BigDecimal {
    BigDecimal::from_str(s).unwrap()
}

#[test]
fn sample_text_keeps_layout() {
    let doc = extract_text(SAMPLE, &Limits::default()).unwrap();
    assert_eq!(doc.pages.len(), 1);
    let text = doc.text();
    for needle in ["Invoice Number", "INV-SO-2023-2812", "Amount Due EUR 382,06 EUR", "IBAN: BE71 0018 6092 2869"] {
        assert!(text.contains(needle), "{needle:?} missing in\n{text}");
    }
    // Right-aligned totals share a line with their labels.
    let line = doc.pages[0].lines.iter().find(|l| l.text().starts_with("Subtotal")).unwrap();
    assert_eq!(line.words.last().unwrap().text, "EUR");
    assert!(line.words[0].x > 400.0);
}

fn check(own: &OwnParty) {
    let inv = extract_invoice(SAMPLE, own, date!(2024 - 01 - 01), &Limits::default()).unwrap();
    assert_eq!(inv.method, ExtractionMethod::PdfText);
    assert_eq!(inv.invoice_number.unwrap().value, "INV-SO-2023-2812");
    assert_eq!(inv.issue_date.unwrap().value, date!(2023 - 04 - 01));
    assert_eq!(inv.due_date.unwrap().value, date!(2023 - 04 - 10));
    assert_eq!(inv.currency.unwrap().value, Currency::EUR);
    assert_eq!(inv.subtotal.unwrap().value, dec("315.75"));
    assert_eq!(inv.vat_amount.unwrap().value, dec("66.31"));
    assert_eq!(inv.vat_rate.unwrap().value, dec("21"));
    assert_eq!(inv.total.unwrap().value, dec("382.06"));
    assert_eq!(inv.amount_due.unwrap().value, dec("382.06"));
    assert_eq!(inv.seller.name.unwrap().value, "Bloc Group BV");
    assert_eq!(inv.seller.address.unwrap().value, "Meirbrug 1, 2000 Antwerpen");
    assert_eq!(inv.seller.vat_number.unwrap().value, VatNumber::parse("BE0662970353").unwrap());
    assert_eq!(inv.seller.iban.unwrap().value, Iban::parse("BE71 0018 6092 2869").unwrap());
    assert_eq!(inv.seller.bic.unwrap().value, Bic::parse("GEBABEBB").unwrap());
    assert_eq!(inv.buyer.name.unwrap().value, "CF accountancy BV");
    assert_eq!(inv.buyer.address.unwrap().value, "Bijlokevest 143, Gent");
    assert_eq!(inv.buyer.vat_number.unwrap().value, VatNumber::parse("BE 0628.719.851").unwrap());
    assert_eq!(inv.payment_reference.unwrap().value, PaymentReference::Free("INV-SO-2023-2812".into()));
}

#[test]
fn sample_fields_match_ground_truth() {
    check(&OwnParty::default());
}

#[test]
fn sample_fields_match_with_own_party_as_buyer() {
    let own = OwnParty {
        names: vec!["CF accountancy BV".into()],
        vat_numbers: vec![VatNumber::parse("BE0628719851").unwrap()],
        ibans: vec![],
    };
    check(&own);
}
