//! The hostile PDFs of issue 22 through the Factur-X reader: each ends in a typed error from
//! the shared guard (`billify-pdf-guard`), and the work stops at its limits.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../billify-pdf-guard/tests/support/hostile.rs"]
mod hostile_files;

use std::time::Duration;

use billify_einvoice::{EinvoiceExtractor, Limits, PdfLimits, find_embedded_einvoice_with_limits};
use billify_ports::intake::{ExtractionError, InvoiceExtractor, OwnParty};
use time::macros::date;

/// The default limits without the time budget, so that the counters, not the speed of the
/// machine running the tests, decide every outcome.
fn untimed() -> Limits {
    Limits { pdf: PdfLimits { time_budget: Duration::from_secs(600), ..PdfLimits::default() }, ..Limits::default() }
}

#[test]
fn every_hostile_file_is_refused_or_holds_no_einvoice() {
    let limits = untimed();
    let extractor = EinvoiceExtractor::with_limits(limits.clone());
    for h in hostile_files::hostile_set() {
        let found = find_embedded_einvoice_with_limits(&h.bytes, &limits);
        let extracted =
            extractor.extract(&h.bytes, &OwnParty::default(), date!(2024 - 01 - 01), Duration::ZERO).map(|_| ());
        match h.name {
            // Their cost is in the content streams, which this reader never interprets.
            "glyphs_one_stream.pdf" | "glyphs_four_streams.pdf" | "glyphs_under_the_limit.pdf" => {
                assert_eq!(found, Ok(None), "{}", h.name);
                assert!(matches!(extracted, Err(ExtractionError::UnsupportedType(_))), "{}: {extracted:?}", h.name);
            }
            _ => {
                assert!(matches!(found, Err(ExtractionError::TooLarge(_))), "{}: {found:?}", h.name);
                assert!(matches!(extracted, Err(ExtractionError::TooLarge(_))), "{}: {extracted:?}", h.name);
            }
        }
    }
}

#[test]
fn an_attachment_bomb_is_stopped_when_the_attachment_is_decoded() {
    // 64 MiB behind two Flate layers: the second layer passes the limit per stream.
    let pdf = hostile_files::facturx_attachment_bomb(64 << 20);
    let limits = untimed();
    assert!(matches!(find_embedded_einvoice_with_limits(&pdf, &limits), Err(ExtractionError::TooLarge(_))));
    // Small enough to pass every limit: the zeros are not XML, so there is no e-invoice.
    let small = hostile_files::facturx_attachment_bomb(1 << 20);
    assert_eq!(find_embedded_einvoice_with_limits(&small, &limits), Ok(None));
}
