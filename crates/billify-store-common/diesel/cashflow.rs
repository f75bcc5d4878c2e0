//! The cash position: the [`CashflowRepository`].
//!
//! Every sum and grouping runs in SQL over the integer minor-unit columns; the rules are
//! `billify_domain::cashflow`'s (the contract tests check the two agree). The statements are
//! written once with `$n` placeholders; `dialect::sql` adapts them (SQLite reads `?n`) and
//! `dialect::period_start_sql` gives each backend's expression for the first day of a week or
//! month.

use billify_domain::cashflow::urgency_due_bounds;
use billify_domain::{Currency, Direction, InvoiceId, InvoiceKind, Money, OrganisationId, UrgencyLevel};
use billify_ports::RepositoryError;
use billify_ports::cashflow::{
    AccountBalance, CashflowData, CashflowQuery, CashflowRepository, OpenGroup, OpenInvoice, PeriodFlow, VatTotals,
};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date as SqlDate, Nullable, Text};
use time::Date;

use super::Store;
use super::dialect::{self, Conn, DbId, DbTime, SqlId};
use super::schema::bank_accounts;
use super::{db_err, org_id};

pub(super) fn corrupt(what: &str, e: impl std::fmt::Display) -> RepositoryError {
    RepositoryError::Corrupt(format!("{what}: {e}"))
}

pub(super) fn currency(code: &str) -> Result<Currency, RepositoryError> {
    Currency::parse(code).map_err(|e| corrupt("currency", e))
}

pub(super) fn money(minor: i64, code: &str) -> Result<Money, RepositoryError> {
    Money::from_minor_units(minor, currency(code)?).map_err(|e| corrupt("amount", e))
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

pub(super) fn direction(code: &str) -> Result<Direction, RepositoryError> {
    code.parse().map_err(|e| corrupt("direction", e))
}

fn level(code: &str) -> Result<UrgencyLevel, RepositoryError> {
    code.parse().map_err(|e| corrupt("urgency", e))
}

#[derive(QueryableByName)]
struct FlowRow {
    #[diesel(sql_type = SqlDate)]
    period_start: Date,
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = BigInt)]
    in_minor: i64,
    #[diesel(sql_type = BigInt)]
    out_minor: i64,
    #[diesel(sql_type = BigInt)]
    in_count: i64,
    #[diesel(sql_type = BigInt)]
    out_count: i64,
}

/// Money in and out per period, leaving out transfers between the organisation's own accounts
/// (a counterparty IBAN that is one of its accounts' IBANs). The totals come from
/// `bank_daily_flows` (one row per day and currency, kept by the database as transactions are
/// written); the own transfers of the range from `bank_daily_own_transfers` (one row per day,
/// currency and own IBAN, kept as transactions are written and recomputed when an account's IBAN
/// comes or goes, migration `000036`), subtracted. Both backends store IBANs in their electronic
/// form (`Iban::as_str`), so equal accounts compare equal as text.
const FLOWS_SQL: &str = "\
SELECT {period} AS period_start, currency, \
       CAST(SUM(in_minor) AS BIGINT) AS in_minor, CAST(SUM(out_minor) AS BIGINT) AS out_minor, \
       CAST(SUM(in_count) AS BIGINT) AS in_count, CAST(SUM(out_count) AS BIGINT) AS out_count \
FROM ( \
    SELECT d.day AS day, d.currency AS currency, d.in_minor AS in_minor, d.out_minor AS out_minor, \
           d.in_count AS in_count, d.out_count AS out_count \
    FROM bank_daily_flows d \
    WHERE d.organisation_id = $1 AND d.day >= $2 AND d.day <= $3 \
    UNION ALL \
    SELECT o.day, o.currency, 0 - o.in_minor, 0 - o.out_minor, 0 - o.in_count, 0 - o.out_count \
    FROM bank_daily_own_transfers o \
    WHERE o.organisation_id = $1 AND o.day >= $2 AND o.day <= $3 \
) f \
GROUP BY 1, 2 \
HAVING SUM(in_count) + SUM(out_count) > 0 \
ORDER BY 1, 2";

#[derive(QueryableByName)]
struct OpenGroupRow {
    #[diesel(sql_type = Text)]
    direction: String,
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = Text)]
    level: String,
    #[diesel(sql_type = BigInt)]
    items: i64,
    #[diesel(sql_type = BigInt)]
    amount_minor: i64,
    #[diesel(sql_type = BigInt)]
    overdue_items: i64,
    #[diesel(sql_type = BigInt)]
    overdue_minor: i64,
}

/// Open items per direction, currency and urgency: open invoices net of payments and of the
/// unsettled credit notes linked to them (same direction and currency), the credit those notes
/// still give back beyond what their invoice had open, and credit notes linked to nothing.
/// The database keeps them in `invoice_open_amounts` (migration `000036`: one row per direction,
/// currency, due date and manual urgency, recomputed by triggers for every family of documents a
/// statement writes), so this sums a few rows per due date; the urgency of a row without a
/// manual one follows its due date. `$2` is today, `$3`..`$5` the last due dates of the
/// critical, high and medium levels.
const OPEN_SQL: &str = "\
SELECT direction, currency, level, CAST(SUM(items) AS BIGINT) AS items, \
       CAST(SUM(amount_minor) AS BIGINT) AS amount_minor, \
       CAST(SUM(CASE WHEN due_date < $2 THEN items ELSE 0 END) AS BIGINT) AS overdue_items, \
       CAST(SUM(CASE WHEN due_date < $2 THEN amount_minor ELSE 0 END) AS BIGINT) AS overdue_minor \
FROM ( \
    SELECT direction, currency, due_date, items, amount_minor, \
           CASE WHEN manual_urgency <> '' THEN manual_urgency \
                WHEN due_date < $2 THEN 'overdue' WHEN due_date <= $3 THEN 'critical' \
                WHEN due_date <= $4 THEN 'high' WHEN due_date <= $5 THEN 'medium' ELSE 'low' END AS level \
    FROM invoice_open_amounts \
    WHERE organisation_id = $1 \
) x \
GROUP BY direction, currency, level \
ORDER BY direction, currency, level";

#[derive(QueryableByName)]
struct UpcomingRow {
    #[diesel(sql_type = SqlId)]
    id: DbId,
    #[diesel(sql_type = Text)]
    invoice_number: String,
    #[diesel(sql_type = Text)]
    counterparty_name: String,
    #[diesel(sql_type = SqlDate)]
    due_date: Date,
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = BigInt)]
    total_minor: i64,
    #[diesel(sql_type = Nullable<Text>)]
    manual_urgency: Option<String>,
    #[diesel(sql_type = BigInt)]
    open_minor: i64,
}

/// The next open invoices of one direction by due date: walks the open-invoice index in due-date
/// order and stops after `$3` with something open once their credit notes count.
const UPCOMING_SQL: &str = "\
SELECT id, invoice_number, counterparty_name, due_date, currency, total_minor, manual_urgency, \
       CAST(open_minor AS BIGINT) AS open_minor \
FROM ( \
    SELECT i.id, i.invoice_number, i.counterparty_name, i.due_date, i.currency, i.total_minor, i.manual_urgency, \
           i.total_minor - i.paid_minor - COALESCE(( \
               SELECT CAST(SUM(c.total_minor - c.paid_minor) AS BIGINT) FROM invoices c \
               WHERE c.organisation_id = i.organisation_id AND c.corrects_invoice_id = i.id \
                 AND c.kind = 'credit_note' AND c.status <> 'paid' \
                 AND c.direction = i.direction AND c.currency = i.currency), 0) AS open_minor \
    FROM invoices i \
    WHERE i.organisation_id = $1 AND i.direction = $2 AND i.kind = 'invoice' AND i.status <> 'paid' \
) x \
WHERE open_minor > 0 \
ORDER BY due_date, id \
LIMIT $3";

#[derive(QueryableByName)]
struct VatRow {
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = BigInt)]
    on_sales: i64,
    #[diesel(sql_type = BigInt)]
    on_purchases: i64,
    #[diesel(sql_type = BigInt)]
    documents: i64,
    #[diesel(sql_type = BigInt)]
    without_vat: i64,
}

/// VAT of the documents issued in a period; credit notes count negatively. The database keeps
/// it per issue day and currency in `invoice_daily_vat` (migration `000036`), so a quarter sums
/// about ninety rows per currency.
const VAT_SQL: &str = "\
SELECT currency, CAST(SUM(on_sales) AS BIGINT) AS on_sales, CAST(SUM(on_purchases) AS BIGINT) AS on_purchases, \
       CAST(SUM(documents) AS BIGINT) AS documents, CAST(SUM(without_vat) AS BIGINT) AS without_vat \
FROM invoice_daily_vat \
WHERE organisation_id = $1 AND day >= $2 AND day <= $3 \
GROUP BY currency \
HAVING SUM(documents) > 0 \
ORDER BY currency";

type AccountColumns =
    (DbId, Option<String>, Option<String>, Option<String>, Option<String>, String, i64, Option<DbTime>);

fn read_accounts(conn: &mut Conn, org: &DbId) -> Result<Vec<AccountBalance>, RepositoryError> {
    let rows: Vec<AccountColumns> = bank_accounts::table
        .filter(bank_accounts::organisation_id.eq(org))
        .order((bank_accounts::currency.asc(), bank_accounts::id.asc()))
        .select((
            bank_accounts::id,
            bank_accounts::iban,
            bank_accounts::description,
            bank_accounts::holder_name,
            bank_accounts::institution_name,
            bank_accounts::currency,
            bank_accounts::current_balance_minor,
            bank_accounts::synchronized_at,
        ))
        .load(conn)
        .map_err(db_err)?;
    rows.into_iter()
        .map(|(id, iban, description, holder, institution, code, minor, synced)| {
            Ok(AccountBalance {
                account_id: dialect::id_from_db(&id)?,
                iban,
                name: description.or(holder),
                institution,
                balance: money(minor, &code)?,
                synchronized_at: synced.as_ref().map(dialect::time_from_db).transpose()?,
            })
        })
        .collect()
}

pub(super) fn read_balances(conn: &mut Conn, org: &DbId) -> Result<Vec<Money>, RepositoryError> {
    let rows: Vec<(String, Option<i64>)> = bank_accounts::table
        .filter(bank_accounts::organisation_id.eq(org))
        .group_by(bank_accounts::currency)
        .order(bank_accounts::currency.asc())
        .select((
            bank_accounts::currency,
            diesel::dsl::sql::<Nullable<BigInt>>("CAST(SUM(bank_accounts.current_balance_minor) AS BIGINT)"),
        ))
        .load(conn)
        .map_err(db_err)?;
    rows.into_iter().map(|(code, minor)| money(minor.unwrap_or(0), &code)).collect()
}

fn read_flows(conn: &mut Conn, org: &DbId, q: &CashflowQuery) -> Result<Vec<PeriodFlow>, RepositoryError> {
    flows_between(conn, org, q.interval, q.flows_from, q.flows_to)
}

/// Money in and out per period of `interval` from `from` to `to` (inclusive), per currency.
pub(super) fn flows_between(
    conn: &mut Conn,
    org: &DbId,
    interval: billify_domain::Interval,
    from: Date,
    to: Date,
) -> Result<Vec<PeriodFlow>, RepositoryError> {
    let sql = FLOWS_SQL.replace("{period}", &dialect::period_start_sql(interval, "day"));
    let rows: Vec<FlowRow> = diesel::sql_query(dialect::sql(&sql))
        .bind::<SqlId, _>(org)
        .bind::<SqlDate, _>(from)
        .bind::<SqlDate, _>(to)
        .load(conn)
        .map_err(db_err)?;
    rows.into_iter()
        .map(|r| {
            Ok(PeriodFlow {
                period_start: r.period_start,
                money_in: money(r.in_minor, &r.currency)?,
                money_out: money(r.out_minor, &r.currency)?,
                count_in: count(r.in_count),
                count_out: count(r.out_count),
            })
        })
        .collect()
}

fn read_open(conn: &mut Conn, org: &DbId, today: Date) -> Result<Vec<OpenGroup>, RepositoryError> {
    let bounds = urgency_due_bounds(today);
    let last_due = |level: UrgencyLevel| -> Result<Date, RepositoryError> {
        bounds
            .iter()
            .find(|(l, _, _)| *l == level)
            .and_then(|(_, _, hi)| *hi)
            .ok_or_else(|| RepositoryError::Other(format!("today {today} is out of range").into()))
    };
    let rows: Vec<OpenGroupRow> = diesel::sql_query(dialect::sql(OPEN_SQL))
        .bind::<SqlId, _>(org)
        .bind::<SqlDate, _>(today)
        .bind::<SqlDate, _>(last_due(UrgencyLevel::Critical)?)
        .bind::<SqlDate, _>(last_due(UrgencyLevel::High)?)
        .bind::<SqlDate, _>(last_due(UrgencyLevel::Medium)?)
        .load(conn)
        .map_err(db_err)?;
    rows.into_iter()
        .map(|r| {
            Ok(OpenGroup {
                direction: direction(&r.direction)?,
                level: level(&r.level)?,
                count: count(r.items),
                amount: money(r.amount_minor, &r.currency)?,
                overdue_count: count(r.overdue_items),
                overdue_amount: money(r.overdue_minor, &r.currency)?,
            })
        })
        .collect()
}

fn read_upcoming(conn: &mut Conn, org: &DbId, dir: Direction, limit: u32) -> Result<Vec<OpenInvoice>, RepositoryError> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    let rows: Vec<UpcomingRow> = diesel::sql_query(dialect::sql(UPCOMING_SQL))
        .bind::<SqlId, _>(org)
        .bind::<Text, _>(dir.code())
        .bind::<BigInt, _>(i64::from(limit))
        .load(conn)
        .map_err(db_err)?;
    let sign = |m: Money| if dir == Direction::Receivable { m } else { m.negated() };
    rows.into_iter()
        .map(|r| {
            Ok(OpenInvoice {
                id: InvoiceId::from_uuid(dialect::id_from_db(&r.id)?),
                direction: dir,
                kind: InvoiceKind::Invoice,
                invoice_number: r.invoice_number,
                counterparty_name: r.counterparty_name,
                due_date: r.due_date,
                total: money(r.total_minor, &r.currency)?,
                open: sign(money(r.open_minor, &r.currency)?),
                manual_urgency: r.manual_urgency.as_deref().map(level).transpose()?,
            })
        })
        .collect()
}

fn read_vat(conn: &mut Conn, org: &DbId, q: &CashflowQuery) -> Result<Vec<(Currency, VatTotals)>, RepositoryError> {
    vat_between(conn, org, q.vat_from, q.vat_to)
}

/// VAT of the documents issued from `from` to `to` (inclusive), per currency.
pub(super) fn vat_between(
    conn: &mut Conn,
    org: &DbId,
    from: Date,
    to: Date,
) -> Result<Vec<(Currency, VatTotals)>, RepositoryError> {
    let rows: Vec<VatRow> = diesel::sql_query(dialect::sql(VAT_SQL))
        .bind::<SqlId, _>(org)
        .bind::<SqlDate, _>(from)
        .bind::<SqlDate, _>(to)
        .load(conn)
        .map_err(db_err)?;
    rows.into_iter()
        .map(|r| {
            Ok((
                currency(&r.currency)?,
                VatTotals {
                    on_sales: money(r.on_sales, &r.currency)?,
                    on_purchases: money(r.on_purchases, &r.currency)?,
                    documents: count(r.documents),
                    without_vat: count(r.without_vat),
                },
            ))
        })
        .collect()
}

impl CashflowRepository for Store {
    fn cashflow(&self, organisation: OrganisationId, query: &CashflowQuery) -> Result<CashflowData, RepositoryError> {
        let org = org_id(organisation);
        let upcoming = query.upcoming.min(100);
        let mut conn = self.conn()?;
        dialect::read_transaction(&mut conn, |conn| {
            Ok(CashflowData {
                accounts: read_accounts(conn, &org)?,
                balances: read_balances(conn, &org)?,
                flows: read_flows(conn, &org, query)?,
                open: read_open(conn, &org, query.today)?,
                upcoming_receivables: read_upcoming(conn, &org, Direction::Receivable, upcoming)?,
                upcoming_payables: read_upcoming(conn, &org, Direction::Payable, upcoming)?,
                vat: read_vat(conn, &org, query)?,
            })
        })
    }
}
