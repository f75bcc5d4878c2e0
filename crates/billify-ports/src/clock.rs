//! Time as a port, so that rules which depend on "today" can be tested at any date, and the
//! organisation calendar: an instant becomes a local date in the organisation's time zone here,
//! outside the domain, which only ever sees local dates.

use billify_domain::TimeZoneName;
use time::{Date, OffsetDateTime};

/// Tells the current time and the current business day.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> OffsetDateTime;

    /// The current business day of an organisation: the local date in its time zone, which
    /// decides urgency, the overdue transition and every period boundary.
    fn today_in(&self, zone: &TimeZoneName) -> Date {
        local_date(self.now(), zone)
    }
}

/// A time zone the tz database does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone {0}: use an IANA name such as Europe/Brussels")]
pub struct UnknownTimeZone(pub String);

/// Checks that the tz database knows `zone`, before it is stored.
pub fn check_time_zone(zone: &TimeZoneName) -> Result<(), UnknownTimeZone> {
    jiff::tz::TimeZone::get(zone.as_str()).map(|_| ()).map_err(|_| UnknownTimeZone(zone.as_str().to_owned()))
}

/// The local date of `at` in `zone`. A zone that cannot be loaded (the tz database went missing
/// after the name was checked) falls back to UTC, with a warning, rather than failing every
/// request of the organisation.
pub fn local_date(at: OffsetDateTime, zone: &TimeZoneName) -> Date {
    let utc = at.to_offset(time::UtcOffset::UTC);
    let zoned = jiff::tz::TimeZone::get(zone.as_str())
        .map_err(|e| log::warn!("time zone {zone} cannot be loaded ({e}); using UTC"))
        .ok()
        .and_then(|tz| {
            let ts = jiff::Timestamp::new(utc.unix_timestamp(), utc.nanosecond() as i32).ok()?;
            Some(ts.to_zoned_datetime(tz).date())
        });
    match zoned {
        Some(d) => time::Month::try_from(d.month() as u8)
            .ok()
            .and_then(|m| Date::from_calendar_date(i32::from(d.year()), m, d.day() as u8).ok())
            .unwrap_or_else(|| utc.date()),
        None => utc.date(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn zone(name: &str) -> TimeZoneName {
        TimeZoneName::parse(name).unwrap()
    }

    #[test]
    fn the_local_date_follows_the_zone() {
        // 23:30 UTC on 6 December is already the 7th in Brussels (UTC+1) and still the 6th in New York.
        let at = datetime!(2026-12-06 23:30 UTC);
        assert_eq!(local_date(at, &zone("Europe/Brussels")), date!(2026 - 12 - 07));
        assert_eq!(local_date(at, &zone("America/New_York")), date!(2026 - 12 - 06));
        assert_eq!(local_date(at, &zone("UTC")), date!(2026 - 12 - 06));
        // Summer time: 22:30 UTC on 30 June is 00:30 on 1 July in Brussels (UTC+2).
        assert_eq!(local_date(datetime!(2026-06-30 22:30 UTC), &zone("Europe/Brussels")), date!(2026 - 07 - 01));
        assert_eq!(local_date(datetime!(2026-06-30 21:59 UTC), &zone("Europe/Brussels")), date!(2026 - 06 - 30));
        // Offsets of the input do not matter, only the instant.
        assert_eq!(local_date(datetime!(2026-12-07 00:30 +01:00), &zone("UTC")), date!(2026 - 12 - 06));
    }

    #[test]
    fn unknown_zones_are_refused_and_fall_back_to_utc() {
        assert!(check_time_zone(&zone("Europe/Brussels")).is_ok());
        assert!(check_time_zone(&zone("Asia/Kolkata")).is_ok());
        let unknown = zone("Mars/Olympus_Mons");
        assert_eq!(check_time_zone(&unknown), Err(UnknownTimeZone("Mars/Olympus_Mons".into())));
        assert_eq!(local_date(datetime!(2026-12-06 23:30 UTC), &unknown), date!(2026 - 12 - 06));
    }

    #[test]
    fn the_clock_gives_the_local_date() {
        struct Fixed;
        impl Clock for Fixed {
            fn now(&self) -> OffsetDateTime {
                datetime!(2026-12-31 23:15 UTC)
            }
        }
        assert_eq!(Fixed.today_in(&zone("Europe/Brussels")), date!(2027 - 01 - 01));
        assert_eq!(Fixed.today_in(&zone("America/Los_Angeles")), date!(2026 - 12 - 31));
    }
}
