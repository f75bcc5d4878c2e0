//! Benchmark: the resident memory that idle live-event streams (`GET /api/v1/events`) hold.
//!
//! Serves the API in this process as `billify serve` does (the server's wiring, actix with the
//! configured workers) on PostgreSQL (a fresh schema) or SQLite, registers an organisation,
//! then opens N streams over plain TCP and keeps them open and idle. Prints one Markdown row:
//! the resident set before and after, the extra per stream, and the event delivery to every
//! stream once they are open (one invoice created, read on each).
//!
//! `cargo run --release -p billify --example bench_events -- STREAMS [DATABASE_URL]`

#![allow(clippy::print_stdout, reason = "a benchmark prints its result")]

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use actix_web::{App, HttpServer, web};
use anyhow::Context as _;
use billify::bank_sync::SyncConfig;
use billify::config::Config;

/// The resident set (VmRSS) of this process, in KiB.
fn resident_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|kb| kb.parse::<u64>().ok())
        .unwrap_or(0)
}

/// Reads from `stream` until the text read holds `needle`.
fn read_until(stream: &mut TcpStream, needle: &str) -> anyhow::Result<String> {
    let mut text = String::new();
    let mut buf = [0u8; 4096];
    while !text.contains(needle) {
        let n = stream.read(&mut buf).context("reading a stream")?;
        anyhow::ensure!(n > 0, "the stream closed before {needle:?}: {text}");
        text.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    Ok(text)
}

fn main() -> anyhow::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let streams: usize = args.first().map(|s| s.parse()).transpose()?.unwrap_or(1000);
    let dir = tempfile::tempdir()?;
    let schema = format!("bench_events_{}", std::process::id());
    let (database, label) = match args.get(1) {
        Some(url) => (url.clone(), "PostgreSQL"),
        None => (format!("sqlite://{}", dir.path().join("bench.db").display()), "SQLite"),
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let vars: Vec<(&str, String)> = vec![
        ("BILLIFY_DATABASE_URL", database.clone()),
        ("BILLIFY_DB_SCHEMA", schema.clone()),
        ("BILLIFY_BIND", format!("127.0.0.1:{port}")),
        ("BILLIFY_SECRET_KEY", "kbench:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8".into()),
        ("BILLIFY_DOCUMENTS_DIR", dir.path().join("docs").display().to_string()),
        ("BILLIFY_ARGON2_MEMORY_KIB", "1024".into()),
        ("BILLIFY_ARGON2_ITERATIONS", "1".into()),
    ];
    let lookup = |name: &str| {
        vars.iter()
            .find(|(k, _)| *k == name && !(*k == "BILLIFY_DB_SCHEMA" && label == "SQLite"))
            .map(|(_, v)| v.clone())
    };
    let config = Config::from_lookup(&lookup)?;
    let sync = SyncConfig::from_lookup(&|name| if name == "BILLIFY_SYNC_WORKERS" { Some("0".into()) } else { None })?;
    let services = billify::wiring::services(&config, true, &sync, &billify::notify::NotifyConfig::from_env()?)?;
    let hub = services.event_hub.clone();
    let state = web::Data::new(services.app_state(billify_web::WebSecurity::new(
        false,
        billify_web::AuthRateLimiter::new(billify_web::RateLimit { per_minute: 1000, burst: 1000 }, None),
    )));
    let workers = config.workers;
    let bind = config.bind;
    std::thread::spawn(move || {
        let run = actix_web::rt::System::new().block_on(async move {
            HttpServer::new(move || App::new().configure(billify_web::configure(state.clone())))
                .workers(workers)
                .bind(bind)?
                .run()
                .await
        });
        if let Err(e) = run {
            eprintln!("server failed: {e}");
        }
    });
    let base = format!("http://127.0.0.1:{port}");
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let deadline = Instant::now() + Duration::from_secs(30);
    while agent.get(&format!("{base}/api/v1/health")).call().is_err() {
        anyhow::ensure!(Instant::now() < deadline, "the server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let register = serde_json::json!({"organisation_name": "Bench BV", "name": "Anna", "email": "anna@bench.be",
        "password": "correct horse battery"});
    agent.post(&format!("{base}/api/v1/auth/register")).send_json(&register)?;
    let login = serde_json::json!({"email": "anna@bench.be", "password": "correct horse battery"});
    let answer: serde_json::Value =
        agent.post(&format!("{base}/api/v1/auth/login")).send_json(&login)?.body_mut().read_json()?;
    let token = answer["token"].as_str().context("no token")?.to_owned();
    // Warm up: one stream opened and closed, so the runtime's lazily allocated parts exist.
    {
        let mut s = TcpStream::connect(("127.0.0.1", port))?;
        write!(s, "GET /api/v1/events HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n\r\n")?;
        read_until(&mut s, "id: ")?;
    }
    std::thread::sleep(Duration::from_millis(500));
    let before = resident_kib();
    let started = Instant::now();
    let mut open = Vec::with_capacity(streams);
    for _ in 0..streams {
        let mut s = TcpStream::connect(("127.0.0.1", port))?;
        write!(s, "GET /api/v1/events HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n\r\n")?;
        let opening = read_until(&mut s, "\n\n")?;
        anyhow::ensure!(opening.starts_with("HTTP/1.1 200"), "refused: {opening}");
        open.push(s);
    }
    let opened = started.elapsed();
    // Let them sit idle past a heartbeat or two, then measure.
    std::thread::sleep(Duration::from_secs(2));
    let after = resident_kib();
    anyhow::ensure!(hub.streams() >= streams, "only {} streams open", hub.streams());
    // One event reaches every stream.
    let invoice = serde_json::json!({"direction": "payable", "invoice_number": "B-1", "counterparty": {"name": "X"},
        "issue_date": "2026-11-01", "due_date": "2026-12-10", "total": "1.00"});
    let sent = Instant::now();
    agent
        .post(&format!("{base}/api/v1/invoices"))
        .header("Authorization", &format!("Bearer {token}"))
        .send_json(&invoice)?;
    for s in &mut open {
        read_until(s, "event: invoice.created")?;
    }
    let delivered = sent.elapsed();
    let extra = after.saturating_sub(before);
    println!(
        "| {label} | {streams} | {} MiB | {} MiB | {:.1} MiB | {:.1} KiB | {:.2} s | {:.0} ms |",
        before / 1024,
        after / 1024,
        extra as f64 / 1024.0,
        extra as f64 / streams.max(1) as f64,
        opened.as_secs_f64(),
        delivered.as_secs_f64() * 1000.0,
    );
    drop(open);
    if label == "PostgreSQL" {
        billify_store_postgres::PostgresStore::drop_schema(&database, &schema)?;
    }
    Ok(())
}
