//! Account security end to end: the password policy, password change, sessions (list, revoke,
//! logout everywhere), personal access tokens, browser cookies with CSRF tokens and the rate
//! limit on the authentication routes.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

#[macro_use]
mod common;

use actix_web::http::StatusCode;
use common::*;
use serde_json::json;

fn message(r: &Reply, field: &str) -> String {
    let errors = r.body["errors"].as_array().cloned().unwrap_or_default();
    let error = errors.iter().find(|e| e["field"] == field).unwrap_or_else(|| panic!("no {field} error: {}", r.text));
    error["message"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn the_password_policy_applies_to_registration_and_invitations() {
    let h = harness();
    let app = app!(h);
    let register = |password: &str| json!({"organisation_name": "Bloc", "name": "Anna Peeters", "email": "anna@example.be", "password": password});
    for (password, why) in [
        ("short", "at least 12 characters"),
        ("ééééééééééé", "at least 12 characters"),
        ("Password1234", "most common passwords"),
        ("QWERTY123456", "most common passwords"),
        ("aaaaaaaaaaaaaaaa", "repeat a single character"),
        ("anna@example.be", "email address or name"),
        ("ANNA PEETERS", "email address or name"),
    ] {
        let r = call(&app, "POST", "/api/v1/auth/register", None, Some(register(password))).await;
        assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
        let text = message(&r, "password");
        assert!(text.contains(why), "{password:?}: {text}");
        assert!(!r.text.contains(password), "the answer never repeats the password");
    }
    let r = call(&app, "POST", "/api/v1/auth/register", None, Some(register(&"x1".repeat(513)))).await;
    assert!(message(&r, "password").contains("at most 1024"), "{}", r.text);
    // No composition rules: long lower-case words are fine, as is any Unicode.
    let r = call(&app, "POST", "/api/v1/auth/register", None, Some(register("ünïcödé is fine ☂"))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

    let token = login_with(&app, "anna@example.be", "ünïcödé is fine ☂").await;
    let invitation = invite(&app, &token, "bert@example.be", "viewer").await;
    let r = call(
        &app,
        "POST",
        "/api/v1/invitations/accept",
        None,
        Some(json!({"token": invitation["token"], "name": "Bert", "password": "123456789123"})),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert!(message(&r, "password").contains("most common"));
}
