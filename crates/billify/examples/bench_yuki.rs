//! Accounting sync (Yuki): one administration with ITEMS outstanding items (six in ten sales,
//! four in ten purchases) synced through the real Yuki adapter, the real sync engine (job queue,
//! budget, run history) and a real database, against the loopback fake Yuki.
//!
//! Three syncs: the first creates an invoice of every item (each with its audit entry), the
//! second finds nothing changed, the third finds a tenth of the items changed: half of those paid
//! in the books (gone from the lists: their invoices are marked paid) and half partly paid (a
//! lower open amount).
//!
//! `cargo run --release -p billify --example bench_yuki -- ITEMS [DATABASE_URL]` prints one
//! Markdown table row. Without a URL it uses a temporary SQLite file; with a `postgres://` URL a
//! temporary schema that is dropped afterwards. Peak memory is measured per sync (the kernel's
//! high-water mark is reset before each), for the whole process: the fake, which builds each
//! answer in memory, is included.

#![allow(clippy::print_stdout, reason = "a benchmark prints its result")]

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use billify::wiring::Store;
use billify_app::sync::SYNC_JOB;
use billify_app::{AccountingConnect, AccountingSyncSettings, Actor, Registration, SyncService, SyncSettings};
use billify_ports::accounting::AccountingRegion;
use billify_ports::integrations::{SyncOutcome, SyncRun};
use billify_ports::{AccountingProvider, SecretText, SystemClock};
use billify_store_postgres::{PostgresConfig, PostgresStore};
use billify_store_sqlite::SqliteStore;
use billify_testkit::{FakeYuki, FakeYukiConfig};
use billify_yuki::{YukiClient, YukiConfig};
use uuid::Uuid;

#[path = "support/services.rs"]
mod services;

/// A field of `/proc/self/status`, in MiB.
fn status_mib(name: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Resets the process's resident high-water mark (Linux: `5` to `/proc/self/clear_refs`), so
/// the next reading of `VmHWM` is the peak of what follows.
fn reset_peak() {
    if let Err(e) = std::fs::write("/proc/self/clear_refs", "5") {
        log::warn!("cannot reset the peak resident memory: {e}");
    }
}

/// One sync as measured.
struct Sync {
    elapsed: Duration,
    calls: u32,
    peak_mib: f64,
    run: SyncRun,
}

fn main() -> anyhow::Result<()> {
    env_logger::init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let items: usize = args.first().map(|a| a.parse()).transpose().context("ITEMS is a number")?.unwrap_or(10_000);
    let debtors = items * 6 / 10;
    let fake = FakeYuki::start(FakeYukiConfig {
        debtor_items: debtors,
        creditor_items: items - debtors,
        ..FakeYukiConfig::default()
    })?;

    let dir = tempfile::tempdir()?;
    let mut drop_schema = None;
    let (store, backend): (Arc<dyn Store>, &str) = match args.get(1) {
        Some(url) if url.starts_with("postgres") => {
            let schema = format!("bench_yuki_{}", std::process::id());
            PostgresStore::create_schema(url, &schema)?;
            let mut config = PostgresConfig::new(url.clone());
            config.schema = Some(schema.clone());
            config.pool_size = 4;
            let store = PostgresStore::open(&config)?;
            store.run_migrations()?;
            drop_schema = Some((url.clone(), schema));
            (Arc::new(store), "PostgreSQL")
        }
        _ => {
            let url = format!("sqlite://{}", dir.path().join("bench.db").display());
            let store = SqliteStore::open(&url, 4)?;
            store.run_migrations()?;
            (Arc::new(store), "SQLite")
        }
    };
    let yuki: Arc<dyn AccountingProvider> = Arc::new(YukiClient::new(YukiConfig::at(&fake.base_url())));
    let settings = AccountingSyncSettings::default();
    let wired = services::wired_with_accounting(
        services::Bench {
            store,
            clock: Arc::new(SystemClock),
            provider: None,
            cipher: None,
            sync: SyncSettings::default(),
        },
        Some(yuki),
        settings,
    )?;
    let services = &wired.services;
    services.accounts.register(Registration {
        organisation_name: "Bench Boekhouding BV".into(),
        name: "Bench User".into(),
        email: "bench@example.be".into(),
        password: "correct horse battery staple".into(),
        vat_number: None,
    })?;
    let login = services.accounts.login("bench@example.be", "correct horse battery staple")?;
    let actor = services.accounts.authenticate(&login.token)?.actor;
    // Connecting checks the key (`Authenticate`, `Administrations`) and queues the first sync.
    let integration = services.sync.connect_accounting(
        &actor,
        AccountingConnect {
            region: AccountingRegion::Be,
            access_key: SecretText::new(fake.access_key()),
            administration_id: None,
        },
    )?;
    let sync = &services.sync;
    let setup_calls = fake.calls_today();

    let first = measure(sync, &actor, integration.id, &fake, false)?;
    let second = measure(sync, &actor, integration.id, &fake, true)?;
    // A tenth changes in the books: every twentieth item is paid, every twentieth (offset by
    // ten) partly paid.
    let mut now_outstanding = Vec::with_capacity(items);
    let (mut paid, mut partly) = (0, 0);
    for (n, mut item) in fake.items().into_iter().enumerate() {
        match n % 20 {
            0 => paid += 1,
            10 => {
                item.open_amount = halve(&item.open_amount);
                partly += 1;
                now_outstanding.push(item);
            }
            _ => now_outstanding.push(item),
        }
    }
    fake.set_items(now_outstanding);
    let third = measure(sync, &actor, integration.id, &fake, true)?;

    let budget = sync.call_budget(&sync.get(&actor, integration.id)?).context("a Yuki integration has a budget")?;
    if let Some((url, schema)) = drop_schema {
        PostgresStore::drop_schema(&url, &schema)?;
    }
    let describe = |s: &Sync| {
        format!(
            "{:.2} s, {} calls, +{} new / {} changed / {} closed, peak {:.0} MiB",
            s.elapsed.as_secs_f64(),
            s.calls,
            s.run.new_invoices,
            s.run.changed_invoices,
            s.run.closed_invoices,
            s.peak_mib
        )
    };
    anyhow::ensure!(first.run.new_invoices as usize == items, "the first sync created {}", describe(&first));
    anyhow::ensure!(
        second.run.new_invoices + second.run.changed_invoices + second.run.closed_invoices == 0,
        "the second sync changed something: {}",
        describe(&second)
    );
    anyhow::ensure!(
        third.run.closed_invoices as usize == paid && third.run.changed_invoices as usize == partly,
        "the third sync should close {paid} and change {partly}: {}",
        describe(&third)
    );
    println!(
        "| {backend} | {items} | {:.2} s | {:.0} | {:.2} s | {:.2} s ({paid} paid, {partly} partly paid) | {} + {} + {} + {} of {} ({} a day) | {:.0} MiB | {:.0} MiB | {:.0} MiB | {:.0} MiB |",
        first.elapsed.as_secs_f64(),
        items as f64 / first.elapsed.as_secs_f64(),
        second.elapsed.as_secs_f64(),
        third.elapsed.as_secs_f64(),
        setup_calls,
        first.calls,
        second.calls,
        third.calls,
        budget.used_today,
        budget.budget,
        first.peak_mib,
        second.peak_mib,
        third.peak_mib,
        status_mib("VmRSS:"),
    );
    Ok(())
}

/// Halves a wire amount (`1234.56` → `617.28`), exactly, in cents.
fn halve(amount: &str) -> String {
    let cents: i64 = amount.replace('.', "").parse().unwrap_or(0);
    let half = cents / 2;
    format!("{}.{:02}", half / 100, half % 100)
}

/// Runs one sync of the integration (queued now when `queue`, else already queued by the
/// connection) through the job queue, as a worker does; returns its time, calls, peak memory and
/// run record.
fn measure(sync: &SyncService, actor: &Actor, id: Uuid, fake: &FakeYuki, queue: bool) -> anyhow::Result<Sync> {
    if queue {
        anyhow::ensure!(sync.sync_now(actor, id, None)?, "a sync of integration {id} was already queued");
    }
    let calls_before = fake.calls_today();
    reset_peak();
    let mut outcome = None;
    let mut elapsed = Duration::ZERO;
    // The sync's job, then the reconciliation run it queues when it made invoices (timed apart:
    // only the sync's job counts).
    loop {
        let started = Instant::now();
        let Some(report) = sync.run_next_job("bench")? else { break };
        if report.kind == SYNC_JOB {
            elapsed += started.elapsed();
            outcome = report.outcome;
        }
    }
    let peak_mib = status_mib("VmHWM:");
    anyhow::ensure!(outcome == Some(SyncOutcome::Succeeded), "the sync ended {outcome:?}");
    let run = sync.runs(actor, id, 1)?.into_iter().next().context("the sync left no run")?;
    Ok(Sync { elapsed, calls: fake.calls_today() - calls_before, peak_mib, run })
}
