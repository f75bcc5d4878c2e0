//! How urgently an open invoice needs attention, from its due date or a manual override.

use std::fmt;
use std::str::FromStr;

use crate::ParseError;

/// Urgency levels, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum UrgencyLevel {
    /// The due date has passed (fewer than 0 days left).
    Overdue,
    /// Due within 0 to 7 days.
    Critical,
    /// Due in 8 to 14 days.
    High,
    /// Due in 15 to 30 days.
    Medium,
    /// Due in 31 days or more.
    Low,
}

impl UrgencyLevel {
    /// All levels, most urgent first.
    pub const ALL: [UrgencyLevel; 5] =
        [UrgencyLevel::Overdue, UrgencyLevel::Critical, UrgencyLevel::High, UrgencyLevel::Medium, UrgencyLevel::Low];

    /// The level for a number of days until the due date (negative when past due).
    pub fn from_days_until_due(days: i64) -> Self {
        match days {
            i64::MIN..=-1 => UrgencyLevel::Overdue,
            0..=7 => UrgencyLevel::Critical,
            8..=14 => UrgencyLevel::High,
            15..=30 => UrgencyLevel::Medium,
            _ => UrgencyLevel::Low,
        }
    }

    /// The inclusive range of days-until-due this level covers; `None` means unbounded.
    pub fn day_range(&self) -> (Option<i64>, Option<i64>) {
        match self {
            UrgencyLevel::Overdue => (None, Some(-1)),
            UrgencyLevel::Critical => (Some(0), Some(7)),
            UrgencyLevel::High => (Some(8), Some(14)),
            UrgencyLevel::Medium => (Some(15), Some(30)),
            UrgencyLevel::Low => (Some(31), None),
        }
    }

    /// The stable machine code, e.g. `"critical"`.
    pub fn code(&self) -> &'static str {
        match self {
            UrgencyLevel::Overdue => "overdue",
            UrgencyLevel::Critical => "critical",
            UrgencyLevel::High => "high",
            UrgencyLevel::Medium => "medium",
            UrgencyLevel::Low => "low",
        }
    }

    /// The name shown to people, e.g. `"Critical"`.
    pub fn display_name(&self) -> &'static str {
        match self {
            UrgencyLevel::Overdue => "Overdue",
            UrgencyLevel::Critical => "Critical",
            UrgencyLevel::High => "High",
            UrgencyLevel::Medium => "Medium",
            UrgencyLevel::Low => "Low",
        }
    }

    /// The display colour as a CSS hex colour.
    pub fn color(&self) -> &'static str {
        match self {
            UrgencyLevel::Overdue => "#8B0000",
            UrgencyLevel::Critical => "#FF0000",
            UrgencyLevel::High => "#FFA500",
            UrgencyLevel::Medium => "#FFD700",
            UrgencyLevel::Low => "#008000",
        }
    }
}

impl fmt::Display for UrgencyLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for UrgencyLevel {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        UrgencyLevel::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| ParseError::new("urgency", "urgency is one of overdue, critical, high, medium, low"))
    }
}

/// The urgency of an open invoice and whether it was set by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Urgency {
    /// The level.
    pub level: UrgencyLevel,
    /// True when a person overrode the level computed from the due date.
    pub is_manual: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_match_the_rules() {
        let cases = [
            (-30, UrgencyLevel::Overdue),
            (-1, UrgencyLevel::Overdue),
            (0, UrgencyLevel::Critical),
            (7, UrgencyLevel::Critical),
            (8, UrgencyLevel::High),
            (14, UrgencyLevel::High),
            (15, UrgencyLevel::Medium),
            (30, UrgencyLevel::Medium),
            (31, UrgencyLevel::Low),
            (365, UrgencyLevel::Low),
        ];
        for (days, level) in cases {
            assert_eq!(UrgencyLevel::from_days_until_due(days), level, "{days} days");
        }
    }

    #[test]
    fn day_ranges_agree_with_from_days() {
        for level in UrgencyLevel::ALL {
            let (lo, hi) = level.day_range();
            for d in [lo, hi].into_iter().flatten() {
                assert_eq!(UrgencyLevel::from_days_until_due(d), level);
            }
        }
    }

    #[test]
    fn names_and_colours() {
        assert_eq!(UrgencyLevel::Overdue.color(), "#8B0000");
        assert_eq!(UrgencyLevel::Critical.color(), "#FF0000");
        assert_eq!(UrgencyLevel::High.color(), "#FFA500");
        assert_eq!(UrgencyLevel::Medium.color(), "#FFD700");
        assert_eq!(UrgencyLevel::Low.color(), "#008000");
        assert_eq!(UrgencyLevel::Medium.display_name(), "Medium");
        assert_eq!("HIGH".parse::<UrgencyLevel>().unwrap(), UrgencyLevel::High);
        assert!("urgent".parse::<UrgencyLevel>().is_err());
    }
}
