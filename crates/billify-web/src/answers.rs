//! What the login routes answer with, shared by the password login (`auth`) and the second
//! factor (`two_factor`): the client a session remembers, the session itself (a cookie or a
//! bearer token), and the organisation and user views.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;
use time::OffsetDateTime;

use crate::{AppState, timestamp};

/// The client as a new session remembers it: its user agent and address.
pub(crate) fn client_info(req: &HttpRequest) -> billify_app::ClientInfo {
    billify_app::ClientInfo {
        user_agent: req.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_owned),
        ip: client_ip(req),
    }
}

/// The client's address for the audit trail and the list of sessions: the TCP peer, or the
/// address the proxy named by `BILLIFY_TRUSTED_PROXY` forwarded (`X-Forwarded-For` from anyone
/// else is ignored: anyone can send it).
pub(crate) fn client_ip(req: &HttpRequest) -> Option<std::net::IpAddr> {
    match req.app_data::<web::Data<AppState>>() {
        Some(state) => state.security.auth_rate.client_address(req),
        None => req.peer_addr().map(|a| a.ip()),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct OrganisationView {
    id: String,
    name: String,
    vat_number: Option<String>,
    time_zone: String,
    vat_periodicity: &'static str,
    vat_deadline_day: u8,
}

impl OrganisationView {
    pub(crate) fn new(o: &billify_domain::Organisation) -> Self {
        OrganisationView {
            id: o.id.to_string(),
            name: o.name.to_string(),
            vat_number: o.vat_number.as_ref().map(|v| v.as_str().to_owned()),
            time_zone: o.calendar.time_zone.as_str().to_owned(),
            vat_periodicity: o.calendar.vat_periodicity.code(),
            vat_deadline_day: o.calendar.vat_deadline_day.day(),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct UserView {
    id: String,
    email: String,
    name: String,
}

impl UserView {
    pub(crate) fn new(u: &billify_domain::User) -> Self {
        UserView { id: u.id.to_string(), email: u.email.to_string(), name: u.name.as_str().to_owned() }
    }
}

/// A bearer session.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = SessionTokenView)]
pub(crate) struct TokenView {
    token: String,
    token_type: &'static str,
    expires_at: String,
}

/// The answer to a completed login: the session as a cookie for a browser that asked for one
/// (`cookie`: the state that sets it), else the bearer token in the body.
pub(crate) fn session_answer(cookie: Option<&AppState>, token: String, expires_at: OffsetDateTime) -> HttpResponse {
    if let Some(state) = cookie {
        return crate::security::cookie_login(state, &token, expires_at);
    }
    HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(TokenView {
        token,
        token_type: "Bearer",
        expires_at: timestamp(expires_at),
    })
}
