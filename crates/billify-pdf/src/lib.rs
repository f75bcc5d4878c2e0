//! Billify's PDF adapter: reads the text layer of PDF invoices, with positions, and extracts
//! invoice fields from it, each with a confidence.
//!
//! It implements the [`InvoiceExtractor`] port with [`ExtractionMethod::PdfText`]
//! ([`PdfExtractor`]) and exposes the text itself ([`extract_text`]) for `billify extract --text`.
//! Scans (no text on any page) are read by OCR when it is on ([`OcrSetting`]): pages are
//! rendered by poppler's `pdftoppm` and read by Tesseract, as subprocesses with timeouts, and
//! the fields come out with [`ExtractionMethod::PdfOcr`] and lower confidences. A read that
//! misses the number, the date or the total, or whose sums do not add up, is read again with a
//! threshold per neighbourhood and the page's orientation detected ([`Binarization::Adaptive`],
//! for photos and pages scanned sideways), and the better read is kept.
//!
//! * Text comes from the content streams, decoded through ToUnicode CMaps, the standard
//!   encodings (WinAnsi, MacRoman, Standard, PDFDoc) with `/Differences`, and Type0/Identity-H
//!   fonts; glyph positions (text matrix, CTM, font size, widths) are kept so that words, lines
//!   and columns can be rebuilt.
//! * Fields are found template-free: multilingual labels (English, Dutch, French, German,
//!   Spanish, Italian, Portuguese, Polish, Swedish, Danish, Czech) with their value to the right
//!   or below, amounts in `1.234,56`, `1,234.56`, `1 234,56` and `1'234.50` styles with their
//!   currencies (a bare `$` by the page's country), dates in numeric and month-name forms, and
//!   consistency checks (subtotal + VAT (+ rounding) = total, exact decimals; IBAN, VAT number
//!   and OGM check digits through the domain types, national VAT numbers by their label).
//! * Untrusted input goes through `billify-pdf-guard`, the bounded lopdf layer shared with the
//!   Factur-X reader: one [`Limits`] and one running budget per read cover loading, stream
//!   decoding, the page walk, content operators and glyphs (counted before they are stored).
//!   See `docs/fuzzing.md`.
//!
//! **Must never depend on:** diesel, actix-web, r2d2, ureq or any database or network crate.
//! This crate is a pure function of the bytes it is given (plus the limits and `today`), except
//! for OCR, which runs the OCR programs on a copy of the document in a scratch directory.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod content;
mod encoding;
mod fields;
mod fold;
mod font;
mod layout;
mod lexer;
mod ocr;
mod orientation;
mod paint;
mod pdf;
mod truetype;

/// A corpus for benchmarks.
pub mod bench;

use std::time::Duration;

use billify_pdf_guard::guarded;
use billify_ports::intake::{ExtractedInvoice, ExtractionError, InvoiceExtractor, OwnParty};
use time::Date;

pub use billify_pdf_guard::{Budget, DEFAULT_MEMORY_BYTES, Limits, Usage};
pub use layout::{TextDocument, TextLine, TextPage, TextWord};
pub use ocr::{Binarization, Ocr, OcrSetting, RenderedPages};

#[doc(no_inline)]
pub use billify_ports::intake::ExtractionMethod;

use crate::content::Interpreter;

/// Reads the text of every page, with positions.
///
/// Fails with [`ExtractionError::NoText`] when no page has any text (an image-only scan).
pub fn extract_text(bytes: &[u8], limits: &Limits) -> Result<TextDocument, ExtractionError> {
    extract_text_within(bytes, &mut Budget::new(limits))
}

/// [`extract_text`] drawing on a budget the caller holds, so that it can see what the read used
/// ([`Budget::usage`]) or share one budget between several reads of the same document.
pub fn extract_text_within(bytes: &[u8], budget: &mut Budget) -> Result<TextDocument, ExtractionError> {
    guarded(|| {
        let doc = read_text(bytes, budget)?;
        if doc.is_empty() { Err(ExtractionError::NoText) } else { Ok(doc) }
    })
}

/// Reads an invoice: the text, then the fields.
///
/// `own` names the organisation reading the document, so that the other party can be told
/// apart; `today` resolves payment terms ("30 dagen") when the document has no issue date.
pub fn extract_invoice(
    bytes: &[u8],
    own: &OwnParty,
    today: Date,
    limits: &Limits,
) -> Result<ExtractedInvoice, ExtractionError> {
    extract_invoice_after(bytes, own, today, limits, Duration::ZERO)
}

/// [`extract_invoice`] for a document whose earlier reads took `spent`: that time comes off
/// this read's budget ([`Budget::after`]).
pub fn extract_invoice_after(
    bytes: &[u8],
    own: &OwnParty,
    today: Date,
    limits: &Limits,
    spent: Duration,
) -> Result<ExtractedInvoice, ExtractionError> {
    guarded(|| {
        let mut budget = Budget::after(limits, spent);
        let doc = read_text(bytes, &mut budget)?;
        if doc.is_empty() {
            return Err(ExtractionError::NoText);
        }
        budget.check_time()?;
        Ok(fields::extract_fields(&doc, own, today))
    })
}

/// Extracts invoice fields from text that was already read (e.g. by [`extract_text`]).
pub fn extract_fields(doc: &TextDocument, own: &OwnParty, today: Date) -> ExtractedInvoice {
    fields::extract_fields(doc, own, today)
}

fn read_text(bytes: &[u8], budget: &mut Budget) -> Result<TextDocument, ExtractionError> {
    let doc = billify_pdf_guard::load(bytes, budget)?;
    let pages = pdf::pages(&doc, budget)?;
    let mut out = TextDocument::default();
    let mut interp = Interpreter::new(&doc, budget);
    for (i, page) in pages.iter().enumerate() {
        interp.run_page(page.id, page.resources.as_ref())?;
        let glyphs = std::mem::take(&mut interp.glyphs);
        let [x0, y0, x1, y1] = page.media_box;
        let lines = layout::build_lines(glyphs, x1 - x0, y1 - y0);
        out.pages.push(TextPage { number: i + 1, width: x1 - x0, height: y1 - y0, lines });
    }
    budget.check_time()?;
    Ok(out)
}

/// Reads a scan: renders its pages and reads them by OCR ([`Ocr`]), a second time with adaptive
/// binarization when the first read is weak, then extracts the fields with lower confidences
/// and the method [`ExtractionMethod::PdfOcr`].
pub fn extract_scanned_invoice(
    bytes: &[u8],
    ocr: &Ocr,
    own: &OwnParty,
    today: Date,
) -> Result<ExtractedInvoice, ExtractionError> {
    let pages = ocr.render(bytes)?;
    let doc = ocr.recognise(&pages, ocr::Binarization::Global)?;
    let mut inv = (!doc.is_empty()).then(|| fields::extract_fields(&doc, own, today));
    // A photo (shadows, a dark table around the paper) loses words to one global threshold, and
    // a page scanned sideways reads as noise: when the read misses the core of an invoice, read
    // again with a threshold per neighbourhood and the orientation detected, and keep the read
    // that found more.
    if inv.as_ref().is_none_or(ocr::read_is_weak) {
        let again = ocr.recognise(&pages, ocr::Binarization::Adaptive)?;
        if !again.is_empty() {
            let second = fields::extract_fields(&again, own, today);
            if inv.as_ref().is_none_or(|first| ocr::read_score(&second) > ocr::read_score(first)) {
                inv = Some(second);
            }
        }
    }
    let Some(mut inv) = inv else { return Err(ExtractionError::NoText) };
    inv.method = ExtractionMethod::PdfOcr;
    ocr::lower_confidences(&mut inv);
    Ok(inv)
}

/// The PDF text extractor, for the [`InvoiceExtractor`] port. With OCR on
/// ([`PdfExtractor::with_ocr`]), documents without any text are read by OCR.
#[derive(Debug, Clone, Default)]
pub struct PdfExtractor {
    limits: Limits,
    ocr: OcrSetting,
}

impl PdfExtractor {
    /// An extractor with the given limits, without OCR.
    pub fn new(limits: Limits) -> Self {
        PdfExtractor { limits, ocr: OcrSetting::Off }
    }

    /// The same extractor reading scans as `ocr` says.
    pub fn with_ocr(mut self, ocr: OcrSetting) -> Self {
        self.ocr = ocr;
        self
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }
}

impl InvoiceExtractor for PdfExtractor {
    fn extract(
        &self,
        bytes: &[u8],
        own: &OwnParty,
        today: Date,
        spent: Duration,
    ) -> Result<ExtractedInvoice, ExtractionError> {
        match (extract_invoice_after(bytes, own, today, &self.limits, spent), &self.ocr) {
            (Err(ExtractionError::NoText), OcrSetting::On(ocr)) => extract_scanned_invoice(bytes, ocr, own, today),
            (Err(ExtractionError::NoText), OcrSetting::Unavailable(why)) => Ok(ocr::unavailable(why)),
            (other, _) => other,
        }
    }
}
