//! Reading all of an organisation's data at once (export) and deleting it (erasure).

use billify_domain::OrganisationId;

use crate::RepositoryError;
use crate::audit::{AuditChainHead, NewAuditEntry};
use crate::documents::{DocumentDigest, DocumentRecord, DocumentStoreError, Draft};

/// What deleting an organisation removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeletedOrganisation {
    /// Memberships removed (the users stay: they are global identities).
    pub members: u64,
    /// Invoices removed.
    pub invoices: u64,
    /// Documents removed, rows and bytes.
    pub documents: u64,
    /// The organisation's audit chain as it was when deleted (its last entry and hash), kept
    /// in the global chain's tombstone entry.
    pub audit_head: Option<AuditChainHead>,
}

/// Whole-organisation reads and the organisation's deletion.
pub trait OrganisationDataRepository: Send + Sync {
    /// Every draft of the organisation, confirmed or not, oldest first.
    fn all_drafts(&self, organisation: OrganisationId) -> Result<Vec<Draft>, RepositoryError>;

    /// Every document record of the organisation, oldest first.
    fn all_documents(&self, organisation: OrganisationId) -> Result<Vec<DocumentRecord>, RepositoryError>;

    /// Deletes the organisation and every row that belongs to it (memberships and so sessions,
    /// invitations, invoices and events, drafts, documents, bank data, integrations and sync
    /// runs, jobs, its audit chain) in one transaction, and in the same transaction appends
    /// `tombstone` to the global audit chain with the deleted chain's head added to its `after`
    /// (as `chain_head`). `remove_documents` runs inside the transaction with the digests of the
    /// documents deleted; its failure rolls everything back.
    ///
    /// # Errors
    /// [`RepositoryError::NotFound`] when the organisation does not exist.
    fn delete_organisation(
        &self,
        organisation: OrganisationId,
        tombstone: &NewAuditEntry,
        remove_documents: &dyn Fn(&[DocumentDigest]) -> Result<(), DocumentStoreError>,
    ) -> Result<DeletedOrganisation, RepositoryError>;
}
