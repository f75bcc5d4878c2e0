//! The circuit breaker that stops calling a provider that keeps failing, shared by the workers of
//! one process, and the one place provider calls go through it.

use time::{Duration, OffsetDateTime};

use super::RunFailure;
use super::SyncService;
use super::tokens::LiveTokens;
use billify_ports::banking::{BankingError, ProviderTokens};
use billify_ports::integrations::Integration;

/// A circuit breaker for one provider, shared by the workers of one process.
#[derive(Debug, Default)]
pub(super) struct Breaker {
    failures: u32,
    open_until: Option<OffsetDateTime>,
    probing: bool,
}

impl Breaker {
    /// `Err(until)` while open; after the cool-down one probe passes (half-open).
    pub(super) fn allow(&mut self, now: OffsetDateTime) -> Result<(), OffsetDateTime> {
        match self.open_until {
            Some(until) if now < until => Err(until),
            Some(until) if self.probing => Err(until),
            Some(_) => {
                self.probing = true;
                Ok(())
            }
            None => Ok(()),
        }
    }

    pub(super) fn success(&mut self) {
        *self = Breaker::default();
    }

    pub(super) fn failure(&mut self, now: OffsetDateTime, threshold: u32, cooldown: Duration) {
        self.failures += 1;
        if self.probing || self.failures >= threshold {
            self.open_until = Some(now + cooldown);
            self.probing = false;
        }
    }

    /// A probe ended without a provider verdict (e.g. storage failed): let another probe pass.
    pub(super) fn release(&mut self) {
        self.probing = false;
    }
}

impl SyncService {
    /// Runs one provider call with the live tokens and stores them afterwards, even when the
    /// call failed (a refresh may have rotated them).
    pub(super) fn call<T>(
        &self,
        integration: &Integration,
        live: &mut LiveTokens,
        f: impl FnOnce(&mut ProviderTokens) -> Result<T, BankingError>,
    ) -> Result<T, RunFailure> {
        let before = live.tokens.clone();
        let result = f(&mut live.tokens);
        self.persist_tokens(integration, live, &before)?;
        Ok(result?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> OffsetDateTime {
        OffsetDateTime::UNIX_EPOCH + Duration::seconds(seconds)
    }

    #[test]
    fn breaker_opens_after_threshold_and_lets_one_probe_through_after_cooldown() {
        let mut b = Breaker::default();
        for _ in 0..4 {
            b.failure(at(0), 5, Duration::seconds(60));
            assert!(b.allow(at(0)).is_ok());
        }
        b.failure(at(0), 5, Duration::seconds(60));
        assert_eq!(b.allow(at(30)), Err(at(60)));
        assert!(b.allow(at(61)).is_ok(), "half-open: one probe");
        assert_eq!(b.allow(at(61)), Err(at(60)), "only one probe at a time");
        b.failure(at(62), 5, Duration::seconds(60));
        assert_eq!(b.allow(at(100)), Err(at(122)), "a failed probe reopens the circuit");
        assert!(b.allow(at(123)).is_ok());
        b.success();
        assert!(b.allow(at(123)).is_ok());
        assert!(b.allow(at(123)).is_ok());
    }
}
