//! Live events across processes: two `billify serve` processes share one PostgreSQL, a client
//! connected to each one's `GET /api/v1/events` sees the events written through the other
//! (`LISTEN/NOTIFY`), a client that reconnects with `Last-Event-ID` misses nothing, and a
//! graceful stop ends the streams.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::io::{BufRead as _, BufReader};
use std::sync::mpsc;
use std::time::Duration;

use common::Server;
use serde_json::json;

/// An SSE client reading one server's stream on its own thread, line by line.
struct Client {
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Client {
    fn connect(server: &Server, token: &str, last_event_id: Option<&str>) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let mut request =
            agent.get(&format!("{}/api/v1/events", server.base)).header("Authorization", &format!("Bearer {token}"));
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id);
        }
        let response = request.call().expect("connect to the stream");
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(response.headers().get("content-type").unwrap(), "text/event-stream");
        let (tx, lines) = mpsc::channel();
        let reader = BufReader::new(response.into_body().into_reader());
        std::thread::spawn(move || {
            for line in reader.lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Client { lines, seen: Vec::new() }
    }

    /// Reads until a line holds `needle`; returns every line read so far.
    fn until(&mut self, needle: &str) -> String {
        while !self.seen.iter().any(|l| l.contains(needle)) {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("no {needle:?} on the stream; read: {:?}", self.seen));
            self.seen.push(line);
        }
        self.seen.join("\n")
    }
}

fn env(url: &str, schema: &str) -> Vec<(&'static str, String)> {
    vec![
        ("BILLIFY_DATABASE_URL", url.to_owned()),
        ("BILLIFY_DB_SCHEMA", schema.to_owned()),
        ("BILLIFY_SECRET_KEY", "kevents:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8".to_owned()),
        ("BILLIFY_SYNC_WORKERS", "0".to_owned()),
        ("BILLIFY_AUTH_RATE_BURST", "1000".to_owned()),
    ]
}

fn invoice(number: &str) -> serde_json::Value {
    json!({"direction": "payable", "invoice_number": number, "counterparty": {"name": "Bloc Group BV"},
        "issue_date": "2026-11-01", "due_date": "2026-12-10", "total": "382.06"})
}

#[test]
fn two_server_processes_sharing_postgresql_stream_each_others_events() {
    let Ok(url) = std::env::var("BILLIFY_TEST_DATABASE_URL") else {
        eprintln!("skipping: BILLIFY_TEST_DATABASE_URL is not set");
        return;
    };
    let schema = format!("events_{}", std::process::id());
    let first = Server::start(&env(&url, &schema));
    let second = Server::start(&env(&url, &schema));
    let (status, _) = first.call(
        "POST",
        "/api/v1/auth/register",
        None,
        Some(json!({"organisation_name": "Bloc Group BV", "name": "Anna", "email": "anna@bloc.be", "password": "correct horse battery"})),
    );
    assert_eq!(status, 201);
    let (_, login) = second.call(
        "POST",
        "/api/v1/auth/login",
        None,
        Some(json!({"email": "anna@bloc.be", "password": "correct horse battery"})),
    );
    let token = login["token"].as_str().unwrap().to_owned();

    let mut on_first = Client::connect(&first, &token, None);
    let mut on_second = Client::connect(&second, &token, None);
    on_first.until("id: 0");
    on_second.until("id: 0");

    // Written through the first process, seen by the client of the second, and back.
    let (status, created) = first.call("POST", "/api/v1/invoices", Some(&token), Some(invoice("INV-1")));
    assert_eq!(status, 201);
    let one = created["id"].as_str().unwrap().to_owned();
    let text = on_second.until(&one);
    assert!(text.contains("event: invoice.created"), "{text}");
    let (status, created) = second.call("POST", "/api/v1/invoices", Some(&token), Some(invoice("INV-2")));
    assert_eq!(status, 201);
    let two = created["id"].as_str().unwrap().to_owned();
    let text = on_first.until(&two);
    assert!(text.contains(&one), "the first process's client saw its own event too: {text}");
    on_second.until(&two);

    // A client that reconnects to the other process with the last id it saw misses nothing.
    drop(on_second);
    let (_, created) = first.call("POST", "/api/v1/invoices", Some(&token), Some(invoice("INV-3")));
    let three = created["id"].as_str().unwrap().to_owned();
    let mut resumed = Client::connect(&second, &token, Some("2"));
    let text = resumed.until(&three);
    assert!(text.contains(&two) && !text.contains(&one), "resumed after event 2: {text}");

    // A graceful stop ends the open streams rather than waiting for them: the client sees the
    // end of its stream, and the process exits 0.
    drop(resumed);
    let log = first.stop();
    assert!(log.contains("ending the event streams"), "{log}");
    while let Ok(line) = on_first.lines.recv_timeout(Duration::from_secs(60)) {
        on_first.seen.push(line);
    }
    assert!(
        matches!(on_first.lines.try_recv(), Err(mpsc::TryRecvError::Disconnected)),
        "the stream of the stopped process ended"
    );
    second.kill();
    billify_store_postgres::PostgresStore::drop_schema(&url, &schema).expect("drop schema");
    if let Ok(marker) = std::env::var("BILLIFY_PG_SUITE_MARKER") {
        use std::io::Write as _;
        let mut file = std::fs::OpenOptions::new().create(true).append(true).open(marker).expect("marker file");
        writeln!(file, "two_server_processes_sharing_postgresql_stream_each_others_events").expect("write marker");
    }
}
