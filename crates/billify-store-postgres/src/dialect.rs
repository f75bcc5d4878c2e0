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
/// The SQL type of ids in the shared schema.
pub type SqlId = diesel::sql_types::Uuid;
/// The SQL type of timestamps in the shared schema.
pub type SqlTime = diesel::sql_types::Timestamptz;
/// UUIDs are native `uuid`.
pub type DbId = Uuid;
/// Timestamps are native `timestamptz` (microsecond precision).
pub type DbTime = OffsetDateTime;

/// A raw statement written with `$n` placeholders, as PostgreSQL reads it.
pub fn sql(text: &str) -> std::borrow::Cow<'_, str> {
    std::borrow::Cow::Borrowed(text)
}

/// The first day of the period of `interval` that contains the date `column`.
pub fn period_start_sql(interval: billify_domain::Interval, column: &str) -> String {
    match interval {
        billify_domain::Interval::Day => column.to_owned(),
        billify_domain::Interval::Week => format!("CAST(date_trunc('week', {column}) AS DATE)"),
        billify_domain::Interval::Month => format!("CAST(date_trunc('month', {column}) AS DATE)"),
    }
}

/// The UTC date of the timestamp `column`.
pub fn date_of_time_sql(column: &str) -> String {
    format!("CAST(({column} AT TIME ZONE 'UTC') AS DATE)")
}

/// The days from the date `earlier` to the date `later`, as a BIGINT.
pub fn days_between_sql(later: &str, earlier: &str) -> String {
    format!("CAST(({later}) - ({earlier}) AS BIGINT)")
}

/// Runs `f` in a read-only transaction that sees one snapshot (REPEATABLE READ), so the figures
/// of one answer agree with each other while syncs write.
pub fn read_transaction<T>(
    conn: &mut Conn,
    f: impl FnOnce(&mut Conn) -> Result<T, RepositoryError>,
) -> Result<T, RepositoryError> {
    let mut failure = None;
    let result = conn.build_transaction().read_only().repeatable_read().run(|c| {
        f(c).map_err(|e| {
            failure = Some(e);
            DieselError::RollbackTransaction
        })
    });
    result.map_err(|e| failure.take().unwrap_or_else(|| super::repositories::db_err(e)))
}

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

/// The job to claim: a running job whose lease expired (its worker died; oldest first), else the
/// most overdue queued job that is due. Each is one search of its partial index (`jobs_leased`,
/// `jobs_due`), however many jobs wait; one query over both would sort every due job on every
/// claim. `FOR UPDATE SKIP LOCKED` lets concurrent workers pass over a row another worker is
/// claiming instead of waiting for it or claiming it twice.
pub fn claim_candidate(conn: &mut Conn, now: DbTime) -> Result<Option<(DbId, DbId)>, DieselError> {
    use crate::repositories::literal::Code;
    use crate::repositories::schema::jobs;
    use diesel::prelude::*;
    let expired = jobs::table
        .filter(jobs::status.eq(Code("running")))
        .filter(jobs::lease_expires_at.lt(now))
        .order(jobs::lease_expires_at.asc())
        .select((jobs::organisation_id, jobs::id))
        .limit(1)
        .for_update()
        .skip_locked()
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
        .for_update()
        .skip_locked()
        .first(conn)
        .optional()
}

/// The head (last seq, last hash) of an audit chain, locked until the transaction ends
/// (`SELECT ... FOR UPDATE`), so appends to one chain are serialised across processes.
pub fn lock_audit_head(conn: &mut Conn, chain: &DbId) -> Result<(i64, String), DieselError> {
    use crate::repositories::schema::audit_chains;
    use diesel::prelude::*;
    audit_chains::table
        .filter(audit_chains::chain_id.eq(*chain))
        .select((audit_chains::last_seq, audit_chains::last_hash))
        .for_update()
        .first(conn)
}

/// Locks the organisation's bank transactions `ids` until the transaction ends (`SELECT ... FOR
/// UPDATE`), so two runs matching one transaction are checked one after the other, and returns
/// each one's id and amount. (An update that changes nothing would lock them too, but it fires
/// the table's statement triggers, which keep the daily sums, for every row.) The ids are joined
/// from an array rather than filtered with `id = ANY(..)`: on a table whose statistics lag a bulk
/// load, the planner took the filter for a scan of the organisation's every transaction (about
/// 200 ms at 1,000,000 rows, against 5 ms by the primary key).
pub fn lock_bank_transactions(
    conn: &mut Conn,
    organisation: &DbId,
    ids: &[DbId],
) -> Result<Vec<(DbId, i64)>, DieselError> {
    use diesel::RunQueryDsl as _;
    use diesel::sql_types::{Array, BigInt};

    #[derive(diesel::QueryableByName)]
    struct Locked {
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        id: Uuid,
        #[diesel(sql_type = BigInt)]
        amount_minor: i64,
    }
    let rows: Vec<Locked> = diesel::sql_query(
        "SELECT t.id, t.amount_minor FROM bank_transactions t JOIN unnest($2::uuid[]) AS k (id) ON t.id = k.id \
         WHERE t.organisation_id = $1 FOR UPDATE OF t",
    )
    .bind::<diesel::sql_types::Uuid, _>(organisation)
    .bind::<Array<diesel::sql_types::Uuid>, _>(ids)
    .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.id, r.amount_minor)).collect())
}

/// Inserts new bank transaction rows in one statement with one array per column. A multi-row
/// `VALUES` list would be a new statement for every row count, with 17 parameters a row for the
/// server to parse and plan; this one has 17 whatever the count.
pub fn insert_bank_transactions(
    conn: &mut Conn,
    rows: &[&crate::repositories::BankTransactionRow],
) -> Result<(), DieselError> {
    use diesel::RunQueryDsl as _;
    use diesel::sql_types::{Array, BigInt, Date, Nullable, Text, Timestamptz};
    fn column<'a, T: Clone + 'a>(
        rows: &[&'a crate::repositories::BankTransactionRow],
        f: impl Fn(&'a crate::repositories::BankTransactionRow) -> T,
    ) -> Vec<T> {
        rows.iter().map(|r| f(r)).collect()
    }
    diesel::sql_query(
        "INSERT INTO bank_transactions (organisation_id, id, account_id, provider_id, amount_minor, currency, \
         counterparty_name, counterparty_account, remittance_information, remittance_type, description, \
         execution_date, value_date, bank_transaction_code, created_at, updated_at, bank_reference) \
         SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::bigint[], $6::text[], $7::text[], \
         $8::text[], $9::text[], $10::text[], $11::text[], $12::date[], $13::date[], $14::text[], $15::timestamptz[], \
         $16::timestamptz[], $17::text[])",
    )
    .bind::<Array<diesel::sql_types::Uuid>, _>(column(rows, |r| r.organisation_id))
    .bind::<Array<diesel::sql_types::Uuid>, _>(column(rows, |r| r.id))
    .bind::<Array<diesel::sql_types::Uuid>, _>(column(rows, |r| r.account_id))
    .bind::<Array<Text>, _>(column(rows, |r| r.provider_id.as_str()))
    .bind::<Array<BigInt>, _>(column(rows, |r| r.amount_minor))
    .bind::<Array<Text>, _>(column(rows, |r| r.currency.as_str()))
    .bind::<Array<Nullable<Text>>, _>(column(rows, |r| r.counterparty_name.as_deref()))
    .bind::<Array<Nullable<Text>>, _>(column(rows, |r| r.counterparty_account.as_deref()))
    .bind::<Array<Nullable<Text>>, _>(column(rows, |r| r.remittance_information.as_deref()))
    .bind::<Array<Text>, _>(column(rows, |r| r.remittance_type.as_str()))
    .bind::<Array<Nullable<Text>>, _>(column(rows, |r| r.description.as_deref()))
    .bind::<Array<Date>, _>(column(rows, |r| r.execution_date))
    .bind::<Array<Nullable<Date>>, _>(column(rows, |r| r.value_date))
    .bind::<Array<Nullable<Text>>, _>(column(rows, |r| r.bank_transaction_code.as_deref()))
    .bind::<Array<Timestamptz>, _>(column(rows, |r| r.created_at))
    .bind::<Array<Timestamptz>, _>(column(rows, |r| r.updated_at))
    .bind::<Array<Nullable<Text>>, _>(column(rows, |r| r.bank_reference.as_deref()))
    .execute(conn)?;
    Ok(())
}

/// Starts a bulk load of the organisation's invoices in the caller's transaction: the insert
/// statement triggers of the kept sums do not fire while `billify.bulk_load` is on (migration
/// 000039; `SET LOCAL` ends with the transaction, committed or not, and no other session sees
/// it). The organisation's lock (the one the triggers take, shared by writers of a few families
/// and exclusive for bulk statements) keeps the writers of its other invoices out until the load
/// commits, so no family is recomputed from what the load has not yet brought up to date.
pub fn begin_bulk_load(conn: &mut Conn, organisation: &DbId) -> Result<(), DieselError> {
    use diesel::RunQueryDsl as _;
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended(CAST($1 AS uuid)::text, 36))")
        .bind::<diesel::sql_types::Uuid, _>(*organisation)
        .execute(conn)?;
    diesel::sql_query("SELECT set_config('billify.bulk_load', 'on', true)").execute(conn)?;
    Ok(())
}

/// Writes invoice rows with `COPY ... FROM STDIN (FORMAT binary)`: no statement to parse or plan
/// for thousands of parameters, and no per-statement trigger work during a bulk load.
pub fn insert_invoice_rows(conn: &mut Conn, rows: &[crate::repositories::InvoiceRow]) -> Result<(), DieselError> {
    use crate::repositories::schema::invoices;
    use diesel::ExecuteCopyFromDsl as _;
    if rows.is_empty() {
        return Ok(());
    }
    diesel::copy_from(invoices::table).from_insertable(rows).execute(conn)?;
    Ok(())
}

/// Writes invoice event rows with `COPY`, like [`insert_invoice_rows`].
pub fn insert_invoice_event_rows(
    conn: &mut Conn,
    rows: &[crate::repositories::InvoiceEventRow],
) -> Result<(), DieselError> {
    use crate::repositories::schema::invoice_events;
    use diesel::ExecuteCopyFromDsl as _;
    if rows.is_empty() {
        return Ok(());
    }
    diesel::copy_from(invoice_events::table).from_insertable(rows).execute(conn)?;
    Ok(())
}

/// Ends a bulk load begun with [`begin_bulk_load`], in the same transaction: the triggers fire
/// again, and the kept sums take in the invoices `written` (with the invoices they correct,
/// `corrected`) as the insert triggers would have, each in one set-based statement: the open
/// items of every family concerned are recomputed with the triggers' own function
/// (`invoice_open_refresh`, under the lock taken at the start), and the daily VAT gets the
/// written invoices' sums added.
pub fn end_bulk_load(
    conn: &mut Conn,
    organisation: &DbId,
    written: &[DbId],
    corrected: &[DbId],
) -> Result<(), DieselError> {
    use diesel::RunQueryDsl as _;
    use diesel::sql_types::{Array, Uuid as SqlUuid};
    diesel::sql_query("SELECT set_config('billify.bulk_load', 'off', true)").execute(conn)?;
    if written.is_empty() {
        return Ok(());
    }
    diesel::sql_query(
        "SELECT invoice_open_refresh(array_agg($1::uuid), array_agg(f.x), true) \
         FROM (SELECT unnest($2::uuid[]) AS x UNION SELECT unnest($3::uuid[])) f",
    )
    .bind::<SqlUuid, _>(*organisation)
    .bind::<Array<SqlUuid>, _>(written)
    .bind::<Array<SqlUuid>, _>(corrected)
    .execute(conn)?;
    diesel::sql_query(
        "INSERT INTO invoice_daily_vat AS v (organisation_id, day, currency, on_sales, on_purchases, documents, \
         without_vat) \
         SELECT i.organisation_id, i.issue_date, i.currency, \
                COALESCE(SUM(invoice_vat_on('receivable', i.direction, i.kind, i.vat_minor)), 0), \
                COALESCE(SUM(invoice_vat_on('payable', i.direction, i.kind, i.vat_minor)), 0), \
                COUNT(*), COUNT(*) FILTER (WHERE i.vat_minor IS NULL) \
         FROM unnest($2::uuid[]) AS w (id) JOIN invoices i ON i.organisation_id = $1 AND i.id = w.id \
         GROUP BY i.organisation_id, i.issue_date, i.currency \
         ORDER BY i.organisation_id, i.issue_date, i.currency \
         ON CONFLICT (organisation_id, day, currency) DO UPDATE SET \
             on_sales = v.on_sales + EXCLUDED.on_sales, on_purchases = v.on_purchases + EXCLUDED.on_purchases, \
             documents = v.documents + EXCLUDED.documents, without_vat = v.without_vat + EXCLUDED.without_vat",
    )
    .bind::<SqlUuid, _>(*organisation)
    .bind::<Array<SqlUuid>, _>(written)
    .execute(conn)?;
    Ok(())
}

/// The stored rows of these (account, provider id) pairs, in one query of constant size: the
/// pairs are bound as two arrays and zipped by `UNNEST`, each pair one probe of the unique key.
pub fn existing_bank_transactions(
    conn: &mut Conn,
    org: &DbId,
    keys: &[(&DbId, &str)],
) -> Result<Vec<crate::repositories::BankTransactionRow>, DieselError> {
    use crate::repositories::schema::bank_transactions;
    use diesel::prelude::*;
    use diesel::sql_types::{Array, Bool, Text};
    let accounts: Vec<DbId> = keys.iter().map(|(account, _)| **account).collect();
    let provider_ids: Vec<&str> = keys.iter().map(|(_, id)| *id).collect();
    bank_transactions::table
        .filter(bank_transactions::organisation_id.eq(org))
        .filter(
            diesel::dsl::sql::<Bool>(
                "(bank_transactions.account_id, bank_transactions.provider_id) IN (SELECT * FROM UNNEST(",
            )
            .bind::<Array<diesel::sql_types::Uuid>, _>(accounts)
            .sql("::uuid[], ")
            .bind::<Array<Text>, _>(provider_ids)
            .sql("::text[]))"),
        )
        .select(crate::repositories::BankTransactionRow::as_select())
        .load(conn)
}

/// The channel of live-event wake-ups (see `PostgresStore`'s `EventWakeups`).
pub const EVENTS_CHANNEL: &str = "billify_events";

/// Wakes the event streams of every process listening on this database, once the transaction
/// commits (`pg_notify` is transactional). The payload names the schema, the organisation and the
/// event's number; listeners of another schema ignore it.
pub fn notify_event(conn: &mut Conn, organisation: &DbId, id: i64) -> Result<(), DieselError> {
    use diesel::RunQueryDsl as _;
    diesel::sql_query("SELECT pg_notify($1, current_schema() || ' ' || $2 || ' ' || $3)")
        .bind::<diesel::sql_types::Text, _>(EVENTS_CHANNEL)
        .bind::<diesel::sql_types::Text, _>(organisation.to_string())
        .bind::<diesel::sql_types::Text, _>(id.to_string())
        .execute(conn)
        .map(|_| ())
}

/// Refreshes the planner's statistics of the tables bulk loads fill (`ANALYZE` samples them).
pub const ANALYZE_AFTER_BULK: &str = "ANALYZE invoices, invoice_events, bank_transactions, bank_accounts;";

/// No separate search index: `lower(..) LIKE` is answered from the pg_trgm indexes of migration
/// 000030 (SQLite's counterpart is its `invoices_search` table).
pub const INVOICE_SEARCH_SQL: Option<&str> = None;

/// No separate search index (see [`INVOICE_SEARCH_SQL`]).
pub const INVOICE_SEARCH_WALK_SQL: Option<&str> = None;

/// Never asked: PostgreSQL has no separate search index.
pub fn invoice_search_is_common(_conn: &mut Conn, _phrase: &str, _enough: i64) -> Result<bool, DieselError> {
    Ok(false)
}

/// How the forecast's statement names today's open invoices: PostgreSQL's planner chooses by
/// itself (no hint).
pub const OPEN_INVOICES_INDEX: &str = "";
