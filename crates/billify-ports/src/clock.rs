//! Time as a port, so that rules which depend on "today" can be tested at any date.

use time::{Date, OffsetDateTime};

/// Tells the current time and the current business day.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> OffsetDateTime;

    /// The current business day, which decides urgency and the overdue transition.
    fn today(&self) -> Date {
        self.now().date()
    }
}

/// The system clock in UTC, to the microsecond (the precision every store keeps, so a value
/// returned before and after a round trip through storage is the same).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        let now = OffsetDateTime::now_utc();
        now.replace_nanosecond(now.nanosecond() / 1_000 * 1_000).unwrap_or(now)
    }
}
