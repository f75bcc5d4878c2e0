//! Reading invoice documents: structured e-invoices first, PDF text as the fallback.

use std::sync::Arc;

use time::Date;

use crate::intake::{ExtractedInvoice, ExtractionError, InvoiceExtractor, OwnParty};

/// What kind of file the bytes are, from their first bytes (never from the file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentType {
    /// A PDF (`%PDF-`).
    Pdf,
    /// An XML document (an e-invoice, if anything).
    Xml,
}

impl DocumentType {
    /// Sniffs the type; `None` when the bytes are neither PDF nor XML.
    pub fn sniff(bytes: &[u8]) -> Option<DocumentType> {
        let head = &bytes[..bytes.len().min(1024)];
        if head.windows(5).any(|w| w == b"%PDF-") {
            return Some(DocumentType::Pdf);
        }
        let trimmed = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        let first = trimmed.iter().position(|b| !b.is_ascii_whitespace()).map(|i| &trimmed[i..]);
        match first {
            Some(rest) if rest.starts_with(b"<") => Some(DocumentType::Xml),
            _ => None,
        }
    }

    /// The media type, e.g. `application/pdf`.
    pub fn media_type(&self) -> &'static str {
        match self {
            DocumentType::Pdf => "application/pdf",
            DocumentType::Xml => "application/xml",
        }
    }
}

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The file is empty.
    #[error("the file is empty")]
    Empty,
    /// The file exceeds the size cap.
    #[error("the file is {size} bytes; the limit is {limit} bytes")]
    TooLarge {
        /// The file size.
        size: usize,
        /// The cap.
        limit: usize,
    },
    /// The file is neither a PDF nor an XML e-invoice.
    #[error("unsupported file type: upload a PDF or an e-invoice XML (Peppol UBL, CII)")]
    Unsupported,
    /// The extractor refused the document.
    #[error(transparent)]
    Extraction(#[from] ExtractionError),
}

/// Reads documents with the right extractor: XML goes to the e-invoice reader; a PDF goes to
/// the e-invoice reader first (for an embedded Factur-X/ZUGFeRD XML) and to PDF text
/// extraction when it carries none.
pub struct DocumentReader {
    einvoice: Arc<dyn InvoiceExtractor>,
    pdf_text: Arc<dyn InvoiceExtractor>,
    max_bytes: usize,
}

impl DocumentReader {
    /// A reader with its two extractors and a size cap in bytes.
    pub fn new(einvoice: Arc<dyn InvoiceExtractor>, pdf_text: Arc<dyn InvoiceExtractor>, max_bytes: usize) -> Self {
        DocumentReader { einvoice, pdf_text, max_bytes }
    }

    /// The size cap in bytes.
    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    /// Checks size and type before any parsing.
    pub fn check(&self, bytes: &[u8]) -> Result<DocumentType, ReadError> {
        if bytes.is_empty() {
            return Err(ReadError::Empty);
        }
        if bytes.len() > self.max_bytes {
            return Err(ReadError::TooLarge { size: bytes.len(), limit: self.max_bytes });
        }
        DocumentType::sniff(bytes).ok_or(ReadError::Unsupported)
    }

    /// Reads the document.
    pub fn read(&self, bytes: &[u8], own: &OwnParty, today: Date) -> Result<ExtractedInvoice, ReadError> {
        match self.check(bytes)? {
            DocumentType::Xml => Ok(self.einvoice.extract(bytes, own, today)?),
            DocumentType::Pdf => match self.einvoice.extract(bytes, own, today) {
                Ok(extracted) => Ok(extracted),
                Err(ExtractionError::UnsupportedType(_)) => Ok(self.pdf_text.extract(bytes, own, today)?),
                Err(e) => Err(e.into()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::ExtractionMethod;

    struct Fixed(Result<ExtractionMethod, ExtractionError>);

    impl InvoiceExtractor for Fixed {
        fn extract(&self, _: &[u8], _: &OwnParty, _: Date) -> Result<ExtractedInvoice, ExtractionError> {
            self.0.clone().map(ExtractedInvoice::empty)
        }
    }

    fn reader(einvoice: Result<ExtractionMethod, ExtractionError>) -> DocumentReader {
        DocumentReader::new(Arc::new(Fixed(einvoice)), Arc::new(Fixed(Ok(ExtractionMethod::PdfText))), 100)
    }

    const TODAY: Date = time::macros::date!(2026 - 01 - 01);

    #[test]
    fn pdfs_try_the_embedded_einvoice_first() {
        let own = OwnParty::default();
        let with = reader(Ok(ExtractionMethod::EinvoiceCii)).read(b"%PDF-1.7 ...", &own, TODAY).unwrap();
        assert_eq!(with.method, ExtractionMethod::EinvoiceCii);
        let without = reader(Err(ExtractionError::UnsupportedType("no e-invoice".into())))
            .read(b"%PDF-1.7 ...", &own, TODAY)
            .unwrap();
        assert_eq!(without.method, ExtractionMethod::PdfText);
        let broken = reader(Err(ExtractionError::Encrypted)).read(b"%PDF-1.7", &own, TODAY);
        assert_eq!(broken.unwrap_err(), ReadError::Extraction(ExtractionError::Encrypted));
    }

    #[test]
    fn size_and_type_are_checked_first() {
        let own = OwnParty::default();
        let r = reader(Ok(ExtractionMethod::EinvoiceUbl));
        assert_eq!(r.read(b"", &own, TODAY).unwrap_err(), ReadError::Empty);
        assert_eq!(r.read(&[b'<'; 101], &own, TODAY).unwrap_err(), ReadError::TooLarge { size: 101, limit: 100 });
        assert_eq!(r.read(b"GIF89a", &own, TODAY).unwrap_err(), ReadError::Unsupported);
        assert_eq!(r.read(b"\xEF\xBB\xBF  <Invoice/>", &own, TODAY).unwrap().method, ExtractionMethod::EinvoiceUbl);
    }
}
