//! The caller's own sessions: password change, logout everywhere, listing and ending sessions.

use actix_web::{HttpResponse, web};
use billify_domain::SessionId;
use serde::{Deserialize, Serialize};

use crate::auth::Authenticated;
use crate::extract::JsonBody;
use crate::problem::ApiError;
use crate::{AppState, blocking, timestamp};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PasswordChange {
    current_password: String,
    new_password: String,
}

/// `POST /auth/password`: 204; every other session of the user ends.
#[utoipa::path(
    post,
    path = "/api/v1/auth/password",
    operation_id = "sessions_change_password",
    tag = "auth",
    summary = "Change the password (ends the other sessions).",
    request_body = PasswordChange,
    responses(
        (status = 204, description = "Changed."),
        (status = 401, description = "/problems/invalid-credentials"),
    )
)]
pub(crate) async fn change_password(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<PasswordChange>,
) -> Result<HttpResponse, ApiError> {
    let b = body.parse()?;
    blocking(move || {
        state.accounts.change_password(&auth.0, &b.current_password, &b.new_password).map_err(ApiError::from)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /auth/logout-all`: 204; every session of the user ends, this one included.
#[utoipa::path(
    post,
    path = "/api/v1/auth/logout-all",
    operation_id = "sessions_logout_all",
    tag = "auth",
    summary = "End every session of the caller.",
    responses(
        (status = 204, description = "Logged out everywhere."),
    )
)]
pub(crate) async fn logout_all(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let cleared = crate::security::cleared_cookie(state.security.behind_tls);
    blocking(move || state.accounts.logout_all(&auth.0).map_err(ApiError::from)).await?;
    Ok(HttpResponse::NoContent().insert_header((actix_web::http::header::SET_COOKIE, cleared)).finish())
}

#[derive(Serialize, utoipa::ToSchema)]
struct SessionView {
    id: String,
    organisation_id: String,
    created_at: String,
    last_seen_at: String,
    expires_at: String,
    user_agent: Option<String>,
    ip: Option<String>,
    current: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
struct SessionList {
    items: Vec<SessionView>,
}

/// `GET /auth/sessions`: the caller's live sessions, newest first (never their tokens).
#[utoipa::path(
    get,
    path = "/api/v1/auth/sessions",
    operation_id = "sessions_list",
    tag = "auth",
    summary = "The caller's sessions.",
    responses(
        (status = 200, description = "Sessions.", body = SessionList),
    )
)]
pub(crate) async fn list(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let sessions = blocking(move || state.accounts.own_sessions(&auth.0).map_err(ApiError::from)).await?;
    let items = sessions
        .into_iter()
        .map(|own| SessionView {
            id: own.session.id.to_string(),
            organisation_id: own.session.organisation_id.to_string(),
            created_at: timestamp(own.session.created_at),
            last_seen_at: timestamp(own.session.last_seen_at),
            expires_at: timestamp(own.session.expires_at),
            user_agent: own.session.user_agent,
            ip: own.session.ip,
            current: own.current,
        })
        .collect();
    Ok(HttpResponse::Ok().json(SessionList { items }))
}

/// `DELETE /auth/sessions/{id}`: 204; another user's session (or none) is a 404.
#[utoipa::path(
    delete,
    path = "/api/v1/auth/sessions/{id}",
    operation_id = "sessions_revoke",
    tag = "auth",
    summary = "End one session.",
    responses(
        (status = 204, description = "Ended."),
    )
)]
pub(crate) async fn revoke(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().parse::<SessionId>().map_err(|_| ApiError::NotFound("session not found".into()))?;
    blocking(move || state.accounts.revoke_session(&auth.0, id).map_err(ApiError::from)).await?;
    Ok(HttpResponse::NoContent().finish())
}
