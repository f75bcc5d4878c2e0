//! Billify's browser interface: server-rendered HTML pages (compiled `maud` templates) for
//! people, beside the JSON API of `billify-web`, served by the same binary.
//!
//! Pages call the same use cases as the API (through `billify_web::AppState`) on the blocking
//! pool, one request at a time, and use the API's cookie session, CSRF token, sign-in rate limit
//! and two-factor requirement (`billify_web::browser`), never copies of them. Forms work without
//! scripts; vendored htmx (`assets/vendor`, see `NOTICE`) and a small script of our own
//! (`assets/app.js`) enhance them. Assets are embedded, named by content hash, cached for a
//! year and served compressed; every page carries a strict Content-Security-Policy without
//! inline script or style. Interface text comes from the message catalogues in `messages/`
//! (English, Dutch, French), numbers, money and dates are formatted for the user's locale.
//!
//! **Must never depend on:** the store crates (`billify-store-*`), diesel or r2d2, or any
//! storage or provider adapter (ponto, pdf, einvoice, bankfiles, files, crypto). It knows the
//! domain, the ports and the use cases, and `billify-web` for the session; the composition
//! root hands it the wired services.

pub mod assets;
mod cookies;
mod error;
pub mod i18n;
mod layout;
mod pages;
mod session;

use actix_web::web;

pub use error::UiError;
pub use layout::PAGE_CSP;

/// A page or form the interface serves.
#[derive(Debug, Clone, Copy)]
pub struct UiRoute {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The path template.
    pub path: &'static str,
    /// Whether it needs a session.
    pub signed_in: bool,
}

macro_rules! routes {
    ($($method:ident $path:literal $signed:literal => $handler:path;)*) => {
        /// Every page and form the interface serves (besides `/assets/{name}`).
        pub const ROUTES: &[UiRoute] = &[$(UiRoute { method: stringify!($method), path: $path, signed_in: $signed }),*];

        fn register(cfg: &mut web::ServiceConfig) {
            $(
                cfg.route($path, routes!(@verb $method).to($handler));
            )*
        }
    };
    (@verb GET) => { web::get() };
    (@verb POST) => { web::post() };
}

routes! {
    GET "/" true => pages::dashboard::page;
    GET "/events" true => pages::live::events;
    GET "/sign-in" false => pages::auth::sign_in_page;
    POST "/sign-in" false => pages::auth::sign_in;
    POST "/sign-in/code" false => pages::auth::sign_in_code;
    GET "/register" false => pages::auth::register_page;
    POST "/register" false => pages::auth::register;
    POST "/sign-out" true => pages::auth::sign_out;
    GET "/invitations/accept" false => pages::auth::accept_page;
    POST "/invitations/accept" false => pages::auth::accept;
    POST "/language" false => pages::auth::language;
    POST "/organisation" true => pages::auth::switch_organisation;
    GET "/invoices" true => pages::invoices::list;
    GET "/invoices/{id}" true => pages::invoices::show;
    POST "/invoices/{id}/payments" true => pages::invoices::pay;
    POST "/invoices/{id}/urgency" true => pages::invoices::urgency;
    GET "/invoices/{id}/document" true => pages::invoices::document;
    GET "/upload" true => pages::upload::page;
    POST "/upload" true => pages::upload::upload;
    GET "/drafts/{id}" true => pages::upload::review;
    POST "/drafts/{id}" true => pages::upload::submit;
    GET "/drafts/{id}/document" true => pages::upload::document;
    GET "/bank" true => pages::bank::page;
    POST "/bank/connect" true => pages::bank::connect;
    GET "/bank/callback" true => pages::bank::callback;
    POST "/bank/integrations/{id}/sync" true => pages::bank::sync_now;
    POST "/bank/statements" true => pages::bank::import;
    GET "/reconciliation" true => pages::reconciliation::page;
    POST "/reconciliation/run" true => pages::reconciliation::run;
    POST "/reconciliation/suggestions/{id}/accept" true => pages::reconciliation::accept;
    POST "/reconciliation/suggestions/{id}/reject" true => pages::reconciliation::reject;
    POST "/reconciliation/matches/{id}/undo" true => pages::reconciliation::undo;
    GET "/integrations" true => pages::integrations::page;
    POST "/integrations/yuki/connect" true => pages::integrations::connect;
    POST "/integrations/{id}/key" true => pages::integrations::new_key;
    POST "/integrations/{id}/administration" true => pages::integrations::choose_administration;
    POST "/integrations/{id}/sync" true => pages::integrations::sync_now;
    POST "/integrations/{id}/disconnect" true => pages::integrations::disconnect;
    GET "/notifications" true => pages::notifications::page;
    GET "/notifications/count" true => pages::notifications::count;
    POST "/notifications/read-all" true => pages::notifications::mark_all_read;
    POST "/notifications/preferences" true => pages::notifications::preferences;
    POST "/notifications/settings" true => pages::notifications::settings;
    POST "/notifications/{id}/read" true => pages::notifications::mark_read;
    GET "/forecast/accuracy" true => pages::dashboard::accuracy;
    GET "/settings" true => pages::settings::page;
    POST "/settings/organisation" true => pages::settings::organisation;
    POST "/settings/members/{id}/role" true => pages::settings::member_role;
    POST "/settings/members/{id}/remove" true => pages::settings::member_remove;
    POST "/settings/invitations" true => pages::settings::invite;
    POST "/settings/invitations/{id}/revoke" true => pages::settings::invitation_revoke;
    POST "/settings/password" true => pages::settings::password;
    POST "/settings/two-factor/start" true => pages::settings::two_factor_start;
    POST "/settings/two-factor/confirm" true => pages::settings::two_factor_confirm;
    POST "/settings/two-factor/disable" true => pages::settings::two_factor_disable;
    POST "/settings/sessions/{id}/revoke" true => pages::settings::session_revoke;
    POST "/settings/sessions/revoke-all" true => pages::settings::sessions_revoke_all;
    POST "/settings/tokens" true => pages::settings::token_create;
    POST "/settings/tokens/{id}/revoke" true => pages::settings::token_revoke;
    POST "/settings/webhooks" true => pages::settings::webhook_create;
    POST "/settings/webhooks/{id}/delete" true => pages::settings::webhook_delete;
}

/// How the interface behaves, from the server's configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UiSettings {
    /// How often the dashboard's figures are polled while its event stream is unavailable, in
    /// seconds.
    pub refresh_seconds: u32,
}

impl Default for UiSettings {
    fn default() -> Self {
        UiSettings { refresh_seconds: 30 }
    }
}

/// Registers the interface at the server root. The API's [`billify_web::AppState`] must be
/// registered as app data (by `billify_web::configure`).
pub fn configure(settings: UiSettings) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg: &mut web::ServiceConfig| {
        cfg.app_data(web::Data::new(settings));
        cfg.route("/assets/{name}", web::get().to(assets::serve));
        register(cfg);
    }
}

/// The answer for paths nothing serves: a page for browsers (that ask for HTML, outside the
/// API), the API's 404 problem document otherwise.
pub async fn not_found(req: actix_web::HttpRequest) -> actix_web::HttpResponse {
    let wants_html = req
        .headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if wants_html && !req.path().starts_with(billify_web::API_PREFIX) {
        let lang = i18n::Lang::of(&req);
        return actix_web::ResponseError::error_response(&UiError::api(
            lang,
            billify_web::problem::ApiError::NotFound(String::new()),
        ));
    }
    match billify_web::not_found().await {
        Ok(response) => response,
        Err(e) => actix_web::ResponseError::error_response(&e),
    }
}
