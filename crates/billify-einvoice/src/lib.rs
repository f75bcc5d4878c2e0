//! Billify's e-invoice reader: turns structured e-invoices into the shared intake model
//! ([`ExtractedInvoice`]) with full confidence.
//!
//! It reads:
//! - Peppol BIS Billing 3.0 / UBL 2.1 `Invoice` and `CreditNote` documents, also inside a Peppol
//!   Standard Business Document envelope;
//! - UN/CEFACT Cross Industry Invoices (`rsm:CrossIndustryInvoice`, as used by Factur-X,
//!   ZUGFeRD 2.x and XRechnung CII);
//! - PDFs that carry one of those as an embedded file (Factur-X / ZUGFeRD PDF/A-3), found through
//!   the catalog's associated files (`/AF`) and the `/Names /EmbeddedFiles` name tree.
//!
//! Fields follow the EN 16931 semantic model (BT-/BG- numbers in the docs and messages). The core
//! arithmetic business rules (BR-CO-10 to BR-CO-16) are checked with exact decimals; a document
//! that breaks them is still returned, with the broken rules in
//! [`ExtractedInvoice::rule_violations`]. Identifiers that fail their checksum (VAT number, IBAN,
//! BIC) are left out and reported there too, under the BT number of the field.
//!
//! XML is read with `roxmltree`, within size, depth and node limits ([`Limits`]); any DOCTYPE is
//! rejected, so no DTD or entity, internal or external, is ever processed. Elements are matched by
//! namespace URI, never by prefix.
//!
//! **Must never depend on:** diesel, actix-web, r2d2, ureq or any other database, network or
//! framework crate. This crate is a pure function of the bytes it is given: no I/O, no clock.

use std::time::Duration;

use billify_ports::intake::{ExtractedInvoice, ExtractionError, InvoiceExtractor, OwnParty};
use time::Date;

mod cii;
mod common;
mod pdf;
mod rules;
mod ubl;
mod xml;

pub use billify_pdf_guard::Limits as PdfLimits;
pub use rules::check_business_rules;

/// Limits that bound the work and memory spent on one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// The largest XML document read, in bytes.
    pub max_xml_bytes: usize,
    /// The deepest element nesting accepted (UBL and CII documents nest about 10 deep).
    pub max_depth: usize,
    /// The most XML nodes (elements, attributes, text) accepted.
    pub max_xml_nodes: u32,
    /// The limits on reading a PDF that may carry an e-invoice: the same limits, and the same
    /// bounded loader, as the PDF text reader's (`billify-pdf-guard`).
    pub pdf: billify_pdf_guard::Limits,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_xml_bytes: 10 * 1024 * 1024,
            max_depth: 64,
            max_xml_nodes: 2_000_000,
            pdf: billify_pdf_guard::Limits::default(),
        }
    }
}

/// The two e-invoice syntaxes of EN 16931.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Syntax {
    /// UBL 2.1 `Invoice` or `CreditNote` (Peppol BIS Billing 3.0).
    Ubl,
    /// UN/CEFACT Cross Industry Invoice (Factur-X, ZUGFeRD, XRechnung CII).
    Cii,
}

/// Reads an e-invoice XML document (UBL `Invoice`/`CreditNote` or CII `CrossIndustryInvoice`)
/// with the default [`Limits`].
///
/// Errors: [`ExtractionError::UnsupportedType`] when the root element is not a known e-invoice,
/// [`ExtractionError::Malformed`] when the XML is invalid, has a DOCTYPE or lacks a mandatory
/// field (the message names the element), [`ExtractionError::TooLarge`] past a limit.
pub fn parse_xml(bytes: &[u8]) -> Result<ExtractedInvoice, ExtractionError> {
    parse_xml_with_limits(bytes, &Limits::default())
}

/// [`parse_xml`] with explicit limits.
pub fn parse_xml_with_limits(bytes: &[u8], limits: &Limits) -> Result<ExtractedInvoice, ExtractionError> {
    let text = xml::decode(bytes, limits)?;
    if !text.trim_start().starts_with('<') {
        return Err(ExtractionError::UnsupportedType("the document is not XML (it does not start with '<')".into()));
    }
    let doc = xml::parse(&text, limits)?;
    let root = einvoice_root(doc.root_element())?;
    let mut invoice = match syntax_of(root) {
        Some(Syntax::Ubl) => ubl::read(root)?,
        Some(Syntax::Cii) => cii::read(root)?,
        None => return Err(unknown_root(root)),
    };
    invoice.rule_violations.extend(check_business_rules(&invoice));
    Ok(invoice)
}

/// Which e-invoice syntax an XML document is, judged by its root element, or `None` when it is
/// not XML or not a known e-invoice. Cheap enough to sniff uploads and attachments.
pub fn detect_syntax(bytes: &[u8]) -> Option<Syntax> {
    detect_syntax_with_limits(bytes, &Limits::default())
}

fn detect_syntax_with_limits(bytes: &[u8], limits: &Limits) -> Option<Syntax> {
    let text = xml::decode(bytes, limits).ok()?;
    let doc = xml::parse(&text, limits).ok()?;
    einvoice_root(doc.root_element()).ok().and_then(syntax_of)
}

/// The e-invoice XML embedded in a PDF (Factur-X, ZUGFeRD 2.x, XRechnung), or `None` when the
/// PDF carries none, so the upload flow can fall back to text extraction.
///
/// Looks at the catalog's associated files (`/AF`) and the `/Names /EmbeddedFiles` name tree;
/// files named like an e-invoice (`factur-x.xml`, `zugferd-invoice.xml`, `xrechnung.xml`) are
/// tried first, then any other embedded file; the first whose XML root is a UBL or CII invoice is
/// returned (a broken `factur-x.xml` is skipped, not an error; one larger than
/// [`Limits::max_xml_bytes`] is [`ExtractionError::TooLarge`], while a large attachment of
/// another name is skipped). Uses the default [`Limits`].
///
/// Errors: [`ExtractionError::UnsupportedType`] when the bytes are not a PDF,
/// [`ExtractionError::Encrypted`], [`ExtractionError::Malformed`] when lopdf cannot read it,
/// [`ExtractionError::TooLarge`] past a limit of [`Limits::pdf`], [`ExtractionError::Timeout`]
/// past its time budget.
pub fn find_embedded_einvoice(pdf: &[u8]) -> Result<Option<Vec<u8>>, ExtractionError> {
    pdf::find_embedded_einvoice_with_limits(pdf, &Limits::default(), Duration::ZERO)
}

/// [`find_embedded_einvoice`] with explicit limits.
pub fn find_embedded_einvoice_with_limits(pdf: &[u8], limits: &Limits) -> Result<Option<Vec<u8>>, ExtractionError> {
    pdf::find_embedded_einvoice_with_limits(pdf, limits, Duration::ZERO)
}

/// Whether the bytes look like a PDF (`%PDF-` within the first kilobyte, as readers allow).
pub fn is_pdf(bytes: &[u8]) -> bool {
    billify_pdf_guard::is_pdf(bytes)
}

fn syntax_of(root: roxmltree::Node<'_, '_>) -> Option<Syntax> {
    if xml::is(root, xml::NS_UBL_INVOICE, "Invoice") || xml::is(root, xml::NS_UBL_CREDIT_NOTE, "CreditNote") {
        Some(Syntax::Ubl)
    } else if xml::is(root, xml::NS_RSM, "CrossIndustryInvoice") {
        Some(Syntax::Cii)
    } else {
        None
    }
}

/// The e-invoice element: the root itself, or the document inside a Peppol SBDH envelope.
fn einvoice_root<'a, 'i>(root: roxmltree::Node<'a, 'i>) -> Result<roxmltree::Node<'a, 'i>, ExtractionError> {
    if xml::is(root, xml::NS_SBDH, "StandardBusinessDocument") {
        return root.children().find(|c| syntax_of(*c).is_some()).ok_or_else(|| {
            ExtractionError::UnsupportedType(
                "the Peppol StandardBusinessDocument envelope holds no UBL Invoice or CreditNote".into(),
            )
        });
    }
    Ok(root)
}

fn unknown_root(root: roxmltree::Node<'_, '_>) -> ExtractionError {
    let name = root.tag_name();
    let shown = match name.namespace() {
        Some(ns) => format!("{{{ns}}}{}", name.name()),
        None => format!("{} (in no namespace)", name.name()),
    };
    ExtractionError::UnsupportedType(format!(
        "the root element {shown} is not an e-invoice; expected a UBL Invoice or CreditNote \
         ({}, {}) or a CII rsm:CrossIndustryInvoice ({})",
        xml::NS_UBL_INVOICE,
        xml::NS_UBL_CREDIT_NOTE,
        xml::NS_RSM
    ))
}

/// Reads e-invoices: UBL or CII XML, and PDFs that embed one (Factur-X / ZUGFeRD).
///
/// A PDF without an embedded e-invoice is [`ExtractionError::UnsupportedType`]; callers that
/// want to fall back to text extraction ask [`find_embedded_einvoice`] first.
#[derive(Debug, Clone, Default)]
pub struct EinvoiceExtractor {
    limits: Limits,
}

impl EinvoiceExtractor {
    /// An extractor with the default limits.
    pub fn new() -> Self {
        Self::default()
    }

    /// An extractor with explicit limits.
    pub fn with_limits(limits: Limits) -> Self {
        EinvoiceExtractor { limits }
    }
}

impl InvoiceExtractor for EinvoiceExtractor {
    /// `own` and `today` are not needed: an e-invoice names seller and buyer explicitly and
    /// always has an issue date.
    fn extract(
        &self,
        bytes: &[u8],
        _own: &OwnParty,
        _today: Date,
        spent: Duration,
    ) -> Result<ExtractedInvoice, ExtractionError> {
        if is_pdf(bytes) {
            match pdf::find_embedded_einvoice_with_limits(bytes, &self.limits, spent)? {
                Some(xml) => parse_xml_with_limits(&xml, &self.limits),
                None => Err(ExtractionError::UnsupportedType(
                    "the PDF carries no embedded e-invoice (Factur-X, ZUGFeRD or XRechnung XML)".into(),
                )),
            }
        } else {
            parse_xml_with_limits(bytes, &self.limits)
        }
    }
}
