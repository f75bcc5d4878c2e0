//! Crash safety of the bank sync: the `billify` process is killed with SIGKILL in the middle of
//! a sync (while pages are being fetched and stored), several times, and restarted on the same
//! database. The result must be exactly what the fake Ponto holds: every account and
//! transaction once, nothing missing, nothing twice.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed expectation is a failed test")]

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use billify_testkit::{FakePonto, FakePontoConfig};
use common::Server;
use serde_json::json;

fn server_env(fake: &FakePonto, database: &[(&'static str, String)]) -> Vec<(&'static str, String)> {
    let mut env = database.to_vec();
    env.extend([
        ("BILLIFY_PONTO_CLIENT_ID", fake.client_id()),
        ("BILLIFY_PONTO_CLIENT_SECRET", fake.client_secret()),
        ("BILLIFY_PONTO_REDIRECT_URI", "https://billify.example/bank/callback".to_owned()),
        ("BILLIFY_PONTO_API_URL", fake.base_url()),
        ("BILLIFY_PONTO_AUTHORIZATION_URL", fake.authorization_url()),
        ("BILLIFY_SECRET_KEY", "kcrash:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8".to_owned()),
        ("BILLIFY_SYNC_LEASE_SECONDS", "1".to_owned()),
        ("BILLIFY_SYNC_POLL_MILLIS", "50".to_owned()),
        ("BILLIFY_SYNC_WORKERS", "2".to_owned()),
        // Kills land between stored batches as well as inside them.
        ("BILLIFY_SYNC_WRITE_BATCH", "200".to_owned()),
        ("BILLIFY_BANK_SYNC_INTERVAL_MINUTES", "0".to_owned()),
        ("BILLIFY_LOG", "info,billify_ports=debug".to_owned()),
        // These tests register and log in many organisations from one address.
        ("BILLIFY_AUTH_RATE_BURST", "1000".to_owned()),
    ]);
    env
}

fn transaction_pages(fake: &FakePonto) -> usize {
    fake.requests().iter().filter(|r| r.path().ends_with("/transactions")).count()
}

fn stored(server: &Server, token: &str) -> BTreeMap<String, String> {
    let mut all = BTreeMap::new();
    let mut path = "/api/v1/bank/transactions?limit=200".to_owned();
    loop {
        let (status, page) = server.call("GET", &path, Some(token), None);
        assert_eq!(status, 200, "{page}");
        for t in page["items"].as_array().unwrap() {
            let previous =
                all.insert(t["provider_id"].as_str().unwrap().to_owned(), t["amount"].as_str().unwrap().to_owned());
            assert!(previous.is_none(), "duplicate transaction {t}");
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/bank/transactions?limit=200&cursor={cursor}"),
            None => return all,
        }
    }
}

fn truth(fake: &FakePonto) -> BTreeMap<String, String> {
    let mut all = BTreeMap::new();
    for account in fake.accounts() {
        for t in fake.transactions(&account.id) {
            let amount = billify_domain::Money::parse(&t.amount, billify_domain::Currency::EUR).unwrap();
            all.insert(t.id, amount.to_plain_string());
        }
    }
    all
}

fn crash_and_recover(database: &[(&'static str, String)]) {
    let fake = FakePonto::start(FakePontoConfig {
        accounts: 3,
        transactions_per_account: 450,
        latency: Duration::from_millis(15),
        ..FakePontoConfig::default()
    })
    .unwrap();
    let env = server_env(&fake, database);
    let mut server = Server::start(&env);
    let (token, id) = linked_organisation(&server, &fake, "Bloc Group BV", "anna@bloc.be");

    // 3 accounts x 450 transactions = 15 pages of 100. Kill after 2, then after 5 more, then
    // after 4 more pages: each time in the middle of the pass, while a page is in flight.
    for pages in [2, 5, 4] {
        let deadline = Instant::now() + Duration::from_secs(60);
        while transaction_pages(&fake) < pages {
            assert!(Instant::now() < deadline, "the sync did not progress");
            std::thread::sleep(Duration::from_millis(2));
        }
        server.kill();
        fake.clear_requests();
        server = Server::start(&env);
    }

    // The restarted process takes over the expired lease and finishes the sync.
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let (status, runs) = server.call("GET", &format!("/api/v1/bank/integrations/{id}/runs"), Some(&token), None);
        assert_eq!(status, 200, "{runs}");
        if runs["items"][0]["outcome"] == "succeeded" {
            let interrupted = runs["items"].as_array().unwrap().iter().filter(|r| r["outcome"] == "failed").count();
            assert!(interrupted >= 1, "killed runs are recorded as interrupted: {runs}");
            break;
        }
        assert!(Instant::now() < deadline, "the sync never finished after the crashes: {runs}");
        std::thread::sleep(Duration::from_millis(100));
    }
    let (_, accounts) = server.call("GET", "/api/v1/bank/accounts", Some(&token), None);
    assert_eq!(accounts["items"].as_array().unwrap().len(), 3);
    let stored = stored(&server, &token);
    let truth = truth(&fake);
    assert_eq!(stored.len(), 1350);
    assert_eq!(stored, truth, "exactly what an uninterrupted sync stores");
    let (_, integration) = server.call("GET", &format!("/api/v1/bank/integrations/{id}"), Some(&token), None);
    assert_eq!(integration["status"], "connected", "{integration}");
    assert!(!integration.to_string().contains("token"), "no token in the API: {integration}");
    server.stop();
}

#[test]
fn killing_the_process_mid_sync_loses_nothing_and_duplicates_nothing_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("crash.db").display());
    crash_and_recover(&[
        ("BILLIFY_DATABASE_URL", url),
        ("BILLIFY_DOCUMENTS_DIR", dir.path().join("docs").display().to_string()),
    ]);
}

#[test]
fn killing_the_process_mid_sync_loses_nothing_and_duplicates_nothing_on_postgres() {
    let Ok(url) = std::env::var("BILLIFY_TEST_DATABASE_URL") else {
        eprintln!("skipping: BILLIFY_TEST_DATABASE_URL is not set");
        return;
    };
    let schema = format!("crash_{}", std::process::id());
    crash_and_recover(&[("BILLIFY_DATABASE_URL", url.clone()), ("BILLIFY_DB_SCHEMA", schema.clone())]);
    billify_store_postgres::PostgresStore::drop_schema(&url, &schema).expect("drop schema");
    if let Ok(marker) = std::env::var("BILLIFY_PG_SUITE_MARKER") {
        use std::io::Write as _;
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(marker).expect("marker");
        writeln!(f, "crash").expect("marker");
    }
}

/// Registers an organisation, links it to the fake and returns its session token and its
/// integration's id. The fake's request log is cleared just before the link completes (when
/// the first sync is queued), so it counts that sync's requests only.
fn linked_organisation(server: &Server, fake: &FakePonto, name: &str, email: &str) -> (String, String) {
    let (status, _) = server.call(
        "POST",
        "/api/v1/auth/register",
        None,
        Some(json!({"organisation_name": name, "name": "Owner", "email": email, "password": "correct horse battery"})),
    );
    assert_eq!(status, 201);
    let (_, login) = server.call(
        "POST",
        "/api/v1/auth/login",
        None,
        Some(json!({"email": email, "password": "correct horse battery"})),
    );
    let token = login["token"].as_str().unwrap().to_owned();
    let (status, connect) = server.call("POST", "/api/v1/bank/integrations/ponto/connect", Some(&token), None);
    assert_eq!(status, 201, "{connect}");
    let id = connect["integration"]["id"].as_str().unwrap().to_owned();
    let redirect = fake.consent(connect["consent_url"].as_str().unwrap()).unwrap();
    fake.clear_requests();
    let callback = format!("/api/v1/bank/integrations/ponto/callback?code={}&state={}", redirect.code, redirect.state);
    let (status, linked) = server.call("GET", &callback, Some(&token), None);
    assert_eq!(status, 200, "{linked}");
    (token, id)
}

#[test]
fn several_processes_share_the_syncs_and_never_run_one_twice_on_postgres() {
    let Ok(url) = std::env::var("BILLIFY_TEST_DATABASE_URL") else {
        eprintln!("skipping: BILLIFY_TEST_DATABASE_URL is not set");
        return;
    };
    let fake = FakePonto::start(FakePontoConfig {
        accounts: 2,
        transactions_per_account: 150,
        latency: Duration::from_millis(10),
        ..FakePontoConfig::default()
    })
    .unwrap();
    let schema = format!("share_{}", std::process::id());
    let mut env = server_env(&fake, &[("BILLIFY_DATABASE_URL", url.clone()), ("BILLIFY_DB_SCHEMA", schema.clone())]);
    env.push(("BILLIFY_SYNC_INTERVAL_SECONDS", "3600".to_owned()));
    env.retain(|(k, _)| *k != "BILLIFY_SYNC_LEASE_SECONDS");
    // One process links the organisations with its workers off; then three processes sync.
    let mut setup_env = env.clone();
    setup_env.push(("BILLIFY_SYNC_WORKERS", "0".to_owned()));
    setup_env.retain(|(k, v)| *k != "BILLIFY_SYNC_WORKERS" || v == "0");
    let setup = Server::start(&setup_env);
    let tokens: Vec<String> = (0..12)
        .map(|n| linked_organisation(&setup, &fake, &format!("Org {n} BV"), &format!("owner{n}@example.be")).0)
        .collect();
    setup.stop();
    fake.clear_requests();
    let servers: Vec<Server> = (0..3).map(|_| Server::start(&env)).collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    for token in &tokens {
        loop {
            let (_, list) = servers[0].call("GET", "/api/v1/bank/integrations", Some(token), None);
            if list["items"][0]["last_success_at"].is_string() {
                break;
            }
            assert!(Instant::now() < deadline, "not every organisation was synced: {list}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    // Each organisation has its own access token: one account listing per token means each
    // integration was synced by exactly one worker of one process.
    let mut per_token = std::collections::HashMap::new();
    for r in fake.requests().iter().filter(|r| r.method == "GET" && r.path().ends_with("/ponto-connect/accounts")) {
        *per_token.entry(r.header("authorization").unwrap_or_default().to_owned()).or_insert(0) += 1;
    }
    assert_eq!(per_token.len(), 12, "every organisation was synced");
    assert!(per_token.values().all(|&n| n == 1), "no integration was synced twice: {per_token:?}");
    for token in &tokens {
        let stored = stored(&servers[1], token);
        assert_eq!(stored, truth(&fake));
    }
    for server in servers {
        server.stop();
    }
    billify_store_postgres::PostgresStore::drop_schema(&url, &schema).expect("drop schema");
    if let Ok(marker) = std::env::var("BILLIFY_PG_SUITE_MARKER") {
        use std::io::Write as _;
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(marker).expect("marker");
        writeln!(f, "share").expect("marker");
    }
}
