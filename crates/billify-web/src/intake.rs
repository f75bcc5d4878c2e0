//! Document intake: upload a PDF or e-invoice, review the draft, confirm it into an invoice.

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use billify_app::{IntakeError, ReadError, Upload};
use billify_ports::documents::{DocumentRecord, Draft, DraftId};
use billify_ports::input::InputChanges;
use billify_ports::intake::ExtractionError;
use futures_util::StreamExt as _;
use serde::{Deserialize, Deserializer, Serialize};

use crate::auth::Authenticated;
use crate::extract::JsonBody;
use crate::invoices::InvoiceView;
use crate::problem::{ApiError, FieldError};
use crate::{AppState, blocking, timestamp};

/// When to retry an upload refused because the server reads as many documents as it allows:
/// one read takes at most its time budget (2 s by default).
const READ_RETRY_AFTER_SECONDS: u64 = 2;

impl From<IntakeError> for ApiError {
    fn from(e: IntakeError) -> Self {
        let unreadable = |detail: String| ApiError::Unprocessable { kind: "unreadable-document", detail };
        match e {
            IntakeError::Read(ReadError::Empty) => unreadable("the file is empty".into()),
            IntakeError::Read(ReadError::TooLarge { limit, .. }) => ApiError::PayloadTooLarge { limit },
            IntakeError::Read(ReadError::Unsupported) => {
                ApiError::UnsupportedMediaType("upload a PDF or an e-invoice XML (Peppol UBL, UN/CEFACT CII)".into())
            }
            IntakeError::Read(ReadError::Extraction(e)) => match e {
                ExtractionError::UnsupportedType(what) => ApiError::UnsupportedMediaType(what),
                // Past the budget of one read (bytes, objects, glyphs, time): the document asks
                // more than any invoice needs.
                ExtractionError::TooLarge(what) => ApiError::Unprocessable {
                    kind: "document-too-complex",
                    detail: format!("the document is too complex to read: {what}"),
                },
                ExtractionError::Timeout => ApiError::Unprocessable {
                    kind: "document-too-complex",
                    detail: "the document is too complex to read: it takes longer than the time budget".into(),
                },
                e @ ExtractionError::Encrypted => {
                    ApiError::Unprocessable { kind: "password-protected-document", detail: e.to_string() }
                }
                other => unreadable(other.to_string()),
            },
            IntakeError::Read(busy @ ReadError::Busy { .. }) => {
                ApiError::Busy { detail: busy.to_string(), retry_after_seconds: READ_RETRY_AFTER_SECONDS }
            }
            IntakeError::NotFound => ApiError::NotFound("not found".into()),
            IntakeError::Forbidden => ApiError::Forbidden("your role does not allow changing invoices".into()),
            IntakeError::Invalid(problems) => ApiError::Validation(
                problems.into_iter().map(|p| FieldError::new(format!("fields.{}", p.field), p.message)).collect(),
            ),
            IntakeError::Rule { field, message } => ApiError::field(field, message),
            IntakeError::AlreadyConfirmed(id) => ApiError::Conflict {
                kind: "draft-confirmed",
                detail: format!("the draft was already confirmed as invoice {id}"),
                current_version: None,
            },
            IntakeError::StaleVersion { current } => ApiError::Conflict {
                kind: "stale-version",
                detail: format!("the draft was changed by someone else; it is now at version {current}"),
                current_version: Some(current),
            },
            IntakeError::Duplicate(detail) => {
                ApiError::Conflict { kind: "duplicate-invoice", detail, current_version: None }
            }
            IntakeError::Storage(e) => {
                log::error!("document storage failed: {e}");
                ApiError::Internal
            }
            IntakeError::Repository(e) => e.into(),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
struct CounterpartyFields {
    name: Option<String>,
    vat_number: Option<String>,
    iban: Option<String>,
    bic: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct FieldsView {
    direction: Option<String>,
    kind: Option<String>,
    corrects_invoice_number: Option<String>,
    invoice_number: Option<String>,
    counterparty: CounterpartyFields,
    issue_date: Option<String>,
    due_date: Option<String>,
    currency: Option<String>,
    subtotal: Option<String>,
    vat_amount: Option<String>,
    total: Option<String>,
    payment_reference: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct DocumentView {
    digest: String,
    file_name: String,
    media_type: String,
    size: u64,
}

#[derive(Serialize, utoipa::ToSchema)]
struct DraftView {
    id: String,
    status: &'static str,
    invoice_id: Option<String>,
    method: &'static str,
    document: Option<DocumentView>,
    fields: FieldsView,
    extraction: serde_json::Value,
    suspected_duplicates: Vec<String>,
    created_at: String,
    expires_at: Option<String>,
    version: i64,
}

fn draft_view(draft: &Draft, document: Option<&DocumentRecord>, suspected: &[billify_domain::InvoiceId]) -> DraftView {
    let f = &draft.fields;
    DraftView {
        id: draft.id.0.to_string(),
        status: if draft.invoice_id.is_some() { "confirmed" } else { "draft" },
        invoice_id: draft.invoice_id.map(|i| i.to_string()),
        method: draft.method.code(),
        document: document.map(|d| DocumentView {
            digest: d.digest.as_str().to_owned(),
            file_name: d.file_name.clone(),
            media_type: d.media_type.clone(),
            size: d.size,
        }),
        fields: FieldsView {
            direction: f.direction.clone(),
            kind: f.kind.clone(),
            corrects_invoice_number: f.corrects_invoice_number.clone(),
            invoice_number: f.invoice_number.clone(),
            counterparty: CounterpartyFields {
                name: f.counterparty_name.clone(),
                vat_number: f.counterparty_vat_number.clone(),
                iban: f.counterparty_iban.clone(),
                bic: f.counterparty_bic.clone(),
            },
            issue_date: f.issue_date.clone(),
            due_date: f.due_date.clone(),
            currency: f.currency.clone(),
            subtotal: f.subtotal.clone(),
            vat_amount: f.vat_amount.clone(),
            total: f.total.clone(),
            payment_reference: f.payment_reference.clone(),
        },
        extraction: serde_json::from_str(&draft.extraction).unwrap_or(serde_json::Value::Null),
        suspected_duplicates: suspected.iter().map(ToString::to_string).collect(),
        created_at: timestamp(draft.created_at),
        expires_at: draft.invoice_id.is_none().then(|| timestamp(draft.expires_at)),
        version: draft.version,
    }
}

fn draft_id(text: &str) -> Result<DraftId, ApiError> {
    uuid::Uuid::parse_str(text).map(DraftId).map_err(|_| ApiError::NotFound("draft not found".into()))
}

/// Reads the `file` part of a `multipart/form-data` request (415 for other content types),
/// refusing more than `limit` bytes while streaming.
pub(crate) async fn read_file_upload(
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
) -> Result<(String, Vec<u8>), ApiError> {
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    if !is_multipart {
        return Err(ApiError::UnsupportedMediaType(
            "send the file as multipart/form-data with a \"file\" field".into(),
        ));
    }
    crate::extract::within_body_timeout(read_file_part(Multipart::new(req.headers(), payload), limit)).await
}

async fn read_file_part(mut multipart: Multipart, limit: usize) -> Result<(String, Vec<u8>), ApiError> {
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(|e| ApiError::BadRequest(format!("malformed multipart body: {e}")))?;
        if field.name() != Some("file") {
            // Drain and ignore other parts.
            while let Some(chunk) = field.next().await {
                chunk.map_err(|e| ApiError::BadRequest(format!("malformed multipart body: {e}")))?;
            }
            continue;
        }
        let name = field.content_disposition().and_then(|d| d.get_filename()).unwrap_or("document").to_owned();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("malformed multipart body: {e}")))?;
            if bytes.len() + chunk.len() > limit {
                return Err(ApiError::PayloadTooLarge { limit });
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok((name, bytes));
    }
    Err(ApiError::field("file", "send the document as the multipart field \"file\""))
}

#[utoipa::path(
    post,
    path = "/api/v1/invoices/uploads",
    operation_id = "intake_upload",
    tag = "invoices",
    summary = "Upload a document (multipart field `file`): PDF, Peppol UBL, CII or Factur-X; answers its draft.",
    request_body(content_type = "multipart/form-data", description = "The file, as the form field `file`."),
    responses(
        (status = 201, description = "A new draft; Location names it.", body = DraftView),
        (status = 200, description = "The same document was uploaded before: its draft.", body = DraftView),
        (status = 413, description = "/problems/payload-too-large"),
        (status = 415, description = "/problems/unsupported-media-type"),
        (status = 422, description = "/problems/unreadable-document /problems/document-too-complex /problems/password-protected-document"),
        (status = 503, description = "/problems/busy: as many documents are being read as allowed; see Retry-After"),
    )
)]
pub(crate) async fn upload(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let (name, bytes) = read_file_upload(&req, payload, state.intake.max_bytes()).await?;
    let actor = auth.0.actor;
    let started = std::time::Instant::now();
    let upload: Upload = blocking(move || Ok(state.intake.upload(&actor, &name, &bytes)?)).await?;
    if !upload.existing {
        // The read of a new document (a known one is not read again), by how it was read.
        metrics::histogram!("billify_extraction_duration_seconds", "method" => upload.draft.method.code())
            .record(started.elapsed().as_secs_f64());
    }
    let view = draft_view(&upload.draft, Some(&upload.document), &upload.suspected_duplicates);
    let mut response = if upload.existing { HttpResponse::Ok() } else { HttpResponse::Created() };
    Ok(response.insert_header((header::LOCATION, format!("/api/v1/invoices/drafts/{}", view.id))).json(view))
}

#[utoipa::path(
    get,
    path = "/api/v1/invoices/drafts/{id}",
    operation_id = "intake_get_draft",
    tag = "invoices",
    summary = "A draft with the fields read and their confidence.",
    responses(
        (status = 200, description = "The draft.", body = DraftView),
    )
)]
pub(crate) async fn get_draft(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = draft_id(&path)?;
    let actor = auth.0.actor;
    let draft = blocking(move || Ok(state.intake.draft(&actor, id)?)).await?;
    Ok(HttpResponse::Ok().json(draft_view(&draft, None, &[])))
}

fn nullable<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CounterpartyPatch {
    #[serde(default, deserialize_with = "nullable")]
    name: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    vat_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    iban: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    bic: Option<Option<String>>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DraftPatch {
    version: i64,
    #[serde(default, deserialize_with = "nullable")]
    direction: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    kind: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    corrects_invoice_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    invoice_number: Option<Option<String>>,
    #[serde(default)]
    counterparty: Option<CounterpartyPatch>,
    #[serde(default, deserialize_with = "nullable")]
    issue_date: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    due_date: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    currency: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    subtotal: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    vat_amount: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    total: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    payment_reference: Option<Option<String>>,
}

impl DraftPatch {
    /// The version the change expects and the changes: absent keeps, `null` clears.
    fn into_changes(self) -> (i64, InputChanges) {
        let c = self.counterparty.unwrap_or_default();
        let changes = InputChanges {
            direction: self.direction,
            kind: self.kind,
            corrects_invoice_number: self.corrects_invoice_number,
            invoice_number: self.invoice_number,
            counterparty_name: c.name,
            counterparty_vat_number: c.vat_number,
            counterparty_iban: c.iban,
            counterparty_bic: c.bic,
            issue_date: self.issue_date,
            due_date: self.due_date,
            currency: self.currency,
            subtotal: self.subtotal,
            vat_amount: self.vat_amount,
            total: self.total,
            payment_reference: self.payment_reference,
            ..InputChanges::default()
        };
        (self.version, changes)
    }
}

#[utoipa::path(
    patch,
    path = "/api/v1/invoices/drafts/{id}",
    operation_id = "intake_update_draft",
    tag = "invoices",
    summary = "Correct a draft's fields.",
    request_body = DraftPatch,
    responses(
        (status = 200, description = "Changed.", body = DraftView),
        (status = 409, description = "/problems/stale-version /problems/draft-confirmed"),
    )
)]
pub(crate) async fn update_draft(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
    body: JsonBody<DraftPatch>,
) -> Result<HttpResponse, ApiError> {
    let id = draft_id(&path)?;
    let actor = auth.0.actor;
    let (version, changes) = body.parse()?.into_changes();
    let draft = blocking(move || Ok(state.intake.update_draft(&actor, id, version, changes)?)).await?;
    Ok(HttpResponse::Ok().json(draft_view(&draft, None, &[])))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConfirmBody {
    version: i64,
}

#[utoipa::path(
    post,
    path = "/api/v1/invoices/drafts/{id}/confirm",
    operation_id = "intake_confirm",
    tag = "invoices",
    summary = "Confirm a draft into an invoice.",
    request_body = ConfirmBody,
    responses(
        (status = 201, description = "The invoice.", body = InvoiceView),
        (status = 409, description = "/problems/stale-version /problems/draft-confirmed /problems/duplicate-invoice"),
    )
)]
pub(crate) async fn confirm(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
    body: JsonBody<ConfirmBody>,
) -> Result<HttpResponse, ApiError> {
    let id = draft_id(&path)?;
    let actor = auth.0.actor;
    let body = body.parse()?;
    let (invoice, today) = blocking(move || {
        let invoice = state.intake.confirm(&actor, id, body.version)?;
        Ok((invoice, state.invoices.today(&actor)?))
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/invoices/{}", invoice.id())))
        .json(InvoiceView::new(&invoice, today)))
}

#[utoipa::path(
    delete,
    path = "/api/v1/invoices/drafts/{id}",
    operation_id = "intake_discard",
    tag = "invoices",
    summary = "Discard a draft.",
    responses(
        (status = 204, description = "Discarded."),
        (status = 409, description = "/problems/draft-confirmed"),
    )
)]
pub(crate) async fn discard(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = draft_id(&path)?;
    let actor = auth.0.actor;
    blocking(move || Ok(state.intake.discard(&actor, id)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `inline` (the browser shows the document; its `Content-Security-Policy: sandbox` keeps it
/// inert) with a plain-ASCII `filename` fallback and the UTF-8 `filename*` form (RFC 6266),
/// written by actix-web's `ContentDisposition`.
fn content_disposition(file_name: &str) -> header::ContentDisposition {
    let ascii: String = file_name
        .chars()
        .map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' })
        .collect();
    header::ContentDisposition {
        disposition: header::DispositionType::Inline,
        parameters: vec![
            header::DispositionParam::Filename(ascii),
            header::DispositionParam::FilenameExt(header::ExtendedValue {
                charset: header::Charset::Ext("UTF-8".into()),
                language_tag: None,
                value: file_name.as_bytes().to_vec(),
            }),
        ],
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/invoices/{id}/document",
    operation_id = "intake_document",
    tag = "invoices",
    summary = "The original document of an invoice.",
    responses(
        (status = 200, description = "The file as uploaded, with its media type.", content_type = "application/octet-stream"),
    )
)]
pub(crate) async fn document(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.parse::<billify_domain::InvoiceId>().map_err(|_| ApiError::NotFound("invoice not found".into()))?;
    let actor = auth.0.actor;
    let (record, bytes) = blocking(move || Ok(state.intake.document_of_invoice(&actor, id)?)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, record.media_type.clone()))
        .insert_header(content_disposition(&record.file_name))
        .insert_header(("Content-Security-Policy", "sandbox"))
        .body(bytes))
}

#[cfg(test)]
mod tests {
    use actix_web::ResponseError as _;

    use super::*;

    #[test]
    fn a_busy_reader_is_503_with_retry_after() {
        let response = ApiError::from(IntakeError::Read(ReadError::Busy { limit: 2 })).error_response();
        assert_eq!(response.status(), actix_web::http::StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers().get(header::RETRY_AFTER).and_then(|v| v.to_str().ok()), Some("2"));
    }

    #[test]
    fn past_the_budget_is_document_too_complex() {
        for e in [ExtractionError::Timeout, ExtractionError::TooLarge("more than 500000 glyphs".into())] {
            let api = ApiError::from(IntakeError::Read(ReadError::Extraction(e)));
            assert!(matches!(api, ApiError::Unprocessable { kind: "document-too-complex", .. }), "{api:?}");
        }
    }

    #[test]
    fn content_disposition_is_safe_for_any_name() {
        assert_eq!(
            content_disposition("factuur 1.pdf").to_string(),
            "inline; filename=\"factuur 1.pdf\"; filename*=UTF-8''factuur%201.pdf"
        );
        let tricky = content_disposition("é\"\r\n.pdf").to_string();
        assert!(!tricky.contains('\r') && !tricky.contains('\n'));
        assert!(tricky.starts_with("inline; filename=\"____.pdf\""), "{tricky}");
    }
}
