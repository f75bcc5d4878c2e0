//! Readiness of the storage, for the `/ready` probe.

use crate::RepositoryError;

/// Tells whether the storage answers.
pub trait StorageHealth: Send + Sync {
    /// Runs a trivial query; an error means requests would fail now.
    fn ping(&self) -> Result<(), RepositoryError>;

    /// Whether the storage answered its last health probe in time. Answers at once, without
    /// I/O, so callers can refuse work (503) rather than wait while the storage is down; a
    /// storage without a probe is always available.
    fn available(&self) -> bool {
        true
    }
}
