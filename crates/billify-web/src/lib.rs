//! Billify's delivery adapter: the versioned JSON API (`/api/v1`) on actix-web.
//!
//! Handlers parse and validate requests into domain values, call a use case on the blocking
//! thread pool (one hop per request: ports are synchronous), and render JSON. Errors are
//! RFC 9457 problem documents with stable types; no panic and no internal detail reaches a
//! client.
//!
//! **Must never depend on:** diesel, r2d2, a storage or provider adapter. It knows the ports and
//! the domain; the composition root hands it the wired services.

mod auth;
mod bank;
mod extract;
mod intake;
mod invoices;
pub mod problem;

use std::sync::Arc;

use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::DefaultHeaders;
use actix_web::{HttpResponse, web};
use billify_ports::StorageHealth;
use billify_ports::usecase::{AccountService, BankService, IntakeService, InvoiceService};
use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub use auth::Authenticated;
use problem::ApiError;

/// The services handlers call, shared by all workers.
pub struct AppState {
    /// Registration, login and sessions.
    pub accounts: Arc<AccountService>,
    /// Invoices.
    pub invoices: Arc<InvoiceService>,
    /// Document intake (uploads and drafts).
    pub intake: Arc<IntakeService>,
    /// Bank data.
    pub bank: Arc<BankService>,
    /// Storage readiness.
    pub health: Arc<dyn StorageHealth>,
}

/// Runs blocking use-case code on actix's blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    web::block(f).await.map_err(|e| {
        log::error!("blocking task failed: {e}");
        ApiError::Internal
    })?
}

/// RFC 3339 in UTC, e.g. `2026-11-27T10:00:00.123456Z`.
pub(crate) fn timestamp(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC).format(&Rfc3339).unwrap_or_default()
}

/// A route of the API, for documentation and for tests that must cover every route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteInfo {
    /// The HTTP method.
    pub method: &'static str,
    /// The path template under the server root.
    pub path: &'static str,
    /// Whether the route needs a session.
    pub authenticated: bool,
}

/// Every route the API serves, in the order they are registered.
pub const ROUTES: &[RouteInfo] = &[
    RouteInfo { method: "GET", path: "/api/v1/health", authenticated: false },
    RouteInfo { method: "GET", path: "/api/v1/ready", authenticated: false },
    RouteInfo { method: "POST", path: "/api/v1/auth/register", authenticated: false },
    RouteInfo { method: "POST", path: "/api/v1/auth/login", authenticated: false },
    RouteInfo { method: "POST", path: "/api/v1/auth/logout", authenticated: true },
    RouteInfo { method: "GET", path: "/api/v1/auth/me", authenticated: true },
    RouteInfo { method: "GET", path: "/api/v1/organisation", authenticated: true },
    RouteInfo { method: "PATCH", path: "/api/v1/organisation", authenticated: true },
    RouteInfo { method: "POST", path: "/api/v1/invoices/uploads", authenticated: true },
    RouteInfo { method: "GET", path: "/api/v1/invoices/drafts/{id}", authenticated: true },
    RouteInfo { method: "PATCH", path: "/api/v1/invoices/drafts/{id}", authenticated: true },
    RouteInfo { method: "DELETE", path: "/api/v1/invoices/drafts/{id}", authenticated: true },
    RouteInfo { method: "POST", path: "/api/v1/invoices/drafts/{id}/confirm", authenticated: true },
    RouteInfo { method: "GET", path: "/api/v1/invoices", authenticated: true },
    RouteInfo { method: "POST", path: "/api/v1/invoices", authenticated: true },
    RouteInfo { method: "GET", path: "/api/v1/invoices/{id}", authenticated: true },
    RouteInfo { method: "PATCH", path: "/api/v1/invoices/{id}", authenticated: true },
    RouteInfo { method: "DELETE", path: "/api/v1/invoices/{id}", authenticated: true },
    RouteInfo { method: "POST", path: "/api/v1/invoices/{id}/payments", authenticated: true },
    RouteInfo { method: "POST", path: "/api/v1/invoices/{id}/reopen", authenticated: true },
    RouteInfo { method: "GET", path: "/api/v1/invoices/{id}/events", authenticated: true },
    RouteInfo { method: "GET", path: "/api/v1/invoices/{id}/document", authenticated: true },
    RouteInfo { method: "POST", path: "/api/v1/bank/statements", authenticated: true },
    RouteInfo { method: "GET", path: "/api/v1/bank/accounts", authenticated: true },
    RouteInfo { method: "GET", path: "/api/v1/bank/transactions", authenticated: true },
];

/// Security headers for every response of the server: no MIME sniffing, no referrer, no
/// framing, a CSP that allows nothing (the API serves data, not pages), and HSTS when the
/// server is reached over TLS (`behind_tls`). Handlers that need other values set their own.
pub fn security_headers(behind_tls: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .add((header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .add((header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .add((header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'")));
    if behind_tls {
        headers
            .add((header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=63072000; includeSubDomains")))
    } else {
        headers
    }
}

/// Registers the API on an actix `App` or `web::scope`.
pub fn configure(state: web::Data<AppState>) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg: &mut web::ServiceConfig| {
        let not_allowed = || web::to(|| async { Err::<HttpResponse, _>(ApiError::MethodNotAllowed) });
        cfg.app_data(state).service(
            web::scope("/api/v1")
                .wrap(DefaultHeaders::new().add((header::CACHE_CONTROL, HeaderValue::from_static("no-store"))))
                .route("/health", web::get().to(health))
                .route("/ready", web::get().to(ready))
                .route("/auth/register", web::post().to(auth::register))
                .route("/auth/login", web::post().to(auth::login))
                .route("/auth/logout", web::post().to(auth::logout))
                .route("/auth/me", web::get().to(auth::me))
                .service(
                    web::resource("/organisation")
                        .route(web::get().to(auth::organisation))
                        .route(web::patch().to(auth::update_organisation))
                        .default_service(not_allowed()),
                )
                .service(
                    web::resource("/invoices/uploads")
                        .route(web::post().to(intake::upload))
                        .default_service(not_allowed()),
                )
                .service(
                    web::resource("/invoices/drafts/{id}")
                        .route(web::get().to(intake::get_draft))
                        .route(web::patch().to(intake::update_draft))
                        .route(web::delete().to(intake::discard))
                        .default_service(not_allowed()),
                )
                .route("/invoices/drafts/{id}/confirm", web::post().to(intake::confirm))
                .service(
                    web::resource("/invoices")
                        .route(web::get().to(invoices::list))
                        .route(web::post().to(invoices::create))
                        .default_service(not_allowed()),
                )
                .service(
                    web::resource("/invoices/{id}")
                        .route(web::get().to(invoices::get))
                        .route(web::patch().to(invoices::update))
                        .route(web::delete().to(invoices::delete))
                        .default_service(not_allowed()),
                )
                .route("/invoices/{id}/payments", web::post().to(invoices::record_payment))
                .route("/invoices/{id}/reopen", web::post().to(invoices::reopen))
                .route("/invoices/{id}/events", web::get().to(invoices::events))
                .route("/invoices/{id}/document", web::get().to(intake::document))
                .route("/bank/statements", web::post().to(bank::import_statement))
                .route("/bank/accounts", web::get().to(bank::accounts))
                .route("/bank/transactions", web::get().to(bank::transactions))
                .default_service(web::to(not_found)),
        );
    }
}

/// The answer for unknown routes: a 404 problem document.
pub async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound("no such route".into()))
}

#[derive(Serialize)]
struct Status {
    status: &'static str,
    version: &'static str,
}

async fn health() -> HttpResponse {
    HttpResponse::Ok().json(Status { status: "ok", version: env!("CARGO_PKG_VERSION") })
}

async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    blocking(move || Ok(state.health.ping()?)).await?;
    Ok(HttpResponse::Ok().json(Status { status: "ready", version: env!("CARGO_PKG_VERSION") }))
}
