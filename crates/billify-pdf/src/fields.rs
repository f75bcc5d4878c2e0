//! Field extraction (placeholder).
use crate::TextDocument;
use billify_ports::intake::{ExtractedInvoice, ExtractionMethod, OwnParty};
use time::Date;
pub(crate) fn extract_fields(_doc: &TextDocument, _own: &OwnParty, _today: Date) -> ExtractedInvoice {
    ExtractedInvoice::empty(ExtractionMethod::PdfText)
}
