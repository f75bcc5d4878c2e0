//! The pool's waits, counted by an r2d2 event handler, for `StorageHealth::pool`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use billify_ports::health::PoolStats;
use diesel::r2d2::event::{CheckoutEvent, TimeoutEvent};

/// A checkout that took longer than this waited for a connection.
const WAITED: Duration = Duration::from_millis(1);

/// Counters of the pool's checkouts and waits, shared by the store and its pool's event handler.
#[derive(Debug, Default)]
pub(crate) struct PoolCounters {
    checkouts: AtomicU64,
    waits: AtomicU64,
    wait_nanos: AtomicU64,
    timeouts: AtomicU64,
}

impl PoolCounters {
    fn waited(&self, time: Duration) {
        let nanos = u64::try_from(time.as_nanos()).unwrap_or(u64::MAX);
        self.wait_nanos.fetch_add(nanos, Ordering::Relaxed);
        if time > WAITED {
            self.waits.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Counts a checkout of a connection kept outside r2d2 (SQLite's one write connection) that
    /// took `waited` to get.
    #[allow(dead_code, reason = "only the SQLite store keeps a connection outside its pool")]
    pub(crate) fn checked_out(&self, waited: Duration) {
        self.checkouts.fetch_add(1, Ordering::Relaxed);
        self.waited(waited);
    }

    /// The counters with the pool's state.
    pub(crate) fn stats(&self, max_size: u32, state: diesel::r2d2::State) -> PoolStats {
        self.with(max_size, state.connections, state.idle_connections)
    }

    /// The counters with a pool's size, its open connections and, of those, the idle ones.
    pub(crate) fn with(&self, max_size: u32, connections: u32, idle: u32) -> PoolStats {
        PoolStats {
            max_size,
            connections,
            idle,
            checkouts: self.checkouts.load(Ordering::Relaxed),
            waits: self.waits.load(Ordering::Relaxed),
            wait_seconds: Duration::from_nanos(self.wait_nanos.load(Ordering::Relaxed)).as_secs_f64(),
            timeouts: self.timeouts.load(Ordering::Relaxed),
        }
    }
}

/// The pool's event handler: counts into the store's [`PoolCounters`].
#[derive(Debug)]
pub(crate) struct PoolEvents(pub(crate) Arc<PoolCounters>);

impl diesel::r2d2::HandleEvent for PoolEvents {
    fn handle_checkout(&self, event: CheckoutEvent) {
        self.0.checkouts.fetch_add(1, Ordering::Relaxed);
        self.0.waited(event.duration());
    }

    fn handle_timeout(&self, event: TimeoutEvent) {
        self.0.timeouts.fetch_add(1, Ordering::Relaxed);
        self.0.waited(event.timeout());
    }
}
