//! The caller's own sessions: password change, logout everywhere, listing and ending sessions.

use actix_web::{HttpResponse, web};
use billify_domain::SessionId;
use serde::{Deserialize, Serialize};

use crate::auth::Authenticated;
use crate::extract::JsonBody;
use crate::problem::ApiError;
use crate::{AppState, blocking, timestamp};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PasswordChange {
    current_password: String,
    new_password: String,
}

/// `POST /auth/password`: 204; every other session of the user ends.
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
pub(crate) async fn logout_all(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let cleared = crate::security::cleared_cookie(state.security.behind_tls);
    blocking(move || state.accounts.logout_all(&auth.0).map_err(ApiError::from)).await?;
    Ok(HttpResponse::NoContent().insert_header((actix_web::http::header::SET_COOKIE, cleared)).finish())
}

#[derive(Serialize)]
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

#[derive(Serialize)]
struct SessionList {
    items: Vec<SessionView>,
}

/// `GET /auth/sessions`: the caller's live sessions, newest first (never their tokens).
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
pub(crate) async fn revoke(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().parse::<SessionId>().map_err(|_| ApiError::NotFound("session not found".into()))?;
    blocking(move || state.accounts.revoke_session(&auth.0, id).map_err(ApiError::from)).await?;
    Ok(HttpResponse::NoContent().finish())
}
