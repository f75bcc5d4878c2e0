//! Reconciliation: suggestions to decide, matches to list, make and undo, and runs on demand.

use actix_web::{HttpRequest, HttpResponse, web};
use billify_app::{ManualPart, ReconciliationError, SuggestionView};
use billify_domain::{Invoice, InvoiceId};
use billify_ports::reconciliation::StoredMatch;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Authenticated;
use crate::bank::transaction_view;
use crate::extract::{JsonBody, parse_query};
use crate::invoices::DecimalText;
use crate::problem::{ApiError, FieldError};
use crate::{AppState, blocking, timestamp};

impl From<ReconciliationError> for ApiError {
    fn from(e: ReconciliationError) -> Self {
        match e {
            ReconciliationError::Forbidden => ApiError::Forbidden("your role does not allow reconciling".into()),
            // An id in the path names the resource itself: 404. An id in the body names
            // something the request refers to: a field error.
            ReconciliationError::NotFound { field } if field == "id" => ApiError::NotFound("not found".into()),
            ReconciliationError::NotFound { field } => ApiError::field(field, "no such record in this organisation"),
            ReconciliationError::Invalid { field, message } => ApiError::field(field, message),
            ReconciliationError::Conflict(detail) => {
                ApiError::Conflict { kind: "reconciliation-conflict", detail, current_version: None }
            }
            ReconciliationError::Repository(e) => e.into(),
        }
    }
}

fn path_id(text: &str) -> Result<Uuid, ApiError> {
    // A malformed id cannot name anything: same answer as an unknown one.
    Uuid::parse_str(text).map_err(|_| ApiError::NotFound("not found".into()))
}

fn body_id<T: From<Uuid>>(errors: &mut Vec<FieldError>, field: &str, text: &str) -> Option<T> {
    match Uuid::parse_str(text.trim()) {
        Ok(id) => Some(T::from(id)),
        Err(_) => {
            errors.push(FieldError::new(field, "not a valid id"));
            None
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
struct MatchView {
    id: String,
    transaction_id: String,
    invoice_id: String,
    amount: String,
    currency: String,
    overpayment: Option<String>,
    rule: &'static str,
    matched_fields: Vec<String>,
    score: u8,
    applied_by: &'static str,
    applied_by_user_id: Option<String>,
    suggestion_id: Option<String>,
    created_at: String,
    active: bool,
    undone_at: Option<String>,
    undone_by_user_id: Option<String>,
}

fn match_view(m: &StoredMatch) -> MatchView {
    MatchView {
        id: m.id.to_string(),
        transaction_id: m.transaction_id.to_string(),
        invoice_id: m.invoice_id.to_string(),
        amount: m.amount.to_plain_string(),
        currency: m.amount.currency().code().to_owned(),
        overpayment: (!m.overpayment.is_zero()).then(|| m.overpayment.to_plain_string()),
        rule: m.explanation.rule.code(),
        matched_fields: m.explanation.fields.clone(),
        score: m.explanation.score,
        applied_by: if m.applied_by.is_some() { "user" } else { "rules" },
        applied_by_user_id: m.applied_by.map(|u| u.to_string()),
        suggestion_id: m.suggestion_id.map(|s| s.to_string()),
        created_at: timestamp(m.created_at),
        active: m.is_active(),
        undone_at: m.undone_at.map(timestamp),
        undone_by_user_id: m.undone_by.map(|u| u.to_string()),
    }
}

fn candidate_view(invoice: Option<&Invoice>, c: &billify_domain::Candidate) -> serde_json::Value {
    serde_json::json!({
        "invoice_id": c.invoice_id.to_string(),
        "invoice_number": invoice.map(|i| i.invoice_number().as_str().to_owned()),
        "direction": invoice.map(|i| i.direction().code()),
        "counterparty_name": invoice.map(|i| i.counterparty().name().to_owned()),
        "due_date": invoice.map(|i| i.due_date().to_string()),
        "total": invoice.map(|i| i.total().to_plain_string()),
        "open_amount": invoice.map(|i| i.open_amount().to_plain_string()),
        "status": invoice.map(|i| i.status().code()),
        "score": c.explanation.score,
        "matched_fields": c.explanation.fields,
    })
}

fn suggestion_view(v: &SuggestionView) -> serde_json::Value {
    let s = &v.suggestion;
    let like = v.transaction.transaction.transaction.amount();
    let remaining = billify_domain::Money::from_minor_units(v.transaction.remaining_minor(), like.currency())
        .map(|m| m.to_plain_string())
        .unwrap_or_default();
    let mut transaction = serde_json::to_value(transaction_view(&v.transaction.transaction)).unwrap_or_default();
    transaction["unmatched_amount"] = serde_json::json!(remaining);
    serde_json::json!({
        "id": s.id.to_string(),
        "status": s.status.code(),
        "rule": s.rule.code(),
        "reason": s.reason,
        "created_at": timestamp(s.created_at),
        "transaction": transaction,
        "candidates": s.candidates.iter().map(|c| {
            candidate_view(v.invoices.iter().find(|i| i.id() == c.invoice_id), c)
        }).collect::<Vec<_>>(),
    })
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    limit: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/reconciliation/suggestions",
    operation_id = "reconciliation_suggestions",
    tag = "reconciliation",
    summary = "Open suggestions: transactions with candidate invoices.",
    params(ListParams),
    responses(
        (status = 200, description = "Suggestions.", body = crate::doc_types::Items<crate::doc_types::SuggestionDoc>),
    )
)]
pub(crate) async fn suggestions(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let params: ListParams = parse_query(req.query_string())?;
    let limit = match params.limit {
        None => 50,
        Some(l) => match l.parse::<u32>() {
            Ok(n) if (1..=200).contains(&n) => n,
            _ => return Err(ApiError::field("limit", "limit is a number from 1 to 200")),
        },
    };
    let actor = auth.0.actor;
    let views = blocking(move || Ok(state.reconciliation.suggestions(&actor, limit)?)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": views.iter().map(suggestion_view).collect::<Vec<_>>() })))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = SuggestionAcceptBody)]
#[serde(deny_unknown_fields)]
pub(crate) struct AcceptBody {
    invoice_ids: Vec<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/reconciliation/suggestions/{id}/accept",
    operation_id = "reconciliation_accept",
    tag = "reconciliation",
    summary = "Accept a suggestion for one or more of its candidates.",
    request_body = AcceptBody,
    responses(
        (status = 200, description = "The matches made.", body = crate::doc_types::Matches<MatchView>),
        (status = 409, description = "/problems/reconciliation-conflict /problems/conflict"),
    )
)]
pub(crate) async fn accept(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
    body: JsonBody<AcceptBody>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&path)?;
    let body = body.parse()?;
    let mut errors = Vec::new();
    let chosen: Vec<InvoiceId> = body
        .invoice_ids
        .iter()
        .enumerate()
        .filter_map(|(n, text)| body_id(&mut errors, &format!("invoice_ids[{n}]"), text))
        .collect();
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let actor = auth.0.actor;
    let matches = blocking(move || Ok(state.reconciliation.accept(&actor, id, &chosen)?)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "matches": matches.iter().map(match_view).collect::<Vec<_>>() })))
}

#[utoipa::path(
    post,
    path = "/api/v1/reconciliation/suggestions/{id}/reject",
    operation_id = "reconciliation_reject",
    tag = "reconciliation",
    summary = "Reject a suggestion.",
    responses(
        (status = 200, description = "Rejected.", body = crate::doc_types::Decision),
        (status = 409, description = "/problems/conflict"),
    )
)]
pub(crate) async fn reject(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&path)?;
    let actor = auth.0.actor;
    let suggestion = blocking(move || Ok(state.reconciliation.reject(&actor, id)?)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "id": suggestion.id.to_string(),
        "status": suggestion.status.code(),
        "decided_at": suggestion.decided_at.map(timestamp),
    })))
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct MatchParams {
    invoice_id: Option<String>,
    transaction_id: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/reconciliation/matches",
    operation_id = "reconciliation_matches",
    tag = "reconciliation",
    summary = "Matches between transactions and invoices.",
    params(MatchParams),
    responses(
        (status = 200, description = "Matches.", body = crate::doc_types::Items<MatchView>),
    )
)]
pub(crate) async fn matches(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let params: MatchParams = parse_query(req.query_string())?;
    let mut errors = Vec::new();
    let by = match (&params.invoice_id, &params.transaction_id) {
        (Some(i), None) => body_id::<InvoiceId>(&mut errors, "invoice_id", i).map(Ok),
        (None, Some(t)) => body_id::<Uuid>(&mut errors, "transaction_id", t).map(Err),
        _ => {
            errors.push(FieldError::new("invoice_id", "give exactly one of invoice_id and transaction_id"));
            None
        }
    };
    let Some(by) = by.filter(|_| errors.is_empty()) else { return Err(ApiError::Validation(errors)) };
    let actor = auth.0.actor;
    let found = blocking(move || {
        Ok(match by {
            Ok(invoice) => state.reconciliation.matches_of_invoice(&actor, invoice)?,
            Err(transaction) => state.reconciliation.matches_of_transaction(&actor, transaction)?,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": found.iter().map(match_view).collect::<Vec<_>>() })))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ManualPartBody {
    invoice_id: String,
    amount: DecimalText,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ManualBody {
    transaction_id: String,
    invoices: Vec<ManualPartBody>,
}

#[utoipa::path(
    post,
    path = "/api/v1/reconciliation/matches",
    operation_id = "reconciliation_create_match",
    tag = "reconciliation",
    summary = "Match a transaction to invoices by hand.",
    request_body = ManualBody,
    responses(
        (status = 201, description = "The matches made.", body = crate::doc_types::Matches<MatchView>),
        (status = 409, description = "/problems/reconciliation-conflict /problems/conflict"),
    )
)]
pub(crate) async fn create_match(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<ManualBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.parse()?;
    let mut errors = Vec::new();
    let transaction: Option<Uuid> = body_id(&mut errors, "transaction_id", &body.transaction_id);
    let parts: Vec<ManualPart> = body
        .invoices
        .iter()
        .enumerate()
        .filter_map(|(n, p)| {
            body_id::<InvoiceId>(&mut errors, &format!("invoices[{n}].invoice_id"), &p.invoice_id)
                .map(|invoice_id| ManualPart { invoice_id, amount: p.amount.as_str().to_owned() })
        })
        .collect();
    let Some(transaction) = transaction.filter(|_| errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let actor = auth.0.actor;
    let made = blocking(move || Ok(state.reconciliation.manual_match(&actor, transaction, &parts)?)).await?;
    Ok(HttpResponse::Created().json(serde_json::json!({ "matches": made.iter().map(match_view).collect::<Vec<_>>() })))
}

#[utoipa::path(
    delete,
    path = "/api/v1/reconciliation/matches/{id}",
    operation_id = "reconciliation_undo_match",
    tag = "reconciliation",
    summary = "Undo a match (the rules never apply it again).",
    responses(
        (status = 200, description = "Undone.", body = MatchView),
        (status = 409, description = "/problems/conflict"),
    )
)]
pub(crate) async fn undo_match(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&path)?;
    let actor = auth.0.actor;
    let undone = blocking(move || Ok(state.reconciliation.undo(&actor, id)?)).await?;
    Ok(HttpResponse::Ok().json(match_view(&undone)))
}

#[utoipa::path(
    post,
    path = "/api/v1/reconciliation/run",
    operation_id = "reconciliation_run",
    tag = "reconciliation",
    summary = "Queue a reconciliation run.",
    responses(
        (status = 202, description = "Queued.", body = crate::doc_types::Queued),
    )
)]
pub(crate) async fn run(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let actor = auth.0.actor;
    let queued = blocking(move || Ok(state.reconciliation.request_run(&actor)?)).await?;
    Ok(HttpResponse::Accepted().json(serde_json::json!({ "queued": queued })))
}
