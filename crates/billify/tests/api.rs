//! The HTTP API end to end, on a real SQLite database per test.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed expectation is a failed test")]

#[macro_use]
mod harness;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::{App, test, web};
use billify_web::ROUTES;
use harness::{Reply, assert_problem, call, harness};
use serde_json::{Value, json};
use time::Duration;
use time::macros::datetime;

async fn raw<S, B>(app: &S, req: test::TestRequest) -> Reply
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let resp = test::call_service(app, req.to_request()).await;
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = test::read_body(resp).await;
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply { status, headers, body, text: String::from_utf8_lossy(&bytes).into_owned() }
}

/// Registers an organisation and logs its owner in; returns the token.
async fn owner<S, B>(app: &S, email: &str) -> String
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let r = call(
        app,
        "POST",
        "/api/v1/auth/register",
        None,
        Some(json!({"organisation_name": format!("Org {email}"), "name": "Anna", "email": email, "password": "correct horse battery"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = call(
        app,
        "POST",
        "/api/v1/auth/login",
        None,
        Some(json!({"email": email, "password": "correct horse battery"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["token"].as_str().unwrap().to_owned()
}

/// Logs an existing user in again (after the test clock jumped past the idle timeout).
async fn login<S, B>(app: &S, email: &str) -> String
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let r = call(
        app,
        "POST",
        "/api/v1/auth/login",
        None,
        Some(json!({"email": email, "password": "correct horse battery"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["token"].as_str().unwrap().to_owned()
}

fn sample_invoice() -> Value {
    json!({
        "direction": "payable",
        "invoice_number": "INV-SO-2023-2812",
        "counterparty": {"name": "Bloc Group BV", "vat_number": "BE0662970353", "iban": "BE71 0018 6092 2869", "bic": "GEBABEBB"},
        "issue_date": "2026-03-01",
        "due_date": "2026-03-10",
        "currency": "EUR",
        "subtotal": "315.75",
        "vat_amount": "66.31",
        "total": "382.06",
        "payment_reference": "+++123/4567/89002+++"
    })
}

fn field_errors(r: &Reply) -> Vec<String> {
    r.body["errors"]
        .as_array()
        .map(|a| a.iter().map(|e| e["field"].as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

#[actix_web::test]
async fn health_and_readiness_need_no_session() {
    let h = harness();
    let app = app!(h);
    let r = call(&app, "GET", "/api/v1/health", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["status"], "ok");
    let r = call(&app, "GET", "/api/v1/ready", None, None).await;
    assert_eq!(r.body["status"], "ready");
}

#[actix_web::test]
async fn register_login_me_logout() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "Anna@Example.be").await;
    let r = call(&app, "GET", "/api/v1/auth/me", Some(&token), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["user"]["email"], "anna@example.be");
    assert_eq!(r.body["role"], "owner");
    assert_eq!(r.body["organisation"]["name"], "Org Anna@Example.be");
    let r = call(&app, "POST", "/api/v1/auth/logout", Some(&token), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = call(&app, "GET", "/api/v1/auth/me", Some(&token), None).await;
    assert_problem(&r, StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_eq!(r.headers.get("www-authenticate").unwrap(), "Bearer");
}

#[actix_web::test]
async fn unused_sessions_end_after_an_hour_and_use_keeps_them_alive() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@example.be").await;
    for _ in 0..3 {
        *h.clock.0.lock().unwrap() += Duration::minutes(50);
        assert_eq!(
            call(&app, "GET", "/api/v1/auth/me", Some(&token), None).await.status,
            StatusCode::OK,
            "used within the hour"
        );
    }
    *h.clock.0.lock().unwrap() += Duration::minutes(61);
    let r = call(&app, "GET", "/api/v1/auth/me", Some(&token), None).await;
    assert_problem(&r, StatusCode::UNAUTHORIZED, "unauthenticated");
}

#[actix_web::test]
async fn sessions_expire() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@example.be").await;
    // Keep the session in use so only its absolute lifetime (30 days here) ends it.
    let mut alive_steps = 0;
    loop {
        *h.clock.0.lock().unwrap() += Duration::hours(1) - Duration::seconds(1);
        let r = call(&app, "GET", "/api/v1/auth/me", Some(&token), None).await;
        if r.status != StatusCode::OK {
            assert_problem(&r, StatusCode::UNAUTHORIZED, "unauthenticated");
            break;
        }
        alive_steps += 1;
        assert!(alive_steps < 800, "the session never ended");
    }
    assert_eq!(alive_steps, 720, "alive for 30 days of use, then ended");
}

#[actix_web::test]
async fn registration_validates_and_refuses_duplicates() {
    let h = harness();
    let app = app!(h);
    let r = call(
        &app,
        "POST",
        "/api/v1/auth/register",
        None,
        Some(json!({"organisation_name": "X", "name": "Anna", "email": "not-an-email", "password": "short"})),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(field_errors(&r), ["email"]);
    let r = call(
        &app,
        "POST",
        "/api/v1/auth/register",
        None,
        Some(json!({"organisation_name": "X", "name": "Anna", "email": "a@b.be", "password": "short"})),
    )
    .await;
    assert_eq!(field_errors(&r), ["password"]);
    owner(&app, "a@b.be").await;
    let r = call(
        &app,
        "POST",
        "/api/v1/auth/register",
        None,
        Some(json!({"organisation_name": "Y", "name": "Bob", "email": "A@B.BE", "password": "another long password"})),
    )
    .await;
    assert_problem(&r, StatusCode::CONFLICT, "email-taken");
}

#[actix_web::test]
async fn login_failures_do_not_reveal_whether_the_email_exists() {
    let h = harness();
    let app = app!(h);
    owner(&app, "anna@example.be").await;
    let wrong = call(
        &app,
        "POST",
        "/api/v1/auth/login",
        None,
        Some(json!({"email": "anna@example.be", "password": "wrong password!"})),
    )
    .await;
    let unknown = call(
        &app,
        "POST",
        "/api/v1/auth/login",
        None,
        Some(json!({"email": "nobody@example.be", "password": "wrong password!"})),
    )
    .await;
    assert_problem(&wrong, StatusCode::UNAUTHORIZED, "invalid-credentials");
    assert_eq!(wrong.body, unknown.body);
}

#[actix_web::test]
async fn every_authenticated_route_refuses_anonymous_and_bad_tokens() {
    let h = harness();
    let app = app!(h);
    let id = "00000000-0000-0000-0000-000000000000";
    for route in ROUTES {
        let path = route.path.replace("{id}", id).replace("{user_id}", id);
        let method = route.method.as_str();
        let anonymous = call(&app, method, &path, None, Some(json!({}))).await;
        let forged = call(&app, method, &path, Some("forged-token"), Some(json!({}))).await;
        if route.authenticated() {
            assert_problem(&anonymous, StatusCode::UNAUTHORIZED, "unauthenticated");
            assert_problem(&forged, StatusCode::UNAUTHORIZED, "unauthenticated");
        } else {
            assert_ne!(anonymous.status, StatusCode::UNAUTHORIZED, "{route:?}");
            assert_ne!(anonymous.status, StatusCode::NOT_FOUND, "{route:?} is routed");
        }
    }
}

#[actix_web::test]
async fn invoice_lifecycle() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@example.be").await;
    let t = Some(token.as_str());

    let r = call(&app, "POST", "/api/v1/invoices", t, Some(sample_invoice())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(r.headers.get("location").unwrap().to_str().unwrap(), format!("/api/v1/invoices/{id}"));
    assert_eq!(r.body["total"], "382.06");
    assert_eq!(r.body["subtotal"], "315.75");
    assert_eq!(r.body["amount_paid"], "0.00");
    assert_eq!(r.body["currency"], "EUR");
    assert_eq!(r.body["status"], "pending");
    assert_eq!(r.body["counterparty"]["iban"], "BE71001860922869");
    assert_eq!(r.body["payment_reference"], "+++123/4567/89002+++");
    assert_eq!(r.body["payment_reference_type"], "structured");
    assert_eq!(r.body["source"], "manual");
    assert_eq!(r.body["version"], 1);
    assert_eq!(
        r.body["urgency"],
        json!({"level": "high", "display_name": "High", "color": "#FFA500", "is_manual": false})
    );

    let r = call(&app, "GET", &format!("/api/v1/invoices/{id}"), t, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["invoice_number"], "INV-SO-2023-2812");

    let r = call(&app, "GET", "/api/v1/invoices", t, None).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(r.body["next_cursor"], Value::Null);

    let r = call(
        &app,
        "PATCH",
        &format!("/api/v1/invoices/{id}"),
        t,
        Some(json!({"version": 1, "manual_urgency": "low", "due_date": "2026-03-05"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["version"], 2);
    assert_eq!(r.body["urgency"]["level"], "low");
    assert_eq!(r.body["urgency"]["is_manual"], true);

    let r = call(
        &app,
        "PATCH",
        &format!("/api/v1/invoices/{id}"),
        t,
        Some(json!({"version": 1, "total": "1.00", "subtotal": null, "vat_amount": null})),
    )
    .await;
    assert_problem(&r, StatusCode::CONFLICT, "stale-version");
    assert_eq!(r.body["current_version"], 2);

    let r =
        call(&app, "PATCH", &format!("/api/v1/invoices/{id}"), t, Some(json!({"version": 2, "manual_urgency": null})))
            .await;
    assert_eq!(r.body["urgency"]["level"], "critical");

    let r = call(
        &app,
        "POST",
        &format!("/api/v1/invoices/{id}/payments"),
        t,
        Some(json!({"version": 3, "amount": "82.06"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "pending");
    assert_eq!(r.body["open_amount"], "300.00");
    let r = call(&app, "POST", &format!("/api/v1/invoices/{id}/payments"), t, Some(json!({"version": 4}))).await;
    assert_eq!(r.body["status"], "paid");
    assert_eq!(r.body["urgency"], Value::Null);
    let r = call(
        &app,
        "PATCH",
        &format!("/api/v1/invoices/{id}"),
        t,
        Some(json!({"version": 5, "total": "400.00", "subtotal": null, "vat_amount": null})),
    )
    .await;
    assert_problem(&r, StatusCode::CONFLICT, "invoice-state");
    let r = call(
        &app,
        "POST",
        &format!("/api/v1/invoices/{id}/reopen"),
        t,
        Some(json!({"version": 5, "reason": "payment bounced"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "pending");
    assert_eq!(r.body["amount_paid"], "0.00");

    let r = call(&app, "GET", &format!("/api/v1/invoices/{id}/events"), t, None).await;
    let codes: Vec<&str> = r.body["items"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        [
            "invoice.created",
            "invoice.updated",
            "invoice.updated",
            "invoice.updated",
            "invoice.partially_paid",
            "invoice.updated",
            "invoice.paid",
            "invoice.reopened"
        ]
    );

    let r = call(&app, "DELETE", &format!("/api/v1/invoices/{id}?version=1"), t, None).await;
    assert_problem(&r, StatusCode::CONFLICT, "stale-version");
    let r = call(&app, "DELETE", &format!("/api/v1/invoices/{id}?version=6"), t, None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = call(&app, "GET", &format!("/api/v1/invoices/{id}"), t, None).await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not-found");
}

#[actix_web::test]
async fn the_overdue_transition_follows_the_clock() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@example.be").await;
    let r = call(&app, "POST", "/api/v1/invoices", Some(&token), Some(sample_invoice())).await;
    let id = r.body["id"].as_str().unwrap().to_owned();
    *h.clock.0.lock().unwrap() = datetime!(2026-03-10 23:00 UTC);
    assert_eq!(h.state.invoices.mark_overdue_invoices().unwrap(), 0, "due today is not overdue");
    *h.clock.0.lock().unwrap() = datetime!(2026-03-11 00:30 UTC);
    assert_eq!(h.state.invoices.mark_overdue_invoices().unwrap(), 1);
    assert_eq!(h.state.invoices.mark_overdue_invoices().unwrap(), 0, "once only");
    let token = login(&app, "anna@example.be").await;
    let r = call(&app, "GET", &format!("/api/v1/invoices/{id}"), Some(&token), None).await;
    assert_eq!(r.body["status"], "overdue");
    assert_eq!(r.body["urgency"]["level"], "overdue");
    assert_eq!(r.body["urgency"]["color"], "#8B0000");
}

#[actix_web::test]
async fn bad_input_gets_clear_problems() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@example.be").await;
    let t = Some(token.as_str());
    let post = |body: Value| call(&app, "POST", "/api/v1/invoices", t, Some(body));

    let malformed = raw(
        &app,
        test::TestRequest::post()
            .uri("/api/v1/invoices")
            .insert_header(("Authorization", format!("Bearer {token}")))
            .insert_header(("content-type", "application/json"))
            .set_payload("{\"direction\": "),
    )
    .await;
    assert_problem(&malformed, StatusCode::BAD_REQUEST, "bad-request");

    let mut body = sample_invoice();
    body["total"] = json!(382.06);
    let r = post(body).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(field_errors(&r), ["total"]);

    let mut body = sample_invoice();
    body.as_object_mut().unwrap().remove("invoice_number");
    assert_eq!(field_errors(&post(body).await), ["invoice_number"]);

    let mut body = sample_invoice();
    body["surprise"] = json!(1);
    assert_eq!(post(body).await.status, StatusCode::UNPROCESSABLE_ENTITY);

    let mut body = sample_invoice();
    body["counterparty"]["iban"] = json!("BE71 0018 6092 2868");
    body["counterparty"]["vat_number"] = json!("BE0662970354");
    body["due_date"] = json!("10/03/2026");
    body["payment_reference"] = json!("+++123/4567/89003+++");
    body["currency"] = json!("EURO");
    let r = post(body).await;
    let mut fields = field_errors(&r);
    fields.sort();
    assert_eq!(fields, ["counterparty.iban", "counterparty.vat_number", "currency", "due_date", "payment_reference"]);

    let mut body = sample_invoice();
    body["vat_amount"] = json!("66.30");
    let r = post(body).await;
    assert_eq!(field_errors(&r), ["total"]);
    assert!(r.body["errors"][0]["message"].as_str().unwrap().contains("382.05"), "{}", r.body);

    let mut body = sample_invoice();
    body["due_date"] = json!("2026-02-01");
    assert_eq!(field_errors(&post(body).await), ["due_date"]);

    let mut body = sample_invoice();
    body["total"] = json!("1.005");
    assert_eq!(field_errors(&post(body).await), ["total"]);

    let huge = raw(
        &app,
        test::TestRequest::post()
            .uri("/api/v1/invoices")
            .insert_header(("Authorization", format!("Bearer {token}")))
            .insert_header(("content-type", "application/json"))
            .set_payload(format!("{{\"x\": \"{}\"}}", "a".repeat(70_000))),
    )
    .await;
    assert_problem(&huge, StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large");

    let text = raw(
        &app,
        test::TestRequest::post()
            .uri("/api/v1/invoices")
            .insert_header(("Authorization", format!("Bearer {token}")))
            .insert_header(("content-type", "text/plain"))
            .set_payload("hello"),
    )
    .await;
    assert_problem(&text, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type");

    assert_problem(&call(&app, "GET", "/api/v1/nope", t, None).await, StatusCode::NOT_FOUND, "not-found");
    assert_problem(
        &call(&app, "GET", "/api/v1/invoices/not-a-uuid", t, None).await,
        StatusCode::NOT_FOUND,
        "not-found",
    );
    assert_problem(
        &call(&app, "PUT", "/api/v1/invoices", t, None).await,
        StatusCode::METHOD_NOT_ALLOWED,
        "method-not-allowed",
    );
    let r = call(&app, "GET", "/api/v1/invoices?status=lost&limit=0&colour=red", t, None).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(field_errors(&r), ["colour"]);
    let r = call(&app, "GET", "/api/v1/invoices?status=lost&limit=0", t, None).await;
    assert_eq!(field_errors(&r), ["status", "limit"]);
    let r = call(&app, "GET", "/api/v1/invoices?cursor=garbage", t, None).await;
    assert_eq!(field_errors(&r), ["cursor"]);
    let r =
        call(&app, "PATCH", "/api/v1/invoices/00000000-0000-0000-0000-000000000000", t, Some(json!({"version": 1})))
            .await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not-found");

    let first = post(sample_invoice()).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let duplicate = post(sample_invoice()).await;
    assert_problem(&duplicate, StatusCode::CONFLICT, "duplicate-invoice");
}

#[actix_web::test]
async fn organisations_never_see_each_other() {
    let h = harness();
    let app = app!(h);
    let a = owner(&app, "anna@a.be").await;
    let b = owner(&app, "bert@b.nl").await;
    let r = call(&app, "POST", "/api/v1/invoices", Some(&a), Some(sample_invoice())).await;
    let id = r.body["id"].as_str().unwrap().to_owned();
    for (method, path, body) in [
        ("GET", format!("/api/v1/invoices/{id}"), None),
        ("PATCH", format!("/api/v1/invoices/{id}"), Some(json!({"version": 1, "manual_urgency": "low"}))),
        ("DELETE", format!("/api/v1/invoices/{id}"), None),
        ("POST", format!("/api/v1/invoices/{id}/payments"), Some(json!({"version": 1}))),
        ("POST", format!("/api/v1/invoices/{id}/reopen"), Some(json!({"version": 1, "reason": "x"}))),
        ("GET", format!("/api/v1/invoices/{id}/events"), None),
    ] {
        let r = call(&app, method, &path, Some(&b), body).await;
        assert_problem(&r, StatusCode::NOT_FOUND, "not-found");
        assert!(!r.body.to_string().contains("INV-SO"), "no data leaks: {}", r.body);
    }
    let r = call(&app, "GET", "/api/v1/invoices?q=INV", Some(&b), None).await;
    assert_eq!(r.body["items"], json!([]));
    let r = call(&app, "GET", &format!("/api/v1/invoices/{id}"), Some(&a), None).await;
    assert_eq!(r.body["version"], 1, "A's invoice is untouched");
}

#[actix_web::test]
async fn lists_filter_sort_and_page() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@example.be").await;
    let t = Some(token.as_str());
    for (n, due, direction) in [
        ("A", "2026-03-03", "payable"),
        ("B", "2026-03-20", "receivable"),
        ("C", "2026-04-30", "payable"),
        ("D", "2026-02-20", "payable"),
        ("E", "2026-03-04", "receivable"),
    ] {
        let mut body = sample_invoice();
        body["invoice_number"] = json!(n);
        body["issue_date"] = json!("2026-02-01");
        body["due_date"] = json!(due);
        body["direction"] = json!(direction);
        assert_eq!(call(&app, "POST", "/api/v1/invoices", t, Some(body)).await.status, StatusCode::CREATED);
    }
    let numbers = |r: &Reply| {
        r.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["invoice_number"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(numbers(&call(&app, "GET", "/api/v1/invoices", t, None).await), ["D", "A", "E", "B", "C"]);
    assert_eq!(
        numbers(&call(&app, "GET", "/api/v1/invoices?sort=-due_date", t, None).await),
        ["C", "B", "E", "A", "D"]
    );
    assert_eq!(numbers(&call(&app, "GET", "/api/v1/invoices?status=overdue", t, None).await), ["D"]);
    assert_eq!(numbers(&call(&app, "GET", "/api/v1/invoices?direction=receivable", t, None).await), ["E", "B"]);
    assert_eq!(numbers(&call(&app, "GET", "/api/v1/invoices?urgency=critical", t, None).await), ["A", "E"]);
    assert_eq!(
        numbers(&call(&app, "GET", "/api/v1/invoices?due_from=2026-03-04&due_to=2026-03-31", t, None).await),
        ["E", "B"]
    );
    assert_eq!(
        numbers(
            &call(&app, "GET", "/api/v1/invoices?q=bloc%20group&direction=payable&status=pending,overdue", t, None)
                .await
        ),
        ["D", "A", "C"]
    );
    let mut seen = Vec::new();
    let mut path = "/api/v1/invoices?limit=2&sort=invoice_number".to_owned();
    loop {
        let r = call(&app, "GET", &path, t, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        seen.extend(numbers(&r));
        match r.body["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/invoices?limit=2&sort=invoice_number&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, ["A", "B", "C", "D", "E"]);
    let r = call(&app, "GET", "/api/v1/invoices?limit=2", t, None).await;
    let cursor = r.body["next_cursor"].as_str().unwrap();
    let r = call(&app, "GET", &format!("/api/v1/invoices?sort=total&cursor={cursor}"), t, None).await;
    assert_eq!(field_errors(&r), ["cursor"], "a cursor is bound to its sort");
}

// ---------------------------------------------------------------------------------------------
// Document intake

const SAMPLE_PDF: &[u8] = include_bytes!("../../billify-pdf/tests/fixtures/sample.pdf");
const ENCRYPTED_PDF: &[u8] = include_bytes!("../../billify-pdf/tests/fixtures/encrypted.pdf");
const IMAGE_ONLY_PDF: &[u8] = include_bytes!("../../billify-pdf/tests/fixtures/image_only.pdf");
const UBL_INVOICE: &[u8] = include_bytes!("../../billify-einvoice/tests/fixtures/ubl-invoice.xml");
const FACTURX_PDF: &[u8] = include_bytes!("../../billify-einvoice/tests/fixtures/facturx-invoice.pdf");

fn multipart(field: &str, file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "billify-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload<S, B>(app: &S, token: &str, file_name: &str, bytes: &[u8]) -> Reply
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    post_file(app, token, "/api/v1/invoices/uploads", "file", file_name, bytes).await
}

/// Posts `bytes` as the multipart part `field` to `uri`.
async fn post_file<S, B>(app: &S, token: &str, uri: &str, field: &str, file_name: &str, bytes: &[u8]) -> Reply
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let (content_type, body) = multipart(field, file_name, bytes);
    raw(
        app,
        test::TestRequest::post()
            .uri(uri)
            .insert_header(("Authorization", format!("Bearer {token}")))
            .insert_header(("content-type", content_type))
            .set_payload(body),
    )
    .await
}

#[actix_web::test]
async fn a_pdf_becomes_a_draft_then_an_invoice_with_its_document() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@cf.be").await;
    let t = Some(token.as_str());

    let r = upload(&app, &token, "../../etc/INV-SO-2023-2812.pdf", SAMPLE_PDF).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let draft = r.body.clone();
    let id = draft["id"].as_str().unwrap().to_owned();
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["method"], "pdf_text");
    assert_eq!(draft["document"]["file_name"], "INV-SO-2023-2812.pdf", "only the last path segment is kept");
    assert_eq!(draft["document"]["media_type"], "application/pdf");
    assert_eq!(
        draft["fields"],
        json!({
            "direction": "payable", "kind": "invoice", "corrects_invoice_number": null, "invoice_number": "INV-SO-2023-2812",
            "counterparty": {"name": "Bloc Group BV", "vat_number": "BE0662970353", "iban": "BE71001860922869", "bic": "GEBABEBB"},
            "issue_date": "2023-04-01", "due_date": "2023-04-10", "currency": "EUR",
            "subtotal": "315.75", "vat_amount": "66.31", "total": "382.06", "payment_reference": "INV-SO-2023-2812"
        })
    );
    assert!(draft["extraction"]["total"]["confidence"].as_u64().unwrap() > 50);

    let again = upload(&app, &token, "copy.pdf", SAMPLE_PDF).await;
    assert_eq!(again.status, StatusCode::OK, "the same file returns the existing draft");
    assert_eq!(again.body["id"], id.as_str());

    let r = call(
        &app,
        "PATCH",
        &format!("/api/v1/invoices/drafts/{id}"),
        t,
        Some(json!({"version": 1, "total": "382,06", "counterparty": {"iban": null}})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["fields"]["counterparty"]["iban"], Value::Null);
    let r = call(&app, "POST", &format!("/api/v1/invoices/drafts/{id}/confirm"), t, Some(json!({"version": 2}))).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(field_errors(&r), ["fields.total"]);
    let r = call(&app, "POST", &format!("/api/v1/invoices/drafts/{id}/confirm"), t, Some(json!({"version": 1}))).await;
    assert_problem(&r, StatusCode::CONFLICT, "stale-version");
    let r = call(
        &app,
        "PATCH",
        &format!("/api/v1/invoices/drafts/{id}"),
        t,
        Some(json!({"version": 2, "total": "382.06", "counterparty": {"iban": "BE71 0018 6092 2869"}})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    let r = call(&app, "POST", &format!("/api/v1/invoices/drafts/{id}/confirm"), t, Some(json!({"version": 3}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let invoice_id = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(r.body["source"], "upload");
    assert_eq!(r.body["total"], "382.06");
    assert_eq!(r.body["status"], "overdue");
    let r = call(&app, "POST", &format!("/api/v1/invoices/drafts/{id}/confirm"), t, Some(json!({"version": 4}))).await;
    assert_problem(&r, StatusCode::CONFLICT, "draft-confirmed");

    let resp = test::call_service(
        &app,
        test::TestRequest::get()
            .uri(&format!("/api/v1/invoices/{invoice_id}/document"))
            .insert_header(("Authorization", format!("Bearer {token}")))
            .to_request(),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers().get("content-type").unwrap(), "application/pdf");
    assert!(resp.headers().get("content-disposition").unwrap().to_str().unwrap().contains("INV-SO-2023-2812.pdf"));
    assert_eq!(test::read_body(resp).await.as_ref(), SAMPLE_PDF);

    let third = upload(&app, &token, "again.pdf", SAMPLE_PDF).await;
    assert_eq!(third.status, StatusCode::OK);
    assert_eq!(third.body["status"], "confirmed");
    assert_eq!(third.body["invoice_id"], invoice_id.as_str());

    let other = owner(&app, "bert@b.nl").await;
    let o = Some(other.as_str());
    assert_problem(
        &call(&app, "GET", &format!("/api/v1/invoices/drafts/{id}"), o, None).await,
        StatusCode::NOT_FOUND,
        "not-found",
    );
    assert_problem(
        &call(&app, "GET", &format!("/api/v1/invoices/{invoice_id}/document"), o, None).await,
        StatusCode::NOT_FOUND,
        "not-found",
    );
    let theirs = upload(&app, &other, "sample.pdf", SAMPLE_PDF).await;
    assert_eq!(theirs.status, StatusCode::CREATED, "another organisation gets its own draft");
    assert_ne!(theirs.body["id"], id.as_str());
}

#[actix_web::test]
async fn e_invoices_are_read_as_structured_data() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@demo.be").await;
    let r = upload(&app, &token, "invoice.xml", UBL_INVOICE).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["method"], "einvoice_ubl");
    assert_eq!(r.body["document"]["media_type"], "application/xml");
    assert_eq!(r.body["fields"]["invoice_number"], "INV-2026-0042");
    assert_eq!(r.body["fields"]["counterparty"]["name"], "Acme Consulting BV");
    assert_eq!(r.body["extraction"]["invoice_number"]["confidence"], 100);
    let r = upload(&app, &token, "facturx.pdf", FACTURX_PDF).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["method"], "einvoice_cii", "the embedded XML wins over the PDF text");
}

#[actix_web::test]
async fn bad_uploads_get_clear_problems() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@demo.be").await;
    assert_problem(
        &upload(&app, &token, "empty.pdf", b"").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unreadable-document",
    );
    assert_problem(
        &upload(&app, &token, "cat.pdf", b"GIF89a....").await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported-media-type",
    );
    let huge = vec![b'%'; 2 * 1024 * 1024];
    assert_problem(&upload(&app, &token, "huge.pdf", &huge).await, StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large");
    let r = upload(&app, &token, "locked.pdf", ENCRYPTED_PDF).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "unreadable-document");
    assert!(r.body["detail"].as_str().unwrap().contains("encrypted"), "{}", r.body);
    let r = upload(&app, &token, "scan.pdf", IMAGE_ONLY_PDF).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "unreadable-document");
    let truncated = &SAMPLE_PDF[..SAMPLE_PDF.len() / 3];
    assert_eq!(
        upload(&app, &token, "cut.pdf", truncated).await.status.as_u16() / 100,
        4,
        "a truncated PDF is a client error"
    );
    let r = post_file(&app, &token, "/api/v1/invoices/uploads", "attachment", "x.pdf", SAMPLE_PDF).await;
    assert_eq!(field_errors(&r), ["file"]);
    let r = raw(
        &app,
        test::TestRequest::post()
            .uri("/api/v1/invoices/uploads")
            .insert_header(("Authorization", format!("Bearer {token}")))
            .insert_header(("content-type", "application/pdf"))
            .set_payload(SAMPLE_PDF),
    )
    .await;
    assert_problem(&r, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type");
}

#[actix_web::test]
async fn duplicates_are_flagged_and_unconfirmed_drafts_expire() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@cf.be").await;
    let t = Some(token.as_str());
    let manual = json!({
        "direction": "payable", "invoice_number": "INV-SO-2023-2812",
        "counterparty": {"name": "Bloc Group BV", "vat_number": "BE0662970353"},
        "issue_date": "2023-04-01", "due_date": "2023-04-10", "total": "382.06"
    });
    let existing = call(&app, "POST", "/api/v1/invoices", t, Some(manual)).await;
    let r = upload(&app, &token, "sample.pdf", SAMPLE_PDF).await;
    assert_eq!(r.body["suspected_duplicates"], json!([existing.body["id"]]));
    let id = r.body["id"].as_str().unwrap().to_owned();
    let r = call(&app, "POST", &format!("/api/v1/invoices/drafts/{id}/confirm"), t, Some(json!({"version": 1}))).await;
    assert_problem(&r, StatusCode::CONFLICT, "duplicate-invoice");
    assert_eq!(call(&app, "GET", &format!("/api/v1/invoices/drafts/{id}"), t, None).await.body["status"], "draft");

    let documents = h.dir.path().join("documents");
    let files = || walk(&documents);
    assert_eq!(files(), 1);
    *h.clock.0.lock().unwrap() += Duration::hours(23);
    assert_eq!(h.state.intake.purge_expired_drafts().unwrap(), 0);
    *h.clock.0.lock().unwrap() += Duration::hours(2);
    assert_eq!(h.state.intake.purge_expired_drafts().unwrap(), 1);
    let token = login(&app, "anna@cf.be").await;
    let t = Some(token.as_str());
    assert_problem(
        &call(&app, "GET", &format!("/api/v1/invoices/drafts/{id}"), t, None).await,
        StatusCode::NOT_FOUND,
        "not-found",
    );
    assert_eq!(files(), 0, "the document of an expired draft is removed");

    let r = upload(&app, &token, "sample.pdf", SAMPLE_PDF).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        call(&app, "DELETE", &format!("/api/v1/invoices/drafts/{id}"), t, None).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(files(), 0, "a discarded draft's document is removed");
}

fn walk(dir: &std::path::Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries.filter_map(Result::ok).map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 }).sum()
}

#[actix_web::test]
async fn xml_that_is_not_an_e_invoice_is_refused_naming_the_problem() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@demo.be").await;
    let order: &[u8] = include_bytes!("../../billify-einvoice/tests/fixtures/unknown-root-ubl-order.xml");
    let r = upload(&app, &token, "order.xml", order).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "unreadable-document");
    assert!(r.body["detail"].as_str().unwrap().contains("Order"), "{}", r.body);
    let broken: &[u8] = include_bytes!("../../billify-einvoice/tests/fixtures/malformed-unclosed.xml");
    assert_problem(
        &upload(&app, &token, "broken.xml", broken).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unreadable-document",
    );
    let entity: &[u8] = include_bytes!("../../billify-einvoice/tests/fixtures/doctype-external-entity.xml");
    assert_problem(
        &upload(&app, &token, "xxe.xml", entity).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unreadable-document",
    );
    let arithmetic: &[u8] = include_bytes!("../../billify-einvoice/tests/fixtures/ubl-broken-arithmetic.xml");
    let r = upload(&app, &token, "bad-sums.xml", arithmetic).await;
    assert_eq!(r.status, StatusCode::CREATED, "a document that breaks the rules is still a draft");
    let rules: Vec<&str> = r.body["extraction"]["rule_violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["rule"].as_str().unwrap())
        .collect();
    assert!(rules.iter().any(|r| r.starts_with("BR-CO-")), "{rules:?}");
}

#[actix_web::test]
async fn a_credit_note_reduces_what_is_owed_and_links_to_its_invoice() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@demo.be").await;
    let t = Some(token.as_str());
    let confirm = |id: String, version: i64| {
        let app = &app;
        async move {
            call(app, "POST", &format!("/api/v1/invoices/drafts/{id}/confirm"), t, Some(json!({"version": version})))
                .await
        }
    };
    let r = upload(&app, &token, "invoice.xml", UBL_INVOICE).await;
    let invoice = confirm(r.body["id"].as_str().unwrap().to_owned(), 1).await;
    assert_eq!(invoice.status, StatusCode::CREATED, "{}", invoice.body);
    assert_eq!(invoice.body["kind"], "invoice");

    let credit_note: &[u8] = include_bytes!("../../billify-einvoice/tests/fixtures/ubl-credit-note.xml");
    let r = upload(&app, &token, "credit-note.xml", credit_note).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["fields"]["kind"], "credit_note");
    assert_eq!(r.body["fields"]["corrects_invoice_number"], "INV-2026-0042");
    let credit = confirm(r.body["id"].as_str().unwrap().to_owned(), 1).await;
    assert_eq!(credit.status, StatusCode::CREATED, "{}", credit.body);
    assert_eq!(credit.body["kind"], "credit_note");
    assert_eq!(credit.body["corrects_invoice_id"], invoice.body["id"]);
    assert!(credit.body["signed_total"].as_str().unwrap().starts_with('-'), "{}", credit.body);

    let r = call(&app, "POST", "/api/v1/invoices", t, Some(json!({
        "direction": "payable", "kind": "invoice", "corrects_invoice_id": invoice.body["id"],
        "invoice_number": "X", "counterparty": {"name": "Y"}, "issue_date": "2026-01-01", "due_date": "2026-01-02", "total": "1.00"
    }))).await;
    assert_eq!(field_errors(&r), ["corrects_invoice_id"], "only a credit note corrects");
    let r = call(&app, "POST", "/api/v1/invoices", t, Some(json!({
        "direction": "payable", "kind": "credit_note", "corrects_invoice_id": "00000000-0000-0000-0000-000000000001",
        "invoice_number": "X", "counterparty": {"name": "Y"}, "issue_date": "2026-01-01", "due_date": "2026-01-02", "total": "1.00"
    }))).await;
    assert_eq!(field_errors(&r), ["corrects_invoice_id"], "the corrected invoice must exist in the organisation");
}

// ---------------------------------------------------------------------------------------------
// Bank statements

async fn import<S, B>(app: &S, token: &str, bytes: &[u8]) -> Reply
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    post_file(app, token, "/api/v1/bank/statements", "file", "statement", bytes).await
}

#[actix_web::test]
async fn statement_files_import_idempotently_and_page() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@demo.be").await;
    let t = Some(token.as_str());
    let camt: &[u8] = include_bytes!("../../billify-bankfiles/tests/fixtures/camt053-v02.xml");
    let coda: &[u8] = include_bytes!("../../billify-bankfiles/tests/fixtures/statement.cod");
    let first = import(&app, &token, camt).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let new = first.body["transactions"]["new"].as_u64().unwrap();
    assert!(new > 0);
    let again = import(&app, &token, camt).await;
    assert_eq!(
        again.body["transactions"],
        json!({"new": 0, "changed": 0, "unchanged": new}),
        "re-importing adds nothing"
    );
    assert_eq!(again.body["accounts"][0]["new"], false);
    let coda_import = import(&app, &token, coda).await;
    assert_eq!(coda_import.status, StatusCode::OK, "{}", coda_import.body);

    let accounts = call(&app, "GET", "/api/v1/bank/accounts", t, None).await;
    assert_eq!(
        accounts.body["items"].as_array().unwrap().len(),
        1,
        "both files are of one account (same IBAN): {}",
        accounts.body
    );
    assert!(accounts.body["items"][0]["current_balance"].as_str().unwrap().contains('.'));

    let mut seen = 0;
    let mut path = "/api/v1/bank/transactions?limit=2".to_owned();
    let mut last_date = "9999-12-31".to_owned();
    loop {
        let r = call(&app, "GET", &path, t, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        for item in r.body["items"].as_array().unwrap() {
            let date = item["execution_date"].as_str().unwrap().to_owned();
            assert!(date <= last_date, "newest first");
            last_date = date;
            assert!(!item["amount"].as_str().unwrap().is_empty());
            seen += 1;
        }
        match r.body["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/bank/transactions?limit=2&cursor={c}"),
            None => break,
        }
    }
    let total = new + coda_import.body["transactions"]["new"].as_u64().unwrap();
    assert_eq!(seen, total);

    let bad: &[u8] = include_bytes!("../../billify-bankfiles/tests/fixtures/camt053-bad-amount.xml");
    let r = import(&app, &token, bad).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "unreadable-statement");
    assert!(r.body["detail"].as_str().unwrap().contains("Amt"), "{}", r.body);
    let bad: &[u8] = include_bytes!("../../billify-bankfiles/tests/fixtures/bad-amount.cod");
    let r = import(&app, &token, bad).await;
    assert!(r.body["detail"].as_str().unwrap().contains("line"), "{}", r.body);
    assert_eq!(field_errors(&call(&app, "GET", "/api/v1/bank/transactions?from=yesterday", t, None).await), ["from"]);

    let other = owner(&app, "bert@b.nl").await;
    let r = call(&app, "GET", "/api/v1/bank/accounts", Some(&other), None).await;
    assert_eq!(r.body["items"], json!([]));
    let r = call(&app, "GET", "/api/v1/bank/transactions", Some(&other), None).await;
    assert_eq!(r.body["items"], json!([]));
}

#[actix_web::test]
async fn the_organisation_knows_itself_so_its_own_invoices_are_receivables() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@bloc.be").await;
    let t = Some(token.as_str());
    let r = call(&app, "PATCH", "/api/v1/organisation", t, Some(json!({"vat_number": "BE 0662.970.354"}))).await;
    assert_eq!(field_errors(&r), ["vat_number"]);
    let r = call(
        &app,
        "PATCH",
        "/api/v1/organisation",
        t,
        Some(json!({"name": "Bloc Group", "vat_number": "BE 0662.970.353"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["vat_number"], "BE0662970353");
    assert_eq!(call(&app, "GET", "/api/v1/organisation", t, None).await.body["name"], "Bloc Group");
    // The sample invoice was issued by Bloc Group BV (VAT BE0662970353): for this organisation
    // it is a receivable, and the counterparty is the buyer.
    let r = upload(&app, &token, "sample.pdf", SAMPLE_PDF).await;
    assert_eq!(r.body["fields"]["direction"], "receivable", "{}", r.body);
    assert_eq!(r.body["fields"]["counterparty"]["name"], "CF accountancy BV");
    assert_eq!(r.body["fields"]["counterparty"]["vat_number"], "BE0628719851");
    let r = call(&app, "PATCH", "/api/v1/organisation", t, Some(json!({"vat_number": null}))).await;
    assert_eq!(r.body["vat_number"], Value::Null);
}

#[actix_web::test]
async fn five_failed_logins_lock_the_account_for_thirty_minutes_without_saying_so() {
    let h = harness();
    let app = app!(h);
    owner(&app, "anna@example.be").await;
    let login = |password: &'static str| {
        let app = &app;
        async move {
            call(
                app,
                "POST",
                "/api/v1/auth/login",
                None,
                Some(json!({"email": "anna@example.be", "password": password})),
            )
            .await
        }
    };
    let wrong = login("wrong password!!").await;
    for _ in 0..4 {
        login("wrong password!!").await;
    }
    let locked = login("correct horse battery").await;
    assert_problem(&locked, StatusCode::UNAUTHORIZED, "invalid-credentials");
    assert_eq!(locked.body, wrong.body, "a lock looks exactly like a wrong password");
    *h.clock.0.lock().unwrap() += Duration::minutes(29);
    assert_eq!(login("correct horse battery").await.status, StatusCode::UNAUTHORIZED, "still locked");
    *h.clock.0.lock().unwrap() += Duration::minutes(2);
    assert_eq!(login("correct horse battery").await.status, StatusCode::OK, "the lock ended");
    for _ in 0..4 {
        login("wrong password!!").await;
    }
    assert_eq!(login("correct horse battery").await.status, StatusCode::OK, "four failures do not lock");
}

#[actix_web::test]
async fn every_response_carries_security_headers() {
    let h = harness();
    let app = test::init_service(
        App::new()
            .wrap(billify_web::security_headers(true))
            .configure(billify_web::configure(h.state.clone()))
            .default_service(web::to(billify_web::not_found)),
    )
    .await;
    for path in ["/api/v1/health", "/api/v1/invoices", "/elsewhere"] {
        let r = call(&app, "GET", path, None, None).await;
        assert_eq!(r.headers.get("x-content-type-options").unwrap(), "nosniff", "{path}");
        assert_eq!(r.headers.get("x-frame-options").unwrap(), "DENY", "{path}");
        assert!(r.headers.get("content-security-policy").unwrap().to_str().unwrap().contains("frame-ancestors 'none'"));
        assert!(r.headers.get("strict-transport-security").is_some(), "{path}");
    }
    let plain = test::init_service(
        App::new().wrap(billify_web::security_headers(false)).configure(billify_web::configure(h.state.clone())),
    )
    .await;
    let r = call(&plain, "GET", "/api/v1/health", None, None).await;
    assert!(r.headers.get("strict-transport-security").is_none(), "no HSTS without TLS");
    assert_eq!(r.headers.get("cache-control").unwrap(), "no-store");
}
