//! `GET /metrics` of the real binary: in demo mode (a fake Ponto and a fake Yuki that the sync
//! workers call), on the separate `BILLIFY_METRICS_BIND` address, it reports requests, jobs,
//! the database pool, the job queue, provider calls, the circuit breakers and build info.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed expectation is a failed test")]

mod common;

use std::time::{Duration, Instant};

use common::Server;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn scrape(url: &str) -> String {
    let mut response = ureq::get(url).call().expect("GET /metrics");
    assert_eq!(response.status().as_u16(), 200);
    response.body_mut().read_to_string().unwrap()
}

/// The value of the one series that starts with `prefix` (name and labels).
fn value(text: &str, prefix: &str) -> Option<f64> {
    text.lines().find(|l| l.starts_with(prefix)).and_then(|l| l.rsplit(' ').next()).and_then(|v| v.parse().ok())
}

#[test]
fn metrics_report_requests_jobs_the_pool_the_queue_providers_and_circuits() {
    let dir = tempfile::tempdir().unwrap();
    let metrics_port = free_port();
    let server = Server::start_with(
        &["serve", "--demo"],
        &[
            ("BILLIFY_DATABASE_URL", format!("sqlite://{}", dir.path().join("demo.db").display())),
            ("BILLIFY_DOCUMENTS_DIR", dir.path().join("docs").display().to_string()),
            ("BILLIFY_SYNC_POLL_MILLIS", "50".to_owned()),
            ("BILLIFY_METRICS_BIND", format!("127.0.0.1:{metrics_port}")),
        ],
    );
    let (status, _) = server.call("GET", "/api/v1/health", None, None);
    assert_eq!(status, 200);
    let (status, _) = server.call("GET", "/metrics", None, None);
    assert_eq!(status, 404, "not on the main address when a metrics address is set");

    let url = format!("http://127.0.0.1:{metrics_port}/metrics");
    let wanted = [
        r#"billify_http_requests_total{route="/api/v1/health",method="GET",status="2xx"}"#,
        r#"billify_build_info{version=""#,
        // The demo runs on SQLite: its read pool and its one write connection.
        r#"billify_db_pool_max_connections{pool="read"}"#,
        r#"billify_db_pool_max_connections{pool="write"} 1"#,
        r#"billify_db_pool_connections{pool="read",state="idle"}"#,
        r#"billify_db_pool_connections{pool="read",state="in_use"}"#,
        r#"billify_db_pool_connections{pool="write",state="idle"}"#,
        r#"billify_db_pool_connections{pool="write",state="in_use"}"#,
        r#"billify_db_pool_checkouts_total{pool="read"}"#,
        r#"billify_db_pool_checkouts_total{pool="write"}"#,
        r#"billify_db_pool_waits_total{pool="write"}"#,
        r#"billify_db_pool_wait_seconds_total{pool="write"}"#,
        r#"billify_db_pool_timeouts_total{pool="read"}"#,
        r#"billify_job_queue_depth{kind="bank.sync",state="scheduled"}"#,
        r#"billify_jobs_total{kind="bank.sync",outcome="succeeded"}"#,
        r#"billify_job_duration_seconds_count{kind="bank.sync"}"#,
        r#"billify_sync_runs_total{provider="ponto",outcome="succeeded"}"#,
        r#"billify_provider_calls_total{provider="ponto",outcome="ok"}"#,
        r#"billify_provider_call_duration_seconds_count{provider="ponto"}"#,
        r#"billify_provider_calls_total{provider="yuki",outcome="ok"}"#,
        r#"billify_circuit_breaker_state{provider="ponto",state="closed"} 1"#,
        r#"billify_circuit_breaker_state{provider="ponto",state="open"} 0"#,
        r#"billify_circuit_breaker_state{provider="yuki",state="closed"} 1"#,
    ];
    // The demo's first syncs run within seconds of the start. A sync calls Ponto several times,
    // and the counters are read while the first one may still run: wait for the second call too.
    let deadline = Instant::now() + Duration::from_secs(90);
    let ponto_ok = r#"billify_provider_calls_total{provider="ponto",outcome="ok"}"#;
    let text = loop {
        let text = scrape(&url);
        let missing: Vec<&str> = wanted.iter().copied().filter(|w| !text.contains(w)).collect();
        if missing.is_empty() && value(&text, ponto_ok).is_some_and(|calls| calls >= 2.0) {
            break text;
        }
        assert!(
            Instant::now() < deadline,
            "missing {missing:#?} (Ponto calls: {:?}) in:\n{text}",
            value(&text, ponto_ok)
        );
        std::thread::sleep(Duration::from_millis(500));
    };
    assert!(text.contains("# TYPE billify_db_pool_connections gauge"), "{text}");
    assert!(
        value(&text, r#"billify_db_pool_checkouts_total{pool="read"} "#).unwrap() > 0.0,
        "the pool hands out connections"
    );
    assert!(
        value(&text, r#"billify_db_pool_checkouts_total{pool="write"} "#).unwrap() > 0.0,
        "the demo's syncs wrote through the write connection"
    );
    assert!(value(&text, r#"billify_db_pool_max_connections{pool="read"} "#).unwrap() >= 1.0);
    assert!(value(&text, ponto_ok).unwrap() >= 2.0, "a sync calls Ponto several times");
    server.stop();
}
