//! Notifications: the caller's inbox (list, mark read), their preferences per kind and channel,
//! the organisation's alert settings, and its webhook endpoints with their delivery logs
//! (admins).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use billify_app::{AlertError, EffectivePreference};
use billify_domain::{AlertSettings, Channel, NotificationKind};
use billify_ports::notifications::{Delivery, InboxItem, WebhookEndpoint};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Authenticated;
use crate::extract::{JsonBody, parse_query};
use crate::problem::{ApiError, FieldError};
use crate::{AppState, blocking, timestamp};

impl From<AlertError> for ApiError {
    fn from(e: AlertError) -> Self {
        match e {
            AlertError::Forbidden => ApiError::Forbidden("your role does not allow this".into()),
            AlertError::NotFound => ApiError::NotFound("not found".into()),
            AlertError::Invalid { field, message } => ApiError::field(field, message),
            AlertError::Repository(e) => e.into(),
            AlertError::Secret(e) => {
                log::error!("webhook secret: {e}");
                ApiError::Internal
            }
            AlertError::Outlook(e) => {
                log::error!("{e}");
                ApiError::Internal
            }
        }
    }
}

fn path_id(text: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(text).map_err(|_| ApiError::NotFound("not found".into()))
}

fn limit_of(text: Option<&str>) -> Result<u32, ApiError> {
    match text {
        None => Ok(50),
        Some(l) => match l.parse::<u32>() {
            Ok(n) if (1..=200).contains(&n) => Ok(n),
            _ => Err(ApiError::field("limit", "limit is a number from 1 to 200")),
        },
    }
}

fn item_view(i: &InboxItem) -> serde_json::Value {
    let n = &i.notification;
    serde_json::json!({
        "id": n.id.to_string(),
        "kind": n.kind.code(),
        "title": n.title,
        "body": n.body,
        "data": serde_json::from_str::<serde_json::Value>(&n.data).unwrap_or(serde_json::Value::Null),
        "created_at": timestamp(n.created_at),
        "read": i.read_at.is_some(),
        "read_at": i.read_at.map(timestamp),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListParams {
    unread: Option<String>,
    limit: Option<String>,
}

/// `GET /notifications?unread=true&limit=50`: the caller's notifications, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/notifications",
    operation_id = "notifications_list",
    tag = "notifications",
    summary = "The caller's notifications, newest first (query `unread=true`, `limit`).",
    responses(
        (status = 200, description = "Notifications.", body = crate::doc_types::Items<crate::doc_types::NotificationDoc>),
    )
)]
pub(crate) async fn list(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let params: ListParams = parse_query(req.query_string())?;
    let limit = limit_of(params.limit.as_deref())?;
    let unread = match params.unread.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(ApiError::field("unread", "unread is true or false")),
    };
    let actor = auth.0.actor;
    let items = blocking(move || Ok(state.alerts.inbox(&actor, unread, limit)?)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": items.iter().map(item_view).collect::<Vec<_>>() })))
}

/// `POST /notifications/{id}/read`: 204.
#[utoipa::path(
    post,
    path = "/api/v1/notifications/{id}/read",
    operation_id = "notifications_read",
    tag = "notifications",
    summary = "Mark one notification read.",
    responses(
        (status = 204, description = "Marked."),
    )
)]
pub(crate) async fn mark_read(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&path)?;
    let actor = auth.0.actor;
    blocking(move || Ok(state.alerts.mark_read(&actor, id)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /notifications/read-all`: how many were unread.
#[utoipa::path(
    post,
    path = "/api/v1/notifications/read-all",
    operation_id = "notifications_read_all",
    tag = "notifications",
    summary = "Mark every notification of the caller read.",
    responses(
        (status = 200, description = "How many were marked.", body = crate::doc_types::MarkedRead),
    )
)]
pub(crate) async fn mark_all_read(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let actor = auth.0.actor;
    let n = blocking(move || Ok(state.alerts.mark_all_read(&actor)?)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "marked_read": n })))
}

fn preferences_view(prefs: &[EffectivePreference], email_configured: bool) -> serde_json::Value {
    serde_json::json!({
        "email_configured": email_configured,
        "items": prefs.iter().map(|p| serde_json::json!({
            "kind": p.kind.code(),
            "channel": p.channel.code(),
            "enabled": p.enabled,
        })).collect::<Vec<_>>(),
    })
}

/// `GET /notifications/preferences`: the caller's choice for every kind and channel.
#[utoipa::path(
    get,
    path = "/api/v1/notifications/preferences",
    operation_id = "notifications_preferences",
    tag = "notifications",
    summary = "What the caller receives, per kind and channel.",
    responses(
        (status = 200, description = "Preferences.", body = crate::doc_types::PreferencesDoc),
    )
)]
pub(crate) async fn preferences(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let actor = auth.0.actor;
    let (prefs, email) =
        blocking(move || Ok((state.alerts.preferences(&actor)?, state.alerts.email_configured()))).await?;
    Ok(HttpResponse::Ok().json(preferences_view(&prefs, email)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PreferenceBody {
    /// The notification kind (`payable_due_soon`, ...).
    kind: String,
    /// `in_app` or `email`.
    channel: String,
    /// Whether to receive it.
    enabled: bool,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PreferencesBody {
    /// The choices to change; others stay as they are.
    items: Vec<PreferenceBody>,
}

/// `PATCH /notifications/preferences` with `{"items": [{"kind", "channel", "enabled"}]}`.
#[utoipa::path(
    patch,
    path = "/api/v1/notifications/preferences",
    operation_id = "notifications_update_preferences",
    tag = "notifications",
    summary = "Change what the caller receives, per kind and channel.", request_body(content = PreferencesBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Preferences.", body = crate::doc_types::PreferencesDoc),
    )
)]
pub(crate) async fn update_preferences(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<PreferencesBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.parse()?;
    let mut errors = Vec::new();
    let mut choices = Vec::new();
    for (i, p) in body.items.iter().enumerate() {
        let kind = NotificationKind::parse(&p.kind)
            .map_err(|e| errors.push(FieldError::new(format!("items[{i}].kind"), e.message)))
            .ok();
        let channel = match Channel::parse(&p.channel) {
            Ok(c) if Channel::PERSONAL.contains(&c) => Some(c),
            _ => {
                errors.push(FieldError::new(format!("items[{i}].channel"), "choose in_app or email"));
                None
            }
        };
        if let (Some(kind), Some(channel)) = (kind, channel) {
            choices.push((kind, channel, p.enabled));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let actor = auth.0.actor;
    let (prefs, email) =
        blocking(move || Ok((state.alerts.set_preferences(&actor, &choices)?, state.alerts.email_configured())))
            .await?;
    Ok(HttpResponse::Ok().json(preferences_view(&prefs, email)))
}

fn settings_view(s: &AlertSettings) -> serde_json::Value {
    serde_json::json!({
        "payable_days": s.payable_days(),
        "balance_threshold_minor": s.balance_threshold_minor(),
    })
}

/// `GET /notifications/settings`: the organisation's alert settings.
#[utoipa::path(
    get,
    path = "/api/v1/notifications/settings",
    operation_id = "notifications_settings",
    tag = "notifications",
    summary = "The organisation's alert settings (payables window, balance threshold).",
    responses(
        (status = 200, description = "Settings.", body = crate::doc_types::AlertSettingsDoc),
    )
)]
pub(crate) async fn settings(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let actor = auth.0.actor;
    let s = blocking(move || Ok(state.alerts.settings(&actor)?)).await?;
    Ok(HttpResponse::Ok().json(settings_view(&s)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SettingsBody {
    /// Payables due within this many days raise an alert (0 to 90); absent: unchanged.
    payable_days: Option<u16>,
    /// The low-balance threshold in minor units (cents); absent: unchanged.
    balance_threshold_minor: Option<i64>,
}

/// `PATCH /notifications/settings` with `payable_days` (0 to 90) and/or
/// `balance_threshold_minor` (an integer number of cents).
#[utoipa::path(
    patch,
    path = "/api/v1/notifications/settings",
    operation_id = "notifications_update_settings",
    tag = "notifications",
    summary = "Change the organisation's alert settings.", request_body(content = SettingsBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Settings.", body = crate::doc_types::AlertSettingsDoc),
    )
)]
pub(crate) async fn update_settings(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<SettingsBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.parse()?;
    let actor = auth.0.actor;
    let s = blocking(move || {
        let current = state.alerts.settings(&actor)?;
        let days = body.payable_days.unwrap_or(current.payable_days());
        let threshold = body.balance_threshold_minor.unwrap_or(current.balance_threshold_minor());
        let new = AlertSettings::new(days, threshold).map_err(|e| ApiError::field("payable_days", e.message))?;
        Ok(state.alerts.update_settings(&actor, new)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(settings_view(&s)))
}

#[derive(Serialize)]
struct EndpointView {
    id: String,
    url: String,
    kinds: Vec<&'static str>,
    created_at: String,
}

fn endpoint_view(e: &WebhookEndpoint) -> EndpointView {
    EndpointView {
        id: e.id.to_string(),
        url: e.url.clone(),
        kinds: e.kinds.iter().map(|k| k.code()).collect(),
        created_at: timestamp(e.created_at),
    }
}

/// `GET /webhooks`: the organisation's endpoints.
#[utoipa::path(
    get,
    path = "/api/v1/webhooks",
    operation_id = "webhooks_list",
    tag = "notifications",
    summary = "Outbound webhook endpoints.",
    responses(
        (status = 200, description = "Endpoints.", body = crate::doc_types::Items<crate::doc_types::EndpointDoc>),
    )
)]
pub(crate) async fn endpoints(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let actor = auth.0.actor;
    let list = blocking(move || Ok(state.alerts.endpoints(&actor)?)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": list.iter().map(endpoint_view).collect::<Vec<_>>() })))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EndpointBody {
    /// Where to post (https, or http to a local address).
    url: String,
    /// The notification kinds to send (empty or absent: all).
    #[serde(default)]
    kinds: Vec<String>,
}

/// `POST /webhooks` with `url` and `kinds` (empty: all): 201 with the signing secret, shown once.
#[utoipa::path(
    post,
    path = "/api/v1/webhooks",
    operation_id = "webhooks_create",
    tag = "notifications",
    summary = "Add a webhook endpoint; its signing secret is shown once.", request_body(content = EndpointBody, content_type = "application/json"),
    responses(
        (status = 201, description = "The endpoint with its secret.", body = crate::doc_types::CreatedEndpointDoc),
    )
)]
pub(crate) async fn create_endpoint(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<EndpointBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.parse()?;
    let mut errors = Vec::new();
    let mut kinds = Vec::new();
    for (i, k) in body.kinds.iter().enumerate() {
        match NotificationKind::parse(k) {
            Ok(kind) if !kinds.contains(&kind) => kinds.push(kind),
            Ok(_) => {}
            Err(e) => errors.push(FieldError::new(format!("kinds[{i}]"), e.message)),
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let actor = auth.0.actor;
    let created = blocking(move || Ok(state.alerts.create_endpoint(&actor, &body.url, kinds)?)).await?;
    let mut view = serde_json::to_value(endpoint_view(&created.endpoint)).unwrap_or_default();
    view["secret"] = serde_json::json!(created.secret.expose());
    Ok(HttpResponse::Created().insert_header((header::CACHE_CONTROL, "no-store")).json(view))
}

/// `DELETE /webhooks/{id}`: 204.
#[utoipa::path(
    delete,
    path = "/api/v1/webhooks/{id}",
    operation_id = "webhooks_delete",
    tag = "notifications",
    summary = "Remove a webhook endpoint.",
    responses(
        (status = 204, description = "Removed."),
    )
)]
pub(crate) async fn delete_endpoint(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&path)?;
    let actor = auth.0.actor;
    blocking(move || Ok(state.alerts.delete_endpoint(&actor, id)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}

fn delivery_view(d: &Delivery) -> serde_json::Value {
    serde_json::json!({
        "id": d.id.to_string(),
        "notification_id": d.notification_id.to_string(),
        "status": d.status.code(),
        "attempts": d.attempts,
        "last_error": d.last_error,
        "response_status": d.response_status,
        "created_at": timestamp(d.created_at),
        "updated_at": timestamp(d.updated_at),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LogParams {
    limit: Option<String>,
}

/// `GET /webhooks/{id}/deliveries`: the endpoint's delivery log, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/webhooks/{id}/deliveries",
    operation_id = "webhooks_deliveries",
    tag = "notifications",
    summary = "The delivery log of an endpoint.",
    responses(
        (status = 200, description = "Deliveries.", body = crate::doc_types::Items<crate::doc_types::DeliveryDoc>),
    )
)]
pub(crate) async fn deliveries(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&path)?;
    let params: LogParams = parse_query(req.query_string())?;
    let limit = limit_of(params.limit.as_deref())?;
    let actor = auth.0.actor;
    let log = blocking(move || Ok(state.alerts.endpoint_deliveries(&actor, id, limit)?)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": log.iter().map(delivery_view).collect::<Vec<_>>() })))
}
