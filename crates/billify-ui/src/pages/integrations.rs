//! Integrations: the books (Yuki) and, beside them, the bank link (Ponto), in plain words.
//!
//! Yuki: connect with the web service API key and the domain's country (yuki.nl or yuki.be),
//! optionally the administration ID (Yuki's own names for them, so people find them in Yuki's
//! settings); then its status, the last sync, the calls used of the day's budget, "sync now",
//! the sync history, the items of the books kept with a flag, and disconnect. When Yuki refuses
//! the key the integration needs a new key: the page says so in Yuki's words and asks for one.
//! The use cases are those of `/api/v1/integrations` (`SyncService`); the key is checked with
//! Yuki at once, stored sealed and never shown.

use actix_web::{HttpRequest, HttpResponse, web};
use billify_app::{AccountingConnect, CallBudget};
use billify_domain::Permission;
use billify_ports::accounting::{AccountingItem, AccountingRegion};
use billify_ports::integrations::{Integration, IntegrationStatus, Provider, SyncOutcome, SyncRun};
use billify_web::problem::ApiError;
use maud::{Markup, html};
use time::OffsetDateTime;

use crate::error::UiError;
use crate::i18n::Lang;
use crate::layout::{self, Errors, Field, Nav};
use crate::pages::bank::when;
use crate::session::{FormData, Signed};

/// How many sync runs and flagged items are shown.
const RUNS: u32 = 5;
const FLAGGED: u32 = 50;

/// The longest access key accepted (as the API).
const KEY_LIMIT: usize = 512;

struct Yuki {
    integration: Integration,
    budget: Option<CallBudget>,
    runs: Vec<SyncRun>,
    flagged: Vec<AccountingItem>,
}

struct Loaded {
    yuki: Option<Yuki>,
    banks: Vec<Integration>,
    now: OffsetDateTime,
}

async fn load(s: &Signed) -> Result<Loaded, UiError> {
    let state = s.state.clone();
    let actor = s.auth.actor;
    billify_web::blocking(move || {
        let now = state.invoices.clock().now();
        let all = state.sync.list(&actor)?;
        let live = |i: &&Integration| i.status != IntegrationStatus::Disconnected;
        let yuki = match all.iter().filter(live).find(|i| i.provider == Provider::Yuki) {
            Some(i) => Some(Yuki {
                budget: state.sync.call_budget(i),
                runs: state.sync.runs(&actor, i.id, RUNS)?,
                flagged: state.sync.flagged_items(&actor, i.id, FLAGGED)?,
                integration: i.clone(),
            }),
            None => None,
        };
        let banks = all.into_iter().filter(|i| !i.provider.is_accounting()).collect();
        Ok(Loaded { yuki, banks, now })
    })
    .await
    .map_err(|e| UiError::api(s.lang, e))
}

/// The state of the Yuki link in words, with its colour: green when in step, orange while
/// working or waiting, red when it needs a person.
fn yuki_status(lang: Lang, i: &Integration) -> Markup {
    let (class, icon, key) = match i.status {
        IntegrationStatus::Connected if i.accounting.as_ref().is_some_and(|a| a.administration_id.is_none()) => {
            ("upcoming", "◷", "yuki.status.choose_administration")
        }
        IntegrationStatus::Connected => ("safe", "✓", "yuki.status.connected"),
        IntegrationStatus::Syncing => ("upcoming", "↻", "yuki.status.syncing"),
        IntegrationStatus::Pending => ("upcoming", "◷", "yuki.status.pending"),
        IntegrationStatus::NeedsReconsent => ("urgent", "!", "yuki.status.needs_key"),
        IntegrationStatus::Failing => ("urgent", "!", "yuki.status.failing"),
        IntegrationStatus::Disconnected => ("neutral", "·", "yuki.status.disconnected"),
    };
    html! {
        p #yuki-status { span class=(format!("badge {class}")) data-status=(i.status.code()) { span.icon aria-hidden="true" { (icon) } " " (lang.t(key)) } }
    }
}

fn budget_line(lang: Lang, b: &CallBudget) -> Markup {
    // Orange from 80 % of the budget, red when it is spent.
    let class = if b.used_today >= b.budget {
        "error"
    } else if u64::from(b.used_today) * 5 >= u64::from(b.budget) * 4 {
        "warn-text"
    } else {
        ""
    };
    html! {
        li #yuki-budget class=(class) {
            (lang.tf("yuki.budget", &[
                ("used", &b.used_today.to_string()),
                ("budget", &b.budget.to_string()),
                ("limit", &b.daily_limit.to_string()),
                ("when", &when(lang, b.resets_at)),
            ]))
        }
    }
}

fn region_name(lang: Lang, region: AccountingRegion) -> &'static str {
    match region {
        AccountingRegion::Nl => lang.t("yuki.region_nl"),
        AccountingRegion::Be => lang.t("yuki.region_be"),
    }
}

fn flag_words(lang: Lang, flag: &str) -> String {
    let key = format!("yuki.flag.{flag}");
    match lang.t(&key) {
        "" => flag.replace('_', " "),
        text => text.to_owned(),
    }
}

fn runs_table(lang: Lang, runs: &[SyncRun]) -> Markup {
    html! {
        @if runs.is_empty() { p.muted { (lang.t("bank.no_runs")) } }
        @else {
            // Scrolls sideways when narrow, so it can take the focus (keyboard users scroll it).
            div.table-wrap tabindex="0" role="region" aria-label=(lang.t("bank.history")) { table.invoices #yuki-runs {
                caption { (lang.t("bank.history")) }
                thead { tr {
                    th scope="col" { (lang.t("bank.run_started")) }
                    th scope="col" { (lang.t("bank.run_outcome")) }
                    th scope="col" .num { (lang.t("yuki.run_new")) }
                    th scope="col" .num { (lang.t("yuki.run_changed")) }
                    th scope="col" .num { (lang.t("yuki.run_closed")) }
                    th scope="col" .num { (lang.t("yuki.run_flagged")) }
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
                            td.num data-label=(lang.t("yuki.run_new")) { (run.new_invoices) }
                            td.num data-label=(lang.t("yuki.run_changed")) { (run.changed_invoices) }
                            td.num data-label=(lang.t("yuki.run_closed")) { (run.closed_invoices) }
                            td.num data-label=(lang.t("yuki.run_flagged")) { (run.flagged_items) }
                        }
                    }
                }
            } }
        }
    }
}

fn flagged_table(lang: Lang, items: &[AccountingItem]) -> Markup {
    html! {
        section #yuki-flagged {
            h3 { (lang.tf("yuki.flagged", &[("n", &items.len().to_string())])) }
            @if items.is_empty() { p.muted { (lang.t("yuki.no_flagged")) } }
            @else {
                p.muted { (lang.t("yuki.flagged_help")) }
                div.table-wrap tabindex="0" role="region" aria-label=(lang.t("yuki.flagged_items")) { table.invoices {
                    thead { tr {
                        th scope="col" { (lang.t("yuki.item")) }
                        th scope="col" { (lang.t("yuki.side")) }
                        th scope="col" { (lang.t("yuki.problem")) }
                        th scope="col" .num { (lang.t("yuki.open_amount")) }
                    } }
                    tbody {
                        @for item in items {
                            tr {
                                td data-label=(lang.t("yuki.item")) {
                                    @match item.invoice_id {
                                        Some(id) => a href=(format!("/invoices/{id}")) { (item.reference.as_deref().unwrap_or(&item.item_id)) },
                                        None => (item.reference.as_deref().unwrap_or(&item.item_id)),
                                    }
                                }
                                td data-label=(lang.t("yuki.side")) { (lang.t(&format!("yuki.side.{}", item.side.code()))) }
                                td data-label=(lang.t("yuki.problem")) {
                                    span.badge.upcoming { "⚠ " (item.flags.iter().map(|f| flag_words(lang, f)).collect::<Vec<_>>().join(", ")) }
                                }
                                td.num data-label=(lang.t("yuki.open_amount")) {
                                    @match (&item.open_amount, &item.currency) {
                                        (Some(amount), Some(currency)) if is_plain_decimal(amount) => (lang.amount(amount, currency)),
                                        (Some(amount), _) => (amount),
                                        _ => "–",
                                    }
                                }
                            }
                        }
                    }
                } }
            }
        }
    }
}

/// Whether Yuki's amount text is a plain decimal (`-12.50`), to be shown in the locale's format.
fn is_plain_decimal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit() || c == '.') && digits.matches('.').count() <= 1
}

/// The connect form (also the "new key" form of an integration whose key was refused).
fn key_form(s: &Signed, action: &str, errors: &Errors, form: &FormData, current: Option<&Integration>) -> Markup {
    let lang = s.lang;
    let settings = current.and_then(|i| i.accounting.clone());
    let region = form
        .get("region")
        .and_then(AccountingRegion::parse)
        .or(settings.as_ref().map(|a| a.region))
        .unwrap_or(AccountingRegion::Be);
    let administration = form
        .get("administration_id")
        .map(str::to_owned)
        .or(settings.and_then(|a| a.administration_id))
        .unwrap_or_default();
    html! {
        form #yuki-form method="post" action=(action) autocomplete="off" {
            (layout::csrf(s))
            (Field::new("access_key", lang.t("yuki.access_key"), "").kind("password").required().auto("off")
                .hint(lang.t("yuki.access_key_hint")).render(errors))
            fieldset.field {
                legend { (lang.t("yuki.region")) }
                @for r in [AccountingRegion::Be, AccountingRegion::Nl] {
                    div.check {
                        input #(format!("f-region-{}", r.code())) type="radio" name="region" value=(r.code()) checked[r == region];
                        label for=(format!("f-region-{}", r.code())) { (region_name(lang, r)) }
                    }
                }
                @if let Some(m) = errors.of("region") { p.error { (m) } }
            }
            (Field::new("administration_id", lang.t("yuki.administration"), &administration)
                .hint(lang.t("yuki.administration_hint")).render(errors))
            button.primary type="submit" { (lang.t(if current.is_some() { "yuki.save_key" } else { "yuki.connect" })) }
        }
    }
}

fn yuki_section(s: &Signed, l: &Loaded, errors: &Errors, form: &FormData) -> Markup {
    let lang = s.lang;
    let manage = s.can(Permission::ManageIntegrations);
    html! {
        section.card #yuki {
            h2 { (lang.t("yuki.title")) }
            @for (_, message) in errors.others(&["access_key", "region", "administration_id"]) {
                p.error.form-error role="alert" { (message) }
            }
            @match &l.yuki {
                None => {
                    p { (lang.t("yuki.intro")) }
                    @if manage { (key_form(s, "/integrations/yuki/connect", errors, form, None)) }
                    @else { p.muted { (lang.t("yuki.ask_admin")) } }
                }
                Some(y) => {
                    @let i = &y.integration;
                    (yuki_status(lang, i))
                    ul.plain {
                        @if let Some(a) = &i.accounting {
                            li { (lang.tf("yuki.domain", &[("region", region_name(lang, a.region))])) }
                            li { (lang.t("yuki.administration")) ": "
                                @match &a.administration_id { Some(id) => code { (id) }, None => strong.warn-text { (lang.t("yuki.no_administration")) } } }
                        }
                        @if let Some(at) = i.last_success_at { li #yuki-last-sync { (lang.tf("yuki.last_sync", &[("when", &when(lang, at))])) } }
                        @else { li #yuki-last-sync { (lang.t("yuki.never_synced")) } }
                        @if let Some(b) = &y.budget { (budget_line(lang, b)) }
                        // A refused key is said below, in the user's language.
                        @if let Some(error) = i.last_error.as_ref().filter(|_| i.status != IntegrationStatus::NeedsReconsent) {
                            li.error { (lang.tf("bank.last_error", &[("error", error)])) }
                        }
                        @if let Some(next) = i.next_sync_at { li { (lang.tf("yuki.next_sync", &[("when", &when(lang, next))])) } }
                    }
                    @if i.status == IntegrationStatus::NeedsReconsent {
                        div.notice.urgent role="alert" {
                            p { strong { (lang.t("yuki.key_refused")) } }
                            p { (lang.t("yuki.key_where")) }
                        }
                        @if manage { (key_form(s, &format!("/integrations/{}/key", i.id), errors, form, Some(i))) }
                    } @else if manage {
                        @if i.accounting.as_ref().is_some_and(|a| a.administration_id.is_none()) {
                            form #yuki-administration method="post" action=(format!("/integrations/{}/administration", i.id)) {
                                (layout::csrf(s))
                                (Field::new("administration_id", lang.t("yuki.administration"), form.get("administration_id").unwrap_or_default())
                                    .required().hint(lang.t("yuki.administration_hint")).render(errors))
                                button.primary type="submit" { (lang.t("yuki.choose")) }
                            }
                        }
                        div.actions {
                            form method="post" action=(format!("/integrations/{}/sync", i.id)) {
                                (layout::csrf(s))
                                button type="submit" { "↻ " (lang.t("yuki.sync_now")) }
                            }
                            form method="post" action=(format!("/integrations/{}/disconnect", i.id)) {
                                (layout::csrf(s))
                                button.danger type="submit" { (lang.t("yuki.disconnect")) }
                            }
                        }
                    }
                    (runs_table(lang, &y.runs))
                    (flagged_table(lang, &y.flagged))
                }
            }
        }
    }
}

fn render(s: &Signed, l: &Loaded, notice: Option<&str>, errors: &Errors, form: &FormData) -> HttpResponse {
    let lang = s.lang;
    layout::page(
        s,
        lang.t("integrations.title"),
        Nav::Integrations,
        html! {
            h1 { (lang.t("integrations.title")) }
            @if let Some(text) = notice { p.notice role="status" { (text) } }
            div.integrations {
                (yuki_section(s, l, errors, form))
                section.card #ponto {
                    h2 { (lang.t("bank.link")) }
                    @if l.banks.is_empty() { p { (lang.t("bank.no_link")) } }
                    @for bank in &l.banks { (crate::pages::bank::status_line(lang, bank, l.now)) }
                    p { a href="/bank#integrations" { (lang.t("integrations.manage_bank")) } }
                }
            }
        },
    )
}

#[derive(serde::Deserialize)]
pub(crate) struct PageQuery {
    done: Option<String>,
}

/// `GET /integrations`.
pub(crate) async fn page(s: Signed, q: web::Query<PageQuery>) -> Result<HttpResponse, UiError> {
    let l = load(&s).await?;
    let lang = s.lang;
    let notice = match q.done.as_deref() {
        Some("connected") => Some(lang.t("yuki.done_connected")),
        Some("queued") => Some(lang.t("yuki.done_queued")),
        Some("running") => Some(lang.t("yuki.done_running")),
        Some("disconnected") => Some(lang.t("yuki.done_disconnected")),
        Some("administration") => Some(lang.t("yuki.done_administration")),
        _ => None,
    };
    Ok(render(&s, &l, notice, &Errors::default(), &FormData::parse(b"")))
}

/// The connect form's fields, checked as the API checks them: the key (1 to 512 characters),
/// the domain's country, and the administration ID when given.
fn connect_input(lang: Lang, form: &FormData) -> Result<AccountingConnect, ApiError> {
    form.check_text(lang)?;
    let mut errors = Vec::new();
    let key = form.text("access_key");
    if key.is_empty() || key.len() > KEY_LIMIT {
        errors.push(billify_web::problem::FieldError::new("access_key", lang.t("yuki.access_key_invalid")));
    }
    let region = AccountingRegion::parse(&form.text("region"));
    if region.is_none() {
        errors.push(billify_web::problem::FieldError::new("region", lang.t("yuki.region_invalid")));
    }
    let administration_id = administration(lang, form).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    match region {
        Some(region) if errors.is_empty() => {
            Ok(AccountingConnect { region, access_key: billify_ports::SecretText::new(key), administration_id })
        }
        _ => Err(ApiError::Validation(errors)),
    }
}

fn administration(lang: Lang, form: &FormData) -> Result<Option<String>, billify_web::problem::FieldError> {
    match form.optional("administration_id") {
        None => Ok(None),
        Some(t) if t.len() <= 100 && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => Ok(Some(t)),
        Some(_) => {
            Err(billify_web::problem::FieldError::new("administration_id", lang.t("yuki.administration_invalid")))
        }
    }
}

/// What the use case's refusals mean on this form: a refused key or administration next to
/// its field.
fn on_fields(lang: Lang, e: ApiError) -> ApiError {
    match e {
        ApiError::Unprocessable { kind: "access-key-refused", .. } => {
            ApiError::field("access_key", lang.t("yuki.access_key_refused"))
        }
        ApiError::Unprocessable { kind: "administration-invalid", .. } => {
            ApiError::field("administration_id", lang.t("yuki.administration_refused"))
        }
        ApiError::Unprocessable { kind: "integration-not-configured", .. } => {
            ApiError::field("_form", lang.t("yuki.not_configured"))
        }
        ApiError::Unavailable => ApiError::field("_form", lang.t("yuki.unreachable")),
        other => other,
    }
}

/// Runs a change from a form; refused fields go back next to them, with what was typed (but
/// never the key).
async fn submit(
    s: &Signed,
    form: &FormData,
    f: impl FnOnce(&billify_web::AppState) -> Result<&'static str, ApiError> + Send + 'static,
) -> Result<HttpResponse, UiError> {
    let state = s.state.clone();
    let lang = s.lang;
    match billify_web::blocking(move || f(&state)).await.map_err(|e| on_fields(lang, e)) {
        Ok(done) => Ok(layout::see_other(&format!("/integrations?done={done}"))),
        Err(e @ (ApiError::Validation(_) | ApiError::Conflict { .. })) => {
            let errors = match &e {
                ApiError::Conflict { .. } => Errors(vec![("_form".into(), lang.t("yuki.already").into())]),
                other => Errors::from_api(other),
            };
            let l = load(s).await?;
            let mut response = render(s, &l, None, &errors, form);
            *response.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(UiError::api(lang, e)),
    }
}

/// `POST /integrations/yuki/connect`: the key is checked with Yuki at once; a refused key
/// stores nothing.
pub(crate) async fn connect(s: Signed, body: web::Bytes) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    s.check_csrf_only(&form)?;
    let input = connect_input(s.lang, &form);
    let actor = s.auth.actor;
    submit(&s, &form, move |state| {
        state.sync.connect_accounting(&actor, input?)?;
        Ok("connected")
    })
    .await
}

fn integration_id(lang: Lang, text: &str) -> Result<uuid::Uuid, UiError> {
    uuid::Uuid::parse_str(text).map_err(|_| UiError::api(lang, ApiError::NotFound("integration".into())))
}

/// `POST /integrations/{id}/key`: a new key for a Yuki link whose key Yuki refused. The old
/// link is closed (its key no longer works) and a new one made with the same domain and
/// administration, checked with Yuki first.
pub(crate) async fn new_key(s: Signed, path: web::Path<String>, body: web::Bytes) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    s.check_csrf_only(&form)?;
    let id = integration_id(s.lang, &path)?;
    let input = connect_input(s.lang, &form);
    let actor = s.auth.actor;
    submit(&s, &form, move |state| {
        let input = input?;
        let current = state.sync.get(&actor, id)?;
        if current.provider != Provider::Yuki || current.status != IntegrationStatus::NeedsReconsent {
            return Err(ApiError::NotFound("integration".into()));
        }
        state.sync.disconnect(&actor, id)?;
        state.sync.connect_accounting(&actor, input)?;
        Ok("connected")
    })
    .await
}

/// `POST /integrations/{id}/administration`: chooses the administration of a link whose key
/// sees several (once).
pub(crate) async fn choose_administration(
    s: Signed,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    s.check_csrf_only(&form)?;
    let lang = s.lang;
    let id = integration_id(lang, &path)?;
    let chosen = form.check_text(lang).and_then(|()| match administration(lang, &form) {
        Ok(Some(chosen)) => Ok(chosen),
        Ok(None) => Err(ApiError::field("administration_id", lang.t("yuki.administration_invalid"))),
        Err(e) => Err(ApiError::Validation(vec![e])),
    });
    let actor = s.auth.actor;
    submit(&s, &form, move |state| {
        state.sync.configure_accounting(&actor, id, None, Some(chosen?))?;
        Ok("administration")
    })
    .await
}

/// `POST /integrations/{id}/sync`: a sync now (within the day's call budget).
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
    Ok(layout::see_other(if queued { "/integrations?done=queued" } else { "/integrations?done=running" }))
}

/// `POST /integrations/{id}/disconnect`: the key is deleted; invoices from the books stay.
pub(crate) async fn disconnect(s: Signed, path: web::Path<String>, body: web::Bytes) -> Result<HttpResponse, UiError> {
    s.check_csrf(&FormData::parse(&body))?;
    let id = integration_id(s.lang, &path)?;
    let state = s.state.clone();
    let actor = s.auth.actor;
    billify_web::blocking(move || Ok(state.sync.disconnect(&actor, id)?)).await.map_err(|e| UiError::api(s.lang, e))?;
    Ok(layout::see_other("/integrations?done=disconnected"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connect_form_is_checked_like_the_api() {
        let ok = FormData::parse(b"access_key=abc&region=nl&administration_id=0b3c-11");
        let input = connect_input(Lang::En, &ok).unwrap();
        assert_eq!((input.region, input.administration_id.as_deref()), (AccountingRegion::Nl, Some("0b3c-11")));
        let bad = FormData::parse(b"access_key=&region=de&administration_id=a%20b");
        let Err(ApiError::Validation(fields)) = connect_input(Lang::En, &bad) else { panic!("refused") };
        let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["access_key", "region", "administration_id"]);
        let nul = FormData::parse(b"access_key=a%00b&region=nl");
        let Err(ApiError::Validation(fields)) = connect_input(Lang::Nl, &nul) else { panic!("refused") };
        assert_eq!(fields[0].field, "access_key");
    }

    #[test]
    fn flags_read_as_words() {
        assert_eq!(flag_words(Lang::En, "missing_due_date"), Lang::En.t("yuki.flag.missing_due_date"));
        assert_eq!(flag_words(Lang::En, "something_new"), "something new");
    }
}
