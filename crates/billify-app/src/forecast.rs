//! The cash forecast: the daily projected balance per currency with its band and the items
//! behind each movement ([`ForecastService::forecast`]), what-if scenarios that store nothing
//! ([`ForecastService::scenario`]), the recurring bank flows it continues and the user's
//! decisions on them ([`ForecastService::recurring`], [`ForecastService::decide`]), and the
//! backtest that measures its own error on the organisation's history
//! ([`ForecastService::accuracy`], [`ForecastService::backtest`]).
//!
//! The store sums and groups (`ForecastRepository`); the domain (`billify_domain::forecast`)
//! detects series, measures delays and projects; this use case chooses the organisation's today,
//! the VAT periods and the windows, and assembles the movements. Recurring series are detected
//! at most once per local day per organisation (the first request of the day), so a forecast
//! reads the stored series, never the whole transaction history. Customers' payment delays are
//! read once per local day per organisation and process too (a payment made today moves a
//! customer's median from tomorrow on); open items, balances and VAT are read on every request.
//!
//! **Why this file is long:** it is one use case whose five entry points share the same inputs
//! and assembly (the forecast, its scenarios and its backtest build the same movements), and its
//! answer types are documented here for the delivery crates.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use billify_domain::forecast::{
    self, BacktestSample, DetectedSeries, FlowOccurrence, ForecastItem, HorizonAccuracy, Movement, PaymentDelay,
    ProjectedDay, Recurrence, detect_series, payment_delay, project, series_dates,
};
use billify_domain::{
    Currency, Direction, InvoiceId, Money, MoneyError, OrganisationCalendar, OrganisationId, Permission, TimeZoneName,
    VatPeriod,
};
use billify_ports::audit::{AuditAction, AuditTarget};
use billify_ports::forecast::{
    DelayCount, ForecastData, ForecastQuery, ForecastRepository, SeriesStatus, StoredSeries,
};
use billify_ports::{AccountRepository, Clock, RepositoryError};
use serde_json::json;
use time::{Date, Duration, OffsetDateTime};

use crate::Actor;

/// Why the forecast could not be given.
#[derive(Debug, thiserror::Error)]
pub enum ForecastError {
    /// A request parameter is invalid.
    #[error("{field}: {message}")]
    Invalid {
        /// The parameter (`days`, `adjustments[0].invoice_id`, ...).
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// The actor's role does not allow it.
    #[error("your role does not allow this")]
    Forbidden,
    /// No such recurring series in the organisation.
    #[error("no such recurring series")]
    NotFound,
    /// Storage failed.
    #[error(transparent)]
    Repository(#[from] RepositoryError),
}

impl From<MoneyError> for ForecastError {
    fn from(e: MoneyError) -> Self {
        ForecastError::Repository(RepositoryError::Corrupt(format!("an amount out of range: {e}")))
    }
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> ForecastError {
    ForecastError::Invalid { field: field.into(), message: message.into() }
}

/// The ports the forecast uses.
pub struct ForecastPorts {
    /// Its inputs and recurring series.
    pub forecast: Arc<dyn ForecastRepository>,
    /// Organisations, for their calendar.
    pub accounts: Arc<dyn AccountRepository>,
    /// The current instant.
    pub clock: Arc<dyn Clock>,
}

/// The longest forecast, in days.
pub const MAX_DAYS: u32 = 365;
/// The default forecast length.
pub const DEFAULT_DAYS: u32 = 90;
/// The horizons the backtest measures, in days.
pub const HORIZONS: [u32; 4] = [7, 30, 60, 90];
/// How far back recurring flows are looked for (a yearly flow needs two occurrences).
const SERIES_HISTORY_DAYS: i64 = 400;
/// How far back customers' payments are measured.
const DELAY_HISTORY_DAYS: i64 = 365;
/// A receivable expected this many days ago or more is doubtful and left out of the forecast.
const DOUBTFUL_AFTER_DAYS: i64 = 60;
/// The burn rate is measured over this many days (three months).
const BURN_DAYS: i64 = 90;
/// How many past days the backtest forecasts from (one a week over the year before the last
/// 90 days).
const BACKTEST_ORIGINS: i64 = 40;

/// The forecast of one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrencyForecast {
    /// The currency.
    pub currency: Currency,
    /// Cash now (the sum of the bank balances in this currency).
    pub start: Money,
    /// One entry per day from tomorrow.
    pub days: Vec<ForecastDay>,
    /// The lowest projected balance...
    pub lowest: Money,
    /// ...and its first day (today when no day is lower than cash now).
    pub lowest_date: Date,
    /// Days until the projected balance is below zero, if it is within the forecast.
    pub runway_days: Option<i64>,
    /// The average net outflow per month over the last three months (zero when not burning).
    pub burn_rate: Money,
    /// The monthly inflow that would stop the burning (the average money out per month).
    pub break_even_inflow: Money,
}

/// One projected day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForecastDay {
    /// The day.
    pub date: Date,
    /// The expected balance at its end.
    pub balance: Money,
    /// The band's low end.
    pub low: Money,
    /// The band's high end.
    pub high: Money,
    /// The expected movement of the day.
    pub net: Money,
    /// What moves on that day.
    pub items: Vec<ForecastItem>,
}

/// The forecast of an organisation, per currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forecast {
    /// The organisation's local date it starts from.
    pub today: Date,
    /// The organisation's time zone.
    pub time_zone: TimeZoneName,
    /// When it was computed.
    pub generated_at: OffsetDateTime,
    /// How many days it covers.
    pub days: u32,
    /// One per currency with cash, open items or recurring flows, ordered by currency code.
    pub currencies: Vec<CurrencyForecast>,
    /// Receivables left out as doubtful (expected more than 60 days ago).
    pub doubtful_receivables: u64,
}

/// A change a scenario makes to the forecast's inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Adjustment {
    /// An open receivable arrives `days` later than expected (earlier when negative).
    DelayReceivable {
        /// The invoice.
        invoice: InvoiceId,
        /// Days.
        days: i64,
    },
    /// A payment not otherwise known: `amount` (decimal text, negative for money out) in
    /// `currency` on `date`.
    OneOff {
        /// The day.
        date: Date,
        /// The currency code.
        currency: String,
        /// The signed amount as decimal text.
        amount: String,
        /// A label shown with the movement.
        label: String,
    },
    /// A recurring series stops.
    DropSeries {
        /// Its id.
        series: String,
    },
    /// A recurring series continues with another amount (decimal text, signed as its flows).
    ChangeSeriesAmount {
        /// Its id.
        series: String,
        /// The new amount of each occurrence.
        amount: String,
    },
}

/// A scenario's answer: the forecast as it is and as adjusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    /// Without adjustments.
    pub base: Forecast,
    /// With them.
    pub adjusted: Forecast,
}

/// A recurring series with its next dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecurringSeries {
    /// The series and the user's decision.
    pub stored: StoredSeries,
    /// Its next occurrences (at most five, within a year).
    pub next_dates: Vec<Date>,
}

/// The recurring series of an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecurringList {
    /// The day detection last ran.
    pub detected_on: Option<Date>,
    /// The series, ordered by id.
    pub series: Vec<RecurringSeries>,
}

/// The backtest's figures in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrencyAccuracy {
    /// The currency.
    pub currency: Currency,
    /// One per horizon of [`HORIZONS`].
    pub horizons: Vec<HorizonAccuracy>,
}

/// How wrong the forecast has been on the organisation's own history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accuracy {
    /// The day the backtest ran on.
    pub today: Date,
    /// The past days forecast from, oldest first.
    pub origins: Vec<Date>,
    /// Per currency with cash, ordered by currency code.
    pub currencies: Vec<CurrencyAccuracy>,
}

/// The lowest projected balance of one currency within a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LowestBalance {
    /// The balance (in its currency).
    pub balance: Money,
    /// Its first day.
    pub date: Date,
}

/// A parsed adjustment.
enum Parsed {
    Delay(InvoiceId, i64),
    OneOff(Movement, Currency),
    Drop(String),
    Change(String, i64),
}

/// The inputs of one forecast, as known on `today`.
struct Inputs {
    today: Date,
    data: ForecastData,
    vat_periods: Vec<VatPeriod>,
    series: Vec<DetectedSeries>,
    /// Money in and out over the burn window, per currency.
    burn: BTreeMap<String, (i64, i64)>,
    /// The mean absolute daily net movement over the burn window, per currency.
    noise: BTreeMap<String, i64>,
}

/// Burn sums and daily noise per currency from daily nets `(currency, in, out)` of a window of
/// `BURN_DAYS` days.
fn burn_and_noise<'a>(
    days: impl Iterator<Item = (&'a str, i64, i64)>,
) -> (BTreeMap<String, (i64, i64)>, BTreeMap<String, i64>) {
    let mut burn: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let mut noise: BTreeMap<String, i64> = BTreeMap::new();
    for (code, money_in, money_out) in days {
        let e = burn.entry(code.to_owned()).or_default();
        e.0 += money_in;
        e.1 += money_out;
        *noise.entry(code.to_owned()).or_default() += (money_in + money_out).abs();
    }
    for n in noise.values_mut() {
        *n /= BURN_DAYS;
    }
    (burn, noise)
}

/// Every customer's payment delays as read on one day.
type DayDelays = (Date, Arc<Vec<DelayCount>>);

/// Reads and projects the forecast.
pub struct ForecastService {
    ports: ForecastPorts,
    /// Every customer's payment delays over the last [`DELAY_HISTORY_DAYS`], per organisation,
    /// as read on the organisation's local day: a year's history moves little in a day, and
    /// reading it is the dearest part of a forecast, so each process reads it once a day (the
    /// first forecast of the day, usually the morning's alert job) rather than per request.
    day_delays: Mutex<HashMap<OrganisationId, DayDelays>>,
    /// Held while recurring series are detected (see [`Self::series`]).
    detecting: Mutex<()>,
}

/// The VAT periods whose payment may still be ahead on `today`: the previous period when its
/// deadline has not passed, and the current one.
fn vat_periods(calendar: &OrganisationCalendar, today: Date) -> Vec<VatPeriod> {
    let current = calendar.vat_period(today);
    let previous = calendar.vat_period(current.start.previous_day().unwrap_or(current.start));
    let mut periods = Vec::new();
    if previous.deadline > today && previous.start < current.start {
        periods.push(previous);
    }
    periods.push(current);
    periods
}

/// The timing tolerance of a series' occurrences, in days.
fn series_timing(recurrence: Recurrence) -> i64 {
    match recurrence {
        Recurrence::Weekly => 1,
        Recurrence::Monthly => 3,
        Recurrence::Quarterly => 5,
        Recurrence::Yearly => 7,
    }
}

fn minor(m: &Money) -> Result<i64, ForecastError> {
    Ok(m.to_minor_units()?)
}

impl ForecastService {
    /// Wires the service.
    pub fn new(ports: ForecastPorts) -> Self {
        ForecastService { ports, day_delays: Mutex::new(HashMap::new()), detecting: Mutex::new(()) }
    }

    /// Every customer's payment delays known on `today`, read at most once a day.
    fn delays_of_the_day(
        &self,
        organisation: OrganisationId,
        today: Date,
    ) -> Result<Arc<Vec<DelayCount>>, ForecastError> {
        if let Ok(cache) = self.day_delays.lock()
            && let Some((day, delays)) = cache.get(&organisation)
            && *day == today
        {
            return Ok(delays.clone());
        }
        let from = today - Duration::days(DELAY_HISTORY_DAYS);
        let delays = Arc::new(self.ports.forecast.payment_delays(organisation, from, today)?);
        if let Ok(mut cache) = self.day_delays.lock() {
            cache.retain(|_, (day, _)| *day >= today.previous_day().unwrap_or(today));
            cache.insert(organisation, (today, delays.clone()));
        }
        Ok(delays)
    }

    fn calendar(&self, organisation: OrganisationId) -> Result<OrganisationCalendar, ForecastError> {
        Ok(crate::calendar::calendar_of(self.ports.accounts.as_ref(), organisation)?)
    }

    /// The stored series, detected anew when detection has not run on `today` yet.
    fn series(&self, organisation: OrganisationId, today: Date) -> Result<Vec<StoredSeries>, ForecastError> {
        let (detected_on, stored) = self.ports.forecast.recurring_series(organisation)?;
        if detected_on == Some(today) {
            return Ok(stored);
        }
        // One detection at a time in this process: requests that arrive while the day's first
        // detection runs wait for it and read what it stored, rather than each reading the whole
        // history again (32 at once exhausted memory in the HTTP benchmark).
        let _detecting = self.detecting.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (detected_on, stored) = self.ports.forecast.recurring_series(organisation)?;
        if detected_on == Some(today) {
            return Ok(stored);
        }
        let from = today - Duration::days(SERIES_HISTORY_DAYS);
        let occurrences = self.ports.forecast.flow_occurrences(organisation, from, today)?;
        let found = detect_series(&occurrences, today);
        self.ports.forecast.store_detected_series(organisation, today, &found)?;
        Ok(self.ports.forecast.recurring_series(organisation)?.1)
    }

    fn inputs(
        &self,
        organisation: OrganisationId,
        calendar: &OrganisationCalendar,
        today: Date,
    ) -> Result<Inputs, ForecastError> {
        let series = self
            .series(organisation, today)?
            .into_iter()
            .filter(|s| s.status != SeriesStatus::Dismissed)
            .map(|s| s.series)
            .collect();
        let periods = vat_periods(calendar, today);
        let query = ForecastQuery {
            as_of: today,
            current: true,
            delays_from: today - Duration::days(DELAY_HISTORY_DAYS),
            vat_periods: periods.iter().map(|p| (p.start, p.end.min(today))).collect(),
            read_delays: false,
        };
        let mut data = self.ports.forecast.forecast_inputs(organisation, &query)?;
        data.delays = self.delays_of_the_day(organisation, today)?.as_ref().clone();
        let daily = self.ports.forecast.daily_net(organisation, today - Duration::days(BURN_DAYS - 1), today)?;
        let (burn, noise) = burn_and_noise(daily.iter().map(|d| (d.currency.code(), d.in_minor, d.out_minor)));
        Ok(Inputs { today, data, vat_periods: periods, series, burn, noise })
    }

    /// Checks and parses a scenario's adjustments against the inputs.
    fn parse_adjustments(inputs: &Inputs, days: u32, adjustments: &[Adjustment]) -> Result<Vec<Parsed>, ForecastError> {
        let receivables: BTreeSet<InvoiceId> = inputs
            .data
            .open
            .iter()
            .filter(|i| i.direction == Direction::Receivable && i.open.is_positive())
            .map(|i| i.id)
            .collect();
        let series: HashMap<&str, &DetectedSeries> = inputs.series.iter().map(|s| (s.id.as_str(), s)).collect();
        let last = inputs.today.saturating_add(Duration::days(i64::from(days)));
        let mut parsed = Vec::with_capacity(adjustments.len());
        for (n, a) in adjustments.iter().enumerate() {
            let field = |name: &str| format!("adjustments[{n}].{name}");
            parsed.push(match a {
                Adjustment::DelayReceivable { invoice, days } => {
                    if !receivables.contains(invoice) {
                        return Err(invalid(field("invoice_id"), "no open receivable with this id"));
                    }
                    if days.abs() > i64::from(MAX_DAYS) {
                        return Err(invalid(field("days"), format!("days is from -{MAX_DAYS} to {MAX_DAYS}")));
                    }
                    Parsed::Delay(*invoice, *days)
                }
                Adjustment::OneOff { date, currency, amount, label } => {
                    let currency = Currency::parse(currency).map_err(|e| invalid(field("currency"), e.message))?;
                    let money = Money::parse(amount, currency).map_err(|e| invalid(field("amount"), e.to_string()))?;
                    if money.is_zero() {
                        return Err(invalid(field("amount"), "the amount is not zero"));
                    }
                    if *date <= inputs.today || *date > last {
                        return Err(invalid(field("date"), "the date is within the forecast, after today"));
                    }
                    let movement = Movement {
                        date: *date,
                        amount_minor: minor(&money)?,
                        early_days: 0,
                        late_days: 0,
                        amount_spread_minor: 0,
                        item: ForecastItem::OneOff(label.clone()),
                    };
                    Parsed::OneOff(movement, currency)
                }
                Adjustment::DropSeries { series: id } => {
                    if !series.contains_key(id.as_str()) {
                        return Err(invalid(field("series_id"), "no recurring series with this id feeds the forecast"));
                    }
                    Parsed::Drop(id.clone())
                }
                Adjustment::ChangeSeriesAmount { series: id, amount } => {
                    let Some(s) = series.get(id.as_str()) else {
                        return Err(invalid(field("series_id"), "no recurring series with this id feeds the forecast"));
                    };
                    let money =
                        Money::parse(amount, s.currency).map_err(|e| invalid(field("amount"), e.to_string()))?;
                    Parsed::Change(id.clone(), minor(&money)?)
                }
            });
        }
        Ok(parsed)
    }

    /// Projects `inputs` over `days` with `adjustments` applied.
    fn project(
        &self,
        inputs: &Inputs,
        time_zone: &TimeZoneName,
        days: u32,
        adjustments: &[Parsed],
    ) -> Result<Forecast, ForecastError> {
        let today = inputs.today;
        let end = today.saturating_add(Duration::days(i64::from(days)));
        let mut per_currency: BTreeMap<String, (Currency, Vec<Movement>)> = BTreeMap::new();
        let mut push = |currency: Currency, m: Movement| {
            per_currency.entry(currency.code().to_owned()).or_insert_with(|| (currency, Vec::new())).1.push(m);
        };

        // Customers' delays, and the organisation's own as the default for customers with few.
        let mut histograms: HashMap<&str, Vec<(i64, u64)>> = HashMap::new();
        let mut everyone: BTreeMap<i64, u64> = BTreeMap::new();
        for d in &inputs.data.delays {
            histograms.entry(d.counterparty_key.as_str()).or_default().push((d.delay_days, d.invoices));
            *everyone.entry(d.delay_days).or_default() += d.invoices;
        }
        let default = payment_delay(&everyone.into_iter().collect::<Vec<_>>()).unwrap_or(PaymentDelay::DEFAULT);
        let delays: HashMap<&str, PaymentDelay> =
            histograms.iter().filter_map(|(k, h)| payment_delay(h).map(|d| (*k, d))).collect();
        let mut doubtful = 0;
        for item in &inputs.data.open {
            let amount = minor(&item.open)?;
            let incoming = item.direction == Direction::Receivable && amount > 0;
            let (mut date, spread) = if incoming {
                let delay = delays.get(item.counterparty_key.as_str()).copied().unwrap_or(default);
                (item.due_date.saturating_add(Duration::days(delay.median_days)), delay.spread_days)
            } else {
                (item.due_date, 0)
            };
            if incoming && (today - date).whole_days() >= DOUBTFUL_AFTER_DAYS {
                doubtful += 1;
                continue;
            }
            for a in adjustments {
                if let Parsed::Delay(id, by) = a
                    && *id == item.id
                {
                    date = date.saturating_add(Duration::days(*by));
                }
            }
            push(
                item.open.currency(),
                Movement {
                    date,
                    amount_minor: amount,
                    early_days: spread,
                    late_days: spread,
                    amount_spread_minor: 0,
                    item: ForecastItem::Invoice(item.id),
                },
            );
        }
        for series in &inputs.series {
            if adjustments.iter().any(|a| matches!(a, Parsed::Drop(id) if *id == series.id)) {
                continue;
            }
            let amount = adjustments
                .iter()
                .find_map(|a| match a {
                    Parsed::Change(id, amount) if *id == series.id => Some(*amount),
                    _ => None,
                })
                .unwrap_or(series.amount_minor);
            let timing = series_timing(series.recurrence);
            for date in series_dates(series, today.next_day().unwrap_or(today), end) {
                push(
                    series.currency,
                    Movement {
                        date,
                        amount_minor: amount,
                        early_days: timing,
                        late_days: timing,
                        amount_spread_minor: series.spread_minor,
                        item: ForecastItem::Series(series.id.clone()),
                    },
                );
            }
        }
        for (period, totals) in inputs.vat_periods.iter().zip(&inputs.data.vat) {
            for (currency, t) in totals {
                let due = minor(&t.on_sales)? - minor(&t.on_purchases)?;
                if due != 0 {
                    push(
                        *currency,
                        Movement {
                            date: period.deadline,
                            amount_minor: -due,
                            early_days: 0,
                            late_days: 0,
                            amount_spread_minor: 0,
                            item: ForecastItem::Vat(period.label()),
                        },
                    );
                }
            }
        }
        for a in adjustments {
            if let Parsed::OneOff(m, currency) = a {
                push(*currency, m.clone());
            }
        }
        for balance in &inputs.data.balances {
            per_currency
                .entry(balance.currency().code().to_owned())
                .or_insert_with(|| (balance.currency(), Vec::new()));
        }

        let mut currencies = Vec::with_capacity(per_currency.len());
        for (code, (currency, movements)) in per_currency {
            let start = match inputs.data.balances.iter().find(|b| b.currency() == currency) {
                Some(b) => minor(b)?,
                None => 0,
            };
            let noise = inputs.noise.get(&code).copied().unwrap_or(0);
            let projected = project(start, today, days, &movements, noise);
            let (in_minor, out_minor) = inputs.burn.get(&code).copied().unwrap_or_default();
            let burn = forecast::burn(in_minor, out_minor, 3);
            let (lowest, lowest_date) = match forecast::lowest(&projected) {
                Some((b, d)) if b < start => (b, d),
                _ => (start, today),
            };
            let money = |m: i64| Money::from_minor_units(m, currency);
            currencies.push(CurrencyForecast {
                currency,
                start: money(start)?,
                runway_days: forecast::runway_days(start, today, &projected),
                days: projected.into_iter().map(|d| day(d, currency)).collect::<Result<_, _>>()?,
                lowest: money(lowest)?,
                lowest_date,
                burn_rate: money(burn.burn_per_month_minor)?,
                break_even_inflow: money(burn.break_even_inflow_minor)?,
            });
        }
        Ok(Forecast {
            today,
            time_zone: time_zone.clone(),
            generated_at: self.ports.clock.now(),
            days,
            currencies,
            doubtful_receivables: doubtful,
        })
    }

    fn check_days(days: Option<u32>) -> Result<u32, ForecastError> {
        let days = days.unwrap_or(DEFAULT_DAYS);
        if !(1..=MAX_DAYS).contains(&days) {
            return Err(invalid("days", format!("days is from 1 to {MAX_DAYS}")));
        }
        Ok(days)
    }

    /// The forecast of the actor's organisation over `days` (default 90, 1 to 365). Viewers may
    /// read it.
    pub fn forecast(&self, actor: &Actor, days: Option<u32>) -> Result<Forecast, ForecastError> {
        if !actor.role.can(Permission::ReadData) {
            return Err(ForecastError::Forbidden);
        }
        let days = Self::check_days(days)?;
        self.forecast_of(actor.organisation_id, days)
    }

    fn forecast_of(&self, organisation: OrganisationId, days: u32) -> Result<Forecast, ForecastError> {
        let calendar = self.calendar(organisation)?;
        let today = self.ports.clock.today_in(&calendar.time_zone);
        let inputs = self.inputs(organisation, &calendar, today)?;
        self.project(&inputs, &calendar.time_zone, days, &[])
    }

    /// The forecast as it is and with `adjustments`; nothing is stored. Viewers may ask.
    pub fn scenario(
        &self,
        actor: &Actor,
        days: Option<u32>,
        adjustments: &[Adjustment],
    ) -> Result<Scenario, ForecastError> {
        if !actor.role.can(Permission::ReadData) {
            return Err(ForecastError::Forbidden);
        }
        let days = Self::check_days(days)?;
        let calendar = self.calendar(actor.organisation_id)?;
        let today = self.ports.clock.today_in(&calendar.time_zone);
        let inputs = self.inputs(actor.organisation_id, &calendar, today)?;
        let parsed = Self::parse_adjustments(&inputs, days, adjustments)?;
        Ok(Scenario {
            base: self.project(&inputs, &calendar.time_zone, days, &[])?,
            adjusted: self.project(&inputs, &calendar.time_zone, days, &parsed)?,
        })
    }

    /// The lowest projected balance per currency within `days` (1 to 365) of the organisation's
    /// today, for system jobs such as alerts (no actor: the caller is trusted).
    pub fn lowest_balance(&self, organisation: OrganisationId, days: u32) -> Result<Vec<LowestBalance>, ForecastError> {
        let days = Self::check_days(Some(days))?;
        Ok(self
            .forecast_of(organisation, days)?
            .currencies
            .into_iter()
            .map(|c| LowestBalance { balance: c.lowest, date: c.lowest_date })
            .collect())
    }

    /// The recurring series with their next dates (detected anew once a day). Viewers may read
    /// them.
    pub fn recurring(&self, actor: &Actor) -> Result<RecurringList, ForecastError> {
        if !actor.role.can(Permission::ReadData) {
            return Err(ForecastError::Forbidden);
        }
        let calendar = self.calendar(actor.organisation_id)?;
        let today = self.ports.clock.today_in(&calendar.time_zone);
        self.series(actor.organisation_id, today)?;
        let (detected_on, stored) = self.ports.forecast.recurring_series(actor.organisation_id)?;
        let year = today.saturating_add(Duration::days(365));
        Ok(RecurringList {
            detected_on,
            series: stored
                .into_iter()
                .map(|s| {
                    let mut next_dates = series_dates(&s.series, today.next_day().unwrap_or(today), year);
                    next_dates.truncate(5);
                    RecurringSeries { stored: s, next_dates }
                })
                .collect(),
        })
    }

    /// Confirms or dismisses a series (a dismissed series no longer feeds the forecast).
    /// Accountants and above may decide (the same permission as changing invoices).
    pub fn decide(&self, actor: &Actor, id: &str, status: SeriesStatus) -> Result<StoredSeries, ForecastError> {
        if !actor.role.can(Permission::WriteInvoices) {
            return Err(ForecastError::Forbidden);
        }
        if status == SeriesStatus::Detected {
            return Err(invalid("status", "a series is confirmed or dismissed"));
        }
        let now = self.ports.clock.now();
        let audit = crate::audit::entry(
            actor,
            AuditAction::RecurringSeriesDecided,
            AuditTarget::new("recurring_series", id),
            now,
            None,
            Some(json!({"status": status.code()})),
        );
        let stored =
            self.ports.forecast.decide_series(actor.organisation_id, id, status, actor.user_id, now, &audit).map_err(
                |e| match e {
                    RepositoryError::NotFound => ForecastError::NotFound,
                    e => e.into(),
                },
            )?;
        Ok(stored)
    }

    /// Every organisation's id, for `billify forecast-backtest` without `--org` (trusted caller).
    pub fn organisations(&self) -> Result<Vec<OrganisationId>, ForecastError> {
        let mut all = Vec::new();
        loop {
            let page = self.ports.accounts.organisation_ids(all.last().copied(), 500)?;
            if page.is_empty() {
                return Ok(all);
            }
            all.extend(page);
        }
    }

    /// The backtest of the actor's organisation. Viewers may read it.
    pub fn accuracy(&self, actor: &Actor) -> Result<Accuracy, ForecastError> {
        if !actor.role.can(Permission::ReadData) {
            return Err(ForecastError::Forbidden);
        }
        self.backtest(actor.organisation_id)
    }

    /// Replays the organisation's history: forecasts from one past day a week (the last at least
    /// 90 days ago) with only what was known on it (invoices issued and not yet paid, payments
    /// made, transactions booked, VAT of documents issued by then), and compares each with the
    /// balance at 7, 30, 60 and 90 days. Used by `billify forecast-backtest` (trusted caller).
    pub fn backtest(&self, organisation: OrganisationId) -> Result<Accuracy, ForecastError> {
        let calendar = self.calendar(organisation)?;
        let today = self.ports.clock.today_in(&calendar.time_zone);
        let horizon = i64::from(HORIZONS[HORIZONS.len() - 1]);
        let origins: Vec<Date> = (0..BACKTEST_ORIGINS).rev().map(|k| today - Duration::days(horizon + 7 * k)).collect();
        let first = origins[0];
        let occurrences =
            self.ports.forecast.flow_occurrences(organisation, first - Duration::days(SERIES_HISTORY_DAYS), today)?;
        let daily = self.ports.forecast.daily_net(organisation, first - Duration::days(BURN_DAYS), today)?;
        let now = self.ports.forecast.forecast_inputs(
            organisation,
            &ForecastQuery {
                as_of: today,
                current: true,
                delays_from: today,
                vat_periods: Vec::new(),
                read_delays: false,
            },
        )?;
        // Net movement per currency per day, to rebuild past balances from today's.
        let mut nets: BTreeMap<String, BTreeMap<Date, (i64, i64)>> = BTreeMap::new();
        for d in &daily {
            nets.entry(d.currency.code().to_owned()).or_default().insert(d.date, (d.in_minor, d.out_minor));
        }
        let mut samples: BTreeMap<String, (Currency, Vec<BacktestSample>)> = BTreeMap::new();
        for &origin in &origins {
            let known: Vec<FlowOccurrence> = occurrences
                .iter()
                .filter(|o| o.date <= origin && (origin - o.date).whole_days() < SERIES_HISTORY_DAYS)
                .cloned()
                .collect();
            let periods = vat_periods(&calendar, origin);
            let query = ForecastQuery {
                as_of: origin,
                current: false,
                delays_from: origin - Duration::days(DELAY_HISTORY_DAYS),
                vat_periods: periods.iter().map(|p| (p.start, p.end.min(origin))).collect(),
                read_delays: true,
            };
            let mut data = self.ports.forecast.forecast_inputs(organisation, &query)?;
            let mut balances = Vec::new();
            for b in &now.balances {
                let code = b.currency().code().to_owned();
                let later: i64 = nets
                    .get(&code)
                    .map(|n| n.range(origin.next_day().unwrap_or(origin)..).map(|(_, (i, o))| i + o).sum())
                    .unwrap_or(0);
                balances.push(Money::from_minor_units(minor(b)? - later, b.currency())?);
            }
            data.balances = balances;
            let burn_from = origin - Duration::days(BURN_DAYS - 1);
            let (burn, noise) = burn_and_noise(
                nets.iter()
                    .flat_map(|(code, n)| n.range(burn_from..=origin).map(move |(_, (i, o))| (code.as_str(), *i, *o))),
            );
            let series = detect_series(&known, origin);
            let inputs = Inputs { today: origin, data, vat_periods: periods, series, burn, noise };
            let projected = self.project(&inputs, &calendar.time_zone, HORIZONS[HORIZONS.len() - 1], &[])?;
            for c in projected.currencies {
                let code = c.currency.code().to_owned();
                let Some(now_balance) = now.balances.iter().find(|b| b.currency() == c.currency) else { continue };
                let now_minor = minor(now_balance)?;
                for h in HORIZONS {
                    let Some(day) = c.days.get(usize::try_from(h).unwrap_or(0).saturating_sub(1)) else { continue };
                    let later: i64 = nets
                        .get(&code)
                        .map(|n| n.range(day.date.next_day().unwrap_or(day.date)..).map(|(_, (i, o))| i + o).sum())
                        .unwrap_or(0);
                    samples.entry(code.clone()).or_insert_with(|| (c.currency, Vec::new())).1.push(BacktestSample {
                        horizon: h,
                        predicted_minor: minor(&day.balance)?,
                        low_minor: minor(&day.low)?,
                        high_minor: minor(&day.high)?,
                        actual_minor: now_minor - later,
                    });
                }
            }
        }
        Ok(Accuracy {
            today,
            origins,
            currencies: samples
                .into_values()
                .map(|(currency, s)| CurrencyAccuracy { currency, horizons: forecast::accuracy(&s, &HORIZONS) })
                .collect(),
        })
    }
}

fn day(d: ProjectedDay, currency: Currency) -> Result<ForecastDay, ForecastError> {
    let money = |m: i64| Money::from_minor_units(m, currency);
    Ok(ForecastDay {
        date: d.date,
        balance: money(d.balance_minor)?,
        low: money(d.low_minor)?,
        high: money(d.high_minor)?,
        net: money(d.net_minor)?,
        items: d.items,
    })
}

/// The forecast is what the projected-balance alert looks ahead with. `today` is the
/// organisation's local date, which the forecast works out itself from the same clock.
impl crate::alerts::BalanceOutlook for ForecastService {
    fn lowest_balance(
        &self,
        organisation: OrganisationId,
        _today: Date,
        days: u32,
    ) -> Result<Vec<(billify_domain::Currency, Date, billify_domain::Money)>, crate::alerts::OutlookError> {
        ForecastService::lowest_balance(self, organisation, days.clamp(1, 365))
            .map(|lowest| lowest.into_iter().map(|l| (l.balance.currency(), l.date, l.balance)).collect())
            .map_err(|e| crate::alerts::OutlookError(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use billify_domain::{VatDeadlineDay, VatPeriodicity};
    use time::macros::date;

    #[test]
    fn the_previous_vat_period_counts_until_its_deadline() {
        let calendar = OrganisationCalendar {
            time_zone: TimeZoneName::default_zone(),
            vat_periodicity: VatPeriodicity::Quarterly,
            vat_deadline_day: VatDeadlineDay::new(20).unwrap(),
        };
        let p = vat_periods(&calendar, date!(2026 - 01 - 10));
        assert_eq!(p.iter().map(|p| p.label()).collect::<Vec<_>>(), vec!["2025-Q4", "2026-Q1"]);
        assert_eq!(p[0].deadline, date!(2026 - 01 - 20));
        let p = vat_periods(&calendar, date!(2026 - 01 - 20));
        assert_eq!(p.iter().map(|p| p.label()).collect::<Vec<_>>(), vec!["2026-Q1"]);
    }
}
