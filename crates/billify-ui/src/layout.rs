//! The page shell: head with the hashed assets, the header with navigation, organisation and
//! language switchers and sign-out, and the response headers every page carries.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, ResponseError};
use billify_domain::Permission;
use maud::{DOCTYPE, Markup, html};

use crate::assets;
use crate::error::UiError;
use crate::i18n::Lang;
use crate::session::{CSRF_FIELD, Signed};

/// The Content-Security-Policy of every page: scripts, styles, images and connections from the
/// server itself only; no inline script or style, no plugins, no framing of the page; document
/// previews are frames of the same origin.
pub const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; form-action 'self'; frame-src 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The navigation entry of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// The dashboard.
    Dashboard,
    /// Invoices.
    Invoices,
    /// Upload and review.
    Upload,
    /// The bank.
    Bank,
    /// Bank payments matched with invoices.
    Reconciliation,
    /// Integrations (the books and the bank).
    Integrations,
    /// Notifications.
    Notifications,
    /// Settings.
    Settings,
}

fn head(lang: Lang, title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            // htmx must not inject its indicator <style>: the CSP allows no inline style.
            meta name="htmx-config" content=r#"{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false}"#;
            title { (title) " · Billify" }
            link rel="icon" href=(assets::url("icon.svg")) type="image/svg+xml";
            link rel="stylesheet" href=(assets::url("app.css"));
            script src=(assets::url("htmx.min.js")) defer {}
            script src=(assets::url("htmx-ext-sse.min.js")) defer {}
            script src=(assets::url("app.js")) defer {}
            meta name="billify-lang" content=(lang.locale());
        }
    }
}

fn language_form(lang: Lang) -> Markup {
    html! {
        form.lang-form method="post" action="/language" {
            label.sr-only for="lang-select" { (lang.t("nav.language")) }
            select #lang-select name="lang" data-autosubmit {
                @for l in Lang::ALL {
                    option value=(l.code()) selected[l == lang] lang=(l.code()) { (l.native_name()) }
                }
            }
            button.js-hide type="submit" { (lang.t("nav.change")) }
        }
    }
}

/// A response with a page's headers: HTML, no caching, the page CSP.
pub fn respond(markup: Markup) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::CONTENT_SECURITY_POLICY, PAGE_CSP))
        .body(markup.into_string())
}

/// A page for visitors without a session (sign-in, registration, errors).
pub fn public(lang: Lang, title: &str, body: Markup) -> HttpResponse {
    respond(html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            (head(lang, title))
            body.public {
                a.skip href="#main" { (lang.t("nav.skip")) }
                header.topbar {
                    a.brand href="/" { "Billify" }
                    (language_form(lang))
                }
                main #main { (body) }
            }
        }
    })
}

/// A page behind sign-in.
pub fn page(s: &Signed, title: &str, nav: Nav, body: Markup) -> HttpResponse {
    respond(fragment_page(s, title, nav, body))
}

/// The markup of [`page`].
pub fn fragment_page(s: &Signed, title: &str, nav: Nav, body: Markup) -> Markup {
    let lang = s.lang;
    let current = s.auth.actor.organisation_id;
    let link = |href: &str, key: &str, this: Nav| {
        html! {
            a href=(href) aria-current=[(nav == this).then_some("page")] { (lang.t(key)) }
        }
    };
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            (head(lang, title))
            // Every signed-in page follows the organisation's event stream (`/events`, htmx's
            // SSE extension): the header's unread count, and on the dashboard its figures.
            body hx-headers=(format!(r#"{{"X-CSRF-Token":"{}"}}"#, s.csrf)) hx-ext="sse" sse-connect="/events" {
                a.skip href="#main" { (lang.t("nav.skip")) }
                header.topbar {
                    a.brand href="/" { "Billify" }
                    nav.mainnav aria-label=(lang.t("nav.label")) {
                        (link("/", "nav.dashboard", Nav::Dashboard))
                        (link("/invoices", "nav.invoices", Nav::Invoices))
                        @if s.can(Permission::WriteInvoices) {
                            (link("/upload", "nav.upload", Nav::Upload))
                        }
                        (link("/bank", "nav.bank", Nav::Bank))
                        (link("/reconciliation", "nav.reconciliation", Nav::Reconciliation))
                        (link("/integrations", "nav.integrations", Nav::Integrations))
                        (link("/settings", "nav.settings", Nav::Settings))
                        a #nav-notifications href="/notifications" aria-current=[(nav == Nav::Notifications).then_some("page")] {
                            (lang.t("nav.notifications")) " "
                            (unread_badge(lang, s.unread))
                        }
                    }
                    div.tools {
                        @if s.organisations.len() > 1 {
                            form.org-form method="post" action="/organisation" {
                                input type="hidden" name=(CSRF_FIELD) value=(s.csrf);
                                label.sr-only for="org-select" { (lang.t("nav.organisation")) }
                                select #org-select name="organisation" data-autosubmit {
                                    @for (id, name) in &s.organisations {
                                        option value=(id.to_string()) selected[*id == current] { (name) }
                                    }
                                }
                                button.js-hide type="submit" { (lang.t("nav.switch")) }
                            }
                        } @else {
                            span.org-name { (s.profile.organisation.name.to_string()) }
                        }
                        (language_form(lang))
                        form method="post" action="/sign-out" {
                            input type="hidden" name=(CSRF_FIELD) value=(s.csrf);
                            button.linkish type="submit" { (lang.t("nav.sign_out")) }
                        }
                    }
                }
                main #main { (body) }
                footer.foot {
                    span { (s.profile.user.name.as_str()) " · " (lang.t(&format!("role.{}", s.auth.actor.role.code()))) }
                }
            }
        }
    }
}

/// The header's unread badge: the count of unread notifications (capped), refreshed by the
/// event stream. Empty (and hidden) at zero.
pub fn unread_badge(lang: Lang, unread: u32) -> Markup {
    let cap = crate::session::COUNT_CAP;
    let shown = if unread > cap { format!("{cap}+") } else { unread.to_string() };
    html! {
        span #unread-count .count.hidden[unread == 0] hx-get="/notifications/count" hx-target="this" hx-swap="outerHTML"
            hx-trigger="sse:notification.created delay:300ms" data-unread=(unread) {
            @if unread > 0 { (shown) span.sr-only { " " (lang.t("notif.unread_short")) } }
        }
    }
}

/// The label, class and icon of an invoice's state: red for overdue or urgent, orange for
/// upcoming, green for paid or safe; the text and icon say the same as the colour.
pub fn urgency_badge(lang: Lang, level: Option<billify_domain::UrgencyLevel>, paid: bool, manual: bool) -> Markup {
    use billify_domain::UrgencyLevel as U;
    let (class, icon, key) = match (paid, level) {
        (true, _) => ("safe", "✓", "urgency.paid"),
        (false, Some(U::Overdue)) => ("urgent", "!", "urgency.overdue"),
        (false, Some(U::Critical)) => ("urgent", "!", "urgency.critical"),
        (false, Some(U::High)) => ("upcoming", "◷", "urgency.high"),
        (false, Some(U::Medium)) => ("upcoming", "◷", "urgency.medium"),
        (false, Some(U::Low)) => ("safe", "✓", "urgency.low"),
        (false, None) => ("neutral", "·", "urgency.none"),
    };
    html! {
        span class=(format!("badge {class}")) data-urgency=(level.map(|l| l.code()).unwrap_or(if paid { "paid" } else { "none" })) {
            span.icon aria-hidden="true" { (icon) }
            " " (lang.t(key))
            @if manual { " " span.manual title=(lang.t("urgency.manual")) { "(" (lang.t("urgency.manual_short")) ")" } }
        }
    }
}

/// Field errors of a form, by field name.
#[derive(Debug, Default, Clone)]
pub struct Errors(pub Vec<(String, String)>);

impl Errors {
    /// The errors of a refused request: per field for invalid fields, else under `_form`.
    pub fn from_api(e: &billify_web::problem::ApiError) -> Errors {
        match e {
            billify_web::problem::ApiError::Validation(fields) => {
                Errors(fields.iter().map(|f| (f.field.clone(), f.message.clone())).collect())
            }
            other => Errors(vec![("_form".into(), other.to_string())]),
        }
    }

    /// The message of a field, if it has one.
    pub fn of(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }

    /// Messages for fields the form does not show, with the form-wide one.
    pub fn others<'a>(&'a self, shown: &'a [&str]) -> impl Iterator<Item = &'a (String, String)> {
        self.0.iter().filter(move |(f, _)| !shown.contains(&f.as_str()))
    }
}

/// What a form field looks like.
pub struct Field<'a> {
    /// The field's name (and the key of its errors).
    pub name: &'a str,
    /// Its label.
    pub label: &'a str,
    /// The input type.
    pub kind: &'a str,
    /// The value to show (what the user typed, kept on errors).
    pub value: &'a str,
    /// Whether it must be filled.
    pub required: bool,
    /// Autocomplete hint.
    pub autocomplete: Option<&'a str>,
    /// Extra class, e.g. `low-confidence`.
    pub class: &'a str,
    /// A hint under the field.
    pub hint: Option<&'a str>,
}

impl<'a> Field<'a> {
    /// A text field.
    pub fn new(name: &'a str, label: &'a str, value: &'a str) -> Self {
        Field { name, label, kind: "text", value, required: false, autocomplete: None, class: "", hint: None }
    }
    /// With another input type.
    pub fn kind(mut self, kind: &'a str) -> Self {
        self.kind = kind;
        self
    }
    /// Required.
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }
    /// With an autocomplete hint.
    pub fn auto(mut self, hint: &'a str) -> Self {
        self.autocomplete = Some(hint);
        self
    }
    /// With a class on its wrapper.
    pub fn class(mut self, class: &'a str) -> Self {
        self.class = class;
        self
    }
    /// With a hint.
    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }

    /// The label, the input, and the field's error right below it (tied with
    /// `aria-describedby`).
    pub fn render(&self, errors: &Errors) -> Markup {
        let id = format!("f-{}", self.name.replace('.', "-"));
        let error = errors.of(self.name);
        let error_id = format!("{id}-error");
        let hint_id = format!("{id}-hint");
        let described: Vec<&str> =
            [error.map(|_| error_id.as_str()), self.hint.map(|_| hint_id.as_str())].into_iter().flatten().collect();
        html! {
            div class=(format!("field {}{}", self.class, if error.is_some() { " has-error" } else { "" })) {
                label for=(id) { (self.label) }
                input #(id) type=(self.kind) name=(self.name) value=(self.value)
                    required[self.required]
                    autocomplete=[self.autocomplete]
                    aria-invalid=[error.map(|_| "true")]
                    aria-describedby=[(!described.is_empty()).then(|| described.join(" "))];
                @if let Some(hint) = self.hint { small.hint #(hint_id) { (hint) } }
                @if let Some(message) = error { p.error #(error_id) { (message) } }
            }
        }
    }
}

/// The hidden CSRF field of a form.
pub fn csrf(s: &Signed) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(s.csrf); }
}

/// A redirect after a successful form post (303, so the browser follows with GET).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.to_owned()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

/// Errors as pages: the sign-in redirect, or the message with its request id.
impl ResponseError for UiError {
    fn status_code(&self) -> StatusCode {
        match self {
            UiError::SignIn { .. } => StatusCode::SEE_OTHER,
            UiError::Page { status, .. } => *status,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            UiError::SignIn { next } => {
                let query = serde_urlencoded::to_string([("next", next.as_str())]).unwrap_or_default();
                HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, format!("/sign-in?{query}")))
                    .insert_header((header::CACHE_CONTROL, "no-store"))
                    .finish()
            }
            UiError::Page { lang, status, message, request_id } => {
                let lang = *lang;
                let body = maud::html! {
                    section.card.error-page role="alert" {
                        h1 { (lang.t("error.title")) }
                        p.error-detail { (message) }
                        p.muted { (lang.tf("error.request_id", &[("id", request_id)])) }
                        p { a href="/" { (lang.t("error.home")) } }
                    }
                };
                let mut response = public(lang, lang.t("error.title"), body);
                *response.status_mut() = *status;
                response
            }
        }
    }
}
