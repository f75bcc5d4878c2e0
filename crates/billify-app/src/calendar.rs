//! "Today" for an organisation: the local date in its time zone, never the server's or UTC's.
//!
//! Every use case that decides urgency, the overdue transition, a due-soon window or a period
//! boundary asks here, so one organisation's day turns at its own midnight.

use billify_domain::{OrganisationCalendar, OrganisationId};
use billify_ports::{AccountRepository, Clock, RepositoryError};
use time::Date;

/// The calendar of `organisation` ([`RepositoryError::NotFound`] when it does not exist).
pub fn calendar_of(
    accounts: &dyn AccountRepository,
    organisation: OrganisationId,
) -> Result<OrganisationCalendar, RepositoryError> {
    accounts.organisation(organisation)?.map(|o| o.calendar).ok_or(RepositoryError::NotFound)
}

/// The organisation's local date now.
pub fn today_of(
    accounts: &dyn AccountRepository,
    clock: &dyn Clock,
    organisation: OrganisationId,
) -> Result<Date, RepositoryError> {
    Ok(clock.today_in(&calendar_of(accounts, organisation)?.time_zone))
}

/// How long an organisation's calendar is reused from memory by [`today_cached`]; the longest
/// another process may still compute "today" in a time zone changed elsewhere.
pub const CALENDAR_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(2);

/// Calendars kept at most; past it the cache starts over.
const CALENDAR_CACHE_CAPACITY: usize = 10_000;

type CalendarEntries = std::collections::HashMap<OrganisationId, (OrganisationCalendar, std::time::Instant)>;

/// The calendars read by [`today_cached`] in this process. Organisation ids are UUIDs, so
/// one map serves every store the process talks to.
static CALENDARS: std::sync::Mutex<Option<CalendarEntries>> = std::sync::Mutex::new(None);

/// The organisation's local date now, with its calendar read at most once per
/// [`CALENDAR_CACHE_TTL`] in this process: the request paths that only need "today" (an
/// invoice, a page of invoices) then cost no statement for it. A change of calendar through
/// [`forget_calendar`] takes effect at once in this process, within the TTL in others.
pub fn today_cached(
    accounts: &dyn AccountRepository,
    clock: &dyn Clock,
    organisation: OrganisationId,
) -> Result<Date, RepositoryError> {
    let now = std::time::Instant::now();
    let hit = CALENDARS.lock().ok().and_then(|map| {
        map.as_ref()?
            .get(&organisation)
            .filter(|(_, filled)| now.saturating_duration_since(*filled) < CALENDAR_CACHE_TTL)
            .map(|(calendar, _)| calendar.clone())
    });
    let calendar = match hit {
        Some(calendar) => calendar,
        None => {
            let calendar = calendar_of(accounts, organisation)?;
            if let Ok(mut map) = CALENDARS.lock() {
                let map = map.get_or_insert_with(Default::default);
                if map.len() >= CALENDAR_CACHE_CAPACITY {
                    map.clear();
                }
                map.insert(organisation, (calendar.clone(), now));
            }
            calendar
        }
    };
    Ok(clock.today_in(&calendar.time_zone))
}

/// Drops the organisation's calendar from [`today_cached`]'s memory (after its calendar changed
/// or it was deleted).
pub fn forget_calendar(organisation: OrganisationId) {
    if let Ok(mut map) = CALENDARS.lock()
        && let Some(map) = map.as_mut()
    {
        map.remove(&organisation);
    }
}
