//! The embedded SQLite database on a disk that fills up, then frees: the `billify` process
//! keeps answering reads, answers writes with a 503 `storage-unavailable` and `Retry-After`
//! (never a 500, never a write reported done that was not), and writes succeed again once there
//! is room, with no restart; afterwards the file passes SQLite's integrity check and holds
//! exactly the invoices that were answered 201.
//!
//! The disk is a 6 MiB tmpfs mounted for the test, filled with a ballast file. Mounting needs
//! root (CI runs as root on its machine); elsewhere the test says so and does nothing.
//!
//! The same holds for a database file that becomes read-only under the running server: the
//! database's files are made immutable (`chattr +i`, which refuses writes even on descriptors
//! already open, as a file system remounted read-only after an error does), then writable again.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed expectation is a failed test")]

mod common;

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::Server;
use serde_json::{Value, json};

/// A tmpfs mounted on a fresh directory, unmounted on drop.
struct SmallDisk {
    dir: PathBuf,
}

impl SmallDisk {
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = std::env::temp_dir().join(format!("billify-small-disk-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .status()
            .ok()?;
        status.success().then_some(SmallDisk { dir })
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.dir).status();
        let _ = std::fs::remove_dir(&self.dir);
    }
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Writes zeros to `path` until the disk is full.
fn fill(path: &Path) {
    let mut file = std::fs::File::create(path).unwrap();
    let chunk = vec![0_u8; 64 * 1024];
    loop {
        if file.write_all(&chunk).is_err() || file.sync_all().is_err() {
            break;
        }
    }
    // Every last byte: small writes until even those fail.
    while file.write_all(&[0_u8; 512]).is_ok() && file.sync_all().is_ok() {}
}

/// `POST /invoices` with number `number`; the status, the `Retry-After` header and the body.
fn create(base: &str, token: &str, number: &str) -> (u16, Option<String>, Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let body = json!({
        "invoice_number": number, "direction": "payable", "counterparty": {"name": "Disk Supplies BV"},
        "issue_date": "2026-12-01", "due_date": "2026-12-31", "currency": "EUR",
        "subtotal": "100.00", "vat_amount": "21.00", "total": "121.00",
    });
    let mut response = agent
        .post(&format!("{base}/api/v1/invoices"))
        .header("Authorization", &format!("Bearer {token}"))
        .send_json(&body)
        .expect("the server answers");
    let status = response.status().as_u16();
    let retry = response.headers().get("Retry-After").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let text = response.body_mut().read_to_string().unwrap_or_default();
    (status, retry, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn stored_numbers(server: &Server, token: &str) -> BTreeSet<String> {
    let (status, page) = server.call("GET", "/api/v1/invoices?limit=200", Some(token), None);
    assert_eq!(status, 200, "reads work: {page}");
    page["items"].as_array().unwrap().iter().map(|i| i["invoice_number"].as_str().unwrap().to_owned()).collect()
}

/// Registers an organisation on `server` and signs its owner in; the session token.
fn owner_token(server: &Server) -> String {
    let (status, registered) = server.call(
        "POST",
        "/api/v1/auth/register",
        None,
        Some(json!({"organisation_name": "Full Disk BV", "name": "Anna", "email": "anna@disk.be",
            "password": "correct horse battery"})),
    );
    assert_eq!(status, 201, "{registered}");
    let credentials = json!({"email": "anna@disk.be", "password": "correct horse battery"});
    let (status, login) = server.call("POST", "/api/v1/auth/login", None, Some(credentials));
    assert_eq!(status, 200, "{login}");
    login["token"].as_str().unwrap().to_owned()
}

/// Sets (`+i`) or clears (`-i`) the immutable attribute of every file of the database `db`.
fn chattr(flag: &str, db: &Path) -> bool {
    let mut files = vec![db.to_path_buf()];
    for suffix in ["-wal", "-shm"] {
        let file = PathBuf::from(format!("{}{suffix}", db.display()));
        if file.exists() {
            files.push(file);
        }
    }
    Command::new("chattr").arg(flag).args(&files).status().is_ok_and(|s| s.success())
}

#[test]
fn a_database_file_turned_read_only_answers_writes_with_503_keeps_reads_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("billify.db");
    let url = format!("sqlite://{}", db.display());
    let server = Server::start(&[
        ("BILLIFY_DATABASE_URL", url.clone()),
        ("BILLIFY_DOCUMENTS_DIR", dir.path().join("docs").display().to_string()),
    ]);
    let token = owner_token(&server);
    let mut created = BTreeSet::new();
    for n in 0..3 {
        let number = format!("BEFORE-{n}");
        let (status, _, body) = create(&server.base, &token, &number);
        assert_eq!(status, 201, "{body}");
        created.insert(number);
    }
    if !chattr("+i", &db) {
        assert!(!is_root(), "root could not make the database immutable (chattr +i) in {}", dir.path().display());
        eprintln!("sqlite_unwritable: not root, so the database cannot be made immutable; nothing tested");
        return;
    }
    let mut refused = 0;
    for n in 0..20 {
        let number = format!("READ-ONLY-{n}");
        let (status, retry, body) = create(&server.base, &token, &number);
        match status {
            201 => {
                created.insert(number);
            }
            503 => {
                assert_eq!(body["type"], "/problems/storage-unavailable", "{body}");
                assert!(retry.is_some(), "a 503 says when to retry");
                refused += 1;
            }
            other => {
                chattr("-i", &db);
                panic!("a write on a read-only database answered {other}: {body}");
            }
        }
    }
    let numbers = stored_numbers(&server, &token);
    chattr("-i", &db);
    assert!(refused >= 19, "writes on a read-only database are refused ({refused} of 20)");
    assert_eq!(numbers, created, "reads still work, and hold what was answered 201");

    // Writable again: writes succeed within 2 s, without a restart.
    resumes_intact(server, &token, created, &url, "writes resume within 2 s of the file turning writable");
}

#[test]
fn a_full_disk_answers_writes_with_503_keeps_reads_and_recovers_without_restart_or_corruption() {
    let Some(disk) = SmallDisk::mount("6m") else {
        assert!(!is_root(), "root could not mount a tmpfs");
        eprintln!("sqlite_unwritable: not root, so no tmpfs can be mounted; nothing tested");
        return;
    };
    let db = disk.dir.join("billify.db");
    let url = format!("sqlite://{}", db.display());
    let documents = tempfile::tempdir().unwrap();
    let server = Server::start(&[
        ("BILLIFY_DATABASE_URL", url.clone()),
        ("BILLIFY_DOCUMENTS_DIR", documents.path().display().to_string()),
    ]);
    let token = owner_token(&server);

    let mut created = BTreeSet::new();
    for n in 0..5 {
        let number = format!("BEFORE-{n}");
        let (status, _, body) = create(&server.base, &token, &number);
        assert_eq!(status, 201, "{body}");
        created.insert(number);
    }

    // The disk fills up: writes fail as 503s with Retry-After (SQLite may still place a few rows
    // in pages it already has; the first refusal must come soon, and every answer is a 201 or a 503).
    let ballast = disk.dir.join("ballast");
    fill(&ballast);
    let mut refused = 0;
    for n in 0..300 {
        let number = format!("FULL-{n}");
        let (status, retry, body) = create(&server.base, &token, &number);
        match status {
            201 => {
                created.insert(number);
            }
            503 => {
                assert_eq!(body["type"], "/problems/storage-unavailable", "{body}");
                assert!(retry.is_some(), "a 503 says when to retry");
                refused += 1;
                if refused == 5 {
                    break;
                }
            }
            other => panic!("a write on a full disk answered {other}: {body}"),
        }
    }
    assert_eq!(refused, 5, "writes on a full disk are refused");
    assert_eq!(stored_numbers(&server, &token), created, "reads still work, and hold what was answered 201");
    let (status, health) = server.call("GET", "/api/v1/health", None, None);
    assert_eq!(status, 200, "the process is alive: {health}");

    // Room again: writes succeed within 2 s, without a restart.
    std::fs::remove_file(&ballast).unwrap();
    resumes_intact(server, &token, created, &url, "writes resume within 2 s of the disk freeing");
}

/// Once the database can be written again: a write succeeds within 2 s (`resumed` says of
/// what), without a restart; the list then holds exactly `created` and it; the server stops
/// without a panic, and the database file passes SQLite's integrity check.
fn resumes_intact(server: Server, token: &str, mut created: BTreeSet<String>, url: &str, resumed: &str) {
    let freed = Instant::now();
    loop {
        let (status, _, body) = create(&server.base, token, "AFTER-0");
        if status == 201 {
            created.insert("AFTER-0".to_owned());
            break;
        }
        assert_eq!(status, 503, "{body}");
        assert!(freed.elapsed() < Duration::from_secs(2), "{resumed}");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(stored_numbers(&server, token), created);
    let log = server.stop();
    assert!(!log.contains("panicked"), "{log}");
    let store = billify_store_sqlite::SqliteStore::open(url, 1).unwrap();
    assert_eq!(store.pragma("integrity_check").unwrap(), "ok", "the database file is intact");
}
