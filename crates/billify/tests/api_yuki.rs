//! The HTTP API end to end: connecting, configuring, listing, syncing and disconnecting the
//! Yuki accounting integration, against the loopback fake Yuki.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed expectation is a failed test")]

#[macro_use]
mod harness;

use std::sync::Arc;

use actix_web::http::StatusCode;
use billify_testkit::{FakeYuki, FakeYukiConfig};
use billify_web::{AuthRateLimiter, RateLimit, WebSecurity};
use billify_yuki::{YukiClient, YukiConfig};
use harness::api::*;
use harness::{assert_problem, call, harness_with_accounting, member};
use serde_json::json;

fn yuki_harness(fake: &FakeYuki) -> harness::Harness {
    harness_with_accounting(
        WebSecurity::new(false, AuthRateLimiter::new(RateLimit { per_minute: 100_000, burst: 100_000 }, None)),
        Some(Arc::new(YukiClient::new(YukiConfig::at(&fake.base_url())))),
    )
}

#[actix_web::test]
async fn yuki_is_connected_checked_listed_synced_and_disconnected() {
    let fake = FakeYuki::start(FakeYukiConfig {
        administrations: vec![("adm-1".into(), "Bloc BV".into()), ("adm-2".into(), "Bloc Holding".into())],
        ..FakeYukiConfig::default()
    })
    .unwrap();
    let h = yuki_harness(&fake);
    let app = app!(h);
    let (organisation, token) = harness::owner(&app, "anna@bloc.be").await;
    let t = Some(token.as_str());

    // A refused key is a 422 that says so, and nothing is stored.
    let refused = call(&app, "POST", "/api/v1/integrations/yuki/connect", t, Some(json!({"access_key": "nope"}))).await;
    assert_problem(&refused, StatusCode::UNPROCESSABLE_ENTITY, "access-key-refused");
    let listed = call(&app, "GET", "/api/v1/integrations", t, None).await;
    assert_eq!(listed.body["items"], json!([]));
    let bad =
        call(&app, "POST", "/api/v1/integrations/yuki/connect", t, Some(json!({"access_key": "", "region": "de"})))
            .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_errors(&bad), ["access_key", "region"]);
    let unknown_admin = call(
        &app,
        "POST",
        "/api/v1/integrations/yuki/connect",
        t,
        Some(json!({"access_key": fake.access_key(), "administration_id": "adm-9"})),
    )
    .await;
    assert_problem(&unknown_admin, StatusCode::UNPROCESSABLE_ENTITY, "administration-invalid");

    // A good key: connected, sealed, never returned. Two administrations: none chosen yet.
    let key = fake.access_key();
    let connected =
        call(&app, "POST", "/api/v1/integrations/yuki/connect", t, Some(json!({"access_key": key, "region": "nl"})))
            .await;
    assert_eq!(connected.status, StatusCode::CREATED, "{}", connected.body);
    assert!(!connected.text.contains(&key), "the key is never returned");
    let integration = &connected.body;
    assert_eq!(integration["kind"], "accounting");
    assert_eq!(integration["provider"], "yuki");
    assert_eq!(integration["region"], "nl");
    assert_eq!(integration["administration_id"], serde_json::Value::Null);
    assert_eq!(integration["calls"]["budget"], 800);
    assert_eq!(integration["calls"]["daily_limit"], 1000);
    let id = integration["id"].as_str().unwrap().to_owned();
    let again = call(&app, "POST", "/api/v1/integrations/yuki/connect", t, Some(json!({"access_key": key}))).await;
    assert_problem(&again, StatusCode::CONFLICT, "already-connected");

    // The first sync cannot choose the administration: it says so.
    while h.state.sync.run_next_job("w").unwrap().is_some() {}
    let status = call(&app, "GET", &format!("/api/v1/integrations/{id}"), t, None).await;
    assert_eq!(status.body["status"], "failing", "{}", status.body);
    assert!(status.body["last_error"].as_str().unwrap().contains("choose one"));

    // Choose it: synced at once.
    let chosen =
        call(&app, "PATCH", &format!("/api/v1/integrations/{id}"), t, Some(json!({"administration_id": "adm-2"})))
            .await;
    assert_eq!(chosen.status, StatusCode::OK, "{}", chosen.body);
    assert_eq!(chosen.body["administration_id"], "adm-2");
    let fixed =
        call(&app, "PATCH", &format!("/api/v1/integrations/{id}"), t, Some(json!({"administration_id": "adm-1"})))
            .await;
    assert_problem(&fixed, StatusCode::CONFLICT, "administration-fixed");
    while h.state.sync.run_next_job("w").unwrap().is_some() {}
    let status = call(&app, "GET", &format!("/api/v1/integrations/{id}"), t, None).await;
    assert_eq!(status.body["status"], "connected", "{}", status.body);
    assert!(status.body["calls"]["used_today"].as_u64().unwrap() >= 4);
    assert!(status.body["calls"]["resets_at"].as_str().unwrap().ends_with("T00:00:00Z"));
    let invoices = call(&app, "GET", "/api/v1/invoices?limit=200", t, None).await;
    assert_eq!(invoices.body["items"].as_array().unwrap().len(), fake.items().len());
    assert!(invoices.body["items"].as_array().unwrap().iter().all(|i| i["source"] == "accounting"));

    // One listing of every kind; history; sync now; flagged items; disconnect.
    let listed = call(&app, "GET", "/api/v1/integrations", t, None).await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
    let bank_listing = call(&app, "GET", "/api/v1/bank/integrations", t, None).await;
    assert_eq!(bank_listing.body["items"], listed.body["items"], "the same listing");
    let runs = call(&app, "GET", &format!("/api/v1/integrations/{id}/runs"), t, None).await;
    assert_eq!(runs.body["items"][0]["outcome"], "succeeded");
    assert_eq!(runs.body["items"][0]["new_invoices"].as_u64().unwrap() as usize, fake.items().len());
    let queued = call(&app, "POST", &format!("/api/v1/integrations/{id}/sync"), t, None).await;
    assert_eq!((queued.status, &queued.body), (StatusCode::ACCEPTED, &json!({"queued": true})));
    let flagged = call(&app, "GET", &format!("/api/v1/integrations/{id}/flagged-items"), t, None).await;
    assert_eq!(flagged.body["items"], json!([]));

    let (_, viewer) = member(&app, &token, &organisation, "vera@bloc.be", "viewer").await;
    let forbidden = call(
        &app,
        "PATCH",
        &format!("/api/v1/integrations/{id}"),
        Some(viewer.as_str()),
        Some(json!({"region": "be"})),
    )
    .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

    let gone = call(&app, "DELETE", &format!("/api/v1/integrations/{id}"), t, None).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    let status = call(&app, "GET", &format!("/api/v1/integrations/{id}"), t, None).await;
    assert_eq!(status.body["status"], "disconnected");
    assert_eq!(status.body["connected"], false);
    harness::assert_no_file_holds(&h, &key);
}
