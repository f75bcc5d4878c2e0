//! What another delivery crate serving browsers (`billify-ui`) shares with the API, so that
//! there is one cookie session, one CSRF token, one rate limit on sign-in and one check of an
//! organisation's two-factor requirement: never a second copy of them.

use std::time::Instant;

use actix_web::HttpRequest;
use billify_app::{Actor, ClientInfo};

use crate::AppState;
use crate::problem::ApiError;

/// The session token of the request's session cookie, if it has one (and no `Authorization`).
pub fn session_token(req: &HttpRequest) -> Option<String> {
    crate::security::cookie_token(req)
}

/// The `Set-Cookie` value that hands the browser its session after a login.
pub fn session_cookie(state: &AppState, token: &str) -> String {
    crate::security::session_cookie(token, state.security.behind_tls)
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn cleared_session_cookie(state: &AppState) -> String {
    crate::security::cleared_cookie(state.security.behind_tls)
}

/// Refuses a state-changing request whose CSRF token is not the session's (403
/// [`ApiError::Csrf`]); `given` is the token the form or the `X-CSRF-Token` header carried.
pub fn check_csrf(state: &AppState, session_token: &str, given: Option<&str>) -> Result<(), ApiError> {
    crate::security::check_csrf(state, session_token, given)
}

/// The client as a new session remembers it (user agent and address).
pub fn client_info(req: &HttpRequest) -> ClientInfo {
    crate::answers::client_info(req)
}

/// The client's address, as the audit trail records it.
pub fn client_ip(req: &HttpRequest) -> Option<std::net::IpAddr> {
    crate::answers::client_ip(req)
}

/// Takes one request from the client's sign-in budget (the limit of the API's login,
/// registration and invitation routes, shared with them); 429 [`ApiError::RateLimited`] when
/// it is spent.
pub fn take_auth_rate(state: &AppState, req: &HttpRequest) -> Result<(), ApiError> {
    let limiter = &state.security.auth_rate;
    let client = limiter.client_of(req);
    limiter.take(client, Instant::now()).map_err(|retry_after_seconds| {
        log::warn!("rate limit reached on {} by {client}", req.path());
        ApiError::RateLimited { retry_after_seconds }
    })
}

/// Refuses an actor whose organisation requires a second factor they lack (403). Blocking.
pub fn check_two_factor_requirement(state: &AppState, actor: &Actor) -> Result<(), ApiError> {
    crate::two_factor::check_requirement(state, actor)
}

/// The invoice list query from a query string with the API's parameters (`status`,
/// `direction`, `urgency`, `due_from`, `due_to`, `q`, `sort`, `cursor`, `limit`), checked the
/// same way as `GET /api/v1/invoices`.
pub fn invoice_query(query: &str, today: time::Date) -> Result<billify_ports::InvoiceQuery, ApiError> {
    crate::invoices::list_query(crate::extract::parse_query(query)?, today)
}

/// The `cursor` parameter that continues a list after `cursor`.
pub fn encode_cursor(cursor: &billify_ports::Cursor) -> String {
    crate::invoices::encode_cursor(cursor)
}

/// Sets (or with `None` leaves) the organisation's two-factor requirement, as
/// `PATCH /api/v1/organisation` does. Blocking.
pub fn set_two_factor_requirement(state: &AppState, actor: &Actor, required: Option<bool>) -> Result<(), ApiError> {
    crate::two_factor::set_required(state, actor, required)
}

/// The first form field (or query parameter) whose name or value holds a control character
/// other than tab and newline: the same check, with the same function, as the JSON API's
/// bodies and query strings (`has_control_character`), so a browser form is refused where the
/// API answers 422. A name that is itself refused is reported as `form`.
pub fn control_character_field<'a>(fields: impl IntoIterator<Item = (&'a str, &'a str)>) -> Option<&'a str> {
    fields.into_iter().find_map(|(name, value)| {
        if crate::extract::has_control_character(name) {
            Some("form")
        } else {
            crate::extract::has_control_character(value).then_some(name)
        }
    })
}
