//! The cash forecast at scale: one organisation with 100,000 invoices and credit notes and
//! 1,000,000 bank transactions (plus a few recurring flows) on PostgreSQL, and the latency of the
//! 90-day forecast (`ForecastService::forecast`, what `GET /api/v1/cashflow/forecast` calls); then
//! the backtest's error on the synthetic history (`billify::synthetic`, the one the forecast test
//! bounds) in another organisation of the same database.
//!
//! `cargo run --release -p billify --example bench_forecast -- [INVOICES] [TRANSACTIONS] [URL]`
//! prints Markdown table rows: the forecast's latency, then the backtest's error per horizon.
//! The data goes into a temporary schema that is dropped afterwards; it is written through the
//! real repositories.

#![allow(clippy::print_stdout, reason = "a benchmark prints its result")]

use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use anyhow::Context as _;
use billify_app::Actor;
use billify_domain::{
    BankTransaction, Currency, EmailAddress, Membership, Money, NewBankTransaction, Organisation, OrganisationId,
    OrganisationName, PersonName, ProviderId, RemittanceType, Role, User, UserId,
};
use billify_ports::bank::BankRepository;
use billify_ports::{AccountRepository, Clock, SystemClock};
use billify_store_postgres::{PostgresConfig, PostgresStore};
use time::{Date, Duration};
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
    let schema = format!("bench_forecast_{}", std::process::id());
    PostgresStore::create_schema(&url, &schema)?;
    let result = run(&url, &schema, invoices, transactions);
    if std::env::var_os("BENCH_KEEP_SCHEMA").is_some() {
        eprintln!("kept schema {schema}");
    } else {
        PostgresStore::drop_schema(&url, &schema)?;
    }
    result
}

fn organisation(store: &PostgresStore, name: &str, email: &str) -> anyhow::Result<(OrganisationId, UserId)> {
    let now = SystemClock.now();
    let organisation = Organisation {
        id: OrganisationId::from_uuid(Uuid::now_v7()),
        name: OrganisationName::parse(name)?,
        vat_number: None,
        calendar: Default::default(),
        created_at: now,
    };
    let user = User {
        id: UserId::from_uuid(Uuid::now_v7()),
        email: EmailAddress::parse(email)?,
        name: PersonName::parse("Bench")?,
        password_hash: "unused".into(),
        created_at: now,
    };
    let membership =
        Membership { organisation_id: organisation.id, user_id: user.id, role: Role::Owner, created_at: now };
    store.register(&organisation, &user, &membership)?;
    Ok((organisation.id, user.id))
}

fn run(url: &str, schema: &str, invoices: usize, transactions: usize) -> anyhow::Result<()> {
    let mut config = PostgresConfig::new(url.to_owned());
    config.schema = Some(schema.to_owned());
    config.pool_size = 8;
    let store = Arc::new(PostgresStore::open(&config)?);
    store.run_migrations()?;
    let (org, user) = organisation(&store, "Bench Forecast BV", "forecast@example.be")?;
    let today = SystemClock.today_in(&Default::default());

    let started = Instant::now();
    load_invoices(&store, org, invoices, today)?;
    load_transactions(&store, org, transactions, today)?;
    load_series(&store, org, today)?;
    eprintln!("loaded {invoices} invoices and {transactions} transactions in {:.1?}", started.elapsed());
    store.vacuum_analyze()?;

    let wired = services::wired(services::Bench {
        store: store.clone(),
        clock: Arc::new(SystemClock),
        provider: None,
        cipher: None,
        sync: billify_app::SyncSettings::default(),
    })?;
    let service = wired.services.forecast.clone();
    let actor = Actor { user_id: user, organisation_id: org, role: Role::Viewer, ip: None };
    // The first forecast of the day detects the recurring series over 400 days of transactions.
    let t = Instant::now();
    let first = service.forecast(&actor, Some(90))?;
    let detection = t.elapsed();
    let series = service.recurring(&actor)?.series.len();
    for _ in 0..10 {
        service.forecast(&actor, Some(90))?;
    }
    let runs = 100;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(service.forecast(&actor, Some(90))?);
        times.push(t.elapsed());
    }
    times.sort();
    let at = |q: f64| times[((runs as f64 * q).ceil() as usize).min(runs) - 1];
    let movements: usize = first.currencies.iter().flat_map(|c| &c.days).map(|d| d.items.len()).sum();
    println!(
        "| 90-day forecast | {invoices} | {transactions} | {series} | {movements} | {} | {} | {} | **{}** | {} |",
        ms(detection),
        ms(at(0.5)),
        ms(at(0.95)),
        ms(at(0.99)),
        ms(times[runs - 1]),
    );

    // The backtest on the synthetic history, in its own organisation.
    let (synthetic, _) = organisation(&store, "Synthetic BV", "synthetic@example.be")?;
    let facts = billify::synthetic::write_history(
        store.as_ref(),
        store.as_ref(),
        synthetic,
        today - Duration::days(1),
        18,
        5_000_000,
        15,
    )?;
    let t = Instant::now();
    let accuracy = service.backtest(synthetic)?;
    let took = t.elapsed();
    for c in &accuracy.currencies {
        for h in &c.horizons {
            let mae = Money::from_minor_units(h.mean_absolute_error_minor, c.currency)?;
            println!(
                "| backtest | {} invoices, {} transactions | {} | {} | {} | {} {} | {} / {} | {} |",
                facts.invoices,
                facts.transactions,
                h.horizon,
                h.samples,
                h.mape_basis_points.map(|b| format!("{}.{:02} %", b / 100, b % 100)).unwrap_or_else(|| "-".into()),
                mae.to_plain_string(),
                c.currency.code(),
                h.inside_band,
                h.samples,
                ms(took),
            );
        }
    }
    Ok(())
}

fn ms(d: StdDuration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Rent, salaries and a subscription over the last 14 months on the first account: the
/// recurring flows the forecast continues.
fn load_series(store: &Arc<PostgresStore>, org: OrganisationId, today: Date) -> anyhow::Result<()> {
    let now = SystemClock.now();
    let accounts = store.bank_accounts(org)?;
    let account = accounts.first().context("no account")?;
    let mut rows = Vec::new();
    for m in 0..14i64 {
        let day = today - Duration::days(30 * m + 3);
        for (k, (name, iban, minor)) in
            [("Landlord", "BE43068999999501", -250_000i64), ("Payroll", "BE56001000000088", -1_200_000)]
                .iter()
                .enumerate()
        {
            rows.push(BankTransaction::new(NewBankTransaction {
                provider_id: ProviderId::parse(&format!("series-{k}-{m}"))?,
                account_provider_id: ProviderId::parse("acc-0")?,
                amount: Money::from_minor_units(*minor, Currency::EUR)?,
                counterparty_name: Some((*name).to_owned()),
                counterparty_account: Some((*iban).to_owned()),
                remittance_information: None,
                remittance_type: RemittanceType::Unstructured,
                description: None,
                execution_date: day,
                value_date: None,
                bank_transaction_code: None,
                bank_reference: None,
            }));
        }
    }
    store.upsert_bank_transactions(org, account.id, &rows, now)?;
    Ok(())
}
