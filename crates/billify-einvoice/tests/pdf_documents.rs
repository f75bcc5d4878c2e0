//! Factur-X / ZUGFeRD PDFs: finding the embedded e-invoice, or telling there is none.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use billify_einvoice::{
    EinvoiceExtractor, Limits, PdfLimits, find_embedded_einvoice, find_embedded_einvoice_with_limits, parse_xml,
};
use billify_ports::intake::{ExtractionError, ExtractionMethod, InvoiceExtractor, OwnParty};
use support::*;

fn today() -> time::Date {
    date(2026, 11, 27)
}

#[test]
fn embedded_einvoices_are_found_or_reported_absent() {
    // (PDF fixture, the XML fixture it must yield, or None when it carries no e-invoice)
    let table: [(&str, Option<&str>); 6] = [
        // /AF and a flat name tree; an unrelated CSV is listed first.
        ("facturx-invoice.pdf", Some("cii-facturx-en16931.xml")),
        // The same, encrypted with an owner password only (AES-256, object streams):
        // `qpdf --encrypt "" owner-secret 256 --modify=none -- facturx-invoice.pdf ...`.
        ("owner-only-facturx.pdf", Some("cii-facturx-en16931.xml")),
        // Name tree with /Kids, no /AF, upper-case ZUGFeRD file name.
        ("zugferd-name-tree-kids.pdf", Some("cii-default-namespace-credit-note.xml")),
        // /AF only, a file name no standard prescribes: found by its root element.
        ("ubl-attached-under-other-name.pdf", Some("ubl-invoice.xml")),
        // PDF/A-3 whose attachments are an XML of another kind and a CSV.
        ("pdfa3-unrelated-attachment.pdf", None),
        ("plain.pdf", None),
    ];
    for (pdf, xml) in table {
        let found = find_embedded_einvoice(&fixture(pdf)).unwrap_or_else(|e| panic!("{pdf}: {e}"));
        assert_eq!(found, xml.map(fixture), "{pdf}");
    }
}

#[test]
fn the_extractor_reads_xml_and_pdfs_with_an_embedded_einvoice() {
    let extractor = EinvoiceExtractor::new();
    let own = OwnParty::default();
    for (input, xml, method) in [
        ("facturx-invoice.pdf", "cii-facturx-en16931.xml", ExtractionMethod::EinvoiceCii),
        ("zugferd-name-tree-kids.pdf", "cii-default-namespace-credit-note.xml", ExtractionMethod::EinvoiceCii),
        ("ubl-attached-under-other-name.pdf", "ubl-invoice.xml", ExtractionMethod::EinvoiceUbl),
        ("ubl-invoice.xml", "ubl-invoice.xml", ExtractionMethod::EinvoiceUbl),
        ("cii-facturx-en16931.xml", "cii-facturx-en16931.xml", ExtractionMethod::EinvoiceCii),
    ] {
        let got = extractor
            .extract(&fixture(input), &own, today(), std::time::Duration::ZERO)
            .unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(got.method, method, "{input}");
        assert_eq!(got, parse_xml(&fixture(xml)).unwrap(), "{input}");
    }
}

#[test]
fn pdfs_without_an_einvoice_are_unsupported_by_the_extractor() {
    let extractor = EinvoiceExtractor::new();
    for pdf in ["pdfa3-unrelated-attachment.pdf", "plain.pdf"] {
        match extractor.extract(&fixture(pdf), &OwnParty::default(), today(), std::time::Duration::ZERO) {
            Err(ExtractionError::UnsupportedType(m)) => assert!(m.contains("no embedded e-invoice"), "{m}"),
            other => panic!("{pdf}: expected UnsupportedType, got {other:?}"),
        }
    }
}

#[test]
fn unreadable_pdfs_are_refused() {
    // Made with `qpdf --encrypt secret-user secret-owner 256 -- facturx-invoice.pdf encrypted-facturx.pdf`.
    assert_eq!(find_embedded_einvoice(&fixture("encrypted-facturx.pdf")), Err(ExtractionError::Encrypted));
    assert!(matches!(find_embedded_einvoice(b"<Invoice/>"), Err(ExtractionError::UnsupportedType(_))));
    assert!(matches!(find_embedded_einvoice(b"%PDF-1.7\nnothing else"), Err(ExtractionError::Malformed(_))));
    let small = Limits { pdf: PdfLimits { max_input_bytes: 1000, ..PdfLimits::default() }, ..Limits::default() };
    assert!(matches!(
        find_embedded_einvoice_with_limits(&fixture("facturx-invoice.pdf"), &small),
        Err(ExtractionError::TooLarge(_))
    ));
    // A factur-x.xml larger than the XML limit is an error...
    let tight = Limits { max_xml_bytes: 60, ..Limits::default() };
    assert!(matches!(
        find_embedded_einvoice_with_limits(&fixture("facturx-invoice.pdf"), &tight),
        Err(ExtractionError::TooLarge(_))
    ));
    // ...but a large attachment of another name is just not the e-invoice.
    assert_eq!(find_embedded_einvoice_with_limits(&fixture("pdfa3-unrelated-attachment.pdf"), &tight), Ok(None));
}

#[test]
fn committed_pdfs_match_their_generator() {
    // The generator (tests/support/pdfgen.rs) rebuilds every PDF fixture from the XML fixtures;
    // what a rebuilt PDF yields must be what the committed one yields.
    for (name, bytes) in pdfgen::fixtures(&fixture_path("")) {
        assert_eq!(find_embedded_einvoice(&bytes).unwrap(), find_embedded_einvoice(&fixture(name)).unwrap(), "{name}");
    }
}
