//! The landing page after sign-in: what is in the bank per currency and how old each figure is,
//! what is owed to and by the organisation by urgency (red, orange, green, with words), what
//! is overdue and due this week, and the next receivables and payables.
//!
//! Every figure comes from one call to the cash-flow summary (`CashflowService::summary`, the
//! use case behind `GET /api/v1/cashflow/summary`), whose sums run in SQL: the page costs the
//! same with fifty open invoices or fifty thousand.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock, Mutex};

use actix_web::HttpResponse;
use billify_app::cashflow::{CashflowSummary, OpenSide, SummaryRequest, UpcomingInvoice};
use billify_app::forecast::Accuracy;
use billify_domain::{Interval, Money, Permission, UrgencyLevel};
use billify_ports::bank::BankTransactionQuery;
use billify_web::problem::ApiError;
use maud::{Markup, html};
use time::{Date, OffsetDateTime};

use crate::error::UiError;
use crate::i18n::Lang;
use crate::layout::{self, Nav};
use crate::session::Signed;

/// Sums per currency (by code), with a count.
#[derive(Default)]
struct Sums {
    count: u64,
    by_currency: BTreeMap<String, Money>,
}

impl Sums {
    /// Adds `count` items worth `m` (shown unsigned: the tile says which way the money goes).
    fn add(&mut self, count: u64, m: &Money) {
        if count == 0 {
            return;
        }
        self.count += count;
        let m = if m.is_negative() { m.negated() } else { m.clone() };
        let code = m.currency().code().to_owned();
        let next = match self.by_currency.get(&code) {
            Some(sum) => sum.checked_add(&m).unwrap_or_else(|_| sum.clone()),
            None => m,
        };
        self.by_currency.insert(code, next);
    }

    fn render(&self, lang: Lang) -> Markup {
        html! {
            @if self.by_currency.is_empty() { span.amount { (lang.amount("0.00", "EUR")) } }
            @for m in self.by_currency.values() { span.amount { (lang.money(m)) } }
        }
    }
}

/// Open amounts of one direction, by urgency band.
#[derive(Default)]
struct Side {
    urgent: Sums,
    upcoming: Sums,
    safe: Sums,
    total: Sums,
    next: Vec<UpcomingInvoice>,
}

impl Side {
    fn from_summary(open: &OpenSide, overdue: &mut Sums, due_this_week: &mut Sums) -> Side {
        let mut side = Side { next: open.upcoming.clone(), ..Side::default() };
        for totals in &open.totals {
            side.total.add(totals.count, &totals.total);
            overdue.add(totals.overdue_count, &totals.overdue);
            for u in &totals.by_urgency {
                match u.level {
                    UrgencyLevel::Overdue | UrgencyLevel::Critical => side.urgent.add(u.count, &u.amount),
                    UrgencyLevel::High | UrgencyLevel::Medium => side.upcoming.add(u.count, &u.amount),
                    UrgencyLevel::Low => side.safe.add(u.count, &u.amount),
                }
                // Critical is due within the next seven days.
                if u.level == UrgencyLevel::Critical {
                    due_this_week.add(u.count, &u.amount);
                }
            }
        }
        side
    }
}

/// The balance of one currency over the past days, as integer minor units per day.
struct History {
    currency: String,
    minor_digits: u8,
    /// (day, balance at the end of the day in minor units), oldest first.
    days: Vec<(Date, i64)>,
    /// Money in and out since the first of the month, in minor units.
    month_in: i64,
    month_out: i64,
    /// The forecast of the same currency (`ForecastService`): (day, balance, low, high) in minor
    /// units, from tomorrow on.
    forecast: Vec<(Date, i64, i64, i64)>,
}

/// How many days of forecast the chart shows.
const FORECAST_DAYS: u32 = 90;

/// How many days of balance the chart shows.
const HISTORY_DAYS: i64 = 90;

/// The cash of one currency: the sum, the oldest balance's time, how many accounts, and
/// whether any of them is stale.
struct Cash {
    total: Money,
    oldest: Option<OffsetDateTime>,
    accounts: usize,
    stale: bool,
}

struct Figures {
    /// The VAT of the current period, from the cash-flow summary.
    vat: billify_app::cashflow::VatPosition,
    history: Option<History>,
    now: OffsetDateTime,
    cash: Vec<Cash>,
    receivable: Side,
    payable: Side,
    overdue: Sums,
    due_this_week: Sums,
}

fn gather(state: &billify_web::AppState, actor: &billify_app::Actor) -> Result<Figures, ApiError> {
    let today = state.invoices.today(actor)?;
    let from = today.checked_sub(time::Duration::days(HISTORY_DAYS)).unwrap_or(today);
    let request = SummaryRequest { from: Some(from), to: Some(today), interval: Some(Interval::Day), upcoming: None };
    let summary = state.cashflow.summary(actor, request)?;
    let cash = summary
        .cash
        .totals
        .iter()
        .map(|total| {
            let accounts: Vec<_> =
                summary.cash.accounts.iter().filter(|a| a.balance.currency() == total.currency()).collect();
            Cash {
                total: total.clone(),
                oldest: accounts.iter().filter_map(|a| a.synchronized_at).min(),
                accounts: accounts.len(),
                stale: accounts.iter().any(|a| a.stale),
            }
        })
        .collect();
    let (mut overdue, mut due_this_week) = (Sums::default(), Sums::default());
    let receivable = Side::from_summary(&summary.receivables, &mut overdue, &mut due_this_week);
    let payable = Side::from_summary(&summary.payables, &mut overdue, &mut due_this_week);
    Ok(Figures {
        history: with_forecast(state, actor, history(&summary)?)?,
        vat: summary.vat,
        now: summary.generated_at,
        cash,
        receivable,
        payable,
        overdue,
        due_this_week,
    })
}

/// Adds the forecast of the history's currency (`ForecastService`, the use case behind
/// `GET /api/v1/cashflow/forecast`), day by day with its band.
fn with_forecast(
    state: &billify_web::AppState,
    actor: &billify_app::Actor,
    history: Option<History>,
) -> Result<Option<History>, ApiError> {
    let Some(mut h) = history else { return Ok(None) };
    let minor = |m: &Money| m.to_minor_units().map_err(|_| ApiError::Internal);
    let projected = state.forecast.forecast(actor, Some(FORECAST_DAYS))?;
    if let Some(c) = projected.currencies.into_iter().find(|c| c.currency.code() == h.currency) {
        for d in c.days {
            h.forecast.push((d.date, minor(&d.balance)?, minor(&d.low)?, minor(&d.high)?));
        }
    }
    Ok(Some(h))
}

/// The past [`HISTORY_DAYS`] of the main currency's balance (euro when there is euro cash),
/// walked back from today's balance through each day's money in and out, and this month's
/// money in and out.
fn history(summary: &CashflowSummary) -> Result<Option<History>, ApiError> {
    let totals = &summary.cash.totals;
    let Some(balance) = totals.iter().find(|m| m.currency().code() == "EUR").or_else(|| totals.first()) else {
        return Ok(None);
    };
    let currency = balance.currency();
    let minor = |m: &Money| m.to_minor_units().map_err(|_| ApiError::Internal);
    let today = summary.today;
    let month_start = today.replace_day(1).unwrap_or(today);
    let periods = summary.flows.currencies.iter().find(|c| c.currency == currency).map(|c| c.periods.as_slice());
    let mut moved: BTreeMap<Date, i64> = BTreeMap::new();
    let (mut month_in, mut month_out) = (0i64, 0i64);
    for p in periods.unwrap_or_default() {
        moved.insert(p.start, minor(&p.net)?);
        if p.start >= month_start {
            month_in = month_in.saturating_add(minor(&p.money_in)?);
            month_out = month_out.saturating_sub(minor(&p.money_out)?);
        }
    }
    // Walk back: the balance at the end of a day is the next day's minus that day's movements.
    let mut days = Vec::new();
    let mut day = today;
    let mut at_end = minor(balance)?;
    while day >= summary.flows.from {
        days.push((day, at_end));
        at_end = at_end.saturating_sub(moved.get(&day).copied().unwrap_or(0));
        match day.previous_day() {
            Some(d) => day = d,
            None => break,
        }
    }
    days.reverse();
    Ok(Some(History {
        currency: currency.code().to_owned(),
        minor_digits: currency.minor_digits(),
        days,
        month_in,
        month_out,
        forecast: Vec::new(),
    }))
}

/// A minor-unit amount as plain decimal text.
fn plain(minor: i64, digits: u8) -> String {
    let scale = 10i64.pow(u32::from(digits));
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    if digits == 0 {
        return format!("{sign}{abs}");
    }
    let scale = scale.unsigned_abs();
    format!("{sign}{}.{:0width$}", abs / scale, abs % scale, width = usize::from(digits))
}

fn chart(lang: Lang, h: &History) -> Markup {
    let points: Vec<serde_json::Value> =
        h.days.iter().map(|(d, m)| serde_json::json!([d.midnight().assume_utc().unix_timestamp(), m])).collect();
    let ts = |d: &Date| d.midnight().assume_utc().unix_timestamp();
    let forecast: Vec<serde_json::Value> =
        h.forecast.iter().map(|(d, b, lo, hi)| serde_json::json!([ts(d), b, lo, hi])).collect();
    let data = serde_json::json!({
        "currency": h.currency, "digits": h.minor_digits, "locale": lang.locale(), "points": points,
        "forecast": forecast,
        "label": lang.t("dash.balance"), "date_label": lang.t("bank.date"),
        "forecast_label": lang.t("dash.forecast"), "low_label": lang.t("dash.forecast_low"),
        "high_label": lang.t("dash.forecast_high"),
    });
    let weekly: Vec<&(Date, i64)> = h.days.iter().rev().step_by(7).collect();
    let weekly_forecast: Vec<&(Date, i64, i64, i64)> = h.forecast.iter().skip(6).step_by(7).collect();
    html! {
        section.card #balance {
            h2 { (lang.t("dash.balance_history")) }
            div.chart #balance-chart data-chart=(data.to_string()) role="img" aria-label=(lang.t("dash.balance_history")) {}
            // How wrong the forecast usually is: the backtest replays a year of history, so it is
            // fetched after the page has shown (and kept an hour), not while it is drawn.
            div #accuracy hx-get="/forecast/accuracy" hx-trigger="load" hx-target="this" hx-swap="outerHTML" {
                p.muted { a href="/forecast/accuracy" { (lang.t("accuracy.loading")) } }
            }
            details {
                summary { (lang.t("dash.as_table")) }
                table.invoices {
                    thead { tr { th scope="col" { (lang.t("bank.date")) } th scope="col" .num { (lang.t("dash.balance")) } } }
                    tbody {
                        @for (d, m) in weekly { tr { td { (lang.date(*d)) } td.num { (lang.amount(&plain(*m, h.minor_digits), &h.currency)) } } }
                    }
                }
                @if !weekly_forecast.is_empty() {
                    table.invoices #forecast-table {
                        thead { tr {
                            th scope="col" { (lang.t("bank.date")) }
                            th scope="col" .num { (lang.t("dash.forecast")) }
                            th scope="col" .num { (lang.t("dash.forecast_low")) }
                            th scope="col" .num { (lang.t("dash.forecast_high")) }
                        } }
                        tbody {
                            @for (d, b, lo, hi) in weekly_forecast { tr {
                                td { (lang.date(*d)) }
                                td.num { (lang.amount(&plain(*b, h.minor_digits), &h.currency)) }
                                td.num { (lang.amount(&plain(*lo, h.minor_digits), &h.currency)) }
                                td.num { (lang.amount(&plain(*hi, h.minor_digits), &h.currency)) }
                            } }
                        }
                    }
                }
            }
        }
    }
}

fn age(lang: Lang, now: OffsetDateTime, at: OffsetDateTime) -> String {
    let minutes = (now - at).whole_minutes().max(0);
    let (n, key) = if minutes < 60 {
        (minutes, "age.minutes")
    } else if minutes < 48 * 60 {
        (minutes / 60, "age.hours")
    } else {
        (minutes / (24 * 60), "age.days")
    };
    lang.tf(key, &[("n", &n.to_string())])
}

fn band(lang: Lang, class: &str, icon: &str, key: &str, sums: &Sums) -> Markup {
    html! {
        li class=(format!("band {class}")) {
            span.icon aria-hidden="true" { (icon) }
            span.label { (lang.t(key)) " (" (sums.count) ")" }
            span.value { (sums.render(lang)) }
        }
    }
}

fn side(lang: Lang, title: &str, s: &Side, list_link: &str) -> Markup {
    html! {
        section.card {
            h2 { (title) }
            p.big { (s.total.render(lang)) }
            ul.bands {
                (band(lang, "urgent", "!", "dash.urgent", &s.urgent))
                (band(lang, "upcoming", "◷", "dash.upcoming", &s.upcoming))
                (band(lang, "safe", "✓", "dash.safe", &s.safe))
            }
            h3 { (lang.t("dash.next")) }
            @if s.next.is_empty() { p.muted { (lang.t("dash.nothing_due")) } }
            ul.next {
                @for invoice in &s.next {
                    li {
                        a href=(format!("/invoices/{}", invoice.id)) { (invoice.counterparty_name) }
                        " · " (lang.date(invoice.due_date)) " · "
                        strong { (lang.money(&if invoice.open.is_negative() { invoice.open.negated() } else { invoice.open.clone() })) }
                        " " (layout::urgency_badge(lang, Some(invoice.urgency), false, false))
                    }
                }
            }
            p { a href=(list_link) { (lang.t("dash.see_all")) } }
        }
    }
}

/// What refreshes the live figures: the stream's events that change them (a burst of events
/// makes one request), a `reset` after a gap, or app.js's `billify:poll` while the stream is down.
const LIVE_TRIGGERS: &str = "sse:forecast.changed delay:300ms, sse:sync.finished delay:300ms, \
     sse:notification.created delay:300ms, sse:reset, billify:poll";

/// `GET /`.
pub(crate) async fn page(
    s: Signed,
    settings: Option<actix_web::web::Data<crate::UiSettings>>,
) -> Result<HttpResponse, UiError> {
    let refresh = settings.map(|d| d.refresh_seconds).unwrap_or(crate::UiSettings::default().refresh_seconds);
    let lang = s.lang;
    let state = s.state.clone();
    let actor = s.auth.actor;
    let f = billify_web::blocking(move || gather(&state, &actor)).await.map_err(|e| UiError::api(lang, e))?;
    Ok(layout::page(
        &s,
        lang.t("dash.title"),
        Nav::Dashboard,
        html! {
            // Live: the organisation's event stream (`/events`, htmx's SSE extension, opened by
            // the page's body) refreshes the figures and the open amounts when invoices, bank
            // transactions, matches or notifications change; app.js polls every `refresh`
            // seconds only while the stream is unavailable.
            div #live data-poll-seconds=(refresh) {
            div.page-head {
                h1 { (lang.t("dash.title")) }
                @if s.can(Permission::WriteInvoices) { a.button href="/upload" { (lang.t("upload.title")) } }
            }
            // htmx fetches the page and swaps this block and the open amounts.
            div.tiles #live-figures hx-get="/" hx-select="#live-figures" hx-select-oob="#open" hx-target="this" hx-swap="outerHTML"
                hx-trigger=(LIVE_TRIGGERS) {
                section.card.tile #cash {
                    h2 { (lang.t("dash.cash")) }
                    @if f.cash.is_empty() {
                        p.muted { (lang.t("dash.no_bank")) }
                    }
                    @for c in &f.cash {
                        p.big { (lang.money(&c.total)) }
                        p.muted {
                            (lang.tf("dash.accounts", &[("n", &c.accounts.to_string())]))
                            @if let Some(at) = c.oldest { " · " (age(lang, f.now, at)) }
                            @if c.stale { " · " strong.stale { (lang.t("dash.stale")) } }
                        }
                    }
                }
                section.card.tile.urgent-tile #overdue {
                    h2 { span aria-hidden="true" { "! " } (lang.t("dash.overdue")) }
                    p.big { (f.overdue.render(lang)) }
                    p.muted { (lang.tf("dash.invoices_count", &[("n", &f.overdue.count.to_string())])) }
                }
                section.card.tile.urgent-tile #week {
                    h2 { span aria-hidden="true" { "! " } (lang.t("dash.this_week")) }
                    p.big { (f.due_this_week.render(lang)) }
                    p.muted { (lang.tf("dash.invoices_count", &[("n", &f.due_this_week.count.to_string())])) }
                }
                section.card.tile #vat {
                    h2 { (lang.t("dash.vat")) }
                    @if f.vat.currencies.is_empty() {
                        p.big { (lang.t("dash.vat_none")) }
                    }
                    @for c in &f.vat.currencies {
                        p.big { (lang.money(&c.balance)) }
                    }
                    p.muted {
                        (lang.tf("dash.vat_deadline", &[
                            ("date", &lang.date(f.vat.period.deadline)),
                            ("days", &f.vat.days_until_deadline.to_string()),
                        ]))
                    }
                }
                @if let Some(h) = &f.history {
                section.card.tile #month {
                    h2 { (lang.t("dash.this_month")) }
                    p { span.muted { (lang.t("dash.money_in")) } " " strong.in { "+ " (lang.amount(&plain(h.month_in, h.minor_digits), &h.currency)) } }
                    p { span.muted { (lang.t("dash.money_out")) } " " strong.out { "− " (lang.amount(&plain(h.month_out, h.minor_digits), &h.currency)) } }
                }
                }
            }
            @if let Some(h) = &f.history {
                (chart(lang, h))
                link rel="stylesheet" href=(crate::assets::url("uPlot.min.css"));
                script src=(crate::assets::url("uPlot.iife.min.js")) defer {}
                script src=(crate::assets::url("chart.js")) defer {}
            }
            div.grid2 #open {
                (side(lang, lang.t("dash.receivable"), &f.receivable, "/invoices?direction=receivable"))
                (side(lang, lang.t("dash.payable"), &f.payable, "/invoices?direction=payable"))
            }
            }
        },
    ))
}

/// How long a backtest's figures are kept before they are measured again (they move with the
/// history, a day at a time).
const ACCURACY_KEPT: std::time::Duration = std::time::Duration::from_secs(3600);

/// The forecast's accuracy of an organisation, with whether its bank history reaches back to
/// the backtest's first day, and when it was measured.
type Measured = (std::time::Instant, Arc<(Accuracy, bool)>);

static ACCURACY_CACHE: LazyLock<Mutex<HashMap<billify_domain::OrganisationId, Measured>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// The backtest (`ForecastService::accuracy`, behind `GET /api/v1/cashflow/forecast/accuracy`)
/// and whether the organisation's bank history covers it: before its first transaction there
/// is nothing to be wrong about, and a replay over empty months would look perfect.
fn measure(state: &billify_web::AppState, actor: &billify_app::Actor) -> Result<Arc<(Accuracy, bool)>, ApiError> {
    let org = actor.organisation_id;
    if let Ok(cache) = ACCURACY_CACHE.lock()
        && let Some((at, kept)) = cache.get(&org)
        && at.elapsed() < ACCURACY_KEPT
    {
        return Ok(kept.clone());
    }
    let accuracy = state.forecast.accuracy(actor)?;
    let covered = match accuracy.origins.first() {
        Some(first) => {
            let query = BankTransactionQuery {
                account_id: None,
                from: None,
                to: Some(*first),
                after: None,
                limit: 1,
                text: None,
            };
            !state.bank.transactions(actor, &query)?.items.is_empty()
        }
        None => false,
    };
    let measured = Arc::new((accuracy, covered));
    if let Ok(mut cache) = ACCURACY_CACHE.lock() {
        if cache.len() > 10_000 {
            cache.clear();
        }
        cache.insert(org, (std::time::Instant::now(), measured.clone()));
    }
    Ok(measured)
}

/// The horizon the dashboard's sentence is about.
const ACCURACY_HORIZON: u32 = 30;

/// A percentage in basis points as the locale writes it, one decimal (`8.1`, `8,1`).
pub(super) fn percent(lang: Lang, basis_points: i64) -> String {
    let tenths = (basis_points.saturating_abs() + 5) / 10;
    lang.decimal(&format!("{}.{}", tenths / 10, tenths % 10))
}

/// The accuracy beside the chart: "usually within ±X % at 30 days" (green up to 10 %, orange up
/// to 25 %, red beyond), the figures per horizon, or that there is not enough history yet.
fn accuracy_block(lang: Lang, accuracy: &Accuracy, covered: bool, currency: Option<&str>) -> Markup {
    let chosen = accuracy
        .currencies
        .iter()
        .find(|c| Some(c.currency.code()) == currency)
        .or_else(|| accuracy.currencies.first());
    let at = |h: u32| chosen.and_then(|c| c.horizons.iter().find(|x| x.horizon == h));
    let headline = at(ACCURACY_HORIZON).filter(|h| h.samples > 0).and_then(|h| h.mape_basis_points);
    html! {
        div #accuracy {
            @match (covered, headline, chosen) {
                (true, Some(bp), Some(c)) => {
                    @let (class, icon) = if bp <= 1000 { ("safe", "✓") } else if bp <= 2500 { ("upcoming", "◷") } else { ("urgent", "!") };
                    p.accuracy data-mape=(bp) {
                        span class=(format!("badge {class}")) { span.icon aria-hidden="true" { (icon) } " "
                            (lang.tf("accuracy.within", &[("pct", &percent(lang, bp)), ("days", &ACCURACY_HORIZON.to_string())])) }
                        " " span.muted { (lang.tf("accuracy.measured", &[("n", &accuracy.origins.len().to_string())])) }
                    }
                    details {
                        summary { (lang.t("accuracy.details")) }
                        table.invoices #accuracy-table {
                            thead { tr {
                                th scope="col" { (lang.t("accuracy.horizon")) }
                                th scope="col" .num { (lang.t("accuracy.mape")) }
                                th scope="col" .num { (lang.t("accuracy.mean_error")) }
                                th scope="col" .num { (lang.t("accuracy.in_band")) }
                            } }
                            tbody {
                                @for h in &c.horizons {
                                    tr {
                                        td { (lang.tf("accuracy.days", &[("n", &h.horizon.to_string())])) }
                                        td.num { @match h.mape_basis_points { Some(bp) => { "±" (percent(lang, bp)) " %" }, None => "–" } }
                                        td.num { (lang.amount(&plain(h.mean_absolute_error_minor, c.currency.minor_digits()), c.currency.code())) }
                                        td.num { (lang.tf("accuracy.of", &[("n", &h.inside_band.to_string()), ("m", &h.samples.to_string())])) }
                                    }
                                }
                            }
                        }
                    }
                }
                _ => {
                    p.accuracy.none { span.badge.neutral { span.icon aria-hidden="true" { "·" } " " (lang.t("accuracy.not_enough")) } }
                    p.muted { (lang.t("accuracy.not_enough_help")) }
                }
            }
        }
    }
}

/// `GET /forecast/accuracy`: the accuracy block alone for htmx (the dashboard fetches it once
/// shown), a page of its own otherwise.
pub(crate) async fn accuracy(s: Signed, req: actix_web::HttpRequest) -> Result<HttpResponse, UiError> {
    let lang = s.lang;
    let state = s.state.clone();
    let actor = s.auth.actor;
    let (measured, currency) = billify_web::blocking(move || {
        let measured = measure(&state, &actor)?;
        // The chart's currency: euro when there is euro cash, else the first.
        let balances = state.bank.accounts(&actor)?;
        let codes: Vec<String> =
            balances.iter().map(|a| a.account.current_balance().currency().code().to_owned()).collect();
        let currency = codes.iter().find(|c| *c == "EUR").or(codes.first()).cloned();
        Ok((measured, currency))
    })
    .await
    .map_err(|e| UiError::api(lang, e))?;
    let block = accuracy_block(lang, &measured.0, measured.1, currency.as_deref());
    if req.headers().contains_key("hx-request") {
        return Ok(layout::respond(block));
    }
    Ok(layout::page(
        &s,
        lang.t("accuracy.title"),
        Nav::Dashboard,
        html! {
            p.crumbs { a href="/" { "← " (lang.t("dash.title")) } }
            h1 { (lang.t("accuracy.title")) }
            section.card { (block) }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn accuracy_reads_as_a_sentence_or_says_there_is_too_little_history() {
        use super::{Accuracy, Lang, accuracy_block};
        use billify_app::forecast::CurrencyAccuracy;
        use billify_domain::Currency;
        use billify_domain::forecast::HorizonAccuracy;
        let h = |horizon, mape| HorizonAccuracy {
            horizon,
            samples: 40,
            mape_basis_points: Some(mape),
            mean_absolute_error_minor: 1_401_757,
            inside_band: 16,
        };
        let today = time::macros::date!(2026 - 12 - 06);
        let accuracy = Accuracy {
            today,
            origins: vec![today; 40],
            currencies: vec![CurrencyAccuracy {
                currency: Currency::EUR,
                horizons: vec![h(7, 201), h(30, 812), h(60, 920), h(90, 698)],
            }],
        };
        let nl = accuracy_block(Lang::Nl, &accuracy, true, Some("EUR")).into_string();
        assert!(nl.contains("±8,1") && nl.contains("badge safe") && nl.contains("14.017,57"), "{nl}");
        let short = accuracy_block(Lang::En, &accuracy, false, Some("EUR")).into_string();
        assert!(short.contains(Lang::En.t("accuracy.not_enough")) && !short.contains("±"), "{short}");
        let empty = Accuracy { currencies: Vec::new(), ..accuracy };
        assert!(accuracy_block(Lang::Fr, &empty, true, None).into_string().contains(Lang::Fr.t("accuracy.not_enough")));
    }

    #[test]
    fn minor_units_read_as_decimals() {
        assert_eq!(plain(123456, 2), "1234.56");
        assert_eq!(plain(-5, 2), "-0.05");
        assert_eq!(plain(0, 2), "0.00");
        assert_eq!(plain(-1200, 0), "-1200");
        assert_eq!(plain(i64::MIN, 2), "-92233720368547758.08");
    }
}
