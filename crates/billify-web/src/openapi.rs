//! The OpenAPI 3.1 description of the API, generated from the code: `utoipa` derives on the
//! request and response types, a `#[utoipa::path]` attribute on each handler, and
//! [`ApiDoc::openapi`] listing the handlers. What every route shares is added here from
//! [`ROUTES`], so a handler's attribute says only what is its own (its body, success answer and
//! route-specific problems):
//!
//! - the security schemes each route accepts (bearer session, personal access token, cookie
//!   session with its CSRF header), from [`RouteInfo::access`] and
//!   [`RouteInfo::accepts_access_tokens`];
//! - the `X-Billify-Organisation` header on every authenticated route;
//! - the path parameters named in the template;
//! - the problem documents each route can answer, with the problem `type`s of each status as an
//!   `enum` (a handler names its own with `/problems/SLUG` in a response's description);
//! - money (`Money`, decimal strings) in place of the plain strings of amount fields.
//!
//! Documenting a new route: put `#[utoipa::path(...)]` on its handler (method, path, request
//! body, success answer, and its own problems) and add the handler to `paths(...)` below. The
//! test `every_route_is_documented` names any route of [`ROUTES`] that is missing.
//!
//! Served at `GET /api/v1/openapi.json`; `/api/docs` renders it with the vendored Redoc
//! (`assets/vendor`, see `NOTICE`): scripts from this server only, nothing from another origin.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, web};
use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn, PathItem};
use utoipa::openapi::request_body::RequestBody;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Required};
use utoipa::{Modify, OpenApi};

use crate::{API_PREFIX, ORGANISATION_HEADER, ROUTES, RouteInfo, SESSION_COOKIE, Verb};
use crate::{access_tokens, auth, bank, cashflow, intake, integrations, invoices, members, organisation};
use crate::{events, forecast, notifications, reconciliation, sessions, two_factor};

/// The generated document. Add a handler here when it gets its `#[utoipa::path]`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Billify API",
        description = "Billify's versioned JSON API. The guide (concepts, authentication, errors, \
                       paging, examples) is docs/api.md; this document is the route reference, \
                       generated from the code.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    paths(
        crate::health, crate::ready, document,
        auth::register, auth::login, two_factor::login, auth::logout, auth::me,
        two_factor::enrol, two_factor::disable, two_factor::confirm,
        sessions::change_password, sessions::logout_all, sessions::list, sessions::revoke,
        access_tokens::create, access_tokens::list, access_tokens::revoke,
        auth::organisation, auth::update_organisation, organisation::delete, organisation::export,
        organisation::audit,
        members::list, members::change_role, members::remove, members::invite, members::invitations,
        members::revoke, members::accept,
        intake::upload, intake::get_draft, intake::update_draft, intake::discard, intake::confirm,
        crate::reading_accuracy::reading_accuracy,
        invoices::list, invoices::create, invoices::get, invoices::update, invoices::delete,
        invoices::record_payment, invoices::reopen, invoices::events, intake::document,
        bank::import_statement, bank::accounts, bank::transactions,
        integrations::connect, integrations::callback, integrations::list, integrations::get,
        integrations::disconnect, integrations::sync_now, integrations::runs,
        integrations::connect_yuki, integrations::configure, integrations::flagged_items,
        integrations::aliases::bank_list, integrations::aliases::get, integrations::aliases::disconnect,
        integrations::aliases::sync_now, integrations::aliases::runs,
        notifications::list, notifications::mark_all_read, notifications::mark_read, notifications::preferences,
        notifications::update_preferences, notifications::settings, notifications::update_settings,
        notifications::endpoints, notifications::create_endpoint, notifications::delete_endpoint,
        notifications::deliveries,
        forecast::forecast, forecast::scenario, forecast::accuracy, forecast::recurring, forecast::confirm,
        forecast::dismiss,
        events::stream,
        reconciliation::suggestions, reconciliation::accept, reconciliation::reject,
        reconciliation::matches, reconciliation::create_match, reconciliation::undo_match,
        reconciliation::run,
        cashflow::summary,
    ),
    components(schemas(crate::problem::Problem<'static>, crate::problem::FieldError, crate::doc_types::Money)),
    modifiers(&Shared),
    tags(
        (name = "service", description = "Liveness, readiness and this document."),
        (name = "auth", description = "Registration, login, sessions, two-factor and access tokens."),
        (name = "organisation", description = "The organisation, its members, audit trail, export and deletion."),
        (name = "invoices", description = "Invoices, uploads and drafts."),
        (name = "bank", description = "Bank statements, accounts, transactions and Ponto integrations."),
        (name = "reconciliation", description = "Matching bank transactions to invoices."),
        (name = "cashflow", description = "The cash position, the forecast and recurring flows."),
        (name = "integrations", description = "Bank and accounting integrations (Ponto, Yuki)."),
        (name = "notifications", description = "Alerts: the inbox, preferences, alert settings and webhooks."),
        (name = "events", description = "Live events (Server-Sent Events)."),
    ),
)]
pub struct ApiDoc;

/// The document as JSON text, built once.
pub fn document_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| ApiDoc::openapi().to_json().unwrap_or_else(|_| String::from("{}")))
}

/// `GET /api/v1/openapi.json`.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "service",
    responses((status = 200, description = "This OpenAPI 3.1 document.", content_type = "application/json")))]
pub(crate) async fn document() -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").body(document_json())
}

/// Names of amount fields in answers: plain strings in the views, `Money` in the document.
const MONEY_FIELDS: &[&str] = &[
    "amount",
    "amount_paid",
    "available_balance",
    "balance",
    "current_balance",
    "money_in",
    "money_out",
    "net",
    "on_purchases",
    "on_sales",
    "open_amount",
    "overdue",
    "overpayment",
    "signed_total",
    "subtotal",
    "total",
    "unmatched_amount",
    "vat_amount",
];

/// What every route shares, added from [`ROUTES`].
struct Shared;

impl Modify for Shared {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::Http(
                Http::builder()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The session token answered by POST /api/v1/auth/login (or /auth/login/totp)."))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "access_token",
            SecurityScheme::Http(
                Http::builder()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("bfy_pat_<organisation>_<secret>")
                    .description(Some(
                        "A personal access token (POST /api/v1/auth/tokens), acting in its organisation with its \
                         scope's role; refused by the /auth routes but GET /auth/me.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                SESSION_COOKIE,
                "The browser session cookie (login with {\"cookie\": true}).",
            ))),
        );
        components.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "The cookie session's CSRF token, required with the cookie on every request that changes state.",
            ))),
        );
        for route in ROUTES {
            let template = route.path;
            let Some(item) = doc.paths.paths.get_mut(template) else { continue };
            let Some(operation) = operation_mut(item, route.method) else { continue };
            share(route, operation);
        }
        money_fields(components);
    }
}

/// The operation of `item` for `verb`.
pub(crate) fn operation_mut(item: &mut PathItem, verb: Verb) -> Option<&mut Operation> {
    match verb {
        Verb::Get => item.get.as_mut(),
        Verb::Post => item.post.as_mut(),
        Verb::Patch => item.patch.as_mut(),
        Verb::Delete => item.delete.as_mut(),
    }
}

fn share(route: &RouteInfo, operation: &mut Operation) {
    let parameters = operation.parameters.get_or_insert_with(Vec::new);
    // Path parameters from the template, unless the handler described them.
    for name in route.path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))) {
        let described = parameters.iter().any(|p| matches!(p, RefOr::T(p) if p.name == name));
        if !described {
            parameters.push(RefOr::T(path_parameter(name)));
        }
    }
    if route.authenticated() {
        parameters.push(RefOr::T(organisation_header()));
    }
    if parameters.is_empty() {
        operation.parameters = None;
    }

    operation.security = Some(if route.authenticated() {
        let mut schemes = vec![SecurityRequirement::new("session", Vec::<String>::new())];
        if route.accepts_access_tokens() {
            schemes.push(SecurityRequirement::new("access_token", Vec::<String>::new()));
        }
        schemes.push(match route.method {
            Verb::Get => SecurityRequirement::new("cookie", Vec::<String>::new()),
            _ => SecurityRequirement::new("cookie", Vec::<String>::new()).add("csrf", Vec::<String>::new()),
        });
        schemes
    } else {
        Vec::new()
    });

    let has_body = operation.request_body.as_ref().is_some_and(|b| match b {
        RefOr::T(RequestBody { content, .. }) => !content.is_empty(),
        RefOr::Ref(_) => true,
    });
    let has_query =
        operation.parameters.iter().flatten().any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Query));
    let mut common: Vec<(u16, &[&str])> = vec![(500, &["internal"]), (503, &["unavailable"])];
    if route.path.contains('{') || route.method != Verb::Get || has_body || has_query {
        common.push((400, &["bad-request"]));
    }
    if has_body {
        common.push((413, &["payload-too-large"]));
        common.push((415, &["unsupported-media-type"]));
        common.push((408, &["request-timeout"]));
    }
    if has_body || has_query {
        common.push((422, &["validation"]));
    }
    if route.authenticated() {
        common.push((401, &["unauthenticated"]));
        let mut forbidden: Vec<&str> = vec!["forbidden", "two-factor-required"];
        if route.method != Verb::Get {
            forbidden.push("csrf");
        }
        common.push((403, Vec::leak(forbidden)));
        common.push((404, &["not-found"]));
    }
    if crate::ratelimit::applies_to(route.path) {
        common.push((429, &["rate-limited"]));
    }
    for (status, slugs) in common {
        let key = status.to_string();
        let entry = operation
            .responses
            .responses
            .entry(key)
            .or_insert_with(|| RefOr::T(ResponseBuilder::new().description(reason(status)).build()));
        if let RefOr::T(response) = entry {
            let mut text = response.description.clone();
            for slug in slugs {
                if !text.contains(&format!("/problems/{slug}")) {
                    text.push_str(&format!(" /problems/{slug}."));
                }
            }
            response.description = text.trim().to_owned();
        }
    }
    for (status, response) in operation.responses.responses.iter_mut() {
        let RefOr::T(response) = response else { continue };
        if status.starts_with('4') || status.starts_with('5') {
            problem_content(response);
        }
    }
}

/// The error answer as a problem document whose `type` is one of the slugs its description
/// names (`/problems/SLUG`).
fn problem_content(response: &mut Response) {
    let slugs = problem_types(&response.description);
    let mut schema = AllOfBuilder::new().item(Ref::from_schema_name("Problem"));
    if !slugs.is_empty() {
        schema = schema.item(
            ObjectBuilder::new().property(
                "type",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(slugs.iter().map(|s| format!("/problems/{s}")))),
            ),
        );
    }
    response.content.clear();
    response
        .content
        .insert("application/problem+json".into(), RefOr::T(ContentBuilder::new().schema(Some(schema)).build()));
}

/// The problem slugs a description names, in order, once each.
pub fn problem_types(description: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for part in description.split("/problems/").skip(1) {
        let slug: String = part.chars().take_while(|c| c.is_ascii_lowercase() || *c == '-').collect();
        let slug = slug.trim_end_matches('-').to_owned();
        if !slug.is_empty() && seen.insert(slug.clone()) {
            out.push(slug);
        }
    }
    out
}

fn reason(status: u16) -> &'static str {
    match status {
        400 => "The request is not well-formed.",
        401 => "No valid credentials.",
        403 => "The role, the organisation's two-factor rule or the CSRF token refuses the request.",
        404 => "No such resource in the organisation acted on (or not a member of the organisation named).",
        408 => "The body did not arrive in time.",
        413 => "The body is larger than allowed.",
        415 => "The body has the wrong content type.",
        422 => "Fields are invalid (`errors` names each).",
        429 => "Too many requests from this client; see Retry-After.",
        500 => "An unexpected failure; details are logged, never sent.",
        503 => "The storage cannot be reached, or the server is busy; see Retry-After.",
        _ => "An error.",
    }
}

fn path_parameter(name: &str) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .description(Some("The resource's id, as answered by the API."))
        .build()
}

fn organisation_header() -> Parameter {
    ParameterBuilder::new()
        .name("X-Billify-Organisation")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .schema(Some(ObjectBuilder::new().schema_type(Type::String).format(Some(SchemaFormat::Custom("uuid".into())))))
        .description(Some(format!(
            "The organisation acted on (`{ORGANISATION_HEADER}`); without it, the session's default. A personal \
             access token acts in its own organisation. Not a member: 404."
        )))
        .build()
}

/// Amount fields of the answers' schemas become `Money`.
fn money_fields(components: &mut utoipa::openapi::Components) {
    for schema in components.schemas.values_mut() {
        let RefOr::T(Schema::Object(object)) = schema else { continue };
        for (name, property) in object.properties.iter_mut() {
            if !MONEY_FIELDS.contains(&name.as_str()) {
                continue;
            }
            if let RefOr::T(Schema::Object(p)) = property {
                let nullable = matches!(&p.schema_type, utoipa::openapi::schema::SchemaType::Array(types) if types.contains(&Type::Null));
                let is_string = match &p.schema_type {
                    utoipa::openapi::schema::SchemaType::Type(Type::String) => true,
                    utoipa::openapi::schema::SchemaType::Array(types) => types.contains(&Type::String),
                    _ => false,
                };
                if !is_string {
                    continue;
                }
                *property = if nullable {
                    utoipa::openapi::schema::OneOfBuilder::new()
                        .item(Ref::from_schema_name("Money"))
                        .item(ObjectBuilder::new().schema_type(Type::Null))
                        .into()
                } else {
                    Ref::from_schema_name("Money").into()
                };
            }
        }
    }
}

/// The documentation page's policy: Redoc's script from this server only; its styles are
/// injected at run time (`'unsafe-inline'` for styles only) and its search runs in a worker
/// made from a blob.
pub const DOCS_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The vendored Redoc (see `NOTICE`).
pub const REDOC_JS: &[u8] = include_bytes!("../assets/vendor/redoc.standalone.js");

/// Where the page loads Redoc from.
pub const REDOC_PATH: &str = "/api/docs/redoc.standalone.js";

const DOCS_PAGE: &str = concat!(
    "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
    "<title>Billify API reference</title>\n</head>\n<body>\n",
    "<redoc spec-url=\"/api/v1/openapi.json\"></redoc>\n",
    "<noscript>The reference needs JavaScript; the document itself is at ",
    "<a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>.</noscript>\n",
    // Redoc 3's bundle is an ES module (`import.meta`, `export`): a classic script stops at its
    // first line with a syntax error and the page stays blank.
    "<script type=\"module\" src=\"/api/docs/redoc.standalone.js\"></script>\n</body>\n</html>\n"
);

async fn docs_page() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(DOCS_CSP)))
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        .body(DOCS_PAGE)
}

async fn redoc_js() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400")))
        .body(REDOC_JS)
}

/// Registers `/api/docs` and its script (outside [`API_PREFIX`]: a page, not the API).
pub(crate) fn configure_docs(cfg: &mut web::ServiceConfig) {
    debug_assert!(!REDOC_PATH.starts_with(API_PREFIX));
    cfg.service(web::resource("/api/docs").route(web::get().to(docs_page)))
        .service(web::resource(REDOC_PATH).route(web::get().to(redoc_js)));
}

/// Routes of [`ROUTES`] the document lacks, and operations of the document that no route
/// serves, each as `METHOD PATH`.
pub fn undocumented_routes() -> (Vec<String>, Vec<String>) {
    let doc = ApiDoc::openapi();
    let mut missing = Vec::new();
    for route in ROUTES {
        let documented = doc.paths.paths.get(route.path).is_some_and(|item| {
            let mut item = item.clone();
            operation_mut(&mut item, route.method).is_some()
        });
        if !documented {
            missing.push(format!("{} {}", route.method.as_str(), route.path));
        }
    }
    let mut extra = Vec::new();
    for (path, item) in &doc.paths.paths {
        for verb in [Verb::Get, Verb::Post, Verb::Patch, Verb::Delete] {
            let mut item = item.clone();
            if operation_mut(&mut item, verb).is_some() && !ROUTES.iter().any(|r| r.path == path && r.method == verb) {
                extra.push(format!("{} {path}", verb.as_str()));
            }
        }
        let other = [&item.put, &item.head, &item.options, &item.trace];
        if other.iter().any(|o| o.is_some()) {
            extra.push(format!("(PUT/HEAD/OPTIONS/TRACE) {path}"));
        }
    }
    (missing, extra)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn doc() -> Value {
        serde_json::from_str(document_json()).expect("the document is JSON")
    }

    #[test]
    fn every_route_is_documented() {
        let (missing, extra) = undocumented_routes();
        assert!(
            missing.is_empty(),
            "these routes of ROUTES are not in the OpenAPI document: {missing:#?}\n\
             Put #[utoipa::path(METHOD, path = \"/api/v1/...\", operation_id, tag, request_body, responses)] \
             on each handler and list the handler in `paths(...)` of ApiDoc in crates/billify-web/src/openapi.rs."
        );
        assert!(extra.is_empty(), "the OpenAPI document has operations no route serves: {extra:#?}");
    }

    #[test]
    fn the_document_is_openapi_3_1_with_unique_operation_ids() {
        let doc = doc();
        assert_eq!(doc["openapi"], "3.1.0");
        let mut ids = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no operationId"));
                assert!(ids.insert(id.to_owned()), "operationId {id} is used twice");
            }
        }
    }

    #[test]
    fn authenticated_routes_name_their_security_the_organisation_header_and_problems() {
        let doc = doc();
        for route in ROUTES {
            let op = &doc["paths"][route.path][route.method.as_str().to_lowercase()];
            let what = format!("{route:?}");
            let security = op["security"].as_array().unwrap_or_else(|| panic!("{what}: no security"));
            let header = op["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["name"] == "X-Billify-Organisation" && p["in"] == "header"));
            if route.authenticated() {
                assert!(security.iter().any(|s| s.get("session").is_some()), "{what}: no session scheme");
                assert_eq!(
                    security.iter().any(|s| s.get("access_token").is_some()),
                    route.accepts_access_tokens(),
                    "{what}: access tokens"
                );
                let cookie = security.iter().find(|s| s.get("cookie").is_some()).unwrap();
                assert_eq!(cookie.get("csrf").is_some(), route.method != Verb::Get, "{what}: CSRF with the cookie");
                assert!(header, "{what}: no X-Billify-Organisation header");
                assert!(op["responses"]["401"].is_object(), "{what}: no 401");
                assert!(op["responses"]["403"].is_object(), "{what}: no 403");
            } else {
                assert!(security.is_empty(), "{what}: a public route needs no credentials");
                assert!(!header, "{what}: a public route takes no organisation header");
            }
            for name in route.path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))) {
                let declared = op["parameters"].as_array().is_some_and(|ps| {
                    ps.iter().any(|p| p["name"] == name && p["in"] == "path" && p["required"] == true)
                });
                assert!(declared, "{what}: path parameter {name} is not declared");
            }
            let responses = op["responses"].as_object().unwrap();
            assert!(responses.keys().any(|s| s.starts_with('2')), "{what}: no success answer");
            for (status, response) in responses {
                if status.starts_with('4') || status.starts_with('5') {
                    let schema = &response["content"]["application/problem+json"]["schema"];
                    assert_eq!(schema["allOf"][0]["$ref"], "#/components/schemas/Problem", "{what} {status}");
                    let types = schema["allOf"][1]["properties"]["type"]["enum"].as_array();
                    assert!(types.is_some_and(|t| !t.is_empty()), "{what} {status}: no problem types");
                }
            }
        }
    }

    #[test]
    fn problem_types_are_read_from_descriptions() {
        assert_eq!(
            problem_types("/problems/stale-version /problems/duplicate-invoice: x; /problems/stale-version."),
            ["stale-version", "duplicate-invoice"]
        );
        assert!(problem_types("Created.").is_empty());
    }

    #[test]
    fn money_is_a_decimal_string_everywhere() {
        let doc = doc();
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Money"]["type"], "string");
        let money = serde_json::json!({"$ref": "#/components/schemas/Money"});
        assert_eq!(schemas["InvoiceView"]["properties"]["total"], money);
        assert_eq!(schemas["InvoiceCreateBody"]["properties"]["total"], money);
        assert_eq!(schemas["TransactionView"]["properties"]["amount"], money);
        assert_eq!(schemas["InvoiceView"]["properties"]["subtotal"]["oneOf"][0], money);
        // No amount field anywhere is a number.
        for (name, schema) in schemas.as_object().unwrap() {
            for (field, property) in schema["properties"].as_object().into_iter().flatten() {
                if MONEY_FIELDS.contains(&field.as_str()) {
                    assert_ne!(property["type"], "number", "{name}.{field}");
                }
            }
        }
    }

    #[test]
    fn cursor_pages_name_their_next_cursor() {
        let doc = doc();
        let invoices = &doc["components"]["schemas"]["ListView"]["properties"];
        assert!(invoices["next_cursor"].is_object());
        let params = doc["paths"]["/api/v1/invoices"]["get"]["parameters"].as_array().unwrap();
        assert!(params.iter().any(|p| p["name"] == "cursor" && p["in"] == "query"));
        assert!(params.iter().any(|p| p["name"] == "limit" && p["in"] == "query"));
    }

    #[test]
    fn docs_viewer_is_the_vendored_file() {
        use sha2::Digest as _;
        let digest = hex::encode(sha2::Sha256::digest(REDOC_JS));
        let notice = include_str!("../NOTICE");
        assert!(notice.contains(&digest), "NOTICE does not name the vendored Redoc's SHA-256 {digest}");
        assert!(
            !DOCS_PAGE.contains("http://") && !DOCS_PAGE.contains("https://"),
            "the page loads nothing from elsewhere"
        );
        assert!(DOCS_CSP.contains("script-src 'self';"));
    }
}
