//! Account security end to end: the password policy, password change, sessions (list, revoke,
//! logout everywhere), personal access tokens, browser cookies with CSRF tokens and the rate
//! limit on the authentication routes.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

#[macro_use]
mod harness;

use actix_web::http::StatusCode;
use harness::*;
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

#[actix_web::test]
async fn changing_the_password_ends_every_other_session() {
    let h = harness();
    let app = app!(h);
    let (_, first) = owner(&app, "anna@example.be").await;
    let second = login(&app, "anna@example.be", None).await;
    let (_, bert) = owner(&app, "bert@example.be").await;
    let change = |current: &str, new: &str| json!({"current_password": current, "new_password": new});

    let r = call(
        &app,
        "POST",
        "/api/v1/auth/password",
        Some(&first),
        Some(change("wrong password!", "a new long passphrase")),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert!(message(&r, "current_password").contains("not your current password"));
    let r = call(&app, "POST", "/api/v1/auth/password", Some(&first), Some(change(PASSWORD, "password1234"))).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert!(message(&r, "new_password").contains("most common"));
    assert_eq!(
        call(&app, "GET", "/api/v1/auth/me", Some(&second), None).await.status,
        StatusCode::OK,
        "nothing changed"
    );

    let r = call(&app, "POST", "/api/v1/auth/password", Some(&first), Some(change(PASSWORD, "a new long passphrase")))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_eq!(call(&app, "GET", "/api/v1/auth/me", Some(&first), None).await.status, StatusCode::OK, "this one stays");
    let r = call(&app, "GET", "/api/v1/auth/me", Some(&second), None).await;
    assert_problem(&r, StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_eq!(
        call(&app, "GET", "/api/v1/auth/me", Some(&bert), None).await.status,
        StatusCode::OK,
        "other users keep theirs"
    );
    let r =
        call(&app, "POST", "/api/v1/auth/login", None, Some(json!({"email": "anna@example.be", "password": PASSWORD})))
            .await;
    assert_problem(&r, StatusCode::UNAUTHORIZED, "invalid-credentials");
    login_with(&app, "anna@example.be", "a new long passphrase").await;
}

#[actix_web::test]
async fn wrong_current_passwords_count_towards_the_lock() {
    let h = harness();
    let app = app!(h);
    let (_, token) = owner(&app, "anna@example.be").await;
    let change = json!({"current_password": "guess guess guess", "new_password": "a new long passphrase"});
    for _ in 0..5 {
        let r = call(&app, "POST", "/api/v1/auth/password", Some(&token), Some(change.clone())).await;
        assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    }
    let right = json!({"current_password": PASSWORD, "new_password": "a new long passphrase"});
    let r = call(&app, "POST", "/api/v1/auth/password", Some(&token), Some(right)).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    let r =
        call(&app, "POST", "/api/v1/auth/login", None, Some(json!({"email": "anna@example.be", "password": PASSWORD})))
            .await;
    assert_problem(&r, StatusCode::UNAUTHORIZED, "invalid-credentials");
}

#[actix_web::test]
async fn logout_everywhere_ends_every_session_of_the_user_only() {
    let h = harness();
    let app = app!(h);
    let (_, first) = owner(&app, "anna@example.be").await;
    let second = login(&app, "anna@example.be", None).await;
    let (_, bert) = owner(&app, "bert@example.be").await;
    let r = call(&app, "POST", "/api/v1/auth/logout-all", Some(&first), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    for token in [&first, &second] {
        let r = call(&app, "GET", "/api/v1/auth/me", Some(token), None).await;
        assert_problem(&r, StatusCode::UNAUTHORIZED, "unauthenticated");
    }
    assert_eq!(call(&app, "GET", "/api/v1/auth/me", Some(&bert), None).await.status, StatusCode::OK);
}

#[actix_web::test]
async fn sessions_are_listed_without_tokens_and_revoked_only_by_their_user() {
    let h = harness();
    let app = app!(h);
    let (_, first) = owner(&app, "anna@example.be").await;
    h.clock.advance(time::Duration::seconds(5));
    let second = login(&app, "anna@example.be", None).await;
    let (_, bert) = owner(&app, "bert@example.be").await;

    let r = call(&app, "GET", "/api/v1/auth/sessions", Some(&first), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let items = r.body["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2, "{}", r.text);
    assert_eq!(
        (items[0]["current"].as_bool(), items[1]["current"].as_bool()),
        (Some(false), Some(true)),
        "newest first"
    );
    for item in &items {
        for key in ["id", "organisation_id", "created_at", "last_seen_at", "expires_at"] {
            assert!(item[key].is_string(), "{key}: {item}");
        }
    }
    for token in [&first, &second] {
        assert!(!r.text.contains(token.as_str()), "no token is ever listed");
    }
    let second_id = items[0]["id"].as_str().unwrap().to_owned();

    // Bert cannot end Anna's session, nor see it.
    let uri = format!("/api/v1/auth/sessions/{second_id}");
    let r = call(&app, "DELETE", &uri, Some(&bert), None).await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not-found");
    let r = call(&app, "GET", "/api/v1/auth/sessions", Some(&bert), None).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    assert!(!r.text.contains(&second_id));
    let r = call(&app, "DELETE", "/api/v1/auth/sessions/not-a-uuid", Some(&bert), None).await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not-found");
    assert_eq!(call(&app, "GET", "/api/v1/auth/me", Some(&second), None).await.status, StatusCode::OK);

    // Anna ends her other session.
    assert_eq!(call(&app, "DELETE", &uri, Some(&first), None).await.status, StatusCode::NO_CONTENT);
    let r = call(&app, "GET", "/api/v1/auth/me", Some(&second), None).await;
    assert_problem(&r, StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_problem(&call(&app, "DELETE", &uri, Some(&first), None).await, StatusCode::NOT_FOUND, "not-found");
    let r = call(&app, "GET", "/api/v1/auth/sessions", Some(&first), None).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
}

/// The idle timeout counts from the last use, to within the touch interval (a twentieth of the
/// timeout, at most a minute), with the test's clock: a session used every 20 s with a one-minute
/// timeout lives on, and ends once unused for the timeout, never before.
#[actix_web::test]
async fn sessions_end_after_the_idle_time_since_their_last_use_never_before() {
    for (idle, every, touch) in [
        (time::Duration::minutes(1), time::Duration::seconds(20), time::Duration::seconds(3)),
        (time::Duration::minutes(60), time::Duration::seconds(30), time::Duration::minutes(1)),
    ] {
        let h = harness_with_idle(idle);
        let app = app!(h);
        let (_, token) = owner(&app, "anna@example.be").await;
        // Used regularly for three times the idle timeout: it stays.
        let uses = (idle.whole_seconds() * 3) / every.whole_seconds();
        for i in 0..uses {
            h.clock.advance(every);
            assert_eq!(
                call(&app, "GET", "/api/v1/auth/me", Some(&token), None).await.status,
                StatusCode::OK,
                "idle {idle}: use {i} every {every}"
            );
        }
        // Unused for just under the timeout: still there (not a touch-interval early).
        h.clock.advance(idle - time::Duration::seconds(1));
        assert_eq!(
            call(&app, "GET", "/api/v1/auth/me", Some(&token), None).await.status,
            StatusCode::OK,
            "idle {idle}: ended early"
        );
        // That use was recorded; unused for the timeout plus the touch interval since: gone.
        h.clock.advance(idle + touch);
        assert_eq!(
            call(&app, "GET", "/api/v1/auth/me", Some(&token), None).await.status,
            StatusCode::UNAUTHORIZED,
            "idle {idle}: did not end"
        );
    }
}

/// `GET /auth/me` answers a user shown a moment ago from memory (issue 18), yet every change of
/// what it shows made in this process is there at once: the organisation's name, a pending
/// second factor, a new membership.
#[actix_web::test]
async fn the_profile_answered_from_memory_shows_changes_at_once() {
    let h = harness();
    let app = app!(h);
    let (organisation, anna) = owner(&app, "anna@example.be").await;
    let me = |token: String| {
        let app = &app;
        async move { call(app, "GET", "/api/v1/auth/me", Some(&token), None).await }
    };
    let name = me(anna.clone()).await.body["organisation"]["name"].clone();
    assert_eq!(me(anna.clone()).await.body["organisation"]["name"], name, "answered from memory");
    let r = call(&app, "PATCH", "/api/v1/organisation", Some(&anna), Some(json!({"name": "Renamed BV"}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(me(anna.clone()).await.body["organisation"]["name"], "Renamed BV", "the new name at once");

    assert_eq!(me(anna.clone()).await.body["two_factor"]["pending"], false);
    let r = call(&app, "POST", "/api/v1/auth/2fa/totp", Some(&anna), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(me(anna.clone()).await.body["two_factor"]["pending"], true, "the pending enrolment at once");

    let (_, bert) = member(&app, &anna, &organisation, "bert@example.be", "accountant").await;
    assert_eq!(me(bert.clone()).await.body["memberships"].as_array().map(Vec::len), Some(1));
}

/// Sessions are answered from the in-process session cache once authenticated (issue 18); every
/// revocation still takes effect at once in this process: logout, a revoked session, a removed
/// member and a lowered role, each right after the session was used (so it was in the cache).
#[actix_web::test]
async fn revocations_reach_sessions_answered_from_memory_at_once() {
    let h = harness();
    let app = app!(h);
    let (organisation, anna) = owner(&app, "anna@example.be").await;
    let me = |token: String| {
        let app = &app;
        async move { call(app, "GET", "/api/v1/auth/me", Some(&token), None).await }
    };

    // Logout.
    let other = login(&app, "anna@example.be", None).await;
    assert_eq!(me(other.clone()).await.status, StatusCode::OK);
    assert_eq!(me(other.clone()).await.status, StatusCode::OK, "answered from memory");
    assert_eq!(call(&app, "POST", "/api/v1/auth/logout", Some(&other), None).await.status, StatusCode::NO_CONTENT);
    assert_problem(&me(other).await, StatusCode::UNAUTHORIZED, "unauthenticated");

    // A session revoked from another one.
    let other = login(&app, "anna@example.be", None).await;
    assert_eq!(me(other.clone()).await.status, StatusCode::OK);
    let sessions = call(&app, "GET", "/api/v1/auth/sessions", Some(&anna), None).await;
    let id = sessions.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["current"] == false)
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .unwrap();
    let r = call(&app, "DELETE", &format!("/api/v1/auth/sessions/{id}"), Some(&anna), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_problem(&me(other).await, StatusCode::UNAUTHORIZED, "unauthenticated");

    // A member given a lower role, then removed.
    let (bert_id, bert) = member(&app, &anna, &organisation, "bert@example.be", "accountant").await;
    let invoices = |token: String| {
        let app = &app;
        async move { call(app, "POST", "/api/v1/invoices", Some(&token), Some(invoice("INV-1"))).await }
    };
    assert_eq!(me(bert.clone()).await.body["role"], "accountant");
    let r = call(
        &app,
        "PATCH",
        &format!("/api/v1/organisation/members/{bert_id}"),
        Some(&anna),
        Some(json!({"role": "viewer"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(me(bert.clone()).await.body["role"], "viewer", "the new role at once");
    assert_problem(&invoices(bert.clone()).await, StatusCode::FORBIDDEN, "forbidden");
    let r = call(&app, "DELETE", &format!("/api/v1/organisation/members/{bert_id}"), Some(&anna), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_problem(&me(bert).await, StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_eq!(me(anna).await.status, StatusCode::OK, "the owner keeps hers");
}
