//! Alerts: what deserves a notification on an organisation's morning, and how a notification
//! reaches people.
//!
//! The rules here decide from dates and amounts given as arguments (the organisation's local
//! `today`, its settings); the daily job in `billify-app` gathers the facts and stores what
//! these rules raise. Each alert carries a key that names it once and for all (the same payable
//! due on the same date, the same receivable gone overdue, the same day's low balance), so
//! raising it again is recognised and ignored.

use std::fmt;

use time::{Date, Duration};

use crate::ParseError;
use crate::money::Money;

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NotificationKind {
    /// A payable is due within the organisation's window (default 7 days).
    PayableDueSoon,
    /// A receivable became overdue.
    ReceivableOverdue,
    /// The projected balance falls under the organisation's threshold within the forecast window.
    LowBalance,
    /// A bank integration needs consent again, or its consent expires within 14 days.
    IntegrationConsent,
    /// Reconciliation suggestions wait for a decision.
    SuggestionsWaiting,
}

impl NotificationKind {
    /// Every kind.
    pub const ALL: [NotificationKind; 5] = [
        NotificationKind::PayableDueSoon,
        NotificationKind::ReceivableOverdue,
        NotificationKind::LowBalance,
        NotificationKind::IntegrationConsent,
        NotificationKind::SuggestionsWaiting,
    ];

    /// The stable code, e.g. `payable_due_soon`.
    pub fn code(self) -> &'static str {
        match self {
            NotificationKind::PayableDueSoon => "payable_due_soon",
            NotificationKind::ReceivableOverdue => "receivable_overdue",
            NotificationKind::LowBalance => "low_balance",
            NotificationKind::IntegrationConsent => "integration_consent",
            NotificationKind::SuggestionsWaiting => "suggestions_waiting",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Result<Self, ParseError> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == code.trim())
            .ok_or_else(|| ParseError::new("notification kind", format!("unknown notification kind {code:?}")))
    }
}

impl fmt::Display for NotificationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// How a notification reaches people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    /// Stored for each member, listed and marked read in the application.
    InApp,
    /// An email to each member who wants it (when SMTP is configured).
    Email,
    /// A signed HTTP POST to each of the organisation's webhook endpoints.
    Webhook,
}

impl Channel {
    /// The channels a member chooses for themself (webhooks belong to the organisation).
    pub const PERSONAL: [Channel; 2] = [Channel::InApp, Channel::Email];

    /// The stable code, e.g. `in_app`.
    pub fn code(self) -> &'static str {
        match self {
            Channel::InApp => "in_app",
            Channel::Email => "email",
            Channel::Webhook => "webhook",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Result<Self, ParseError> {
        [Channel::InApp, Channel::Email, Channel::Webhook]
            .into_iter()
            .find(|c| c.code() == code.trim())
            .ok_or_else(|| ParseError::new("channel", format!("unknown channel {code:?}")))
    }
}

/// An organisation's alert settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlertSettings {
    payable_days: u16,
    balance_threshold_minor: i64,
}

impl Default for AlertSettings {
    fn default() -> Self {
        AlertSettings { payable_days: Self::DEFAULT_PAYABLE_DAYS, balance_threshold_minor: 0 }
    }
}

impl AlertSettings {
    /// A payable due within this many days is due soon, unless the organisation chose otherwise.
    pub const DEFAULT_PAYABLE_DAYS: u16 = 7;
    /// The longest window an organisation may choose.
    pub const MAX_PAYABLE_DAYS: u16 = 90;

    /// Settings with a due-soon window of `payable_days` (0 to 90: 0 means due today) and a
    /// balance threshold in minor units (of whatever currency the balance is in).
    pub fn new(payable_days: u16, balance_threshold_minor: i64) -> Result<Self, ParseError> {
        if payable_days > Self::MAX_PAYABLE_DAYS {
            return Err(ParseError::new("payable days", "the due-soon window is 0 to 90 days"));
        }
        Ok(AlertSettings { payable_days, balance_threshold_minor })
    }

    /// The due-soon window in days.
    pub fn payable_days(&self) -> u16 {
        self.payable_days
    }

    /// The threshold under which a projected balance raises an alert, in minor units.
    pub fn balance_threshold_minor(&self) -> i64 {
        self.balance_threshold_minor
    }

    /// Whether a payable due on `due` is due soon on `today`: due today or within the window
    /// (an overdue one has already had its reminder).
    pub fn payable_due_soon(&self, due: Date, today: Date) -> bool {
        due >= today && due <= today + Duration::days(i64::from(self.payable_days))
    }

    /// The first day of a projection whose balance is under the threshold, with that balance;
    /// `None` when every day stays at or above it. Days are taken in order of date.
    pub fn first_low_balance(&self, days: &[(Date, Money)]) -> Option<(Date, Money)> {
        let mut sorted: Vec<&(Date, Money)> = days.iter().collect();
        sorted.sort_by_key(|(d, _)| *d);
        sorted.into_iter().find(|(_, m)| m.to_minor_units().is_ok_and(|u| u < self.balance_threshold_minor)).cloned()
    }
}

/// The moment of a local day the daily alerts run: 07:00 in the organisation's time zone.
pub const MORNING_HOUR: u8 = 7;

/// Whether the daily alerts of an organisation are due: its local date is `today`, the local
/// date [`MORNING_HOUR`] hours ago is `morning_ago` (equal to `today` once its morning has come),
/// and they last ran on `last_run_on`.
pub fn daily_alerts_due(today: Date, morning_ago: Date, last_run_on: Option<Date>) -> bool {
    morning_ago >= today && last_run_on.is_none_or(|last| last < today)
}

/// A consent expiring within this many days raises an alert.
pub const CONSENT_WARNING_DAYS: i64 = 14;

/// What an integration's consent needs, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentAlert {
    /// The bank refused the tokens: consent must be given again.
    NeedsReconsent,
    /// The consent expires on this local date, within [`CONSENT_WARNING_DAYS`].
    ExpiresOn(Date),
}

impl ConsentAlert {
    /// The rule: needs re-consent, or expires today or within 14 days (an expiry already past is
    /// reported as needing consent).
    pub fn of(needs_reconsent: bool, expires_on: Option<Date>, today: Date) -> Option<ConsentAlert> {
        if needs_reconsent {
            return Some(ConsentAlert::NeedsReconsent);
        }
        match expires_on {
            Some(d) if d < today => Some(ConsentAlert::NeedsReconsent),
            Some(d) if d <= today + Duration::days(CONSENT_WARNING_DAYS) => Some(ConsentAlert::ExpiresOn(d)),
            _ => None,
        }
    }
}

/// How many times an outbound delivery is tried before it fails for good.
pub const MAX_DELIVERY_ATTEMPTS: i32 = 6;

/// The wait before the next try of a delivery that failed its `attempts`-th try: 30 seconds,
/// then four times longer each time (30 s, 2 min, 8 min, 32 min, ~2 h); `None` when the
/// delivery has had all its tries.
pub fn delivery_backoff(attempts: i32) -> Option<Duration> {
    if attempts >= MAX_DELIVERY_ATTEMPTS {
        return None;
    }
    let exponent = u32::try_from(attempts.saturating_sub(1).max(0)).unwrap_or(0).min(10);
    Some(Duration::seconds(30 * 4_i64.pow(exponent)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use time::macros::date;

    fn eur(text: &str) -> Money {
        Money::parse(text, Currency::parse("EUR").unwrap()).unwrap()
    }

    #[test]
    fn codes_round_trip() {
        for k in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(k.code()).unwrap(), k);
        }
        for c in [Channel::InApp, Channel::Email, Channel::Webhook] {
            assert_eq!(Channel::parse(c.code()).unwrap(), c);
        }
        assert!(NotificationKind::parse("nope").is_err());
        assert!(Channel::parse("sms").is_err());
    }

    #[test]
    fn a_payable_is_due_soon_from_today_to_the_end_of_the_window() {
        let s = AlertSettings::default();
        let today = date!(2026 - 12 - 06);
        assert!(!s.payable_due_soon(date!(2026 - 12 - 05), today), "overdue is not due soon");
        assert!(s.payable_due_soon(today, today));
        assert!(s.payable_due_soon(date!(2026 - 12 - 13), today));
        assert!(!s.payable_due_soon(date!(2026 - 12 - 14), today));
        let s = AlertSettings::new(0, 0).unwrap();
        assert!(s.payable_due_soon(today, today) && !s.payable_due_soon(date!(2026 - 12 - 07), today));
        assert!(AlertSettings::new(91, 0).is_err());
    }

    #[test]
    fn the_first_day_under_the_threshold_is_reported() {
        let s = AlertSettings::new(7, 10_000).unwrap();
        let days = vec![
            (date!(2026 - 12 - 09), eur("50.00")),
            (date!(2026 - 12 - 07), eur("150.00")),
            (date!(2026 - 12 - 08), eur("99.99")),
        ];
        assert_eq!(s.first_low_balance(&days), Some((date!(2026 - 12 - 08), eur("99.99"))));
        assert_eq!(AlertSettings::default().first_low_balance(&days), None);
        assert_eq!(
            AlertSettings::default().first_low_balance(&[(date!(2026 - 12 - 07), eur("-0.01"))]).map(|d| d.0),
            Some(date!(2026 - 12 - 07))
        );
    }

    #[test]
    fn daily_alerts_run_once_per_local_day_after_the_morning() {
        let today = date!(2026 - 12 - 06);
        let yesterday = date!(2026 - 12 - 05);
        assert!(!daily_alerts_due(today, yesterday, None), "before 07:00");
        assert!(daily_alerts_due(today, today, None));
        assert!(daily_alerts_due(today, today, Some(yesterday)));
        assert!(!daily_alerts_due(today, today, Some(today)));
    }

    #[test]
    fn consent_alerts() {
        let today = date!(2026 - 12 - 06);
        assert_eq!(ConsentAlert::of(true, None, today), Some(ConsentAlert::NeedsReconsent));
        assert_eq!(ConsentAlert::of(false, None, today), None);
        assert_eq!(ConsentAlert::of(false, Some(date!(2026 - 12 - 21)), today), None);
        assert_eq!(
            ConsentAlert::of(false, Some(date!(2026 - 12 - 20)), today),
            Some(ConsentAlert::ExpiresOn(date!(2026 - 12 - 20)))
        );
        assert_eq!(ConsentAlert::of(false, Some(date!(2026 - 12 - 01)), today), Some(ConsentAlert::NeedsReconsent));
    }

    #[test]
    fn deliveries_back_off_four_times_longer_and_stop() {
        assert_eq!(delivery_backoff(1), Some(Duration::seconds(30)));
        assert_eq!(delivery_backoff(2), Some(Duration::minutes(2)));
        assert_eq!(delivery_backoff(5), Some(Duration::seconds(30 * 256)));
        assert_eq!(delivery_backoff(MAX_DELIVERY_ATTEMPTS), None);
    }
}
