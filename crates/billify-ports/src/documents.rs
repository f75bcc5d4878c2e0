//! Uploaded documents: the file bytes (a `DocumentStore`) and their drafts (a `DraftRepository`).

use billify_domain::{Invoice, InvoiceEvent, InvoiceId, OrganisationId, UserId};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::RepositoryError;
use crate::input::InvoiceInput;
use crate::intake::ExtractionMethod;

/// The hex SHA-256 of a document's bytes: its identity within an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentDigest(String);

impl DocumentDigest {
    /// Parses 64 lower-case hex digits.
    pub fn parse(text: &str) -> Option<DocumentDigest> {
        (text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
            .then(|| DocumentDigest(text.to_owned()))
    }

    /// The digest of some bytes: the hex SHA-256 of them.
    pub fn of(bytes: &[u8]) -> DocumentDigest {
        use sha2::Digest as _;
        DocumentDigest(hex::encode(sha2::Sha256::digest(bytes)))
    }

    /// The hex digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why the document store failed.
#[derive(Debug, thiserror::Error)]
pub enum DocumentStoreError {
    /// The file system (or object store) failed.
    #[error("document storage failed: {0}")]
    Io(String),
    /// The stored bytes do not match their digest (corruption).
    #[error("stored document {0} is corrupt")]
    Corrupt(String),
}

/// Stores document bytes, content-addressed and partitioned by organisation.
pub trait DocumentStore: Send + Sync {
    /// Stores the bytes under their digest. Atomic (a crash leaves the old state or the new
    /// file, never a partial one) and idempotent.
    fn put(
        &self,
        organisation: OrganisationId,
        digest: &DocumentDigest,
        bytes: &[u8],
    ) -> Result<(), DocumentStoreError>;

    /// The bytes, if stored; verified against the digest.
    fn get(&self, organisation: OrganisationId, digest: &DocumentDigest)
    -> Result<Option<Vec<u8>>, DocumentStoreError>;

    /// Removes the bytes; a no-op when absent.
    fn delete(&self, organisation: OrganisationId, digest: &DocumentDigest) -> Result<(), DocumentStoreError>;

    /// The organisation's stored documents last written more than `older_than` ago (by the
    /// store's own clock, the one that stamps its files), for collecting those no record refers
    /// to (a crash between writing a file and committing its draft leaves one).
    fn stored_before(
        &self,
        organisation: OrganisationId,
        older_than: std::time::Duration,
    ) -> Result<Vec<DocumentDigest>, DocumentStoreError>;

    /// Removes the temporary files of writes that never finished: those of processes that no
    /// longer run, and any last touched more than `older_than` ago. Returns how many were removed.
    fn remove_abandoned_temporaries(&self, older_than: std::time::Duration) -> Result<usize, DocumentStoreError>;
}

/// What is known about a stored document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRecord {
    /// The owner.
    pub organisation_id: OrganisationId,
    /// The content digest.
    pub digest: DocumentDigest,
    /// The size in bytes.
    pub size: u64,
    /// The sniffed media type.
    pub media_type: String,
    /// The file name the user gave (display only; it never touches the file system).
    pub file_name: String,
    /// When it was first uploaded.
    pub created_at: OffsetDateTime,
}

/// Identifies a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DraftId(pub Uuid);

/// An uploaded document's extraction awaiting review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// Its id.
    pub id: DraftId,
    /// The owner.
    pub organisation_id: OrganisationId,
    /// Who uploaded it.
    pub created_by: UserId,
    /// The document.
    pub digest: DocumentDigest,
    /// Which path produced the extraction.
    pub method: ExtractionMethod,
    /// The editable fields.
    pub fields: InvoiceInput,
    /// The full extraction (fields with confidences, lines, VAT, broken rules) as JSON.
    pub extraction: String,
    /// The invoice it became, once confirmed.
    pub invoice_id: Option<InvoiceId>,
    /// When it was uploaded.
    pub created_at: OffsetDateTime,
    /// When an unconfirmed draft is removed.
    pub expires_at: OffsetDateTime,
    /// Raised by one on every change.
    pub version: i64,
    /// What the reader got right, set when the draft is confirmed: the measured fields'
    /// outcomes as `field:o` pairs joined by commas (`k` kept, `c` corrected, `a` added, `r`
    /// removed), empty when nothing could be measured, `None` until measured. Written by the
    /// application (`billify-app`'s reading accuracy); stores keep it as it is.
    pub reading: Option<String>,
}

/// Confirmed drafts of one extraction method with the same reading, counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadingCount {
    /// The extraction method.
    pub method: crate::intake::ExtractionMethod,
    /// The drafts' reading (see [`Draft::reading`]); may be empty.
    pub reading: String,
    /// How many confirmed drafts have it.
    pub drafts: u64,
}

/// Stores documents' metadata and drafts. Scoped by organisation like every repository.
pub trait DraftRepository: Send + Sync {
    /// Stores the document record (if new) and the draft in one transaction.
    fn create_draft(&self, document: &DocumentRecord, draft: &Draft) -> Result<(), RepositoryError>;

    /// A draft.
    fn draft(&self, organisation: OrganisationId, id: DraftId) -> Result<Option<Draft>, RepositoryError>;

    /// The newest draft of a document, confirmed or not.
    fn draft_of_document(
        &self,
        organisation: OrganisationId,
        digest: &DocumentDigest,
    ) -> Result<Option<Draft>, RepositoryError>;

    /// Stores changed fields if the stored version is `draft.version - 1`.
    fn update_draft(&self, draft: &Draft) -> Result<(), RepositoryError>;

    /// In one transaction: stores the invoice and its events, links the document to it, marks
    /// the draft (version advanced, `invoice_id` set) confirmed, and appends the audit entry.
    /// Nothing is stored (and nothing recorded) when any step fails.
    fn confirm_draft(
        &self,
        draft: &Draft,
        invoice: &Invoice,
        events: &[InvoiceEvent],
        audit: &crate::audit::NewAuditEntry,
    ) -> Result<(), RepositoryError>;

    /// Deletes a draft.
    fn delete_draft(&self, organisation: OrganisationId, id: DraftId) -> Result<(), RepositoryError>;

    /// Unconfirmed drafts of the organisation that expired before `now`.
    fn expired_drafts(
        &self,
        organisation: OrganisationId,
        now: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<Draft>, RepositoryError>;

    /// The confirmed, measured drafts of the organisation uploaded at or after `since`, counted
    /// per method and reading: what the reading-accuracy report adds up, in a few grouped rows
    /// however many drafts there are.
    fn reading_counts(
        &self,
        organisation: OrganisationId,
        since: OffsetDateTime,
    ) -> Result<Vec<ReadingCount>, RepositoryError>;

    /// At most `limit` confirmed drafts of the organisation whose reading is not recorded yet
    /// (confirmed before readings were kept), in id order.
    fn unmeasured_drafts(&self, organisation: OrganisationId, limit: u32) -> Result<Vec<Draft>, RepositoryError>;

    /// Records a confirmed draft's reading; `NotFound` when there is no such confirmed draft.
    fn set_draft_reading(
        &self,
        organisation: OrganisationId,
        id: DraftId,
        reading: &str,
    ) -> Result<(), RepositoryError>;

    /// The document record of an invoice, if it came from a document.
    fn document_of_invoice(
        &self,
        organisation: OrganisationId,
        invoice: InvoiceId,
    ) -> Result<Option<DocumentRecord>, RepositoryError>;

    /// Deletes the document record when no draft or invoice refers to it, running
    /// `remove_bytes` inside the same transaction (so a concurrent upload that re-uses the
    /// document either sees it gone or keeps it). Bytes with no record at all (a crash between
    /// writing the file and committing its draft) are removed the same way. Returns whether a
    /// record was deleted or stray bytes removed.
    fn delete_unreferenced_document(
        &self,
        organisation: OrganisationId,
        digest: &DocumentDigest,
        remove_bytes: &dyn Fn() -> Result<(), DocumentStoreError>,
    ) -> Result<bool, RepositoryError>;
}
