//! The organisation as a whole: its audit trail, its data export (a zip) and its deletion.

use std::io::Write as _;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use billify_app::{ExportFile, OrganisationError};
use billify_domain::UserId;
use billify_ports::AuditQuery;
use billify_ports::audit::{AuditAction, AuditEntry};
use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::auth::Authenticated;
use crate::extract::{JsonBody, parse_query};
use crate::problem::{ApiError, FieldError};
use crate::{AppState, blocking, timestamp};

impl From<OrganisationError> for ApiError {
    fn from(e: OrganisationError) -> Self {
        match e {
            OrganisationError::Forbidden => ApiError::Forbidden("your role does not allow this".into()),
            OrganisationError::NotFound => ApiError::NotFound("organisation not found".into()),
            OrganisationError::Invalid { field, message } => ApiError::field(field, message),
            e @ OrganisationError::ExportTooLarge { .. } => {
                ApiError::Unprocessable { kind: "export-too-large", detail: e.to_string() }
            }
            OrganisationError::Repository(e) => e.into(),
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuditParams {
    action: Option<String>,
    actor: Option<String>,
    from: Option<String>,
    to: Option<String>,
    target: Option<String>,
    target_id: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

fn parse_time(field: &str, text: &str, errors: &mut Vec<FieldError>) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339)
        .map_err(|_| errors.push(FieldError::new(field, "an RFC 3339 timestamp, e.g. 2026-11-28T10:00:00Z")))
        .ok()
}

fn entry_view(e: &AuditEntry) -> serde_json::Value {
    let json = |t: &Option<String>| {
        t.as_deref().map(|t| serde_json::from_str::<serde_json::Value>(t).unwrap_or(serde_json::Value::Null))
    };
    serde_json::json!({
        "id": e.id.to_string(),
        "seq": e.seq,
        "action": e.action,
        "actor_user_id": e.actor.map(|u| u.to_string()),
        "target": {"kind": e.target_kind, "id": e.target_id},
        "occurred_at": timestamp(e.occurred_at),
        "ip": e.ip,
        "before": json(&e.before),
        "after": json(&e.after),
        "prev_hash": e.prev_hash,
        "hash": e.hash,
    })
}

#[utoipa::path(
    get,
    path = "/api/v1/audit",
    operation_id = "organisation_audit",
    tag = "organisation",
    summary = "The audit trail, newest first.",
    params(AuditParams),
    responses(
        (status = 200, description = "A page of entries.", body = crate::doc_types::Page<crate::doc_types::AuditEntryDoc>),
    )
)]
pub(crate) async fn audit(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let params: AuditParams = parse_query(req.query_string())?;
    let mut errors = Vec::new();
    let actor_filter = params
        .actor
        .as_deref()
        .and_then(|a| a.parse::<UserId>().map_err(|_| errors.push(FieldError::new("actor", "not a user id"))).ok());
    if params.action.as_deref().is_some_and(|a| AuditAction::parse(a).is_none()) {
        errors.push(FieldError::new("action", "not an audit action (see docs/api.md)"));
    }
    if params.target.as_deref().is_some_and(|t| !billify_ports::audit::TARGET_KINDS.contains(&t)) {
        errors.push(FieldError::new(
            "target",
            format!("not a target kind; one of {}", billify_ports::audit::TARGET_KINDS.join(", ")),
        ));
    }
    let from = params.from.as_deref().and_then(|t| parse_time("from", t, &mut errors));
    let to = params.to.as_deref().and_then(|t| parse_time("to", t, &mut errors));
    let before_seq = params.cursor.as_deref().and_then(|c| {
        c.parse::<i64>().ok().filter(|n| *n > 0).or_else(|| {
            errors.push(FieldError::new("cursor", "not a cursor returned by this API (next_cursor)"));
            None
        })
    });
    let limit = match params.limit.as_deref().map(str::parse::<u32>) {
        None => 50,
        Some(Ok(n)) if (1..=200).contains(&n) => n,
        Some(_) => {
            errors.push(FieldError::new("limit", "limit is a number from 1 to 200"));
            50
        }
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let query = AuditQuery {
        action: params.action,
        actor: actor_filter,
        from,
        to,
        target_kind: params.target,
        target_id: params.target_id,
        before_seq,
        limit,
    };
    let actor = auth.0.actor;
    let entries = blocking(move || Ok(state.organisation.audit_entries(&actor, &query)?)).await?;
    let next_cursor = (entries.len() == limit as usize).then(|| entries.last().map(|e| e.seq.to_string())).flatten();
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "items": entries.iter().map(entry_view).collect::<Vec<_>>(),
        "next_cursor": next_cursor,
    })))
}

/// The files in a zip, deflated, built in memory (the export is capped by the use case).
fn zip_files(files: &[ExportFile]) -> Result<Vec<u8>, zip::result::ZipError> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for file in files {
        writer.start_file(file.name.as_str(), options)?;
        writer.write_all(&file.bytes)?;
    }
    Ok(writer.finish()?.into_inner())
}

#[utoipa::path(
    get,
    path = "/api/v1/organisation/export",
    operation_id = "organisation_export",
    tag = "organisation",
    summary = "Export all the organisation's data as a zip.",
    responses(
        (status = 200, description = "A zip of JSON files and documents.", content_type = "application/zip"),
        (status = 422, description = "/problems/export-too-large"),
    )
)]
pub(crate) async fn export(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let actor = auth.0.actor;
    let bytes = blocking(move || {
        let files = state.organisation.export(&actor)?;
        zip_files(&files).map_err(|e| {
            log::error!("building the export zip failed: {e}");
            ApiError::Internal
        })
    })
    .await?;
    let name = format!("billify-export-{}.zip", actor.organisation_id);
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header(header::ContentDisposition {
            disposition: header::DispositionType::Attachment,
            parameters: vec![header::DispositionParam::Filename(name)],
        })
        .body(bytes))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeleteBody {
    confirm: String,
}

#[utoipa::path(
    delete,
    path = "/api/v1/organisation",
    operation_id = "organisation_delete",
    tag = "organisation",
    summary = "Delete the organisation and all its data (owner, interactive session).",
    request_body = DeleteBody,
    responses(
        (status = 204, description = "Deleted."),
    )
)]
pub(crate) async fn delete(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<DeleteBody>,
) -> Result<HttpResponse, ApiError> {
    let actor = auth.0.actor;
    let body = body.parse()?;
    blocking(move || {
        let deleted = state.organisation.delete(&actor, &body.confirm)?;
        // Its members' sessions there end at once in this process too.
        state.accounts.sessions_changed();
        Ok(deleted)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
