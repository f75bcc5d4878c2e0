//! How the shared repository code maps ids and timestamps on SQLite.

use billify_ports::RepositoryError;
use billify_store_common::columns::storage_time;
use diesel::SqliteConnection;
use diesel::result::Error as DieselError;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use crate::repositories::BankTransactionRow;

/// The backend.
pub type Db = diesel::sqlite::Sqlite;
/// The connection type.
pub type Conn = SqliteConnection;
/// The SQL type of ids in the shared schema.
pub type SqlId = diesel::sql_types::Text;
/// The SQL type of timestamps in the shared schema.
pub type SqlTime = diesel::sql_types::Text;
/// UUIDs are stored as lower-case hyphenated TEXT.
pub type DbId = String;
/// Timestamps are stored as fixed-width UTC RFC 3339 TEXT with microseconds
/// (`2026-11-27T10:00:00.000000Z`), so text order is time order.
pub type DbTime = String;

/// A raw statement written with `$n` placeholders, as SQLite reads it (`?n`).
pub fn sql(text: &str) -> std::borrow::Cow<'_, str> {
    std::borrow::Cow::Owned(text.replace('$', "?"))
}

/// The first day of the period of `interval` that contains the date `column` (stored as
/// `YYYY-MM-DD` text): `weekday 1` moves forward to a Monday, so from six days earlier it finds
/// the Monday on or before the date.
pub fn period_start_sql(interval: billify_domain::Interval, column: &str) -> String {
    match interval {
        billify_domain::Interval::Day => column.to_owned(),
        billify_domain::Interval::Week => format!("date({column}, '-6 days', 'weekday 1')"),
        billify_domain::Interval::Month => format!("strftime('%Y-%m-01', {column})"),
    }
}

/// The UTC date of the timestamp `column` (stored as fixed-width RFC 3339 text: its first ten
/// characters).
pub fn date_of_time_sql(column: &str) -> String {
    format!("substr({column}, 1, 10)")
}

/// The days from the date `earlier` to the date `later`, as an INTEGER.
pub fn days_between_sql(later: &str, earlier: &str) -> String {
    format!("CAST(julianday({later}) - julianday({earlier}) AS INTEGER)")
}

/// Runs `f` in one (deferred) transaction, so every read sees the same snapshot of the database.
pub fn read_transaction<T>(
    conn: &mut Conn,
    f: impl FnOnce(&mut Conn) -> Result<T, RepositoryError>,
) -> Result<T, RepositoryError> {
    use diesel::connection::Connection as _;
    let mut failure = None;
    let result = conn.transaction(|c| {
        f(c).map_err(|e| {
            failure = Some(e);
            DieselError::RollbackTransaction
        })
    });
    result.map_err(|e| failure.take().unwrap_or_else(|| super::repositories::db_err(e)))
}

/// A UUID as stored.
pub fn id_to_db(id: Uuid) -> DbId {
    id.hyphenated().to_string()
}

/// A stored UUID.
pub fn id_from_db(id: &DbId) -> Result<Uuid, RepositoryError> {
    Uuid::parse_str(id).map_err(|e| RepositoryError::Corrupt(format!("bad uuid {id:?}: {e}")))
}

const TIME_FORMAT: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

/// A timestamp as stored.
pub fn time_to_db(t: OffsetDateTime) -> DbTime {
    // Formatting a UTC timestamp with a fixed description cannot fail for years 0..=9999.
    storage_time(t).format(TIME_FORMAT).unwrap_or_else(|_| String::from("0000-01-01T00:00:00.000000Z"))
}

/// A stored timestamp.
pub fn time_from_db(t: &DbTime) -> Result<OffsetDateTime, RepositoryError> {
    OffsetDateTime::parse(t, &Rfc3339).map_err(|e| RepositoryError::Corrupt(format!("bad timestamp {t:?}: {e}")))
}

/// Runs `f` in a write transaction. SQLite takes the write lock up front (`BEGIN IMMEDIATE`),
/// so two writers queue on the busy timeout instead of failing with a lock upgrade deadlock.
pub fn write_transaction<T>(
    conn: &mut Conn,
    f: impl FnOnce(&mut Conn) -> Result<T, DieselError>,
) -> Result<T, DieselError> {
    conn.immediate_transaction(f)
}

/// The job to claim: a running job whose lease expired (its worker died; oldest first), else the
/// most overdue queued job that is due. Each is one search of its partial index (`jobs_leased`,
/// `jobs_due`), however many jobs wait; one query over both would sort every due job on every
/// claim. SQLite has no row locks; the claim runs in a `BEGIN IMMEDIATE` transaction, which holds
/// the database's write lock, so two claims never see the same candidate.
pub fn claim_candidate(conn: &mut Conn, now: DbTime) -> Result<Option<(DbId, DbId)>, DieselError> {
    use crate::repositories::literal::Code;
    use crate::repositories::schema::jobs;
    use diesel::prelude::*;
    let expired = jobs::table
        .filter(jobs::status.eq(Code("running")))
        .filter(jobs::lease_expires_at.lt(now.clone()))
        .order(jobs::lease_expires_at.asc())
        .select((jobs::organisation_id, jobs::id))
        .limit(1)
        .first(conn)
        .optional()?;
    if expired.is_some() {
        return Ok(expired);
    }
    jobs::table
        .filter(jobs::status.eq(Code("queued")))
        .filter(jobs::run_at.le(now))
        .order(jobs::run_at.asc())
        .select((jobs::organisation_id, jobs::id))
        .limit(1)
        .first(conn)
        .optional()
}

/// The head (last seq, last hash) of an audit chain. SQLite has no row locks; appends run in a
/// `BEGIN IMMEDIATE` transaction, which holds the database's write lock, so appends are
/// serialised.
pub fn lock_audit_head(conn: &mut Conn, chain: &DbId) -> Result<(i64, String), DieselError> {
    use crate::repositories::schema::audit_chains;
    use diesel::prelude::*;
    audit_chains::table
        .filter(audit_chains::chain_id.eq(chain))
        .select((audit_chains::last_seq, audit_chains::last_hash))
        .first(conn)
}

/// The organisation's bank transactions `ids` with their amounts. Nothing to lock: SQLite has
/// no row locks, and every write runs in a `BEGIN IMMEDIATE` transaction holding the database's
/// write lock, so two runs matching one transaction are checked one after the other already.
pub fn lock_bank_transactions(
    conn: &mut Conn,
    organisation: &DbId,
    ids: &[DbId],
) -> Result<Vec<(DbId, i64)>, DieselError> {
    use crate::repositories::schema::bank_transactions;
    use diesel::prelude::*;
    bank_transactions::table
        .filter(bank_transactions::organisation_id.eq(organisation))
        .filter(bank_transactions::id.eq_any(ids))
        .select((bank_transactions::id, bank_transactions::amount_minor))
        .load(conn)
}

/// Inserts new bank transaction rows. Statements of a fixed number of owned rows are prepared
/// once per connection and reused; a statement for any row count (or with borrowed values)
/// would be built and parsed anew every time, inside the write lock.
pub fn insert_bank_transactions(conn: &mut Conn, rows: &[&BankTransactionRow]) -> Result<(), DieselError> {
    use crate::repositories::schema::bank_transactions;
    use diesel::RunQueryDsl as _;
    fn insert<const N: usize>(conn: &mut Conn, rows: &[&BankTransactionRow]) -> Result<usize, DieselError> {
        let mut done = 0;
        for chunk in rows.chunks_exact(N) {
            let owned: [BankTransactionRow; N] = std::array::from_fn(|i| chunk[i].clone());
            diesel::insert_into(bank_transactions::table).values(owned).execute(conn)?;
            done += N;
        }
        Ok(done)
    }
    let mut done = insert::<25>(conn, rows)?;
    done += insert::<5>(conn, &rows[done..])?;
    insert::<1>(conn, &rows[done..])?;
    Ok(())
}

/// Starts a bulk load of the organisation's invoices in the caller's transaction: the insert
/// triggers of the kept sums and of the search index skip the rows of an organisation listed in
/// `invoice_bulk_loads` (migration 000039). [`end_bulk_load`] deletes the row again before the
/// transaction commits, and SQLite's one writer means no other connection ever sees it.
pub fn begin_bulk_load(conn: &mut Conn, organisation: &DbId) -> Result<(), DieselError> {
    use crate::repositories::schema::invoice_bulk_loads;
    use diesel::prelude::*;
    diesel::insert_into(invoice_bulk_loads::table)
        .values(invoice_bulk_loads::organisation_id.eq(organisation))
        .execute(conn)?;
    Ok(())
}

/// Writes invoice rows in multi-row statements of 500 rows (about 30 parameters a row stays
/// under SQLite's 32,766).
pub fn insert_invoice_rows(conn: &mut Conn, rows: &[crate::repositories::InvoiceRow]) -> Result<(), DieselError> {
    use crate::repositories::schema::invoices;
    use diesel::RunQueryDsl as _;
    for chunk in rows.chunks(500) {
        diesel::insert_into(invoices::table).values(chunk).execute(conn)?;
    }
    Ok(())
}

/// Writes invoice event rows in multi-row statements of 1,000 rows.
pub fn insert_invoice_event_rows(
    conn: &mut Conn,
    rows: &[crate::repositories::InvoiceEventRow],
) -> Result<(), DieselError> {
    use crate::repositories::schema::invoice_events;
    use diesel::RunQueryDsl as _;
    for chunk in rows.chunks(1_000) {
        diesel::insert_into(invoice_events::table).values(chunk).execute(conn)?;
    }
    Ok(())
}

/// Ends a bulk load begun with [`begin_bulk_load`], in the same transaction: the triggers fire
/// again, and the kept sums and the search index take in the invoices `written` (with the
/// invoices they correct, `corrected`) as the insert triggers would have, in set-based
/// statements over chunks of ids (bound as one JSON array each): the search index gets their
/// rows, the daily VAT their sums added, and every family concerned is recomputed through
/// `invoice_open_refresh` (the view whose trigger recomputes a family). The ids are the outer
/// loop (`CROSS JOIN` keeps SQLite from reordering the join), each one probe of the invoices'
/// primary key; the other order would read the whole JSON array again for every invoice.
pub fn end_bulk_load(
    conn: &mut Conn,
    organisation: &DbId,
    written: &[DbId],
    corrected: &[DbId],
) -> Result<(), DieselError> {
    use diesel::prelude::*;
    use diesel::sql_types::Text;
    const CHUNK: usize = 10_000;
    let json = |ids: &[DbId]| serde_json::to_string(ids).map_err(|e| DieselError::SerializationError(Box::new(e)));
    diesel::delete(
        crate::repositories::schema::invoice_bulk_loads::table
            .filter(crate::repositories::schema::invoice_bulk_loads::organisation_id.eq(organisation)),
    )
    .execute(conn)?;
    for chunk in written.chunks(CHUNK) {
        let ids = json(chunk)?;
        diesel::sql_query(
            "INSERT INTO invoices_search (rowid, invoice_number, counterparty_name) \
             SELECT i.rowid, i.invoice_number, i.counterparty_name \
             FROM json_each(?2) w CROSS JOIN invoices i ON i.organisation_id = ?1 AND i.id = w.value",
        )
        .bind::<Text, _>(organisation)
        .bind::<Text, _>(&ids)
        .execute(conn)?;
        diesel::sql_query(
            "INSERT INTO invoice_daily_vat (organisation_id, day, currency, on_sales, on_purchases, documents, \
             without_vat) \
             SELECT i.organisation_id, i.issue_date, i.currency, \
                    COALESCE(SUM(CASE WHEN i.direction <> 'receivable' THEN 0 WHEN i.kind = 'invoice' THEN i.vat_minor \
                                 ELSE 0 - i.vat_minor END), 0), \
                    COALESCE(SUM(CASE WHEN i.direction <> 'payable' THEN 0 WHEN i.kind = 'invoice' THEN i.vat_minor \
                                 ELSE 0 - i.vat_minor END), 0), \
                    COUNT(*), COUNT(*) FILTER (WHERE i.vat_minor IS NULL) \
             FROM json_each(?2) w CROSS JOIN invoices i ON i.organisation_id = ?1 AND i.id = w.value \
             WHERE true \
             GROUP BY i.organisation_id, i.issue_date, i.currency \
             ON CONFLICT (organisation_id, day, currency) DO UPDATE SET \
                 on_sales = on_sales + excluded.on_sales, on_purchases = on_purchases + excluded.on_purchases, \
                 documents = documents + excluded.documents, without_vat = without_vat + excluded.without_vat",
        )
        .bind::<Text, _>(organisation)
        .bind::<Text, _>(&ids)
        .execute(conn)?;
    }
    let mut families: Vec<&DbId> = written.iter().chain(corrected).collect();
    families.sort_unstable();
    families.dedup();
    for chunk in families.chunks(CHUNK) {
        diesel::sql_query(
            "INSERT INTO invoice_open_refresh (organisation_id, family_id) SELECT ?1, value FROM json_each(?2)",
        )
        .bind::<Text, _>(organisation)
        .bind::<Text, _>(json_refs(chunk)?)
        .execute(conn)?;
    }
    Ok(())
}

fn json_refs(ids: &[&DbId]) -> Result<String, DieselError> {
    serde_json::to_string(ids).map_err(|e| DieselError::SerializationError(Box::new(e)))
}

/// The stored rows of these (account, provider id) pairs, in one query of constant size: the
/// pairs are bound as one JSON array of `[account, provider id]` arrays, where an
/// `IN (?, ?, ...)` list would have SQLite parse two parameters per pair, inside the write lock.
pub fn existing_bank_transactions(
    conn: &mut Conn,
    org: &DbId,
    keys: &[(&DbId, &str)],
) -> Result<Vec<BankTransactionRow>, DieselError> {
    use crate::repositories::schema::bank_transactions;
    use diesel::prelude::*;
    use diesel::sql_types::{Bool, Text};
    let pairs = serde_json::to_string(keys).map_err(|e| DieselError::SerializationError(Box::new(e)))?;
    bank_transactions::table
        .filter(bank_transactions::organisation_id.eq(org))
        .filter(
            diesel::dsl::sql::<Bool>(
                "(bank_transactions.account_id, bank_transactions.provider_id) IN \
                 (SELECT value ->> 0, value ->> 1 FROM json_each(",
            )
            .bind::<Text, _>(pairs)
            .sql("))"),
        )
        .select(BankTransactionRow::as_select())
        .load(conn)
}

/// Wakes other processes' event streams: nothing to do, one process owns a SQLite database and
/// the store wakes its own listeners after commit.
pub fn notify_event(_conn: &mut Conn, _organisation: &DbId, _id: i64) -> Result<(), DieselError> {
    Ok(())
}

/// Refreshes the planner's statistics (`sqlite_stat1`) after a bulk load, reading about a
/// thousand rows per index rather than whole tables.
pub const ANALYZE_AFTER_BULK: &str = "PRAGMA analysis_limit = 1000; ANALYZE;";

/// The condition that an invoice's number or counterparty name contains a text, answered from
/// the trigram index `invoices_search` (migration 000038), up to the FTS5 phrase bound after it
/// and a closing parenthesis. The index holds every organisation's invoices: the list's
/// statement keeps its `organisation_id` condition beside it.
pub const INVOICE_SEARCH_SQL: Option<&str> =
    Some("invoices.rowid IN (SELECT rowid FROM invoices_search WHERE invoices_search MATCH ");

/// [`INVOICE_SEARCH_SQL`] for a text many invoices contain: the unary `+` keeps SQLite from
/// reading the list from the matches (every match looked up, then all of them sorted: 12 ms for
/// 5,375 matches of 100,000); it walks the sort's index in order instead and probes the matches,
/// collected once, stopping after a page.
pub const INVOICE_SEARCH_WALK_SQL: Option<&str> =
    Some("+invoices.rowid IN (SELECT rowid FROM invoices_search WHERE invoices_search MATCH ");

/// Whether at least `enough` invoices (of any organisation) contain the FTS5 `phrase`: counted
/// from the trigram index, reading at most `enough` matches.
pub fn invoice_search_is_common(conn: &mut Conn, phrase: &str, enough: i64) -> Result<bool, DieselError> {
    use diesel::RunQueryDsl as _;

    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let count: Count = diesel::sql_query(
        "SELECT COUNT(*) AS n FROM (SELECT 1 FROM invoices_search WHERE invoices_search MATCH ? LIMIT ?)",
    )
    .bind::<diesel::sql_types::Text, _>(phrase)
    .bind::<diesel::sql_types::BigInt, _>(enough)
    .get_result(conn)?;
    Ok(count.n >= enough)
}

/// How the forecast's statement names today's open invoices: through `invoices_open`, which
/// holds every column it reads. SQLite's planner, without statistics or with those of
/// `analysis_limit`, took another index of the organisation and looked every row up in the table
/// (180-250 ms at 100,000 invoices against 44-53 ms).
pub const OPEN_INVOICES_INDEX: &str = "INDEXED BY invoices_open";
