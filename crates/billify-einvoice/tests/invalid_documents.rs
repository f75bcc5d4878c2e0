//! Documents that must be refused, or read with their broken rules listed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use billify_einvoice::{Limits, parse_xml, parse_xml_with_limits};
use billify_ports::intake::ExtractionError;
use support::*;

fn fixture_text(name: &str) -> String {
    String::from_utf8(fixture(name)).unwrap()
}

/// Asserts a `Malformed` error whose message contains `needle`.
fn assert_malformed(
    result: Result<billify_ports::intake::ExtractedInvoice, ExtractionError>,
    needle: &str,
    case: &str,
) {
    match result {
        Err(ExtractionError::Malformed(m)) => assert!(m.contains(needle), "{case}: {m:?} should mention {needle:?}"),
        other => panic!("{case}: expected Malformed mentioning {needle:?}, got {other:?}"),
    }
}

#[test]
fn missing_or_invalid_mandatory_fields_name_the_element() {
    let ubl = fixture_text("ubl-invoice.xml");
    let credit = fixture_text("ubl-credit-note.xml");
    let cii = fixture_text("cii-facturx-en16931.xml");
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "UBL without BT-1",
            ubl.replace("<cbc:ID>INV-2026-0042</cbc:ID>", ""),
            "missing cbc:ID (BT-1, invoice number) in Invoice",
        ),
        (
            "UBL with an empty BT-1",
            ubl.replace("<cbc:ID>INV-2026-0042</cbc:ID>", "<cbc:ID>  </cbc:ID>"),
            "missing cbc:ID (BT-1, invoice number) in Invoice",
        ),
        (
            "UBL without BT-2",
            ubl.replace("<cbc:IssueDate>2026-03-01</cbc:IssueDate>", ""),
            "missing cbc:IssueDate (BT-2, issue date) in Invoice",
        ),
        (
            "UBL with an impossible BT-2",
            ubl.replace("<cbc:IssueDate>2026-03-01</cbc:IssueDate>", "<cbc:IssueDate>2026-02-30</cbc:IssueDate>"),
            "cbc:IssueDate (BT-2, issue date) in Invoice is not a valid date: \"2026-02-30\"",
        ),
        (
            "UBL without BT-5",
            ubl.replace("<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>", ""),
            "missing cbc:DocumentCurrencyCode (BT-5, invoice currency code) in Invoice",
        ),
        (
            "UBL with an unknown currency",
            ubl.replace(
                "<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>",
                "<cbc:DocumentCurrencyCode>EURO</cbc:DocumentCurrencyCode>",
            ),
            "cbc:DocumentCurrencyCode (BT-5) in Invoice is not an ISO 4217 currency: \"EURO\"",
        ),
        (
            "UBL without BT-112",
            ubl.replace("<cbc:TaxInclusiveAmount currencyID=\"EUR\">1210.00</cbc:TaxInclusiveAmount>", ""),
            "missing cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount (BT-112",
        ),
        (
            "UBL without BT-115",
            ubl.replace("<cbc:PayableAmount currencyID=\"EUR\">1210.00</cbc:PayableAmount>", ""),
            "missing cac:LegalMonetaryTotal/cbc:PayableAmount (BT-115",
        ),
        (
            "UBL with a BT-115 that is no decimal",
            ubl.replace(
                "<cbc:PayableAmount currencyID=\"EUR\">1210.00</cbc:PayableAmount>",
                "<cbc:PayableAmount currencyID=\"EUR\">1.210,00</cbc:PayableAmount>",
            ),
            "cbc:PayableAmount (BT-115) in Invoice is not a decimal number: \"1.210,00\"",
        ),
        (
            "UBL without a seller name",
            ubl.replace("<cbc:RegistrationName>Acme Consulting BV</cbc:RegistrationName>", "")
                .replace("<cbc:Name>Acme Consulting</cbc:Name>", ""),
            "missing cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName (BT-27, seller name) in Invoice",
        ),
        (
            "UBL with a line without its amount",
            ubl.replace("<cbc:LineExtensionAmount currencyID=\"EUR\">50.00</cbc:LineExtensionAmount>", ""),
            "missing cbc:LineExtensionAmount (BT-131, invoice line net amount) in Invoice",
        ),
        (
            "UBL credit note without BT-1",
            credit.replace("<cbc:ID>CN-2026-0007</cbc:ID>", ""),
            "missing cbc:ID (BT-1, invoice number) in CreditNote",
        ),
        (
            "CII without BT-1",
            cii.replace("<ram:ID>RE-2026-1001</ram:ID>", ""),
            "missing rsm:ExchangedDocument/ram:ID (BT-1, invoice number) in rsm:CrossIndustryInvoice",
        ),
        (
            "CII without BT-2",
            cii.replace("<udt:DateTimeString format=\"102\">20260305</udt:DateTimeString>", ""),
            "missing rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString (BT-2, invoice issue date) in rsm:CrossIndustryInvoice",
        ),
        (
            "CII with a BT-2 in another format",
            cii.replace(
                "<udt:DateTimeString format=\"102\">20260305</udt:DateTimeString>",
                "<udt:DateTimeString format=\"610\">202603</udt:DateTimeString>",
            ),
            "rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString (BT-2, invoice issue date) in rsm:CrossIndustryInvoice has date format \"610\"",
        ),
        (
            "CII without BT-5",
            cii.replace("<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>", ""),
            "missing rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:InvoiceCurrencyCode (BT-5, invoice currency code) in rsm:CrossIndustryInvoice",
        ),
        (
            "CII without BT-112",
            cii.replace("<ram:GrandTotalAmount>228.19</ram:GrandTotalAmount>", ""),
            "ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount (BT-112, invoice total amount with VAT)",
        ),
        (
            "CII without BT-115",
            cii.replace("<ram:DuePayableAmount>200.00</ram:DuePayableAmount>", ""),
            "ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:DuePayableAmount (BT-115, amount due for payment)",
        ),
        (
            "CII without a seller name",
            cii.replace("<ram:Name>Muster Lieferant GmbH</ram:Name>", ""),
            "missing rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty/ram:Name (BT-27, seller name)",
        ),
        (
            "CII with an allowance indicator that is no boolean",
            cii.replace("<udt:Indicator>false</udt:Indicator>", "<udt:Indicator>maybe</udt:Indicator>"),
            "ram:SpecifiedTradeAllowanceCharge/ram:ChargeIndicator/udt:Indicator in rsm:CrossIndustryInvoice is not true or false",
        ),
    ];
    for (case, xml, needle) in cases {
        assert_ne!(xml, ubl, "{case}: the mutation did not apply");
        assert_ne!(xml, cii, "{case}: the mutation did not apply");
        assert_ne!(xml, credit, "{case}: the mutation did not apply");
        assert_malformed(parse_xml(xml.as_bytes()), needle, case);
    }
}

#[test]
fn broken_arithmetic_is_returned_with_the_broken_rules() {
    let got = parse_xml(&fixture("ubl-broken-arithmetic.xml")).unwrap();
    let rules: Vec<&str> = got.rule_violations.iter().map(|v| v.rule.as_str()).collect();
    assert_eq!(rules, ["BR-CO-10", "BR-CO-11", "BR-CO-12", "BR-CO-13", "BR-CO-14", "BR-CO-15", "BR-CO-16"]);
    let message = |rule: &str| got.rule_violations.iter().find(|v| v.rule == rule).unwrap().message.clone();
    for (rule, amounts) in [
        ("BR-CO-10", &["1000.00", "1010.00"][..]),
        ("BR-CO-11", &["5.00", "0"][..]),
        ("BR-CO-12", &["3.00"][..]),
        ("BR-CO-13", &["1000.00", "995.00"][..]),
        ("BR-CO-14", &["210.00", "211.00"][..]),
        ("BR-CO-15", &["1210.01", "1210.00"][..]),
        ("BR-CO-16", &["1200.00", "1210.01"][..]),
    ] {
        let m = message(rule);
        for a in amounts {
            assert!(m.contains(a), "{rule}: {m:?} should mention {a}");
        }
    }
    // The draft is still complete.
    assert_eq!(got.invoice_number, text("INV-2026-0042"));
    assert_eq!(got.total, amount("1210.01"));
    assert_eq!(got.amount_due, amount("1200.00"));
}

#[test]
fn invalid_identifiers_are_left_out_and_reported() {
    let xml = fixture_text("ubl-invoice.xml")
        .replace("<cbc:ID>BE71001860922869</cbc:ID>", "<cbc:ID>BE71001860922868</cbc:ID>")
        .replace("<cbc:CompanyID>BE0662970353</cbc:CompanyID>", "<cbc:CompanyID>BE0662970354</cbc:CompanyID>")
        .replace("<cbc:ID>GEBABEBB</cbc:ID>", "<cbc:ID>GEBA</cbc:ID>");
    let got = parse_xml(xml.as_bytes()).unwrap();
    assert_eq!(got.seller.iban, None);
    assert_eq!(got.seller.vat_number, None);
    assert_eq!(got.seller.bic, None);
    let rules: Vec<&str> = got.rule_violations.iter().map(|v| v.rule.as_str()).collect();
    assert_eq!(rules, ["BT-31", "BT-84", "BT-86"]);
    assert!(got.rule_violations[0].message.contains("BE0662970354"), "{:?}", got.rule_violations[0]);
    assert!(got.rule_violations[1].message.contains("BE71001860922868"), "{:?}", got.rule_violations[1]);
}

#[test]
fn malformed_xml_is_refused() {
    assert_malformed(parse_xml(&fixture("malformed-unclosed.xml")), "invalid XML", "unclosed element");
    assert_malformed(parse_xml(b"<Invoice><a></b></Invoice>"), "invalid XML", "mismatched tags");
    assert_malformed(parse_xml(b"<a>\xff\xfe</a>"), "not valid UTF-8", "bad UTF-8");
    assert!(matches!(parse_xml(b"%PDF-1.7 ..."), Err(ExtractionError::UnsupportedType(_))));
    assert!(matches!(parse_xml(b""), Err(ExtractionError::UnsupportedType(_))));
}

#[test]
fn unknown_roots_are_unsupported_and_named() {
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (fixture("unknown-root-ubl-order.xml"), "{urn:oasis:names:specification:ubl:schema:xsd:Order-2}Order"),
        (b"<Invoice><ID>1</ID></Invoice>".to_vec(), "Invoice (in no namespace)"),
        (
            b"<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2\"/>".to_vec(),
            "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}Invoice",
        ),
        (
            b"<rsm:CrossIndustryDocument xmlns:rsm=\"urn:ferd:CrossIndustryDocument:invoice:1p0\"/>".to_vec(),
            "{urn:ferd:CrossIndustryDocument:invoice:1p0}CrossIndustryDocument",
        ),
    ];
    for (xml, needle) in cases {
        match parse_xml(&xml) {
            Err(ExtractionError::UnsupportedType(m)) => assert!(m.contains(needle), "{m:?} should mention {needle:?}"),
            other => panic!("expected UnsupportedType for {needle}, got {other:?}"),
        }
    }
}

#[test]
fn doctypes_and_entities_are_refused() {
    for name in ["doctype-external-entity.xml", "doctype-billion-laughs.xml"] {
        assert_malformed(parse_xml(&fixture(name)), "DOCTYPE", name);
    }
    let empty_doctype =
        fixture_text("ubl-invoice.xml").replace("<Invoice xmlns=", "<!DOCTYPE Invoice>\n<Invoice xmlns=");
    assert_malformed(parse_xml(empty_doctype.as_bytes()), "DOCTYPE", "empty DOCTYPE");
}

#[test]
fn nesting_and_size_limits_hold() {
    let nested = |depth: usize| {
        let mut s = String::from("<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\">");
        s.push_str(&"<x>".repeat(depth));
        s.push_str(&"</x>".repeat(depth));
        s.push_str("</Invoice>");
        s
    };
    for depth in [64, 100_000] {
        match parse_xml(nested(depth).as_bytes()) {
            Err(ExtractionError::TooLarge(m)) => assert!(m.contains("deep"), "{m}"),
            other => panic!("depth {depth}: expected TooLarge, got {other:?}"),
        }
    }
    // Within the depth limit the document is read (and fails for want of fields, not depth).
    assert_malformed(parse_xml(nested(10).as_bytes()), "missing cbc:ID", "depth 10");

    let small = Limits { max_xml_bytes: 1024, ..Limits::default() };
    assert!(matches!(parse_xml_with_limits(&fixture("ubl-invoice.xml"), &small), Err(ExtractionError::TooLarge(_))));
    let few_nodes = Limits { max_xml_nodes: 50, ..Limits::default() };
    assert!(matches!(
        parse_xml_with_limits(&fixture("ubl-invoice.xml"), &few_nodes),
        Err(ExtractionError::TooLarge(_))
    ));
}
