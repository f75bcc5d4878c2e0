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

/// A circuit breaker's state, for monitoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CircuitState {
    /// Calls go through.
    Closed,
    /// Calls are refused until the cool-down ends.
    Open,
    /// The cool-down ended: one probe call decides (it is running, or the next call is it).
    HalfOpen,
}

impl CircuitState {
    /// Every state, in order.
    pub const ALL: [CircuitState; 3] = [CircuitState::Closed, CircuitState::Open, CircuitState::HalfOpen];

    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            CircuitState::Closed => "closed",
            CircuitState::Open => "open",
            CircuitState::HalfOpen => "half_open",
        }
    }
}

impl Breaker {
    /// The state at `now`.
    pub(super) fn state(&self, now: OffsetDateTime) -> CircuitState {
        match self.open_until {
            None => CircuitState::Closed,
            Some(until) if now < until && !self.probing => CircuitState::Open,
            Some(_) => CircuitState::HalfOpen,
        }
    }

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
    /// The state of each configured provider's circuit breaker in this process (`ponto`,
    /// `yuki`), for monitoring.
    pub fn circuits(&self) -> Vec<(&'static str, CircuitState)> {
        let now = self.clock.now();
        let state = |breaker: &std::sync::Mutex<Breaker>| match breaker.lock() {
            Ok(b) => b.state(now),
            Err(poisoned) => poisoned.into_inner().state(now),
        };
        let mut circuits = Vec::new();
        if self.provider.is_some() {
            circuits.push(("ponto", state(&self.breaker)));
        }
        if let Some(accounting) = self.accounting.as_ref().filter(|a| a.provider.is_some()) {
            circuits.push(("yuki", state(&accounting.breaker)));
        }
        circuits
    }

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
        assert_eq!(b.state(at(0)), CircuitState::Closed);
        for _ in 0..4 {
            b.failure(at(0), 5, Duration::seconds(60));
            assert!(b.allow(at(0)).is_ok());
        }
        assert_eq!(b.state(at(0)), CircuitState::Closed);
        b.failure(at(0), 5, Duration::seconds(60));
        assert_eq!(b.state(at(30)), CircuitState::Open);
        assert_eq!(b.allow(at(30)), Err(at(60)));
        assert_eq!(b.state(at(61)), CircuitState::HalfOpen, "the next call probes");
        assert!(b.allow(at(61)).is_ok(), "half-open: one probe");
        assert_eq!(b.state(at(61)), CircuitState::HalfOpen, "probing");
        assert_eq!(b.allow(at(61)), Err(at(60)), "only one probe at a time");
        b.failure(at(62), 5, Duration::seconds(60));
        assert_eq!(b.state(at(100)), CircuitState::Open);
        assert_eq!(b.allow(at(100)), Err(at(122)), "a failed probe reopens the circuit");
        assert!(b.allow(at(123)).is_ok());
        b.success();
        assert_eq!(b.state(at(123)), CircuitState::Closed);
        assert!(b.allow(at(123)).is_ok());
        assert!(b.allow(at(123)).is_ok());
    }
}
