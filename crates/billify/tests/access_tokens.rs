//! Personal access tokens end to end: shown once and stored as a digest, scoped to one
//! organisation, capped by scope, tracked by last use, ended by expiry, revocation and removal of
//! the membership, and audited. (Which routes take a token at all is the access-token matrix of
//! `tenancy.rs`.)

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

#[macro_use]
mod harness;

use actix_web::http::StatusCode;
use harness::*;
use serde_json::json;
use time::Duration;

/// Invites an existing user by `inviter_session` and accepts as that user.
async fn join<S, B>(app: &S, inviter_session: &str, email: &str, invitee_session: &str, role: &str)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let invitation = invite(app, inviter_session, email, role).await;
    let accept = json!({"token": invitation["token"]});
    let r = call(app, "POST", "/api/v1/invitations/accept", Some(invitee_session), Some(accept)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

#[actix_web::test]
async fn a_token_is_shown_once_stored_as_a_digest_and_acts_on_its_organisation_only() {
    use billify_ports::{AccessTokenRepository, SecretTokens};
    let h = harness();
    let app = app!(h);
    let (org, session) = owner(&app, "anna@example.be").await;
    // Anna also owns a second organisation: the token never reaches it.
    let (other_org, _) = owner(&app, "bert@example.be").await;
    let bert = login(&app, "bert@example.be", None).await;
    join(&app, &bert, "anna@example.be", &session, "admin").await;

    let body = json!({"name": "  nightly export ", "scope": "read_write", "expires_in_days": 30});
    let r = call(&app, "POST", "/api/v1/auth/tokens", Some(&session), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.headers.get("cache-control").unwrap(), "no-store");
    let secret = r.body["secret"].as_str().unwrap().to_owned();
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert!(secret.starts_with(&format!("bfy_pat_{}_", org.replace('-', ""))), "{secret}");
    assert!(secret.len() >= 50, "a long random secret");
    assert_eq!(r.body["name"], "nightly export");
    assert_eq!(r.body["scope"], "read_write");
    assert_eq!(r.body["organisation_id"], org.as_str());
    assert_eq!(r.body["expires_at"], "2026-04-01T09:00:00Z");
    assert_eq!(r.body["last_used_at"], json!(null));

    // Never shown again, stored only under its digest.
    let r = call(&app, "GET", "/api/v1/auth/tokens", Some(&session), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(r.body["items"][0]["id"], id.as_str());
    assert!(!r.text.contains(&secret) && r.body["items"][0].get("secret").is_none());
    let organisation = billify_domain::OrganisationId::from_uuid(org.parse().unwrap());
    let digest = billify_crypto::RandomTokens.digest(&secret);
    assert!(h.store.access_token(organisation, &digest).unwrap().is_some(), "stored under its digest");
    // `bfy_pat_<organisation>_<secret>`: the secret itself may contain `_`.
    let secret_part = secret.splitn(4, '_').nth(3).unwrap();
    assert!(secret_part.len() >= 32, "{secret}");
    assert_no_file_holds(&h, secret_part);

    // It acts as Anna, owner of her organisation, and says so.
    let r = call(&app, "GET", "/api/v1/auth/me", Some(&secret), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["organisation"]["id"], org.as_str());
    assert_eq!(r.body["role"], "owner");
    assert_eq!(r.body["access_token"], json!({"id": id, "scope": "read_write"}));
    let r = call(&app, "POST", "/api/v1/invoices", Some(&secret), Some(invoice("PAT-1"))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    // Naming her other organisation, where she is a member too, is "not found".
    let r = send(&app, "GET", "/api/v1/invoices", Some(&secret), Some(&other_org), Body::None).await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not-found");
    let r = send(&app, "GET", "/api/v1/invoices", Some(&secret), Some(&org), Body::None).await;
    assert_eq!(r.status, StatusCode::OK);
    // A token whose organisation part is swapped for another is unknown there.
    let forged = secret.replace(&org.replace('-', ""), &other_org.replace('-', ""));
    let r = call(&app, "GET", "/api/v1/invoices", Some(&forged), None).await;
    assert_problem(&r, StatusCode::UNAUTHORIZED, "unauthenticated");
    for broken in ["bfy_pat_", "bfy_pat_x_y", &format!("{secret}x")] {
        let r = call(&app, "GET", "/api/v1/invoices", Some(broken), None).await;
        assert_problem(&r, StatusCode::UNAUTHORIZED, "unauthenticated");
    }
}

#[actix_web::test]
async fn bad_requests_for_tokens_name_the_field_and_each_member_holds_at_most_fifty() {
    let h = harness();
    let app = app!(h);
    let (_, session) = owner(&app, "anna@example.be").await;
    let s = Some(session.as_str());
    for (body, field) in [
        (json!({"name": " ", "scope": "read"}), "name"),
        (json!({"name": "x".repeat(101), "scope": "read"}), "name"),
        (json!({"name": "tab\there", "scope": "read"}), "name"),
        (json!({"name": "n", "scope": "admin"}), "scope"),
        (json!({"name": "n", "scope": "read", "expires_in_days": 0}), "expires_in_days"),
        (json!({"name": "n", "scope": "read", "expires_in_days": 367}), "expires_in_days"),
    ] {
        let r = call(&app, "POST", "/api/v1/auth/tokens", s, Some(body.clone())).await;
        assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
        assert_eq!(r.body["errors"][0]["field"], field, "{body}: {}", r.text);
    }
    let r = call(&app, "POST", "/api/v1/auth/tokens", s, Some(json!({"name": "n", "scope": "read", "extra": 1}))).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    let r = call(&app, "POST", "/api/v1/auth/tokens", s, Some(json!({"name": "n"}))).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    // The default lifetime is 90 days; the longest 366.
    let r = call(&app, "POST", "/api/v1/auth/tokens", s, Some(json!({"name": "n", "scope": "read"}))).await;
    assert_eq!(r.body["expires_at"], "2026-05-31T09:00:00Z");
    let r = call(
        &app,
        "POST",
        "/api/v1/auth/tokens",
        s,
        Some(json!({"name": "n", "scope": "read", "expires_in_days": 366})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    for _ in 2..50 {
        let r = call(&app, "POST", "/api/v1/auth/tokens", s, Some(json!({"name": "n", "scope": "read"}))).await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    let r = call(&app, "POST", "/api/v1/auth/tokens", s, Some(json!({"name": "n", "scope": "read"}))).await;
    assert_problem(&r, StatusCode::CONFLICT, "too-many-tokens");
}

#[actix_web::test]
async fn read_tokens_read_and_tokens_follow_the_members_role() {
    let h = harness();
    let app = app!(h);
    let (org, owner_session) = owner(&app, "anna@example.be").await;
    // Bert has an organisation of his own, and joins Anna's as an accountant.
    let (_, bert_session) = owner(&app, "bert@example.be").await;
    join(&app, &owner_session, "bert@example.be", &bert_session, "accountant").await;
    let bert = call(&app, "GET", "/api/v1/auth/me", Some(&bert_session), None).await.body["user"]["id"].clone();
    let bert = bert.as_str().unwrap().to_owned();
    let token = |scope: &'static str| {
        let (session, org) = (bert_session.clone(), org.clone());
        let app = &app;
        async move {
            let body = Body::Json(json!({"name": scope, "scope": scope}));
            let r = send(app, "POST", "/api/v1/auth/tokens", Some(&session), Some(&org), body).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
            r.body["secret"].as_str().unwrap().to_owned()
        }
    };
    let read = token("read").await;
    let write = token("read_write").await;
    let r = call(&app, "GET", "/api/v1/auth/me", Some(&read), None).await;
    assert_eq!(r.body["role"], "viewer", "a read token acts as a viewer");
    let r = call(&app, "POST", "/api/v1/invoices", Some(&read), Some(invoice("R-1"))).await;
    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");
    let r = call(&app, "GET", "/api/v1/invoices", Some(&read), None).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = call(&app, "POST", "/api/v1/invoices", Some(&write), Some(invoice("W-1"))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

    // Demoted to viewer, Bert's read-write token writes no more.
    let uri = format!("/api/v1/organisation/members/{bert}");
    let r = call(&app, "PATCH", &uri, Some(&owner_session), Some(json!({"role": "viewer"}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = call(&app, "POST", "/api/v1/invoices", Some(&write), Some(invoice("W-2"))).await;
    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");

    // Removed, Bert's tokens die with the membership, and stay dead if he is invited back.
    let r = call(&app, "DELETE", &uri, Some(&owner_session), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    join(&app, &owner_session, "bert@example.be", &bert_session, "accountant").await;
    for t in [&read, &write] {
        let r = call(&app, "GET", "/api/v1/invoices", Some(t), None).await;
        assert_problem(&r, StatusCode::UNAUTHORIZED, "unauthenticated");
    }
}

#[actix_web::test]
async fn tokens_record_last_use_once_a_minute_expire_and_are_revoked() {
    let h = harness();
    let app = app!(h);
    let (_, session) = owner(&app, "anna@example.be").await;
    let s = Some(session.as_str());
    let r =
        call(&app, "POST", "/api/v1/auth/tokens", s, Some(json!({"name": "a", "scope": "read", "expires_in_days": 2})))
            .await;
    let (secret, id) = (r.body["secret"].as_str().unwrap().to_owned(), r.body["id"].as_str().unwrap().to_owned());
    let last_used = |app| async move {
        let r = call(app, "GET", "/api/v1/auth/tokens", Some(&login(app, "anna@example.be", None).await), None).await;
        r.body["items"][0]["last_used_at"].clone()
    };
    assert_eq!(last_used(&app).await, json!(null));
    call(&app, "GET", "/api/v1/invoices", Some(&secret), None).await;
    assert_eq!(last_used(&app).await, "2026-03-02T09:00:00Z");
    h.clock.advance(Duration::seconds(59));
    call(&app, "GET", "/api/v1/invoices", Some(&secret), None).await;
    assert_eq!(last_used(&app).await, "2026-03-02T09:00:00Z", "not written again within the minute");
    h.clock.advance(Duration::seconds(1));
    call(&app, "GET", "/api/v1/invoices", Some(&secret), None).await;
    assert_eq!(last_used(&app).await, "2026-03-02T09:01:00Z");

    // Unlike a session, a token has no idle timeout; it ends at its expiry.
    h.clock.advance(Duration::days(2) - Duration::minutes(2));
    let r = call(&app, "GET", "/api/v1/invoices", Some(&secret), None).await;
    assert_eq!(r.status, StatusCode::OK);
    h.clock.advance(Duration::minutes(1));
    let r = call(&app, "GET", "/api/v1/invoices", Some(&secret), None).await;
    assert_problem(&r, StatusCode::UNAUTHORIZED, "unauthenticated");

    // Revocation: immediate, once, own tokens only.
    let session = login(&app, "anna@example.be", None).await;
    let r =
        call(&app, "POST", "/api/v1/auth/tokens", Some(&session), Some(json!({"name": "b", "scope": "read"}))).await;
    let (secret, second) = (r.body["secret"].as_str().unwrap().to_owned(), r.body["id"].as_str().unwrap().to_owned());
    let (other_org, other) = owner(&app, "bert@example.be").await;
    let _ = other_org;
    let uri = format!("/api/v1/auth/tokens/{second}");
    let r = call(&app, "DELETE", &uri, Some(&other), None).await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not-found");
    let r = call(&app, "DELETE", "/api/v1/auth/tokens/not-a-uuid", Some(&session), None).await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not-found");
    let r = call(&app, "DELETE", &uri, Some(&session), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = call(&app, "GET", "/api/v1/invoices", Some(&secret), None).await;
    assert_problem(&r, StatusCode::UNAUTHORIZED, "unauthenticated");
    let r = call(&app, "DELETE", &uri, Some(&session), None).await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not-found");

    // Both the creation and the revocation are in the audit trail, without the secret.
    let r = call(&app, "GET", "/api/v1/audit?target=access_token", Some(&session), None).await;
    let actions: Vec<_> = r.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["access_token.revoked", "access_token.created", "access_token.created"], "{}", r.text);
    assert!(r.text.contains(&id) && r.text.contains(&second));
    assert!(!r.text.contains(&secret));
}
