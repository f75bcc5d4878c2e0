//! The HTTP API end to end: registration, login, sessions and the login lock-out.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed expectation is a failed test")]

#[macro_use]
mod harness;

use actix_web::http::StatusCode;
use harness::api::*;
use harness::{assert_problem, call, harness};
use serde_json::json;
use time::Duration;

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
    // The same answer but for `instance`, which names each request.
    assert_eq!(without_instance(&wrong.body), without_instance(&unknown.body));
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
    assert_eq!(
        without_instance(&locked.body),
        without_instance(&wrong.body),
        "a lock looks exactly like a wrong password"
    );
    *h.clock.0.lock().unwrap() += Duration::minutes(29);
    assert_eq!(login("correct horse battery").await.status, StatusCode::UNAUTHORIZED, "still locked");
    *h.clock.0.lock().unwrap() += Duration::minutes(2);
    assert_eq!(login("correct horse battery").await.status, StatusCode::OK, "the lock ended");
    for _ in 0..4 {
        login("wrong password!!").await;
    }
    assert_eq!(login("correct horse battery").await.status, StatusCode::OK, "four failures do not lock");
}

/// A problem document without its `instance` (the request's id, different in every answer).
fn without_instance(body: &serde_json::Value) -> serde_json::Value {
    let mut body = body.clone();
    if let Some(object) = body.as_object_mut() {
        assert!(
            object
                .remove("instance")
                .is_some_and(|i| i.as_str().is_some_and(|i| i.starts_with("urn:billify:request:")))
        );
    }
    body
}
