//! The audit trail API, the organisation export (a zip, unpacked here) and the organisation's
//! deletion, end to end on a real SQLite database.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod harness;

use std::io::Read as _;

use actix_web::http::StatusCode;
use actix_web::test;
use billify_ports::audit::{AuditLog as _, GLOBAL_CHAIN, verify_chains};
use billify_ports::{AccountRepository as _, InvoiceRepository as _};
use harness::*;
use serde_json::json;

#[actix_web::test]
async fn the_audit_trail_records_changes_and_filters_and_pages_for_managers_only() {
    let h = harness();
    let app = app!(h);
    let (org, owner) = owner(&app, "anna@example.be").await;
    let (_, viewer) = member(&app, &owner, &org, "vera@example.be", "viewer").await;
    let r = call(&app, "POST", "/api/v1/invoices", Some(&owner), Some(invoice("INV-1"))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.body["id"].as_str().unwrap().to_owned();
    let r = call(
        &app,
        "PATCH",
        &format!("/api/v1/invoices/{id}"),
        Some(&owner),
        Some(json!({"version": 1, "invoice_number": "INV-1b"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    let r = call(&app, "GET", "/api/v1/audit", Some(&owner), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let actions: Vec<&str> =
        r.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    for expected in ["invoice.updated", "invoice.created", "invitation.created", "auth.login_succeeded"] {
        assert!(actions.contains(&expected), "{expected} missing from {actions:?}");
    }
    assert_eq!(actions[0], "invoice.updated", "newest first");
    assert!(!r.text.contains("$argon2") && !r.text.contains("password"), "{}", r.text);

    let r = call(&app, "GET", "/api/v1/audit?action=invoice.updated", Some(&owner), None).await;
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["before"]["invoice_number"], "INV-1");
    assert_eq!(items[0]["after"]["invoice_number"], "INV-1b");
    assert_eq!(items[0]["target"], json!({"kind": "invoice", "id": id}));

    let r = call(&app, "GET", &format!("/api/v1/audit?target=invoice&target_id={id}"), Some(&owner), None).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 2);

    // Pages of one, newest first, visit every entry once.
    let all = call(&app, "GET", "/api/v1/audit?limit=200", Some(&owner), None).await.body["items"].clone();
    let mut seen = Vec::new();
    let mut uri = "/api/v1/audit?limit=1".to_owned();
    loop {
        let r = call(&app, "GET", &uri, Some(&owner), None).await;
        seen.extend(r.body["items"].as_array().unwrap().iter().map(|e| e["seq"].clone()));
        match r.body["next_cursor"].as_str() {
            Some(c) => uri = format!("/api/v1/audit?limit=1&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, all.as_array().unwrap().iter().map(|e| e["seq"].clone()).collect::<Vec<_>>());

    let r = call(&app, "GET", "/api/v1/audit?limit=0&actor=x", Some(&owner), None).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    let r = call(&app, "GET", "/api/v1/audit", Some(&viewer), None).await;
    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");
}

#[actix_web::test]
async fn failed_logins_go_to_the_global_chain_without_the_email() {
    let h = harness();
    let app = app!(h);
    let (_, _) = owner(&app, "anna@example.be").await;
    for email in ["anna@example.be", "nobody@example.be"] {
        let r =
            call(&app, "POST", "/api/v1/auth/login", None, Some(json!({"email": email, "password": "wrong"}))).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let global = h.store.audit_chain_entries(GLOBAL_CHAIN, 0, 10).unwrap();
    assert_eq!(global.len(), 2);
    assert!(global.iter().all(|e| e.action == "auth.login_failed" && e.organisation_id.is_none()));
    assert!(global[0].target_id.is_some(), "a known account is named by its id");
    assert_eq!(global[1].target_id, None, "an unknown email names nothing");
    for e in &global {
        assert!(!format!("{e:?}").contains("nobody@example.be") && !format!("{e:?}").contains("wrong"));
    }
    assert_eq!(verify_chains(h.store.as_ref()).unwrap().broken, None);
}

async fn export_zip<S, B>(app: &S, token: &str) -> (StatusCode, Vec<u8>)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let req = test::TestRequest::get()
        .uri("/api/v1/organisation/export")
        .insert_header(("Authorization", format!("Bearer {token}")))
        .to_request();
    let resp = test::call_service(app, req).await;
    let status = resp.status();
    if status == StatusCode::OK {
        assert_eq!(resp.headers().get("content-type").unwrap(), "application/zip");
    }
    (status, test::read_body(resp).await.to_vec())
}

#[actix_web::test]
async fn the_export_holds_everything_of_the_organisation_and_no_secret() {
    let h = harness();
    let app = app!(h);
    let (org, owner) = owner(&app, "anna@example.be").await;
    let (_, other) = owner_of_other(&app).await;
    let r = call(&app, "POST", "/api/v1/invoices", Some(&owner), Some(invoice("INV-EXP-1"))).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = send(&app, "POST", "/api/v1/bank/statements", Some(&owner), None, Body::File(CAMT)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = send(&app, "POST", "/api/v1/invoices/uploads", Some(&owner), None, Body::File(UBL_INVOICE)).await;
    assert!(r.status.is_success(), "{}", r.text);
    let invitation = invite(&app, &owner, "ines@example.be", "viewer").await;
    let invitation_token = invitation["token"].as_str().unwrap().to_owned();
    let r = call(&app, "POST", "/api/v1/invoices", Some(&other), Some(invoice("INV-OTHER-9"))).await;
    assert_eq!(r.status, StatusCode::CREATED);

    let (status, bytes) = export_zip(&app, &owner).await;
    assert_eq!(status, StatusCode::OK);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut files = std::collections::BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        files.insert(file.name().to_owned(), text);
    }
    for table in [
        "organisation",
        "members",
        "invoices",
        "invoice_events",
        "drafts",
        "documents",
        "bank_accounts",
        "bank_transactions",
        "integrations",
        "sync_runs",
        "audit_log",
    ] {
        assert!(files.contains_key(&format!("{table}.json")), "{table}.json missing");
        assert!(files.contains_key(&format!("{table}.csv")), "{table}.csv missing");
    }
    assert!(files["organisation.json"].contains(&org));
    assert!(files["members.csv"].contains("anna@example.be"));
    assert!(files["invoices.csv"].contains("INV-EXP-1"));
    let invoices: serde_json::Value = serde_json::from_str(&files["invoices.json"]).unwrap();
    assert_eq!(invoices.as_array().unwrap().len(), 1, "only this organisation's invoices");
    assert!(files["invoice_events.json"].contains("invoice.created"));
    assert_eq!(serde_json::from_str::<serde_json::Value>(&files["drafts.json"]).unwrap().as_array().unwrap().len(), 1);
    assert!(
        !serde_json::from_str::<serde_json::Value>(&files["bank_transactions.json"])
            .unwrap()
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(files["audit_log.csv"].contains("organisation.exported"), "the export is audited and contains itself");
    let everything = files.values().cloned().collect::<Vec<_>>().join("\n");
    for secret in ["$argon2", &invitation_token, &owner, PASSWORD, "INV-OTHER-9"] {
        assert!(!everything.contains(secret), "the export contains {secret:?}");
    }
    let stored =
        h.store.user_by_email(&billify_domain::EmailAddress::parse("anna@example.be").unwrap()).unwrap().unwrap();
    assert!(!everything.contains(&stored.password_hash));

    // Viewers and accountants cannot export.
    let (_, viewer) = member(&app, &owner, &org, "vera@example.be", "viewer").await;
    assert_eq!(export_zip(&app, &viewer).await.0, StatusCode::FORBIDDEN);
}

async fn owner_of_other<S, B>(app: &S) -> (String, String)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    owner(app, "bert@example.nl").await
}

#[actix_web::test]
async fn deleting_the_organisation_removes_everything_and_only_it() {
    let h = harness();
    let app = app!(h);
    let (org, owner) = owner(&app, "anna@example.be").await;
    let (_, admin) = member(&app, &owner, &org, "adam@example.be", "admin").await;
    let (other_org, other) = owner_of_other(&app).await;
    let r = call(&app, "POST", "/api/v1/invoices", Some(&owner), Some(invoice("INV-1"))).await;
    let invoice_id = r.body["id"].as_str().unwrap().to_owned();
    let r = send(&app, "POST", "/api/v1/invoices/uploads", Some(&owner), None, Body::File(UBL_INVOICE)).await;
    assert!(r.status.is_success(), "{}", r.text);
    let r = call(&app, "POST", "/api/v1/invoices", Some(&other), Some(invoice("INV-2"))).await;
    let other_invoice = r.body["id"].as_str().unwrap().to_owned();
    let documents_dir = h.dir.path().join("documents");
    let files_before = walk(&documents_dir);
    assert!(!files_before.is_empty());

    let r = call(&app, "DELETE", "/api/v1/organisation", Some(&admin), Some(json!({"confirm": "Org anna@example.be"})))
        .await;
    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");
    let r = call(&app, "DELETE", "/api/v1/organisation", Some(&owner), Some(json!({"confirm": "Org anna"}))).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    let r = call(&app, "DELETE", "/api/v1/organisation", Some(&owner), Some(json!({"confirm": "Org anna@example.be"})))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);

    // Everything of the organisation is gone, its sessions too.
    for token in [&owner, &admin] {
        let r = call(&app, "GET", "/api/v1/invoices", Some(token), None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    }
    let organisation = billify_domain::OrganisationId::from_uuid(org.parse().unwrap());
    assert_eq!(h.store.organisation(organisation).unwrap(), None);
    assert_eq!(h.store.get(organisation, invoice_id.parse().unwrap()).unwrap(), None);
    assert!(walk(&documents_dir).is_empty(), "the document files are removed: {:?}", walk(&documents_dir));

    // The other organisation is untouched.
    let r = call(&app, "GET", &format!("/api/v1/invoices/{other_invoice}"), Some(&other), None).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = call(&app, "GET", "/api/v1/organisation", Some(&other), None).await;
    assert_eq!(r.body["id"], other_org.as_str());

    // The deletion survives in the global chain, and every chain still verifies.
    let global = h.store.audit_chain_entries(GLOBAL_CHAIN, 0, 10).unwrap();
    let tombstone = global.iter().find(|e| e.action == "organisation.deleted").expect("tombstone");
    assert_eq!(tombstone.target_id.as_deref(), Some(org.as_str()));
    assert!(tombstone.after.as_deref().unwrap().contains("chain_head"));
    assert_eq!(verify_chains(h.store.as_ref()).unwrap().broken, None);
}

/// Every file under `dir`.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
        }
    }
    out
}

#[actix_web::test]
async fn the_audit_trail_and_sessions_record_the_address_the_trusted_proxy_forwarded() {
    use billify_web::{AuthRateLimiter, RateLimit, WebSecurity};
    let proxy: std::net::SocketAddr = "10.0.0.2:40000".parse().unwrap();
    let limit = RateLimit { per_minute: 1000, burst: 1000 };
    let h = harness_with(WebSecurity::new(false, AuthRateLimiter::new(limit, Some(proxy.ip()))));
    let app = app!(h);
    let (_, owner_token) = owner(&app, "anna@example.be").await;
    // Through the proxy, the forwarded address counts; from anyone else the header is ignored.
    for (peer, forwarded) in [(proxy, "203.0.113.7"), ("198.51.100.9:5000".parse().unwrap(), "203.0.113.99")] {
        let req = actix_web::test::TestRequest::post()
            .uri("/api/v1/auth/login")
            .peer_addr(peer)
            .insert_header(("X-Forwarded-For", format!("192.0.2.1, {forwarded}")))
            .insert_header(("User-Agent", "invoice-sync/1.0"))
            .set_json(json!({"email": "anna@example.be", "password": PASSWORD}))
            .to_request();
        let resp = actix_web::test::call_service(&app, req).await;
        assert_eq!(resp.status(), StatusCode::OK);
    }
    let r = call(&app, "GET", "/api/v1/audit?action=auth.login_succeeded", Some(&owner_token), None).await;
    let ips: Vec<_> = r.body["items"].as_array().unwrap().iter().map(|e| e["ip"].clone()).collect();
    assert_eq!(ips[..2], [json!("198.51.100.9"), json!("203.0.113.7")], "{}", r.text);
    let r = call(&app, "GET", "/api/v1/auth/sessions", Some(&owner_token), None).await;
    let ips: Vec<_> = r.body["items"].as_array().unwrap().iter().map(|s| s["ip"].clone()).collect();
    assert_eq!(ips[..2], [json!("198.51.100.9"), json!("203.0.113.7")], "{}", r.text);
    assert_eq!(r.body["items"][0]["user_agent"], "invoice-sync/1.0", "the password login remembers the client");
}
