//! The HTTP API end to end, across resources: health, authentication of every route, isolation
//! between organisations and security headers; on a real SQLite database per test.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed expectation is a failed test")]

#[macro_use]
mod harness;

use actix_web::http::StatusCode;
use actix_web::{App, test, web};
use billify_web::ROUTES;
use harness::api::*;
use harness::{assert_problem, call, harness};
use serde_json::json;

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

#[actix_web::test]
async fn every_answer_carries_a_request_id_that_problems_name() {
    let h = harness();
    let app = app!(h);
    let with = |id: &'static str| {
        test::TestRequest::get().uri("/api/v1/invoices").insert_header(("X-Request-Id", id)).to_request()
    };
    // A well-formed id of the client's is kept, and the problem names it.
    let r = test::call_service(&app, with("nightly-42.a_b")).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers().get("x-request-id").unwrap(), "nightly-42.a_b");
    let body: serde_json::Value = test::read_body_json(r).await;
    assert_eq!(body["instance"], "urn:billify:request:nightly-42.a_b");
    // A malformed one is replaced by a fresh id.
    for bad in [
        "has space",
        "semi;colon",
        "Bearer:abc",
        "a-request-id-that-is-far-too-long-to-keep-in-a-log-line-0123456789abcdef",
    ] {
        let r = test::call_service(&app, with(bad)).await;
        let id = r.headers().get("x-request-id").unwrap().to_str().unwrap().to_owned();
        assert_eq!(id.len(), 32, "{bad:?} -> {id}");
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
    }
    // Without one, each answer gets its own.
    let a = call(&app, "GET", "/api/v1/health", None, None).await;
    let b = call(&app, "GET", "/api/v1/health", None, None).await;
    assert_ne!(a.headers.get("x-request-id").unwrap(), b.headers.get("x-request-id").unwrap());
}
