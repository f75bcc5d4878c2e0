//! TOTP two-factor authentication end to end: enrolment and confirmation, logins that need the
//! code, single-use codes and recovery codes, the lock-out, turning it off, and an
//! organisation's requirement. Codes are computed with `totp-rs` at the test clock's time.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

#[macro_use]
mod harness;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use billify_ports::Clock as _;
use harness::*;
use serde_json::{Value, json};
use time::Duration;
use totp_rs::{Algorithm, Builder, Secret};

/// The code of `secret` at the harness clock's time (plus `offset_steps` steps of 30 s).
fn code(h: &Harness, secret: &str, offset_steps: i64) -> String {
    let bytes = Secret::try_from_base32(secret).unwrap();
    let totp = Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(0)
        .with_step_duration(30)
        .with_secret(bytes)
        .build()
        .unwrap();
    let time = h.clock.now().unix_timestamp() + offset_steps * 30;
    totp.generate(u64::try_from(time).unwrap()).to_string()
}

/// Every answer's text, to check that the secret shows only where it should.
#[derive(Default)]
struct Transcript(Vec<String>);

impl Transcript {
    fn keep(&mut self, r: Reply) -> Reply {
        self.0.push(r.text.clone());
        r
    }
}

/// Enrols the holder of `token`; returns (secret, recovery codes). The clock moves a step on so
/// that the next code is fresh.
async fn enrol<S, B>(app: &S, h: &Harness, token: &str) -> (String, Vec<String>)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let r = call(app, "POST", "/api/v1/auth/2fa/totp", Some(token), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let secret = r.body["secret"].as_str().unwrap().to_owned();
    let r = call(app, "POST", "/api/v1/auth/2fa/totp/confirm", Some(token), Some(json!({"code": code(h, &secret, 0)})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let codes = r.body["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect();
    h.clock.advance(Duration::seconds(30));
    (secret, codes)
}

/// The password step of a login for a user with TOTP on; returns the challenge.
async fn challenge<S, B>(app: &S, email: &str) -> String
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let r = call(app, "POST", "/api/v1/auth/login", None, Some(json!({"email": email, "password": PASSWORD}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["second_factor_required"], true, "{}", r.text);
    assert!(r.body.get("token").is_none(), "no session before the second factor: {}", r.text);
    r.body["challenge"].as_str().unwrap().to_owned()
}

async fn second<S, B>(app: &S, body: Value) -> Reply
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    call(app, "POST", "/api/v1/auth/login/totp", None, Some(body)).await
}

#[actix_web::test]
async fn enrol_confirm_and_log_in_with_a_code_used_once() {
    let h = harness();
    let app = app!(h);
    let mut t = Transcript::default();
    let (_, token) = owner(&app, "anna@example.be").await;
    let me = t.keep(call(&app, "GET", "/api/v1/auth/me", Some(&token), None).await);
    assert_eq!(me.body["two_factor"], json!({"enabled": false, "pending": false, "recovery_codes_left": 0}));

    let r = call(&app, "POST", "/api/v1/auth/2fa/totp", Some(&token), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let secret = r.body["secret"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 32);
    let uri = r.body["otpauth_uri"].as_str().unwrap();
    assert!(uri.starts_with("otpauth://totp/Billify:anna%40example.be?"), "{uri}");
    assert!(uri.contains(&format!("secret={secret}")), "{uri}");
    let me = t.keep(call(&app, "GET", "/api/v1/auth/me", Some(&token), None).await);
    assert_eq!(me.body["two_factor"]["pending"], true);
    assert_eq!(me.body["two_factor"]["enabled"], false);
    // Pending: the password alone still logs in.
    t.keep(
        call(&app, "POST", "/api/v1/auth/login", None, Some(json!({"email": "anna@example.be", "password": PASSWORD})))
            .await,
    );
    assert!(t.0.last().unwrap().contains("\"token\""));

    let r = t
        .keep(call(&app, "POST", "/api/v1/auth/2fa/totp/confirm", Some(&token), Some(json!({"code": "000000"}))).await);
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    let confirming = code(&h, &secret, 0);
    let r = t.keep(
        call(&app, "POST", "/api/v1/auth/2fa/totp/confirm", Some(&token), Some(json!({"code": confirming}))).await,
    );
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let recovery = r.body["recovery_codes"].as_array().unwrap();
    assert_eq!(recovery.len(), 10);
    let me = t.keep(call(&app, "GET", "/api/v1/auth/me", Some(&token), None).await);
    assert_eq!(me.body["two_factor"], json!({"enabled": true, "pending": false, "recovery_codes_left": 10}));
    let r = t.keep(call(&app, "POST", "/api/v1/auth/2fa/totp", Some(&token), None).await);
    assert_problem(&r, StatusCode::CONFLICT, "two-factor-enabled");

    // The password alone opens no session now.
    let c = challenge(&app, "anna@example.be").await;
    let r = t.keep(second(&app, json!({"challenge": c, "code": confirming})).await);
    assert_problem(&r, StatusCode::UNAUTHORIZED, "invalid-credentials");
    h.clock.advance(Duration::seconds(30));
    let fresh = code(&h, &secret, 0);
    let r = t.keep(second(&app, json!({"challenge": "forged", "code": fresh})).await);
    assert_problem(&r, StatusCode::UNAUTHORIZED, "invalid-credentials");
    let r = t.keep(second(&app, json!({"challenge": c, "code": fresh})).await);
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let session = r.body["token"].as_str().unwrap().to_owned();
    let r = t.keep(call(&app, "GET", "/api/v1/auth/me", Some(&session), None).await);
    assert_eq!(r.status, StatusCode::OK);

    // The challenge worked once; the code too, even with a new challenge in the same step.
    let r = t.keep(second(&app, json!({"challenge": c, "code": code(&h, &secret, 1)})).await);
    assert_problem(&r, StatusCode::UNAUTHORIZED, "invalid-credentials");
    let c2 = challenge(&app, "anna@example.be").await;
    let r = t.keep(second(&app, json!({"challenge": c2, "code": fresh})).await);
    assert_problem(&r, StatusCode::UNAUTHORIZED, "invalid-credentials");
    // One step of drift is tolerated, so the next step's code works now, and then not again.
    let r = t.keep(second(&app, json!({"challenge": c2, "code": code(&h, &secret, 1)})).await);
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    // A challenge lasts five minutes.
    h.clock.advance(Duration::seconds(60));
    let c3 = challenge(&app, "anna@example.be").await;
    h.clock.advance(Duration::minutes(5));
    let r = t.keep(second(&app, json!({"challenge": c3, "code": code(&h, &secret, 0)})).await);
    assert_problem(&r, StatusCode::UNAUTHORIZED, "invalid-credentials");

    let leaked: Vec<_> = t.0.iter().filter(|text| text.contains(&secret)).collect();
    assert!(leaked.is_empty(), "the secret shows only in the enrolment answer: {leaked:?}");
}

#[actix_web::test]
async fn wrong_codes_count_toward_the_lock_out() {
    let h = harness();
    let app = app!(h);
    let (_, token) = owner(&app, "anna@example.be").await;
    let (secret, _) = enrol(&app, &h, &token).await;
    let c = challenge(&app, "anna@example.be").await;
    for _ in 0..3 {
        let r = second(&app, json!({"challenge": c, "code": "123456"})).await;
        assert_problem(&r, StatusCode::UNAUTHORIZED, "invalid-credentials");
    }
    // A correct password does not reset the count while the code is missing.
    let c = challenge(&app, "anna@example.be").await;
    for _ in 0..2 {
        let r = second(&app, json!({"challenge": c, "code": "654321"})).await;
        assert_problem(&r, StatusCode::UNAUTHORIZED, "invalid-credentials");
    }
    // Locked: the right code and the right password are refused alike.
    let r = second(&app, json!({"challenge": c, "code": code(&h, &secret, 0)})).await;
    assert_problem(&r, StatusCode::UNAUTHORIZED, "invalid-credentials");
    let r =
        call(&app, "POST", "/api/v1/auth/login", None, Some(json!({"email": "anna@example.be", "password": PASSWORD})))
            .await;
    assert_problem(&r, StatusCode::UNAUTHORIZED, "invalid-credentials");

    h.clock.advance(Duration::minutes(31));
    let c = challenge(&app, "anna@example.be").await;
    let r = second(&app, json!({"challenge": c, "code": code(&h, &secret, 0)})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

#[actix_web::test]
async fn a_recovery_code_works_once() {
    let h = harness();
    let app = app!(h);
    let (_, token) = owner(&app, "anna@example.be").await;
    let (_, codes) = enrol(&app, &h, &token).await;
    assert!(codes.iter().all(|c| c.len() == 19), "{codes:?}");
    let c = challenge(&app, "anna@example.be").await;
    let r = second(&app, json!({"challenge": c, "recovery_code": "aaaa-bbbb-cccc-dddd"})).await;
    assert_problem(&r, StatusCode::UNAUTHORIZED, "invalid-credentials");
    let r = second(&app, json!({"challenge": c, "code": "123456", "recovery_code": codes[0]})).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    // Typed without dashes and in capitals, it is the same code.
    let typed = codes[0].replace('-', "").to_uppercase();
    let r = second(&app, json!({"challenge": c, "recovery_code": typed})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let session = r.body["token"].as_str().unwrap().to_owned();
    let r = call(&app, "GET", "/api/v1/auth/me", Some(&session), None).await;
    assert_eq!(r.body["two_factor"]["recovery_codes_left"], 9);
    let c = challenge(&app, "anna@example.be").await;
    let r = second(&app, json!({"challenge": c, "recovery_code": codes[0]})).await;
    assert_problem(&r, StatusCode::UNAUTHORIZED, "invalid-credentials");
    let r = second(&app, json!({"challenge": c, "recovery_code": codes[1]})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    // The audit trail: turning it on, and each login with its second factor, in the
    // organisation's chain; refused second factors in the global chain like failed logins,
    // naming the user, never the code.
    let r = call(&app, "GET", "/api/v1/audit?limit=200", Some(&token), None).await;
    let entries = r.body["items"].as_array().unwrap();
    let actions: Vec<_> = entries.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"auth.two_factor_enabled"), "{actions:?}");
    let by_recovery = entries
        .iter()
        .filter(|e| e["action"] == "auth.login_succeeded" && e["after"]["second_factor"] == "recovery_code")
        .count();
    assert_eq!(by_recovery, 2, "{}", r.text);
    use billify_ports::audit::AuditLog as _;
    let global = h.store.audit_chain_entries(billify_ports::audit::GLOBAL_CHAIN, 0, 10).unwrap();
    let refused: Vec<_> = global.iter().filter(|e| e.action == "auth.second_factor_failed").collect();
    assert_eq!(refused.len(), 2, "{global:?}");
    let me = call(&app, "GET", "/api/v1/auth/me", Some(&token), None).await;
    assert!(refused.iter().all(|e| e.target_id.as_deref() == me.body["user"]["id"].as_str()));
    for e in &global {
        assert!(!codes.iter().any(|c| format!("{e:?}").contains(c.as_str())), "{e:?}");
    }
}

#[actix_web::test]
async fn turning_it_off_needs_a_code_or_the_password() {
    let h = harness();
    let app = app!(h);
    let (_, token) = owner(&app, "anna@example.be").await;
    let r = call(&app, "DELETE", "/api/v1/auth/2fa/totp", Some(&token), Some(json!({"password": PASSWORD}))).await;
    assert_problem(&r, StatusCode::CONFLICT, "two-factor-not-enabled");
    let (secret, _) = enrol(&app, &h, &token).await;
    let r = call(&app, "DELETE", "/api/v1/auth/2fa/totp", Some(&token), Some(json!({}))).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    let r = call(&app, "DELETE", "/api/v1/auth/2fa/totp", Some(&token), Some(json!({"password": "wrong password!!"})))
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    let r = call(&app, "DELETE", "/api/v1/auth/2fa/totp", Some(&token), Some(json!({"code": "000000"}))).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    let r =
        call(&app, "DELETE", "/api/v1/auth/2fa/totp", Some(&token), Some(json!({"code": code(&h, &secret, 0)}))).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    // The password alone logs in again.
    login(&app, "anna@example.be", None).await;
    // And with the password as the proof.
    let (_, _) = enrol(&app, &h, &token).await;
    let r = call(&app, "DELETE", "/api/v1/auth/2fa/totp", Some(&token), Some(json!({"password": PASSWORD}))).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = call(&app, "GET", "/api/v1/audit?action=auth.two_factor_disabled", Some(&token), None).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 2, "{}", r.text);
}

#[actix_web::test]
async fn an_organisation_can_require_it_of_its_members() {
    let h = harness();
    let app = app!(h);
    let (org, owner_token) = owner(&app, "anna@example.be").await;
    let (_, admin) = member(&app, &owner_token, &org, "adam@example.be", "admin").await;
    let (_, accountant) = member(&app, &owner_token, &org, "bert@example.be", "accountant").await;
    let require = json!({"require_two_factor": true});

    let r = call(&app, "GET", "/api/v1/organisation", Some(&owner_token), None).await;
    assert_eq!(r.body["require_two_factor"], false, "{}", r.text);
    // Only owners require it, and only once they use it themselves.
    let r = call(&app, "PATCH", "/api/v1/organisation", Some(&admin), Some(require.clone())).await;
    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");
    let r = call(&app, "PATCH", "/api/v1/organisation", Some(&owner_token), Some(require.clone())).await;
    assert_problem(&r, StatusCode::CONFLICT, "two-factor-not-enabled");
    enrol(&app, &h, &owner_token).await;
    let r = call(&app, "PATCH", "/api/v1/organisation", Some(&owner_token), Some(require.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["require_two_factor"], true);

    // A member without it may see who they are and enrol, nothing else.
    let r = call(&app, "GET", "/api/v1/invoices", Some(&accountant), None).await;
    assert_problem(&r, StatusCode::FORBIDDEN, "two-factor-required");
    let r = call(&app, "GET", "/api/v1/organisation", Some(&accountant), None).await;
    assert_problem(&r, StatusCode::FORBIDDEN, "two-factor-required");
    let r = call(&app, "GET", "/api/v1/auth/me", Some(&accountant), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = call(&app, "GET", "/api/v1/invoices", Some(&owner_token), None).await;
    assert_eq!(r.status, StatusCode::OK, "the owner has it: {}", r.text);
    enrol(&app, &h, &accountant).await;
    let r = call(&app, "GET", "/api/v1/invoices", Some(&accountant), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    let r = call(&app, "PATCH", "/api/v1/organisation", Some(&owner_token), Some(json!({"require_two_factor": false})))
        .await;
    assert_eq!(r.body["require_two_factor"], false);
    let r = call(&app, "GET", "/api/v1/invoices", Some(&admin), None).await;
    assert_eq!(r.status, StatusCode::OK, "no longer required: {}", r.text);
}
