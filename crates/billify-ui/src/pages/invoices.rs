//! Invoices: the list (filter, search, sort, cursor paging; urgency in colour, icon and text),
//! one invoice (its payments and events, its document, its credit notes), manual urgency and
//! payments.

use actix_web::ResponseError as _;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use billify_domain::{Invoice, InvoiceId, InvoiceKind, InvoicePatch, InvoiceStatus, Money, Permission, UrgencyLevel};
use billify_ports::InvoiceQuery;
use billify_web::problem::ApiError;
use maud::{Markup, html};

use crate::error::UiError;
use crate::i18n::Lang;
use crate::layout::{self, Errors, Field, Nav};
use crate::session::{FormData, Signed};

/// The query string without empty parameters (an empty filter field means no filter).
fn non_empty_query(query: &str) -> (String, Vec<(String, String)>) {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
    (serde_urlencoded::to_string(&pairs).unwrap_or_default(), pairs)
}

fn param<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
}

/// The urgency badge of an invoice today.
pub fn badge(lang: Lang, invoice: &Invoice, today: time::Date) -> Markup {
    let urgency = invoice.urgency(today);
    layout::urgency_badge(
        lang,
        urgency.map(|u| u.level),
        invoice.status() == InvoiceStatus::Paid,
        urgency.is_some_and(|u| u.is_manual),
    )
}

fn status_text(lang: Lang, status: InvoiceStatus) -> &'static str {
    lang.t(&format!("status.{}", status.code()))
}

fn direction_text(lang: Lang, invoice: &Invoice) -> &'static str {
    lang.t(&format!("direction.{}", invoice.direction().code()))
}

/// `GET /invoices`.
pub(crate) async fn list(s: Signed, req: HttpRequest) -> Result<HttpResponse, UiError> {
    let lang = s.lang;
    let (query_string, pairs) = non_empty_query(req.query_string());
    let state = s.state.clone();
    let actor = s.auth.actor;
    let result = billify_web::blocking(move || {
        let today = state.invoices.today(&actor)?;
        let query = billify_web::browser::invoice_query(&query_string, today)?;
        let page = state.invoices.list(&actor, &query)?;
        Ok((page, today, query))
    })
    .await;
    let (page, today, query, errors) = match result {
        Ok((page, today, query)) => (Some(page), today, Some(query), Errors::default()),
        Err(e @ ApiError::Validation(_)) => (None, time::OffsetDateTime::now_utc().date(), None, Errors::from_api(&e)),
        Err(e) => return Err(UiError::api(lang, e)),
    };
    let sort = param(&pairs, "sort");
    let filters = html! {
        form.filters #invoice-filters method="get" action="/invoices" role="search"
            hx-get="/invoices" hx-target="#invoice-results" hx-select="#invoice-results" hx-swap="outerHTML"
            hx-push-url="true" hx-trigger="change, input changed delay:300ms from:#f-q" {
            (Field::new("q", lang.t("invoices.search"), param(&pairs, "q")).kind("search").render(&errors))
            div.field {
                label for="f-direction" { (lang.t("invoices.direction")) }
                select #f-direction name="direction" {
                    option value="" { (lang.t("invoices.any")) }
                    @for d in ["receivable", "payable"] {
                        option value=(d) selected[param(&pairs, "direction") == d] { (lang.t(&format!("direction.{d}"))) }
                    }
                }
            }
            div.field {
                label for="f-status" { (lang.t("invoices.status")) }
                select #f-status name="status" {
                    option value="" { (lang.t("invoices.any")) }
                    @for st in ["pending", "overdue", "paid"] {
                        option value=(st) selected[param(&pairs, "status") == st] { (lang.t(&format!("status.{st}"))) }
                    }
                }
            }
            div.field {
                label for="f-urgency" { (lang.t("invoices.urgency")) }
                select #f-urgency name="urgency" {
                    option value="" { (lang.t("invoices.any")) }
                    @for u in UrgencyLevel::ALL {
                        option value=(u.code()) selected[param(&pairs, "urgency") == u.code()] { (lang.t(&format!("urgency.{}", u.code()))) }
                    }
                }
            }
            div.field {
                label for="f-sort" { (lang.t("invoices.sort")) }
                select #f-sort name="sort" {
                    @for (value, key) in [("due_date", "sort.due_asc"), ("-due_date", "sort.due_desc"), ("-total", "sort.total_desc"),
                        ("total", "sort.total_asc"), ("-issue_date", "sort.issued_desc"), ("invoice_number", "sort.number"), ("-created_at", "sort.newest")] {
                        option value=(value) selected[sort == value] { (lang.t(key)) }
                    }
                }
            }
            button.js-hide type="submit" { (lang.t("invoices.apply")) }
        }
    };
    let results = html! {
        div #invoice-results aria-live="polite" {
            @for (_, message) in errors.others(&["q"]) { p.error.form-error role="alert" { (message) } }
            @if let Some(page) = &page {
                @if page.items.is_empty() {
                    p.empty { (lang.t("invoices.none")) }
                } @else {
                    table.invoices {
                        caption.sr-only { (lang.t("invoices.title")) }
                        thead { tr {
                            th scope="col" { (lang.t("invoices.number")) }
                            th scope="col" { (lang.t("invoices.counterparty")) }
                            th scope="col" { (lang.t("invoices.due")) }
                            th scope="col" .num { (lang.t("invoices.open_amount")) }
                            th scope="col" { (lang.t("invoices.state")) }
                        } }
                        tbody {
                            @for invoice in &page.items {
                                tr {
                                    td data-label=(lang.t("invoices.number")) {
                                        a href=(format!("/invoices/{}", invoice.id())) { (invoice.invoice_number().as_str()) }
                                        @if invoice.kind() == InvoiceKind::CreditNote { " " span.tag { (lang.t("invoices.credit_note")) } }
                                        br; small.muted { (direction_text(lang, invoice)) }
                                    }
                                    td data-label=(lang.t("invoices.counterparty")) { (invoice.counterparty().name()) }
                                    td data-label=(lang.t("invoices.due")) { (lang.date(invoice.due_date())) }
                                    td.num data-label=(lang.t("invoices.open_amount")) { (lang.money(&invoice.open_amount())) }
                                    td data-label=(lang.t("invoices.state")) { (badge(lang, invoice, today)) }
                                }
                            }
                        }
                    }
                }
                nav.pager aria-label=(lang.t("invoices.pages")) {
                    @if pairs.iter().any(|(k, _)| k == "cursor") {
                        a href=(page_url(&pairs, None)) { (lang.t("invoices.first_page")) }
                    }
                    @if let (Some(next), Some(query)) = (&page.next, &query) {
                        a rel="next" href=(page_url(&pairs, Some(&billify_web::browser::encode_cursor(next)))) { (lang.t("invoices.next_page")) }
                        @let _ = query;
                    }
                }
            }
        }
    };
    let write = s.can(Permission::WriteInvoices);
    Ok(layout::page(
        &s,
        lang.t("invoices.title"),
        Nav::Invoices,
        html! {
            div.page-head {
                h1 { (lang.t("invoices.title")) }
                @if write { a.button href="/upload" { (lang.t("upload.title")) } }
            }
            (filters)
            (results)
        },
    ))
}

fn page_url(pairs: &[(String, String)], cursor: Option<&str>) -> String {
    let mut kept: Vec<(String, String)> = pairs.iter().filter(|(k, _)| k != "cursor").cloned().collect();
    if let Some(c) = cursor {
        kept.push(("cursor".into(), c.to_owned()));
    }
    format!("/invoices?{}", serde_urlencoded::to_string(&kept).unwrap_or_default())
}

fn invoice_id(lang: Lang, text: &str) -> Result<InvoiceId, UiError> {
    text.parse::<InvoiceId>().map_err(|_| UiError::api(lang, ApiError::NotFound("invoice".into())))
}

/// The credit notes that correct an invoice, looked for among the organisation's credit notes
/// of the same direction (at most the first thousand invoices are read).
fn credit_notes_of(
    state: &billify_web::AppState,
    actor: &billify_app::Actor,
    invoice: &Invoice,
    today: time::Date,
) -> Result<Vec<Invoice>, ApiError> {
    let mut found = Vec::new();
    let mut query = InvoiceQuery::all(today);
    query.direction = Some(invoice.direction());
    query.limit = InvoiceQuery::MAX_LIMIT;
    for _ in 0..5 {
        let page = state.invoices.list(actor, &query)?;
        found.extend(page.items.into_iter().filter(|i| i.corrects() == Some(invoice.id())));
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    Ok(found)
}

fn detail(s: &Signed, invoice: &Invoice, today: time::Date, extra: &DetailExtra, errors: &Errors) -> HttpResponse {
    let lang = s.lang;
    let write = s.can(Permission::WriteInvoices);
    let money = |m: &Money| lang.money(m);
    let id = invoice.id();
    layout::page(
        s,
        invoice.invoice_number().as_str(),
        Nav::Invoices,
        html! {
            p.crumbs { a href="/invoices" { "← " (lang.t("invoices.title")) } }
            div.page-head {
                h1 {
                    @if invoice.kind() == InvoiceKind::CreditNote { (lang.t("invoices.credit_note")) " " }
                    (invoice.invoice_number().as_str())
                }
                (badge(lang, invoice, today))
            }
            @for (_, message) in errors.others(&["amount", "urgency"]) { p.error.form-error role="alert" { (message) } }
            div.grid2 {
                section.card {
                    h2 { (lang.t("invoice.details")) }
                    dl.facts {
                        dt { (lang.t("invoices.counterparty")) } dd { (invoice.counterparty().name()) }
                        dt { (lang.t("invoices.direction")) } dd { (direction_text(lang, invoice)) }
                        dt { (lang.t("invoice.issued")) } dd { (lang.date(invoice.issue_date())) }
                        dt { (lang.t("invoices.due")) } dd { (lang.date(invoice.due_date())) }
                        @if let Some(sub) = invoice.subtotal() { dt { (lang.t("field.subtotal")) } dd.num { (money(sub)) } }
                        @if let Some(vat) = invoice.vat_amount() { dt { (lang.t("field.vat_amount")) } dd.num { (money(vat)) } }
                        dt { (lang.t("field.total")) } dd.num { (money(invoice.total())) }
                        dt { (lang.t("invoice.paid")) } dd.num { (money(invoice.amount_paid())) }
                        dt { (lang.t("invoices.open_amount")) } dd.num.strong { (money(&invoice.open_amount())) }
                        dt { (lang.t("invoices.status")) } dd { (status_text(lang, invoice.status())) }
                        @if let Some(r) = invoice.payment_reference() { dt { (lang.t("field.payment_reference")) } dd { (r.to_string()) } }
                        @if let Some(iban) = invoice.counterparty().iban() { dt { "IBAN" } dd { (iban.to_string()) } }
                    }
                    @if extra.has_document {
                        p { a.button href=(format!("/invoices/{id}/document")) target="_blank" rel="noopener" { (lang.t("invoice.open_document")) } }
                    }
                    @if let Some(corrected) = &extra.corrects {
                        p { (lang.t("invoice.corrects")) " " a href=(format!("/invoices/{}", corrected.id())) { (corrected.invoice_number().as_str()) } }
                    }
                    @if !extra.credit_notes.is_empty() {
                        h3 { (lang.t("invoice.credit_notes")) }
                        ul {
                            @for note in &extra.credit_notes {
                                li { a href=(format!("/invoices/{}", note.id())) { (note.invoice_number().as_str()) } " · " (money(note.total())) }
                            }
                        }
                    }
                }
                div {
                    @if write && invoice.status() != InvoiceStatus::Paid {
                        section.card {
                            h2 { (lang.t("invoice.record_payment")) }
                            form method="post" action=(format!("/invoices/{id}/payments")) {
                                (layout::csrf(s))
                                input type="hidden" name="version" value=(invoice.version());
                                (Field::new("amount", lang.t("invoice.amount_paid_now"), &extra.amount).kind("text")
                                    .hint(lang.t("invoice.amount_hint")).render(errors))
                                button.primary type="submit" { (lang.t("invoice.record")) }
                            }
                        }
                        section.card {
                            h2 { (lang.t("invoice.urgency")) }
                            form method="post" action=(format!("/invoices/{id}/urgency")) {
                                (layout::csrf(s))
                                input type="hidden" name="version" value=(invoice.version());
                                div.field {
                                    label for="f-urgency" { (lang.t("invoice.urgency_level")) }
                                    select #f-urgency name="urgency" {
                                        option value="" { (lang.t("invoice.urgency_auto")) }
                                        @for u in UrgencyLevel::ALL {
                                            option value=(u.code()) selected[invoice.manual_urgency() == Some(u)] { (lang.t(&format!("urgency.{}", u.code()))) }
                                        }
                                    }
                                    @if let Some(message) = errors.of("urgency") { p.error { (message) } }
                                }
                                button type="submit" { (lang.t("invoice.save_urgency")) }
                            }
                        }
                    }
                    section.card {
                        h2 { (lang.t("invoice.history")) }
                        ol.events {
                            @for event in &extra.events {
                                li {
                                    time datetime=(event.occurred_at.date().to_string()) { (lang.date(event.occurred_at.date())) }
                                    " " (event_text(lang, &event.code))
                                    @if let Some(amount) = event_amount(&event.details, invoice) { " · " (money(&amount)) }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn event_text(lang: Lang, code: &str) -> String {
    let key = format!("event.{}", code.trim_start_matches("invoice."));
    let text = lang.t(&key);
    if text.is_empty() { code.to_owned() } else { text.to_owned() }
}

fn event_amount(details: &str, invoice: &Invoice) -> Option<Money> {
    let value: serde_json::Value = serde_json::from_str(details).ok()?;
    let text = value.get("amount_paid")?.as_str()?;
    Money::parse(text, invoice.currency()).ok()
}

#[derive(Default)]
struct DetailExtra {
    events: Vec<billify_ports::StoredInvoiceEvent>,
    credit_notes: Vec<Invoice>,
    corrects: Option<Invoice>,
    has_document: bool,
    amount: String,
}

async fn load(s: &Signed, id: InvoiceId) -> Result<(Invoice, time::Date, DetailExtra), UiError> {
    let state = s.state.clone();
    let actor = s.auth.actor;
    billify_web::blocking(move || {
        let today = state.invoices.today(&actor)?;
        let invoice = state.invoices.get(&actor, id)?;
        let events = state.invoices.events(&actor, id)?;
        let credit_notes = if invoice.kind() == InvoiceKind::Invoice {
            credit_notes_of(&state, &actor, &invoice, today)?
        } else {
            Vec::new()
        };
        let corrects = match invoice.corrects() {
            Some(other) => state.invoices.get(&actor, other).ok(),
            None => None,
        };
        let has_document = match state.intake.document_of_invoice(&actor, id) {
            Ok(_) => true,
            Err(billify_app::IntakeError::NotFound) => false,
            Err(e) => return Err(e.into()),
        };
        Ok((invoice, today, DetailExtra { events, credit_notes, corrects, has_document, amount: String::new() }))
    })
    .await
    .map_err(|e| UiError::api(s.lang, e))
}

/// `GET /invoices/{id}`.
pub(crate) async fn show(s: Signed, path: web::Path<String>) -> Result<HttpResponse, UiError> {
    let id = invoice_id(s.lang, &path)?;
    let (invoice, today, extra) = load(&s, id).await?;
    Ok(detail(&s, &invoice, today, &extra, &Errors::default()))
}

/// An amount as typed: `1234.56`, `1.234,56`, `1 234,56` or `1,234.56` (with both marks, the
/// last is the decimal one; a comma alone is a decimal comma).
pub fn typed_amount(text: &str) -> String {
    let compact: String = text.chars().filter(|c| !c.is_whitespace() && *c != '\u{202f}' && *c != '€').collect();
    match (compact.rfind(','), compact.rfind('.')) {
        (Some(comma), Some(dot)) if dot > comma => compact.replace(',', ""),
        (Some(_), _) => compact.replace('.', "").replace(',', "."),
        _ => compact,
    }
}

/// `POST /invoices/{id}/payments`: pays the amount given, or what is open when left empty.
pub(crate) async fn pay(s: Signed, path: web::Path<String>, body: web::Bytes) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    s.check_csrf_only(&form)?;
    let lang = s.lang;
    let checked = form.check_text(lang);
    let id = invoice_id(lang, &path)?;
    let version: i64 = form.text("version").parse().unwrap_or(-1);
    let amount_text = form.text("amount");
    let state = s.state.clone();
    let actor = s.auth.actor;
    let typed = typed_amount(&amount_text);
    let result = billify_web::blocking(move || {
        checked?;
        // The amount paid now; the use case adds it to what was paid before.
        let amount = (!typed.is_empty()).then_some(typed.as_str());
        Ok(state.invoices.record_payment(&actor, id, version, amount)?)
    })
    .await;
    after_change(&s, id, result, amount_text).await
}

async fn after_change(
    s: &Signed,
    id: InvoiceId,
    result: Result<Invoice, ApiError>,
    amount: String,
) -> Result<HttpResponse, UiError> {
    match result {
        Ok(_) => Ok(layout::see_other(&format!("/invoices/{id}"))),
        Err(e @ (ApiError::Validation(_) | ApiError::Conflict { .. } | ApiError::Unprocessable { .. })) => {
            let (invoice, today, mut extra) = load(s, id).await?;
            extra.amount = amount;
            let errors = match &e {
                ApiError::Validation(_) => {
                    let mut errors = Errors::from_api(&e);
                    // The domain names the paid total; the form asks for this payment.
                    for (field, _) in &mut errors.0 {
                        if field == "amount_paid" {
                            *field = "amount".into();
                        }
                    }
                    errors
                }
                ApiError::Conflict { .. } => Errors(vec![("_form".into(), s.lang.t("error.stale").into())]),
                other => Errors(vec![("_form".into(), other.to_string())]),
            };
            let mut response = detail(s, &invoice, today, &extra, &errors);
            *response.status_mut() = e.status_code();
            Ok(response)
        }
        Err(e) => Err(UiError::api(s.lang, e)),
    }
}

/// `POST /invoices/{id}/urgency`: sets a manual urgency, or clears it (empty).
pub(crate) async fn urgency(s: Signed, path: web::Path<String>, body: web::Bytes) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    s.check_csrf(&form)?;
    let lang = s.lang;
    let id = invoice_id(lang, &path)?;
    let version: i64 = form.text("version").parse().unwrap_or(-1);
    let level = match form.optional("urgency") {
        None => None,
        Some(text) => Some(
            text.parse::<UrgencyLevel>().map_err(|e| UiError::api(lang, ApiError::field("urgency", e.to_string())))?,
        ),
    };
    let state = s.state.clone();
    let actor = s.auth.actor;
    let patch = InvoicePatch { manual_urgency: Some(level), ..InvoicePatch::default() };
    let result = billify_web::blocking(move || Ok(state.invoices.update(&actor, id, version, patch)?)).await;
    after_change(&s, id, result, String::new()).await
}

/// `GET /invoices/{id}/document`: the invoice's document, shown inline.
pub(crate) async fn document(s: Signed, path: web::Path<String>) -> Result<HttpResponse, UiError> {
    let id = invoice_id(s.lang, &path)?;
    let state = s.state.clone();
    let actor = s.auth.actor;
    let (record, bytes) = billify_web::blocking(move || Ok(state.intake.document_of_invoice(&actor, id)?))
        .await
        .map_err(|e| UiError::api(s.lang, e))?;
    Ok(document_response(&record.media_type, bytes))
}

/// A stored document for the browser: its own type, shown inline, framable by this site only,
/// and allowed nothing but the built-in viewer.
pub fn document_response(media_type: &str, bytes: Vec<u8>) -> HttpResponse {
    let content_type = match media_type {
        "application/pdf" => "application/pdf",
        // XML is shown as text: never rendered with scripts or styles of its own.
        _ => "text/plain; charset=utf-8",
    };
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CONTENT_DISPOSITION, "inline"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header((header::X_FRAME_OPTIONS, "SAMEORIGIN"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; object-src 'self'; frame-ancestors 'self'",
        ))
        .body(bytes)
}
