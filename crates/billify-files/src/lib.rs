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
use std::time::{Duration, SystemTime};

use billify_domain::OrganisationId;
use billify_ports::documents::{DocumentDigest, DocumentStore, DocumentStoreError};

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

    /// Every stored document (temporary files left out), by organisation and digest, sorted:
    /// what `billify backup` copies when it has no database snapshot to name the documents.
    pub fn list(&self) -> Result<Vec<(OrganisationId, DocumentDigest)>, DocumentStoreError> {
        let mut found = Vec::new();
        for organisation in entries(&self.root)? {
            let Some(org) = organisation.file_name().to_str().and_then(|n| n.parse::<OrganisationId>().ok()) else {
                continue;
            };
            for shard in entries(&organisation.path())? {
                for entry in entries(&shard.path())? {
                    if let Some(digest) = entry.file_name().to_str().and_then(DocumentDigest::parse) {
                        found.push((org, digest));
                    }
                }
            }
        }
        found.sort();
        Ok(found)
    }

    fn path(&self, organisation: OrganisationId, digest: &DocumentDigest) -> PathBuf {
        let hex = digest.as_str();
        self.root.join(organisation.to_string()).join(&hex[..2]).join(hex)
    }
}

/// The entries of a directory, or none when it does not exist.
fn entries(dir: &Path) -> Result<Vec<fs::DirEntry>, DocumentStoreError> {
    match fs::read_dir(dir) {
        Ok(read) => read.collect::<Result<Vec<_>, _>>().map_err(|e| io("listing documents", e)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(io("listing documents", e)),
    }
}

fn modified(entry: &fs::DirEntry) -> Option<SystemTime> {
    entry.metadata().and_then(|m| m.modified()).ok()
}

/// The time files must be older than: now (by the file system's clock) less `older_than`.
fn cutoff(older_than: Duration) -> SystemTime {
    SystemTime::now().checked_sub(older_than).unwrap_or(SystemTime::UNIX_EPOCH)
}

/// The process id in a temporary file's name (`.<digest>.<pid>.tmp`).
fn temporary_owner(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    rest.rsplit('.').next()?.parse().ok()
}

/// Whether a process runs (Linux `/proc`); `true` when that cannot be told, so only age decides.
fn process_runs(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

fn sync_dir(dir: &Path) -> Result<(), DocumentStoreError> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(|e| io("syncing the directory", e))
}

impl DocumentStore for LocalDocumentStore {
    fn put(
        &self,
        organisation: OrganisationId,
        digest: &DocumentDigest,
        bytes: &[u8],
    ) -> Result<(), DocumentStoreError> {
        if DocumentDigest::of(bytes) != *digest {
            return Err(DocumentStoreError::Corrupt(format!("the bytes do not match digest {}", digest.as_str())));
        }
        let path = self.path(organisation, digest);
        if path.is_file() {
            // Written again: refresh its time, so the collection of unreferenced files (which
            // spares recent ones) does not take it while its new draft is being committed.
            let _ = File::options().append(true).open(&path).and_then(|f| f.set_modified(SystemTime::now()));
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
        if DocumentDigest::of(&bytes) != *digest {
            return Err(DocumentStoreError::Corrupt(digest.as_str().to_owned()));
        }
        Ok(Some(bytes))
    }

    fn stored_before(
        &self,
        organisation: OrganisationId,
        older_than: Duration,
    ) -> Result<Vec<DocumentDigest>, DocumentStoreError> {
        let before = cutoff(older_than);
        let mut found = Vec::new();
        for shard in entries(&self.root.join(organisation.to_string()))? {
            for entry in entries(&shard.path())? {
                let name = entry.file_name();
                let Some(digest) = name.to_str().and_then(DocumentDigest::parse) else { continue };
                if modified(&entry).is_some_and(|t| t < before) {
                    found.push(digest);
                }
            }
        }
        found.sort();
        Ok(found)
    }

    fn remove_abandoned_temporaries(&self, older_than: Duration) -> Result<usize, DocumentStoreError> {
        let before = cutoff(older_than);
        let mut removed = 0;
        for organisation in entries(&self.root)? {
            for shard in entries(&organisation.path())? {
                for entry in entries(&shard.path())? {
                    let name = entry.file_name();
                    let Some(owner) = name.to_str().and_then(temporary_owner) else { continue };
                    let dead = owner != std::process::id() && !process_runs(owner);
                    if dead || modified(&entry).is_some_and(|t| t < before) {
                        match fs::remove_file(entry.path()) {
                            Ok(()) => removed += 1,
                            Err(e) if e.kind() == ErrorKind::NotFound => {}
                            Err(e) => return Err(io("removing a temporary file", e)),
                        }
                    }
                }
            }
        }
        Ok(removed)
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
    use sha2::{Digest as _, Sha256};

    fn org() -> OrganisationId {
        OrganisationId::from_uuid(uuid::Uuid::new_v4())
    }

    #[test]
    fn stores_reads_and_deletes_by_content() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalDocumentStore::open(dir.path().join("docs")).unwrap();
        let (a, b) = (org(), org());
        let digest = DocumentDigest::of(b"%PDF-1.7 hello");
        assert_eq!(digest.as_str(), hex::encode(Sha256::digest(b"%PDF-1.7 hello")));
        store.put(a, &digest, b"%PDF-1.7 hello").unwrap();
        store.put(a, &digest, b"%PDF-1.7 hello").unwrap();
        assert_eq!(store.get(a, &digest).unwrap().unwrap(), b"%PDF-1.7 hello");
        assert_eq!(store.get(b, &digest).unwrap(), None, "partitioned by organisation");
        let leftovers: Vec<_> = fs::read_dir(store.path(a, &digest).parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary files remain");
        let other = DocumentDigest::of(b"other");
        store.put(b, &other, b"other").unwrap();
        fs::write(store.path(a, &digest).parent().unwrap().join(format!(".{}.1.tmp", digest.as_str())), b"x").unwrap();
        let mut listed = vec![(a, digest.clone()), (b, other.clone())];
        listed.sort();
        assert_eq!(store.list().unwrap(), listed, "every document, no temporary file");
        store.delete(b, &other).unwrap();
        store.delete(a, &digest).unwrap();
        store.delete(a, &digest).unwrap();
        assert_eq!(store.get(a, &digest).unwrap(), None);
    }

    #[test]
    fn lists_old_files_and_removes_abandoned_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalDocumentStore::open(dir.path()).unwrap();
        let (a, b) = (org(), org());
        let digest = DocumentDigest::of(b"kept");
        store.put(a, &digest, b"kept").unwrap();
        store.put(b, &DocumentDigest::of(b"other"), b"other").unwrap();
        std::thread::sleep(Duration::from_millis(20));
        let (any, recent) = (Duration::ZERO, Duration::from_secs(60));
        assert_eq!(store.stored_before(a, any).unwrap(), vec![digest.clone()]);
        assert_eq!(store.stored_before(a, recent).unwrap(), vec![], "recent files are spared");
        assert_eq!(store.stored_before(org(), any).unwrap(), vec![], "an organisation with no files");
        // A temporary file of a process that no longer runs (pid beyond the kernel's maximum),
        // one of this process, and a file that is not a temporary one.
        let shard = store.path(a, &digest).parent().unwrap().to_owned();
        let dead = shard.join(format!(".{}.{}.tmp", digest.as_str(), u32::MAX));
        let ours = shard.join(format!(".{}.{}.tmp", digest.as_str(), std::process::id()));
        fs::write(&dead, b"half").unwrap();
        fs::write(&ours, b"half").unwrap();
        assert_eq!(store.remove_abandoned_temporaries(recent).unwrap(), 1);
        assert!(!dead.exists() && ours.exists(), "a live writer's file stays while it is recent");
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(store.remove_abandoned_temporaries(any).unwrap(), 1);
        assert!(!ours.exists(), "an old one goes");
        assert_eq!(store.get(a, &digest).unwrap().unwrap(), b"kept");
    }

    #[test]
    fn refuses_bytes_that_do_not_match_and_detects_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalDocumentStore::open(dir.path()).unwrap();
        let a = org();
        let digest = DocumentDigest::of(b"one");
        assert!(matches!(store.put(a, &digest, b"two"), Err(DocumentStoreError::Corrupt(_))));
        store.put(a, &digest, b"one").unwrap();
        fs::write(store.path(a, &digest), b"tampered").unwrap();
        assert!(matches!(store.get(a, &digest), Err(DocumentStoreError::Corrupt(_))));
    }
}
