//! Valid e-invoices, table-driven: every field of the extraction is compared.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use billify_domain::Currency;
use billify_einvoice::parse_xml;
use billify_ports::intake::{Confidence, DocumentKind, Extracted, ExtractedInvoice, ExtractionMethod};
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

fn table() -> Vec<(&'static str, ExtractedInvoice)> {
    vec![("ubl-invoice.xml", ubl_invoice())]
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
