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

    /// The connection pool's state and what waiting for it cost so far, for monitoring; `None`
    /// for a storage without a pool.
    fn pool(&self) -> Option<PoolStats> {
        None
    }

    /// The write connection's state and waits, for a storage whose writes queue on one
    /// connection of their own (SQLite) beside the pool of [`StorageHealth::pool`], which then
    /// serves reads only; `None` when the pool serves writes too.
    fn write_pool(&self) -> Option<PoolStats> {
        None
    }
}

/// A connection pool's state, and its waits since the process started.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PoolStats {
    /// The most connections the pool opens.
    pub max_size: u32,
    /// Connections open now.
    pub connections: u32,
    /// Of those, connections idle in the pool.
    pub idle: u32,
    /// Connections handed out so far.
    pub checkouts: u64,
    /// Of those, checkouts that had to wait for a connection (more than a millisecond).
    pub waits: u64,
    /// The time spent waiting for connections, in seconds, summed over every checkout.
    pub wait_seconds: f64,
    /// Requests for a connection that gave up waiting.
    pub timeouts: u64,
}
