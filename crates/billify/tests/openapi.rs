//! The OpenAPI document against the API it describes: one request and answer per route family
//! is sent to the real app, and the answer (status, content type, body) must be one the
//! document allows for that operation, checked by a small JSON Schema walker (`$ref`, `allOf`,
//! `oneOf`, `type`, `properties`, `required`, `items`, `enum`). The document's own validity
//! against the OpenAPI 3.1 schema is checked by `.ci/check-openapi`.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed expectation is a failed test")]

#[macro_use]
mod harness;

use actix_web::http::StatusCode;
use harness::api::*;
use harness::{Body, call, harness, send};
use serde_json::{Value, json};

/// Follows `$ref`s into `#/components/schemas`.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.strip_prefix("#/components/schemas/").expect("a local schema reference");
            resolve(doc, &doc["components"]["schemas"][name])
        }
        None => schema,
    }
}

fn type_matches(kind: &str, value: &Value) -> bool {
    match kind {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

/// The names of the properties `schema` describes, through `allOf`.
fn property_names(doc: &Value, schema: &Value, names: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    names.extend(schema["properties"].as_object().into_iter().flatten().map(|(k, _)| k.clone()));
    for s in schema["allOf"].as_array().into_iter().flatten() {
        property_names(doc, s, names);
    }
}

/// Every way `value` breaks `schema`, each with its JSON path.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    check_part(doc, schema, value, at, errors, true);
}

/// `strict`: a property the schema does not name is an error (the views list every field they
/// answer); off for the parts of an `allOf`, which name only some.
fn check_part(doc: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>, strict: bool) {
    let schema = resolve(doc, schema);
    if let Some(all) = schema["allOf"].as_array() {
        for s in all {
            check_part(doc, s, value, at, errors, false);
        }
        if let (true, Value::Object(object)) = (strict, value) {
            let mut names = Vec::new();
            property_names(doc, schema, &mut names);
            for name in object.keys().filter(|k| !names.contains(k)) {
                errors.push(format!("{at}: {name} is not in the document"));
            }
        }
    }
    if let Some(one) = schema["oneOf"].as_array() {
        let passing = one
            .iter()
            .filter(|s| {
                let mut e = Vec::new();
                check(doc, s, value, at, &mut e);
                e.is_empty()
            })
            .count();
        if passing == 0 {
            errors.push(format!("{at}: matches none of oneOf: {value}"));
        }
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !types.is_empty() && !types.iter().any(|t| type_matches(t, value)) {
        errors.push(format!("{at}: expected {types:?}, got {value}"));
        return;
    }
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.contains(value)
    {
        errors.push(format!("{at}: {value} is not one of {allowed:?}"));
    }
    if let Some(pattern) = schema["pattern"].as_str() {
        let re = regex::Regex::new(pattern).unwrap();
        if value.as_str().is_some_and(|s| !re.is_match(s)) {
            errors.push(format!("{at}: {value} does not match {pattern}"));
        }
    }
    if let Value::Object(object) = value {
        for name in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            if !object.contains_key(name) {
                errors.push(format!("{at}: lacks the required {name}"));
            }
        }
        if let Some(properties) = schema["properties"].as_object() {
            for (name, v) in object {
                match properties.get(name) {
                    Some(p) => check(doc, p, v, &format!("{at}.{name}"), errors),
                    None if strict && schema["additionalProperties"] != json!(true) => {
                        errors.push(format!("{at}: {name} is not in the document"))
                    }
                    None => {}
                }
            }
        }
    }
    if let (Value::Array(items), Some(item)) = (value, schema.get("items")) {
        for (i, v) in items.iter().enumerate() {
            check(doc, item, v, &format!("{at}[{i}]"), errors);
        }
    }
}

/// Checks one answer against the document's operation `method template`.
fn conforms(doc: &Value, method: &str, template: &str, r: &harness::Reply) {
    let op = &doc["paths"][template][method.to_lowercase()];
    assert!(op.is_object(), "{method} {template} is not in the document");
    let status = r.status.as_u16().to_string();
    let response = &op["responses"][&status];
    assert!(
        response.is_object(),
        "{method} {template} answered {status}, which the document does not list: {}",
        r.text
    );
    let content_type = r.headers.get("content-type").map(|v| v.to_str().unwrap().to_owned());
    let Some(content) = response["content"].as_object() else {
        assert!(r.text.is_empty(), "{method} {template} {status}: a body the document does not describe: {}", r.text);
        return;
    };
    let content_type = content_type.expect("a content type");
    let media = content_type.split(';').next().unwrap().trim();
    let Some(described) = content.get(media) else {
        panic!("{method} {template} {status}: {media} is not in the document ({:?})", content.keys());
    };
    let mut errors = Vec::new();
    check(doc, &described["schema"], &r.body, "$", &mut errors);
    assert!(
        errors.is_empty(),
        "{method} {template} {status} does not match the document:\n{}\n{}",
        errors.join("\n"),
        r.body
    );
}

#[actix_web::test]
async fn answers_of_every_route_family_match_the_document() {
    let h = harness();
    let app = app!(h);
    let doc = call(&app, "GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert_eq!(doc.body["openapi"], "3.1.0");
    let doc = doc.body;

    // Service.
    let r = call(&app, "GET", "/api/v1/health", None, None).await;
    conforms(&doc, "GET", "/api/v1/health", &r);

    // Authentication.
    let r = call(
        &app,
        "POST",
        "/api/v1/auth/register",
        None,
        Some(json!({"organisation_name": "Bloc Group BV", "name": "Anna", "email": "anna@bloc.be", "password": harness::PASSWORD})),
    )
    .await;
    conforms(&doc, "POST", "/api/v1/auth/register", &r);
    let r = call(
        &app,
        "POST",
        "/api/v1/auth/login",
        None,
        Some(json!({"email": "anna@bloc.be", "password": "wrong password!"})),
    )
    .await;
    conforms(&doc, "POST", "/api/v1/auth/login", &r);
    let r = call(
        &app,
        "POST",
        "/api/v1/auth/login",
        None,
        Some(json!({"email": "anna@bloc.be", "password": harness::PASSWORD})),
    )
    .await;
    conforms(&doc, "POST", "/api/v1/auth/login", &r);
    let token = r.body["token"].as_str().unwrap().to_owned();
    let t = Some(token.as_str());
    let r = call(&app, "GET", "/api/v1/auth/me", t, None).await;
    conforms(&doc, "GET", "/api/v1/auth/me", &r);
    let r = call(&app, "GET", "/api/v1/auth/me", Some("forged"), None).await;
    conforms(&doc, "GET", "/api/v1/auth/me", &r);

    // Organisation.
    let r = call(&app, "GET", "/api/v1/organisation", t, None).await;
    conforms(&doc, "GET", "/api/v1/organisation", &r);
    let r = call(&app, "GET", "/api/v1/organisation/members", t, None).await;
    conforms(&doc, "GET", "/api/v1/organisation/members", &r);
    let r = call(&app, "GET", "/api/v1/audit", t, None).await;
    conforms(&doc, "GET", "/api/v1/audit", &r);

    // Invoices: created, refused, listed by pages, read, changed with a stale version.
    let r = call(&app, "POST", "/api/v1/invoices", t, Some(sample_invoice())).await;
    conforms(&doc, "POST", "/api/v1/invoices", &r);
    let id = r.body["id"].as_str().unwrap().to_owned();
    let mut bad = sample_invoice();
    bad["total"] = json!(382.06);
    let r = call(&app, "POST", "/api/v1/invoices", t, Some(bad)).await;
    conforms(&doc, "POST", "/api/v1/invoices", &r);
    let mut second = sample_invoice();
    second["invoice_number"] = json!("INV-2");
    call(&app, "POST", "/api/v1/invoices", t, Some(second)).await;
    let r = call(&app, "GET", "/api/v1/invoices?limit=1", t, None).await;
    conforms(&doc, "GET", "/api/v1/invoices", &r);
    assert!(r.body["next_cursor"].is_string(), "a first page of two: {}", r.body);
    let r = call(&app, "GET", &format!("/api/v1/invoices/{id}"), t, None).await;
    conforms(&doc, "GET", "/api/v1/invoices/{id}", &r);
    let r =
        call(&app, "PATCH", &format!("/api/v1/invoices/{id}"), t, Some(json!({"version": 7, "manual_urgency": "low"})))
            .await;
    conforms(&doc, "PATCH", "/api/v1/invoices/{id}", &r);
    let r = call(&app, "GET", &format!("/api/v1/invoices/{id}/events"), t, None).await;
    conforms(&doc, "GET", "/api/v1/invoices/{id}/events", &r);

    // Bank.
    let coda = include_bytes!("../../billify-bankfiles/tests/fixtures/statement.cod");
    let r = send(&app, "POST", "/api/v1/bank/statements", t, None, Body::File(coda)).await;
    conforms(&doc, "POST", "/api/v1/bank/statements", &r);
    let r = call(&app, "GET", "/api/v1/bank/accounts", t, None).await;
    conforms(&doc, "GET", "/api/v1/bank/accounts", &r);
    let r = call(&app, "GET", "/api/v1/bank/transactions", t, None).await;
    conforms(&doc, "GET", "/api/v1/bank/transactions", &r);
    let r = call(&app, "GET", "/api/v1/bank/integrations", t, None).await;
    conforms(&doc, "GET", "/api/v1/bank/integrations", &r);

    // Reconciliation.
    let r = call(&app, "GET", "/api/v1/reconciliation/suggestions", t, None).await;
    conforms(&doc, "GET", "/api/v1/reconciliation/suggestions", &r);
    let r = call(&app, "GET", "/api/v1/reconciliation/matches", t, None).await;
    conforms(&doc, "GET", "/api/v1/reconciliation/matches", &r);
    let r = call(&app, "GET", &format!("/api/v1/reconciliation/matches?invoice_id={id}"), t, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    conforms(&doc, "GET", "/api/v1/reconciliation/matches", &r);
    let r = call(&app, "POST", "/api/v1/reconciliation/run", t, None).await;
    conforms(&doc, "POST", "/api/v1/reconciliation/run", &r);

    // Cash flow.
    let r = call(&app, "GET", "/api/v1/cashflow/summary", t, None).await;
    conforms(&doc, "GET", "/api/v1/cashflow/summary", &r);

    // Forecast and recurring flows.
    let r = call(&app, "GET", "/api/v1/cashflow/forecast?days=30", t, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    conforms(&doc, "GET", "/api/v1/cashflow/forecast", &r);
    let body = json!({"days": 30, "adjustments": [
        {"type": "one_off", "date": "2026-03-20", "amount": "-500.00", "currency": "EUR", "label": "Laptop"}
    ]});
    let r = call(&app, "POST", "/api/v1/cashflow/forecast/scenario", t, Some(body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    conforms(&doc, "POST", "/api/v1/cashflow/forecast/scenario", &r);
    let r = call(&app, "GET", "/api/v1/cashflow/forecast/accuracy", t, None).await;
    conforms(&doc, "GET", "/api/v1/cashflow/forecast/accuracy", &r);
    let r = call(&app, "GET", "/api/v1/cashflow/recurring", t, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    conforms(&doc, "GET", "/api/v1/cashflow/recurring", &r);

    // Notifications and webhooks.
    let r = call(&app, "GET", "/api/v1/notifications", t, None).await;
    conforms(&doc, "GET", "/api/v1/notifications", &r);
    let r = call(&app, "POST", "/api/v1/notifications/read-all", t, None).await;
    conforms(&doc, "POST", "/api/v1/notifications/read-all", &r);
    let r = call(&app, "GET", "/api/v1/notifications/preferences", t, None).await;
    conforms(&doc, "GET", "/api/v1/notifications/preferences", &r);
    let body = json!({"items": [{"kind": "payable_due_soon", "channel": "email", "enabled": false}]});
    let r = call(&app, "PATCH", "/api/v1/notifications/preferences", t, Some(body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    conforms(&doc, "PATCH", "/api/v1/notifications/preferences", &r);
    let r = call(&app, "PATCH", "/api/v1/notifications/settings", t, Some(json!({"payable_days": 10}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    conforms(&doc, "PATCH", "/api/v1/notifications/settings", &r);
    let r = call(&app, "GET", "/api/v1/notifications/settings", t, None).await;
    conforms(&doc, "GET", "/api/v1/notifications/settings", &r);
    let body = json!({"url": "http://127.0.0.1:9/hook", "kinds": ["payable_due_soon"]});
    let r = call(&app, "POST", "/api/v1/webhooks", t, Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    conforms(&doc, "POST", "/api/v1/webhooks", &r);
    let endpoint = r.body["id"].as_str().unwrap().to_owned();
    let r = call(&app, "GET", "/api/v1/webhooks", t, None).await;
    conforms(&doc, "GET", "/api/v1/webhooks", &r);
    let r = call(&app, "GET", &format!("/api/v1/webhooks/{endpoint}/deliveries"), t, None).await;
    conforms(&doc, "GET", "/api/v1/webhooks/{id}/deliveries", &r);
}

#[actix_web::test]
async fn the_reference_page_loads_only_vendored_files() {
    let h = harness();
    let app = app!(h);
    let r = call(&app, "GET", "/api/docs", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let csp = r.headers.get("content-security-policy").unwrap().to_str().unwrap();
    assert!(csp.contains("script-src 'self';"), "{csp}");
    assert!(!r.text.contains("//cdn") && !r.text.contains("https://"), "{}", r.text);
    assert!(r.text.contains("<script type=\"module\" src=\""), "Redoc 3 is an ES module: {}", r.text);
    let script = r.text.split("<script type=\"module\" src=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let js = call(&app, "GET", &script, None, None).await;
    assert_eq!(js.status, StatusCode::OK);
    assert!(js.headers.get("content-type").unwrap().to_str().unwrap().starts_with("text/javascript"));
    assert!(js.text.len() > 100_000, "the Redoc bundle");
}
