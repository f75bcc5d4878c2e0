//! PostgreSQL going away under load: a TCP proxy this test controls sits between the `billify`
//! process and PostgreSQL. It first refuses connections (and cuts the open ones), as a stopped
//! database does, then stalls every byte in both directions, as a network partition does, each
//! for a few seconds while client threads create and list invoices.
//!
//! What must hold (issue 21): while the database is unreachable or silent, every request gets a
//! 503 `storage-unavailable` problem with `Retry-After` within 1 s, `/ready` answers 503 within
//! 1 s and `/health` stays 200; within 2 s of the database returning, requests succeed again
//! without a restart; and nothing is lost or doubled: every invoice answered 201 is stored once,
//! and no invoice is stored twice.
//!
//! **About the time bounds.** The bounds (1 s, 2 s) are the only timed assertions. The
//! server runs with its timeouts tightened (a probe every 50 ms that must answer within 250 ms,
//! a pool wait of 250 ms), so by construction an answer during an outage takes at most about
//! 250 ms + 50 ms + the 100 ms poll of a request in flight = 0.4 s, and recovery about 50 ms
//! after the database answers: the 1 s and 2 s bounds leave more than half of each for a loaded
//! CI machine. Client calls time out at 10 s, so a hang fails the test instead of blocking it.
//! The default settings (500 ms, 250 ms, 500 ms) keep the same bounds with less slack.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed expectation is a failed test")]

mod common;

use std::collections::BTreeMap;
use std::io::{Read as _, Write as _};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::Server;
use serde_json::{Value, json};

const PASS: u8 = 0;
const REFUSE: u8 = 1;
const STALL: u8 = 2;

/// A TCP proxy in front of PostgreSQL whose behaviour the test switches.
struct Proxy {
    port: u16,
    mode: Arc<AtomicU8>,
    connections: Arc<Mutex<Vec<TcpStream>>>,
    stop: Arc<AtomicBool>,
}

impl Proxy {
    fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let proxy = Proxy {
            port,
            mode: Arc::new(AtomicU8::new(PASS)),
            connections: Arc::new(Mutex::new(Vec::new())),
            stop: Arc::new(AtomicBool::new(false)),
        };
        let (mode, connections, stop) = (proxy.mode.clone(), proxy.connections.clone(), proxy.stop.clone());
        std::thread::spawn(move || {
            // While refusing, the port is closed: connecting gets a reset (ECONNREFUSED).
            let mut listener = Some(listener);
            while !stop.load(Ordering::Relaxed) {
                match (mode.load(Ordering::Relaxed), &listener) {
                    (REFUSE, Some(_)) => listener = None,
                    (REFUSE, None) => std::thread::sleep(Duration::from_millis(5)),
                    (_, None) => {
                        listener = Some(TcpListener::bind(("127.0.0.1", port)).expect("rebind the proxy port"))
                    }
                    (_, Some(l)) => {
                        l.set_nonblocking(true).unwrap();
                        match l.accept() {
                            Ok((client, _)) => {
                                client.set_nonblocking(false).unwrap();
                                let Ok(server) = TcpStream::connect(upstream) else { continue };
                                connections
                                    .lock()
                                    .unwrap()
                                    .extend([client.try_clone().unwrap(), server.try_clone().unwrap()]);
                                for (from, to) in
                                    [(client.try_clone().unwrap(), server.try_clone().unwrap()), (server, client)]
                                {
                                    let mode = mode.clone();
                                    std::thread::spawn(move || pump(from, to, &mode));
                                }
                            }
                            Err(_) => std::thread::sleep(Duration::from_millis(5)),
                        }
                    }
                }
            }
        });
        proxy
    }

    fn set(&self, mode: u8) {
        self.mode.store(mode, Ordering::SeqCst);
        if mode == REFUSE {
            // A stopped database drops every connection.
            for c in self.connections.lock().unwrap().drain(..) {
                let _ = c.shutdown(Shutdown::Both);
            }
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        self.mode.store(REFUSE, Ordering::Relaxed);
        for c in self.connections.lock().unwrap().drain(..) {
            let _ = c.shutdown(Shutdown::Both);
        }
    }
}

/// Copies bytes from one side to the other; while stalled, holds them (nothing is lost, nothing
/// arrives) until the mode changes.
fn pump(mut from: TcpStream, mut to: TcpStream, mode: &AtomicU8) {
    let mut buffer = [0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        while mode.load(Ordering::Relaxed) == STALL {
            std::thread::sleep(Duration::from_millis(5));
        }
        if mode.load(Ordering::Relaxed) == REFUSE || to.write_all(&buffer[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Both);
    let _ = from.shutdown(Shutdown::Both);
}

/// One answered request.
#[derive(Debug, Clone)]
struct Answer {
    started: Instant,
    took: Duration,
    status: u16,
    problem_type: Option<String>,
    retry_after: Option<String>,
    /// The invoice number a create sent.
    created: Option<String>,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

fn request(
    agent: &ureq::Agent,
    base: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Answer {
    let started = Instant::now();
    let url = format!("{base}{path}");
    let response = match body {
        Some(b) => common::with_auth(agent.post(&url), token).send_json(b),
        None if method == "GET" => common::with_auth(agent.get(&url), token).call(),
        None => panic!("unsupported"),
    };
    let took = started.elapsed();
    let mut response = response.unwrap_or_else(|e| panic!("{method} {path} got no answer after {took:?}: {e}"));
    let status = response.status().as_u16();
    let retry_after = response.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let text = response.body_mut().read_to_string().unwrap_or_default();
    let value: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        started,
        took,
        status,
        problem_type: value["type"].as_str().map(str::to_owned),
        retry_after,
        created: None,
    }
}

fn invoice(number: &str) -> Value {
    json!({"direction": "payable", "invoice_number": number,
        "counterparty": {"name": "Bloc Group BV"},
        "issue_date": "2026-11-01", "due_date": "2026-12-10",
        "subtotal": "100.00", "vat_amount": "21.00", "total": "121.00"})
}

/// Every stored invoice number, with how often it is stored.
fn stored_numbers(base: &str, token: &str) -> BTreeMap<String, usize> {
    let agent = agent();
    let mut numbers = BTreeMap::new();
    let mut path = "/api/v1/invoices?limit=200".to_owned();
    loop {
        let mut response = common::with_auth(agent.get(&format!("{base}{path}")), Some(token)).call().unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let page: Value = serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap();
        for item in page["items"].as_array().unwrap() {
            *numbers.entry(item["invoice_number"].as_str().unwrap().to_owned()).or_insert(0) += 1;
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/invoices?limit=200&cursor={cursor}"),
            None => return numbers,
        }
    }
}

/// The outage window of one phase: from the switch to the database's return.
struct Window {
    name: &'static str,
    from: Instant,
    to: Instant,
}

#[test]
fn postgres_refusing_then_stalling_under_load_gets_fast_503s_and_recovers_without_loss() {
    let Ok(url) = std::env::var("BILLIFY_TEST_DATABASE_URL") else {
        eprintln!("skipping: BILLIFY_TEST_DATABASE_URL is not set");
        return;
    };
    // postgres://USER@HOST:PORT/DB
    let after_at = url.split_once('@').map(|(_, rest)| rest).expect("a URL with a host");
    let (host_port, database) = after_at.split_once('/').expect("a URL with a database");
    let host_port = if host_port.contains(':') { host_port.to_owned() } else { format!("{host_port}:5432") };
    let upstream: SocketAddr = host_port.replace("localhost", "127.0.0.1").parse().expect("a numeric host");
    let user = url.split("://").nth(1).and_then(|r| r.split('@').next()).unwrap();
    let proxy = Proxy::start(upstream);
    let proxied = format!("postgres://{user}@127.0.0.1:{}/{database}", proxy.port);

    let schema = format!("outage_{}", std::process::id());
    billify_store_postgres::PostgresStore::create_schema(&url, &schema).unwrap();
    let server = Server::start(&[
        ("BILLIFY_DATABASE_URL", proxied),
        ("BILLIFY_DB_SCHEMA", schema.clone()),
        ("BILLIFY_SECRET_KEY", "koutage:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=".into()),
        ("BILLIFY_DB_PROBE_INTERVAL_MILLIS", "50".into()),
        ("BILLIFY_DB_PROBE_DEADLINE_MILLIS", "250".into()),
        ("BILLIFY_DB_WAIT_MILLIS", "250".into()),
        ("BILLIFY_AUTH_RATE_BURST", "1000".into()),
        ("BILLIFY_WORKERS", "2".into()),
    ]);
    let base = server.base.clone();
    let (status, registered) = server.call(
        "POST",
        "/api/v1/auth/register",
        None,
        Some(json!({"organisation_name": "Outage BV", "name": "Anna", "email": "anna@outage.be",
            "password": "correct horse battery"})),
    );
    assert_eq!(status, 201, "{registered}");
    let (status, login) = server.call(
        "POST",
        "/api/v1/auth/login",
        None,
        Some(json!({"email": "anna@outage.be", "password": "correct horse battery"})),
    );
    assert_eq!(status, 200, "{login}");
    let token = login["token"].as_str().unwrap().to_owned();

    // Load: 6 threads creating invoices (unique numbers) and listing them; one polling /ready
    // and /health.
    let stop = Arc::new(AtomicBool::new(false));
    let answers = Arc::new(Mutex::new(Vec::<Answer>::new()));
    let probes = Arc::new(Mutex::new(Vec::<(Answer, Answer)>::new()));
    let sequence = Arc::new(AtomicUsize::new(0));
    let mut threads = Vec::new();
    for _ in 0..6 {
        let (stop, answers, sequence, base, token) =
            (stop.clone(), answers.clone(), sequence.clone(), base.clone(), token.clone());
        threads.push(std::thread::spawn(move || {
            let agent = agent();
            while !stop.load(Ordering::Relaxed) {
                let n = sequence.fetch_add(1, Ordering::Relaxed);
                let answer = if n % 2 == 0 {
                    let number = format!("OUT-{n:06}");
                    let mut a =
                        request(&agent, &base, "POST", "/api/v1/invoices", Some(&token), Some(invoice(&number)));
                    a.created = Some(number);
                    a
                } else {
                    request(&agent, &base, "GET", "/api/v1/invoices?limit=5", Some(&token), None)
                };
                answers.lock().unwrap().push(answer);
                std::thread::sleep(Duration::from_millis(20));
            }
        }));
    }
    {
        let (stop, probes, base) = (stop.clone(), probes.clone(), base.clone());
        threads.push(std::thread::spawn(move || {
            let agent = agent();
            while !stop.load(Ordering::Relaxed) {
                let ready = request(&agent, &base, "GET", "/api/v1/ready", None, None);
                let health = request(&agent, &base, "GET", "/api/v1/health", None, None);
                probes.lock().unwrap().push((ready, health));
                std::thread::sleep(Duration::from_millis(50));
            }
        }));
    }

    let mut windows = Vec::new();
    std::thread::sleep(Duration::from_secs(1));
    for (name, mode) in [("refused", REFUSE), ("stalled", STALL)] {
        let from = Instant::now();
        proxy.set(mode);
        std::thread::sleep(Duration::from_secs(3));
        proxy.set(PASS);
        windows.push(Window { name, from, to: Instant::now() });
        std::thread::sleep(Duration::from_secs(3));
    }
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().unwrap();
    }

    let answers = answers.lock().unwrap().clone();
    let probes = probes.lock().unwrap().clone();
    for w in &windows {
        // Requests running in the outage (started in it, or still running when it began).
        let during: Vec<&Answer> = answers.iter().filter(|a| a.started < w.to && a.started + a.took > w.from).collect();
        let unavailable = during.iter().filter(|a| a.status == 503).count();
        assert!(unavailable >= 10, "{}: the load saw the outage ({unavailable} 503s of {})", w.name, during.len());
        for a in &during {
            assert!(a.took < Duration::from_secs(1), "{}: an answer took {:?}: {a:?}", w.name, a.took);
            assert!(
                a.status < 300 || a.status == 503,
                "{}: only successes (before the outage was seen) and 503s: {a:?}",
                w.name
            );
            if a.status == 503 {
                assert_eq!(a.problem_type.as_deref(), Some("/problems/storage-unavailable"), "{}: {a:?}", w.name);
                assert_eq!(a.retry_after.as_deref(), Some("1"), "{}: {a:?}", w.name);
            }
        }
        let ready: Vec<&Answer> = probes
            .iter()
            .map(|(r, _)| r)
            .filter(|r| r.started >= w.from + Duration::from_millis(500) && r.started + r.took < w.to)
            .collect();
        assert!(ready.len() >= 5, "{}: /ready was asked during the outage", w.name);
        for r in &ready {
            assert_eq!(r.status, 503, "{}: /ready while down: {r:?}", w.name);
            assert!(r.took < Duration::from_secs(1), "{}: /ready took {:?}", w.name, r.took);
        }
        for (_, health) in probes.iter().filter(|(_, h)| h.started >= w.from && h.started < w.to) {
            assert_eq!(health.status, 200, "{}: /health stays 200 while the database is down", w.name);
        }
        // Back within 2 s: /ready says so, and every request started after that succeeds.
        let recovered = w.to + Duration::from_secs(2);
        let ready_again = probes.iter().map(|(r, _)| r).find(|r| r.started >= w.to && r.status == 200);
        let ready_again = ready_again.unwrap_or_else(|| panic!("{}: /ready never came back", w.name));
        assert!(
            ready_again.started + ready_again.took <= recovered,
            "{}: /ready answered 200 again only {:?} after the database returned",
            w.name,
            ready_again.started + ready_again.took - w.to
        );
        let until = windows.iter().find(|next| next.from > w.to).map_or(Instant::now(), |next| next.from);
        for a in answers.iter().filter(|a| a.started >= recovered && a.started + a.took < until) {
            assert!(a.status < 300, "{}: a request 2 s after the database returned failed: {a:?}", w.name);
        }
        eprintln!(
            "{}: {} requests during the outage, {unavailable} answered 503, slowest {:?}; /ready back after {:?}",
            w.name,
            during.len(),
            during.iter().map(|a| a.took).max().unwrap_or_default(),
            ready_again.started + ready_again.took - w.to
        );
    }

    // Nothing lost, nothing doubled: every 201 is stored once; a 503'd create is stored at most
    // once (a write cut off in flight may still have committed: it was reported as failed, and
    // the database kept it whole or not at all).
    let stored = stored_numbers(&base, &token);
    let created: Vec<&Answer> = answers.iter().filter(|a| a.created.is_some()).collect();
    let mut acknowledged = 0;
    let mut failed_but_stored = 0;
    for a in &created {
        let number = a.created.as_ref().unwrap();
        match a.status {
            201 => {
                acknowledged += 1;
                assert_eq!(stored.get(number), Some(&1), "invoice {number} was answered 201: stored exactly once");
            }
            503 => failed_but_stored += usize::from(stored.contains_key(number)),
            other => panic!("a create answered {other}: {a:?}"),
        }
    }
    for (number, count) in &stored {
        assert_eq!(*count, 1, "invoice {number} stored {count} times");
        assert!(created.iter().any(|a| a.created.as_ref() == Some(number)), "{number} was sent by this test");
    }
    assert!(acknowledged > 20, "the load created invoices ({acknowledged})");
    eprintln!(
        "{acknowledged} creates acknowledged and stored once; {failed_but_stored} answered 503 but committed by the \
         database after the connection came back; {} stored in all",
        stored.len()
    );
    let log = server.stop();
    // Each outage is logged once by the probe, and its end once. When the stall ends, the
    // statements held during it may finish just past the probe's deadline, so the gate can
    // close once more for an instant: at most one such flap, and every close has its end.
    let outages = log.matches("requests get 503 until it does").count();
    assert!((2..=3).contains(&outages), "each outage is logged once by the probe ({outages}):\n{log}");
    assert_eq!(log.matches("PostgreSQL answers again").count(), outages, "and its end:\n{log}");
    assert!(!log.contains("billify_web::problem] storage unavailable"), "no line per refused request:\n{log}");
    assert!(log.matches("storage unavailable (").count() <= 2, "background work logs each outage at most once:\n{log}");
    billify_store_postgres::PostgresStore::drop_schema(&url, &schema).unwrap();
    if let Ok(marker) = std::env::var("BILLIFY_PG_SUITE_MARKER") {
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(marker).unwrap();
        writeln!(f, "db_outage").unwrap();
    }
}
