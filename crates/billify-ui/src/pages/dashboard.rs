//! The landing page after sign-in: what is in the bank per currency and how old each figure is,
//! what is owed to and by the organisation by urgency (red, orange, green, with words), what
//! is overdue and due this week, and the next receivables and payables.

use std::collections::BTreeMap;

use actix_web::HttpResponse;
use billify_domain::{Direction, Invoice, InvoiceStatus, Money, Permission, UrgencyLevel};
use billify_ports::InvoiceQuery;
use billify_web::problem::ApiError;
use maud::{Markup, html};
use time::{Date, OffsetDateTime};

use crate::error::UiError;
use crate::i18n::Lang;
use crate::layout::{self, Nav};
use crate::session::Signed;

/// The most open invoices the dashboard reads (in pages of 200).
const MAX_OPEN: usize = 5_000;

/// Sums per currency (by code), with a count.
#[derive(Default)]
struct Sums {
    count: usize,
    by_currency: BTreeMap<String, Money>,
}

impl Sums {
    fn add(&mut self, m: &Money) {
        self.count += 1;
        let code = m.currency().code().to_owned();
        let next = match self.by_currency.get(&code) {
            Some(sum) => sum.checked_add(m).unwrap_or_else(|_| sum.clone()),
            None => m.clone(),
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
    next: Vec<Invoice>,
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
}

/// How many days of balance the chart shows.
const HISTORY_DAYS: i64 = 90;

/// The most transactions read for the chart.
const MAX_HISTORY_TRANSACTIONS: usize = 50_000;

struct Figures {
    /// The VAT of the current period, from the cash-flow summary.
    vat: billify_app::cashflow::VatPosition,
    history: Option<History>,
    today: Date,
    now: OffsetDateTime,
    cash: BTreeMap<String, (Money, OffsetDateTime, usize)>,
    receivable: Side,
    payable: Side,
    overdue: Sums,
    due_this_week: Sums,
    truncated: bool,
}

fn gather(state: &billify_web::AppState, actor: &billify_app::Actor) -> Result<Figures, ApiError> {
    let today = state.invoices.today(actor)?;
    let now = state.invoices.clock().now();
    let mut cash: BTreeMap<String, (Money, OffsetDateTime, usize)> = BTreeMap::new();
    for stored in state.bank.accounts(actor)? {
        let balance = stored.account.current_balance();
        let code = balance.currency().code().to_owned();
        let entry = cash.entry(code).or_insert_with(|| (Money::zero(balance.currency()), stored.updated_at, 0));
        entry.0 = entry.0.checked_add(balance).unwrap_or_else(|_| entry.0.clone());
        // The age of a currency's figure is that of its oldest account.
        entry.1 = entry.1.min(stored.updated_at);
        entry.2 += 1;
    }
    let mut query = InvoiceQuery::all(today);
    query.statuses = vec![InvoiceStatus::Pending, InvoiceStatus::Overdue];
    query.limit = InvoiceQuery::MAX_LIMIT;
    let vat = state.cashflow.summary(actor, billify_app::cashflow::SummaryRequest::default())?.vat;
    let mut figures = Figures {
        vat,
        today,
        now,
        cash,
        receivable: Side::default(),
        payable: Side::default(),
        overdue: Sums::default(),
        due_this_week: Sums::default(),
        truncated: false,
        history: None,
    };
    figures.history = history(state, actor, today)?;
    let mut read = 0;
    loop {
        let page = state.invoices.list(actor, &query)?;
        for invoice in page.items {
            read += 1;
            let open = invoice.open_amount();
            let side = match invoice.direction() {
                Direction::Receivable => &mut figures.receivable,
                Direction::Payable => &mut figures.payable,
            };
            side.total.add(&open);
            match invoice.urgency(today).map(|u| u.level) {
                Some(UrgencyLevel::Overdue | UrgencyLevel::Critical) => side.urgent.add(&open),
                Some(UrgencyLevel::High | UrgencyLevel::Medium) => side.upcoming.add(&open),
                _ => side.safe.add(&open),
            }
            let days = (invoice.due_date() - today).whole_days();
            if days < 0 {
                figures.overdue.add(&open);
            } else if days <= 7 {
                figures.due_this_week.add(&open);
            }
            if side.next.len() < 5 && days >= 0 {
                side.next.push(invoice);
            }
        }
        match page.next {
            Some(next) if read < MAX_OPEN => query.after = Some(next),
            Some(_) => {
                figures.truncated = true;
                break;
            }
            None => break,
        }
    }
    Ok(figures)
}

/// The past [`HISTORY_DAYS`] of the main currency's balance (euro when there are euro accounts),
/// walked back from today's balance through the transactions, and this month's money in and out.
fn history(
    state: &billify_web::AppState,
    actor: &billify_app::Actor,
    today: Date,
) -> Result<Option<History>, ApiError> {
    let accounts = state.bank.accounts(actor)?;
    let Some(main) = accounts
        .iter()
        .map(|a| a.account.currency())
        .find(|c| c.code() == "EUR")
        .or_else(|| accounts.first().map(|a| a.account.currency()))
    else {
        return Ok(None);
    };
    let minor = |m: &Money| m.to_minor_units().map_err(|_| ApiError::Internal);
    let mut balance = 0i64;
    let ids: Vec<uuid::Uuid> = accounts.iter().filter(|a| a.account.currency() == main).map(|a| a.id).collect();
    for a in accounts.iter().filter(|a| a.account.currency() == main) {
        balance = balance.saturating_add(minor(a.account.current_balance())?);
    }
    let start = today - time::Duration::days(HISTORY_DAYS);
    let month_start = today.replace_day(1).unwrap_or(today);
    // Net movement per day after `start`, newest first as the bank pages come.
    let mut moved: BTreeMap<Date, i64> = BTreeMap::new();
    let (mut month_in, mut month_out) = (0i64, 0i64);
    let mut query = billify_ports::bank::BankTransactionQuery {
        account_id: None,
        from: Some(start),
        to: None,
        after: None,
        limit: 200,
    };
    let mut read = 0;
    loop {
        let page = state.bank.transactions(actor, &query)?;
        for t in &page.items {
            read += 1;
            if !ids.contains(&t.account_id) {
                continue;
            }
            let tx = &t.transaction;
            let amount = minor(tx.amount())?;
            *moved.entry(tx.execution_date()).or_default() += amount;
            if tx.execution_date() >= month_start {
                if amount > 0 { month_in += amount } else { month_out -= amount }
            }
        }
        match page.next {
            Some(next) if read < MAX_HISTORY_TRANSACTIONS => query.after = Some(next),
            _ => break,
        }
    }
    // Walk back: the balance at the end of a day is the next day's minus that day's movements.
    let mut days = Vec::new();
    let mut day = today;
    let mut at_end = balance;
    // Movements dated after today (value dates in the future) are already in the balance.
    at_end -= moved.range(today.next_day().unwrap_or(today)..).map(|(_, v)| *v).sum::<i64>();
    while day >= start {
        days.push((day, at_end));
        at_end -= moved.get(&day).copied().unwrap_or(0);
        match day.previous_day() {
            Some(d) => day = d,
            None => break,
        }
    }
    days.reverse();
    Ok(Some(History { currency: main.code().to_owned(), minor_digits: main.minor_digits(), days, month_in, month_out }))
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
    let data = serde_json::json!({
        "currency": h.currency, "digits": h.minor_digits, "locale": lang.locale(), "points": points,
        "label": lang.t("dash.balance"), "date_label": lang.t("bank.date"),
    });
    let weekly: Vec<&(Date, i64)> = h.days.iter().rev().step_by(7).collect();
    html! {
        section.card #balance {
            h2 { (lang.t("dash.balance_history")) }
            div.chart #balance-chart data-chart=(data.to_string()) role="img" aria-label=(lang.t("dash.balance_history")) {}
            details {
                summary { (lang.t("dash.as_table")) }
                table.invoices {
                    thead { tr { th scope="col" { (lang.t("bank.date")) } th scope="col" .num { (lang.t("dash.balance")) } } }
                    tbody {
                        @for (d, m) in weekly { tr { td { (lang.date(*d)) } td.num { (lang.amount(&plain(*m, h.minor_digits), &h.currency)) } } }
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

fn side(lang: Lang, title: &str, s: &Side, today: Date, list_link: &str) -> Markup {
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
                        a href=(format!("/invoices/{}", invoice.id())) { (invoice.counterparty().name()) }
                        " · " (lang.date(invoice.due_date())) " · " strong { (lang.money(&invoice.open_amount())) }
                        " " (crate::pages::invoices::badge(lang, invoice, today))
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
            // Live: the organisation's event stream (`/events`, htmx's SSE extension) refreshes
            // the figures and the open amounts when invoices, bank transactions, matches or
            // notifications change; app.js polls every `refresh` seconds only while the stream
            // is unavailable.
            div #live hx-ext="sse" sse-connect="/events" data-poll-seconds=(refresh) {
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
                    @for (balance, at, accounts) in f.cash.values() {
                        p.big { (lang.money(balance)) }
                        p.muted { (lang.tf("dash.accounts", &[("n", &accounts.to_string())])) " · " (age(lang, f.now, *at)) }
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
                (side(lang, lang.t("dash.receivable"), &f.receivable, f.today, "/invoices?direction=receivable"))
                (side(lang, lang.t("dash.payable"), &f.payable, f.today, "/invoices?direction=payable"))
            }
            @if f.truncated { p.muted { (lang.t("dash.truncated")) } }
            }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn minor_units_read_as_decimals() {
        assert_eq!(plain(123456, 2), "1234.56");
        assert_eq!(plain(-5, 2), "-0.05");
        assert_eq!(plain(0, 2), "0.00");
        assert_eq!(plain(-1200, 0), "-1200");
        assert_eq!(plain(i64::MIN, 2), "-92233720368547758.08");
    }
}
