//! Browser-facing protections: the per-client rate limit of the authentication routes, cookie
//! sessions and their CSRF token.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod harness;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::test;
use billify_web::{AuthRateLimiter, RateLimit, WebSecurity};
use harness::{PASSWORD, Reply, assert_problem, call, harness, harness_with, owner, register};
use serde_json::{Value, json};

/// Sends JSON from a peer address with optional cookie and CSRF headers.
async fn send_from<S, B>(
    app: &S,
    method: &str,
    path: &str,
    peer: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> Reply
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let mut req =
        test::TestRequest::default().method(method.parse().unwrap()).uri(path).peer_addr(peer.parse().unwrap());
    for (name, value) in headers {
        req = req.insert_header((*name, *value));
    }
    if let Some(body) = body {
        req = req.set_json(body);
    }
    let resp = test::call_service(app, req.to_request()).await;
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = test::read_body(resp).await;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply { status, headers, body, text }
}

fn limited(per_minute: u32, burst: u32, trusted_proxy: Option<&str>) -> WebSecurity {
    WebSecurity::new(
        false,
        AuthRateLimiter::new(RateLimit { per_minute, burst }, trusted_proxy.map(|p| p.parse().unwrap())),
    )
}

#[actix_web::test]
async fn auth_routes_answer_429_with_retry_after_after_the_burst() {
    let h = harness_with(limited(1, 3, None));
    let app = app!(h);
    let wrong = json!({"email": "nobody@example.com", "password": "not the password at all"});
    for _ in 0..3 {
        let r = send_from(&app, "POST", "/api/v1/auth/login", "192.0.2.1:4000", &[], Some(wrong.clone())).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    }
    let r = send_from(&app, "POST", "/api/v1/auth/login", "192.0.2.1:4001", &[], Some(wrong.clone())).await;
    assert_problem(&r, StatusCode::TOO_MANY_REQUESTS, "rate-limited");
    let retry: u64 = r.headers.get("retry-after").unwrap().to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    // Every rate-limited route shares the client's bucket.
    let r = send_from(&app, "POST", "/api/v1/auth/register", "192.0.2.1:4002", &[], Some(json!({}))).await;
    assert_problem(&r, StatusCode::TOO_MANY_REQUESTS, "rate-limited");
    let r = send_from(&app, "POST", "/api/v1/invitations/accept", "192.0.2.1:4002", &[], Some(json!({}))).await;
    assert_problem(&r, StatusCode::TOO_MANY_REQUESTS, "rate-limited");
    // The same /64 is the same client; another client is not affected.
    let r = send_from(&app, "POST", "/api/v1/auth/login", "198.51.100.7:4000", &[], Some(wrong.clone())).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // Other routes are not limited.
    let r = send_from(&app, "GET", "/api/v1/health", "192.0.2.1:4003", &[], None).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[actix_web::test]
async fn ipv6_clients_share_a_bucket_per_64() {
    let h = harness_with(limited(1, 1, None));
    let app = app!(h);
    let body = json!({"email": "nobody@example.com", "password": "not the password at all"});
    let r = send_from(&app, "POST", "/api/v1/auth/login", "[2001:db8:1:2::1]:4000", &[], Some(body.clone())).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = send_from(&app, "POST", "/api/v1/auth/login", "[2001:db8:1:2::99]:4000", &[], Some(body.clone())).await;
    assert_problem(&r, StatusCode::TOO_MANY_REQUESTS, "rate-limited");
    let r = send_from(&app, "POST", "/api/v1/auth/login", "[2001:db8:1:3::1]:4000", &[], Some(body)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[actix_web::test]
async fn forwarded_for_counts_only_behind_the_trusted_proxy() {
    let h = harness_with(limited(1, 1, Some("10.0.0.2")));
    let app = app!(h);
    let body = json!({"email": "nobody@example.com", "password": "not the password at all"});
    let via = |client: &'static str| [("X-Forwarded-For", client)];
    let r =
        send_from(&app, "POST", "/api/v1/auth/login", "10.0.0.2:4000", &via("203.0.113.1"), Some(body.clone())).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // Another client behind the proxy has its own bucket.
    let r =
        send_from(&app, "POST", "/api/v1/auth/login", "10.0.0.2:4000", &via("203.0.113.2"), Some(body.clone())).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r =
        send_from(&app, "POST", "/api/v1/auth/login", "10.0.0.2:4000", &via("203.0.113.1"), Some(body.clone())).await;
    assert_problem(&r, StatusCode::TOO_MANY_REQUESTS, "rate-limited");
    // A client that is not the proxy cannot choose its bucket.
    let r =
        send_from(&app, "POST", "/api/v1/auth/login", "192.0.2.9:4000", &via("203.0.113.3"), Some(body.clone())).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = send_from(&app, "POST", "/api/v1/auth/login", "192.0.2.9:4000", &via("203.0.113.4"), Some(body)).await;
    assert_problem(&r, StatusCode::TOO_MANY_REQUESTS, "rate-limited");
}

const PEER: &str = "192.0.2.50:5000";

/// Logs in with `{"cookie": true}`; returns (the `Set-Cookie` header, the cookie pair, the CSRF
/// token).
async fn cookie_login<S, B>(app: &S, email: &str) -> (String, String, String)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let body = json!({"email": email, "password": PASSWORD, "cookie": true});
    let r = send_from(app, "POST", "/api/v1/auth/login", PEER, &[], Some(body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.body.get("token").is_none(), "the session token is not in the body: {}", r.text);
    let csrf = r.body["csrf_token"].as_str().unwrap().to_owned();
    let set_cookie = r.headers.get("set-cookie").unwrap().to_str().unwrap().to_owned();
    let pair = set_cookie.split(';').next().unwrap().trim().to_owned();
    assert!(!r.text.contains(pair.trim_start_matches("billify_session=")), "no token in the body");
    (set_cookie, pair, csrf)
}

#[actix_web::test]
async fn a_cookie_login_sets_a_strict_http_only_cookie() {
    let h = harness();
    let app = app!(h);
    register(&app, "anna@example.com").await;
    let (set_cookie, pair, csrf) = cookie_login(&app, "anna@example.com").await;
    assert!(pair.starts_with("billify_session=") && pair.len() > "billify_session=".len(), "{set_cookie}");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set_cookie.split("; ").any(|a| a == attribute), "{attribute} in {set_cookie}");
    }
    assert!(!set_cookie.contains("Secure"), "not over TLS: {set_cookie}");
    assert_eq!(csrf.len(), 64);

    // The cookie authenticates, and /auth/me tells the CSRF token again.
    let r = send_from(&app, "GET", "/api/v1/auth/me", PEER, &[("Cookie", &pair)], None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["csrf_token"], csrf.as_str());
    assert_eq!(r.body["user"]["email"], "anna@example.com");
}

#[actix_web::test]
async fn cookies_are_secure_behind_tls() {
    let h =
        harness_with(WebSecurity::new(true, AuthRateLimiter::new(RateLimit { per_minute: 1000, burst: 1000 }, None)));
    let app = app!(h);
    register(&app, "anna@example.com").await;
    let (set_cookie, pair, csrf) = cookie_login(&app, "anna@example.com").await;
    assert!(set_cookie.split("; ").any(|a| a == "Secure"), "{set_cookie}");
    let r =
        send_from(&app, "POST", "/api/v1/auth/logout", PEER, &[("Cookie", &pair), ("X-CSRF-Token", &csrf)], None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(r.headers.get("set-cookie").unwrap().to_str().unwrap().contains("Secure"));
}

#[actix_web::test]
async fn cookie_sessions_need_the_csrf_token_to_change_state() {
    let h = harness();
    let app = app!(h);
    let (_, bearer) = owner(&app, "anna@example.com").await;
    let (_, pair, csrf) = cookie_login(&app, "anna@example.com").await;
    let patch = json!({"name": "Renamed BV"});

    let r = send_from(&app, "PATCH", "/api/v1/organisation", PEER, &[("Cookie", &pair)], Some(patch.clone())).await;
    assert_problem(&r, StatusCode::FORBIDDEN, "csrf");
    let wrong = "0".repeat(64);
    let headers = [("Cookie", pair.as_str()), ("X-CSRF-Token", wrong.as_str())];
    let r = send_from(&app, "PATCH", "/api/v1/organisation", PEER, &headers, Some(patch.clone())).await;
    assert_problem(&r, StatusCode::FORBIDDEN, "csrf");
    // Reads need no CSRF token.
    let r = send_from(&app, "GET", "/api/v1/organisation", PEER, &[("Cookie", &pair)], None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_ne!(r.body["name"], "Renamed BV");

    let headers = [("Cookie", pair.as_str()), ("X-CSRF-Token", csrf.as_str())];
    let r = send_from(&app, "PATCH", "/api/v1/organisation", PEER, &headers, Some(patch)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["name"], "Renamed BV");

    // Bearer tokens are never subject to CSRF checks.
    let r = call(&app, "PATCH", "/api/v1/organisation", Some(&bearer), Some(json!({"name": "Bearer BV"}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // With a bearer token, a cookie is ignored and /auth/me tells no CSRF token.
    let headers = [("Cookie", pair.as_str()), ("Authorization", &format!("Bearer {bearer}"))];
    let r = send_from(&app, "GET", "/api/v1/auth/me", PEER, &headers, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.get("csrf_token").is_none());
    // A CSRF token of another session does not do.
    let (_, other_pair, _) = cookie_login(&app, "anna@example.com").await;
    let headers = [("Cookie", other_pair.as_str()), ("X-CSRF-Token", csrf.as_str())];
    let r = send_from(&app, "PATCH", "/api/v1/organisation", PEER, &headers, Some(json!({"name": "X BV"}))).await;
    assert_problem(&r, StatusCode::FORBIDDEN, "csrf");
}

#[actix_web::test]
async fn logout_clears_the_cookie_and_ends_the_session() {
    let h = harness();
    let app = app!(h);
    register(&app, "anna@example.com").await;
    let (_, pair, csrf) = cookie_login(&app, "anna@example.com").await;
    let r = send_from(&app, "POST", "/api/v1/auth/logout", PEER, &[("Cookie", &pair)], None).await;
    assert_problem(&r, StatusCode::FORBIDDEN, "csrf");
    let headers = [("Cookie", pair.as_str()), ("X-CSRF-Token", csrf.as_str())];
    let r = send_from(&app, "POST", "/api/v1/auth/logout", PEER, &headers, None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let cleared = r.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(cleared.starts_with("billify_session=;"), "{cleared}");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    let r = send_from(&app, "GET", "/api/v1/auth/me", PEER, &[("Cookie", &pair)], None).await;
    assert_problem(&r, StatusCode::UNAUTHORIZED, "unauthenticated");
}

#[actix_web::test]
async fn a_cookie_session_accepts_an_invitation_with_its_csrf_token() {
    let h = harness();
    let app = app!(h);
    let (organisation, owner_token) = owner(&app, "anna@example.com").await;
    register(&app, "bob@example.com").await;
    let invitation = harness::invite(&app, &owner_token, "bob@example.com", "accountant").await;
    let (_, pair, csrf) = cookie_login(&app, "bob@example.com").await;
    let body = json!({"token": invitation["token"]});
    let r = send_from(&app, "POST", "/api/v1/invitations/accept", PEER, &[("Cookie", &pair)], Some(body.clone())).await;
    assert_problem(&r, StatusCode::FORBIDDEN, "csrf");
    let headers = [("Cookie", pair.as_str()), ("X-CSRF-Token", csrf.as_str())];
    let r = send_from(&app, "POST", "/api/v1/invitations/accept", PEER, &headers, Some(body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["role"], "accountant");
    assert_eq!(r.body["organisation"]["id"], organisation.as_str());
    // Logging out everywhere clears the cookie too.
    let r = send_from(&app, "POST", "/api/v1/auth/logout-all", PEER, &headers, None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(r.headers.get("set-cookie").unwrap().to_str().unwrap().contains("Max-Age=0"));
}

#[actix_web::test]
async fn an_expired_session_cookie_does_not_stop_an_anonymous_invitation_acceptance() {
    let h = harness();
    let app = app!(h);
    owner(&app, "anna@example.com").await;
    register(&app, "bob@example.com").await;
    let (_, pair, _) = cookie_login(&app, "bob@example.com").await;
    // Bob's browser session lapses; someone new accepts an invitation on that browser.
    h.clock.advance(time::Duration::days(31));
    let owner_token = harness::login(&app, "anna@example.com", None).await;
    let invitation = harness::invite(&app, &owner_token, "carl@example.com", "viewer").await;
    let body = json!({"token": invitation["token"], "name": "Carl", "password": PASSWORD});
    let r = send_from(&app, "POST", "/api/v1/invitations/accept", PEER, &[("Cookie", &pair)], Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["user"]["email"], "carl@example.com");
    // A live cookie still needs its CSRF token, and a bad bearer token is still refused.
    let (_, live, _) = cookie_login(&app, "bob@example.com").await;
    let invitation = harness::invite(&app, &owner_token, "dan@example.com", "viewer").await;
    let body = json!({"token": invitation["token"], "name": "Dan", "password": PASSWORD});
    let r = send_from(&app, "POST", "/api/v1/invitations/accept", PEER, &[("Cookie", &live)], Some(body.clone())).await;
    assert_problem(&r, StatusCode::FORBIDDEN, "csrf");
    let r =
        send_from(&app, "POST", "/api/v1/invitations/accept", PEER, &[("Authorization", "Bearer stale")], Some(body))
            .await;
    assert_problem(&r, StatusCode::UNAUTHORIZED, "unauthenticated");
}
