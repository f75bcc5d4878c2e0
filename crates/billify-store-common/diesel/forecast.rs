//! The forecast's inputs and its recurring series: the [`ForecastRepository`].
//!
//! Open amounts follow the cash position's rules (`billify_domain::cashflow`: net of payments and
//! of linked, unsettled credit notes; credit beyond an invoice is a refund due), per item rather
//! than per group, and "as known on a day" for backtests: an invoice counts when it was issued by
//! then and not paid by then. A paid invoice is final, so its last update is its payment; the
//! day of that update (UTC) is its payment day, and customers' payment delays are grouped in SQL
//! by customer and number of days, so only a histogram leaves the database.

use billify_domain::forecast::{DetectedSeries, FlowOccurrence, Recurrence};
use billify_domain::{Interval, InvoiceId, OrganisationId, UserId};
use billify_ports::RepositoryError;
use billify_ports::audit::NewAuditEntry;
use billify_ports::forecast::{
    DailyNet, DelayCount, ForecastData, ForecastOpenItem, ForecastQuery, ForecastRepository, SeriesStatus, StoredSeries,
};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date as SqlDate, Nullable, Text};
use time::{Date, OffsetDateTime};

use super::Store;
use super::audit::append_in;
use super::cashflow::{corrupt, currency, direction, flows_between, money, read_balances, vat_between};
use super::dialect::{self, Conn, DbId, DbTime, SqlId};
use super::schema::{forecast_detections, recurring_series};
use super::{db_err, org_id, user_id};

#[derive(QueryableByName)]
struct OpenRow {
    #[diesel(sql_type = SqlId)]
    id: DbId,
    #[diesel(sql_type = Text)]
    direction: String,
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = Text)]
    counterparty_key: String,
    #[diesel(sql_type = SqlDate)]
    due_date: Date,
    #[diesel(sql_type = BigInt)]
    amount_minor: i64,
}

/// Open items, one row each: invoices net of payments and linked credit notes, the credit those
/// notes give back beyond their invoice (listed under the invoice they correct), and credit notes
/// linked to nothing. `{known_X}` says whether document X counted as open on the day, `{open_X}`
/// what was open on it then, `{issued_X}` whether it existed then.
const OPEN_SQL: &str = "\
WITH credit AS ( \
    SELECT c.corrects_invoice_id AS invoice_id, c.direction, c.currency, MIN(c.counterparty_key) AS counterparty_key, \
           CAST(SUM({open_c}) AS BIGINT) AS available, MIN(c.due_date) AS due_date \
    FROM invoices c \
    WHERE c.organisation_id = $1 AND c.kind = 'credit_note' AND {known_c} AND c.corrects_invoice_id IS NOT NULL \
    GROUP BY c.corrects_invoice_id, c.direction, c.currency \
), items AS ( \
    SELECT i.id, i.direction, i.currency, i.counterparty_key, i.due_date, \
           {open_i} - COALESCE(cr.available, 0) AS open_minor, 1 AS sign \
    FROM invoices i {open_index_i} \
    LEFT JOIN credit cr ON cr.invoice_id = i.id AND cr.direction = i.direction AND cr.currency = i.currency \
    WHERE i.organisation_id = $1 AND i.kind = 'invoice' AND {known_i} \
    UNION ALL \
    SELECT cr.invoice_id, cr.direction, cr.currency, cr.counterparty_key, cr.due_date, \
           cr.available - COALESCE({open_i}, 0), -1 \
    FROM credit cr \
    LEFT JOIN invoices i ON i.organisation_id = $1 AND i.id = cr.invoice_id AND i.kind = 'invoice' \
         AND i.direction = cr.direction AND i.currency = cr.currency AND {issued_i} \
    UNION ALL \
    SELECT c.id, c.direction, c.currency, c.counterparty_key, c.due_date, {open_c}, -1 \
    FROM invoices c \
    WHERE c.organisation_id = $1 AND c.kind = 'credit_note' AND {known_c} AND c.corrects_invoice_id IS NULL \
) \
SELECT id, direction, currency, counterparty_key, due_date, \
       CAST(CASE WHEN direction = 'receivable' THEN open_minor * sign ELSE 0 - open_minor * sign END AS BIGINT) \
           AS amount_minor \
FROM items WHERE open_minor > 0";

#[derive(QueryableByName)]
struct DelayRow {
    #[diesel(sql_type = Text)]
    counterparty_key: String,
    #[diesel(sql_type = BigInt)]
    delay_days: i64,
    #[diesel(sql_type = BigInt)]
    invoices: i64,
}

/// Payment delays: paid receivables due from `$2`, paid by `$3`, grouped by customer and delay;
/// `{customers}` narrows them (to the customers with open receivables on the day) or is empty.
const DELAYS_SQL: &str = "\
SELECT p.counterparty_key AS counterparty_key, {delay} AS delay_days, COUNT(*) AS invoices \
FROM invoices p \
WHERE p.organisation_id = $1 AND p.status = 'paid' AND p.direction = 'receivable' AND p.kind = 'invoice' \
  AND p.due_date >= $2 AND {paid_on_p} <= $3 {customers} \
GROUP BY p.counterparty_key, {delay} \
ORDER BY 1, 2";

#[derive(QueryableByName)]
struct OccurrenceRow {
    #[diesel(sql_type = Nullable<Text>)]
    counterparty_account: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    counterparty_name: Option<String>,
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = SqlDate)]
    execution_date: Date,
    #[diesel(sql_type = BigInt)]
    amount_minor: i64,
}

/// The candidates of recurring flows: transactions of a counterparty (IBAN, else lower-cased
/// name) that occurs 2 to 120 times in the range per currency and direction; own transfers left
/// out.
const OCCURRENCES_SQL: &str = "\
WITH t AS ( \
    SELECT COALESCE(t.counterparty_account, LOWER(TRIM(t.counterparty_name))) AS k, \
           t.counterparty_account, t.counterparty_name, t.currency, t.amount_minor, t.execution_date, \
           CASE WHEN t.amount_minor > 0 THEN 1 ELSE -1 END AS s \
    FROM bank_transactions t \
    WHERE t.organisation_id = $1 AND t.execution_date >= $2 AND t.execution_date <= $3 AND t.amount_minor <> 0 \
      AND (t.counterparty_account IS NOT NULL OR t.counterparty_name IS NOT NULL) \
      AND (t.counterparty_account IS NULL OR t.counterparty_account NOT IN ( \
           SELECT a.iban FROM bank_accounts a WHERE a.organisation_id = $1 AND a.iban IS NOT NULL)) \
), c AS ( \
    SELECT k, currency, s FROM t GROUP BY k, currency, s HAVING COUNT(*) BETWEEN 2 AND 120 \
) \
SELECT t.counterparty_account, t.counterparty_name, t.currency, t.execution_date, t.amount_minor \
FROM t JOIN c ON c.k = t.k AND c.currency = t.currency AND c.s = t.s \
ORDER BY t.k, t.execution_date, t.amount_minor";

fn paid_on(alias: &str) -> String {
    dialect::date_of_time_sql(&format!("{alias}.updated_at"))
}

/// The open-items statement for today (`current`: the current state, through the open-invoice
/// index) or for a past day bound as `$2`.
fn open_sql(current: bool) -> String {
    let known = |a: &str| {
        if current {
            format!("{a}.status <> 'paid'")
        } else {
            format!("{a}.issue_date <= $2 AND ({a}.status <> 'paid' OR {} > $2)", paid_on(a))
        }
    };
    let open = |a: &str| {
        if current {
            format!("({a}.total_minor - {a}.paid_minor)")
        } else {
            format!(
                "(CASE WHEN {a}.status <> 'paid' THEN {a}.total_minor - {a}.paid_minor \
                 WHEN {} > $2 THEN {a}.total_minor ELSE 0 END)",
                paid_on(a)
            )
        }
    };
    let issued = if current { "1 = 1".to_owned() } else { "i.issue_date <= $2".to_owned() };
    // Today's open invoices are the partial index `invoices_open`, which holds every column read.
    let open_index = if current { dialect::OPEN_INVOICES_INDEX } else { "" };
    OPEN_SQL
        .replace("{known_c}", &known("c"))
        .replace("{known_i}", &known("i"))
        .replace("{open_c}", &open("c"))
        .replace("{open_i}", &open("i"))
        .replace("{issued_i}", &issued)
        .replace("{open_index_i}", open_index)
}

fn read_open(conn: &mut Conn, org: &DbId, q: &ForecastQuery) -> Result<Vec<ForecastOpenItem>, RepositoryError> {
    let sql = open_sql(q.current);
    let statement = dialect::sql(&sql);
    let rows: Vec<OpenRow> = if q.current {
        diesel::sql_query(statement).bind::<SqlId, _>(org).load(conn)
    } else {
        diesel::sql_query(statement).bind::<SqlId, _>(org).bind::<SqlDate, _>(q.as_of).load(conn)
    }
    .map_err(db_err)?;
    let mut items = rows
        .into_iter()
        .map(|r| {
            Ok(ForecastOpenItem {
                id: InvoiceId::from_uuid(dialect::id_from_db(&r.id)?),
                direction: direction(&r.direction)?,
                counterparty_key: r.counterparty_key,
                due_date: r.due_date,
                open: money(r.amount_minor, &r.currency)?,
            })
        })
        .collect::<Result<Vec<_>, RepositoryError>>()?;
    // By due date, then id (the order of the ids' bytes, as both databases order them). Sorted
    // here rather than by the statement: PostgreSQL sorted 70,000 rows on disk past `work_mem`
    // (50 of its 92 ms), SQLite in a temporary B-tree.
    items.sort_unstable_by_key(|item| (item.due_date, item.id));
    Ok(items)
}

fn read_delays(conn: &mut Conn, org: &DbId, q: &ForecastQuery) -> Result<Vec<DelayCount>, RepositoryError> {
    if !q.read_delays {
        return Ok(Vec::new());
    }
    // Today, the open receivables are the unpaid ones (the open-invoice index); on a past day,
    // those issued by then and not paid by then.
    let open_o = if q.current {
        "o.status <> 'paid'".to_owned()
    } else {
        format!("o.issue_date <= $3 AND (o.status <> 'paid' OR {} > $3)", paid_on("o"))
    };
    let customers = format!(
        "AND p.counterparty_key IN ( \
             SELECT o.counterparty_key FROM invoices o \
             WHERE o.organisation_id = $1 AND o.direction = 'receivable' AND o.kind = 'invoice' AND {open_o})"
    );
    delays_between(conn, org, q.delays_from, q.as_of, &customers)
}

/// The delays of receivables due from `from` and paid by `to`, of the customers `customers`
/// (an SQL condition on `p`, or empty for every customer).
fn delays_between(
    conn: &mut Conn,
    org: &DbId,
    from: Date,
    to: Date,
    customers: &str,
) -> Result<Vec<DelayCount>, RepositoryError> {
    let sql = DELAYS_SQL
        .replace("{delay}", &dialect::days_between_sql(&paid_on("p"), "p.due_date"))
        .replace("{paid_on_p}", &paid_on("p"))
        .replace("{customers}", customers);
    let rows: Vec<DelayRow> = diesel::sql_query(dialect::sql(&sql))
        .bind::<SqlId, _>(org)
        .bind::<SqlDate, _>(from)
        .bind::<SqlDate, _>(to)
        .load(conn)
        .map_err(db_err)?;
    Ok(rows
        .into_iter()
        .map(|r| DelayCount {
            counterparty_key: r.counterparty_key,
            delay_days: r.delay_days,
            invoices: u64::try_from(r.invoices).unwrap_or(0),
        })
        .collect())
}

type SeriesColumns = (
    String,
    String,
    Option<String>,
    String,
    String,
    i64,
    i64,
    i64,
    Date,
    Date,
    Date,
    String,
    Option<DbTime>,
    Option<DbId>,
);

fn series_from_row(row: SeriesColumns) -> Result<StoredSeries, RepositoryError> {
    let (id, key, name, code, recurrence, amount, spread, occurrences, first, last, next, status, at, by) = row;
    Ok(StoredSeries {
        series: DetectedSeries {
            id,
            counterparty_key: key,
            counterparty_name: name,
            currency: currency(&code)?,
            recurrence: Recurrence::parse(&recurrence).ok_or_else(|| corrupt("recurrence", &recurrence))?,
            amount_minor: amount,
            spread_minor: spread,
            occurrences: u32::try_from(occurrences).unwrap_or(0),
            first_date: first,
            last_date: last,
            next_date: next,
        },
        status: SeriesStatus::parse(&status).ok_or_else(|| corrupt("series status", &status))?,
        decided_at: at.as_ref().map(dialect::time_from_db).transpose()?,
        decided_by: by.as_ref().map(dialect::id_from_db).transpose()?.map(UserId::from_uuid),
    })
}

macro_rules! series_columns {
    () => {
        (
            recurring_series::id,
            recurring_series::counterparty_key,
            recurring_series::counterparty_name,
            recurring_series::currency,
            recurring_series::recurrence,
            recurring_series::amount_minor,
            recurring_series::spread_minor,
            recurring_series::occurrences,
            recurring_series::first_date,
            recurring_series::last_date,
            recurring_series::next_date,
            recurring_series::status,
            recurring_series::decided_at,
            recurring_series::decided_by,
        )
    };
}

impl ForecastRepository for Store {
    fn forecast_inputs(
        &self,
        organisation: OrganisationId,
        query: &ForecastQuery,
    ) -> Result<ForecastData, RepositoryError> {
        let org = org_id(organisation);
        let mut conn = self.conn()?;
        dialect::read_transaction(&mut conn, |conn| {
            let mut vat = Vec::with_capacity(query.vat_periods.len());
            for (from, to) in &query.vat_periods {
                vat.push(vat_between(conn, &org, *from, *to)?);
            }
            Ok(ForecastData {
                balances: read_balances(conn, &org)?,
                open: read_open(conn, &org, query)?,
                delays: read_delays(conn, &org, query)?,
                vat,
            })
        })
    }

    fn payment_delays(
        &self,
        organisation: OrganisationId,
        from: Date,
        to: Date,
    ) -> Result<Vec<DelayCount>, RepositoryError> {
        delays_between(&mut *self.conn()?, &org_id(organisation), from, to, "")
    }

    fn daily_net(&self, organisation: OrganisationId, from: Date, to: Date) -> Result<Vec<DailyNet>, RepositoryError> {
        let org = org_id(organisation);
        let mut conn = self.conn()?;
        let flows = flows_between(&mut conn, &org, Interval::Day, from, to)?;
        flows
            .into_iter()
            .map(|f| {
                let minor = |m: &billify_domain::Money| m.to_minor_units().map_err(|e| corrupt("amount", e));
                Ok(DailyNet {
                    date: f.period_start,
                    currency: f.money_in.currency(),
                    in_minor: minor(&f.money_in)?,
                    out_minor: minor(&f.money_out)?,
                })
            })
            .collect()
    }

    fn flow_occurrences(
        &self,
        organisation: OrganisationId,
        from: Date,
        to: Date,
    ) -> Result<Vec<FlowOccurrence>, RepositoryError> {
        let org = org_id(organisation);
        let rows: Vec<OccurrenceRow> = diesel::sql_query(dialect::sql(OCCURRENCES_SQL))
            .bind::<SqlId, _>(&org)
            .bind::<SqlDate, _>(from)
            .bind::<SqlDate, _>(to)
            .load(&mut *self.conn()?)
            .map_err(db_err)?;
        rows.into_iter()
            .map(|r| {
                Ok(FlowOccurrence {
                    counterparty_account: r.counterparty_account,
                    counterparty_name: r.counterparty_name,
                    currency: currency(&r.currency)?,
                    date: r.execution_date,
                    amount_minor: r.amount_minor,
                })
            })
            .collect()
    }

    fn recurring_series(
        &self,
        organisation: OrganisationId,
    ) -> Result<(Option<Date>, Vec<StoredSeries>), RepositoryError> {
        let org = org_id(organisation);
        let mut conn = self.conn()?;
        dialect::read_transaction(&mut conn, |conn| {
            let detected_on: Option<Date> = forecast_detections::table
                .filter(forecast_detections::organisation_id.eq(&org))
                .select(forecast_detections::detected_on)
                .first(conn)
                .optional()
                .map_err(db_err)?;
            let rows: Vec<SeriesColumns> = recurring_series::table
                .filter(recurring_series::organisation_id.eq(&org))
                .order(recurring_series::id.asc())
                .select(series_columns!())
                .load(conn)
                .map_err(db_err)?;
            Ok((detected_on, rows.into_iter().map(series_from_row).collect::<Result<_, _>>()?))
        })
    }

    fn store_detected_series(
        &self,
        organisation: OrganisationId,
        detected_on: Date,
        series: &[DetectedSeries],
    ) -> Result<(), RepositoryError> {
        let org = org_id(organisation);
        let mut conn = self.write_conn()?;
        dialect::write_transaction(&mut conn, |conn| {
            for s in series {
                let values = (
                    recurring_series::counterparty_key.eq(&s.counterparty_key),
                    recurring_series::counterparty_name.eq(&s.counterparty_name),
                    recurring_series::currency.eq(s.currency.code()),
                    recurring_series::recurrence.eq(s.recurrence.code()),
                    recurring_series::amount_minor.eq(s.amount_minor),
                    recurring_series::spread_minor.eq(s.spread_minor),
                    recurring_series::occurrences.eq(i64::from(s.occurrences)),
                    recurring_series::first_date.eq(s.first_date),
                    recurring_series::last_date.eq(s.last_date),
                    recurring_series::next_date.eq(s.next_date),
                    recurring_series::detected_on.eq(detected_on),
                );
                diesel::insert_into(recurring_series::table)
                    .values((
                        recurring_series::organisation_id.eq(&org),
                        recurring_series::id.eq(&s.id),
                        recurring_series::status.eq(SeriesStatus::Detected.code()),
                        values.clone(),
                    ))
                    .on_conflict((recurring_series::organisation_id, recurring_series::id))
                    .do_update()
                    .set(values)
                    .execute(conn)?;
            }
            let found: Vec<&str> = series.iter().map(|s| s.id.as_str()).collect();
            diesel::delete(
                recurring_series::table
                    .filter(recurring_series::organisation_id.eq(&org))
                    .filter(recurring_series::status.eq(SeriesStatus::Detected.code()))
                    .filter(recurring_series::id.ne_all(found)),
            )
            .execute(conn)?;
            diesel::insert_into(forecast_detections::table)
                .values((
                    forecast_detections::organisation_id.eq(&org),
                    forecast_detections::detected_on.eq(detected_on),
                ))
                .on_conflict(forecast_detections::organisation_id)
                .do_update()
                .set(forecast_detections::detected_on.eq(detected_on))
                .execute(conn)?;
            Ok(())
        })
        .map_err(db_err)
    }

    fn decide_series(
        &self,
        organisation: OrganisationId,
        id: &str,
        status: SeriesStatus,
        by: UserId,
        at: OffsetDateTime,
        audit: &NewAuditEntry,
    ) -> Result<StoredSeries, RepositoryError> {
        let org = org_id(organisation);
        let mut conn = self.write_conn()?;
        let row: Option<SeriesColumns> = dialect::write_transaction(&mut conn, |conn| {
            let changed = diesel::update(
                recurring_series::table
                    .filter(recurring_series::organisation_id.eq(&org))
                    .filter(recurring_series::id.eq(id)),
            )
            .set((
                recurring_series::status.eq(status.code()),
                recurring_series::decided_at.eq(Some(dialect::time_to_db(at))),
                recurring_series::decided_by.eq(Some(user_id(by))),
            ))
            .execute(conn)?;
            if changed == 0 {
                return Ok(None);
            }
            append_in(conn, audit)?;
            recurring_series::table
                .filter(recurring_series::organisation_id.eq(&org))
                .filter(recurring_series::id.eq(id))
                .select(series_columns!())
                .first(conn)
                .optional()
        })
        .map_err(db_err)?;
        row.map(series_from_row).transpose()?.ok_or(RepositoryError::NotFound)
    }
}
