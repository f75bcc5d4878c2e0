//! Billify's delivery adapter: the versioned JSON API (`/api/v1`) on actix-web.
//!
//! Handlers parse and validate requests into domain values, call a use case on the blocking
//! thread pool (one hop per request: ports are synchronous), and render JSON. Errors are
//! RFC 9457 problem documents with stable types; no panic and no internal detail reaches a
//! client.
//!
//! **Must never depend on:** diesel, r2d2, a storage or provider adapter. It knows the ports and
//! the domain; the composition root hands it the wired services.

mod access_tokens;
mod answers;
mod auth;
mod bank;
pub mod browser;
mod cashflow;
pub mod connection;
mod doc_types;
pub mod events;
mod extract;
mod forecast;
mod intake;
mod integrations;
mod invoices;
mod members;
mod notifications;
pub mod observe;
pub mod openapi;
mod organisation;
mod outage;
pub mod problem;
mod ratelimit;
mod reading_accuracy;
mod reconciliation;
mod security;
mod sessions;
mod two_factor;

use std::sync::Arc;

use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::DefaultHeaders;
use actix_web::{HttpResponse, web};
use billify_app::{
    AccountService, AlertService, BankService, CashflowService, EventService, ForecastService, IntakeService,
    InvoiceService, OrganisationService, ReconciliationService, SyncService,
};
use billify_domain::Permission;
use billify_ports::StorageHealth;
use serde::Serialize;
use time::OffsetDateTime;

pub use auth::{Authenticated, MaybeAuthenticated, ORGANISATION_HEADER};
pub use events::{EventHub, StreamSettings};
use problem::ApiError;
pub use ratelimit::{AuthRateLimiter, RateLimit};
pub use reading_accuracy::reading_accuracy_json;
pub use security::{CSRF_HEADER, SESSION_COOKIE, WebSecurity};

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
    /// Bank integrations and their sync.
    pub sync: Arc<SyncService>,
    /// The cash position.
    pub cashflow: Arc<CashflowService>,
    /// The cash forecast, its scenarios, recurring series and backtest.
    pub forecast: Arc<ForecastService>,
    /// The organisation's audit trail, export and deletion.
    pub organisation: Arc<OrganisationService>,
    /// Matching bank transactions to invoices.
    pub reconciliation: Arc<ReconciliationService>,
    /// Notifications, preferences, alert settings and webhook endpoints.
    pub alerts: Arc<AlertService>,
    /// Live events, read back for streams.
    pub events: Arc<EventService>,
    /// Wakes this process's event streams.
    pub event_hub: Arc<EventHub>,
    /// Storage readiness.
    pub health: Arc<dyn StorageHealth>,
    /// Cookie settings and the rate limit of the authentication routes.
    pub security: WebSecurity,
    /// Turns to compute a forecast: each reads every open invoice and writes megabytes of JSON
    /// at 100,000 invoices (about 12 MiB of memory while it runs). Requests beyond the turns wait
    /// on their event loop, in order and holding no thread ([`AppState::with_forecasts_at_once`]).
    pub forecast_turns: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    /// Forecasts computed at once when nothing sets it (`BILLIFY_FORECASTS_AT_ONCE`).
    pub const FORECASTS_AT_ONCE: usize = 4;

    /// Turns for `n` forecasts computed at once (at least one).
    pub fn forecast_turns_for(n: usize) -> Arc<tokio::sync::Semaphore> {
        Arc::new(tokio::sync::Semaphore::new(n.max(1)))
    }

    /// This state with `n` forecasts computed at once (at least one).
    pub fn with_forecasts_at_once(mut self, n: usize) -> Self {
        self.forecast_turns = Self::forecast_turns_for(n);
        self
    }

    /// Waits for a turn to compute a forecast (see [`AppState::forecast_turns`]).
    pub(crate) async fn forecast_turn(&self) -> Result<tokio::sync::SemaphorePermit<'_>, ApiError> {
        self.forecast_turns.acquire().await.map_err(|e| {
            log::error!("the forecast turns are closed: {e}");
            ApiError::Internal
        })
    }
}

/// Runs blocking use-case code on actix's blocking pool, under the request's id (so its log
/// lines name the request).
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let id = observe::current_request_id();
    web::block(move || observe::with_request_id(id, f)).await.map_err(|e| {
        log::error!("blocking task failed: {e}");
        ApiError::Internal
    })?
}

/// The JSON of `view`, in a buffer of `capacity` bytes to begin with (a page of 50 invoices is
/// about 40 KB: grown from serde_json's 128 bytes, it was copied nine times over).
pub(crate) fn json_bytes(view: &impl serde::Serialize, capacity: usize) -> Result<Vec<u8>, ApiError> {
    let mut body = Vec::with_capacity(capacity);
    serde_json::to_writer(&mut body, view).map_err(|e| {
        log::error!("writing a JSON answer failed: {e}");
        ApiError::Internal
    })?;
    Ok(body)
}

/// RFC 3339 in UTC, e.g. `2026-11-27T10:00:00.123456Z`.
///
/// Written directly rather than through `time`'s RFC 3339 formatter (3.8 % of a page of 50
/// invoices, two timestamps a row); the text is the same: the fraction without trailing zeros,
/// none when it is zero, and an empty string for a year RFC 3339 cannot hold.
pub(crate) fn timestamp(t: OffsetDateTime) -> String {
    use std::fmt::Write as _;
    let t = t.to_offset(time::UtcOffset::UTC);
    if !(0..=9999).contains(&t.year()) {
        return String::new();
    }
    let mut text = String::with_capacity(27);
    let _ = write!(
        text,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    let mut nanos = t.nanosecond();
    if nanos > 0 {
        let mut digits = 9;
        while nanos.is_multiple_of(10) {
            nanos /= 10;
            digits -= 1;
        }
        let _ = write!(text, ".{nanos:0digits$}");
    }
    text.push('Z');
    text
}

/// An HTTP method the API serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Verb {
    /// The method's name, e.g. `"GET"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::Patch => "PATCH",
            Verb::Delete => "DELETE",
        }
    }

    fn route(self) -> actix_web::Route {
        match self {
            Verb::Get => web::get(),
            Verb::Post => web::post(),
            Verb::Patch => web::patch(),
            Verb::Delete => web::delete(),
        }
    }
}

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, without a session.
    Public,
    /// Any member of the organisation acted on, whatever the role.
    Member,
    /// Members whose role grants the permission ([`billify_domain::Role::can`]).
    Needs(Permission),
}

impl Access {
    /// The permission the route requires, if any.
    pub fn permission(self) -> Option<Permission> {
        match self {
            Access::Needs(p) => Some(p),
            Access::Public | Access::Member => None,
        }
    }
}

/// A route of the API: what is served, who may call it, and the handler. [`configure`] builds
/// the router from [`ROUTES`] alone and the [`Authenticated`] extractor enforces `access` from
/// it, so the table cannot drift from what is served.
#[derive(Clone, Copy)]
pub struct RouteInfo {
    /// The HTTP method.
    pub method: Verb,
    /// The path template under the server root.
    pub path: &'static str,
    /// Who may call it.
    pub access: Access,
    handler: fn(actix_web::Route) -> actix_web::Route,
}

impl RouteInfo {
    /// Whether the route needs a session.
    pub fn authenticated(&self) -> bool {
        self.access != Access::Public
    }

    /// Whether a personal access token may call the route (with its scope's role). A token
    /// never manages credentials (the `/auth/*` routes, but for reading who it acts as) and
    /// never deletes the organisation: those take an interactive session.
    pub fn accepts_access_tokens(&self) -> bool {
        if self.access == Access::Public {
            return false;
        }
        if let Some(auth) = self.path.strip_prefix("/api/v1/auth/") {
            return auth == "me" && self.method == Verb::Get;
        }
        self.access != Access::Needs(Permission::DeleteOrganisation)
    }
}

impl std::fmt::Debug for RouteInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} ({:?})", self.method.as_str(), self.path, self.access)
    }
}

/// The prefix of every route.
pub const API_PREFIX: &str = "/api/v1";

macro_rules! route {
    ($verb:ident $path:literal, $access:expr, $handler:path) => {
        RouteInfo { method: Verb::$verb, path: concat!("/api/v1", $path), access: $access, handler: |r| r.to($handler) }
    };
}

use Access::{Member, Needs, Public};
use Permission::{
    DeleteOrganisation, ExportData, ImportBankData, ManageIntegrations, ManageMembers, ManageOrganisation, ReadAudit,
    ReadData, WriteInvoices,
};

/// Every route the API serves, in the order they are matched (a literal segment before a
/// `{parameter}` at the same place).
pub const ROUTES: &[RouteInfo] = &[
    route!(Get "/health", Public, health),
    route!(Get "/ready", Public, ready),
    route!(Get "/openapi.json", Public, openapi::document),
    route!(Post "/auth/register", Public, auth::register),
    route!(Post "/auth/login", Public, auth::login),
    route!(Post "/auth/login/totp", Public, two_factor::login),
    route!(Post "/auth/logout", Member, auth::logout),
    route!(Get "/auth/me", Member, auth::me),
    route!(Post "/auth/2fa/totp", Member, two_factor::enrol),
    route!(Delete "/auth/2fa/totp", Member, two_factor::disable),
    route!(Post "/auth/2fa/totp/confirm", Member, two_factor::confirm),
    route!(Post "/auth/password", Member, sessions::change_password),
    route!(Post "/auth/logout-all", Member, sessions::logout_all),
    route!(Get "/auth/sessions", Member, sessions::list),
    route!(Delete "/auth/sessions/{id}", Member, sessions::revoke),
    route!(Post "/auth/tokens", Member, access_tokens::create),
    route!(Get "/auth/tokens", Member, access_tokens::list),
    route!(Delete "/auth/tokens/{id}", Member, access_tokens::revoke),
    route!(Get "/organisation", Needs(ReadData), auth::organisation),
    route!(Patch "/organisation", Needs(ManageOrganisation), auth::update_organisation),
    route!(Delete "/organisation", Needs(DeleteOrganisation), organisation::delete),
    route!(Get "/organisation/export", Needs(ExportData), organisation::export),
    route!(Get "/audit", Needs(ReadAudit), organisation::audit),
    route!(Get "/organisation/members", Needs(ManageMembers), members::list),
    route!(Patch "/organisation/members/{user_id}", Needs(ManageMembers), members::change_role),
    route!(Delete "/organisation/members/{user_id}", Needs(ManageMembers), members::remove),
    route!(Post "/organisation/invitations", Needs(ManageMembers), members::invite),
    route!(Get "/organisation/invitations", Needs(ManageMembers), members::invitations),
    route!(Delete "/organisation/invitations/{id}", Needs(ManageMembers), members::revoke),
    route!(Post "/invitations/accept", Public, members::accept),
    route!(Post "/invoices/uploads", Needs(WriteInvoices), intake::upload),
    route!(Get "/invoices/reading-accuracy", Needs(ReadData), reading_accuracy::reading_accuracy),
    route!(Get "/invoices/drafts/{id}", Needs(ReadData), intake::get_draft),
    route!(Patch "/invoices/drafts/{id}", Needs(WriteInvoices), intake::update_draft),
    route!(Delete "/invoices/drafts/{id}", Needs(WriteInvoices), intake::discard),
    route!(Post "/invoices/drafts/{id}/confirm", Needs(WriteInvoices), intake::confirm),
    route!(Get "/invoices", Needs(ReadData), invoices::list),
    route!(Post "/invoices", Needs(WriteInvoices), invoices::create),
    route!(Get "/invoices/{id}", Needs(ReadData), invoices::get),
    route!(Patch "/invoices/{id}", Needs(WriteInvoices), invoices::update),
    route!(Delete "/invoices/{id}", Needs(WriteInvoices), invoices::delete),
    route!(Post "/invoices/{id}/payments", Needs(WriteInvoices), invoices::record_payment),
    route!(Post "/invoices/{id}/reopen", Needs(WriteInvoices), invoices::reopen),
    route!(Get "/invoices/{id}/events", Needs(ReadData), invoices::events),
    route!(Get "/invoices/{id}/document", Needs(ReadData), intake::document),
    route!(Post "/bank/statements", Needs(ImportBankData), bank::import_statement),
    route!(Get "/bank/accounts", Needs(ReadData), bank::accounts),
    route!(Get "/bank/transactions", Needs(ReadData), bank::transactions),
    route!(Post "/bank/integrations/ponto/connect", Needs(ManageIntegrations), integrations::connect),
    route!(Get "/bank/integrations/ponto/callback", Needs(ManageIntegrations), integrations::callback),
    route!(Get "/bank/integrations", Needs(ReadData), integrations::list),
    route!(Get "/bank/integrations/{id}", Needs(ReadData), integrations::get),
    route!(Delete "/bank/integrations/{id}", Needs(ManageIntegrations), integrations::disconnect),
    route!(Post "/bank/integrations/{id}/sync", Needs(ManageIntegrations), integrations::sync_now),
    route!(Get "/bank/integrations/{id}/runs", Needs(ReadData), integrations::runs),
    route!(Get "/integrations", Needs(ReadData), integrations::list),
    route!(Post "/integrations/yuki/connect", Needs(ManageIntegrations), integrations::connect_yuki),
    route!(Get "/integrations/{id}", Needs(ReadData), integrations::get),
    route!(Patch "/integrations/{id}", Needs(ManageIntegrations), integrations::configure),
    route!(Delete "/integrations/{id}", Needs(ManageIntegrations), integrations::disconnect),
    route!(Post "/integrations/{id}/sync", Needs(ManageIntegrations), integrations::sync_now),
    route!(Get "/integrations/{id}/runs", Needs(ReadData), integrations::runs),
    route!(Get "/integrations/{id}/flagged-items", Needs(ReadData), integrations::flagged_items),
    route!(Get "/reconciliation/suggestions", Needs(ReadData), reconciliation::suggestions),
    route!(Post "/reconciliation/suggestions/{id}/accept", Needs(WriteInvoices), reconciliation::accept),
    route!(Post "/reconciliation/suggestions/{id}/reject", Needs(WriteInvoices), reconciliation::reject),
    route!(Get "/reconciliation/matches", Needs(ReadData), reconciliation::matches),
    route!(Post "/reconciliation/matches", Needs(WriteInvoices), reconciliation::create_match),
    route!(Delete "/reconciliation/matches/{id}", Needs(WriteInvoices), reconciliation::undo_match),
    route!(Post "/reconciliation/run", Needs(WriteInvoices), reconciliation::run),
    route!(Get "/cashflow/summary", Needs(ReadData), cashflow::summary),
    route!(Get "/notifications", Member, notifications::list),
    route!(Post "/notifications/read-all", Member, notifications::mark_all_read),
    route!(Post "/notifications/{id}/read", Member, notifications::mark_read),
    route!(Get "/notifications/preferences", Member, notifications::preferences),
    route!(Patch "/notifications/preferences", Member, notifications::update_preferences),
    route!(Get "/notifications/settings", Needs(ReadData), notifications::settings),
    route!(Patch "/notifications/settings", Needs(ManageOrganisation), notifications::update_settings),
    route!(Get "/webhooks", Needs(ManageIntegrations), notifications::endpoints),
    route!(Post "/webhooks", Needs(ManageIntegrations), notifications::create_endpoint),
    route!(Delete "/webhooks/{id}", Needs(ManageIntegrations), notifications::delete_endpoint),
    route!(Get "/webhooks/{id}/deliveries", Needs(ManageIntegrations), notifications::deliveries),
    route!(Get "/cashflow/forecast", Needs(ReadData), forecast::forecast),
    route!(Post "/cashflow/forecast/scenario", Needs(ReadData), forecast::scenario),
    route!(Get "/cashflow/forecast/accuracy", Needs(ReadData), forecast::accuracy),
    route!(Get "/cashflow/recurring", Needs(ReadData), forecast::recurring),
    route!(Post "/cashflow/recurring/{id}/confirm", Needs(WriteInvoices), forecast::confirm),
    route!(Post "/cashflow/recurring/{id}/dismiss", Needs(WriteInvoices), forecast::dismiss),
    route!(Get "/events", Needs(ReadData), events::stream),
];

/// The route a request was matched to, from the table.
pub(crate) fn route_of(req: &actix_web::HttpRequest) -> Option<&'static RouteInfo> {
    let pattern = req.match_pattern()?;
    ROUTES.iter().find(|r| r.path == pattern && r.method.as_str() == req.method().as_str())
}

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
        let mut scope = web::scope(API_PREFIX)
            .wrap(DefaultHeaders::new().add((header::CACHE_CONTROL, HeaderValue::from_static("no-store"))));
        // One resource per path, in the table's order, with every method of that path; other
        // methods get a 405 problem.
        let mut paths: Vec<&'static str> = Vec::new();
        for route in ROUTES {
            if paths.contains(&route.path) {
                continue;
            }
            paths.push(route.path);
            let mut resource = web::resource(route.path.strip_prefix(API_PREFIX).unwrap_or(route.path));
            for same_path in ROUTES.iter().filter(|r| r.path == route.path) {
                resource = resource.route((same_path.handler)(same_path.method.route()));
            }
            let resource = resource.default_service(not_allowed());
            if ratelimit::applies_to(route.path) {
                scope = scope.service(resource.wrap(actix_web::middleware::from_fn(ratelimit::limit)));
            } else {
                scope = scope.service(resource);
            }
        }
        let scope = scope
            .wrap(actix_web::middleware::from_fn(outage::watch))
            .wrap(actix_web::middleware::from_fn(problem::every_error_a_problem));
        cfg.app_data(state).configure(openapi::configure_docs).service(scope.default_service(web::to(not_found)));
    }
}

/// The answer for unknown routes: a 404 problem document.
pub async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound("no such route".into()))
}

/// The service's state and version.
#[derive(Serialize, utoipa::ToSchema)]
struct Status {
    /// `ok` or `ready`.
    status: &'static str,
    /// The server's version.
    version: &'static str,
}

#[utoipa::path(
    get,
    path = "/api/v1/health",
    operation_id = "health",
    tag = "service",
    summary = "Liveness: the process answers.",
    responses(
        (status = 200, description = "Alive.", body = Status),
    )
)]
async fn health() -> HttpResponse {
    HttpResponse::Ok().json(Status { status: "ok", version: env!("CARGO_PKG_VERSION") })
}

/// The path of the liveness probe, which never looks at the storage.
pub(crate) const HEALTH_PATH: &str = "/api/v1/health";

#[utoipa::path(
    get,
    path = "/api/v1/ready",
    operation_id = "ready",
    tag = "service",
    summary = "Readiness: the database answers.",
    responses(
        (status = 200, description = "Ready.", body = Status),
        (status = 503, description = "/problems/unavailable: the database cannot be reached."),
    )
)]
async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    // Known down: answer at once, without waiting for a connection.
    if !state.health.available() {
        return Err(ApiError::Unavailable);
    }
    blocking(move || Ok(state.health.ping()?)).await?;
    Ok(HttpResponse::Ok().json(Status { status: "ready", version: env!("CARGO_PKG_VERSION") }))
}

#[cfg(test)]
mod tests {
    use time::format_description::well_known::Rfc3339;
    use time::macros::datetime;

    #[test]
    fn timestamps_read_as_rfc_3339_in_utc_with_the_shortest_fraction() {
        for t in [
            datetime!(2026-12-07 00:17:41.578094 UTC),
            datetime!(2026-01-02 03:04:05 UTC),
            datetime!(2026-01-02 03:04:05.1 UTC),
            datetime!(2026-01-02 03:04:05.000001 UTC),
            datetime!(2026-01-02 03:04:05.123456789 UTC),
            datetime!(0001-01-01 00:00:00.5 UTC),
            datetime!(2026-06-30 23:30:00.25 +02:00),
        ] {
            let expected = t.to_offset(time::UtcOffset::UTC).format(&Rfc3339).unwrap_or_default();
            assert_eq!(super::timestamp(t), expected);
        }
        assert_eq!(super::timestamp(datetime!(2026-06-30 23:30:00.25 +02:00)), "2026-06-30T21:30:00.25Z");
    }
}
