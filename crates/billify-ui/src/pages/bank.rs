//! The bank: accounts and balances with their age, the Ponto link in plain words (consent
//! expiry, last error, sync history) with "connect" and "sync now", statement import, and the
//! latest transactions with a search. The books' link (Yuki) is on the integrations page.

use actix_multipart::Multipart;
use actix_web::{HttpRequest, HttpResponse, web};
use billify_domain::Permission;
use billify_ports::bank::BankTransactionQuery;
use billify_ports::integrations::{Integration, IntegrationStatus, SyncOutcome, SyncRun};
use billify_web::problem::ApiError;
use maud::{Markup, html};
use time::OffsetDateTime;

use crate::error::UiError;
use crate::i18n::Lang;
use crate::layout::{self, Nav};
use crate::session::{FormData, Signed};

/// The largest statement file accepted (as the API).
const STATEMENT_LIMIT: usize = 20 * 1024 * 1024;

/// How many transactions are shown (the newest, or the newest that match the search).
const SHOWN: u32 = 100;

#[derive(serde::Deserialize)]
pub(crate) struct BankQuery {
    q: Option<String>,
    imported: Option<u32>,
    updated: Option<u32>,
    queued: Option<bool>,
}

pub(crate) fn when(lang: Lang, t: OffsetDateTime) -> String {
    let hm = format!("{:02}:{:02}", t.hour(), t.minute());
    format!("{} {hm} UTC", lang.date(t.date()))
}

pub(crate) fn status_line(lang: Lang, i: &Integration, now: OffsetDateTime) -> Markup {
    let (class, icon, key) = match i.status {
        IntegrationStatus::Connected => ("safe", "✓", "bank.status.connected"),
        IntegrationStatus::Syncing => ("upcoming", "↻", "bank.status.syncing"),
        IntegrationStatus::Pending => ("upcoming", "◷", "bank.status.pending"),
        IntegrationStatus::NeedsReconsent => ("urgent", "!", "bank.status.needs_reconsent"),
        IntegrationStatus::Failing => ("urgent", "!", "bank.status.failing"),
        IntegrationStatus::Disconnected => ("neutral", "·", "bank.status.disconnected"),
    };
    html! {
        p { span class=(format!("badge {class}")) { span.icon aria-hidden="true" { (icon) } " " (lang.t(key)) } }
        ul.plain {
            @if let Some(at) = i.last_success_at { li { (lang.tf("bank.last_success", &[("when", &when(lang, at))])) } }
            @else { li { (lang.t("bank.never_synced")) } }
            @if let Some(expires) = i.consent_expires_at {
                @let days = (expires - now).whole_days();
                li class=[(days < 14).then_some("warn-text")] {
                    (lang.tf("bank.consent_expires", &[("date", &lang.date(expires.date())), ("days", &days.max(0).to_string())]))
                }
            }
            @if let Some(error) = &i.last_error { li.error { (lang.tf("bank.last_error", &[("error", error)])) } }
            @if let Some(next) = i.next_sync_at { li { (lang.tf("bank.next_sync", &[("when", &when(lang, next))])) } }
        }
    }
}

fn runs_table(lang: Lang, runs: &[SyncRun]) -> Markup {
    html! {
        @if runs.is_empty() { p.muted { (lang.t("bank.no_runs")) } }
        @else {
            table.invoices {
                caption { (lang.t("bank.history")) }
                thead { tr {
                    th scope="col" { (lang.t("bank.run_started")) }
                    th scope="col" { (lang.t("bank.run_outcome")) }
                    th scope="col" .num { (lang.t("bank.run_new")) }
                } }
                tbody {
                    @for run in runs {
                        tr {
                            td data-label=(lang.t("bank.run_started")) { (when(lang, run.started_at)) }
                            td data-label=(lang.t("bank.run_outcome")) {
                                @match run.outcome {
                                    SyncOutcome::Succeeded => span.badge.safe { "✓ " (lang.t("bank.run_ok")) },
                                    SyncOutcome::Running => span.badge.upcoming { "↻ " (lang.t("bank.run_running")) },
                                    SyncOutcome::Failed => span.badge.urgent { "! " (lang.t("bank.run_failed")) },
                                }
                                @if let Some(e) = &run.error { br; small.error { (e) } }
                            }
                            td.num data-label=(lang.t("bank.run_new")) { (run.new_transactions) }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /bank`.
pub(crate) async fn page(s: Signed, q: web::Query<BankQuery>) -> Result<HttpResponse, UiError> {
    let lang = s.lang;
    let state = s.state.clone();
    let actor = s.auth.actor;
    let needle = q.q.clone().map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    let (accounts, integrations, transactions, now) = billify_web::blocking(move || {
        let now = state.invoices.clock().now();
        let accounts = state.bank.accounts(&actor)?;
        let mut integrations = Vec::new();
        // The books' link (Yuki) has its own page.
        for integration in state.sync.list(&actor)?.into_iter().filter(|i| !i.provider.is_accounting()) {
            let runs = state.sync.runs(&actor, integration.id, 5)?;
            integrations.push((integration, runs));
        }
        // The search runs in the store over every transaction, newest first.
        let query =
            BankTransactionQuery { account_id: None, from: None, to: None, after: None, limit: SHOWN, text: needle };
        let found = state.bank.transactions(&actor, &query)?.items;
        Ok((accounts, integrations, found, now))
    })
    .await
    .map_err(|e| UiError::api(lang, e))?;
    let manage = s.can(Permission::ManageIntegrations);
    let import = s.can(Permission::ImportBankData);
    let account_name = |id: uuid::Uuid| {
        accounts
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.account.iban().map(|i| i.to_string()).unwrap_or_else(|| a.account.provider_id().to_string()))
            .unwrap_or_default()
    };
    Ok(layout::page(
        &s,
        lang.t("bank.title"),
        Nav::Bank,
        html! {
            h1 { (lang.t("bank.title")) }
            @if let Some(n) = q.imported { p.notice role="status" { "✓ " (lang.tf("bank.imported", &[("new", &n.to_string()), ("changed", &q.updated.unwrap_or(0).to_string())])) } }
            @if q.queued == Some(true) { p.notice role="status" { "↻ " (lang.t("bank.queued")) } }
            div.grid2 {
                section.card #accounts {
                    h2 { (lang.t("bank.accounts")) }
                    @if accounts.is_empty() { p.muted { (lang.t("dash.no_bank")) } }
                    ul.next {
                        @for a in &accounts {
                            li {
                                strong { (a.account.institution_name().unwrap_or("")) " " (a.account.iban().map(|i| i.to_string()).unwrap_or_default()) }
                                br;
                                span.big { (lang.money(a.account.current_balance())) }
                                br;
                                small.muted { (lang.tf("bank.balance_age", &[("when", &when(lang, a.updated_at))])) }
                            }
                        }
                    }
                }
                section.card #integrations {
                    h2 { (lang.t("bank.link")) }
                    @if integrations.is_empty() { p { (lang.t("bank.no_link")) } }
                    @for (integration, runs) in &integrations {
                        (status_line(lang, integration, now))
                        @if manage && integration.status != IntegrationStatus::Disconnected {
                            form method="post" action=(format!("/bank/integrations/{}/sync", integration.id)) {
                                (layout::csrf(&s))
                                button type="submit" { "↻ " (lang.t("bank.sync_now")) }
                            }
                        }
                        (runs_table(lang, runs))
                    }
                    @if manage {
                        form method="post" action="/bank/connect" {
                            (layout::csrf(&s))
                            button.primary type="submit" { (lang.t("bank.connect")) }
                        }
                    }
                }
            }
            @if import {
                section.card {
                    h2 { (lang.t("bank.import")) }
                    form #statement-form method="post" action="/bank/statements" enctype="multipart/form-data"
                        data-progress="true" data-label-sending=(lang.t("bank.import_sending"))
                        data-label-working=(lang.t("bank.import_working")) data-label-failed=(lang.t("bank.import_failed")) {
                        (layout::csrf(&s))
                        div.field {
                            label for="f-statement" { (lang.t("bank.statement_file")) }
                            input #f-statement type="file" name="file" accept=".cod,.coda,.xml,.txt" required;
                            small.hint { (lang.t("bank.statement_hint")) }
                        }
                        button type="submit" { (lang.t("bank.import_submit")) }
                    }
                }
            }
            section.card #transactions {
                h2 { (lang.t("bank.transactions")) }
                form.filters method="get" action="/bank" role="search"
                    hx-get="/bank" hx-target="#transaction-list" hx-select="#transaction-list" hx-swap="outerHTML"
                    hx-push-url="true" hx-trigger="input changed delay:300ms from:#f-bank-q" {
                    div.field {
                        label for="f-bank-q" { (lang.t("bank.search")) }
                        input #f-bank-q type="search" name="q" value=(q.q.clone().unwrap_or_default());
                        small.hint { (lang.tf("bank.search_hint", &[("n", &SHOWN.to_string())])) }
                    }
                    button.js-hide type="submit" { (lang.t("invoices.apply")) }
                }
                div #transaction-list aria-live="polite" {
                    @if transactions.is_empty() { p.muted { (lang.t("bank.no_transactions")) } }
                    @else {
                        table.invoices {
                            thead { tr {
                                th scope="col" { (lang.t("bank.date")) }
                                th scope="col" { (lang.t("invoices.counterparty")) }
                                th scope="col" { (lang.t("bank.remittance")) }
                                th scope="col" .num { (lang.t("bank.amount")) }
                            } }
                            tbody {
                                @for t in &transactions {
                                    @let tx = &t.transaction;
                                    tr {
                                        td data-label=(lang.t("bank.date")) { (lang.date(tx.execution_date())) }
                                        td data-label=(lang.t("invoices.counterparty")) {
                                            (tx.counterparty_name().unwrap_or("—"))
                                            br; small.muted { (account_name(t.account_id)) }
                                        }
                                        td data-label=(lang.t("bank.remittance")) { (tx.remittance_information().or(tx.description()).unwrap_or("")) }
                                        td.num data-label=(lang.t("bank.amount")) class=(if tx.is_credit() { "credit" } else { "debit" }) {
                                            (if tx.is_credit() { "+ " } else { "" }) (lang.money(tx.amount()))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

fn integration_id(lang: Lang, text: &str) -> Result<uuid::Uuid, UiError> {
    uuid::Uuid::parse_str(text).map_err(|_| UiError::api(lang, ApiError::NotFound("integration".into())))
}

/// `POST /bank/integrations/{id}/sync`: asks for a sync now.
pub(crate) async fn sync_now(
    s: Signed,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, UiError> {
    s.check_csrf(&FormData::parse(&body))?;
    let id = integration_id(s.lang, &path)?;
    let state = s.state.clone();
    let actor = s.auth.actor;
    let ip = billify_web::browser::client_ip(&req);
    let queued = billify_web::blocking(move || Ok(state.sync.sync_now(&actor, id, ip)?))
        .await
        .map_err(|e| UiError::api(s.lang, e))?;
    Ok(layout::see_other(&format!("/bank?queued={queued}")))
}

/// `POST /bank/connect`: starts linking Ponto; the browser goes to the bank's consent page.
pub(crate) async fn connect(s: Signed, body: web::Bytes) -> Result<HttpResponse, UiError> {
    s.check_csrf(&FormData::parse(&body))?;
    let state = s.state.clone();
    let ctx = s.auth.clone();
    let start =
        billify_web::blocking(move || Ok(state.sync.connect(&ctx)?)).await.map_err(|e| UiError::api(s.lang, e))?;
    Ok(layout::see_other(&start.consent_url))
}

#[derive(serde::Deserialize)]
pub(crate) struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /bank/callback?code=...&state=...`: where the bank sends the browser back (the
/// configured redirect URI); only the session that started the consent can complete it, once.
pub(crate) async fn callback(s: Signed, q: web::Query<Callback>) -> Result<HttpResponse, UiError> {
    let lang = s.lang;
    if q.error.is_some() {
        return Err(UiError::api(
            lang,
            ApiError::Unprocessable { kind: "consent-refused", detail: lang.t("bank.consent_refused").into() },
        ));
    }
    let (Some(code), Some(consent)) = (q.code.clone(), q.state.clone()) else {
        return Err(UiError::api(lang, ApiError::BadRequest(lang.t("bank.consent_refused").into())));
    };
    let state = s.state.clone();
    let ctx = s.auth.clone();
    billify_web::blocking(move || Ok(state.sync.complete_consent(&ctx, &code, &consent)?))
        .await
        .map_err(|e| UiError::api(lang, e))?;
    Ok(layout::see_other("/bank?queued=true"))
}

/// `POST /bank/statements`: imports a CODA or CAMT.053 file.
pub(crate) async fn import(s: Signed, req: HttpRequest, payload: web::Payload) -> Result<HttpResponse, UiError> {
    let lang = s.lang;
    let multipart = Multipart::new(req.headers(), payload);
    let (csrf, files) =
        crate::pages::upload::read_parts(multipart, STATEMENT_LIMIT).await.map_err(|e| UiError::api(lang, e))?;
    s.check_csrf_token(csrf.as_deref())?;
    let Some(file) = files.into_iter().next() else {
        return Err(UiError::api(lang, ApiError::field("file", lang.t("upload.none"))));
    };
    let state = s.state.clone();
    let actor = s.auth.actor;
    let summary = billify_web::blocking(move || Ok(state.bank.import_statement(&actor, &file.bytes)?))
        .await
        .map_err(|e| UiError::api(lang, e))?;
    Ok(layout::see_other(&format!(
        "/bank?imported={}&updated={}",
        summary.transactions.new, summary.transactions.changed
    )))
}
