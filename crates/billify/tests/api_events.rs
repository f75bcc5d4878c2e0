//! The live-event stream end to end (`GET /api/v1/events`): events after an invoice is
//! created, statement imports and reconciliation, resuming with `Last-Event-ID`, pruned gaps,
//! isolation between organisations, what a viewer may see, heartbeats.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod harness;

use std::pin::Pin;
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::test;
use billify_domain::{OrganisationId, Permission};
use billify_web::{AuthRateLimiter, RateLimit, StreamSettings, WebSecurity};
use harness::*;
use serde_json::{Value, json};

/// One parsed SSE frame.
#[derive(Debug, Clone)]
struct Frame {
    id: Option<i64>,
    event: Option<String>,
    data: Value,
}

/// The frames of an SSE text (comments and `retry:` skipped).
fn frames(text: &str) -> Vec<Frame> {
    text.split("\n\n")
        .filter(|f| !f.trim().is_empty())
        .filter_map(|f| {
            let mut frame = Frame { id: None, event: None, data: Value::Null };
            let mut any = false;
            for line in f.lines() {
                if let Some(v) = line.strip_prefix("id: ") {
                    frame.id = Some(v.parse().unwrap());
                    any = true;
                } else if let Some(v) = line.strip_prefix("event: ") {
                    frame.event = Some(v.to_owned());
                } else if let Some(v) = line.strip_prefix("data: ") {
                    frame.data = serde_json::from_str(v).unwrap();
                }
            }
            any.then_some(frame)
        })
        .collect()
}

fn named(frames: &[Frame]) -> Vec<(i64, String)> {
    frames.iter().filter_map(|f| Some((f.id?, f.event.clone()?))).collect()
}

/// Reads the events after `after` without following (`?stream=false`).
async fn backlog<S, B>(app: &S, token: &str, organisation: Option<&str>, last_event_id: Option<&str>) -> Reply
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let mut req = test::TestRequest::get()
        .uri("/api/v1/events?stream=false")
        .insert_header(("Authorization", format!("Bearer {token}")));
    if let Some(id) = last_event_id {
        req = req.insert_header(("Last-Event-ID", id));
    }
    if let Some(o) = organisation {
        req = req.insert_header(("X-Billify-Organisation", o));
    }
    harness::api::raw(app, req).await
}

/// An open stream: the response body, read chunk by chunk.
struct Open {
    body: Pin<Box<actix_web::body::BoxBody>>,
    text: String,
}

impl Open {
    async fn connect<S, B>(app: &S, token: &str, last_event_id: Option<&str>) -> Open
    where
        S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
        B: MessageBody + 'static,
    {
        let mut req =
            test::TestRequest::get().uri("/api/v1/events").insert_header(("Authorization", format!("Bearer {token}")));
        if let Some(id) = last_event_id {
            req = req.insert_header(("Last-Event-ID", id));
        }
        let resp = test::call_service(app, req.to_request()).await;
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(resp.headers().get("content-type").unwrap(), "text/event-stream");
        assert_eq!(resp.headers().get("cache-control").unwrap(), "no-store");
        Open { body: Box::pin(resp.map_into_boxed_body().into_body()), text: String::new() }
    }

    /// Reads until the text holds `needle` (a stuck stream fails after a minute rather than hang).
    async fn until(&mut self, needle: &str) -> &str {
        while !self.text.contains(needle) {
            let next = std::future::poll_fn(|cx| self.body.as_mut().poll_next(cx));
            let chunk = tokio::time::timeout(Duration::from_secs(60), next)
                .await
                .unwrap_or_else(|_| panic!("no {needle:?} in the stream: {}", self.text))
                .expect("the stream ended")
                .unwrap();
            self.text.push_str(std::str::from_utf8(&chunk).unwrap());
        }
        &self.text
    }
}

#[actix_web::test]
async fn events_appear_on_an_open_stream_after_an_invoice_is_created() {
    let h = harness();
    let app = app!(h);
    let (_, token) = owner(&app, "anna@example.be").await;
    let r = call(&app, "POST", "/api/v1/invoices", Some(&token), Some(invoice("INV-1"))).await;
    assert_eq!(r.status, StatusCode::CREATED);
    // A new stream starts at the latest event: the invoice above is not replayed.
    let mut stream = Open::connect(&app, &token, None).await;
    let opening = stream.until("\n\n").await.to_owned();
    assert!(opening.starts_with("retry: 3000\nid: 2\n\n"), "{opening}");
    let r = call(&app, "POST", "/api/v1/invoices", Some(&token), Some(invoice("INV-2"))).await;
    let id = r.body["id"].as_str().unwrap().to_owned();
    let text = stream.until("event: forecast.changed").await.to_owned();
    let got = frames(&text);
    assert_eq!(named(&got), vec![(3, "invoice.created".into()), (4, "forecast.changed".into())]);
    let created = got.iter().find(|f| f.event.as_deref() == Some("invoice.created")).unwrap();
    assert_eq!(created.data["type"], "invoice.created");
    assert_eq!(created.data["id"], 3);
    assert_eq!(created.data["data"], json!({"invoice_id": id, "version": 1}));
    assert!(created.data["created_at"].as_str().unwrap().starts_with("2026-03-02T09:00:00"));
    // A change and a deletion are `invoice.changed`.
    let r = call(
        &app,
        "PATCH",
        &format!("/api/v1/invoices/{id}"),
        Some(&token),
        Some(json!({"version": 1, "due_date": "2026-04-01"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = call(&app, "DELETE", &format!("/api/v1/invoices/{id}"), Some(&token), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let text = stream.until("\"deleted\":true").await.to_owned();
    let changed: Vec<Value> = frames(&text)
        .into_iter()
        .filter(|f| f.event.as_deref() == Some("invoice.changed"))
        .map(|f| f.data["data"].clone())
        .collect();
    assert_eq!(changed, vec![json!({"invoice_id": id, "version": 2}), json!({"invoice_id": id, "deleted": true})]);
}

#[actix_web::test]
async fn a_statement_import_and_its_reconciliation_publish_matches_and_forecast_changes() {
    let h = harness();
    let app = app!(h);
    let (_, token) = owner(&app, "anna@example.be").await;
    let body = json!({"direction": "receivable", "invoice_number": "F-1", "counterparty": {"name": "Acme NV"},
        "issue_date": "2024-02-01", "due_date": "2024-03-05", "total": "1210.00", "payment_reference": "+++202/4000/12363+++"});
    let r = call(&app, "POST", "/api/v1/invoices", Some(&token), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let invoice_id = r.body["id"].as_str().unwrap().to_owned();
    let r = send(&app, "POST", "/api/v1/bank/statements", Some(&token), None, Body::File(CAMT)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    while h.state.sync.run_next_job("events").unwrap().is_some() {}
    let r = backlog(&app, &token, None, Some("2")).await;
    assert_eq!(r.status, StatusCode::OK);
    let got = frames(&r.text);
    let kinds: Vec<String> = got.iter().filter_map(|f| f.event.clone()).collect();
    assert_eq!(kinds, vec!["forecast.changed", "match.applied", "forecast.changed"], "{}", r.text);
    let applied = &got.iter().find(|f| f.event.as_deref() == Some("match.applied")).unwrap().data["data"];
    assert_eq!(applied["count"], 1);
    assert_eq!(applied["matches"][0]["invoice_id"], invoice_id.as_str());
    assert_eq!(got[1].data["data"]["cause"], "bank");
    // Undoing the match is `match.undone`.
    let match_id = applied["matches"][0]["match_id"].as_str().unwrap();
    let r = call(&app, "DELETE", &format!("/api/v1/reconciliation/matches/{match_id}"), Some(&token), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = backlog(&app, &token, None, Some("5")).await;
    let got = frames(&r.text);
    assert_eq!(
        got.iter().filter_map(|f| f.event.clone()).collect::<Vec<_>>(),
        vec!["match.undone", "forecast.changed"]
    );
    assert_eq!(got[1].data["data"]["match_id"], match_id);
}

#[actix_web::test]
async fn last_event_id_resumes_without_loss_and_a_pruned_gap_says_reset() {
    let h = harness();
    let app = app!(h);
    let (_, token) = owner(&app, "anna@example.be").await;
    for n in 1..=3 {
        let r = call(&app, "POST", "/api/v1/invoices", Some(&token), Some(invoice(&format!("INV-{n}")))).await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    // Six events: created and forecast for each invoice.
    let all = backlog(&app, &token, None, Some("0")).await;
    let ids: Vec<i64> = named(&frames(&all.text)).into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids, vec![1, 2, 3, 4, 5, 6]);
    let r = backlog(&app, &token, None, Some("4")).await;
    assert_eq!(named(&frames(&r.text)), vec![(5, "invoice.created".into()), (6, "forecast.changed".into())]);
    // `?after=` does the same for clients that cannot set the header.
    let req = test::TestRequest::get()
        .uri("/api/v1/events?stream=false&after=5")
        .insert_header(("Authorization", format!("Bearer {token}")));
    let r = harness::api::raw(&app, req).await;
    assert_eq!(named(&frames(&r.text)), vec![(6, "forecast.changed".into())]);
    // A following stream resumed from 4 replays 5 and 6 first, then goes on.
    let mut stream = Open::connect(&app, &token, Some("4")).await;
    stream.until("id: 6\n").await;
    call(&app, "POST", "/api/v1/invoices", Some(&token), Some(invoice("INV-4"))).await;
    let text = stream.until("id: 8\n").await.to_owned();
    let ids: Vec<i64> = frames(&text).iter().filter(|f| f.event.is_some()).filter_map(|f| f.id).collect();
    assert_eq!(ids, vec![5, 6, 7, 8], "each once, in order");
    // Events older than the retention window are pruned: a client behind them gets `reset`.
    h.clock.advance(time::Duration::hours(25));
    let token = login(&app, "anna@example.be", None).await;
    call(&app, "POST", "/api/v1/invoices", Some(&token), Some(invoice("INV-5"))).await;
    assert_eq!(h.state.events.prune().unwrap(), 8);
    let r = backlog(&app, &token, None, Some("3")).await;
    assert_eq!(
        named(&frames(&r.text)),
        vec![(8, "reset".into()), (9, "invoice.created".into()), (10, "forecast.changed".into())],
        "events 4 to 8 are gone: {}",
        r.text
    );
    // A cursor no event ever had is a gap too; a malformed one is refused naming the header.
    let r = backlog(&app, &token, None, Some("99")).await;
    assert!(r.text.contains("event: reset"), "{}", r.text);
    let r = backlog(&app, &token, None, Some("soon")).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert!(r.text.contains("last-event-id"), "{}", r.text);
}

#[actix_web::test]
async fn another_organisations_events_never_appear() {
    let h = harness();
    let app = app!(h);
    let (a_org, a) = owner(&app, "anna@example.be").await;
    let (_, b) = owner(&app, "bert@example.be").await;
    let mut b_stream = Open::connect(&app, &b, Some("0")).await;
    let r = call(&app, "POST", "/api/v1/invoices", Some(&a), Some(invoice("A-SECRET-1"))).await;
    let a_invoice = r.body["id"].as_str().unwrap().to_owned();
    // B's own event comes next on B's stream: A's, published before it, never did.
    let r = call(&app, "POST", "/api/v1/invoices", Some(&b), Some(invoice("B-1"))).await;
    let b_invoice = r.body["id"].as_str().unwrap().to_owned();
    let text = b_stream.until(&b_invoice).await.to_owned();
    assert!(!text.contains(&a_invoice), "{text}");
    assert_eq!(named(&frames(&text))[0], (1, "invoice.created".into()));
    let r = backlog(&app, &b, None, Some("0")).await;
    assert!(!r.text.contains(&a_invoice), "{}", r.text);
    // Naming A's organisation as a non-member is "not found".
    let r = backlog(&app, &b, Some(&a_org), Some("0")).await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not-found");
    let r = backlog(&app, &a, None, Some("0")).await;
    assert!(r.text.contains(&a_invoice));
}

#[actix_web::test]
async fn a_viewer_sees_only_what_viewers_may_read() {
    let h = harness();
    let app = app!(h);
    let (org, owner_token) = owner(&app, "anna@example.be").await;
    let (_, viewer) = member(&app, &owner_token, &org, "vera@example.be", "viewer").await;
    let organisation: OrganisationId = org.parse().unwrap();
    let publisher = h.state.events.publisher();
    let for_admins = uuid::Uuid::now_v7();
    let for_everyone = uuid::Uuid::now_v7();
    publisher
        .notification_created(organisation, for_admins, "integration_reconsent", Permission::ManageIntegrations)
        .unwrap();
    publisher.notification_created(organisation, for_everyone, "payable_due", Permission::ReadData).unwrap();
    let r = call(&app, "POST", "/api/v1/invoices", Some(&owner_token), Some(invoice("INV-1"))).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let seen = |text: &str| named(&frames(text)).into_iter().filter(|(id, _)| *id > 0).collect::<Vec<_>>();
    let r = backlog(&app, &viewer, None, Some("0")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        seen(&r.text),
        vec![(2, "notification.created".into()), (3, "invoice.created".into()), (4, "forecast.changed".into())]
    );
    assert!(!r.text.contains(&for_admins.to_string()), "{}", r.text);
    let r = backlog(&app, &owner_token, None, Some("0")).await;
    assert_eq!(seen(&r.text).len(), 4, "the owner sees all: {}", r.text);
    assert!(r.text.contains(&for_admins.to_string()));
    // A read-only access token acts as a viewer.
    let r = call(&app, "POST", "/api/v1/auth/tokens", Some(&owner_token), Some(json!({"name": "s", "scope": "read"})))
        .await;
    let read_token = r.body["secret"].as_str().unwrap().to_owned();
    let r = backlog(&app, &read_token, None, Some("0")).await;
    assert!(!r.text.contains(&for_admins.to_string()), "{}", r.text);
    // A following viewer's stream skips the event it may not see and delivers the next.
    let mut stream = Open::connect(&app, &viewer, None).await;
    stream.until("\n\n").await;
    publisher.notification_created(
        organisation,
        uuid::Uuid::now_v7(),
        "integration_reconsent",
        Permission::ManageIntegrations,
    );
    let last = publisher.notification_created(organisation, for_everyone, "payable_due", Permission::ReadData).unwrap();
    let text = stream.until(&format!("id: {}\n", last.id)).await.to_owned();
    assert_eq!(named(&frames(&text)), vec![(last.id, "notification.created".into())]);
}

#[actix_web::test]
async fn idle_streams_get_heartbeats_and_hold_no_connection() {
    let security =
        WebSecurity::new(false, AuthRateLimiter::new(RateLimit { per_minute: 100_000, burst: 100_000 }, None));
    let h = harness_with_streams(
        security,
        StreamSettings { heartbeat: Duration::from_millis(20), max_duration: Duration::from_secs(3600) },
    );
    let app = app!(h);
    let (_, token) = owner(&app, "anna@example.be").await;
    let mut streams = Vec::new();
    // More idle streams than the store has pooled connections (4): none holds one.
    for _ in 0..12 {
        streams.push(Open::connect(&app, &token, None).await);
    }
    assert_eq!(h.state.event_hub.streams(), 12);
    for stream in &mut streams {
        stream.until(": heartbeat\n\n").await;
    }
    let r = call(&app, "POST", "/api/v1/invoices", Some(&token), Some(invoice("INV-1"))).await;
    assert_eq!(r.status, StatusCode::CREATED, "the store still answers");
    for stream in &mut streams {
        stream.until("event: invoice.created").await;
    }
    drop(streams);
    assert_eq!(h.state.event_hub.streams(), 0, "a closed stream leaves nothing behind");
}
