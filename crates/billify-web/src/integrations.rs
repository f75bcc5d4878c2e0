//! Integrations: bank feeds (Ponto Connect: connect, the OAuth callback) and the accounting
//! package (Yuki: connect with an access key, configure), and for both kinds one listing, status
//! (with Yuki's call budget), sync-now, sync history and disconnect. Tokens and access keys never
//! appear in a response.

use actix_web::{HttpRequest, HttpResponse, web};
use billify_app::{AccountingConnect, CallBudget, SyncError};
use billify_ports::accounting::{AccountingError, AccountingRegion};
use billify_ports::banking::BankingError;
use billify_ports::integrations::{Integration, SyncRun};
use serde::{Deserialize, Serialize};

use crate::auth::Authenticated;
use crate::extract::{JsonBody, parse_query};
use crate::problem::{ApiError, FieldError};
use crate::{AppState, blocking, timestamp};

impl From<SyncError> for ApiError {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::NotConfigured => ApiError::Unprocessable {
                kind: "integration-not-configured",
                detail: "bank integration is not configured on this server (set BILLIFY_PONTO_CLIENT_ID)".into(),
            },
            SyncError::AccountingNotConfigured => ApiError::Unprocessable {
                kind: "integration-not-configured",
                detail: "the Yuki integration is not configured on this server".into(),
            },
            SyncError::AccessKeyRefused => ApiError::Unprocessable {
                kind: "access-key-refused",
                detail: "Yuki refused this access key; nothing was stored".into(),
            },
            SyncError::NeedsNewAccessKey => ApiError::Conflict {
                kind: "needs-new-access-key",
                detail: "Yuki refused the stored access key; disconnect and connect again with a new key".into(),
                current_version: None,
            },
            SyncError::AlreadyConnected => {
                ApiError::Conflict { kind: "already-connected", detail: e.to_string(), current_version: None }
            }
            SyncError::AdministrationFixed => {
                ApiError::Conflict { kind: "administration-fixed", detail: e.to_string(), current_version: None }
            }
            SyncError::Accounting(AccountingError::Administration(detail)) => {
                ApiError::Unprocessable { kind: "administration-invalid", detail }
            }
            SyncError::Accounting(e) => {
                log::warn!("accounting provider call failed: {e}");
                ApiError::Unavailable
            }
            SyncError::Forbidden => ApiError::Forbidden("your role does not allow managing integrations".into()),
            SyncError::NotFound => ApiError::NotFound("integration not found".into()),
            SyncError::ConsentInvalid => ApiError::Unprocessable { kind: "consent-invalid", detail: e.to_string() },
            SyncError::Provider(BankingError::AuthorizationInvalid { .. }) => ApiError::Conflict {
                kind: "needs-reconsent",
                detail: "the bank refused the authorization; connect Ponto again".into(),
                current_version: None,
            },
            SyncError::Provider(e) => {
                log::warn!("banking provider call failed: {e}");
                ApiError::Busy { detail: "the bank does not answer; try again later".into(), retry_after_seconds: 30 }
            }
            SyncError::Secret(e) => {
                log::error!("integration secret error: {e}");
                ApiError::Internal
            }
            SyncError::Repository(e) => e.into(),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
struct CallsView {
    used_today: u32,
    budget: u32,
    daily_limit: u32,
    resets_at: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct IntegrationView {
    id: String,
    kind: &'static str,
    provider: &'static str,
    status: &'static str,
    connected: bool,
    consent_expires_at: Option<String>,
    last_attempt_at: Option<String>,
    last_success_at: Option<String>,
    last_error: Option<String>,
    consecutive_failures: i32,
    next_sync_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    administration_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    calls: Option<CallsView>,
    created_at: String,
    updated_at: String,
}

impl IntegrationView {
    pub(crate) fn new(i: &Integration, budget: Option<CallBudget>) -> Self {
        IntegrationView {
            id: i.id.to_string(),
            kind: if i.provider.is_accounting() { "accounting" } else { "bank" },
            provider: i.provider.code(),
            status: i.status.code(),
            connected: i.has_tokens,
            consent_expires_at: i.consent_expires_at.map(timestamp),
            last_attempt_at: i.last_attempt_at.map(timestamp),
            last_success_at: i.last_success_at.map(timestamp),
            last_error: i.last_error.clone(),
            consecutive_failures: i.consecutive_failures,
            next_sync_at: i.next_sync_at.map(timestamp),
            region: i.accounting.as_ref().map(|a| a.region.code()),
            administration_id: i.accounting.as_ref().and_then(|a| a.administration_id.clone()),
            calls: budget.map(|b| CallsView {
                used_today: b.used_today,
                budget: b.budget,
                daily_limit: b.daily_limit,
                resets_at: timestamp(b.resets_at),
            }),
            created_at: timestamp(i.created_at),
            updated_at: timestamp(i.updated_at),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
struct RunView {
    id: String,
    started_at: String,
    finished_at: Option<String>,
    outcome: &'static str,
    new_accounts: u32,
    changed_accounts: u32,
    new_transactions: u32,
    changed_transactions: u32,
    new_invoices: u32,
    changed_invoices: u32,
    closed_invoices: u32,
    flagged_items: u32,
    error: Option<String>,
}

fn run_view(r: &SyncRun) -> RunView {
    RunView {
        id: r.id.to_string(),
        started_at: timestamp(r.started_at),
        finished_at: r.finished_at.map(timestamp),
        outcome: r.outcome.code(),
        new_accounts: r.new_accounts,
        changed_accounts: r.changed_accounts,
        new_transactions: r.new_transactions,
        changed_transactions: r.changed_transactions,
        new_invoices: r.new_invoices,
        changed_invoices: r.changed_invoices,
        closed_invoices: r.closed_invoices,
        flagged_items: r.flagged_items,
        error: r.error.clone(),
    }
}

fn integration_id(text: &str) -> Result<uuid::Uuid, ApiError> {
    // A malformed id cannot name an existing integration: same answer as an unknown one.
    uuid::Uuid::parse_str(text).map_err(|_| ApiError::NotFound("integration not found".into()))
}

/// `POST /bank/integrations/ponto/connect`: the consent URL to send the user to.
#[utoipa::path(
    post,
    path = "/api/v1/bank/integrations/ponto/connect",
    operation_id = "integrations_connect",
    tag = "bank",
    summary = "Start linking Ponto: the consent URL.",
    responses(
        (status = 201, description = "Go to consent_url.", body = crate::doc_types::Connect<IntegrationView>),
        (status = 409, description = "/problems/integration-not-configured"),
    )
)]
pub(crate) async fn connect(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let ctx = auth.0;
    let start = blocking(move || Ok(state.sync.connect(&ctx)?)).await?;
    Ok(HttpResponse::Created().json(serde_json::json!({
        "integration": IntegrationView::new(&start.integration, None),
        "consent_url": start.consent_url,
    })))
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct CallbackParams {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// `GET /bank/integrations/ponto/callback?code=…&state=…`: where the provider's redirect lands
/// (forwarded by the dashboard with the session). Accepted only from the session that started
/// the consent, once.
#[utoipa::path(
    get,
    path = "/api/v1/bank/integrations/ponto/callback",
    operation_id = "integrations_callback",
    tag = "bank",
    summary = "Finish linking Ponto with the consent's `code` and `state`.",
    params(CallbackParams),
    responses(
        (status = 200, description = "Linked.", body = IntegrationView),
        (status = 422, description = "/problems/consent-invalid /problems/consent-refused"),
    )
)]
pub(crate) async fn callback(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let params: CallbackParams = parse_query(req.query_string())?;
    if let Some(error) = params.error {
        let detail = params.error_description.unwrap_or_default();
        return Err(ApiError::Unprocessable {
            kind: "consent-refused",
            detail: format!("the bank link was not authorised ({error}) {detail}").trim().to_owned(),
        });
    }
    let mut errors = Vec::new();
    let code = params.code.filter(|c| !c.is_empty() && c.len() <= 2048);
    let consent_state = params.state.filter(|s| !s.is_empty() && s.len() <= 512);
    if code.is_none() {
        errors.push(FieldError::new("code", "the authorization code is missing"));
    }
    if consent_state.is_none() {
        errors.push(FieldError::new("state", "the state is missing"));
    }
    let (Some(code), Some(consent_state)) = (code, consent_state) else { return Err(ApiError::Validation(errors)) };
    let ctx = auth.0;
    let integration = blocking(move || Ok(state.sync.complete_consent(&ctx, &code, &consent_state)?)).await?;
    Ok(HttpResponse::Ok().json(IntegrationView::new(&integration, None)))
}

/// `GET /integrations` (and `GET /bank/integrations`): every integration of the organisation,
/// bank feeds and accounting alike.
#[utoipa::path(
    get,
    path = "/api/v1/integrations",
    operation_id = "integrations_list",
    tag = "bank",
    summary = "Every integration (bank feeds and accounting) and its status.",
    responses(
        (status = 200, description = "Integrations.", body = crate::doc_types::Items<IntegrationView>),
    )
)]
pub(crate) async fn list(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let actor = auth.0.actor;
    let views = blocking(move || {
        let items = state.sync.list(&actor)?;
        Ok(items.iter().map(|i| IntegrationView::new(i, state.sync.call_budget(i))).collect::<Vec<_>>())
    })
    .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": views })))
}

/// `GET /bank/integrations/{id}`.
#[utoipa::path(
    get,
    path = "/api/v1/bank/integrations/{id}",
    operation_id = "integrations_get",
    tag = "bank",
    summary = "One bank integration.",
    responses(
        (status = 200, description = "The integration.", body = IntegrationView),
    )
)]
pub(crate) async fn get(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = integration_id(&path)?;
    let actor = auth.0.actor;
    let view = blocking(move || {
        let integration = state.sync.get(&actor, id)?;
        Ok(IntegrationView::new(&integration, state.sync.call_budget(&integration)))
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// `POST /bank/integrations/{id}/sync`: sync now (with the caller's IP as "customer present").
#[utoipa::path(
    post,
    path = "/api/v1/bank/integrations/{id}/sync",
    operation_id = "integrations_sync_now",
    tag = "bank",
    summary = "Queue a sync now.",
    responses(
        (status = 202, description = "Queued.", body = crate::doc_types::Queued),
        (status = 409, description = "/problems/needs-reconsent (a bank) or /problems/needs-new-access-key (Yuki)"),
    )
)]
pub(crate) async fn sync_now(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let id = integration_id(&path)?;
    let actor = auth.0.actor;
    let ip = req.peer_addr().map(|a| a.ip());
    let queued = blocking(move || Ok(state.sync.sync_now(&actor, id, ip)?)).await?;
    Ok(HttpResponse::Accepted().json(serde_json::json!({ "queued": queued })))
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct RunParams {
    limit: Option<String>,
}

/// `GET /bank/integrations/{id}/runs`: the sync history, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/bank/integrations/{id}/runs",
    operation_id = "integrations_runs",
    tag = "bank",
    summary = "Recent sync runs of an integration.",
    params(RunParams),
    responses(
        (status = 200, description = "Runs, newest first.", body = crate::doc_types::Items<RunView>),
    )
)]
pub(crate) async fn runs(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let id = integration_id(&path)?;
    let params: RunParams = parse_query(req.query_string())?;
    let limit = match params.limit {
        None => 20,
        Some(l) => match l.parse::<u32>() {
            Ok(n) if (1..=200).contains(&n) => n,
            _ => return Err(ApiError::field("limit", "limit is a number from 1 to 200")),
        },
    };
    let actor = auth.0.actor;
    let runs = blocking(move || Ok(state.sync.runs(&actor, id, limit)?)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": runs.iter().map(run_view).collect::<Vec<_>>() })))
}

/// `DELETE /bank/integrations/{id}`: revoke and delete the tokens; stored bank data is kept.
#[utoipa::path(
    delete,
    path = "/api/v1/bank/integrations/{id}",
    operation_id = "integrations_disconnect",
    tag = "bank",
    summary = "Disconnect a bank integration (its data stays).",
    responses(
        (status = 204, description = "Disconnected."),
    )
)]
pub(crate) async fn disconnect(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = integration_id(&path)?;
    let actor = auth.0.actor;
    blocking(move || Ok(state.sync.disconnect(&actor, id)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}

fn region(text: Option<&str>, default: Option<AccountingRegion>) -> Result<Option<AccountingRegion>, ApiError> {
    match text {
        None => Ok(default),
        Some(t) => AccountingRegion::parse(t)
            .map(Some)
            .ok_or_else(|| ApiError::field("region", "region is nl or be (the Yuki domain's data centre)")),
    }
}

fn administration(text: Option<String>) -> Result<Option<String>, ApiError> {
    match text.map(|t| t.trim().to_owned()) {
        None => Ok(None),
        Some(t) if !t.is_empty() && t.len() <= 100 && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => {
            Ok(Some(t))
        }
        Some(_) => Err(ApiError::field("administration_id", "administration_id is Yuki's administration GUID")),
    }
}

/// Connecting Yuki with the domain's web-service access key.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct YukiConnectBody {
    /// The web-service access key (stored sealed, never returned).
    access_key: String,
    /// The data centre: `be` (default) or `nl`.
    region: Option<String>,
    /// The administration to read, when the key sees several.
    administration_id: Option<String>,
}

/// `POST /integrations/yuki/connect`: checks the access key with Yuki at once; a refused key is
/// a 422 and nothing is stored. The key is stored sealed and never returned.
#[utoipa::path(
    post,
    path = "/api/v1/integrations/yuki/connect",
    operation_id = "integrations_connect_yuki",
    tag = "integrations",
    summary = "Connect Yuki with an access key (sealed, never returned); the key is checked first.", request_body(content = YukiConnectBody, content_type = "application/json"),
    responses(
        (status = 201, description = "The Yuki integration.", body = IntegrationView),
        (status = 422, description = "/problems/access-key-refused: Yuki refused the key; nothing is stored."),
    )
)]
pub(crate) async fn connect_yuki(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<YukiConnectBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.parse()?;
    let mut errors = Vec::new();
    let key = body.access_key.trim().to_owned();
    if key.is_empty() || key.len() > 512 || key.chars().any(char::is_control) {
        errors.push(FieldError::new(
            "access_key",
            "the access key is Yuki's web-service access key (1 to 512 characters)",
        ));
    }
    let region = region(body.region.as_deref(), Some(AccountingRegion::Be));
    let administration_id = administration(body.administration_id);
    let (Ok(Some(region)), Ok(administration_id), true) =
        (region.as_ref(), administration_id.as_ref(), errors.is_empty())
    else {
        for e in [region.err(), administration_id.err()].into_iter().flatten() {
            if let ApiError::Validation(mut more) = e {
                errors.append(&mut more);
            }
        }
        return Err(ApiError::Validation(errors));
    };
    let connect = AccountingConnect {
        region: *region,
        access_key: billify_ports::SecretText::new(key),
        administration_id: administration_id.clone(),
    };
    let actor = auth.0.actor;
    let view = blocking(move || {
        let integration = state.sync.connect_accounting(&actor, connect)?;
        Ok(IntegrationView::new(&integration, state.sync.call_budget(&integration)))
    })
    .await?;
    Ok(HttpResponse::Created().json(view))
}

/// An accounting integration's settings; absent fields stay as they are.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConfigureBody {
    /// `nl` or `be`.
    region: Option<String>,
    /// The administration to read (chosen once).
    administration_id: Option<String>,
}

/// `PATCH /integrations/{id}`: an accounting integration's region, or its administration when
/// none is chosen yet.
#[utoipa::path(
    patch,
    path = "/api/v1/integrations/{id}",
    operation_id = "integrations_configure",
    tag = "integrations",
    summary = "Change an accounting integration: its region, or the administration (chosen once).", request_body(content = ConfigureBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The integration.", body = IntegrationView),
    )
)]
pub(crate) async fn configure(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
    body: JsonBody<ConfigureBody>,
) -> Result<HttpResponse, ApiError> {
    let id = integration_id(&path)?;
    let body = body.parse()?;
    let region = region(body.region.as_deref(), None)?;
    let administration_id = administration(body.administration_id)?;
    let actor = auth.0.actor;
    let view = blocking(move || {
        let integration = state.sync.configure_accounting(&actor, id, region, administration_id)?;
        Ok(IntegrationView::new(&integration, state.sync.call_budget(&integration)))
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// An item of the books kept with flags (bad data).
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct FlaggedItemView {
    item_id: String,
    /// `debtor` (receivable) or `creditor` (payable).
    side: &'static str,
    /// What is wrong: `missing_due_date`, `unknown_currency`, `unreadable: FIELD`, ...
    flags: Vec<String>,
    reference: Option<String>,
    /// Decimal strings as the books hold them (unread when unreadable).
    open_amount: Option<String>,
    original_amount: Option<String>,
    currency: Option<String>,
    /// The invoice it became, if any.
    invoice_id: Option<String>,
    /// Whether the books still list it as outstanding.
    outstanding: bool,
    /// RFC 3339.
    last_seen_at: String,
}

/// `GET /integrations/{id}/flagged-items`: items of the books kept with a flag (bad data).
#[utoipa::path(
    get,
    path = "/api/v1/integrations/{id}/flagged-items",
    operation_id = "integrations_flagged_items",
    tag = "integrations",
    summary = "Accounting items kept but flagged (missing due date, unknown currency, unreadable fields).",
    responses(
        (status = 200, description = "The flagged items (at most 500).", body = crate::doc_types::Items<FlaggedItemView>),
    )
)]
pub(crate) async fn flagged_items(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = integration_id(&path)?;
    let actor = auth.0.actor;
    let items = blocking(move || Ok(state.sync.flagged_items(&actor, id, 500)?)).await?;
    let views: Vec<FlaggedItemView> = items
        .into_iter()
        .map(|i| FlaggedItemView {
            item_id: i.item_id,
            side: i.side.code(),
            flags: i.flags,
            reference: i.reference,
            open_amount: i.open_amount,
            original_amount: i.original_amount,
            currency: i.currency,
            invoice_id: i.invoice_id.map(|v| v.to_string()),
            outstanding: i.outstanding,
            last_seen_at: timestamp(i.last_seen_at),
        })
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": views })))
}

/// Doc-only entries for the routes that serve a handler above under a second path (the
/// integration routes that are not Ponto's alone).
#[allow(dead_code, reason = "never called: these functions only carry the OpenAPI entries of alias routes")]
pub(crate) mod aliases {
    #[utoipa::path(get, path = "/api/v1/bank/integrations", operation_id = "bank_integrations_list", tag = "bank",
        summary = "Every integration and its status (the same list as GET /api/v1/integrations).",
        responses((status = 200, description = "Integrations.", body = crate::doc_types::Items<super::IntegrationView>)))]
    pub(crate) fn bank_list() {}

    #[utoipa::path(get, path = "/api/v1/integrations/{id}", operation_id = "integrations_get_any", tag = "integrations",
        summary = "One integration and its status.", responses((status = 200, description = "The integration.", body = super::IntegrationView)))]
    pub(crate) fn get() {}

    #[utoipa::path(delete, path = "/api/v1/integrations/{id}", operation_id = "integrations_disconnect_any",
        tag = "integrations", summary = "Disconnect an integration; its secrets are removed.",
        responses((status = 204, description = "Disconnected.")))]
    pub(crate) fn disconnect() {}

    #[utoipa::path(post, path = "/api/v1/integrations/{id}/sync", operation_id = "integrations_sync_any",
        tag = "integrations", summary = "Ask for a sync now.",
        responses((status = 202, description = "Queued (or already queued).", body = crate::doc_types::Queued)))]
    pub(crate) fn sync_now() {}

    #[utoipa::path(get, path = "/api/v1/integrations/{id}/runs", operation_id = "integrations_runs_any",
        tag = "integrations", summary = "The latest sync runs of an integration.",
        responses((status = 200, description = "Runs, newest first.", body = crate::doc_types::Items<super::RunView>)))]
    pub(crate) fn runs() {}
}
