//! Reconciliation: the suggestions waiting for a person (the transaction, the reason, each
//! candidate invoice with what it has open, accept one or reject all), the latest matches with
//! their explanation in words and an undo, and "match now".

use actix_web::{HttpResponse, web};
use billify_app::{MatchView, SuggestionView};
use billify_domain::{MatchExplanation, MatchRule, Money, Permission};
use billify_web::problem::ApiError;
use maud::{Markup, html};

use crate::error::UiError;
use crate::i18n::Lang;
use crate::layout::{self, Nav};
use crate::session::{FormData, Signed};

/// How many suggestions and matches the page shows.
const SHOWN: u32 = 50;

#[derive(serde::Deserialize)]
pub(crate) struct Notice {
    done: Option<String>,
}

fn rule_text(lang: Lang, rule: MatchRule) -> &'static str {
    lang.t(&format!("rec.rule.{}", rule.code()))
}

/// "Structured reference and amount, 100 % sure."
fn explanation(lang: Lang, e: &MatchExplanation) -> Markup {
    // A field the catalogue does not know yet is shown by its code rather than dropped.
    let fields: Vec<&str> = e
        .fields
        .iter()
        .map(|f| Some(lang.t(&format!("rec.field.{f}"))).filter(|t| !t.is_empty()).unwrap_or(f.as_str()))
        .collect();
    html! {
        span.badge.neutral { (rule_text(lang, e.rule)) }
        " " small.muted { (lang.tf("rec.because", &[("fields", &fields.join(", ")), ("score", &e.score.to_string())])) }
    }
}

fn signed(lang: Lang, m: &Money, credit: bool) -> Markup {
    html! { span class=(if credit { "credit" } else { "debit" }) { (if credit { "+ " } else { "" }) (lang.money(m)) } }
}

fn transaction_cell(lang: Lang, t: &billify_ports::reconciliation::TransactionBalance) -> Markup {
    let tx = &t.transaction.transaction;
    html! {
        strong { (tx.counterparty_name().unwrap_or("—")) } " · " (lang.date(tx.execution_date())) " · "
        (signed(lang, tx.amount(), tx.is_credit()))
        @if let Some(text) = tx.remittance_information().or(tx.description()) { br; small.muted { (text) } }
    }
}

fn suggestion_card(s: &Signed, v: &SuggestionView, write: bool) -> Markup {
    let lang = s.lang;
    let id = v.suggestion.id;
    html! {
        article.card.suggestion {
            p { (transaction_cell(lang, &v.transaction)) }
            // The stored reason is English text for the API; people read it in their language.
            p {
                span.badge.upcoming { span aria-hidden="true" { "? " } (rule_text(lang, v.suggestion.rule)) }
                " " (lang.tf("rec.candidates", &[("n", &v.invoices.len().to_string())]))
            }
            table.invoices {
                thead { tr {
                    th scope="col" { (lang.t("invoices.number")) }
                    th scope="col" { (lang.t("invoices.counterparty")) }
                    th scope="col" { (lang.t("invoices.due")) }
                    th scope="col" .num { (lang.t("rec.open")) }
                    @if write { th scope="col" { span.sr-only { (lang.t("rec.accept")) } } }
                } }
                tbody {
                    @for invoice in &v.invoices {
                        tr {
                            td data-label=(lang.t("invoices.number")) { a href=(format!("/invoices/{}", invoice.id())) { (invoice.invoice_number()) } }
                            td data-label=(lang.t("invoices.counterparty")) { (invoice.counterparty().name()) }
                            td data-label=(lang.t("invoices.due")) { (lang.date(invoice.due_date())) }
                            td.num data-label=(lang.t("rec.open")) { (lang.money(&invoice.open_amount())) }
                            @if write {
                                td {
                                    form method="post" action=(format!("/reconciliation/suggestions/{id}/accept")) {
                                        (layout::csrf(s))
                                        input type="hidden" name="invoice_id" value=(invoice.id().to_string());
                                        button.primary type="submit"
                                            aria-label=(format!("{} ({})", lang.t("rec.accept"), lang.tf("rec.accept_for", &[("number", &invoice.invoice_number().to_string())]))) {
                                            span aria-hidden="true" { "✓ " } (lang.t("rec.accept"))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if write {
                form method="post" action=(format!("/reconciliation/suggestions/{id}/reject")) {
                    (layout::csrf(s))
                    button type="submit" { span aria-hidden="true" { "✗ " } (lang.t("rec.reject")) }
                }
            }
        }
    }
}

fn matches_table(s: &Signed, matches: &[MatchView], write: bool) -> Markup {
    let lang = s.lang;
    html! {
        @if matches.is_empty() { p.muted { (lang.t("rec.no_matches")) } }
        @else {
            table.invoices #matches {
                thead { tr {
                    th scope="col" { (lang.t("rec.transaction")) }
                    th scope="col" { (lang.t("rec.invoice")) }
                    th scope="col" .num { (lang.t("bank.amount")) }
                    th scope="col" { (lang.t("rec.why")) }
                    @if write { th scope="col" { span.sr-only { (lang.t("rec.undo")) } } }
                } }
                tbody {
                    @for m in matches {
                        @let undone = m.stored.undone_at.is_some();
                        tr class=[undone.then_some("undone")] {
                            td data-label=(lang.t("rec.transaction")) {
                                @if let Some(t) = &m.transaction { (transaction_cell(lang, t)) } @else { "—" }
                            }
                            td data-label=(lang.t("rec.invoice")) {
                                @if let Some(invoice) = &m.invoice {
                                    a href=(format!("/invoices/{}", invoice.id())) { (invoice.invoice_number()) }
                                    br; small.muted { (invoice.counterparty().name()) }
                                } @else { "—" }
                            }
                            td.num data-label=(lang.t("bank.amount")) {
                                (lang.money(&m.stored.amount))
                                @if !m.stored.overpayment.is_zero() {
                                    br; small.warn-text { (lang.tf("rec.overpaid", &[("amount", &lang.money(&m.stored.overpayment))])) }
                                }
                            }
                            td data-label=(lang.t("rec.why")) {
                                (explanation(lang, &m.stored.explanation))
                                @if undone { br; span.badge.neutral { (lang.t("rec.undone")) } }
                            }
                            @if write {
                                td {
                                    @if !undone {
                                        form method="post" action=(format!("/reconciliation/matches/{}/undo", m.stored.id)) {
                                            (layout::csrf(s))
                                            button type="submit" { span aria-hidden="true" { "↶ " } (lang.t("rec.undo")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /reconciliation`.
pub(crate) async fn page(s: Signed, q: web::Query<Notice>) -> Result<HttpResponse, UiError> {
    let lang = s.lang;
    let state = s.state.clone();
    let actor = s.auth.actor;
    let (suggestions, matches) = billify_web::blocking(move || {
        let suggestions = state.reconciliation.suggestions(&actor, SHOWN)?;
        let matches = state.reconciliation.recent_matches(&actor, SHOWN)?;
        Ok((suggestions, matches))
    })
    .await
    .map_err(|e| UiError::api(lang, e))?;
    let write = s.can(Permission::WriteInvoices);
    let notice = q.done.as_deref().and_then(|d| match d {
        "accepted" | "rejected" | "undone" | "queued" | "running" => Some(lang.t(&format!("rec.done.{d}"))),
        _ => None,
    });
    Ok(layout::page(
        &s,
        lang.t("rec.title"),
        Nav::Reconciliation,
        html! {
            div.page-head {
                h1 { (lang.t("rec.title")) }
                @if write {
                    form method="post" action="/reconciliation/run" {
                        (layout::csrf(&s))
                        button.primary type="submit" { "↻ " (lang.t("rec.run")) }
                    }
                }
            }
            p.muted { (lang.t("rec.intro")) }
            @if let Some(text) = notice { p.notice role="status" { "✓ " (text) } }
            section #suggestions {
                h2 { (lang.tf("rec.suggestions", &[("n", &suggestions.len().to_string())])) }
                @if suggestions.is_empty() { p.muted { (lang.t("rec.no_suggestions")) } }
                @for v in &suggestions { (suggestion_card(&s, v, write)) }
            }
            section.card #recent {
                h2 { (lang.t("rec.matches")) }
                (matches_table(&s, &matches, write))
            }
        },
    ))
}

fn id_of(lang: Lang, text: &str) -> Result<uuid::Uuid, UiError> {
    uuid::Uuid::parse_str(text).map_err(|_| UiError::api(lang, ApiError::NotFound("reconciliation".into())))
}

/// `POST /reconciliation/run`: queues a run now.
pub(crate) async fn run(s: Signed, body: web::Bytes) -> Result<HttpResponse, UiError> {
    s.check_csrf(&FormData::parse(&body))?;
    let state = s.state.clone();
    let actor = s.auth.actor;
    let queued = billify_web::blocking(move || Ok(state.reconciliation.request_run(&actor)?))
        .await
        .map_err(|e| UiError::api(s.lang, e))?;
    Ok(layout::see_other(if queued { "/reconciliation?done=queued" } else { "/reconciliation?done=running" }))
}

/// `POST /reconciliation/suggestions/{id}/accept` with the chosen `invoice_id`.
pub(crate) async fn accept(s: Signed, path: web::Path<String>, body: web::Bytes) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    s.check_csrf(&form)?;
    let lang = s.lang;
    let id = id_of(lang, &path)?;
    let chosen = uuid::Uuid::parse_str(form.text("invoice_id").trim())
        .map(billify_domain::InvoiceId::from_uuid)
        .map_err(|_| UiError::api(lang, ApiError::field("invoice_id", lang.t("rec.choose"))))?;
    let state = s.state.clone();
    let actor = s.auth.actor;
    billify_web::blocking(move || Ok(state.reconciliation.accept(&actor, id, &[chosen])?))
        .await
        .map_err(|e| UiError::api(lang, e))?;
    Ok(layout::see_other("/reconciliation?done=accepted"))
}

/// `POST /reconciliation/suggestions/{id}/reject`.
pub(crate) async fn reject(s: Signed, path: web::Path<String>, body: web::Bytes) -> Result<HttpResponse, UiError> {
    s.check_csrf(&FormData::parse(&body))?;
    let id = id_of(s.lang, &path)?;
    let state = s.state.clone();
    let actor = s.auth.actor;
    billify_web::blocking(move || Ok(state.reconciliation.reject(&actor, id)?))
        .await
        .map_err(|e| UiError::api(s.lang, e))?;
    Ok(layout::see_other("/reconciliation?done=rejected"))
}

/// `POST /reconciliation/matches/{id}/undo`.
pub(crate) async fn undo(s: Signed, path: web::Path<String>, body: web::Bytes) -> Result<HttpResponse, UiError> {
    s.check_csrf(&FormData::parse(&body))?;
    let id = id_of(s.lang, &path)?;
    let state = s.state.clone();
    let actor = s.auth.actor;
    billify_web::blocking(move || Ok(state.reconciliation.undo(&actor, id)?))
        .await
        .map_err(|e| UiError::api(s.lang, e))?;
    Ok(layout::see_other("/reconciliation?done=undone"))
}
