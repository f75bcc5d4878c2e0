//! Sync throughput: organisations synced per minute against the fake Ponto with 20 ms of latency
//! per request, each organisation with 3 accounts and about 200 new transactions, through the
//! real adapter, the real sync engine and a real database.
//!
//! Then every organisation syncs again with nothing new at the bank: the steady state of syncing
//! every minute, where each run re-reads its newest page and finds it all stored.
//!
//! `cargo run --release -p billify --example bench_sync -- ORGS [DATABASE_URL]` prints one
//! Markdown table row. Without a URL it uses a temporary SQLite file; with a `postgres://` URL a
//! temporary schema that is dropped afterwards. `BENCH_WORKERS` sets the worker threads (48);
//! `RUST_LOG=warn` says why syncs failed.

#![allow(clippy::print_stdout, reason = "a benchmark prints its result")]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use billify::wiring::Store;
use billify_app::{SyncService, SyncSettings};
use billify_crypto::{KeyRing, SecretKey};
use billify_domain::{
    EmailAddress, Membership, Organisation, OrganisationId, OrganisationName, PersonName, Role, User, UserId,
};
use billify_ponto::{PontoClient, PontoConfig};
use billify_ports::banking::BankingProvider;
use billify_ports::integrations::IntegrationRepository;
use billify_ports::integrations::{IntegrationStatus, Provider, SyncOutcome, tokens_context};
use billify_ports::{AccountRepository, SecretCipher, SecretText, SystemClock};
use billify_store_postgres::{PostgresConfig, PostgresStore};
use billify_store_sqlite::SqliteStore;
use billify_testkit::{FakePonto, FakePontoConfig};
use time::OffsetDateTime;
use uuid::Uuid;

#[path = "support/services.rs"]
mod services;

/// Peak and current resident memory of this process, in MiB.
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|kb| kb.parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

fn main() -> anyhow::Result<()> {
    env_logger::init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let orgs: usize = args.first().map(|a| a.parse()).transpose().context("ORGS is a number")?.unwrap_or(1000);
    let workers: usize = std::env::var("BENCH_WORKERS").ok().and_then(|w| w.parse().ok()).unwrap_or(48);
    let fake = FakePonto::start(FakePontoConfig {
        accounts: 3,
        transactions_per_account: 67,
        latency: Duration::from_millis(20),
        // Ponto's own work is not ours: the fake answers lists from a cache and keeps no log,
        // so its CPU and memory do not stand in for Billify's on this shared machine.
        log_requests: false,
        cache_lists: true,
        ..FakePontoConfig::default()
    })?;

    let dir = tempfile::tempdir()?;
    let mut drop_schema = None;
    let (store, backend): (Arc<dyn Store>, &str) = match args.get(1) {
        Some(url) if url.starts_with("postgres") => {
            let schema = format!("bench_{}", std::process::id());
            PostgresStore::create_schema(url, &schema)?;
            let mut config = PostgresConfig::new(url.clone());
            config.schema = Some(schema.clone());
            config.pool_size = u32::try_from(workers + 4).unwrap_or(32);
            let store = PostgresStore::open(&config)?;
            store.run_migrations()?;
            drop_schema = Some((url.clone(), schema));
            (Arc::new(store), "PostgreSQL")
        }
        _ => {
            let url = format!("sqlite://{}", dir.path().join("bench.db").display());
            let store = SqliteStore::open(&url, u32::try_from(workers + 4).unwrap_or(32))?;
            store.run_migrations()?;
            (Arc::new(store), "SQLite")
        }
    };

    // One consent gives tokens every organisation uses (their access token lives 30 minutes).
    let mut ponto_config = PontoConfig::custom(
        &fake.base_url(),
        &fake.authorization_url(),
        &fake.client_id(),
        &fake.client_secret(),
        "https://billify.example/bank/callback",
    );
    // A loopback call that takes seconds is stuck, not slow: fail it (the sync is retried later).
    ponto_config.timeout = Duration::from_secs(5);
    let ponto = Arc::new(PontoClient::new(ponto_config)?);
    let consent = ponto.consent_request()?;
    let redirect = fake.consent(&consent.url).map_err(anyhow::Error::msg)?;
    let tokens = ponto.exchange_code(&redirect.code, &consent.code_verifier)?;
    let plain = SecretText::new(
        serde_json::json!({
            "access_token": tokens.access_token,
            "refresh_token": tokens.refresh_token,
            "expires_at": tokens.expires_at.unix_timestamp(),
        })
        .to_string(),
    );
    let cipher = Arc::new(KeyRing::new(SecretKey::generate("bench")?, [])?);
    let now = OffsetDateTime::now_utc();
    for n in 0..orgs {
        let organisation = Organisation {
            id: OrganisationId::from_uuid(Uuid::now_v7()),
            name: OrganisationName::parse(&format!("Bench {n} BV"))?,
            vat_number: None,
            calendar: Default::default(),
            created_at: now,
        };
        let user = User {
            id: UserId::from_uuid(Uuid::now_v7()),
            email: EmailAddress::parse(&format!("bench{n}@example.be"))?,
            name: PersonName::parse("Bench User")?,
            password_hash: "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g".into(),
            created_at: now,
        };
        let membership =
            Membership { organisation_id: organisation.id, user_id: user.id, role: Role::Owner, created_at: now };
        AccountRepository::register(store.as_ref(), &organisation, &user, &membership)?;
        let integrations: Arc<dyn IntegrationRepository> = store.clone();
        let mut i = integrations.begin_consent(
            organisation.id,
            Provider::Ponto,
            &format!("bench-{n}"),
            "-",
            "-",
            user.id,
            now,
        )?;
        integrations.take_consent(organisation.id, &format!("bench-{n}"))?;
        let sealed = cipher.seal(&plain, &tokens_context(organisation.id, i.id))?;
        i.token_version = integrations.store_tokens(organisation.id, i.id, i.token_version, &sealed, now)?;
        i.status = IntegrationStatus::Connected;
        i.next_sync_at = Some(now);
        integrations.save_status(&i)?;
    }
    let (setup_peak, _) = memory();

    // As in the server: a sync that stored transactions queues a reconciliation run, which the
    // same workers run (here against no invoices).
    let wired = services::wired(services::Bench {
        store: store.clone(),
        clock: Arc::new(SystemClock),
        provider: Some(ponto as Arc<dyn BankingProvider>),
        cipher: Some(cipher as Arc<dyn SecretCipher>),
        // Due again as soon as synced, so the second round can start at once.
        sync: SyncSettings { request_bank_syncs: false, interval: time::Duration::ZERO, ..SyncSettings::default() },
    })?;
    let sync = wired.services.sync.clone();
    let first = round(&sync, orgs, workers)?;
    let requests = fake.request_count();
    let again = round(&sync, orgs, workers)?;
    let (peak, rss) = memory();
    if let Some((url, schema)) = drop_schema {
        PostgresStore::drop_schema(&url, &schema)?;
    }
    println!(
        "| {backend} | {orgs} | {workers} | {:.1} s | **{:.0}** | {} | {} | {:.0} | {} | {} MiB | {} MiB | {} MiB |",
        first.elapsed.as_secs_f64(),
        first.per_minute(),
        first.failed,
        requests,
        again.per_minute(),
        again.failed,
        setup_peak,
        peak,
        rss
    );
    Ok(())
}

/// How one round of syncs went.
struct Round {
    elapsed: Duration,
    succeeded: u64,
    failed: u64,
}

impl Round {
    /// Organisations whose sync succeeded, per minute.
    fn per_minute(&self) -> f64 {
        self.succeeded as f64 / self.elapsed.as_secs_f64() * 60.0
    }
}

/// Queues every organisation's sync and runs them on `workers` threads until none is left.
fn round(sync: &Arc<SyncService>, orgs: usize, workers: usize) -> anyhow::Result<Round> {
    let started = Instant::now();
    let mut queued = 0;
    while queued < orgs {
        let now_queued = sync.schedule_due(1000)?;
        anyhow::ensure!(now_queued > 0, "the scheduler queued {queued} of {orgs} organisations");
        queued += now_queued;
    }
    let succeeded = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let threads: Vec<_> = (0..workers)
        .map(|w| {
            let (sync, succeeded, failed) = (sync.clone(), succeeded.clone(), failed.clone());
            std::thread::spawn(move || {
                loop {
                    match sync.run_next_job(&format!("bench-{w}")) {
                        Ok(Some(report)) if report.kind != billify_app::sync::SYNC_JOB => {}
                        Ok(Some(report)) if report.outcome == Some(SyncOutcome::Succeeded) => {
                            succeeded.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok(Some(_)) | Err(_) => {
                            failed.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok(None) => break,
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().map_err(|_| anyhow::anyhow!("a worker panicked"))?;
    }
    Ok(Round {
        elapsed: started.elapsed(),
        succeeded: succeeded.load(Ordering::Relaxed),
        failed: failed.load(Ordering::Relaxed),
    })
}
