//! The cash position at scale: one organisation with 100,000 invoices and credit notes and
//! 1,000,000 bank transactions on PostgreSQL, and the latency of its whole dashboard
//! (`CashflowService::summary`, what `GET /api/v1/cashflow/summary` calls) under several ranges.
//!
//! `cargo run --release -p billify --example bench_cashflow -- [INVOICES] [TRANSACTIONS] [URL]`
//! prints Markdown table rows, one per request shape. The data goes into a temporary schema that
//! is dropped afterwards; it is written through the real repositories (invoices with their
//! events, transactions by the sync's batch upsert).

#![allow(clippy::print_stdout, reason = "a benchmark prints its result")]

use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use anyhow::Context as _;
use billify_app::Actor;
use billify_app::cashflow::SummaryRequest;
use billify_domain::{
    EmailAddress, Interval, Membership, Organisation, OrganisationId, OrganisationName, PersonName, Role, User, UserId,
};
use billify_ports::{AccountRepository, Clock, SystemClock};
use billify_store_postgres::{PostgresConfig, PostgresStore};
use uuid::Uuid;

#[path = "support/cashflow_data.rs"]
mod cashflow_data;
#[path = "support/services.rs"]
mod services;
use cashflow_data::{load_invoices, load_transactions};

fn main() -> anyhow::Result<()> {
    env_logger::init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let invoices: usize = args.first().map(|a| a.parse()).transpose().context("INVOICES")?.unwrap_or(100_000);
    let transactions: usize = args.get(1).map(|a| a.parse()).transpose().context("TRANSACTIONS")?.unwrap_or(1_000_000);
    let url = args.get(2).cloned().unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = format!("bench_cashflow_{}", std::process::id());
    PostgresStore::create_schema(&url, &schema)?;
    let result = run(&url, &schema, invoices, transactions);
    // `BENCH_KEEP_SCHEMA=1` keeps the data, to look at the plans (EXPLAIN ANALYZE) afterwards.
    if std::env::var_os("BENCH_KEEP_SCHEMA").is_some() {
        eprintln!("kept schema {schema}");
    } else {
        PostgresStore::drop_schema(&url, &schema)?;
    }
    result
}

fn run(url: &str, schema: &str, invoices: usize, transactions: usize) -> anyhow::Result<()> {
    let mut config = PostgresConfig::new(url.to_owned());
    config.schema = Some(schema.to_owned());
    config.pool_size = 8;
    let store = Arc::new(PostgresStore::open(&config)?);
    store.run_migrations()?;
    let clock = SystemClock;
    let now = clock.now();
    let organisation = Organisation {
        id: OrganisationId::from_uuid(Uuid::now_v7()),
        name: OrganisationName::parse("Bench Cash BV")?,
        vat_number: None,
        calendar: Default::default(),
        created_at: now,
    };
    let user = User {
        id: UserId::from_uuid(Uuid::now_v7()),
        email: EmailAddress::parse("cash@example.be")?,
        name: PersonName::parse("Bench")?,
        password_hash: "unused".into(),
        created_at: now,
    };
    let membership =
        Membership { organisation_id: organisation.id, user_id: user.id, role: Role::Owner, created_at: now };
    store.register(&organisation, &user, &membership)?;
    let org = organisation.id;
    let today = clock.today_in(&organisation.calendar.time_zone);

    let started = Instant::now();
    load_invoices(&store, org, invoices, today)?;
    let invoices_took = started.elapsed();
    let started = Instant::now();
    load_transactions(&store, org, transactions, today)?;
    let transactions_took = started.elapsed();
    eprintln!(
        "loaded {invoices} invoices in {invoices_took:.1?}, {transactions} transactions in {transactions_took:.1?}"
    );
    store.vacuum_analyze()?;

    let wired = services::wired(services::Bench {
        store: store.clone(),
        clock: Arc::new(SystemClock),
        provider: None,
        cipher: None,
        sync: billify_app::SyncSettings::default(),
    })?;
    let service = wired.services.cashflow.clone();
    let actor = Actor { user_id: user.id, organisation_id: org, role: Role::Viewer, ip: None };
    eprintln!("organisation {org}");
    let shapes: [(&str, SummaryRequest); 4] = [
        ("default: 30 days by day", SummaryRequest::default()),
        ("12 weeks by week", SummaryRequest { interval: Some(Interval::Week), ..Default::default() }),
        ("12 months by month", SummaryRequest { interval: Some(Interval::Month), ..Default::default() }),
        ("default, upcoming=100", SummaryRequest { upcoming: Some(100), ..Default::default() }),
    ];
    for (name, request) in shapes {
        let summary = service.summary(&actor, request)?;
        for _ in 0..20 {
            service.summary(&actor, request)?;
        }
        let runs = 300;
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let t = Instant::now();
            std::hint::black_box(service.summary(&actor, request)?);
            times.push(t.elapsed());
        }
        times.sort();
        let at = |q: f64| times[((runs as f64 * q).ceil() as usize).min(runs) - 1];
        let open: u64 = summary.receivables.totals.iter().chain(&summary.payables.totals).map(|t| t.count).sum();
        let moved: u64 =
            summary.flows.currencies.iter().flat_map(|c| &c.periods).map(|p| p.count_in + p.count_out).sum();
        println!(
            "| {name} | {invoices} | {transactions} | {open} | {moved} | {} | {} | **{}** | {} |",
            ms(at(0.5)),
            ms(at(0.95)),
            ms(at(0.99)),
            ms(times[runs - 1]),
        );
    }
    Ok(())
}

fn ms(d: StdDuration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}
