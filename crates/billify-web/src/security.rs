//! Browser sessions and request limits: the session cookie, its CSRF token, and the settings
//! the server gives the API ([`WebSecurity`]).

use actix_web::http::{Method, header};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use time::OffsetDateTime;

use crate::problem::ApiError;
use crate::ratelimit::AuthRateLimiter;
use crate::{AppState, timestamp};

/// The cookie holding a browser's session token.
pub const SESSION_COOKIE: &str = "billify_session";

/// The request header carrying the CSRF token of a cookie session.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How the API meets clients: whether it is reached over TLS (cookies are then `Secure`) and
/// the rate limit of the authentication routes.
#[derive(Debug, Default)]
pub struct WebSecurity {
    /// Whether clients reach the server over TLS (`BILLIFY_BEHIND_TLS`).
    pub behind_tls: bool,
    /// The per-client limit of register, login, invitation acceptance and password change.
    pub auth_rate: AuthRateLimiter,
}

impl WebSecurity {
    /// Settings for a server reached over TLS or not, limiting the authentication routes with
    /// `auth_rate`.
    pub fn new(behind_tls: bool, auth_rate: AuthRateLimiter) -> Self {
        WebSecurity { behind_tls, auth_rate }
    }
}

/// The session token of the cookie, when the request has no `Authorization` header (a bearer
/// token always wins, and is never subject to CSRF checks).
pub(crate) fn cookie_token(req: &HttpRequest) -> Option<String> {
    if req.headers().contains_key(header::AUTHORIZATION) {
        return None;
    }
    req.headers()
        .get_all(header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim().trim_matches('"').to_owned())
        .filter(|t| !t.is_empty())
}

/// Whether the method changes state, so that a cookie session needs its CSRF token.
pub(crate) fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The CSRF header as sent.
pub(crate) fn csrf_header(req: &HttpRequest) -> Option<String> {
    req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()).map(|v| v.trim().to_owned())
}

/// Refuses a state-changing request of a cookie session without the session's CSRF token.
pub(crate) fn check_csrf(state: &AppState, token: &str, given: Option<&str>) -> Result<(), ApiError> {
    match given {
        Some(given) if state.accounts.csrf_matches(token, given) => Ok(()),
        _ => Err(ApiError::Csrf),
    }
}

/// The CSRF token of the request's cookie session, if it is one.
pub(crate) fn cookie_csrf(req: &HttpRequest, state: &AppState) -> Option<String> {
    cookie_token(req).map(|token| state.accounts.csrf_token(&token))
}

/// The `Set-Cookie` value that hands the browser its session: a session cookie (gone when
/// the browser closes; the server ends the session anyway), unreadable by scripts, never sent
/// cross-site, and only over TLS when the server is reached over TLS.
pub(crate) fn session_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}")
}

/// The `Set-Cookie` value that removes the session cookie.
pub(crate) fn cleared_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict{secure}")
}

/// A cookie session: send `csrf_token` as X-CSRF-Token with every state-changing request.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct CookieLoginView {
    token_type: &'static str,
    csrf_token: String,
    expires_at: String,
}

/// The answer to a login asking for a cookie: the session in [`SESSION_COOKIE`], and in the
/// body only the CSRF token that state-changing requests must carry (never the session token).
pub(crate) fn cookie_login(state: &AppState, token: &str, expires_at: OffsetDateTime) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::SET_COOKIE, session_cookie(token, state.security.behind_tls)))
        .json(CookieLoginView {
            token_type: "Cookie",
            csrf_token: state.accounts.csrf_token(token),
            expires_at: timestamp(expires_at),
        })
}
