//! Valid e-invoices, table-driven: every field of the extraction is compared.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use billify_domain::{Currency, PaymentReference};
use billify_einvoice::parse_xml;
use billify_ports::intake::{AllowanceCharge, Confidence, DocumentKind, Extracted, ExtractedInvoice, ExtractionMethod};
use support::*;

fn acme_seller() -> billify_ports::intake::ExtractedParty {
    party(Party {
        name: "Acme Consulting BV",
        vat: Some("BE0662970353"),
        legal_id: Some("0662970353"),
        address: Some("Kerkstraat 1, Bus 3, 9000 Gent, BE"),
        iban: Some("BE71001860922869"),
        bic: Some("GEBABEBB"),
    })
}

fn billify_buyer() -> billify_ports::intake::ExtractedParty {
    party(Party {
        name: "Billify Demo NV",
        vat: Some("BE0628719851"),
        legal_id: Some("0628719851"),
        address: Some("Meir 100, 2000 Antwerpen, BE"),
        iban: None,
        bic: None,
    })
}

fn ubl_invoice() -> ExtractedInvoice {
    let mut e = ExtractedInvoice::empty(ExtractionMethod::EinvoiceUbl);
    e.kind = Some(Extracted::certain(DocumentKind::Invoice));
    e.invoice_number = text("INV-2026-0042");
    e.issue_date = Some(Extracted::certain(date(2026, 3, 1)));
    e.due_date = Some(Extracted::certain(date(2026, 3, 31)));
    e.payment_terms = text("Betaling binnen 30 dagen");
    e.currency = Some(Extracted::certain(Currency::EUR));
    e.line_total = amount("1000.00");
    e.subtotal = amount("1000.00");
    e.vat_amount = amount("210.00");
    e.vat_rate = amount("21");
    e.total = amount("1210.00");
    e.amount_due = amount("1210.00");
    e.seller = acme_seller();
    e.buyer = billify_buyer();
    e.payment_reference = reference("+++123/4567/89002+++");
    e.vat_breakdown = vec![vat("S", "21", "1000.00", "210.00")];
    e.lines =
        vec![line("Consulting", "10", "95.00", "950.00", "21"), line("Travel costs", "1", "50.00", "50.00", "21")];
    e
}

fn ubl_credit_note() -> ExtractedInvoice {
    let mut e = ExtractedInvoice::empty(ExtractionMethod::EinvoiceUbl);
    e.kind = Some(Extracted::certain(DocumentKind::CreditNote));
    e.invoice_number = text("CN-2026-0007");
    e.issue_date = Some(Extracted::certain(date(2026, 3, 10)));
    e.due_date = Some(Extracted::certain(date(2026, 4, 9)));
    e.currency = Some(Extracted::certain(Currency::EUR));
    e.line_total = amount("190.00");
    e.subtotal = amount("190.00");
    e.vat_amount = amount("39.90");
    e.vat_rate = amount("21");
    e.total = amount("229.90");
    e.amount_due = amount("229.90");
    e.seller = acme_seller();
    e.seller.bic = None;
    e.buyer = billify_buyer();
    e.payment_reference = reference("+++202/6000/00394+++");
    e.preceding_invoice_number = Some("INV-2026-0042".into());
    e.vat_breakdown = vec![vat("S", "21", "190.00", "39.90")];
    e.lines = vec![line("Consulting (hours invoiced twice)", "2", "95.00", "190.00", "21")];
    e
}

fn cii_invoice() -> ExtractedInvoice {
    let mut e = ExtractedInvoice::empty(ExtractionMethod::EinvoiceCii);
    e.kind = Some(Extracted::certain(DocumentKind::Invoice));
    e.invoice_number = text("RE-2026-1001");
    e.issue_date = Some(Extracted::certain(date(2026, 3, 5)));
    e.due_date = Some(Extracted::certain(date(2026, 4, 4)));
    e.payment_terms = text("Zahlbar innerhalb 30 Tagen netto");
    e.currency = Some(Extracted::certain(Currency::EUR));
    e.line_total = amount("204.80");
    e.allowance_total = amount("10.00");
    e.charge_total = amount("5.00");
    e.subtotal = amount("199.80");
    e.vat_amount = amount("28.39");
    e.vat_rate = None;
    e.total = amount("228.19");
    e.prepaid = amount("28.19");
    e.amount_due = amount("200.00");
    e.seller = party(Party {
        name: "Muster Lieferant GmbH",
        vat: Some("DE136695976"),
        legal_id: Some("HRB 12345"),
        address: Some("Lieferstraße 5, 10115 Berlin, DE"),
        iban: Some("DE89370400440532013000"),
        bic: Some("COBADEFFXXX"),
    });
    e.buyer = party(Party {
        name: "Client SARL",
        vat: Some("FR40303265045"),
        legal_id: Some("303265045"),
        address: Some("12 rue de la Paix, 75002 Paris, FR"),
        iban: None,
        bic: None,
    });
    e.payment_reference = reference("RE-2026-1001");
    e.vat_breakdown = vec![vat("S", "19.00", "120.00", "22.80"), vat("S", "7.00", "79.80", "5.59")];
    e.allowances_charges = vec![
        AllowanceCharge {
            is_charge: false,
            amount: dec("10.00"),
            reason: Some("Rabatt".into()),
            vat_category: Some("S".into()),
            vat_rate: Some(dec("19")),
        },
        AllowanceCharge {
            is_charge: true,
            amount: dec("5.00"),
            reason: Some("FC".into()),
            vat_category: Some("S".into()),
            vat_rate: Some(dec("19")),
        },
    ];
    e.lines = vec![line("Büromaterial", "10", "12.50", "125.00", "19"), line("Fachbuch", "2", "39.90", "79.80", "7")];
    e
}

fn ubl_tricky() -> ExtractedInvoice {
    let mut e = ExtractedInvoice::empty(ExtractionMethod::EinvoiceUbl);
    e.kind = Some(Extracted::certain(DocumentKind::Invoice));
    e.invoice_number = text("2026/0077");
    e.issue_date = Some(Extracted::certain(date(2026, 2, 15)));
    // Computed from "Net 30", so not certain.
    e.due_date = Some(Extracted::new(date(2026, 3, 17), Confidence::percent(80)));
    e.payment_terms = text("Net 30");
    e.currency = Some(Extracted::certain(Currency::EUR));
    e.line_total = amount("625.00");
    e.allowance_total = amount("50.00");
    e.charge_total = amount("20.00");
    e.subtotal = amount("595.00");
    e.vat_amount = amount("94.95");
    e.vat_rate = None;
    e.total = amount("689.95");
    e.prepaid = amount("100.00");
    e.rounding_amount = amount("0.05");
    e.amount_due = amount("590.00");
    e.seller = party(Party {
        name: "Koffiebranderij Voorbeeld",
        vat: Some("BE0628719851"),
        legal_id: Some("0628719851"),
        address: Some("Dorpsplein 7, 3000 Leuven, Vlaams-Brabant, BE"),
        iban: Some("BE68539007547034"),
        bic: None,
    });
    e.buyer = party(Party {
        name: "Acme Consulting BV",
        vat: Some("BE0662970353"),
        legal_id: None,
        address: None,
        iban: None,
        bic: None,
    });
    // Shaped like an OGM but with wrong check digits: kept as free text.
    e.payment_reference = Some(Extracted::certain(PaymentReference::Free("+++123/4567/89003+++".into())));
    e.vat_breakdown = vec![vat("S", "21", "395.00", "82.95"), vat("S", "6", "200.00", "12.00")];
    e.allowances_charges = vec![
        AllowanceCharge {
            is_charge: false,
            amount: dec("50.00"),
            reason: Some("Volume discount".into()),
            vat_category: Some("S".into()),
            vat_rate: Some(dec("21")),
        },
        AllowanceCharge {
            is_charge: true,
            amount: dec("20.00"),
            reason: Some("FC".into()),
            vat_category: Some("S".into()),
            vat_rate: Some(dec("21")),
        },
    ];
    e.lines = vec![
        line("Laptop stand", "4", "75.00", "300.00", "21"),
        line("Coffee beans, single origin", "10", "20.00", "200.00", "6"),
        // 25.00 per 1000 sheets.
        line("Printing paper", "5000", "0.025", "125.00", "21"),
    ];
    e
}

fn cii_tricky_credit_note() -> ExtractedInvoice {
    let mut e = ExtractedInvoice::empty(ExtractionMethod::EinvoiceCii);
    e.kind = Some(Extracted::certain(DocumentKind::CreditNote));
    e.invoice_number = text("AV-2026-0003");
    e.issue_date = Some(Extracted::certain(date(2026, 3, 10)));
    e.due_date = Some(Extracted::new(date(2026, 4, 24), Confidence::percent(80)));
    e.payment_terms = text("Paiement à 45 jours");
    e.currency = Some(Extracted::certain(Currency::EUR));
    e.line_total = amount("100.00");
    e.subtotal = amount("100.00");
    e.vat_amount = amount("20.00");
    e.vat_rate = amount("20");
    e.total = amount("120.00");
    e.amount_due = amount("120.00");
    e.seller = party(Party {
        name: "Fournisseur Exemple SAS",
        vat: Some("FR40303265045"),
        legal_id: Some("303265045"),
        address: Some("5 avenue Foch, 69006 Lyon, FR"),
        iban: None,
        bic: None,
    });
    e.buyer = party(Party {
        name: "Billify Demo NV",
        vat: None,
        legal_id: None,
        address: Some("Meir 100, 2000 Antwerpen, BE"),
        iban: None,
        bic: None,
    });
    e.payment_reference = reference("+++090/9337/55493+++");
    e.preceding_invoice_number = Some("FA-2026-0999".into());
    e.vat_breakdown = vec![vat("S", "20", "100.00", "20.00")];
    e
}

fn table() -> Vec<(&'static str, ExtractedInvoice)> {
    vec![
        ("ubl-invoice.xml", ubl_invoice()),
        ("ubl-invoice-sbdh.xml", ubl_invoice()),
        ("ubl-credit-note.xml", ubl_credit_note()),
        ("ubl-prefixes-terms-allowances.xml", ubl_tricky()),
        ("cii-facturx-en16931.xml", cii_invoice()),
        ("cii-default-namespace-credit-note.xml", cii_tricky_credit_note()),
    ]
}

#[test]
fn every_field_of_every_valid_fixture() {
    for (name, expected) in table() {
        let got = parse_xml(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        // Field by field first, for a readable failure, then the whole value.
        assert_eq!(got.method, expected.method, "{name}: method");
        assert_eq!(got.kind, expected.kind, "{name}: kind");
        assert_eq!(got.invoice_number, expected.invoice_number, "{name}: invoice_number");
        assert_eq!(got.issue_date, expected.issue_date, "{name}: issue_date");
        assert_eq!(got.due_date, expected.due_date, "{name}: due_date");
        assert_eq!(got.payment_terms, expected.payment_terms, "{name}: payment_terms");
        assert_eq!(got.currency, expected.currency, "{name}: currency");
        assert_eq!(got.line_total, expected.line_total, "{name}: line_total");
        assert_eq!(got.allowance_total, expected.allowance_total, "{name}: allowance_total");
        assert_eq!(got.charge_total, expected.charge_total, "{name}: charge_total");
        assert_eq!(got.subtotal, expected.subtotal, "{name}: subtotal");
        assert_eq!(got.vat_amount, expected.vat_amount, "{name}: vat_amount");
        assert_eq!(got.vat_rate, expected.vat_rate, "{name}: vat_rate");
        assert_eq!(got.total, expected.total, "{name}: total");
        assert_eq!(got.prepaid, expected.prepaid, "{name}: prepaid");
        assert_eq!(got.rounding_amount, expected.rounding_amount, "{name}: rounding_amount");
        assert_eq!(got.amount_due, expected.amount_due, "{name}: amount_due");
        assert_eq!(got.seller, expected.seller, "{name}: seller");
        assert_eq!(got.buyer, expected.buyer, "{name}: buyer");
        assert_eq!(got.payment_reference, expected.payment_reference, "{name}: payment_reference");
        assert_eq!(got.preceding_invoice_number, expected.preceding_invoice_number, "{name}: preceding invoice");
        assert_eq!(got.vat_breakdown, expected.vat_breakdown, "{name}: vat_breakdown");
        assert_eq!(got.allowances_charges, expected.allowances_charges, "{name}: allowances_charges");
        assert_eq!(got.lines, expected.lines, "{name}: lines");
        assert_eq!(got.rule_violations, expected.rule_violations, "{name}: rule_violations");
        assert_eq!(got, expected, "{name}");
    }
}

#[test]
fn read_values_are_certain() {
    let got = parse_xml(&fixture("ubl-invoice.xml")).unwrap();
    assert_eq!(got.total.unwrap().confidence, Confidence::CERTAIN);
}

#[test]
fn type_codes_decide_invoice_or_credit_note() {
    let ubl = String::from_utf8(fixture("ubl-invoice.xml")).unwrap();
    let cii = String::from_utf8(fixture("cii-facturx-en16931.xml")).unwrap();
    for (xml, kind) in [
        (ubl.replace(">380</cbc:InvoiceTypeCode>", ">381</cbc:InvoiceTypeCode>"), DocumentKind::CreditNote),
        (ubl.replace(">380</cbc:InvoiceTypeCode>", ">389</cbc:InvoiceTypeCode>"), DocumentKind::Invoice),
        (ubl.replace("<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>", ""), DocumentKind::Invoice),
        (cii.replace(">380</ram:TypeCode>", ">384</ram:TypeCode>"), DocumentKind::Invoice),
        (cii.replace(">380</ram:TypeCode>", ">751</ram:TypeCode>"), DocumentKind::Invoice),
        (cii.replace(">380</ram:TypeCode>", ">261</ram:TypeCode>"), DocumentKind::CreditNote),
    ] {
        assert_eq!(parse_xml(xml.as_bytes()).unwrap().kind, Some(Extracted::certain(kind)));
    }
}

#[test]
fn latin1_documents_read_like_utf8_ones() {
    let utf8 = String::from_utf8(fixture("cii-facturx-en16931.xml")).unwrap();
    let declared = utf8.replacen("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"", 1);
    let latin1: Vec<u8> = declared.chars().map(|c| u8::try_from(u32::from(c)).unwrap()).collect();
    assert_eq!(parse_xml(&latin1).unwrap(), cii_invoice());
}
