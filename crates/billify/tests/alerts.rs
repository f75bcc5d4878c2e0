//! Alerts and notifications end to end, through the server's wiring: the daily alerts (with a
//! stand-in for the forecast), the inbox, preferences and settings API, webhook endpoints with
//! signed deliveries and retries against a loopback receiver, email against a loopback SMTP
//! sink, and workers of two "processes" sharing one database never delivering twice.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

#[macro_use]
mod harness;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use actix_web::http::StatusCode;
use billify_app::{BalanceOutlook, OutlookError};
use billify_domain::{Currency, Money, OrganisationId};
use billify_ports::Clock;
use billify_testkit::{SmtpSink, WebhookReceiver};
use harness::*;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use time::macros::{date, datetime};
use time::{Date, Duration};

/// The forecast's stand-in: a fixed lowest balance per organisation.
#[derive(Default)]
struct FixedOutlook(Mutex<BTreeMap<OrganisationId, (Date, Money)>>);

impl BalanceOutlook for FixedOutlook {
    fn lowest_balance(
        &self,
        organisation: OrganisationId,
        today: Date,
        days: u32,
    ) -> Result<Vec<(Currency, Date, Money)>, OutlookError> {
        assert_eq!(days, 90, "the forecast window");
        Ok(self
            .0
            .lock()
            .unwrap()
            .get(&organisation)
            .filter(|(d, _)| *d >= today)
            .map(|(d, m)| vec![(m.currency(), *d, m.clone())])
            .unwrap_or_default())
    }
}

fn eur(text: &str) -> Money {
    Money::parse(text, Currency::EUR).unwrap()
}

fn org(id: &str) -> OrganisationId {
    OrganisationId::from_uuid(id.parse().unwrap())
}

fn document(direction: &str, number: &str, due: &str) -> Value {
    json!({"direction": direction, "invoice_number": number, "counterparty": {"name": "Bloc Group BV"},
        "issue_date": "2025-09-01", "due_date": due, "total": "382.06"})
}

fn kinds(items: &Value) -> Vec<String> {
    let mut k: Vec<String> = items.as_array().unwrap().iter().map(|i| i["kind"].as_str().unwrap().to_owned()).collect();
    k.sort();
    k
}

/// Runs every due job.
/// An outlook that sees no low balance: these tests control which alerts exist (without it,
/// the wiring looks ahead with the real forecast).
fn no_outlook() -> Option<Arc<dyn billify_app::BalanceOutlook>> {
    Some(Arc::new(FixedOutlook::default()))
}

fn drain(h: &Harness) -> usize {
    let mut n = 0;
    while h.state.sync.run_next_job("test-worker").unwrap().is_some() {
        n += 1;
    }
    n
}

#[actix_web::test]
async fn the_daily_alerts_raise_each_kind_once_for_the_members_who_want_it() {
    let outlook = Arc::new(FixedOutlook::default());
    let h = harness_with_alerts(Some(outlook.clone()), None);
    // 06:30 in Brussels: not yet the morning.
    *h.clock.0.lock().unwrap() = datetime!(2026-03-02 05:30 UTC);
    let app = app!(h);
    let (organisation, owner_token) = owner(&app, "anna@bloc.be").await;
    let (_, viewer_token) = member(&app, &owner_token, &organisation, "vera@bloc.be", "viewer").await;
    let o = Some(owner_token.as_str());
    // Today is 2026-03-02 in Brussels. Due in 3 days; in 9 days (outside the 7-day window);
    // a receivable due yesterday; one overdue for months (reported long ago).
    for body in [
        document("payable", "P-SOON", "2026-03-05"),
        document("payable", "P-LATER", "2026-03-11"),
        document("receivable", "R-LATE", "2026-03-01"),
        document("receivable", "R-ANCIENT", "2025-10-01"),
    ] {
        assert_eq!(call(&app, "POST", "/api/v1/invoices", o, Some(body)).await.status, StatusCode::CREATED);
    }
    // New invoices queue a reconciliation run: let it run before the alerts are counted.
    drain(&h);
    outlook.0.lock().unwrap().insert(org(&organisation), (date!(2026 - 04 - 14), eur("-1250.40")));
    // Vera wants no low-balance notification in the application.
    let r = call(
        &app,
        "PATCH",
        "/api/v1/notifications/preferences",
        Some(&viewer_token),
        Some(json!({"items": [{"kind": "low_balance", "channel": "in_app", "enabled": false}]})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    assert_eq!(h.state.sync.schedule_alerts().unwrap(), 0);
    *h.clock.0.lock().unwrap() = datetime!(2026-03-02 06:10 UTC);
    assert_eq!(h.state.sync.schedule_alerts().unwrap(), 1, "07:10 in Brussels");
    assert_eq!(h.state.sync.schedule_alerts().unwrap(), 0, "queued once");
    assert_eq!(drain(&h), 1);
    assert_eq!(h.state.sync.schedule_alerts().unwrap(), 0, "ran today");

    let r = call(&app, "GET", "/api/v1/notifications", o, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(kinds(&r.body["items"]), vec!["low_balance", "payable_due_soon", "receivable_overdue"], "{}", r.text);
    let items = r.body["items"].as_array().unwrap();
    let payable = items.iter().find(|i| i["kind"] == "payable_due_soon").unwrap();
    assert_eq!(payable["data"]["invoice_number"], "P-SOON");
    assert_eq!(payable["title"], "Payable P-SOON is due in 3 days, on 2026-03-05");
    assert_eq!(payable["read"], false);
    let low = items.iter().find(|i| i["kind"] == "low_balance").unwrap();
    assert_eq!((low["data"]["balance"].as_str(), low["data"]["date"].as_str()), (Some("-1250.40"), Some("2026-04-14")));
    let late = items.iter().find(|i| i["kind"] == "receivable_overdue").unwrap();
    assert_eq!(late["data"]["invoice_number"], "R-LATE");
    let r = call(&app, "GET", "/api/v1/notifications", Some(&viewer_token), None).await;
    assert_eq!(kinds(&r.body["items"]), vec!["payable_due_soon", "receivable_overdue"], "vera's preference");

    // The next morning: the same facts raise nothing new but the day's low balance.
    *h.clock.0.lock().unwrap() = datetime!(2026-03-03 07:00 UTC);
    assert_eq!(h.state.sync.schedule_alerts().unwrap(), 1);
    drain(&h);
    let owner_token = login(&app, "anna@bloc.be", None).await;
    let viewer_token = login(&app, "vera@bloc.be", None).await;
    let o = Some(owner_token.as_str());
    let r = call(&app, "GET", "/api/v1/notifications", o, None).await;
    assert_eq!(kinds(&r.body["items"]), vec!["low_balance", "low_balance", "payable_due_soon", "receivable_overdue"]);
    // Above the threshold, no alert; the threshold is the organisation's.
    let r = call(
        &app,
        "PATCH",
        "/api/v1/notifications/settings",
        o,
        Some(json!({"balance_threshold_minor": -200000, "payable_days": 14})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body, json!({"payable_days": 14, "balance_threshold_minor": -200000}));
    let report = h.state.alerts.raise_alerts(org(&organisation), date!(2026 - 03 - 04)).unwrap();
    assert_eq!(report.raised, 1, "P-LATER is now within 14 days; -1250.40 is above -2000.00");
    let r = call(&app, "GET", "/api/v1/notifications/settings", Some(&viewer_token), None).await;
    assert_eq!(r.body["payable_days"], 14);
}

#[actix_web::test]
async fn members_list_and_mark_their_own_notifications_read() {
    let h = harness_with_alerts(no_outlook(), None);
    let app = app!(h);
    let (organisation, owner_token) = owner(&app, "anna@bloc.be").await;
    let (_, viewer_token) = member(&app, &owner_token, &organisation, "vera@bloc.be", "viewer").await;
    let o = Some(owner_token.as_str());
    for n in ["P-1", "P-2"] {
        call(&app, "POST", "/api/v1/invoices", o, Some(document("payable", n, "2026-03-04"))).await;
    }
    assert_eq!(h.state.alerts.raise_alerts(org(&organisation), date!(2026 - 03 - 02)).unwrap().raised, 2);
    let r = call(&app, "GET", "/api/v1/notifications?unread=true", o, None).await;
    let ids: Vec<String> =
        r.body["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids.len(), 2);
    let uri = format!("/api/v1/notifications/{}/read", ids[0]);
    assert_eq!(call(&app, "POST", &uri, o, None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(call(&app, "POST", &uri, o, None).await.status, StatusCode::NO_CONTENT, "idempotent");
    let r = call(&app, "GET", "/api/v1/notifications?unread=true", o, None).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    let r = call(&app, "GET", "/api/v1/notifications", o, None).await;
    let read = r.body["items"].as_array().unwrap().iter().find(|i| i["id"] == ids[0].as_str()).unwrap().clone();
    assert_eq!(read["read"], true);
    assert!(read["read_at"].is_string());
    // Vera's copies are hers: still unread.
    let r = call(&app, "GET", "/api/v1/notifications?unread=true", Some(&viewer_token), None).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 2);
    let r = call(&app, "POST", "/api/v1/notifications/read-all", Some(&viewer_token), None).await;
    assert_eq!(r.body["marked_read"], 2);
    let r = call(&app, "GET", "/api/v1/notifications?unread=true", Some(&viewer_token), None).await;
    assert!(r.body["items"].as_array().unwrap().is_empty());
    // Unknown or malformed ids are not found; bad parameters are named.
    let r = call(&app, "POST", "/api/v1/notifications/0194b3a0-0000-7000-8000-000000000000/read", o, None).await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not-found");
    assert_eq!(call(&app, "POST", "/api/v1/notifications/nope/read", o, None).await.status, StatusCode::NOT_FOUND);
    let r = call(&app, "GET", "/api/v1/notifications?unread=maybe", o, None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("unread"), "{}", r.text);
}

#[actix_web::test]
async fn preferences_default_on_and_change_per_kind_and_channel() {
    let h = harness();
    let app = app!(h);
    let (_, token) = owner(&app, "anna@bloc.be").await;
    let t = Some(token.as_str());
    let r = call(&app, "GET", "/api/v1/notifications/preferences", t, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["email_configured"], false);
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 10, "5 kinds, 2 channels");
    assert!(items.iter().all(|i| i["enabled"] == true));
    let body = json!({"items": [{"kind": "payable_due_soon", "channel": "email", "enabled": false}]});
    let r = call(&app, "PATCH", "/api/v1/notifications/preferences", t, Some(body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let off: Vec<&Value> = r.body["items"].as_array().unwrap().iter().filter(|i| i["enabled"] == false).collect();
    assert_eq!(off.len(), 1);
    assert_eq!((off[0]["kind"].as_str(), off[0]["channel"].as_str()), (Some("payable_due_soon"), Some("email")));
    let bad = json!({"items": [{"kind": "weather", "channel": "webhook", "enabled": true}]});
    let r = call(&app, "PATCH", "/api/v1/notifications/preferences", t, Some(bad)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("items[0].kind") && r.text.contains("items[0].channel"), "{}", r.text);
}

#[actix_web::test]
async fn admins_manage_webhook_endpoints_whose_secret_is_shown_once() {
    let h = harness();
    let app = app!(h);
    let (organisation, owner_token) = owner(&app, "anna@bloc.be").await;
    let (_, accountant) = member(&app, &owner_token, &organisation, "acc@bloc.be", "accountant").await;
    let o = Some(owner_token.as_str());
    let body = json!({"url": "https://hooks.bloc.be/billify", "kinds": ["low_balance", "payable_due_soon"]});
    let r = call(&app, "POST", "/api/v1/webhooks", o, Some(body.clone())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.headers.get("cache-control").unwrap(), "no-store");
    let id = r.body["id"].as_str().unwrap().to_owned();
    let secret = r.body["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_") && secret.len() > 40, "{secret}");
    assert_eq!(r.body["kinds"], json!(["low_balance", "payable_due_soon"]));
    let r = call(&app, "GET", "/api/v1/webhooks", o, None).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    assert!(!r.text.contains(&secret), "the secret is shown once");
    assert_problem(
        &call(&app, "GET", "/api/v1/webhooks", Some(&accountant), None).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    assert_problem(
        &call(&app, "POST", "/api/v1/webhooks", Some(&accountant), Some(body)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    // The secret is stored sealed, never in clear.
    let sealed: Vec<_> = billify_ports::SealedSecretStore::sealed_secrets(h.store.as_ref()).unwrap();
    let (_, stored) = sealed.iter().find(|(r, _)| r.kind == "webhook.secret").unwrap();
    assert!(stored.starts_with("v1.") && !stored.contains(&secret));
    for (url, why) in [
        ("http://hooks.bloc.be/x", "plain http off loopback"),
        ("https://user:pw@hooks.bloc.be/x", "credentials"),
        ("hooks.bloc.be", "no scheme"),
    ] {
        let r = call(&app, "POST", "/api/v1/webhooks", o, Some(json!({"url": url}))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{why}: {}", r.text);
    }
    let r = call(&app, "POST", "/api/v1/webhooks", o, Some(json!({"url": "https://h.be/x", "kinds": ["rain"]}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("kinds[0]"), "{}", r.text);
    let r = call(&app, "GET", &format!("/api/v1/webhooks/{id}/deliveries"), o, None).await;
    assert_eq!(r.body["items"], json!([]));
    assert_eq!(call(&app, "DELETE", &format!("/api/v1/webhooks/{id}"), o, None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(call(&app, "DELETE", &format!("/api/v1/webhooks/{id}"), o, None).await.status, StatusCode::NOT_FOUND);
    let r = call(&app, "GET", "/api/v1/audit?action=webhook.created", o, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.text.contains("hooks.bloc.be") && !r.text.contains(&secret), "{}", r.text);
}

fn check_signature(secret: &str, timestamp: &str, body: &[u8], signature: &str) -> bool {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body);
    signature == format!("v1={}", hex::encode(mac.finalize().into_bytes()))
}

#[actix_web::test]
async fn webhooks_are_signed_retried_with_backoff_and_logged() {
    let receiver = WebhookReceiver::start().unwrap();
    receiver.answer_with(&[500]);
    let h = harness_with_alerts(no_outlook(), None);
    let app = app!(h);
    let (organisation, owner_token) = owner(&app, "anna@bloc.be").await;
    let o = Some(owner_token.as_str());
    let body = json!({"url": receiver.url("/hooks/billify"), "kinds": ["payable_due_soon"]});
    let r = call(&app, "POST", "/api/v1/webhooks", o, Some(body)).await;
    let (endpoint, secret) = (r.body["id"].as_str().unwrap().to_owned(), r.body["secret"].as_str().unwrap().to_owned());
    call(&app, "POST", "/api/v1/invoices", o, Some(document("payable", "P-1", "2026-03-03"))).await;
    call(&app, "POST", "/api/v1/invoices", o, Some(document("receivable", "R-1", "2026-03-01"))).await;
    drain(&h); // the reconciliation runs the new invoices queued
    assert_eq!(h.state.alerts.raise_alerts(org(&organisation), date!(2026 - 03 - 02)).unwrap().raised, 2);

    assert_eq!(drain(&h), 1, "one delivery: the endpoint takes payables only");
    assert_eq!(receiver.requests().len(), 1);
    assert_eq!(drain(&h), 0, "the retry waits 30 seconds");
    let log = call(&app, "GET", &format!("/api/v1/webhooks/{endpoint}/deliveries"), o, None).await;
    assert_eq!(log.body["items"][0]["status"], "pending");
    assert_eq!(log.body["items"][0]["attempts"], 1);
    assert_eq!(log.body["items"][0]["response_status"], 500);
    h.clock.advance(Duration::seconds(31));
    assert_eq!(drain(&h), 1);
    let requests = receiver.requests();
    assert_eq!(requests.iter().map(|r| r.answered).collect::<Vec<_>>(), vec![500, 200]);
    let delivery = requests[0].header("x-billify-delivery").unwrap();
    assert_eq!(requests[1].header("x-billify-delivery"), Some(delivery), "the same delivery id on every try");
    for r in &requests {
        let timestamp = r.header("x-billify-timestamp").unwrap();
        assert!(check_signature(&secret, timestamp, &r.body, r.header("x-billify-signature").unwrap()));
        assert!(!check_signature("whsec_other", timestamp, &r.body, r.header("x-billify-signature").unwrap()));
        assert_eq!(r.header("x-billify-event"), Some("payable_due_soon"));
    }
    let second: i64 = requests[1].header("x-billify-timestamp").unwrap().parse().unwrap();
    assert_eq!(second, h.clock.now().unix_timestamp(), "signed when sent");
    let sent: Value = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(sent["type"], "payable_due_soon");
    assert_eq!(sent["id"], delivery);
    assert_eq!(sent["notification"]["data"]["invoice_number"], "P-1");
    let log = call(&app, "GET", &format!("/api/v1/webhooks/{endpoint}/deliveries"), o, None).await;
    let entry = &log.body["items"][0];
    assert_eq!((entry["status"].as_str(), entry["attempts"].as_i64()), (Some("sent"), Some(2)));
    assert_eq!(entry["response_status"], 200);
    h.clock.advance(Duration::hours(3));
    assert_eq!(drain(&h), 0, "sent once: nothing left");
    assert_eq!(receiver.requests().len(), 2);
}

#[actix_web::test]
async fn a_webhook_that_keeps_failing_is_given_up_after_its_last_try() {
    let receiver = WebhookReceiver::start().unwrap();
    receiver.answer_with(&[503; 10]);
    let h = harness_with_alerts(no_outlook(), None);
    let app = app!(h);
    let (organisation, owner_token) = owner(&app, "anna@bloc.be").await;
    let o = Some(owner_token.as_str());
    let r = call(&app, "POST", "/api/v1/webhooks", o, Some(json!({"url": receiver.url("/h")}))).await;
    let endpoint = r.body["id"].as_str().unwrap().to_owned();
    call(&app, "POST", "/api/v1/invoices", o, Some(document("payable", "P-1", "2026-03-03"))).await;
    h.state.alerts.raise_alerts(org(&organisation), date!(2026 - 03 - 02)).unwrap();
    for _ in 0..10 {
        drain(&h);
        h.clock.advance(Duration::hours(3));
    }
    assert_eq!(receiver.requests().len(), 6, "six tries");
    // A day and more went by: the session idled out.
    let token = login(&app, "anna@bloc.be", None).await;
    let log = call(&app, "GET", &format!("/api/v1/webhooks/{endpoint}/deliveries"), Some(&token), None).await;
    assert_eq!(log.body["items"][0]["status"], "failed");
    assert_eq!(log.body["items"][0]["attempts"], 6);
    assert_eq!(log.body["items"][0]["last_error"], "the receiver answered HTTP 503");
}

#[actix_web::test]
async fn email_goes_over_smtp_to_the_members_who_want_it() {
    let sink = SmtpSink::start().unwrap();
    let mailer = billify_notify::SmtpMailer::new(&billify_notify::SmtpSettings {
        host: "127.0.0.1".into(),
        port: sink.addr().port(),
        security: billify_notify::SmtpSecurity::Plain,
        credentials: None,
        from: "Billify <alerts@billify.example>".into(),
        timeout: std::time::Duration::from_secs(5),
    })
    .unwrap();
    let h = harness_with_alerts(no_outlook(), Some(Arc::new(mailer)));
    let app = app!(h);
    let (organisation, owner_token) = owner(&app, "anna@bloc.be").await;
    let (_, viewer_token) = member(&app, &owner_token, &organisation, "vera@bloc.be", "viewer").await;
    let o = Some(owner_token.as_str());
    let r = call(&app, "GET", "/api/v1/notifications/preferences", o, None).await;
    assert_eq!(r.body["email_configured"], true);
    let off = json!({"items": [{"kind": "receivable_overdue", "channel": "email", "enabled": false}]});
    call(&app, "PATCH", "/api/v1/notifications/preferences", Some(&viewer_token), Some(off)).await;
    call(&app, "POST", "/api/v1/invoices", o, Some(document("payable", "P-1", "2026-03-03"))).await;
    call(&app, "POST", "/api/v1/invoices", o, Some(document("receivable", "R-1", "2026-03-01"))).await;
    drain(&h); // the reconciliation runs the new invoices queued
    assert_eq!(h.state.alerts.raise_alerts(org(&organisation), date!(2026 - 03 - 02)).unwrap().raised, 2);
    assert_eq!(drain(&h), 3, "anna: two; vera: the payable only");
    let mail = sink.mail();
    assert_eq!(mail.len(), 3);
    let to = |who: &str| mail.iter().filter(|m| m.to == vec![who.to_owned()]).collect::<Vec<_>>();
    assert_eq!(to("anna@bloc.be").len(), 2);
    let vera = to("vera@bloc.be");
    assert_eq!(vera.len(), 1);
    assert!(vera[0].data.contains("Subject: [Billify] Payable P-1 is due tomorrow"), "{}", vera[0].data);
    assert_eq!(vera[0].from, "alerts@billify.example");
    assert_eq!(drain(&h), 0);
}

/// Two wired "processes" over one database, each with two worker threads, deliver forty
/// notifications to one endpoint: every delivery arrives exactly once.
fn two_processes_deliver_each_notification_once(stores: [Arc<dyn billify::wiring::Store>; 2]) {
    let receiver = WebhookReceiver::start().unwrap();
    let clock = Arc::new(TestClock(Mutex::new(datetime!(2026-03-02 09:00 UTC))));
    let dir = tempfile::tempdir().unwrap();
    let [a, b] = stores;
    let one = services_on(a, clock.clone(), dir.path(), no_outlook(), None);
    let two = services_on(b, clock.clone(), dir.path(), no_outlook(), None);
    let registration = billify_app::Registration {
        organisation_name: "Bloc Group BV".into(),
        name: "Anna".into(),
        email: format!("anna-{}@bloc.be", uuid::Uuid::now_v7()),
        password: PASSWORD.into(),
        vat_number: None,
    };
    let (organisation, user) = one.accounts.register(registration).unwrap();
    let actor = billify_app::Actor {
        user_id: user.id,
        organisation_id: organisation.id,
        role: billify_domain::Role::Owner,
        ip: None,
    };
    one.alerts.create_endpoint(&actor, &receiver.url("/hook"), vec![]).unwrap();
    for n in 0..40 {
        let new = billify_domain::NewInvoice {
            direction: billify_domain::Direction::Payable,
            kind: billify_domain::InvoiceKind::Invoice,
            corrects: None,
            invoice_number: billify_domain::InvoiceNumber::parse(&format!("P-{n}")).unwrap(),
            counterparty: billify_domain::Counterparty::new("Bloc Group BV", None, None, None).unwrap(),
            issue_date: date!(2026 - 02 - 01),
            due_date: date!(2026 - 03 - 04),
            subtotal: None,
            vat_amount: None,
            total: eur("382.06"),
            amount_paid: None,
            manual_urgency: None,
            payment_reference: None,
            source: billify_domain::InvoiceSource::Manual,
            external_reference: None,
        };
        one.invoices.create(&actor, new).unwrap();
    }
    assert_eq!(one.alerts.raise_alerts(actor.organisation_id, date!(2026 - 03 - 02)).unwrap().raised, 40);
    assert_eq!(two.alerts.raise_alerts(actor.organisation_id, date!(2026 - 03 - 02)).unwrap().raised, 0, "once");
    std::thread::scope(|s| {
        for (n, services) in [&one, &one, &two, &two].into_iter().enumerate() {
            s.spawn(move || {
                let worker = format!("worker-{n}");
                while services.sync.run_next_job(&worker).unwrap().is_some() {}
            });
        }
    });
    let requests = receiver.requests();
    let mut ids: Vec<&str> = requests.iter().map(|r| r.header("x-billify-delivery").unwrap()).collect();
    ids.sort();
    let before = ids.len();
    ids.dedup();
    assert_eq!((before, ids.len()), (40, 40), "each delivered exactly once");
}

#[test]
fn two_processes_never_deliver_twice_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("shared.db").display());
    let first = billify_store_sqlite::SqliteStore::open(&url, 4).unwrap();
    first.run_migrations().unwrap();
    let second = billify_store_sqlite::SqliteStore::open(&url, 4).unwrap();
    two_processes_deliver_each_notification_once([Arc::new(first), Arc::new(second)]);
}

#[test]
fn two_processes_never_deliver_twice_on_postgres() {
    let Ok(url) = std::env::var("BILLIFY_TEST_DATABASE_URL") else {
        eprintln!("BILLIFY_TEST_DATABASE_URL is not set: skipping the PostgreSQL half");
        return;
    };
    let schema = format!("alerts_{}", uuid::Uuid::now_v7().simple());
    billify_store_postgres::PostgresStore::create_schema(&url, &schema).unwrap();
    let open = || {
        let mut config = billify_store_postgres::PostgresConfig::new(url.clone());
        config.schema = Some(schema.clone());
        config.pool_size = 4;
        billify_store_postgres::PostgresStore::open(&config).unwrap()
    };
    let first = open();
    first.run_migrations().unwrap();
    two_processes_deliver_each_notification_once([Arc::new(first), Arc::new(open())]);
}

/// Without a stand-in the wiring looks ahead with the real forecast: a payable due in two days
/// and no money in the bank is a low projected balance. Each notification raised is announced
/// on the organisation's live events.
#[actix_web::test]
async fn the_forecast_raises_the_low_balance_alert_and_each_notification_is_a_live_event() {
    let h = harness_with_alerts(None, None);
    let app = app!(h);
    let (organisation, owner_token) = owner(&app, "anna@bloc.be").await;
    let o = Some(owner_token.as_str());
    let r = call(&app, "POST", "/api/v1/invoices", o, Some(document("payable", "P-1", "2026-03-04"))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    drain(&h);
    let report = h.state.alerts.raise_alerts(org(&organisation), date!(2026 - 03 - 02)).unwrap();
    let r = call(&app, "GET", "/api/v1/notifications", o, None).await;
    assert_eq!(kinds(&r.body["items"]), vec!["low_balance", "payable_due_soon"], "{}", r.text);
    assert_eq!(report.raised, 2);
    let req = actix_web::test::TestRequest::get()
        .uri("/api/v1/events?stream=false&after=0")
        .insert_header(("Authorization", format!("Bearer {owner_token}")));
    let events = harness::api::raw(&app, req).await;
    assert_eq!(events.text.matches("event: notification.created").count(), 2, "{}", events.text);
}
