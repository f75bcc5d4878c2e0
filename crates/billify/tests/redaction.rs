//! Secret redaction: a full bank-integration scenario at debug log level, then every secret that
//! crossed the wire (client secret, authorization code, PKCE verifier, access and refresh tokens,
//! session token, personal access token, password) is searched for in every API response and every log line. Zero hits.
//! Also: demo mode prints its login line, and only in demo mode.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed expectation is a failed test")]

mod common;

use std::time::{Duration, Instant};

use billify_testkit::{FakePonto, FakePontoConfig};
use common::Server;
use serde_json::json;

/// Every secret the fake saw: bearer tokens, and the values of secret form fields.
fn secrets_on_the_wire(fake: &FakePonto) -> Vec<String> {
    let mut secrets = Vec::new();
    for request in fake.requests() {
        if let Some(bearer) = request.header("authorization").and_then(|h| h.strip_prefix("Bearer ")) {
            secrets.push(bearer.to_owned());
        }
        let body = String::from_utf8_lossy(&request.body).into_owned();
        for pair in body.split('&') {
            if let Some((name, value)) = pair.split_once('=')
                && ["code", "code_verifier", "refresh_token", "token"].contains(&name)
                && value.len() >= 8
            {
                secrets.push(value.to_owned());
            }
        }
    }
    secrets.sort();
    secrets.dedup();
    secrets
}

#[test]
fn no_secret_reaches_a_response_or_a_log_line() {
    let fake =
        FakePonto::start(FakePontoConfig { access_token_ttl: Duration::from_secs(30), ..FakePontoConfig::default() })
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let password = "violet-otter-parade-1987";
    let server = Server::start(&[
        ("BILLIFY_DATABASE_URL", format!("sqlite://{}", dir.path().join("r.db").display())),
        ("BILLIFY_DOCUMENTS_DIR", dir.path().join("docs").display().to_string()),
        ("BILLIFY_PONTO_CLIENT_ID", fake.client_id()),
        ("BILLIFY_PONTO_CLIENT_SECRET", fake.client_secret()),
        ("BILLIFY_PONTO_REDIRECT_URI", "https://billify.example/bank/callback".to_owned()),
        ("BILLIFY_PONTO_API_URL", fake.base_url()),
        ("BILLIFY_PONTO_AUTHORIZATION_URL", fake.authorization_url()),
        ("BILLIFY_SYNC_POLL_MILLIS", "50".to_owned()),
        ("BILLIFY_LOG", "debug".to_owned()),
    ]);
    let responses = std::cell::RefCell::new(Vec::new());
    let call = |method: &str, path: &str, token: Option<&str>, body: Option<serde_json::Value>| {
        let (status, value) = server.call(method, path, token, body);
        responses.borrow_mut().push(value.to_string());
        (status, value)
    };
    call(
        "POST",
        "/api/v1/auth/register",
        None,
        Some(
            json!({"organisation_name": "Bloc Group BV", "name": "Anna", "email": "anna@bloc.be", "password": password}),
        ),
    );
    // The login answer carries the session token by design, so it is not collected.
    let (_, login) =
        server.call("POST", "/api/v1/auth/login", None, Some(json!({"email": "anna@bloc.be", "password": password})));
    let session = login["token"].as_str().unwrap().to_owned();
    let t = Some(session.as_str());
    // A personal access token: shown once by design (not collected), then used and revoked.
    let (_, issued) =
        server.call("POST", "/api/v1/auth/tokens", t, Some(json!({"name": "script", "scope": "read_write"})));
    let access_token = issued["secret"].as_str().unwrap().to_owned();
    let (status, _) = call("GET", "/api/v1/auth/me", Some(&access_token), None);
    assert_eq!(status, 200);
    call("GET", "/api/v1/auth/tokens", t, None);
    let (status, _) = call("DELETE", &format!("/api/v1/auth/tokens/{}", issued["id"].as_str().unwrap()), t, None);
    assert_eq!(status, 204);
    let (status, _) = call("GET", "/api/v1/invoices", Some(&access_token), None);
    assert_eq!(status, 401);
    let (_, connect) = call("POST", "/api/v1/bank/integrations/ponto/connect", t, None);
    let id = connect["integration"]["id"].as_str().unwrap().to_owned();
    let redirect = fake.consent(connect["consent_url"].as_str().unwrap()).unwrap();
    let (status, _) = call(
        "GET",
        &format!("/api/v1/bank/integrations/ponto/callback?code={}&state={}", redirect.code, redirect.state),
        t,
        None,
    );
    assert_eq!(status, 200);
    // Replaying the callback fails, and says nothing secret either.
    let (status, _) = call(
        "GET",
        &format!("/api/v1/bank/integrations/ponto/callback?code={}&state={}", redirect.code, redirect.state),
        t,
        None,
    );
    assert_eq!(status, 422);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, runs) = call("GET", &format!("/api/v1/bank/integrations/{id}/runs"), t, None);
        if runs["items"][0]["outcome"] == "succeeded" {
            break;
        }
        assert!(Instant::now() < deadline, "no successful sync: {runs}");
        std::thread::sleep(Duration::from_millis(100));
    }
    // Force a refresh (rotating the refresh token), then sync again and disconnect (revoke).
    fake.expire_access_tokens();
    let (status, _) = call("POST", &format!("/api/v1/bank/integrations/{id}/sync"), t, None);
    assert_eq!(status, 202);
    let deadline = Instant::now() + Duration::from_secs(30);
    while !fake.requests().iter().any(|r| String::from_utf8_lossy(&r.body).contains("grant_type=refresh_token")) {
        assert!(Instant::now() < deadline, "no refresh happened");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    call("GET", "/api/v1/bank/integrations", t, None);
    call("GET", "/api/v1/bank/accounts", t, None);
    let (status, _) = call("DELETE", &format!("/api/v1/bank/integrations/{id}"), t, None);
    assert_eq!(status, 204);
    call("GET", &format!("/api/v1/bank/integrations/{id}"), t, None);
    let responses = responses.into_inner();
    let log = server.stop();

    let mut secrets = secrets_on_the_wire(&fake);
    assert!(secrets.len() >= 5, "the scenario moved tokens, codes and a verifier: {}", secrets.len());
    secrets.extend([fake.client_secret(), password.to_owned(), session.clone(), access_token.clone()]);
    assert!(log.lines().count() > 20, "debug logging was on");
    for secret in &secrets {
        for response in &responses {
            assert!(!response.contains(secret.as_str()), "a response contains a secret: {response}");
        }
        for line in log.lines() {
            assert!(!line.contains(secret.as_str()), "a log line contains a secret: {line}");
        }
    }
    assert!(!log.contains("demo login"), "no demo line outside demo mode");
}

#[test]
fn demo_mode_links_a_fake_bank_and_prints_one_login_line() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(
        &["serve", "--demo"],
        &[
            ("BILLIFY_DATABASE_URL", format!("sqlite://{}", dir.path().join("demo.db").display())),
            ("BILLIFY_DOCUMENTS_DIR", dir.path().join("docs").display().to_string()),
            ("BILLIFY_SYNC_POLL_MILLIS", "50".to_owned()),
        ],
    );
    let line = server.wait_for_log("demo login: ", Duration::from_secs(30));
    let mut parts = line.split("demo login: ").nth(1).unwrap().split_whitespace();
    let (email, password) = (parts.next().unwrap().to_owned(), parts.next().unwrap().to_owned());
    let (status, login) =
        server.call("POST", "/api/v1/auth/login", None, Some(json!({"email": email, "password": password})));
    assert_eq!(status, 200, "{login}");
    let token = login["token"].as_str().unwrap().to_owned();
    let (_, me) = server.call("GET", "/api/v1/organisation", Some(&token), None);
    assert_eq!(me["name"], "Demo BV");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, page) = server.call("GET", "/api/v1/bank/transactions", Some(&token), None);
        if page["items"].as_array().is_some_and(|items| !items.is_empty()) {
            break;
        }
        assert!(Instant::now() < deadline, "no bank data arrived in demo mode");
        std::thread::sleep(Duration::from_millis(100));
    }
    let (_, accounts) = server.call("GET", "/api/v1/bank/accounts", Some(&token), None);
    assert_eq!(accounts["items"].as_array().unwrap().len(), 3);
    // The demo bank looks current: its newest booking is recent and its consent still valid.
    let today = time::OffsetDateTime::now_utc().date();
    let (_, page) = server.call("GET", "/api/v1/bank/transactions?limit=1", Some(&token), None);
    let newest = time::Date::parse(
        page["items"][0]["execution_date"].as_str().unwrap(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .unwrap();
    assert!((today - newest).whole_days().abs() <= 2, "newest demo booking {newest}, today {today}");
    for account in accounts["items"].as_array().unwrap() {
        let expires = account["authorization_expires_at"].as_str().unwrap();
        assert!(expires > today.to_string().as_str(), "demo consent expired: {account}");
    }
    // The demo's open invoices: two paid by the fake bank (by OGM, by number in free text) and a
    // payment that fits two of them, suggested; all within a minute of start-up.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (_, invoices) = server.call("GET", "/api/v1/invoices", Some(&token), None);
        let (_, suggestions) = server.call("GET", "/api/v1/reconciliation/suggestions", Some(&token), None);
        let paid: Vec<String> = invoices["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["status"] == "paid")
            .map(|i| i["invoice_number"].as_str().unwrap().to_owned())
            .collect();
        let suggested = suggestions["items"].as_array().map_or(0, Vec::len);
        if paid.len() == 2 && suggested == 1 {
            assert_eq!(suggestions["items"][0]["candidates"].as_array().unwrap().len(), 2, "{suggestions}");
            let mut rules = Vec::new();
            for invoice in invoices["items"].as_array().unwrap().iter().filter(|i| i["status"] == "paid") {
                let uri = format!("/api/v1/reconciliation/matches?invoice_id={}", invoice["id"].as_str().unwrap());
                let (_, matches) = server.call("GET", &uri, Some(&token), None);
                rules.push(matches["items"][0]["rule"].as_str().unwrap().to_owned());
                assert_eq!(invoice["open_amount"], "0.00", "{invoice}");
            }
            rules.sort();
            assert_eq!(rules, ["invoice_number", "structured_reference"], "one paid by OGM, one by its number");
            break;
        }
        assert!(Instant::now() < deadline, "no matches and suggestion in demo mode: paid {paid:?}, {suggestions}");
        std::thread::sleep(Duration::from_millis(200));
    }
    let log = server.stop();
    assert_eq!(log.matches("demo login:").count(), 0, "the login line is printed once, at start-up");
}
