//! Billify's local file-system adapter for the `DocumentStore` port.
//!
//! Files live at `ROOT/<organisation id>/<first two hex digits>/<sha-256>`: content-addressed
//! (the same bytes are stored once per organisation) and partitioned by organisation. Paths are
//! built only from the organisation's UUID and the digest; nothing a client sends ever becomes
//! part of a path. Writes go to a temporary file in the target directory, are fsynced, renamed
//! into place and the directory is fsynced, so a crash leaves either no file or the whole file.
//!
//! **Must never depend on:** a database, HTTP, or any other adapter.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read as _, Write as _};
use std::path::{Path, PathBuf};

use billify_domain::OrganisationId;
use billify_ports::documents::{DocumentDigest, DocumentStore, DocumentStoreError};
use sha2::{Digest as _, Sha256};

/// Documents on the local file system.
#[derive(Debug, Clone)]
pub struct LocalDocumentStore {
    root: PathBuf,
}

fn io(context: &str, e: std::io::Error) -> DocumentStoreError {
    DocumentStoreError::Io(format!("{context}: {e}"))
}

impl LocalDocumentStore {
    /// A store rooted at `root`, created if missing.
    pub fn open(root: impl Into<PathBuf>) -> Result<Self, DocumentStoreError> {
        let root = root.into();
        fs::create_dir_all(&root).map_err(|e| io(&format!("creating {}", root.display()), e))?;
        Ok(LocalDocumentStore { root })
    }

    fn path(&self, organisation: OrganisationId, digest: &DocumentDigest) -> PathBuf {
        let hex = digest.as_str();
        self.root.join(organisation.to_string()).join(&hex[..2]).join(hex)
    }
}

fn sync_dir(dir: &Path) -> Result<(), DocumentStoreError> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(|e| io("syncing the directory", e))
}

impl DocumentStore for LocalDocumentStore {
    fn digest(&self, bytes: &[u8]) -> DocumentDigest {
        DocumentDigest::from_sha256(Sha256::digest(bytes).into())
    }

    fn put(
        &self,
        organisation: OrganisationId,
        digest: &DocumentDigest,
        bytes: &[u8],
    ) -> Result<(), DocumentStoreError> {
        if self.digest(bytes) != *digest {
            return Err(DocumentStoreError::Corrupt(format!("the bytes do not match digest {}", digest.as_str())));
        }
        let path = self.path(organisation, digest);
        if path.is_file() {
            return Ok(());
        }
        let dir = path.parent().ok_or_else(|| DocumentStoreError::Io("document path has no parent".into()))?;
        fs::create_dir_all(dir).map_err(|e| io("creating the document directory", e))?;
        let temp = dir.join(format!(".{}.{}.tmp", digest.as_str(), std::process::id()));
        let result = (|| {
            let mut file = OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .open(&temp)
                .map_err(|e| io("creating a temporary file", e))?;
            file.write_all(bytes).map_err(|e| io("writing the document", e))?;
            file.sync_all().map_err(|e| io("syncing the document", e))?;
            fs::rename(&temp, &path).map_err(|e| io("moving the document into place", e))?;
            sync_dir(dir)
        })();
        if result.is_err() {
            let _ = fs::remove_file(&temp);
        }
        result
    }

    fn get(
        &self,
        organisation: OrganisationId,
        digest: &DocumentDigest,
    ) -> Result<Option<Vec<u8>>, DocumentStoreError> {
        let mut file = match File::open(self.path(organisation, digest)) {
            Ok(f) => f,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io("opening the document", e)),
        };
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(|e| io("reading the document", e))?;
        if self.digest(&bytes) != *digest {
            return Err(DocumentStoreError::Corrupt(digest.as_str().to_owned()));
        }
        Ok(Some(bytes))
    }

    fn delete(&self, organisation: OrganisationId, digest: &DocumentDigest) -> Result<(), DocumentStoreError> {
        let path = self.path(organisation, digest);
        match fs::remove_file(&path) {
            Ok(()) => path.parent().map(sync_dir).unwrap_or(Ok(())),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io("removing the document", e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org() -> OrganisationId {
        OrganisationId::from_uuid(uuid::Uuid::new_v4())
    }

    #[test]
    fn stores_reads_and_deletes_by_content() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalDocumentStore::open(dir.path().join("docs")).unwrap();
        let (a, b) = (org(), org());
        let digest = store.digest(b"%PDF-1.7 hello");
        assert_eq!(digest.as_str(), hex::encode(Sha256::digest(b"%PDF-1.7 hello")));
        store.put(a, &digest, b"%PDF-1.7 hello").unwrap();
        store.put(a, &digest, b"%PDF-1.7 hello").unwrap();
        assert_eq!(store.get(a, &digest).unwrap().unwrap(), b"%PDF-1.7 hello");
        assert_eq!(store.get(b, &digest).unwrap(), None, "partitioned by organisation");
        let leftovers: Vec<_> = fs::read_dir(store.path(a, &digest).parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary files remain");
        store.delete(a, &digest).unwrap();
        store.delete(a, &digest).unwrap();
        assert_eq!(store.get(a, &digest).unwrap(), None);
    }

    #[test]
    fn refuses_bytes_that_do_not_match_and_detects_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalDocumentStore::open(dir.path()).unwrap();
        let a = org();
        let digest = store.digest(b"one");
        assert!(matches!(store.put(a, &digest, b"two"), Err(DocumentStoreError::Corrupt(_))));
        store.put(a, &digest, b"one").unwrap();
        fs::write(store.path(a, &digest), b"tampered").unwrap();
        assert!(matches!(store.get(a, &digest), Err(DocumentStoreError::Corrupt(_))));
    }
}
