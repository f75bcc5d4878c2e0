//! Reading invoice documents: structured e-invoices first, PDF text as the fallback.
//!
//! **Why this file is long:** the document reader and the intake use cases (upload, review,
//! confirm, with crash-safe file writes) share private helpers, and their unit tests (the
//! reader's budget and concurrency among them) need those helpers too. Splitting the reader
//! into its own module is the next step when this file grows.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use billify_domain::{Invoice, InvoiceId, InvoiceSource, OrganisationId};
use time::{Date, Duration};
use uuid::Uuid;

use super::Actor;
use super::input::{FieldProblem, InputChanges, InvoiceInput, parse_invoice};
use crate::intake_json::extraction_json;
use billify_ports::audit::AuditAction;
use billify_ports::bank::BankRepository;
use billify_ports::documents::{
    DocumentDigest, DocumentRecord, DocumentStore, DocumentStoreError, Draft, DraftId, DraftRepository,
};
use billify_ports::intake::{ExtractedInvoice, ExtractionError, InvoiceExtractor, OwnParty};
use billify_ports::{AccountRepository, Clock, InvoiceQuery, InvoiceRepository, RepositoryError};

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
    /// As many documents as allowed are being read already; try again shortly.
    #[error("{limit} documents are being read already; try again shortly")]
    Busy {
        /// The most documents read at once.
        limit: usize,
    },
}

/// Reads documents with the right extractor: XML goes to the e-invoice reader; a PDF goes to
/// the e-invoice reader first (for an embedded Factur-X/ZUGFeRD XML) and to PDF text
/// extraction when it carries none.
///
/// At most `max_concurrent` documents are read at once: each read may take the extractors'
/// whole budget of time and memory, so this bounds what reading can take of the process. A read
/// past that is refused at once with [`ReadError::Busy`], not queued.
pub struct DocumentReader {
    einvoice: Arc<dyn InvoiceExtractor>,
    pdf_text: Arc<dyn InvoiceExtractor>,
    max_bytes: usize,
    max_concurrent: usize,
    reading: AtomicUsize,
}

/// One of the reader's slots, held for the length of a read; released when dropped, also when
/// the read panics.
struct ReadSlot<'a>(&'a AtomicUsize);

impl Drop for ReadSlot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl DocumentReader {
    /// A reader with its two extractors, a size cap in bytes, and the most documents it reads
    /// at once (at least 1).
    pub fn new(
        einvoice: Arc<dyn InvoiceExtractor>,
        pdf_text: Arc<dyn InvoiceExtractor>,
        max_bytes: usize,
        max_concurrent: usize,
    ) -> Self {
        DocumentReader {
            einvoice,
            pdf_text,
            max_bytes,
            max_concurrent: max_concurrent.max(1),
            reading: AtomicUsize::new(0),
        }
    }

    /// The size cap in bytes.
    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    /// The most documents read at once.
    pub fn max_concurrent(&self) -> usize {
        self.max_concurrent
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

    fn slot(&self) -> Result<ReadSlot<'_>, ReadError> {
        self.reading
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < self.max_concurrent).then_some(n + 1))
            .map(|_| ReadSlot(&self.reading))
            .map_err(|_| ReadError::Busy { limit: self.max_concurrent })
    }

    /// Reads the document.
    ///
    /// A PDF is first searched for an embedded e-invoice, then read as text; the time the first
    /// reader took comes off the second one's budget, so the document as a whole gets one.
    pub fn read(&self, bytes: &[u8], own: &OwnParty, today: Date) -> Result<ExtractedInvoice, ReadError> {
        let kind = self.check(bytes)?;
        self.read_as(kind, bytes, own, today)
    }

    /// Reads a document that [`DocumentReader::check`] found to be of type `kind`.
    fn read_as(
        &self,
        kind: DocumentType,
        bytes: &[u8],
        own: &OwnParty,
        today: Date,
    ) -> Result<ExtractedInvoice, ReadError> {
        let _slot = self.slot()?;
        let started = std::time::Instant::now();
        match kind {
            // XML that is not an e-invoice (an unknown root element) is a document we cannot
            // process, not an unsupported media type: the message names the element.
            DocumentType::Xml => match self.einvoice.extract(bytes, own, today, std::time::Duration::ZERO) {
                Err(ExtractionError::UnsupportedType(what)) => Err(ExtractionError::Malformed(what).into()),
                other => Ok(other?),
            },
            DocumentType::Pdf => match self.einvoice.extract(bytes, own, today, std::time::Duration::ZERO) {
                Ok(extracted) => Ok(extracted),
                Err(ExtractionError::UnsupportedType(_)) => {
                    Ok(self.pdf_text.extract(bytes, own, today, started.elapsed())?)
                }
                Err(e) => Err(e.into()),
            },
        }
    }
}

/// Why an intake use case failed.
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    /// The document could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// No such draft or document in the actor's organisation.
    #[error("not found")]
    NotFound,
    /// The actor's role does not allow this.
    #[error("your role does not allow changing invoices")]
    Forbidden,
    /// The draft's fields do not make a valid invoice.
    #[error("the draft has invalid fields")]
    Invalid(Vec<FieldProblem>),
    /// The invoice rules refuse the draft (e.g. totals do not add up).
    #[error("{field}: {message}")]
    Rule {
        /// The field concerned.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The draft was already confirmed.
    #[error("the draft was already confirmed as invoice {0}")]
    AlreadyConfirmed(InvoiceId),
    /// Changed since read.
    #[error("the draft was changed by someone else; it is now at version {current}")]
    StaleVersion {
        /// The current version.
        current: i64,
    },
    /// The draft duplicates an existing invoice.
    #[error("duplicate invoice: {0}")]
    Duplicate(String),
    /// The file store failed.
    #[error(transparent)]
    Storage(#[from] DocumentStoreError),
    /// The database failed.
    #[error(transparent)]
    Repository(RepositoryError),
}

impl From<RepositoryError> for IntakeError {
    fn from(e: RepositoryError) -> Self {
        match e {
            RepositoryError::NotFound => IntakeError::NotFound,
            RepositoryError::StaleVersion { current } => IntakeError::StaleVersion { current },
            RepositoryError::Conflict(what) => IntakeError::Duplicate(what),
            other => IntakeError::Repository(other),
        }
    }
}

/// The result of an upload.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The draft (new, or the existing one for the same file).
    pub draft: Draft,
    /// The document.
    pub document: DocumentRecord,
    /// True when the same file was uploaded before and its draft is returned.
    pub existing: bool,
    /// Invoices with the same counterparty and number.
    pub suspected_duplicates: Vec<InvoiceId>,
}

/// Document intake: upload, review, confirm.
pub struct IntakeService {
    reader: Arc<DocumentReader>,
    pub(crate) documents: Arc<dyn DocumentStore>,
    pub(crate) drafts: Arc<dyn DraftRepository>,
    invoices: Arc<dyn InvoiceRepository>,
    pub(crate) accounts: Arc<dyn AccountRepository>,
    bank: Arc<dyn BankRepository>,
    jobs: Arc<dyn billify_ports::jobs::JobQueue>,
    pub(crate) clock: Arc<dyn Clock>,
    draft_lifetime: Duration,
    events: crate::events::EventPublisher,
}

fn require_editor(actor: &Actor) -> Result<(), IntakeError> {
    if actor.role.can(billify_domain::Permission::WriteInvoices) { Ok(()) } else { Err(IntakeError::Forbidden) }
}

fn text<T>(e: &Option<billify_ports::intake::Extracted<T>>, show: impl Fn(&T) -> String) -> Option<String> {
    e.as_ref().map(|x| show(&x.value))
}

/// The editable fields a draft starts with: the counterparty is whichever party is not us.
pub fn draft_fields(x: &ExtractedInvoice, own: &OwnParty) -> InvoiceInput {
    let is_us = |p: &billify_ports::intake::ExtractedParty| {
        p.vat_number.as_ref().is_some_and(|v| own.vat_numbers.contains(&v.value))
            || p.iban.as_ref().is_some_and(|i| own.ibans.contains(&i.value))
            || p.name.as_ref().is_some_and(|n| own.names.iter().any(|o| o.eq_ignore_ascii_case(n.value.trim())))
    };
    let (direction, party) = if is_us(&x.seller) { ("receivable", &x.buyer) } else { ("payable", &x.seller) };
    // A credit note is stored with positive amounts (its kind gives the sign); one printed with
    // minus signs ("Total TTC -100,00") is read with them.
    let credit = matches!(x.kind.as_ref().map(|k| k.value), Some(billify_ports::intake::DocumentKind::CreditNote));
    let amount = |d: &bigdecimal::BigDecimal| if credit { d.abs() } else { d.clone() }.normalized().to_string();
    InvoiceInput {
        direction: Some(direction.into()),
        invoice_number: text(&x.invoice_number, Clone::clone),
        counterparty_name: text(&party.name, Clone::clone),
        counterparty_vat_number: text(&party.vat_number, |v| v.as_str().to_owned()),
        counterparty_iban: text(&party.iban, |v| v.as_str().to_owned()),
        counterparty_bic: text(&party.bic, |v| v.as_str().to_owned()),
        issue_date: text(&x.issue_date, ToString::to_string),
        // A credit note without a due date applies from its issue date.
        due_date: text(&x.due_date, ToString::to_string).or_else(|| {
            matches!(x.kind.as_ref().map(|k| k.value), Some(billify_ports::intake::DocumentKind::CreditNote))
                .then(|| text(&x.issue_date, ToString::to_string))
                .flatten()
        }),
        currency: text(&x.currency, |c| c.code().to_owned()),
        subtotal: text(&x.subtotal, amount),
        vat_amount: text(&x.vat_amount, amount),
        total: text(&x.total, amount).or_else(|| text(&x.amount_due, amount)),
        payment_reference: text(&x.payment_reference, billify_domain::PaymentReference::to_display_string),
        kind: Some(
            match x.kind.as_ref().map(|k| k.value) {
                Some(billify_ports::intake::DocumentKind::CreditNote) => "credit_note",
                _ => "invoice",
            }
            .into(),
        ),
        corrects_invoice_number: x.preceding_invoice_number.clone(),
        ..InvoiceInput::default()
    }
}

/// The ports document intake needs.
pub struct IntakePorts {
    /// Checks and extracts documents.
    pub reader: Arc<DocumentReader>,
    /// Stores the uploaded files.
    pub documents: Arc<dyn DocumentStore>,
    /// Drafts awaiting review; a confirmation is stored with its audit entry, in one
    /// transaction.
    pub drafts: Arc<dyn DraftRepository>,
    /// Invoices (duplicates, confirmation).
    pub invoices: Arc<dyn InvoiceRepository>,
    /// Organisations (the own party).
    pub accounts: Arc<dyn AccountRepository>,
    /// Bank accounts (the own IBANs).
    pub bank: Arc<dyn BankRepository>,
    /// The job queue a confirmed invoice queues reconciliation on.
    pub jobs: Arc<dyn billify_ports::jobs::JobQueue>,
    /// The time.
    pub clock: Arc<dyn Clock>,
    /// Live events (`invoice.created` when a draft is confirmed).
    pub events: Arc<dyn billify_ports::EventLog>,
}

impl IntakeService {
    /// Wires the service to its ports; unconfirmed drafts live for `draft_lifetime`.
    pub fn new(ports: IntakePorts, draft_lifetime: Duration) -> Self {
        let IntakePorts { reader, documents, drafts, invoices, accounts, bank, jobs, clock, events } = ports;
        let events = crate::events::EventPublisher::new(events, clock.clone());
        IntakeService { reader, documents, drafts, invoices, accounts, bank, jobs, clock, draft_lifetime, events }
    }

    /// The size cap for uploads, in bytes.
    pub fn max_bytes(&self) -> usize {
        self.reader.max_bytes()
    }

    /// Stores an uploaded file, extracts it and returns a draft. The same file uploaded again
    /// returns its existing draft (or the invoice it became), never a second copy.
    pub fn upload(&self, actor: &Actor, file_name: &str, bytes: &[u8]) -> Result<Upload, IntakeError> {
        require_editor(actor)?;
        let kind = self.reader.check(bytes)?;
        let org = actor.organisation_id;
        let digest = DocumentDigest::of(bytes);
        let now = self.clock.now();
        let document = DocumentRecord {
            organisation_id: org,
            digest: digest.clone(),
            size: bytes.len() as u64,
            media_type: kind.media_type().to_owned(),
            file_name: clean_file_name(file_name),
            created_at: now,
        };
        if let Some(existing) = self.existing_draft(org, &digest)? {
            // The same bytes again: store them, which repairs a file that went missing.
            self.documents.put(org, &digest, bytes)?;
            return Ok(self.with_duplicates(org, existing, document, true)?);
        }
        let organisation = self.accounts.organisation(org)?.ok_or(IntakeError::NotFound)?;
        // What we know of ourselves: our name, our VAT number, and the IBANs of our bank
        // accounts, so the other party of the document is taken as the counterparty.
        let own = OwnParty {
            names: vec![organisation.name.as_str().to_owned()],
            vat_numbers: organisation.vat_number.iter().cloned().collect(),
            ibans: self.bank.bank_accounts(org)?.iter().filter_map(|a| a.account.iban().cloned()).collect(),
        };
        let extracted =
            self.reader.read_as(kind, bytes, &own, self.clock.today_in(&organisation.calendar.time_zone))?;
        let fields = draft_fields(&extracted, &own);
        let mut extraction = extraction_json(&extracted);
        extraction["proposed"] = crate::intake_json::proposal_json(&fields);
        let draft = Draft {
            id: DraftId(Uuid::now_v7()),
            organisation_id: org,
            created_by: actor.user_id,
            digest: digest.clone(),
            method: extracted.method,
            fields,
            extraction: extraction.to_string(),
            invoice_id: None,
            created_at: now,
            expires_at: now + self.draft_lifetime,
            version: 1,
            reading: None,
        };
        // The bytes are durable (temporary file, fsync, rename) before the draft that refers to
        // them commits, so a crash in between leaves at worst a file nothing refers to, which
        // `collect_stray_documents` removes; never a draft without its file.
        self.documents.put(org, &digest, bytes)?;
        match self.drafts.create_draft(&document, &draft) {
            Ok(()) => {}
            // The same file uploaded at the same moment: the other upload won.
            Err(RepositoryError::Conflict(_)) => {
                let existing = self.drafts.draft_of_document(org, &digest)?.ok_or(IntakeError::NotFound)?;
                return Ok(self.with_duplicates(org, existing, document, true)?);
            }
            Err(e) => return Err(e.into()),
        }
        // A discard of an earlier draft of the same bytes may have collected the file between
        // the write and the commit (it saw no reference yet); now the draft refers to it, so
        // writing again (a no-op when the file is there) restores it before anyone reads it.
        self.documents.put(org, &digest, bytes)?;
        log::info!("draft {} extracted from a {} upload by {}", draft.id.0, kind.media_type(), actor.user_id);
        Ok(self.with_duplicates(org, draft, document, false)?)
    }

    /// The existing draft of a document, unless it was confirmed into an invoice that has
    /// since been deleted (then the draft is stale and removed).
    fn existing_draft(&self, org: OrganisationId, digest: &DocumentDigest) -> Result<Option<Draft>, IntakeError> {
        let Some(draft) = self.drafts.draft_of_document(org, digest)? else { return Ok(None) };
        if let Some(invoice) = draft.invoice_id
            && self.invoices.get(org, invoice)?.is_none()
        {
            self.drafts.delete_draft(org, draft.id)?;
            return Ok(None);
        }
        Ok(Some(draft))
    }

    fn with_duplicates(
        &self,
        org: OrganisationId,
        draft: Draft,
        document: DocumentRecord,
        existing: bool,
    ) -> Result<Upload, RepositoryError> {
        let suspected_duplicates = self.suspected_duplicates(org, &draft)?;
        Ok(Upload { draft, document, existing, suspected_duplicates })
    }

    /// Invoices of the organisation with the draft's number and counterparty (by VAT number
    /// when both have one, else by name).
    fn suspected_duplicates(&self, org: OrganisationId, draft: &Draft) -> Result<Vec<InvoiceId>, RepositoryError> {
        let Some(number) = draft.fields.invoice_number.as_deref().map(str::trim).filter(|n| !n.is_empty()) else {
            return Ok(Vec::new());
        };
        Ok(self
            .numbered(org, number)?
            .iter()
            .filter(|i| {
                i.invoice_number().as_str() == number
                    && same_counterparty(i, &draft.fields)
                    && Some(i.id()) != draft.invoice_id
            })
            .map(Invoice::id)
            .collect())
    }

    /// Invoices whose number contains `number` (callers then match it exactly).
    fn numbered(&self, org: OrganisationId, number: &str) -> Result<Vec<Invoice>, RepositoryError> {
        let mut query = InvoiceQuery::all(crate::calendar::today_of(self.accounts.as_ref(), self.clock.as_ref(), org)?);
        query.text = Some(number.to_owned());
        query.limit = InvoiceQuery::MAX_LIMIT;
        Ok(self.invoices.list(org, &query)?.items)
    }

    /// A draft of the actor's organisation.
    pub fn draft(&self, actor: &Actor, id: DraftId) -> Result<Draft, IntakeError> {
        self.drafts.draft(actor.organisation_id, id)?.ok_or(IntakeError::NotFound)
    }

    /// Changes the draft's editable fields (all of them with [`InputChanges::replace_with`]).
    pub fn update_draft(
        &self,
        actor: &Actor,
        id: DraftId,
        version: i64,
        changes: InputChanges,
    ) -> Result<Draft, IntakeError> {
        require_editor(actor)?;
        let mut draft = self.open_draft(actor, id, version)?;
        draft.fields = changes.apply(draft.fields);
        draft.version += 1;
        self.drafts.update_draft(&draft)?;
        Ok(draft)
    }

    fn open_draft(&self, actor: &Actor, id: DraftId, version: i64) -> Result<Draft, IntakeError> {
        let draft = self.draft(actor, id)?;
        if let Some(invoice) = draft.invoice_id {
            return Err(IntakeError::AlreadyConfirmed(invoice));
        }
        if draft.version != version {
            return Err(IntakeError::StaleVersion { current: draft.version });
        }
        Ok(draft)
    }

    /// Turns the draft into an invoice (source `upload`) linked to its document, atomically.
    pub fn confirm(&self, actor: &Actor, id: DraftId, version: i64) -> Result<Invoice, IntakeError> {
        require_editor(actor)?;
        let mut draft = self.open_draft(actor, id, version)?;
        let corrects = self.corrected_invoice(actor.organisation_id, &draft.fields)?;
        let new = parse_invoice(&draft.fields, InvoiceSource::Upload, corrects).map_err(IntakeError::Invalid)?;
        let (invoice, events) = Invoice::create(
            InvoiceId::from_uuid(Uuid::now_v7()),
            actor.organisation_id,
            new,
            self.clock.now(),
            crate::calendar::today_of(self.accounts.as_ref(), self.clock.as_ref(), actor.organisation_id)?,
        )
        .map_err(|e| IntakeError::Rule { field: "fields", message: e.to_string() })?;
        draft.invoice_id = Some(invoice.id());
        draft.version += 1;
        draft.reading = Some(crate::reading::reading_of(&draft));
        let after = serde_json::json!({"invoice_id": invoice.id().to_string(), "document": draft.digest.as_str(), "invoice": super::audit::invoice_state(&invoice)});
        let target = billify_ports::audit::AuditTarget::new("draft", draft.id.0);
        let record =
            super::audit::entry(actor, AuditAction::DraftConfirmed, target, self.clock.now(), None, Some(after));
        self.drafts.confirm_draft(&draft, &invoice, &events, &record)?;
        self.events.invoice_created(&invoice);
        log::info!("draft {} confirmed as invoice {}", draft.id.0, invoice.id());
        crate::reconciliation::queue_after_new_invoice(self.jobs.as_ref(), actor.organisation_id, self.clock.now());
        // Read back: a credit note's open amount depends on the invoice it corrects.
        Ok(self.invoices.get(actor.organisation_id, invoice.id())?.unwrap_or(invoice))
    }

    /// The invoice a credit-note draft corrects: same number, same counterparty, same
    /// direction, an invoice (not another credit note). `None` when nothing matches.
    fn corrected_invoice(
        &self,
        org: OrganisationId,
        fields: &InvoiceInput,
    ) -> Result<Option<InvoiceId>, RepositoryError> {
        let is_credit_note = fields.kind.as_deref() == Some("credit_note");
        let Some(number) = fields.corrects_invoice_number.as_deref().map(str::trim).filter(|n| !n.is_empty()) else {
            return Ok(None);
        };
        if !is_credit_note {
            return Ok(None);
        }
        let probe = InvoiceInput { invoice_number: Some(number.to_owned()), ..fields.clone() };
        let direction = fields.direction.as_deref().unwrap_or("payable");
        Ok(self
            .numbered(org, number)?
            .into_iter()
            .find(|i| {
                i.invoice_number().as_str() == number
                    && i.kind() == billify_domain::InvoiceKind::Invoice
                    && i.direction().code() == direction
                    && same_counterparty(i, &probe)
            })
            .map(|i| i.id()))
    }

    /// Discards an unconfirmed draft and, when nothing else refers to it, its document.
    pub fn discard(&self, actor: &Actor, id: DraftId) -> Result<(), IntakeError> {
        require_editor(actor)?;
        let draft = self.draft(actor, id)?;
        if let Some(invoice) = draft.invoice_id {
            return Err(IntakeError::AlreadyConfirmed(invoice));
        }
        self.drafts.delete_draft(actor.organisation_id, id)?;
        self.collect_document(actor.organisation_id, &draft.digest)?;
        Ok(())
    }

    pub(crate) fn collect_document(&self, org: OrganisationId, digest: &DocumentDigest) -> Result<bool, IntakeError> {
        let documents = self.documents.clone();
        let d = digest.clone();
        Ok(self.drafts.delete_unreferenced_document(org, digest, &|| documents.delete(org, &d))?)
    }

    /// The document an invoice was created from, with its bytes.
    pub fn document_of_invoice(
        &self,
        actor: &Actor,
        invoice: InvoiceId,
    ) -> Result<(DocumentRecord, Vec<u8>), IntakeError> {
        let record = self.drafts.document_of_invoice(actor.organisation_id, invoice)?.ok_or(IntakeError::NotFound)?;
        let bytes = self.documents.get(actor.organisation_id, &record.digest)?.ok_or(IntakeError::NotFound)?;
        Ok((record, bytes))
    }

    /// The document a draft was read from: its media type (sniffed from the bytes) and bytes,
    /// for showing it beside the draft.
    pub fn document_of_draft(&self, actor: &Actor, id: DraftId) -> Result<(&'static str, Vec<u8>), IntakeError> {
        let draft = self.draft(actor, id)?;
        let bytes = self.documents.get(actor.organisation_id, &draft.digest)?.ok_or(IntakeError::NotFound)?;
        let media_type = DocumentType::sniff(&bytes).map(|t| t.media_type()).unwrap_or("application/octet-stream");
        Ok((media_type, bytes))
    }
}

/// Whether the invoice's counterparty is the draft's: by VAT number when both have one, else by
/// name.
fn same_counterparty(invoice: &Invoice, fields: &InvoiceInput) -> bool {
    let cp = invoice.counterparty();
    match (cp.vat_number(), fields.counterparty_vat_number.as_deref()) {
        (Some(a), Some(b)) => a.as_str().eq_ignore_ascii_case(&b.replace([' ', '.'], "")),
        _ => fields.counterparty_name.as_deref().is_some_and(|n| cp.name().eq_ignore_ascii_case(n.trim())),
    }
}

/// A display-only file name: the last path segment, control characters removed, at most 200
/// characters. It is never used as a path.
fn clean_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = last.chars().filter(|c| !c.is_control() && *c != '"').take(200).collect();
    if cleaned.trim().is_empty() { "document".into() } else { cleaned.trim().to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use billify_ports::intake::ExtractionMethod;
    use std::time::Duration as StdDuration;

    #[test]
    fn a_credit_note_printed_with_minus_signs_starts_a_draft_with_its_amounts() {
        use billify_ports::intake::{Confidence, DocumentKind, Extracted};
        let pct = Confidence::percent;
        let mut x = ExtractedInvoice::empty(ExtractionMethod::PdfText);
        let minus = |s: &str| Some(Extracted::new(s.parse::<bigdecimal::BigDecimal>().unwrap(), pct(80)));
        x.kind = Some(Extracted::new(DocumentKind::CreditNote, pct(60)));
        (x.subtotal, x.vat_amount, x.total) = (minus("-100.00"), minus("-21.00"), minus("-121.00"));
        let input = draft_fields(&x, &OwnParty::default());
        let amounts = [input.subtotal, input.vat_amount, input.total, input.kind];
        assert_eq!(amounts.map(Option::unwrap_or_default), ["100", "21", "121", "credit_note"].map(String::from));
        // An invoice keeps what it printed.
        x.kind = Some(Extracted::new(DocumentKind::Invoice, pct(70)));
        assert_eq!(draft_fields(&x, &OwnParty::default()).total.as_deref(), Some("-121"));
    }

    #[test]
    fn file_names_are_for_display_only() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\Users\\a\\factuur \"1\".pdf"), "factuur 1.pdf");
        assert_eq!(clean_file_name(""), "document");
    }

    struct Fixed(Result<ExtractionMethod, ExtractionError>);

    impl InvoiceExtractor for Fixed {
        fn extract(
            &self,
            _: &[u8],
            _: &OwnParty,
            _: Date,
            _: StdDuration,
        ) -> Result<ExtractedInvoice, ExtractionError> {
            self.0.clone().map(ExtractedInvoice::empty)
        }
    }

    /// Takes `takes` and finds no e-invoice; or, as the text reader, remembers what it was told
    /// had been spent.
    struct Timed {
        takes: StdDuration,
        told: std::sync::Mutex<Option<StdDuration>>,
    }

    impl InvoiceExtractor for Timed {
        fn extract(
            &self,
            _: &[u8],
            _: &OwnParty,
            _: Date,
            spent: StdDuration,
        ) -> Result<ExtractedInvoice, ExtractionError> {
            std::thread::sleep(self.takes);
            *self.told.lock().unwrap() = Some(spent);
            if self.takes.is_zero() {
                Ok(ExtractedInvoice::empty(ExtractionMethod::PdfText))
            } else {
                Err(ExtractionError::UnsupportedType("no e-invoice".into()))
            }
        }
    }

    #[test]
    fn the_text_reader_gets_what_is_left_of_the_documents_budget() {
        let einvoice = Arc::new(Timed { takes: StdDuration::from_millis(30), told: Default::default() });
        let text = Arc::new(Timed { takes: StdDuration::ZERO, told: Default::default() });
        let r = DocumentReader::new(einvoice.clone(), text.clone(), 100, 1);
        r.read(b"%PDF-1.7", &OwnParty::default(), TODAY).unwrap();
        assert_eq!(*einvoice.told.lock().unwrap(), Some(StdDuration::ZERO), "the first reader has the whole budget");
        let told = text.told.lock().unwrap().expect("the text reader ran");
        assert!(told >= StdDuration::from_millis(30), "the text reader was told {told:?} had been spent");
    }

    fn reader(einvoice: Result<ExtractionMethod, ExtractionError>) -> DocumentReader {
        DocumentReader::new(Arc::new(Fixed(einvoice)), Arc::new(Fixed(Ok(ExtractionMethod::PdfText))), 100, 2)
    }

    #[test]
    fn reads_past_the_concurrency_limit_are_refused_and_slots_come_back() {
        let r = reader(Ok(ExtractionMethod::EinvoiceCii));
        let own = OwnParty::default();
        let first = r.slot().unwrap();
        let second = r.slot().unwrap();
        assert_eq!(r.read(b"%PDF-1.7", &own, TODAY).unwrap_err(), ReadError::Busy { limit: 2 });
        drop(first);
        assert!(r.read(b"%PDF-1.7", &own, TODAY).is_ok());
        drop(second);
        assert_eq!(r.reading.load(Ordering::Acquire), 0, "every slot is released after a read");
        // A panicking extractor releases its slot too.
        struct Panics;
        impl InvoiceExtractor for Panics {
            fn extract(
                &self,
                _: &[u8],
                _: &OwnParty,
                _: Date,
                _: StdDuration,
            ) -> Result<ExtractedInvoice, ExtractionError> {
                panic!("a bug in an extractor")
            }
        }
        let r = DocumentReader::new(Arc::new(Panics), Arc::new(Panics), 100, 1);
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| r.read(b"<a/>", &own, TODAY)));
        assert!(caught.is_err());
        assert_eq!(r.reading.load(Ordering::Acquire), 0);
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
        let order = reader(Err(ExtractionError::UnsupportedType("unknown root element Order".into())));
        assert_eq!(
            order.read(b"<Order/>", &own, TODAY).unwrap_err(),
            ReadError::Extraction(ExtractionError::Malformed("unknown root element Order".into()))
        );
    }
}
