//! Backup and restore of the embedded SQLite database: `billify backup` and `billify restore`
//! (the library functions the commands call) on a database of one organisation with INVOICES
//! invoices, seeded as `billify seed` does (batched, with their events and audit entries).
//!
//! The backup is taken while the store that wrote the data is still open (as with a running
//! server, though nothing writes during the measurement); the restore goes into new, empty
//! locations and checks everything (each entry's SHA-256, SQLite's integrity check, the rows per
//! table) before moving it into place.
//!
//! `cargo run --release -p billify --example bench_backup -- INVOICES` prints one Markdown table
//! row (after the seeding's own lines).

#![allow(clippy::print_stdout, reason = "a benchmark prints its result")]

use std::sync::Arc;
use std::time::Instant;

use anyhow::Context as _;
use billify::backup::{Locations, backup, restore};
use billify_app::SyncSettings;
use billify_ports::SystemClock;
use billify_store_sqlite::SqliteStore;

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

/// Resets the process's resident high-water mark (Linux), so `VmHWM` measures what follows.
fn reset_peak() {
    if let Err(e) = std::fs::write("/proc/self/clear_refs", "5") {
        log::warn!("cannot reset the peak resident memory: {e}");
    }
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn main() -> anyhow::Result<()> {
    env_logger::init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let invoices: u32 = args.first().map(|a| a.parse()).transpose().context("INVOICES is a number")?.unwrap_or(10_000);
    let dir = tempfile::tempdir()?;
    let database = dir.path().join("billify.db");
    let documents = dir.path().join("documents");
    std::fs::create_dir_all(&documents)?;
    let store = SqliteStore::open(&format!("sqlite://{}", database.display()), 4)?;
    store.run_migrations()?;
    let wired = services::wired(services::Bench {
        store: Arc::new(store),
        clock: Arc::new(SystemClock),
        provider: None,
        cipher: None,
        sync: SyncSettings::default(),
    })?;
    let seeding = Instant::now();
    billify::seed::seed(&wired.services, "Backup Bench BV", invoices)?;
    let seeded = seeding.elapsed();

    let locations = Locations { database: Some(database.clone()), documents, key_file: None, key_in_variable: false };
    let file = dir.path().join("billify.backup");
    reset_peak();
    let started = Instant::now();
    let report = backup(&locations, &file, false)?;
    let backup_time = started.elapsed();
    let backup_peak = status_mib("VmHWM:");
    let rows: u64 = report.manifest.database.tables.values().sum();
    let stored = report
        .manifest
        .database
        .tables
        .get("invoices")
        .copied()
        .context("the backup's manifest counts the invoices")?;
    anyhow::ensure!(stored == u64::from(invoices), "the backup holds {stored} invoices, not {invoices}");

    let target = dir.path().join("restored");
    let restored = Locations {
        database: Some(target.join("billify.db")),
        documents: target.join("documents"),
        key_file: None,
        key_in_variable: false,
    };
    reset_peak();
    let started = Instant::now();
    let outcome = restore(&restored, &file)?;
    let restore_time = started.elapsed();
    let restore_peak = status_mib("VmHWM:");
    anyhow::ensure!(outcome.manifest == report.manifest, "the restore read another manifest");
    let restored_bytes = std::fs::metadata(target.join("billify.db"))?.len();

    println!(
        "| SQLite | {invoices} | {rows} | {:.1} MiB | {:.1} MiB | **{:.2} s** | {:.1} MiB | **{:.2} s** | {:.1} MiB | {:.0} MiB | {:.0} MiB | {:.1} s |",
        mib(std::fs::metadata(&database)?.len()),
        report.manifest.database.file.as_ref().map_or(0.0, |f| mib(f.bytes)),
        backup_time.as_secs_f64(),
        mib(report.bytes),
        restore_time.as_secs_f64(),
        mib(restored_bytes),
        backup_peak,
        restore_peak,
        seeded.as_secs_f64(),
    );
    Ok(())
}
