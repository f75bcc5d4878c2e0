//! The error every repository port returns.

/// A boxed error from an adapter's technology, kept for logs and never shown to clients.
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why a repository call failed.
#[derive(Debug, thiserror::Error)]
pub enum RepositoryError {
    /// The row does not exist in the caller's organisation.
    #[error("not found")]
    NotFound,
    /// A unique rule was broken; the message names what is duplicated.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The row changed since the caller read it.
    #[error("the record was changed by someone else (now at version {current})")]
    StaleVersion {
        /// The version now stored.
        current: i64,
    },
    /// The database cannot be reached or is overloaded; retrying later may help.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// A stored row breaks the domain's rules; the message says which row and rule.
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// Anything else the adapter could not handle.
    #[error("storage error: {0}")]
    Other(#[source] Cause),
}
