//! `billify audit verify` passes on an untouched audit log and names the entry an attacker with
//! database access changed (through the `sqlite3` command-line tool, as they would).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::process::Command;

use common::Server;
use serde_json::json;

fn verify(url: &str, dir: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_billify"))
        .args(["audit", "verify"])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("BILLIFY_DATABASE_URL", url)
        .env("BILLIFY_DOCUMENTS_DIR", dir.join("documents"))
        .env("BILLIFY_LOG", "info")
        .output()
        .expect("run billify audit verify")
}

fn sqlite3(db: &std::path::Path, sql: &str) -> String {
    let out = Command::new("sqlite3").arg(db).arg(sql).output().expect("the sqlite3 tool is installed");
    assert!(out.status.success(), "sqlite3 {sql}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[test]
fn audit_verify_passes_then_names_the_tampered_entry() {
    if Command::new("sqlite3").arg("--version").output().is_err() {
        eprintln!("skipping: the sqlite3 tool is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("billify.db");
    let url = format!("sqlite://{}", db.display());
    let server = Server::start(&[("BILLIFY_DATABASE_URL", url.clone())]);
    let email = "anna@example.be";
    let password = "correct horse battery staple";
    let (status, _) = server.call(
        "POST",
        "/api/v1/auth/register",
        None,
        Some(json!({"organisation_name": "Anna BV", "name": "Anna", "email": email, "password": password})),
    );
    assert_eq!(status, 201);
    let (status, body) =
        server.call("POST", "/api/v1/auth/login", None, Some(json!({"email": email, "password": password})));
    assert_eq!(status, 200, "{body}");
    let token = body["token"].as_str().unwrap().to_owned();
    for number in ["INV-1", "INV-2"] {
        let invoice = json!({"direction": "payable", "invoice_number": number,
            "counterparty": {"name": "Bloc Group BV"}, "issue_date": "2026-11-01",
            "due_date": "2026-12-10", "total": "382.06"});
        let (status, body) = server.call("POST", "/api/v1/invoices", Some(&token), Some(invoice));
        assert_eq!(status, 201, "{body}");
    }
    let (status, body) = server.call("GET", "/api/v1/audit", Some(&token), None);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["items"].as_array().unwrap().len(), 3, "a login and two invoices: {body}");
    server.stop();

    let ok = verify(&url, dir.path());
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));

    // Change the amount recorded for the first invoice, as someone with the database file could
    // (the append-only trigger is dropped first, as they would).
    let id = sqlite3(&db, "SELECT id FROM audit_log WHERE action = 'invoice.created' ORDER BY seq LIMIT 1");
    sqlite3(&db, "DROP TRIGGER audit_log_append_only");
    sqlite3(
        &db,
        &format!("UPDATE audit_log SET after_state = replace(after_state, '382.06', '38.20') WHERE id = '{id}'"),
    );
    let broken = verify(&url, dir.path());
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(!broken.status.success(), "a tampered log must fail: {stderr}");
    assert!(stderr.contains(&id), "the broken entry is named: {stderr}");
    assert!(stderr.contains("entry 2"), "{stderr}");
}
