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
