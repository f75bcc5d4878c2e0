//! The intake's periodic sweeps over every organisation: files crashes left behind, drafts past
//! their expiry. Run by the binary's job loop; each is safe to run again at any time.

use billify_domain::OrganisationId;
use billify_ports::RepositoryError;

use crate::intake::{IntakeError, IntakeService};

impl IntakeService {
    /// Removes what crashes leave in the document store: temporary files of writes that never
    /// finished (of processes that no longer run, or older than `grace`), and files no draft or
    /// invoice refers to that were last written more than `grace` ago (a file is written just
    /// before its draft commits, so an upload in progress in another process must not lose it).
    /// Ages are the document store's (its files' times). Returns how many files were removed.
    pub fn collect_stray_documents(&self, grace: std::time::Duration) -> Result<usize, IntakeError> {
        let mut removed = self.documents.remove_abandoned_temporaries(grace)?;
        self.each_organisation(|org| {
            for digest in self.documents.stored_before(org, grace)? {
                if self.collect_document(org, &digest)? {
                    removed += 1;
                }
            }
            Ok(())
        })?;
        Ok(removed)
    }

    /// Removes unconfirmed drafts past their expiry, and their documents when unreferenced.
    /// Returns how many drafts were removed.
    pub fn purge_expired_drafts(&self) -> Result<usize, IntakeError> {
        let now = self.clock.now();
        let mut removed = 0;
        self.each_organisation(|org| {
            for draft in self.drafts.expired_drafts(org, now, 500)? {
                match self.drafts.delete_draft(org, draft.id) {
                    Ok(()) | Err(RepositoryError::NotFound) => {}
                    Err(e) => return Err(e.into()),
                }
                self.collect_document(org, &draft.digest)?;
                removed += 1;
            }
            Ok(())
        })?;
        Ok(removed)
    }

    /// Runs `each` for every organisation, in pages of 500.
    pub(crate) fn each_organisation(
        &self,
        mut each: impl FnMut(OrganisationId) -> Result<(), IntakeError>,
    ) -> Result<(), IntakeError> {
        let mut after = None;
        loop {
            let organisations = self.accounts.organisation_ids(after, 500)?;
            let Some(last) = organisations.last().copied() else { return Ok(()) };
            for org in organisations {
                each(org)?;
            }
            after = Some(last);
        }
    }
}
