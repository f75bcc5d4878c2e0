//! Black-box tests of the `billify` binary: the README's promises, over real HTTP, on SQLite and
//! (when `BILLIFY_TEST_DATABASE_URL` is set) on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed expectation is a failed test")]

mod common;

use std::process::Command;

use common::Server;
use serde_json::{Value, json};

/// The curl walkthrough from the README: register, log in, create, list, update, delete.
fn walkthrough(server: &Server) {
    let (status, body) = server.call("GET", "/api/v1/health", None, None);
    assert_eq!((status, body["status"].as_str()), (200, Some("ok")));
    assert_eq!(server.call("GET", "/api/v1/ready", None, None).0, 200);
    let (status, _) = server.call(
        "POST",
        "/api/v1/auth/register",
        None,
        Some(json!({"organisation_name": "Bloc Group BV", "name": "Anna", "email": "anna@bloc.be", "password": "correct horse battery"})),
    );
    assert_eq!(status, 201);
    let (status, body) = server.call(
        "POST",
        "/api/v1/auth/login",
        None,
        Some(json!({"email": "anna@bloc.be", "password": "correct horse battery"})),
    );
    assert_eq!(status, 200);
    let token = body["token"].as_str().expect("token").to_owned();
    assert!(body["expires_at"].as_str().is_some());
    let t = Some(token.as_str());
    let (status, created) = server.call(
        "POST",
        "/api/v1/invoices",
        t,
        Some(json!({
            "direction": "receivable", "invoice_number": "2026-001",
            "counterparty": {"name": "CF accountancy BV", "vat_number": "BE0628719851"},
            "issue_date": "2026-01-01", "due_date": "2099-01-31",
            "subtotal": "100.00", "vat_amount": "21.00", "total": "121.00"
        })),
    );
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().expect("id").to_owned();
    let (status, list) = server.call("GET", "/api/v1/invoices?direction=receivable", t, None);
    assert_eq!(status, 200);
    assert_eq!(list["items"][0]["total"], "121.00");
    let (status, updated) = server.call(
        "PATCH",
        &format!("/api/v1/invoices/{id}"),
        t,
        Some(json!({"version": 1, "manual_urgency": "critical"})),
    );
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["urgency"]["color"], "#FF0000");
    let (status, problem) = server.call("POST", "/api/v1/invoices", t, Some(json!({"direction": "sideways"})));
    assert_eq!(status, 422);
    assert_eq!(problem["type"], "/problems/validation");
    assert_eq!(server.call("DELETE", &format!("/api/v1/invoices/{id}"), t, None).0, 204);

    // A PDF upload, reviewed and confirmed, keeps its document.
    let sample: &[u8] = include_bytes!("../../billify-pdf/tests/fixtures/sample.pdf");
    let boundary = "smoke-boundary-42";
    let mut body =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"sample.pdf\"\r\n\r\n")
            .into_bytes();
    body.extend_from_slice(sample);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut response = agent
        .post(format!("{}/api/v1/invoices/uploads", server.base))
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", &format!("multipart/form-data; boundary={boundary}"))
        .send(&body[..])
        .expect("upload");
    assert_eq!(response.status().as_u16(), 201);
    let draft: Value = serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(draft["fields"]["total"], "382.06");
    let draft_id = draft["id"].as_str().unwrap();
    let (status, invoice) =
        server.call("POST", &format!("/api/v1/invoices/drafts/{draft_id}/confirm"), t, Some(json!({"version": 1})));
    assert_eq!(status, 201, "{invoice}");
    let mut response = agent
        .get(format!("{}/api/v1/invoices/{}/document", server.base, invoice["id"].as_str().unwrap()))
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .expect("document");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.body_mut().read_to_vec().unwrap(), sample);
    assert_eq!(server.call("GET", &format!("/api/v1/invoices/{id}"), t, None).0, 404);
}

#[test]
fn serves_the_walkthrough_on_sqlite_and_shuts_down_gracefully() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("billify.db").display());
    let server = Server::start(&[("BILLIFY_DATABASE_URL", url)]);
    walkthrough(&server);
    let log = server.stop();
    assert!(log.contains("shut down cleanly"), "{log}");
    assert!(!log.contains("correct horse battery"), "passwords never reach the log");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let key_file = std::fs::metadata(dir.path().join("secret.key")).expect("the embedded default made a key file");
        assert_eq!(key_file.permissions().mode() & 0o777, 0o600);
    }
}

#[test]
fn serves_the_walkthrough_on_postgres() {
    let Ok(url) = std::env::var("BILLIFY_TEST_DATABASE_URL") else {
        eprintln!("skipping: BILLIFY_TEST_DATABASE_URL is not set");
        return;
    };
    let schema = format!("smoke_{}", std::process::id());
    let server = Server::start(&[
        ("BILLIFY_DATABASE_URL", url.clone()),
        ("BILLIFY_DB_SCHEMA", schema.clone()),
        ("BILLIFY_SECRET_KEY", "ksmoke:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=".into()),
    ]);
    walkthrough(&server);
    server.stop();
    billify_store_postgres::PostgresStore::drop_schema(&url, &schema).expect("drop schema");
    if let Ok(marker) = std::env::var("BILLIFY_PG_SUITE_MARKER") {
        use std::io::Write as _;
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(marker).expect("marker");
        writeln!(f, "smoke").expect("marker");
    }
}

#[test]
fn generate_key_prints_one_fresh_key_line() {
    let run = || {
        let output =
            Command::new(env!("CARGO_BIN_EXE_billify")).arg("generate-key").env_clear().output().expect("run billify");
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    let (a, b) = (run(), run());
    assert_ne!(a, b);
    let (id, key) = a.trim_end().split_once(':').unwrap();
    assert!(id.len() == 13 && id.starts_with('k'), "{id}");
    assert_eq!(key.len(), 44, "32 bytes in padded base64");
    assert_eq!(a.lines().count(), 1);
}

#[test]
fn production_without_a_secret_key_refuses_to_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = Command::new(env!("CARGO_BIN_EXE_billify"))
        .arg("serve")
        .env_clear()
        .env("BILLIFY_ENV", "production")
        .env("BILLIFY_DATABASE_URL", format!("sqlite://{}", dir.path().join("p.db").display()))
        .env("BILLIFY_BIND", "127.0.0.1:0")
        .output()
        .expect("run billify");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("BILLIFY_SECRET_KEY") && stderr.contains("billify generate-key"), "{stderr}");
    assert!(!dir.path().join("secret.key").exists(), "production never generates a key");
}

#[test]
fn invalid_configuration_exits_with_code_2() {
    let output = Command::new(env!("CARGO_BIN_EXE_billify"))
        .env_clear()
        .env("BILLIFY_DATABASE_URL", "mysql://nope")
        .output()
        .expect("run billify");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("BILLIFY_DATABASE_URL"), "{stderr}");
}

#[test]
fn migrate_applies_and_is_idempotent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("m.db").display());
    for expected in ["applied migration", "up to date"] {
        let output = Command::new(env!("CARGO_BIN_EXE_billify"))
            .arg("migrate")
            .env_clear()
            .env("BILLIFY_DATABASE_URL", &url)
            .output()
            .expect("run billify migrate");
        assert!(output.status.success());
        assert!(String::from_utf8_lossy(&output.stderr).contains(expected));
    }
}

#[test]
fn extract_prints_one_json_object_per_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let junk = dir.path().join("notes.txt");
    std::fs::write(&junk, "hello").expect("write");
    let output = Command::new(env!("CARGO_BIN_EXE_billify"))
        .arg("extract")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/../billify-pdf/tests/fixtures/sample.pdf"))
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/../billify-einvoice/tests/fixtures/ubl-invoice.xml"))
        .arg(&junk)
        .arg("--text")
        .env_clear()
        .output()
        .expect("run billify extract");
    assert_eq!(output.status.code(), Some(1), "one file could not be read");
    let lines: Vec<Value> =
        String::from_utf8_lossy(&output.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["extraction"]["invoice_number"]["value"], "INV-SO-2023-2812");
    assert_eq!(lines[0]["extraction"]["total"]["value"], "382.06");
    assert!(lines[0]["text"].as_array().unwrap().iter().any(|l| l.as_str().unwrap().contains("INV-SO-2023-2812")));
    assert_eq!(lines[1]["extraction"]["method"], "einvoice_ubl");
    assert!(lines[1].get("text").is_none(), "XML has no PDF text");
    assert!(lines[2]["error"].as_str().unwrap().contains("unsupported"));
}
