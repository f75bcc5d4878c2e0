//! Table-driven tests over the generated fixture corpus: every field of every fixture.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support {
    pub mod generate;
}

use std::path::Path;
use std::str::FromStr;

use bigdecimal::BigDecimal;
use billify_domain::{Bic, Currency, Iban, PaymentReference, StructuredReference, VatNumber};
use billify_pdf::{Limits, extract_invoice, extract_text};
use billify_ports::intake::{ExtractedInvoice, ExtractionError, OwnParty};
use time::Date;
use time::macros::date;

const TODAY: Date = date!(2024 - 06 - 01);

/// What a fixture must yield; `None` means the field must be absent.
struct Expected {
    file: &'static str,
    invoice_number: &'static str,
    issue_date: Date,
    due_date: Date,
    payment_terms: Option<&'static str>,
    currency: &'static str,
    subtotal: &'static str,
    vat: &'static str,
    vat_rate: Option<&'static str>,
    total: &'static str,
    amount_due: &'static str,
    prepaid: Option<&'static str>,
    seller: &'static str,
    seller_address: Option<&'static str>,
    seller_vat: Option<&'static str>,
    iban: &'static str,
    bic: &'static str,
    reference: Option<Reference>,
    buyer: &'static str,
    buyer_vat: Option<&'static str>,
    pages: usize,
}

enum Reference {
    Ogm(&'static str),
    Free(&'static str),
}

fn corpus() -> Vec<Expected> {
    vec![
        Expected {
            file: "nl_labels_left.pdf",
            invoice_number: "F2024-0042",
            issue_date: date!(2024 - 03 - 15),
            due_date: date!(2024 - 04 - 14),
            payment_terms: Some("30 dagen"),
            currency: "EUR",
            subtotal: "2234.50",
            vat: "469.25",
            vat_rate: Some("21"),
            total: "2703.75",
            amount_due: "2703.75",
            prepaid: None,
            seller: "Schilderwerken Peeters BV",
            seller_address: Some("Kerkstraat 12, 9000 Gent"),
            seller_vat: Some("BE0403170701"),
            iban: "BE68539007547034",
            bic: "TRIOBEBB",
            reference: Some(Reference::Ogm("+++090/9337/55493+++")),
            buyer: "Bakkerij De Zon NV",
            buyer_vat: Some("BE0897054515"),
            pages: 1,
        },
        Expected {
            file: "fr_labels_above.pdf",
            invoice_number: "FAC-2024-118",
            issue_date: date!(2024 - 03 - 15),
            due_date: date!(2024 - 04 - 14),
            payment_terms: None,
            currency: "EUR",
            subtotal: "1234.56",
            vat: "259.26",
            vat_rate: Some("21"),
            total: "1493.82",
            amount_due: "1493.82",
            prepaid: None,
            seller: "Atelier Lumière SRL",
            seller_address: Some("Rue de la Loi 155, 1040 Bruxelles"),
            seller_vat: Some("BE0477775676"),
            iban: "BE71096123456769",
            bic: "GKCCBEBB",
            reference: Some(Reference::Free("FAC-2024-118")),
            buyer: "Café du Commerce SPRL",
            buyer_vat: None,
            pages: 1,
        },
        Expected {
            file: "de_type0.pdf",
            invoice_number: "RE-2024-0815",
            issue_date: date!(2024 - 05 - 02),
            due_date: date!(2024 - 05 - 16),
            payment_terms: None,
            currency: "EUR",
            subtotal: "1234.56",
            vat: "234.57",
            vat_rate: Some("19"),
            total: "1469.13",
            amount_due: "1469.13",
            prepaid: None,
            seller: "Müller & Söhne GmbH",
            seller_address: Some("Hauptstraße 5, 10115 Berlin"),
            seller_vat: Some("DE136695976"),
            iban: "DE89370400440532013000",
            bic: "COBADEFFXXX",
            reference: Some(Reference::Free("RE-2024-0815")),
            buyer: "Schreinerei Köhler KG",
            buyer_vat: None,
            pages: 1,
        },
        Expected {
            file: "en_multipage.pdf",
            invoice_number: "BC-1042",
            issue_date: date!(2025 - 03 - 05),
            due_date: date!(2025 - 04 - 04),
            payment_terms: Some("net 30"),
            currency: "GBP",
            subtotal: "6982.35",
            vat: "1396.47",
            vat_rate: Some("20"),
            total: "8378.82",
            amount_due: "7378.82",
            prepaid: Some("1000.00"),
            seller: "Brightside Consulting Ltd",
            seller_address: Some("221 Baker Street, London NW1 6XE"),
            seller_vat: Some("GB123456789"),
            iban: "GB29NWBK60161331926819",
            bic: "NWBKGB2L",
            reference: Some(Reference::Free("BC-1042")),
            buyer: "Northwind Traders Limited",
            buyer_vat: None,
            pages: 2,
        },
        Expected {
            file: "nl_two_rates.pdf",
            invoice_number: "2024/0311",
            issue_date: date!(2024 - 05 - 01),
            due_date: date!(2024 - 05 - 31),
            payment_terms: None,
            currency: "EUR",
            subtotal: "700.00",
            vat: "72.00",
            vat_rate: None,
            total: "772.00",
            amount_due: "772.00",
            prepaid: None,
            seller: "Groenhandel Vermeulen BVBA",
            seller_address: Some("Veldstraat 88, 3000 Leuven"),
            seller_vat: Some("BE0897054515"),
            iban: "BE68539007547034",
            bic: "TRIOBEBB",
            reference: None,
            buyer: "Brasserie 't Hoekske VOF",
            buyer_vat: Some("BE0403170701"),
            pages: 1,
        },
    ]
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

fn dec(s: &str) -> BigDecimal {
    BigDecimal::from_str(s).unwrap()
}

fn check(e: &Expected, inv: &ExtractedInvoice) {
    let f = e.file;
    let val = |o: &Option<billify_ports::intake::Extracted<BigDecimal>>| o.as_ref().map(|x| x.value.clone());
    assert_eq!(inv.invoice_number.as_ref().map(|x| x.value.as_str()), Some(e.invoice_number), "{f}: invoice number");
    assert_eq!(inv.issue_date.as_ref().map(|x| x.value), Some(e.issue_date), "{f}: issue date");
    assert_eq!(inv.due_date.as_ref().map(|x| x.value), Some(e.due_date), "{f}: due date");
    assert_eq!(inv.payment_terms.as_ref().map(|x| x.value.as_str()), e.payment_terms, "{f}: payment terms");
    assert_eq!(inv.currency.as_ref().map(|x| x.value), Some(Currency::parse(e.currency).unwrap()), "{f}: currency");
    assert_eq!(val(&inv.subtotal), Some(dec(e.subtotal)), "{f}: subtotal");
    assert_eq!(val(&inv.vat_amount), Some(dec(e.vat)), "{f}: vat");
    assert_eq!(val(&inv.vat_rate), e.vat_rate.map(dec), "{f}: vat rate");
    assert_eq!(val(&inv.total), Some(dec(e.total)), "{f}: total");
    assert_eq!(val(&inv.amount_due), Some(dec(e.amount_due)), "{f}: amount due");
    assert_eq!(val(&inv.prepaid), e.prepaid.map(dec), "{f}: prepaid");
    assert_eq!(inv.seller.name.as_ref().map(|x| x.value.as_str()), Some(e.seller), "{f}: seller");
    assert_eq!(inv.seller.address.as_ref().map(|x| x.value.as_str()), e.seller_address, "{f}: seller address");
    assert_eq!(
        inv.seller.vat_number.as_ref().map(|x| x.value.clone()),
        e.seller_vat.map(|v| VatNumber::parse(v).unwrap()),
        "{f}: seller VAT"
    );
    assert_eq!(inv.seller.iban.as_ref().map(|x| x.value.clone()), Some(Iban::parse(e.iban).unwrap()), "{f}: IBAN");
    assert_eq!(inv.seller.bic.as_ref().map(|x| x.value.clone()), Some(Bic::parse(e.bic).unwrap()), "{f}: BIC");
    let reference = e.reference.as_ref().map(|r| match r {
        Reference::Ogm(s) => PaymentReference::Structured(StructuredReference::parse(s).unwrap()),
        Reference::Free(s) => PaymentReference::Free((*s).into()),
    });
    assert_eq!(inv.payment_reference.as_ref().map(|x| x.value.clone()), reference, "{f}: payment reference");
    assert_eq!(inv.buyer.name.as_ref().map(|x| x.value.as_str()), Some(e.buyer), "{f}: buyer");
    assert_eq!(
        inv.buyer.vat_number.as_ref().map(|x| x.value.clone()),
        e.buyer_vat.map(|v| VatNumber::parse(v).unwrap()),
        "{f}: buyer VAT"
    );
    assert!(inv.buyer.iban.is_none(), "{f}: buyer IBAN");
    for c in [&inv.invoice_number.as_ref().map(|x| x.confidence), &inv.total.as_ref().map(|x| x.confidence)] {
        assert!(c.is_some_and(|c| c.as_percent() >= 70), "{f}: confidence {c:?}");
    }
}

#[test]
fn every_fixture_extracts_every_field() {
    for e in corpus() {
        let bytes = fixture(e.file);
        let text = extract_text(&bytes, &Limits::default()).unwrap();
        assert_eq!(text.pages.len(), e.pages, "{}: pages", e.file);
        let inv = extract_invoice(&bytes, &OwnParty::default(), TODAY, &Limits::default()).unwrap();
        check(&e, &inv);
    }
}

#[test]
fn own_party_picks_the_counterparty_as_seller() {
    // The reader is the buyer; its own IBAN printed for direct debit must not become the payee.
    let own = OwnParty {
        names: vec!["Brasserie 't Hoekske VOF".into()],
        vat_numbers: vec![VatNumber::parse("BE0403170701").unwrap()],
        ibans: vec![Iban::parse("BE71096123456769").unwrap()],
    };
    let e = corpus().into_iter().find(|e| e.file == "nl_two_rates.pdf").unwrap();
    let inv = extract_invoice(&fixture(e.file), &own, TODAY, &Limits::default()).unwrap();
    check(&e, &inv);
}

#[test]
fn special_text_decodings() {
    let text = |f: &str| extract_text(&fixture(f), &Limits::default()).unwrap().text();
    // /Differences maps codes 1..=8 to accented letters and the euro.
    assert!(text("fr_labels_above.pdf").contains("Date d'échéance"));
    assert!(text("fr_labels_above.pdf").contains("1 493,82 €"));
    // Type0 Identity-H through ToUnicode; words split by TJ kerning, not spaces.
    assert!(text("de_type0.pdf").contains("Müller & Söhne GmbH"));
    assert!(text("de_type0.pdf").contains("Hauptstraße 5, 10115 Berlin"));
    // MacRoman without /Widths.
    assert!(text("nl_two_rates.pdf").contains("Bloemen en décoratie (21%)"));
    // A flipped coordinate system still reads top to bottom.
    let en = extract_text(&fixture("en_multipage.pdf"), &Limits::default()).unwrap();
    assert_eq!(en.pages[0].lines[0].text(), "INVOICE");
    assert_eq!(en.pages[1].lines.last().unwrap().text(), "Page 2 of 2");
}

#[test]
fn image_only_and_encrypted_documents_are_refused() {
    let limits = Limits::default();
    assert_eq!(extract_text(&fixture("image_only.pdf"), &limits), Err(ExtractionError::NoText));
    assert_eq!(
        extract_invoice(&fixture("image_only.pdf"), &OwnParty::default(), TODAY, &limits),
        Err(ExtractionError::NoText)
    );
    assert_eq!(extract_text(&fixture("encrypted.pdf"), &limits), Err(ExtractionError::Encrypted));
    // Made with `qpdf --encrypt user-secret owner-secret 256 -- fr_labels_above.pdf ...`.
    assert_eq!(extract_text(&fixture("user_password_aes256.pdf"), &limits), Err(ExtractionError::Encrypted));
}

/// PDFs encrypted with an owner password only (the user password is empty), as invoicing
/// software writes them, read exactly like the plain original. Made from `fr_labels_above.pdf`
/// with qpdf: `--encrypt "" owner-secret 40` (RC4, 40 bits), `128 --use-aes=n` (RC4),
/// `128 --use-aes=y` and `256` (AES), the AES ones with `--object-streams=generate`, all with
/// printing, copying or editing restricted.
#[test]
fn documents_with_only_an_owner_password_are_read() {
    let limits = Limits::default();
    let plain = extract_invoice(&fixture("fr_labels_above.pdf"), &OwnParty::default(), TODAY, &limits).unwrap();
    let plain_text = extract_text(&fixture("fr_labels_above.pdf"), &limits).unwrap().text();
    let expected = corpus().into_iter().find(|e| e.file == "fr_labels_above.pdf").unwrap();
    for name in [
        "owner_only_rc4_40.pdf",
        "owner_only_rc4_128.pdf",
        "owner_only_aes128_objstm.pdf",
        "owner_only_aes256_objstm.pdf",
    ] {
        let bytes = fixture(name);
        assert!(bytes.windows(8).any(|w| w == b"/Encrypt"), "{name} is encrypted");
        assert_eq!(extract_text(&bytes, &limits).unwrap().text(), plain_text, "{name}");
        let inv = extract_invoice(&bytes, &OwnParty::default(), TODAY, &limits).unwrap();
        check(&expected, &inv);
        assert_eq!(inv, plain, "{name}");
    }
}

#[test]
fn committed_fixtures_match_the_generator() {
    for (name, bytes) in support::generate::fixtures() {
        assert!(fixture(name) == bytes, "{name} differs from the generator: run the generate_fixtures example");
    }
}

#[test]
fn text_drawn_turned_a_quarter_is_read() {
    let upright =
        extract_invoice(&fixture("nl_two_rates.pdf"), &OwnParty::default(), TODAY, &Limits::default()).unwrap();
    let bytes = support::generate::nl_two_rates_rotated();
    let text = extract_text(&bytes, &Limits::default()).unwrap().text();
    assert!(text.contains("Groenhandel Vermeulen BVBA"), "{text}");
    let turned = extract_invoice(&bytes, &OwnParty::default(), TODAY, &Limits::default()).unwrap();
    assert_eq!(turned.invoice_number, upright.invoice_number);
    assert_eq!(turned.total, upright.total);
    assert_eq!(turned.vat_amount, upright.vat_amount);
    assert_eq!(turned.seller.iban, upright.seller.iban);
    assert_eq!(turned.total.unwrap().value.to_string(), "772.00");
}
