//! Scanned invoices (no text layer): read by OCR when Tesseract and pdftoppm are installed
//! (`.ci/run` installs them), else a draft that says OCR is unavailable.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use billify_pdf::{Limits, OcrSetting, PdfExtractor};
use billify_ports::intake::{ExtractionError, ExtractionMethod, InvoiceExtractor, OwnParty};
use time::macros::date;

fn scan() -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/sample/scan/de-00.pdf")).expect("the scanned fixture")
}

#[test]
fn a_scan_is_read_by_ocr_or_says_ocr_is_unavailable() {
    let bytes = scan();
    let own = OwnParty::default();
    let today = date!(2026 - 01 - 01);
    let without = PdfExtractor::new(Limits::default());
    assert_eq!(without.extract(&bytes, &own, today, Duration::ZERO), Err(ExtractionError::NoText));

    let setting = OcrSetting::detect();
    let installed = matches!(setting, OcrSetting::On(_));
    let inv =
        PdfExtractor::new(Limits::default()).with_ocr(setting).extract(&bytes, &own, today, Duration::ZERO).unwrap();
    assert_eq!(inv.method, ExtractionMethod::PdfOcr);
    if !installed {
        assert!(inv.rule_violations.iter().any(|v| v.rule == "ocr-unavailable"), "{:?}", inv.rule_violations);
        assert!(inv.total.is_none());
        return;
    }
    // The ground truth of corpus/sample/scan/de-00.pdf (see its manifest.json).
    let total = inv.total.expect("a total");
    assert_eq!(total.value.to_string(), "1729.39");
    assert!(total.confidence.as_percent() < 95, "OCR fields carry lower confidences");
    assert_eq!(inv.subtotal.expect("a subtotal").value.to_string(), "1453.27");
    assert_eq!(inv.invoice_number.expect("a number").value, "D70978837");
    assert_eq!(inv.seller.vat_number.expect("a VAT number").value.as_str(), "DE115148858");
}

#[test]
fn ocr_that_cannot_run_its_programs_fails_clearly() {
    let ocr = billify_pdf::Ocr { pdftoppm: "/nonexistent/pdftoppm".into(), ..billify_pdf::Ocr::default() };
    let err = PdfExtractor::new(Limits::default())
        .with_ocr(OcrSetting::On(ocr))
        .extract(&scan(), &OwnParty::default(), date!(2026 - 01 - 01), Duration::ZERO)
        .unwrap_err();
    assert!(matches!(err, ExtractionError::Malformed(ref m) if m.contains("OCR")), "{err:?}");
}

#[test]
fn a_page_scanned_sideways_is_read_in_a_second_pass() {
    let setting = OcrSetting::detect();
    if !matches!(setting, OcrSetting::On(_)) {
        eprintln!("skipped: tesseract or pdftoppm is not installed (Debian: tesseract-ocr, poppler-utils)");
        return;
    }
    // corpus/sample/scan/de-00.pdf turned a quarter turn: the first read gives noise.
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/scan-sideways.pdf")).unwrap();
    let inv = PdfExtractor::new(Limits::default())
        .with_ocr(setting)
        .extract(&bytes, &OwnParty::default(), date!(2026 - 01 - 01), Duration::ZERO)
        .unwrap();
    assert_eq!(inv.total.expect("a total").value.to_string(), "1729.39");
    assert_eq!(inv.invoice_number.expect("a number").value, "D70978837");
}
