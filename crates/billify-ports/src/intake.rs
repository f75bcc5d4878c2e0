//! Document intake: what an extractor reads from an invoice document (PDF text, Peppol UBL,
//! UN/CEFACT CII), with a confidence per field, and the port that extractors implement.
//!
//! The model is shared by every extraction path so that drafts look the same whatever produced
//! them; structured e-invoices fill it with full confidence.

use std::time::Duration;

use bigdecimal::BigDecimal;
use billify_domain::{Bic, Currency, Iban, PaymentReference, VatNumber};
use time::Date;

/// How sure an extractor is of a value, from 0 (a guess) to 100 (read from structured data).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Confidence(u8);

impl Confidence {
    /// Certain: the value was read from structured data.
    pub const CERTAIN: Confidence = Confidence(100);

    /// A confidence in percent; values above 100 are clamped.
    pub fn percent(value: u8) -> Self {
        Confidence(value.min(100))
    }

    /// The confidence in percent.
    pub fn as_percent(&self) -> u8 {
        self.0
    }
}

/// An extracted value with its confidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted<T> {
    /// The value.
    pub value: T,
    /// How sure the extractor is.
    pub confidence: Confidence,
}

impl<T> Extracted<T> {
    /// A value with a confidence.
    pub fn new(value: T, confidence: Confidence) -> Self {
        Extracted { value, confidence }
    }

    /// A value read from structured data.
    pub fn certain(value: T) -> Self {
        Extracted { value, confidence: Confidence::CERTAIN }
    }
}

/// Which path produced an extraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExtractionMethod {
    /// A Peppol BIS Billing 3.0 / UBL 2.1 document.
    EinvoiceUbl,
    /// A UN/CEFACT Cross Industry Invoice (Factur-X, ZUGFeRD, XRechnung CII).
    EinvoiceCii,
    /// Text read from a PDF's content streams.
    PdfText,
    /// Text read by OCR from a scanned PDF page without a text layer.
    PdfOcr,
}

impl ExtractionMethod {
    /// The stable machine code: `einvoice_ubl`, `einvoice_cii`, `pdf_text` or `pdf_ocr`.
    pub fn code(&self) -> &'static str {
        match self {
            ExtractionMethod::EinvoiceUbl => "einvoice_ubl",
            ExtractionMethod::EinvoiceCii => "einvoice_cii",
            ExtractionMethod::PdfText => "pdf_text",
            ExtractionMethod::PdfOcr => "pdf_ocr",
        }
    }
}

/// Whether the document is an invoice or a credit note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    /// An invoice: money is owed.
    Invoice,
    /// A credit note: it reduces what is owed.
    CreditNote,
}

/// One party (seller or buyer) as read from the document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtractedParty {
    /// The name.
    pub name: Option<Extracted<String>>,
    /// The VAT number (checksum-validated).
    pub vat_number: Option<Extracted<VatNumber>>,
    /// A legal registration id (e.g. the Belgian enterprise number, a KvK number).
    pub legal_id: Option<Extracted<String>>,
    /// The address as printed, lines joined with ", ".
    pub address: Option<Extracted<String>>,
    /// The bank account to pay to (checksum-validated).
    pub iban: Option<Extracted<Iban>>,
    /// The bank's BIC.
    pub bic: Option<Extracted<Bic>>,
}

/// VAT of one category and rate (EN 16931 BG-23).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VatBreakdown {
    /// The VAT category code (`S`, `Z`, `E`, `AE`, `K`, `G`, `O`, `L`, `M`).
    pub category: String,
    /// The rate in percent, e.g. `21`.
    pub rate: Option<BigDecimal>,
    /// The taxable amount (BT-116).
    pub taxable_amount: BigDecimal,
    /// The VAT amount (BT-117).
    pub tax_amount: BigDecimal,
}

/// One invoice line, kept for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLine {
    /// What was sold.
    pub description: String,
    /// How many, when stated.
    pub quantity: Option<BigDecimal>,
    /// The price per unit, when stated.
    pub unit_price: Option<BigDecimal>,
    /// The line total without VAT.
    pub line_total: BigDecimal,
    /// The VAT rate in percent, when stated.
    pub vat_rate: Option<BigDecimal>,
}

/// A document-level allowance (BG-20) or charge (BG-21).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowanceCharge {
    /// `true` for a charge (BG-21), `false` for an allowance (BG-20).
    pub is_charge: bool,
    /// The amount without VAT (BT-92 / BT-99).
    pub amount: BigDecimal,
    /// The reason as written (BT-97 / BT-104), or the reason code when there is no text.
    pub reason: Option<String>,
    /// The VAT category code (BT-95 / BT-102).
    pub vat_category: Option<String>,
    /// The VAT rate in percent (BT-96 / BT-103).
    pub vat_rate: Option<BigDecimal>,
}

/// A business rule of EN 16931 that the document breaks, e.g. `BR-CO-15`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleViolation {
    /// The rule id, e.g. `BR-CO-15`.
    pub rule: String,
    /// What is wrong, in plain words with the amounts involved.
    pub message: String,
}

/// Everything an extractor read from one invoice document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractedInvoice {
    /// Which path produced this.
    pub method: ExtractionMethod,
    /// Invoice or credit note.
    pub kind: Option<Extracted<DocumentKind>>,
    /// The invoice number (BT-1).
    pub invoice_number: Option<Extracted<String>>,
    /// The issue date (BT-2).
    pub issue_date: Option<Extracted<Date>>,
    /// The due date (BT-9), or one computed from payment terms.
    pub due_date: Option<Extracted<Date>>,
    /// The payment terms as written (BT-20), e.g. "30 dagen".
    pub payment_terms: Option<Extracted<String>>,
    /// The currency (BT-5).
    pub currency: Option<Extracted<Currency>>,
    /// The sum of line amounts or total without VAT (BT-106 / BT-109).
    pub subtotal: Option<Extracted<BigDecimal>>,
    /// The sum of invoice line net amounts (BT-106), when the document states it.
    pub line_total: Option<Extracted<BigDecimal>>,
    /// The sum of document-level allowances (BT-107), when the document states it.
    pub allowance_total: Option<Extracted<BigDecimal>>,
    /// The sum of document-level charges (BT-108), when the document states it.
    pub charge_total: Option<Extracted<BigDecimal>>,
    /// The VAT total (BT-110).
    pub vat_amount: Option<Extracted<BigDecimal>>,
    /// The main VAT rate in percent, when there is a single one.
    pub vat_rate: Option<Extracted<BigDecimal>>,
    /// The total with VAT (BT-112).
    pub total: Option<Extracted<BigDecimal>>,
    /// The amount already paid (BT-113).
    pub prepaid: Option<Extracted<BigDecimal>>,
    /// The rounding amount added to reach the amount due (BT-114).
    pub rounding_amount: Option<Extracted<BigDecimal>>,
    /// The amount due for payment (BT-115).
    pub amount_due: Option<Extracted<BigDecimal>>,
    /// The seller (BG-4): the supplier of a purchase invoice.
    pub seller: ExtractedParty,
    /// The buyer (BG-7).
    pub buyer: ExtractedParty,
    /// The payment reference (BT-83): an OGM or RF reference when one validates, else free text.
    pub payment_reference: Option<Extracted<PaymentReference>>,
    /// The number of the invoice a credit note corrects (BG-3).
    pub preceding_invoice_number: Option<String>,
    /// VAT per category and rate (BG-23).
    pub vat_breakdown: Vec<VatBreakdown>,
    /// Document-level allowances and charges (BG-20, BG-21).
    pub allowances_charges: Vec<AllowanceCharge>,
    /// The invoice lines.
    pub lines: Vec<InvoiceLine>,
    /// Business rules the document breaks; the draft is still usable.
    pub rule_violations: Vec<RuleViolation>,
}

impl ExtractedInvoice {
    /// An empty extraction for the given method, to be filled in.
    pub fn empty(method: ExtractionMethod) -> Self {
        ExtractedInvoice {
            method,
            kind: None,
            invoice_number: None,
            issue_date: None,
            due_date: None,
            payment_terms: None,
            currency: None,
            subtotal: None,
            line_total: None,
            allowance_total: None,
            charge_total: None,
            vat_amount: None,
            vat_rate: None,
            total: None,
            prepaid: None,
            rounding_amount: None,
            amount_due: None,
            seller: ExtractedParty::default(),
            buyer: ExtractedParty::default(),
            payment_reference: None,
            preceding_invoice_number: None,
            vat_breakdown: Vec::new(),
            allowances_charges: Vec::new(),
            lines: Vec::new(),
            rule_violations: Vec::new(),
        }
    }
}

/// What Billify knows about the organisation reading the document, so an extractor can tell
/// which party is the counterparty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnParty {
    /// The organisation's name(s).
    pub names: Vec<String>,
    /// Its VAT numbers.
    pub vat_numbers: Vec<VatNumber>,
    /// Its bank accounts.
    pub ibans: Vec<Iban>,
}

/// Why a document could not be read. Each variant maps to a clear client error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractionError {
    /// The bytes are not a document type we read (HTTP 415).
    #[error("unsupported document type: {0}")]
    UnsupportedType(String),
    /// Reading the document would pass a limit of its budget: size, pages, depth, decompressed
    /// bytes, objects, operators or glyphs (HTTP 422 `document-too-complex`).
    #[error("document too large: {0}")]
    TooLarge(String),
    /// The document is encrypted and needs a password to open, or uses another security
    /// handler than the standard password one (HTTP 422 `password-protected-document`). PDFs
    /// with an owner password only (an empty user password) are read.
    #[error("the document is encrypted with a password: upload a copy without the password")]
    Encrypted,
    /// The document has no text layer, e.g. a scan (HTTP 422).
    #[error("the document has no text layer (is it a scan?)")]
    NoText,
    /// The document is malformed; the message names the element, object or line (HTTP 422).
    #[error("malformed document: {0}")]
    Malformed(String),
    /// Reading took longer than the time budget (HTTP 422 `document-too-complex`).
    #[error("reading the document took too long")]
    Timeout,
}

/// Reads invoice data from a document's bytes.
///
/// Implementations are pure functions of their input (plus limits): no network, no database.
pub trait InvoiceExtractor: Send + Sync {
    /// Extracts what the document says. `today` resolves relative payment terms ("30 dagen")
    /// only when the issue date is missing. `spent` is the time earlier readers of the same
    /// document already took (zero for the first): one document gets one time budget, however
    /// many readers look at it, so it comes off this reader's allowance.
    fn extract(
        &self,
        bytes: &[u8],
        own: &OwnParty,
        today: Date,
        spent: Duration,
    ) -> Result<ExtractedInvoice, ExtractionError>;
}
