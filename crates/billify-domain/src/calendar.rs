//! An organisation's calendar: its time zone, its VAT periods and the periods cash flow is
//! grouped by.
//!
//! The domain never reads a clock or a time-zone database: callers turn the current instant into
//! the organisation's local date (through the `Clock` port) and pass that date in. What this
//! module decides is which period a local date falls in and when that period's VAT is due.

use std::fmt;
use std::str::FromStr;

use time::{Date, Duration, Month};

use crate::ParseError;

/// The name of an IANA time zone, e.g. `Europe/Brussels`.
///
/// Parsing checks the shape of the name only (the characters the tz database uses, no empty or
/// `..` components); whether the zone exists is decided by the time-zone database outside the
/// domain, before a name is stored.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TimeZoneName(String);

impl TimeZoneName {
    /// The zone of a new organisation.
    pub const DEFAULT: &'static str = "Europe/Brussels";

    /// Parses a zone name such as `Europe/Brussels`, `America/Argentina/Buenos_Aires` or `UTC`.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let t = text.trim();
        let err = |message: &str| ParseError::new("time zone", message.to_owned());
        if t.is_empty() {
            return Err(err("the time zone cannot be empty"));
        }
        if t.len() > 64 {
            return Err(err("the time zone has at most 64 characters"));
        }
        if !t.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-' | b'+')) {
            return Err(err("a time zone is an IANA name such as Europe/Brussels"));
        }
        if t.split('/').any(|part| part.is_empty() || part == "." || part == "..") {
            return Err(err("a time zone is an IANA name such as Europe/Brussels"));
        }
        Ok(TimeZoneName(t.to_owned()))
    }

    /// `Europe/Brussels`.
    pub fn default_zone() -> Self {
        TimeZoneName(Self::DEFAULT.to_owned())
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for TimeZoneName {
    fn default() -> Self {
        Self::default_zone()
    }
}

impl fmt::Display for TimeZoneName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for TimeZoneName {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// How often an organisation files its VAT return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum VatPeriodicity {
    /// Every month.
    Monthly,
    /// Every quarter (the default: most small Belgian businesses file quarterly).
    #[default]
    Quarterly,
}

impl VatPeriodicity {
    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            VatPeriodicity::Monthly => "monthly",
            VatPeriodicity::Quarterly => "quarterly",
        }
    }

    fn months(&self) -> u8 {
        match self {
            VatPeriodicity::Monthly => 1,
            VatPeriodicity::Quarterly => 3,
        }
    }
}

impl FromStr for VatPeriodicity {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "monthly" => Ok(VatPeriodicity::Monthly),
            "quarterly" => Ok(VatPeriodicity::Quarterly),
            _ => Err(ParseError::new("VAT period", "the VAT period is monthly or quarterly")),
        }
    }
}

/// The day of the month after a VAT period on which its return and payment are due: 1 to 28,
/// so it exists in every month. The default is the 20th, as for Belgian periodic returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VatDeadlineDay(u8);

impl VatDeadlineDay {
    /// The 20th.
    pub const DEFAULT: VatDeadlineDay = VatDeadlineDay(20);

    /// A day from 1 to 28.
    pub fn new(day: i64) -> Result<Self, ParseError> {
        match u8::try_from(day) {
            Ok(d @ 1..=28) => Ok(VatDeadlineDay(d)),
            _ => Err(ParseError::new("VAT deadline day", "the VAT deadline day is from 1 to 28")),
        }
    }

    /// The day of the month.
    pub fn day(&self) -> u8 {
        self.0
    }
}

impl Default for VatDeadlineDay {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// An organisation's calendar settings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrganisationCalendar {
    /// The zone whose local date is "today" for the organisation.
    pub time_zone: TimeZoneName,
    /// Monthly or quarterly VAT returns.
    pub vat_periodicity: VatPeriodicity,
    /// The day of the following month the VAT return is due.
    pub vat_deadline_day: VatDeadlineDay,
}

impl OrganisationCalendar {
    /// The VAT period that contains the local date `today`.
    pub fn vat_period(&self, today: Date) -> VatPeriod {
        VatPeriod::containing(today, self.vat_periodicity, self.vat_deadline_day)
    }
}

/// One VAT period: its first and last day and the deadline of its return and payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VatPeriod {
    /// Monthly or quarterly.
    pub periodicity: VatPeriodicity,
    /// The first day.
    pub start: Date,
    /// The last day (inclusive).
    pub end: Date,
    /// When the return must be filed and the VAT paid.
    pub deadline: Date,
}

impl VatPeriod {
    /// The period that contains `day`.
    pub fn containing(day: Date, periodicity: VatPeriodicity, deadline_day: VatDeadlineDay) -> VatPeriod {
        let months = periodicity.months();
        let first_month = (u8::from(day.month()) - 1) / months * months + 1;
        let start = first_of(day.year(), first_month);
        let (next_year, next_month) = add_months(day.year(), first_month, months);
        let next_start = first_of(next_year, next_month);
        let end = next_start.previous_day().unwrap_or(next_start);
        let deadline = next_start.replace_day(deadline_day.day()).unwrap_or(next_start);
        VatPeriod { periodicity, start, end, deadline }
    }

    /// A label such as `2026-Q4` or `2026-12`.
    pub fn label(&self) -> String {
        match self.periodicity {
            VatPeriodicity::Monthly => format!("{}-{:02}", self.start.year(), u8::from(self.start.month())),
            VatPeriodicity::Quarterly => format!("{}-Q{}", self.start.year(), u8::from(self.start.month()).div_ceil(3)),
        }
    }
}

fn first_of(year: i32, month: u8) -> Date {
    let month = Month::try_from(month).unwrap_or(Month::January);
    Date::from_calendar_date(year, month, 1).unwrap_or(Date::MIN)
}

/// `(year, month)` moved forward by `n` months (month 1 to 12).
fn add_months(year: i32, month: u8, n: u8) -> (i32, u8) {
    let zero_based = i32::from(month) - 1 + i32::from(n);
    (year + zero_based.div_euclid(12), (zero_based.rem_euclid(12) + 1) as u8)
}

/// The length of the periods cash flow is grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum Interval {
    /// One calendar day.
    Day,
    /// An ISO week, Monday to Sunday.
    Week,
    /// A calendar month.
    Month,
}

impl Interval {
    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Interval::Day => "day",
            Interval::Week => "week",
            Interval::Month => "month",
        }
    }

    /// The first day of the period that contains `day`.
    pub fn start_of(&self, day: Date) -> Date {
        match self {
            Interval::Day => day,
            Interval::Week => day - Duration::days(i64::from(day.weekday().number_days_from_monday())),
            Interval::Month => day.replace_day(1).unwrap_or(day),
        }
    }

    /// The first day of the period after the one that starts on `start`.
    pub fn next_start(&self, start: Date) -> Date {
        match self {
            Interval::Day => start.next_day().unwrap_or(start),
            Interval::Week => start + Duration::days(7),
            Interval::Month => {
                let (y, m) = add_months(start.year(), u8::from(start.month()), 1);
                first_of(y, m)
            }
        }
    }

    /// The starts of every period that meets `from..=to`, oldest first; the first may start
    /// before `from` (a week starts on a Monday, a month on the 1st).
    pub fn period_starts(&self, from: Date, to: Date) -> Vec<Date> {
        let mut starts = Vec::new();
        let mut start = self.start_of(from);
        while start <= to {
            starts.push(start);
            let next = self.next_start(start);
            if next <= start {
                break;
            }
            start = next;
        }
        starts
    }
}

impl FromStr for Interval {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "day" => Ok(Interval::Day),
            "week" => Ok(Interval::Week),
            "month" => Ok(Interval::Month),
            _ => Err(ParseError::new("interval", "the interval is day, week or month")),
        }
    }
}

/// A range of local dates with an interval, checked: `from` is not after `to`, and the range
/// holds at most [`CashflowRange::MAX_PERIODS`] periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CashflowRange {
    from: Date,
    to: Date,
    interval: Interval,
}

impl CashflowRange {
    /// The most periods one answer holds (a year and a half of days, or 30 years of months).
    pub const MAX_PERIODS: usize = 550;

    /// A checked range.
    pub fn new(from: Date, to: Date, interval: Interval) -> Result<Self, ParseError> {
        if from > to {
            return Err(ParseError::new("from", "from must not be after to"));
        }
        let days = (to - from).whole_days();
        let approx_periods = match interval {
            Interval::Day => days + 1,
            Interval::Week => days / 7 + 2,
            Interval::Month => days / 28 + 2,
        };
        if approx_periods > Self::MAX_PERIODS as i64 && interval.period_starts(from, to).len() > Self::MAX_PERIODS {
            return Err(ParseError::new(
                "to",
                format!("the range holds more than {} periods; choose a longer interval", Self::MAX_PERIODS),
            ));
        }
        Ok(CashflowRange { from, to, interval })
    }

    /// The default range ending on `today`: the last 30 days, by day.
    pub fn default_ending(today: Date) -> Self {
        CashflowRange { from: today - Duration::days(29), to: today, interval: Interval::Day }
    }

    /// The first day (inclusive).
    pub fn from(&self) -> Date {
        self.from
    }
    /// The last day (inclusive).
    pub fn to(&self) -> Date {
        self.to
    }
    /// The interval.
    pub fn interval(&self) -> Interval {
        self.interval
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn zone_names_are_checked_for_shape() {
        for ok in ["Europe/Brussels", "UTC", "America/Argentina/Buenos_Aires", "Etc/GMT+1", "America/Port-au-Prince"] {
            assert_eq!(TimeZoneName::parse(ok).unwrap().as_str(), ok);
        }
        assert_eq!(TimeZoneName::parse("  Europe/Amsterdam ").unwrap().as_str(), "Europe/Amsterdam");
        for bad in ["", " ", "Europe/", "/etc/passwd", "Europe/../passwd", "Europe Brussels", "Europe/Brüssel"] {
            assert!(TimeZoneName::parse(bad).is_err(), "{bad:?}");
        }
        assert!(TimeZoneName::parse(&"A".repeat(65)).is_err());
        assert_eq!(TimeZoneName::default().as_str(), "Europe/Brussels");
    }

    #[test]
    fn quarterly_periods_and_their_deadlines() {
        let cal = OrganisationCalendar::default();
        let p = cal.vat_period(date!(2026 - 12 - 06));
        assert_eq!((p.start, p.end, p.deadline), (date!(2026 - 10 - 01), date!(2026 - 12 - 31), date!(2027 - 01 - 20)));
        assert_eq!(p.label(), "2026-Q4");
        let p = cal.vat_period(date!(2026 - 01 - 01));
        assert_eq!((p.start, p.end, p.deadline), (date!(2026 - 01 - 01), date!(2026 - 03 - 31), date!(2026 - 04 - 20)));
        assert_eq!(p.label(), "2026-Q1");
        let p = cal.vat_period(date!(2026 - 06 - 30));
        assert_eq!((p.start, p.end), (date!(2026 - 04 - 01), date!(2026 - 06 - 30)));
    }

    #[test]
    fn monthly_periods_and_a_chosen_deadline_day() {
        let cal = OrganisationCalendar {
            vat_periodicity: VatPeriodicity::Monthly,
            vat_deadline_day: VatDeadlineDay::new(25).unwrap(),
            ..Default::default()
        };
        let p = cal.vat_period(date!(2028 - 02 - 29));
        assert_eq!((p.start, p.end, p.deadline), (date!(2028 - 02 - 01), date!(2028 - 02 - 29), date!(2028 - 03 - 25)));
        assert_eq!(p.label(), "2028-02");
        let p = cal.vat_period(date!(2026 - 12 - 31));
        assert_eq!((p.start, p.end, p.deadline), (date!(2026 - 12 - 01), date!(2026 - 12 - 31), date!(2027 - 01 - 25)));
        assert!(VatDeadlineDay::new(0).is_err());
        assert!(VatDeadlineDay::new(29).is_err());
        assert_eq!(VatDeadlineDay::new(28).unwrap().day(), 28);
        assert_eq!("monthly".parse::<VatPeriodicity>().unwrap(), VatPeriodicity::Monthly);
        assert!("yearly".parse::<VatPeriodicity>().is_err());
    }

    #[test]
    fn periods_start_on_mondays_and_firsts() {
        // 2026-12-06 is a Sunday.
        assert_eq!(Interval::Week.start_of(date!(2026 - 12 - 06)), date!(2026 - 11 - 30));
        assert_eq!(Interval::Week.start_of(date!(2026 - 11 - 30)), date!(2026 - 11 - 30));
        assert_eq!(Interval::Month.start_of(date!(2026 - 12 - 06)), date!(2026 - 12 - 01));
        assert_eq!(Interval::Day.start_of(date!(2026 - 12 - 06)), date!(2026 - 12 - 06));
        assert_eq!(
            Interval::Month.period_starts(date!(2026 - 11 - 15), date!(2027 - 01 - 01)),
            vec![date!(2026 - 11 - 01), date!(2026 - 12 - 01), date!(2027 - 01 - 01)]
        );
        assert_eq!(
            Interval::Week.period_starts(date!(2026 - 12 - 02), date!(2026 - 12 - 14)),
            vec![date!(2026 - 11 - 30), date!(2026 - 12 - 07), date!(2026 - 12 - 14)]
        );
        assert_eq!(Interval::Day.period_starts(date!(2026 - 12 - 31), date!(2027 - 01 - 01)).len(), 2);
    }

    #[test]
    fn ranges_are_checked() {
        let today = date!(2026 - 12 - 06);
        let r = CashflowRange::default_ending(today);
        assert_eq!((r.from(), r.to(), r.interval()), (date!(2026 - 11 - 07), today, Interval::Day));
        assert_eq!(r.interval().period_starts(r.from(), r.to()).len(), 30);
        assert_eq!(CashflowRange::new(today, today - Duration::days(1), Interval::Day).unwrap_err().kind, "from");
        assert!(CashflowRange::new(today - Duration::days(549), today, Interval::Day).is_ok());
        assert_eq!(CashflowRange::new(today - Duration::days(550), today, Interval::Day).unwrap_err().kind, "to");
        assert!(CashflowRange::new(date!(2000 - 01 - 01), today, Interval::Month).is_ok());
        assert!(CashflowRange::new(date!(1900 - 01 - 01), today, Interval::Month).is_err());
        assert_eq!("week".parse::<Interval>().unwrap(), Interval::Week);
        assert!("year".parse::<Interval>().is_err());
    }
}
