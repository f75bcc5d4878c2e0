//! How the shared repository code maps ids and timestamps on PostgreSQL: natively.

use billify_ports::RepositoryError;
use billify_store_common::columns::storage_time;
use diesel::connection::Connection as _;
use diesel::pg::PgConnection;
use diesel::result::Error as DieselError;
use time::OffsetDateTime;
use uuid::Uuid;

/// The backend.
pub type Db = diesel::pg::Pg;
/// The connection type.
pub type Conn = PgConnection;
/// UUIDs are native `uuid`.
pub type DbId = Uuid;
/// Timestamps are native `timestamptz` (microsecond precision).
pub type DbTime = OffsetDateTime;

/// A UUID as stored.
pub fn id_to_db(id: Uuid) -> DbId {
    id
}

/// A stored UUID.
pub fn id_from_db(id: &DbId) -> Result<Uuid, RepositoryError> {
    Ok(*id)
}

/// A timestamp as stored.
pub fn time_to_db(t: OffsetDateTime) -> DbTime {
    storage_time(t)
}

/// A stored timestamp.
pub fn time_from_db(t: &DbTime) -> Result<OffsetDateTime, RepositoryError> {
    Ok(storage_time(*t))
}

/// Runs `f` in a transaction (READ COMMITTED; writes are guarded by version checks and keys).
pub fn write_transaction<T>(
    conn: &mut Conn,
    f: impl FnOnce(&mut Conn) -> Result<T, DieselError>,
) -> Result<T, DieselError> {
    conn.transaction(f)
}

/// The job to claim: the most overdue queued job that is due, or a running job whose lease has
/// expired. `FOR UPDATE SKIP LOCKED` lets concurrent workers pass over a row another worker is
/// claiming instead of waiting for it or claiming it twice.
pub fn claim_candidate(conn: &mut Conn, now: DbTime) -> Result<Option<(DbId, DbId)>, DieselError> {
    use super::schema::jobs;
    use diesel::prelude::*;
    jobs::table
        .filter(
            jobs::status
                .eq("queued")
                .and(jobs::run_at.le(now))
                .or(jobs::status.eq("running").and(jobs::lease_expires_at.lt(now))),
        )
        .order(jobs::run_at.asc())
        .select((jobs::organisation_id, jobs::id))
        .limit(1)
        .for_update()
        .skip_locked()
        .first(conn)
        .optional()
}

/// The head (last seq, last hash) of an audit chain, locked until the transaction ends
/// (`SELECT ... FOR UPDATE`), so appends to one chain are serialised across processes.
pub fn lock_audit_head(conn: &mut Conn, chain: &DbId) -> Result<(i64, String), DieselError> {
    use super::schema::audit_chains;
    use diesel::prelude::*;
    audit_chains::table
        .filter(audit_chains::chain_id.eq(*chain))
        .select((audit_chains::last_seq, audit_chains::last_hash))
        .for_update()
        .first(conn)
}
