//! Readiness of the storage, for the `/ready` probe.

use crate::RepositoryError;

/// Tells whether the storage answers.
pub trait StorageHealth: Send + Sync {
    /// Runs a trivial query; an error means requests would fail now.
    fn ping(&self) -> Result<(), RepositoryError>;
}
