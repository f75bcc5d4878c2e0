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

struct Figures {
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
    let today = state.invoices.clock().today();
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
    let mut figures = Figures {
        today,
        now,
        cash,
        receivable: Side::default(),
        payable: Side::default(),
        overdue: Sums::default(),
        due_this_week: Sums::default(),
        truncated: false,
    };
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

/// `GET /`.
pub(crate) async fn page(s: Signed) -> Result<HttpResponse, UiError> {
    let lang = s.lang;
    let state = s.state.clone();
    let actor = s.auth.actor;
    let f = billify_web::blocking(move || gather(&state, &actor)).await.map_err(|e| UiError::api(lang, e))?;
    Ok(layout::page(
        &s,
        lang.t("dash.title"),
        Nav::Dashboard,
        html! {
            div.page-head {
                h1 { (lang.t("dash.title")) }
                @if s.can(Permission::WriteInvoices) { a.button href="/upload" { (lang.t("upload.title")) } }
            }
            div.tiles {
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
            }
            div.grid2 #open {
                (side(lang, lang.t("dash.receivable"), &f.receivable, f.today, "/invoices?direction=receivable"))
                (side(lang, lang.t("dash.payable"), &f.payable, f.today, "/invoices?direction=payable"))
            }
            @if f.truncated { p.muted { (lang.t("dash.truncated")) } }
        },
    ))
}
