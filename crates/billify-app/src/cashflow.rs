//! The cash position: how much cash the organisation has, what came in and went out, what is
//! still open on both sides and what VAT is due, in one answer ([`CashflowService::summary`]).
//!
//! The store computes the sums and groupings in SQL (`CashflowRepository`); this use case picks
//! the organisation's local today and periods, fills the gaps (periods without transactions,
//! urgency levels without invoices) and shapes the figures into [`CashflowSummary`], the
//! documented structure the API and the dashboard render. Everything is per currency; nothing is
//! ever converted.

use std::collections::BTreeMap;
use std::sync::Arc;

use billify_domain::cashflow::{is_stale, urgency_of};
use billify_domain::{
    CashflowRange, Currency, Direction, Interval, InvoiceId, Money, MoneyError, Permission, TimeZoneName, UrgencyLevel,
    VatPeriod,
};
use billify_ports::cashflow::{CashflowQuery, CashflowRepository};
use billify_ports::{AccountRepository, Clock, RepositoryError};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::Actor;

/// Why the cash position could not be given.
#[derive(Debug, thiserror::Error)]
pub enum CashflowError {
    /// A request parameter is invalid.
    #[error("{field}: {message}")]
    Invalid {
        /// The parameter (`from`, `to`, `interval`, `upcoming`).
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The actor's role does not allow reading the organisation's data.
    #[error("your role does not allow reading this organisation's data")]
    Forbidden,
    /// Storage failed.
    #[error(transparent)]
    Repository(#[from] RepositoryError),
}

impl From<MoneyError> for CashflowError {
    fn from(e: MoneyError) -> Self {
        CashflowError::Repository(RepositoryError::Corrupt(format!("an amount out of range: {e}")))
    }
}

/// The ports the cash position reads.
pub struct CashflowPorts {
    /// The sums and groupings.
    pub cashflow: Arc<dyn CashflowRepository>,
    /// Organisations, for their calendar.
    pub accounts: Arc<dyn AccountRepository>,
    /// The current instant.
    pub clock: Arc<dyn Clock>,
}

/// Tunables of the cash position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CashflowSettings {
    /// A balance synchronised longer ago than this is stale (default 24 hours).
    pub stale_after: Duration,
}

impl Default for CashflowSettings {
    fn default() -> Self {
        CashflowSettings { stale_after: Duration::hours(24) }
    }
}

/// What the caller asks; every field is optional.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SummaryRequest {
    /// The first day of money in and out (default: so that 30 days, 12 weeks or 12 months end
    /// on `to`).
    pub from: Option<Date>,
    /// The last day of money in and out (default: the organisation's today).
    pub to: Option<Date>,
    /// Day, week or month (default: day).
    pub interval: Option<Interval>,
    /// How many of the next open receivables and payables to list (default 5, at most 100).
    pub upcoming: Option<u32>,
}

impl SummaryRequest {
    /// The default number of upcoming invoices.
    pub const DEFAULT_UPCOMING: u32 = 5;
    /// The most upcoming invoices one answer lists.
    pub const MAX_UPCOMING: u32 = 100;
}

/// The whole dashboard, per currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashflowSummary {
    /// The organisation's local date the figures are computed for.
    pub today: Date,
    /// The organisation's time zone.
    pub time_zone: TimeZoneName,
    /// When the answer was computed.
    pub generated_at: OffsetDateTime,
    /// Cash in the bank now.
    pub cash: CashNow,
    /// Money in and out over the requested range.
    pub flows: Flows,
    /// What customers still owe (amounts positive; credit notes reduce them).
    pub receivables: OpenSide,
    /// What is still to be paid to suppliers (amounts negative; credit notes reduce them).
    pub payables: OpenSide,
    /// VAT of the current period.
    pub vat: VatPosition,
}

/// Cash in the bank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashNow {
    /// The sum of account balances per currency, ordered by currency code.
    pub totals: Vec<Money>,
    /// Every account, ordered by currency, then id.
    pub accounts: Vec<AccountCash>,
    /// The age after which a balance is stale.
    pub stale_after: Duration,
}

/// One bank account's balance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountCash {
    /// Billify's id of the account.
    pub account_id: Uuid,
    /// Its IBAN, when known.
    pub iban: Option<String>,
    /// Its description or holder, when known.
    pub name: Option<String>,
    /// The bank, when known.
    pub institution: Option<String>,
    /// The balance.
    pub balance: Money,
    /// When the bank last synchronised it.
    pub synchronized_at: Option<OffsetDateTime>,
    /// Whether that is longer ago than `stale_after` (or never).
    pub stale: bool,
}

/// Money in and out, per period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flows {
    /// The first day (inclusive).
    pub from: Date,
    /// The last day (inclusive).
    pub to: Date,
    /// The period length.
    pub interval: Interval,
    /// One entry per currency that moved in the range, ordered by currency code.
    pub currencies: Vec<CurrencyFlows>,
}

/// Money in and out of one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrencyFlows {
    /// The currency.
    pub currency: Currency,
    /// Everything that came in over the range (zero or positive).
    pub money_in: Money,
    /// Everything that went out (zero or negative).
    pub money_out: Money,
    /// In plus out.
    pub net: Money,
    /// Every period of the range, oldest first, including those without transactions.
    pub periods: Vec<FlowPeriod>,
}

/// Money in and out of one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowPeriod {
    /// The period's first day (a Monday for weeks, the 1st for months; the first period may
    /// start before `from`, but only transactions from `from` on count).
    pub start: Date,
    /// The period's last day (the last may end after `to`).
    pub end: Date,
    /// Credits (zero or positive).
    pub money_in: Money,
    /// Debits (zero or negative).
    pub money_out: Money,
    /// In plus out.
    pub net: Money,
    /// How many credits.
    pub count_in: u64,
    /// How many debits.
    pub count_out: u64,
}

/// Open receivables or payables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenSide {
    /// Receivable or payable.
    pub direction: Direction,
    /// Per currency, ordered by currency code.
    pub totals: Vec<OpenTotals>,
    /// The next open invoices by due date (then id), all currencies together.
    pub upcoming: Vec<UpcomingInvoice>,
}

/// Open figures of one direction in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenTotals {
    /// The currency.
    pub currency: Currency,
    /// The signed open amount (receivables +, payables -, credit notes against their direction).
    pub total: Money,
    /// How many open items (invoices with something open, credit notes with credit left).
    pub count: u64,
    /// The part of `total` past its due date.
    pub overdue: Money,
    /// How many items are past their due date.
    pub overdue_count: u64,
    /// Every urgency level, most urgent first, with zero for empty levels.
    pub by_urgency: Vec<UrgencyTotal>,
}

/// Open items of one urgency level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrgencyTotal {
    /// The level (a manual override counts where it puts the invoice).
    pub level: UrgencyLevel,
    /// How many items.
    pub count: u64,
    /// Their signed open amount.
    pub amount: Money,
}

/// One of the next open invoices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpcomingInvoice {
    /// The invoice.
    pub id: InvoiceId,
    /// Its number.
    pub invoice_number: String,
    /// The other party.
    pub counterparty_name: String,
    /// The due date.
    pub due_date: Date,
    /// Days from today to the due date (negative when overdue).
    pub days_until_due: i64,
    /// The effective urgency.
    pub urgency: UrgencyLevel,
    /// The total, unsigned.
    pub total: Money,
    /// What is still open after payments and credit notes, signed.
    pub open: Money,
}

/// The VAT position of the current period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VatPosition {
    /// The period (monthly or quarterly, with its deadline).
    pub period: VatPeriod,
    /// Days from today to the deadline.
    pub days_until_deadline: i64,
    /// Per currency that has documents in the period, ordered by currency code.
    pub currencies: Vec<VatCurrency>,
}

/// VAT of one currency in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VatCurrency {
    /// The currency.
    pub currency: Currency,
    /// VAT charged on sales (credit notes negative).
    pub on_sales: Money,
    /// VAT paid on purchases (credit notes negative).
    pub on_purchases: Money,
    /// Sales minus purchases: positive is due to the tax office, negative is to be recovered.
    pub balance: Money,
    /// Documents issued in the period.
    pub documents: u64,
    /// Of those, documents that state no VAT (left out of the sums).
    pub without_vat: u64,
}

/// Reads the cash position.
pub struct CashflowService {
    ports: CashflowPorts,
    settings: CashflowSettings,
}

fn invalid(field: &'static str, message: impl Into<String>) -> CashflowError {
    CashflowError::Invalid { field, message: message.into() }
}

/// The range asked for, with defaults that end on `today`.
fn range(request: &SummaryRequest, today: Date) -> Result<CashflowRange, CashflowError> {
    let interval = request.interval.unwrap_or(Interval::Day);
    let to = request.to.unwrap_or(today);
    let from = match request.from {
        Some(from) => from,
        None => {
            let last = interval.start_of(to);
            let back = |days: i64| last.checked_sub(Duration::days(days)).unwrap_or(Date::MIN);
            match interval {
                Interval::Day => back(29),
                Interval::Week => back(7 * 11),
                Interval::Month => {
                    let mut start = last;
                    for _ in 0..11 {
                        start = interval.start_of(start.previous_day().unwrap_or(start));
                    }
                    start
                }
            }
        }
    };
    CashflowRange::new(from, to, interval).map_err(|e| invalid(if e.kind == "from" { "from" } else { "to" }, e.message))
}

impl CashflowService {
    /// Wires the service.
    pub fn new(ports: CashflowPorts, settings: CashflowSettings) -> Self {
        CashflowService { ports, settings }
    }

    /// The cash position of the actor's organisation. Viewers may read it.
    pub fn summary(&self, actor: &Actor, request: SummaryRequest) -> Result<CashflowSummary, CashflowError> {
        if !actor.role.can(Permission::ReadData) {
            return Err(CashflowError::Forbidden);
        }
        let upcoming = request.upcoming.unwrap_or(SummaryRequest::DEFAULT_UPCOMING);
        if upcoming > SummaryRequest::MAX_UPCOMING {
            return Err(invalid("upcoming", format!("upcoming is at most {}", SummaryRequest::MAX_UPCOMING)));
        }
        let calendar = crate::calendar::calendar_of(self.ports.accounts.as_ref(), actor.organisation_id)?;
        let now = self.ports.clock.now();
        let today = self.ports.clock.today_in(&calendar.time_zone);
        let range = range(&request, today)?;
        let period = calendar.vat_period(today);
        let query = CashflowQuery {
            today,
            flows_from: range.from(),
            flows_to: range.to(),
            interval: range.interval(),
            vat_from: period.start,
            vat_to: period.end,
            upcoming,
        };
        let data = self.ports.cashflow.cashflow(actor.organisation_id, &query)?;

        let cash = CashNow {
            totals: data.balances,
            accounts: data
                .accounts
                .into_iter()
                .map(|a| AccountCash {
                    stale: is_stale(a.synchronized_at, now, self.settings.stale_after),
                    account_id: a.account_id,
                    iban: a.iban,
                    name: a.name,
                    institution: a.institution,
                    balance: a.balance,
                    synchronized_at: a.synchronized_at,
                })
                .collect(),
            stale_after: self.settings.stale_after,
        };

        let flows = flows(&range, data.flows)?;
        let side = |direction: Direction,
                    items: Vec<billify_ports::cashflow::OpenInvoice>|
         -> Result<OpenSide, CashflowError> {
            let groups = data.open.iter().filter(|g| g.direction == direction);
            Ok(OpenSide {
                direction,
                totals: open_totals(groups)?,
                upcoming: items
                    .into_iter()
                    .map(|i| UpcomingInvoice {
                        days_until_due: (i.due_date - today).whole_days(),
                        urgency: urgency_of(i.due_date, i.manual_urgency, today),
                        id: i.id,
                        invoice_number: i.invoice_number,
                        counterparty_name: i.counterparty_name,
                        due_date: i.due_date,
                        total: i.total,
                        open: i.open,
                    })
                    .collect(),
            })
        };
        let receivables = side(Direction::Receivable, data.upcoming_receivables)?;
        let payables = side(Direction::Payable, data.upcoming_payables)?;
        let vat = VatPosition {
            period,
            days_until_deadline: (period.deadline - today).whole_days(),
            currencies: data
                .vat
                .into_iter()
                .map(|(currency, v)| {
                    Ok(VatCurrency {
                        currency,
                        balance: v.on_sales.checked_sub(&v.on_purchases)?,
                        on_sales: v.on_sales,
                        on_purchases: v.on_purchases,
                        documents: v.documents,
                        without_vat: v.without_vat,
                    })
                })
                .collect::<Result<_, MoneyError>>()?,
        };
        Ok(CashflowSummary {
            today,
            time_zone: calendar.time_zone,
            generated_at: now,
            cash,
            flows,
            receivables,
            payables,
            vat,
        })
    }
}

/// Every period of the range per currency, gaps filled with zeros.
fn flows(range: &CashflowRange, rows: Vec<billify_ports::cashflow::PeriodFlow>) -> Result<Flows, CashflowError> {
    let starts = range.interval().period_starts(range.from(), range.to());
    let mut by_currency: BTreeMap<String, (Currency, BTreeMap<Date, billify_ports::cashflow::PeriodFlow>)> =
        BTreeMap::new();
    for row in rows {
        let currency = row.money_in.currency();
        by_currency
            .entry(currency.code().to_owned())
            .or_insert_with(|| (currency, BTreeMap::new()))
            .1
            .insert(row.period_start, row);
    }
    let mut currencies = Vec::new();
    for (_, (currency, rows)) in by_currency {
        let zero = Money::zero(currency);
        let (mut total_in, mut total_out) = (zero.clone(), zero.clone());
        let mut periods = Vec::with_capacity(starts.len());
        for start in &starts {
            let next = range.interval().next_start(*start);
            let end = next.previous_day().unwrap_or(next);
            let (money_in, money_out, count_in, count_out) = match rows.get(start) {
                Some(r) => (r.money_in.clone(), r.money_out.clone(), r.count_in, r.count_out),
                None => (zero.clone(), zero.clone(), 0, 0),
            };
            total_in = total_in.checked_add(&money_in)?;
            total_out = total_out.checked_add(&money_out)?;
            let net = money_in.checked_add(&money_out)?;
            periods.push(FlowPeriod { start: *start, end, money_in, money_out, net, count_in, count_out });
        }
        let net = total_in.checked_add(&total_out)?;
        currencies.push(CurrencyFlows { currency, money_in: total_in, money_out: total_out, net, periods });
    }
    Ok(Flows { from: range.from(), to: range.to(), interval: range.interval(), currencies })
}

/// Open groups of one direction folded into per-currency totals with every urgency level.
fn open_totals<'a>(
    groups: impl Iterator<Item = &'a billify_ports::cashflow::OpenGroup>,
) -> Result<Vec<OpenTotals>, CashflowError> {
    let mut by_currency: BTreeMap<String, OpenTotals> = BTreeMap::new();
    for g in groups {
        let currency = g.amount.currency();
        let zero = Money::zero(currency);
        let t = by_currency.entry(currency.code().to_owned()).or_insert_with(|| OpenTotals {
            currency,
            total: zero.clone(),
            count: 0,
            overdue: zero.clone(),
            overdue_count: 0,
            by_urgency: UrgencyLevel::ALL
                .into_iter()
                .map(|level| UrgencyTotal { level, count: 0, amount: zero.clone() })
                .collect(),
        });
        t.total = t.total.checked_add(&g.amount)?;
        t.count += g.count;
        t.overdue = t.overdue.checked_add(&g.overdue_amount)?;
        t.overdue_count += g.overdue_count;
        if let Some(level) = t.by_urgency.iter_mut().find(|u| u.level == g.level) {
            level.count += g.count;
            level.amount = level.amount.checked_add(&g.amount)?;
        }
    }
    Ok(by_currency.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn default_ranges_end_today() {
        let today = date!(2026 - 12 - 06); // a Sunday
        let r = range(&SummaryRequest::default(), today).unwrap();
        assert_eq!((r.from(), r.to(), r.interval()), (date!(2026 - 11 - 07), today, Interval::Day));
        let weeks = SummaryRequest { interval: Some(Interval::Week), ..Default::default() };
        let r = range(&weeks, today).unwrap();
        assert_eq!(r.from(), date!(2026 - 09 - 14));
        assert_eq!(r.interval().period_starts(r.from(), r.to()).len(), 12);
        let months = SummaryRequest { interval: Some(Interval::Month), ..Default::default() };
        let r = range(&months, today).unwrap();
        assert_eq!(r.from(), date!(2026 - 01 - 01));
        assert_eq!(r.interval().period_starts(r.from(), r.to()).len(), 12);
        let given =
            SummaryRequest { from: Some(date!(2026 - 12 - 01)), to: Some(date!(2026 - 11 - 01)), ..Default::default() };
        assert!(matches!(range(&given, today), Err(CashflowError::Invalid { field: "from", .. })));
        let long = SummaryRequest { from: Some(date!(2020 - 01 - 01)), ..Default::default() };
        assert!(matches!(range(&long, today), Err(CashflowError::Invalid { field: "to", .. })));
    }

    #[test]
    fn flows_fill_every_period_per_currency() {
        let r = CashflowRange::new(date!(2026 - 12 - 01), date!(2026 - 12 - 03), Interval::Day).unwrap();
        let eur = |s: &str| Money::parse(s, Currency::EUR).unwrap();
        let rows = vec![billify_ports::cashflow::PeriodFlow {
            period_start: date!(2026 - 12 - 02),
            money_in: eur("10"),
            money_out: eur("-4"),
            count_in: 1,
            count_out: 2,
        }];
        let f = flows(&r, rows).unwrap();
        assert_eq!(f.currencies.len(), 1);
        let c = &f.currencies[0];
        assert_eq!((c.money_in.clone(), c.money_out.clone(), c.net.clone()), (eur("10"), eur("-4"), eur("6")));
        assert_eq!(c.periods.len(), 3);
        assert_eq!(c.periods[0].net, eur("0"));
        assert_eq!(
            (c.periods[1].start, c.periods[1].end, c.periods[1].count_out),
            (date!(2026 - 12 - 02), date!(2026 - 12 - 02), 2)
        );
        assert!(flows(&r, Vec::new()).unwrap().currencies.is_empty());
    }
}
