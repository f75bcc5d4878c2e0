//! The live-event outbox: the [`EventLog`], numbered per organisation in commit order.
//!
//! Publishing bumps the organisation's head (`live_event_heads`) with an upsert: on PostgreSQL
//! the upsert locks the head row until commit, on SQLite the write transaction holds the
//! database's write lock, so an organisation's events commit in the order of their numbers and
//! a reader that saw number `n` never later finds a smaller one committed. The wake-up is the
//! dialect's `notify_event` inside the transaction (PostgreSQL's `pg_notify`, sent at commit),
//! then the store's in-process listeners after commit.

use billify_domain::OrganisationId;
use billify_ports::RepositoryError;
use billify_ports::events::{EventKind, EventLog, NewEvent, StoredEvent, permission_code, permission_from_code};
use diesel::prelude::*;

use super::Store;
use super::dialect::{self, Db, DbId, DbTime};
use super::schema::{live_event_heads, live_events};
use super::{db_err, org_id};

#[derive(Queryable, Selectable)]
#[diesel(table_name = live_events, check_for_backend(Db))]
struct EventRow {
    organisation_id: DbId,
    id: i64,
    kind: String,
    audience: String,
    data: String,
    created_at: DbTime,
}

impl EventRow {
    fn into_event(self) -> Result<StoredEvent, RepositoryError> {
        let corrupt = |what: &str| RepositoryError::Corrupt(format!("live event {}: {what}", self.id));
        Ok(StoredEvent {
            organisation_id: OrganisationId::from_uuid(dialect::id_from_db(&self.organisation_id)?),
            id: self.id,
            kind: EventKind::from_code(&self.kind).ok_or_else(|| corrupt("unknown kind"))?,
            audience: permission_from_code(&self.audience).ok_or_else(|| corrupt("unknown audience"))?,
            created_at: dialect::time_from_db(&self.created_at)?,
            data: self.data,
        })
    }
}

impl EventLog for Store {
    fn publish(&self, event: &NewEvent, now: time::OffsetDateTime) -> Result<StoredEvent, RepositoryError> {
        let organisation = org_id(event.organisation_id);
        let created_at = dialect::time_to_db(now);
        let id = {
            let mut conn = self.write_conn()?;
            dialect::write_transaction(&mut conn, |conn| {
                diesel::insert_into(live_event_heads::table)
                    .values((live_event_heads::organisation_id.eq(&organisation), live_event_heads::last_id.eq(1_i64)))
                    .on_conflict(live_event_heads::organisation_id)
                    .do_update()
                    .set(live_event_heads::last_id.eq(live_event_heads::last_id + 1_i64))
                    .execute(conn)?;
                let id: i64 = live_event_heads::table
                    .filter(live_event_heads::organisation_id.eq(&organisation))
                    .select(live_event_heads::last_id)
                    .first(conn)?;
                diesel::insert_into(live_events::table)
                    .values((
                        live_events::organisation_id.eq(&organisation),
                        live_events::id.eq(id),
                        live_events::kind.eq(event.kind.code()),
                        live_events::audience.eq(permission_code(event.audience)),
                        live_events::data.eq(&event.data),
                        live_events::created_at.eq(&created_at),
                    ))
                    .execute(conn)?;
                dialect::notify_event(conn, &organisation, id)?;
                Ok(id)
            })
            .map_err(db_err)?
        };
        self.event_listeners().published(event.organisation_id, id);
        Ok(StoredEvent {
            organisation_id: event.organisation_id,
            id,
            kind: event.kind,
            audience: event.audience,
            data: event.data.clone(),
            created_at: dialect::time_from_db(&created_at)?,
        })
    }

    fn events_after(
        &self,
        organisation: OrganisationId,
        after: i64,
        limit: u32,
    ) -> Result<Vec<StoredEvent>, RepositoryError> {
        let rows: Vec<EventRow> = live_events::table
            .filter(live_events::organisation_id.eq(org_id(organisation)))
            .filter(live_events::id.gt(after))
            .order(live_events::id.asc())
            .limit(i64::from(limit))
            .select(EventRow::as_select())
            .load(&mut *self.conn()?)
            .map_err(db_err)?;
        rows.into_iter().map(EventRow::into_event).collect()
    }

    fn last_event_id(&self, organisation: OrganisationId) -> Result<i64, RepositoryError> {
        let last: Option<i64> = live_event_heads::table
            .filter(live_event_heads::organisation_id.eq(org_id(organisation)))
            .select(live_event_heads::last_id)
            .first(&mut *self.conn()?)
            .optional()
            .map_err(db_err)?;
        Ok(last.unwrap_or(0))
    }

    fn prune_events(&self, before: time::OffsetDateTime) -> Result<u64, RepositoryError> {
        let n = diesel::delete(live_events::table.filter(live_events::created_at.lt(dialect::time_to_db(before))))
            .execute(&mut *self.write_conn()?)
            .map_err(db_err)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
