//! Crash safety of uploads: four clients stream distinct ~1 MB e-invoices to the `billify`
//! process, which is killed with SIGKILL in the middle of the stream and restarted, several
//! times, on SQLite and on PostgreSQL. After the last restart every draft (and every invoice
//! confirmed from one) has its file, and the document directory holds nothing else: no file
//! that no draft refers to, no temporary file.
//!
//! The bytes of an upload are written (temporary file, fsync, rename) before its draft commits,
//! so a kill leaves at worst a file without a draft or a half-written temporary file; the
//! restarted process removes both before it serves. `BILLIFY_STRAY_DOCUMENT_GRACE_SECONDS` is 0
//! here because this test runs one process: no other process can be between writing a file and
//! committing its draft, which is what the grace period (10 minutes by default) protects.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed expectation is a failed test")]

mod common;

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use billify_domain::OrganisationId;
use billify_ports::documents::{Draft, DraftRepository};
use common::Server;
use serde_json::{Value, json};

const UBL: &str = include_str!("../../billify-einvoice/tests/fixtures/ubl-invoice.xml");

/// A distinct e-invoice of about 1 MB: its own number, and a comment that makes the write long
/// enough for kills to land in it.
fn document(n: usize) -> Vec<u8> {
    let padding: String = format!("upload {n} ").repeat(1024 * 1024 / 12);
    UBL.replacen("<cbc:ID>INV-2026-0042</cbc:ID>", &format!("<cbc:ID>CRASH-{n:05}</cbc:ID>"), 1)
        .replacen("<!-- Peppol BIS", &format!("<!-- {padding} --><!-- Peppol BIS"), 1)
        .into_bytes()
}

fn upload(agent: &ureq::Agent, base: &str, token: &str, n: usize) -> Result<(u16, Value), String> {
    let boundary = "billifycrashboundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"invoice-{n}.xml\"\r\n\
         Content-Type: application/xml\r\n\r\n"
    )
    .into_bytes();
    body.extend(document(n));
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    let mut response = agent
        .post(&format!("{base}/api/v1/invoices/uploads"))
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", &format!("multipart/form-data; boundary={boundary}"))
        .send(&body[..])
        .map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap_or_default();
    Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
}

/// Every file under the document directory, as paths relative to it.
fn files(dir: &Path) -> BTreeSet<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.insert(path.strip_prefix(root).unwrap().to_owned());
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

fn crash_during_uploads(
    database: &[(&'static str, String)],
    documents: &Path,
    drafts: &dyn Fn(OrganisationId) -> Vec<Draft>,
) {
    let mut env = database.to_vec();
    env.extend([
        ("BILLIFY_DOCUMENTS_DIR", documents.display().to_string()),
        ("BILLIFY_STRAY_DOCUMENT_GRACE_SECONDS", "0".to_owned()),
        ("BILLIFY_MAX_UPLOAD_BYTES", (8 * 1024 * 1024).to_string()),
        ("BILLIFY_EXTRACTIONS_AT_ONCE", "4".to_owned()),
        ("BILLIFY_EXTRACTION_SECONDS", "60".to_owned()),
        ("BILLIFY_AUTH_RATE_BURST", "1000".to_owned()),
        ("BILLIFY_SECRET_KEY", "kupload:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=".to_owned()),
    ]);
    let mut server = Server::start(&env);
    let (status, registered) = server.call(
        "POST",
        "/api/v1/auth/register",
        None,
        Some(json!({"organisation_name": "Crash BV", "name": "Anna", "email": "anna@crash.be",
            "password": "correct horse battery"})),
    );
    assert_eq!(status, 201, "{registered}");
    let credentials = json!({"email": "anna@crash.be", "password": "correct horse battery"});
    let sequence = Arc::new(AtomicUsize::new(0));
    let answered = Arc::new(AtomicUsize::new(0));
    let mut organisation = None;
    // Kills after different amounts of time, so they land in different steps of an upload.
    for wait in [2500, 3300, 4100, 2900] {
        let (status, login) = server.call("POST", "/api/v1/auth/login", None, Some(credentials.clone()));
        assert_eq!(status, 200, "{login}");
        let token = login["token"].as_str().unwrap().to_owned();
        let (_, me) = server.call("GET", "/api/v1/auth/me", Some(&token), None);
        organisation =
            Some(me["organisation"]["id"].as_str().expect("the organisation id").parse::<uuid::Uuid>().unwrap());
        let stop = Arc::new(AtomicBool::new(false));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let (stop, sequence, answered, base, token) =
                    (stop.clone(), sequence.clone(), answered.clone(), server.base.clone(), token.clone());
                std::thread::spawn(move || {
                    let agent: ureq::Agent = ureq::Agent::config_builder()
                        .http_status_as_error(false)
                        .timeout_global(Some(Duration::from_secs(30)))
                        .build()
                        .into();
                    while !stop.load(Ordering::Relaxed) {
                        let n = sequence.fetch_add(1, Ordering::Relaxed);
                        match upload(&agent, &base, &token, n) {
                            Ok((201 | 200, _)) => {
                                answered.fetch_add(1, Ordering::Relaxed);
                            }
                            Ok((status, body)) => panic!("upload {n} answered {status}: {body}"),
                            // The server was killed under the request.
                            Err(e) => {
                                assert!(stop.load(Ordering::Relaxed), "upload {n} failed before the kill: {e}");
                                break;
                            }
                        }
                    }
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(wait));
        stop.store(true, Ordering::Relaxed);
        server.kill();
        for t in threads {
            t.join().unwrap();
        }
        server = Server::start(&env);
    }
    let organisation = OrganisationId::from_uuid(organisation.unwrap());
    let uploaded = answered.load(Ordering::Relaxed);
    assert!(uploaded >= 4, "uploads completed between the kills ({uploaded})");

    // Every draft has its file; confirm half of them, and every invoice serves its document.
    let drafts = drafts(organisation);
    assert!(drafts.len() >= uploaded, "every answered upload has its draft ({} < {uploaded})", drafts.len());
    let (_, login) = server.call("POST", "/api/v1/auth/login", None, Some(credentials));
    let token = login["token"].as_str().unwrap().to_owned();
    for (i, draft) in drafts.iter().enumerate() {
        let (status, body) = server.call("GET", &format!("/api/v1/invoices/drafts/{}", draft.id.0), Some(&token), None);
        assert_eq!(status, 200, "{body}");
        if i % 2 == 0 {
            let (status, invoice) = server.call(
                "POST",
                &format!("/api/v1/invoices/drafts/{}/confirm", draft.id.0),
                Some(&token),
                Some(json!({"version": draft.version})),
            );
            assert_eq!(status, 201, "{invoice}");
            let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
            let response = common::with_auth(
                agent.get(&format!("{}/api/v1/invoices/{}/document", server.base, invoice["id"].as_str().unwrap())),
                Some(&token),
            )
            .call()
            .unwrap();
            assert_eq!(response.status().as_u16(), 200, "the invoice of draft {} serves its document", draft.id.0);
        }
    }
    let expected: BTreeSet<PathBuf> = drafts
        .iter()
        .map(|d| PathBuf::from(organisation.to_string()).join(&d.digest.as_str()[..2]).join(d.digest.as_str()))
        .collect();
    let present = files(documents);
    let missing: Vec<_> = expected.difference(&present).collect();
    let stray: Vec<_> = present.difference(&expected).collect();
    assert!(missing.is_empty(), "drafts without their file: {missing:?}");
    assert!(stray.is_empty(), "files no draft refers to, or temporary files: {stray:?}");
    eprintln!("{} drafts after 4 kills ({uploaded} uploads answered), each with its file; no stray file", drafts.len());
    server.stop();
}

fn all_drafts(store: &dyn DraftRepository, organisation: OrganisationId) -> Vec<Draft> {
    // Unconfirmed drafts expire in a day: "expired" a year from now lists them all.
    let later = time::OffsetDateTime::now_utc() + time::Duration::days(365);
    store.expired_drafts(organisation, later, 100_000).unwrap()
}

#[test]
fn killing_the_process_during_uploads_leaves_every_draft_with_its_file_and_no_stray_file_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("crash.db").display());
    let documents = dir.path().join("documents");
    crash_during_uploads(&[("BILLIFY_DATABASE_URL", url.clone())], &documents, &|org| {
        let store = billify_store_sqlite::SqliteStore::open(&url, 1).unwrap();
        all_drafts(&store, org)
    });
}

#[test]
fn killing_the_process_during_uploads_leaves_every_draft_with_its_file_and_no_stray_file_on_postgres() {
    let Ok(url) = std::env::var("BILLIFY_TEST_DATABASE_URL") else {
        eprintln!("skipping: BILLIFY_TEST_DATABASE_URL is not set");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let schema = format!("upload_crash_{}", std::process::id());
    let documents = dir.path().join("documents");
    crash_during_uploads(
        &[("BILLIFY_DATABASE_URL", url.clone()), ("BILLIFY_DB_SCHEMA", schema.clone())],
        &documents,
        &|org| {
            let mut config = billify_store_postgres::PostgresConfig::new(url.clone());
            config.schema = Some(schema.clone());
            config.pool_size = 1;
            config.probe_interval = None;
            let store = billify_store_postgres::PostgresStore::open(&config).unwrap();
            all_drafts(&store, org)
        },
    );
    billify_store_postgres::PostgresStore::drop_schema(&url, &schema).unwrap();
    if let Ok(marker) = std::env::var("BILLIFY_PG_SUITE_MARKER") {
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(marker).unwrap();
        writeln!(f, "upload_crash").unwrap();
    }
}
