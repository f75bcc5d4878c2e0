//! How background threads live through a storage outage: they log it once when it starts and
//! once when it ends (not once per attempt), and back off while it lasts.

use std::fmt::Display;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use billify_ports::StorageHealth;

/// The longest a background thread waits between two attempts during an outage.
pub const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// The storage outage as the background threads of one process see it.
pub struct Outage {
    health: Arc<dyn StorageHealth>,
    since: Mutex<Option<Instant>>,
}

impl Outage {
    /// Watches `health`.
    pub fn new(health: Arc<dyn StorageHealth>) -> Arc<Outage> {
        Arc::new(Outage { health, since: Mutex::new(None) })
    }

    /// A background task failed. Returns whether the storage is down; the first failure of an
    /// outage is logged, the others only at debug level. Other failures are logged as warnings.
    pub fn failed(&self, task: &str, error: &dyn Display) -> bool {
        let message = error.to_string();
        if self.health.available() && !message.contains("storage unavailable") {
            log::warn!("{task} failed, will retry: {message}");
            return false;
        }
        let mut since = self.since.lock().unwrap_or_else(PoisonError::into_inner);
        if since.is_none() {
            log::warn!("storage unavailable ({task}: {message}); background work backs off until it answers");
            *since = Some(Instant::now());
        } else {
            log::debug!("{task}: storage still unavailable: {message}");
        }
        true
    }

    /// A background task succeeded: ends the outage, if one was going on.
    pub fn succeeded(&self) {
        let mut since = self.since.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(at) = since.take() {
            log::warn!("storage answers again after {:.1} s; background work resumes", at.elapsed().as_secs_f64());
        }
    }

    /// Whether an outage is going on.
    pub fn ongoing(&self) -> bool {
        self.since.lock().unwrap_or_else(PoisonError::into_inner).is_some()
    }
}

/// The wait after `failures` failures in a row: `normal` doubled each time, at most
/// [`MAX_BACKOFF`] (or `normal` when that is longer).
pub fn backoff(normal: Duration, failures: u32) -> Duration {
    let doubled = normal.saturating_mul(1 << failures.min(16));
    doubled.min(MAX_BACKOFF.max(normal))
}

#[cfg(test)]
mod tests {
    use super::*;
    use billify_ports::RepositoryError;
    use std::sync::atomic::{AtomicBool, Ordering};

    struct Switch(AtomicBool);
    impl StorageHealth for Switch {
        fn ping(&self) -> Result<(), RepositoryError> {
            Ok(())
        }
        fn available(&self) -> bool {
            self.0.load(Ordering::Relaxed)
        }
    }

    #[test]
    fn an_outage_is_seen_from_the_health_or_the_error_and_ends_on_success() {
        let switch = Arc::new(Switch(AtomicBool::new(true)));
        let outage = Outage::new(switch.clone());
        assert!(!outage.failed("job", &"a bug"), "an ordinary failure is no outage");
        assert!(!outage.ongoing());
        assert!(outage.failed("job", &RepositoryError::Unavailable("refused".into())));
        assert!(outage.ongoing());
        outage.succeeded();
        assert!(!outage.ongoing());
        switch.0.store(false, Ordering::Relaxed);
        assert!(outage.failed("job", &"connection reset"), "the probe says the storage is down");
        assert!(outage.failed("job", &"again"));
        assert!(outage.ongoing());
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let poll = Duration::from_millis(500);
        assert_eq!(backoff(poll, 0), poll);
        assert_eq!(backoff(poll, 1), Duration::from_secs(1));
        assert_eq!(backoff(poll, 30), MAX_BACKOFF);
        assert_eq!(backoff(Duration::from_secs(300), 3), Duration::from_secs(300), "never shorter than normal");
    }
}
