//! Uploading documents (several at once, dropped or chosen, each with its progress when
//! scripts run) and reviewing a draft beside its document: low-confidence fields marked,
//! broken rules listed, suspected duplicates shown; correct, confirm or discard.

use actix_multipart::Multipart;
use actix_web::ResponseError as _;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use billify_app::{IntakeError, Outcomes, ReadingAccuracy, Upload};
use billify_domain::Permission;
use billify_ports::InvoiceQuery;
use billify_ports::documents::{Draft, DraftId};
use billify_ports::input::{InputChanges, InvoiceInput};
use billify_web::problem::ApiError;
use futures_util::StreamExt as _;
use maud::{Markup, html};

use crate::error::UiError;
use crate::i18n::Lang;
use crate::layout::{self, Errors, Field, Nav};
use crate::session::{CSRF_FIELD, FormData, Signed};

/// Below this confidence (of 100) a field is marked for checking.
pub const LOW_CONFIDENCE: u64 = 80;

/// At most this many files in one form post.
const MAX_FILES: usize = 20;

/// `GET /upload`.
pub(crate) async fn page(s: Signed) -> Result<HttpResponse, UiError> {
    let lang = s.lang;
    if !s.can(Permission::WriteInvoices) {
        return Err(UiError::api(lang, ApiError::Forbidden(String::new())));
    }
    let (state, actor) = (s.state.clone(), s.auth.actor);
    let accuracy = billify_web::blocking(move || Ok(state.intake.reading_accuracy(&actor, ACCURACY_DAYS)?))
        .await
        .map_err(|e| UiError::api(lang, e))?;
    Ok(layout::page(
        &s,
        lang.t("upload.title"),
        Nav::Upload,
        html! {
            h1 { (lang.t("upload.title")) }
            form.dropzone #upload-form method="post" action="/upload" enctype="multipart/form-data" {
                (layout::csrf(&s))
                p.drop-hint { (lang.t("upload.drop")) }
                label for="f-files" { (lang.t("upload.choose")) }
                input #f-files type="file" name="file" multiple accept=".pdf,.xml,application/pdf,application/xml,text/xml";
                button.primary type="submit" { (lang.t("upload.submit")) }
            }
            ul.uploads #upload-list aria-live="polite" data-label-uploading=(lang.t("upload.uploading")) data-label-failed=(lang.t("upload.failed")) {}
            (reading_accuracy(lang, &accuracy))
        },
    ))
}

/// The window of the reading-accuracy table under the upload form.
const ACCURACY_DAYS: u32 = 90;

/// The share kept as the locale writes it (`91.7 %`, `91,7 %`).
fn percent(lang: Lang, o: &Outcomes) -> String {
    // Tenths of a percent are ten basis points; a share is at most 1000 of them.
    o.permille_kept()
        .and_then(|p| i64::try_from(p).ok())
        .map(|p| format!("{} %", super::dashboard::percent(lang, p * 10)))
        .unwrap_or_else(|| "–".into())
}

/// The review form's label of a measured field.
fn field_label(lang: Lang, field: &str) -> &'static str {
    lang.t(match field {
        "counterparty_vat_number" => "field.vat_number",
        "counterparty_iban" => "field.iban",
        "counterparty_bic" => "field.bic",
        "direction" => "field.direction",
        "kind" => "field.kind",
        "invoice_number" => "field.invoice_number",
        "corrects_invoice_number" => "field.corrects_invoice_number",
        "counterparty_name" => "field.counterparty_name",
        "issue_date" => "field.issue_date",
        "due_date" => "field.due_date",
        "currency" => "field.currency",
        "subtotal" => "field.subtotal",
        "vat_amount" => "field.vat_amount",
        "total" => "field.total",
        _ => "field.payment_reference",
    })
}

/// How well the confirmed uploads of the last [`ACCURACY_DAYS`] days were read: per field, what
/// people kept, corrected, typed in or cleared on confirming.
fn reading_accuracy(lang: Lang, r: &ReadingAccuracy) -> Markup {
    html! {
        section.card #reading-accuracy {
            h2 { (lang.t("reading.title")) }
            @if r.drafts == 0 {
                p.muted { (lang.t("reading.none")) }
            } @else {
                p {
                    strong { (percent(lang, &r.overall)) } " " (lang.t("reading.kept_share")) " · "
                    (lang.t("reading.drafts")) ": " (r.drafts) " · " (lang.t("reading.unchanged")) ": " (r.unchanged)
                }
                table.invoices.reading {
                    thead { tr {
                        th scope="col" { (lang.t("reading.field")) }
                        th.num scope="col" { (lang.t("reading.kept")) }
                        th.num scope="col" { (lang.t("reading.corrected")) }
                        th.num scope="col" { (lang.t("reading.added")) }
                        th.num scope="col" { (lang.t("reading.removed")) }
                        th.num scope="col" { (lang.t("reading.share")) }
                    } }
                    tbody {
                        @for (field, o) in r.fields.iter().filter(|(_, o)| o.counted() > 0) {
                            tr {
                                th scope="row" { (field_label(lang, field)) }
                                td.num { (o.kept) }
                                td.num { (o.corrected) }
                                td.num { (o.added) }
                                td.num { (o.removed) }
                                td.num { (percent(lang, o)) }
                            }
                        }
                    }
                }
                p.muted { (lang.t("reading.explain")) }
            }
        }
    }
}

pub(crate) struct Received {
    pub(crate) name: String,
    pub(crate) bytes: Vec<u8>,
}

pub(crate) async fn read_parts(
    mut multipart: Multipart,
    limit: usize,
) -> Result<(Option<String>, Vec<Received>), ApiError> {
    let malformed = |e: actix_multipart::MultipartError| ApiError::BadRequest(format!("malformed multipart body: {e}"));
    let mut csrf = None;
    let mut files = Vec::new();
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(malformed)?;
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.content_disposition().and_then(|d| d.get_filename()).unwrap_or("document").to_owned();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(malformed)?;
            if bytes.len() + chunk.len() > limit {
                return Err(ApiError::PayloadTooLarge { limit });
            }
            bytes.extend_from_slice(&chunk);
        }
        match name.as_str() {
            CSRF_FIELD => csrf = Some(String::from_utf8_lossy(&bytes).trim().to_owned()),
            "file" if !bytes.is_empty() || file_name != "document" => {
                if files.len() == MAX_FILES {
                    return Err(ApiError::field("file", format!("at most {MAX_FILES} files at once")));
                }
                files.push(Received { name: file_name, bytes });
            }
            _ => {}
        }
    }
    Ok((csrf, files))
}

fn result_item(lang: Lang, name: &str, outcome: &Result<Upload, ApiError>) -> Markup {
    html! {
        @match outcome {
            Ok(upload) => li.upload.done {
                span.file { (name) }
                " "
                span.badge.safe { "✓ " (lang.t("upload.read")) }
                " "
                @if upload.existing { span.tag { (lang.t("upload.already")) } " " }
                @if !upload.suspected_duplicates.is_empty() { span.tag.warn { "⚠ " (lang.t("upload.duplicate")) } " " }
                a href=(format!("/drafts/{}", upload.draft.id.0)) { (lang.t("upload.review")) }
            },
            Err(e) => li.upload.failed role="alert" {
                span.file { (name) } " · " span.error { "✕ " (e.to_string()) }
            },
        }
    }
}

/// `POST /upload`: each file becomes a draft. A scripted upload (one file, `X-CSRF-Token`)
/// gets its list item; a plain form the list of all.
pub(crate) async fn upload(s: Signed, req: HttpRequest, payload: web::Payload) -> Result<HttpResponse, UiError> {
    let lang = s.lang;
    let limit = s.state.intake.max_bytes();
    let multipart = Multipart::new(req.headers(), payload);
    let (csrf, files) = read_parts(multipart, limit).await.map_err(|e| UiError::api(lang, e))?;
    let header_token = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_owned);
    s.check_csrf_token(header_token.as_deref().or(csrf.as_deref()))?;
    let scripted = header_token.is_some();
    let state = s.state.clone();
    let actor = s.auth.actor;
    let outcomes = billify_web::blocking(move || {
        Ok(files
            .into_iter()
            .map(|f| {
                let outcome = state.intake.upload(&actor, &f.name, &f.bytes).map_err(ApiError::from);
                (f.name, outcome)
            })
            .collect::<Vec<_>>())
    })
    .await
    .map_err(|e| UiError::api(lang, e))?;
    if scripted {
        let items = html! { @for (name, outcome) in &outcomes { (result_item(lang, name, outcome)) } };
        let failed = outcomes.iter().any(|(_, o)| o.is_err());
        let mut response = if failed { HttpResponse::UnprocessableEntity() } else { HttpResponse::Ok() };
        return Ok(response
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(items.into_string()));
    }
    // One good file: straight to its review.
    if let [(_, Ok(upload))] = outcomes.as_slice() {
        return Ok(layout::see_other(&format!("/drafts/{}", upload.draft.id.0)));
    }
    Ok(layout::page(
        &s,
        lang.t("upload.title"),
        Nav::Upload,
        html! {
            h1 { (lang.t("upload.title")) }
            @if outcomes.is_empty() { p.error role="alert" { (lang.t("upload.none")) } }
            ul.uploads { @for (name, outcome) in &outcomes { (result_item(lang, name, outcome)) } }
            p { a href="/upload" { (lang.t("upload.more")) } }
        },
    ))
}

fn draft_id(lang: Lang, text: &str) -> Result<DraftId, UiError> {
    text.parse::<uuid::Uuid>().map(DraftId).map_err(|_| UiError::api(lang, ApiError::NotFound("draft".into())))
}

/// The extraction's confidence (0 to 100) behind a draft field, when the extractor gave one.
fn confidence(extraction: &serde_json::Value, field: &str, direction: &str) -> Option<u64> {
    // A payable's counterparty is the seller, a receivable's the buyer.
    let party = if direction == "receivable" { "buyer" } else { "seller" };
    let path: Vec<&str> = match field {
        "counterparty.name" => vec![party, "name"],
        "counterparty.vat_number" => vec![party, "vat_number"],
        "counterparty.iban" => vec![party, "iban"],
        "counterparty.bic" => vec![party, "bic"],
        "corrects_invoice_number" => vec!["preceding_invoice_number"],
        other => vec![other],
    };
    let mut value = extraction;
    for step in path {
        value = value.get(step)?;
    }
    value.get("confidence")?.as_u64()
}

struct Review {
    draft: Draft,
    duplicates: Vec<(String, String)>,
}

/// Invoices with the draft's number and counterparty (what confirming would collide with).
fn duplicates_of(
    state: &billify_web::AppState,
    actor: &billify_app::Actor,
    fields: &InvoiceInput,
) -> Result<Vec<(String, String)>, ApiError> {
    let Some(number) = fields.invoice_number.as_deref().map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(Vec::new());
    };
    let mut query = InvoiceQuery::all(state.invoices.today(actor)?);
    query.text = Some(number.to_owned());
    query.limit = 20;
    let page = state.invoices.list(actor, &query)?;
    let name = fields.counterparty_name.as_deref().unwrap_or_default().trim().to_lowercase();
    Ok(page
        .items
        .iter()
        .filter(|i| i.invoice_number().as_str() == number && i.counterparty().name().trim().to_lowercase() == name)
        .map(|i| (i.id().to_string(), i.invoice_number().to_string()))
        .collect())
}

async fn load(s: &Signed, id: DraftId) -> Result<Review, UiError> {
    let state = s.state.clone();
    let actor = s.auth.actor;
    billify_web::blocking(move || {
        let draft = state.intake.draft(&actor, id)?;
        let duplicates =
            if draft.invoice_id.is_none() { duplicates_of(&state, &actor, &draft.fields)? } else { Vec::new() };
        Ok(Review { draft, duplicates })
    })
    .await
    .map_err(|e| UiError::api(s.lang, e))
}

fn review_page(s: &Signed, review: &Review, shown: &InvoiceInput, errors: &Errors) -> HttpResponse {
    let lang = s.lang;
    let draft = &review.draft;
    let id = draft.id.0;
    let extraction: serde_json::Value = serde_json::from_str(&draft.extraction).unwrap_or(serde_json::Value::Null);
    let violations: Vec<(String, String)> = extraction
        .get("rule_violations")
        .and_then(|v| v.as_array())
        .map(|list| {
            list.iter()
                .map(|v| {
                    (
                        v.get("rule").and_then(|r| r.as_str()).unwrap_or_default().to_owned(),
                        v.get("message").and_then(|m| m.as_str()).unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let direction = shown.direction.clone().unwrap_or_else(|| "payable".into());
    let write = s.can(Permission::WriteInvoices) && draft.invoice_id.is_none();
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    let field = |name: &str, key: &str, v: String, kind: &str| -> Markup {
        let low = confidence(&extraction, name, &direction).is_some_and(|c| c < LOW_CONFIDENCE);
        let hint = low.then(|| lang.t("review.low_confidence"));
        let mut f = Field::new(name, lang.t(key), &v).kind(kind).class(if low { "low-confidence" } else { "" });
        if let Some(h) = hint {
            f = f.hint(h);
        }
        f.render(errors)
    };
    let select = |name: &str, key: &str, current: &str, options: &[(&str, &str)]| -> Markup {
        let id = format!("f-{name}");
        html! {
            div.field {
                label for=(id) { (lang.t(key)) }
                select #(id) name=(name) {
                    @for (v, k) in options { option value=(v) selected[current == *v] { (lang.t(k)) } }
                }
                @if let Some(m) = errors.of(name) { p.error { (m) } }
            }
        }
    };
    let shown_fields = [
        "direction",
        "kind",
        "invoice_number",
        "counterparty.name",
        "counterparty.vat_number",
        "counterparty.iban",
        "counterparty.bic",
        "issue_date",
        "due_date",
        "currency",
        "subtotal",
        "vat_amount",
        "total",
        "payment_reference",
        "corrects_invoice_number",
    ];
    layout::page(
        s,
        lang.t("review.title"),
        Nav::Upload,
        html! {
            h1 { (lang.t("review.title")) }
            @if let Some(invoice) = draft.invoice_id {
                p.notice { (lang.t("review.confirmed")) " " a href=(format!("/invoices/{invoice}")) { (lang.t("review.see_invoice")) } }
            }
            @if !review.duplicates.is_empty() {
                div.notice.warn role="status" {
                    strong { "⚠ " (lang.t("review.duplicates")) }
                    ul { @for (iid, number) in &review.duplicates { li { a href=(format!("/invoices/{iid}")) { (number) } } } }
                }
            }
            @if !violations.is_empty() {
                div.notice.warn role="status" {
                    strong { "⚠ " (lang.t("review.violations")) }
                    ul.violations { @for (rule, message) in &violations { li { code { (rule) } " " (message) } } }
                }
            }
            @for (_, message) in errors.others(&shown_fields) { p.error.form-error role="alert" { (message) } }
            div.review {
                form.card.draft-form method="post" action=(format!("/drafts/{id}")) novalidate {
                    (layout::csrf(s))
                    input type="hidden" name="version" value=(draft.version);
                    fieldset disabled[!write] {
                        legend.sr-only { (lang.t("review.fields")) }
                        (select("direction", "field.direction", &direction, &[("payable", "direction.payable"), ("receivable", "direction.receivable")]))
                        (select("kind", "field.kind", shown.kind.as_deref().unwrap_or("invoice"), &[("invoice", "kind.invoice"), ("credit_note", "kind.credit_note")]))
                        (field("invoice_number", "field.invoice_number", value(&shown.invoice_number), "text"))
                        (field("counterparty.name", "field.counterparty_name", value(&shown.counterparty_name), "text"))
                        (field("counterparty.vat_number", "field.vat_number", value(&shown.counterparty_vat_number), "text"))
                        (field("counterparty.iban", "field.iban", value(&shown.counterparty_iban), "text"))
                        (field("counterparty.bic", "field.bic", value(&shown.counterparty_bic), "text"))
                        (field("issue_date", "field.issue_date", value(&shown.issue_date), "date"))
                        (field("due_date", "field.due_date", value(&shown.due_date), "date"))
                        (field("currency", "field.currency", value(&shown.currency), "text"))
                        (field("subtotal", "field.subtotal", value(&shown.subtotal), "text"))
                        (field("vat_amount", "field.vat_amount", value(&shown.vat_amount), "text"))
                        (field("total", "field.total", value(&shown.total), "text"))
                        (field("payment_reference", "field.payment_reference", value(&shown.payment_reference), "text"))
                        @if shown.kind.as_deref() == Some("credit_note") {
                            (field("corrects_invoice_number", "field.corrects_invoice_number", value(&shown.corrects_invoice_number), "text"))
                        }
                    }
                    @if write {
                        div.actions {
                            button.primary type="submit" name="action" value="confirm" { (lang.t("review.confirm")) }
                            button type="submit" name="action" value="save" { (lang.t("review.save")) }
                            button.danger type="submit" name="action" value="discard" formnovalidate { (lang.t("review.discard")) }
                        }
                    }
                }
                div.preview {
                    iframe src=(format!("/drafts/{id}/document")) title=(lang.t("review.preview")) {}
                    p { a href=(format!("/drafts/{id}/document")) target="_blank" rel="noopener" { (lang.t("review.open_document")) } }
                }
            }
        },
    )
}

/// `GET /drafts/{id}`.
pub(crate) async fn review(s: Signed, path: web::Path<String>) -> Result<HttpResponse, UiError> {
    let id = draft_id(s.lang, &path)?;
    let review = load(&s, id).await?;
    let fields = review.draft.fields.clone();
    Ok(review_page(&s, &review, &fields, &Errors::default()))
}

fn fields_of(form: &FormData) -> InvoiceInput {
    let amount = |name: &str| form.optional(name).map(|v| crate::pages::invoices::typed_amount(&v));
    InvoiceInput {
        direction: form.optional("direction"),
        invoice_number: form.optional("invoice_number"),
        counterparty_name: form.optional("counterparty.name"),
        counterparty_vat_number: form.optional("counterparty.vat_number"),
        counterparty_iban: form.optional("counterparty.iban"),
        counterparty_bic: form.optional("counterparty.bic"),
        issue_date: form.optional("issue_date"),
        due_date: form.optional("due_date"),
        currency: form.optional("currency").map(|c| c.to_uppercase()),
        subtotal: amount("subtotal"),
        vat_amount: amount("vat_amount"),
        total: amount("total"),
        payment_reference: form.optional("payment_reference"),
        kind: form.optional("kind"),
        corrects_invoice_number: form.optional("corrects_invoice_number"),
        ..InvoiceInput::default()
    }
}

/// `POST /drafts/{id}`: saves the fields, then confirms (`action=confirm`) or not; or discards
/// the draft (`action=discard`).
pub(crate) async fn submit(s: Signed, path: web::Path<String>, body: web::Bytes) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    s.check_csrf_only(&form)?;
    let lang = s.lang;
    // A control character in a field is refused next to it, like the API's 422.
    let checked = form.check_text(lang);
    let id = draft_id(lang, &path)?;
    let version: i64 = form.text("version").parse().unwrap_or(-1);
    let action = form.text("action");
    let fields = fields_of(&form);
    let state = s.state.clone();
    let actor = s.auth.actor;
    let shown = fields.clone();
    let result = billify_web::blocking(move || {
        checked?;
        if action == "discard" {
            state.intake.discard(&actor, id)?;
            return Ok("/upload".to_owned());
        }
        let draft = match state.intake.update_draft(&actor, id, version, InputChanges::replace_with(fields)) {
            Ok(draft) => draft,
            Err(e) => return Err(e.into()),
        };
        if action == "confirm" {
            let invoice = state.intake.confirm(&actor, id, draft.version).map_err(|e| match e {
                // Saved, but not valid as an invoice yet: the fields say why.
                IntakeError::Invalid(problems) => ApiError::Validation(
                    problems.into_iter().map(|p| billify_web::problem::FieldError::new(p.field, p.message)).collect(),
                ),
                other => other.into(),
            })?;
            return Ok(format!("/invoices/{}", invoice.id()));
        }
        Ok(format!("/drafts/{}", id.0))
    })
    .await;
    match result {
        Ok(location) => Ok(layout::see_other(&location)),
        Err(e @ (ApiError::Validation(_) | ApiError::Conflict { .. })) => {
            let review = load(&s, id).await?;
            let errors = match &e {
                ApiError::Conflict { .. } => Errors(vec![("_form".into(), e.to_string())]),
                other => Errors::from_api(other),
            };
            let mut response = review_page(&s, &review, &shown, &errors);
            *response.status_mut() = e.status_code();
            Ok(response)
        }
        Err(e) => Err(UiError::api(lang, e)),
    }
}

/// `GET /drafts/{id}/document`: the draft's document for the preview.
pub(crate) async fn document(s: Signed, path: web::Path<String>) -> Result<HttpResponse, UiError> {
    let id = draft_id(s.lang, &path)?;
    let state = s.state.clone();
    let actor = s.auth.actor;
    let (media_type, bytes) = billify_web::blocking(move || Ok(state.intake.document_of_draft(&actor, id)?))
        .await
        .map_err(|e| UiError::api(s.lang, e))?;
    Ok(crate::pages::invoices::document_response(media_type, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_kept_are_written_as_the_locale_writes_them() {
        let o = Outcomes { kept: 11, corrected: 1, ..Outcomes::default() };
        assert_eq!(percent(Lang::En, &o), "91.7 %");
        assert_eq!(percent(Lang::Nl, &o), "91,7 %");
        assert_eq!(percent(Lang::Fr, &Outcomes::default()), "–", "nothing counted");
    }
}
