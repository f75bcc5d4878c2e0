//! Reconciliation speed: one organisation with INVOICES invoices (half of them open) and
//! HISTORY bank transactions already reconciled, on PostgreSQL; then new batches of 1,000
//! transactions arrive and the reconciliation run (the job's body: load the open items, match,
//! store matches, suggestions, invoice payments and audit entries) is timed.
//!
//! Each batch holds 250 credits quoting an open receivable's OGM with its amount, 250 quoting an
//! invoice number in free text with its amount, 100 that fit two invoices by amount and
//! customer (suggestions), and 400 that fit nothing.
//!
//! `cargo run --release -p billify --example bench_reconcile -- INVOICES HISTORY ROUNDS URL`
//! prints one Markdown table row. The database is a temporary schema, dropped afterwards.

#![allow(clippy::print_stdout, reason = "a benchmark prints its result")]

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use billify::wiring::Store;
use billify_domain::{
    BankAccount, BankTransaction, Counterparty, Currency, Direction, EmailAddress, Invoice, InvoiceId, InvoiceKind,
    InvoiceNumber, InvoiceSource, Membership, Money, NewBankAccount, NewBankTransaction, NewInvoice, Organisation,
    OrganisationId, OrganisationName, PaymentReference, PersonName, ProviderId, RemittanceType, Role,
    StructuredReference, User, UserId,
};
use billify_ports::bank::BankRepository;
use billify_ports::bank::BankSource;
use billify_ports::reconciliation::ReconciliationOutcome;
use billify_ports::{AccountRepository, InvoiceRepository, ReconciliationRepository, SystemClock};
use billify_store_postgres::{PostgresConfig, PostgresStore};
use time::OffsetDateTime;
use uuid::Uuid;

#[path = "support/services.rs"]
mod services;

const BATCH: usize = 1000;

fn eur(minor: i64) -> anyhow::Result<Money> {
    Ok(Money::from_minor_units(minor, Currency::EUR)?)
}

/// The customer of invoice `n`: 2,000 customers, so names repeat as in a real ledger.
fn customer(n: usize) -> String {
    format!("Customer {} BV", n % 2000)
}

/// The total of invoice `n` in cents: spread so that few invoices share an amount.
fn total(n: usize) -> i64 {
    10_000 + i64::try_from((n * 7919) % 900_000).unwrap_or(0)
}

fn main() -> anyhow::Result<()> {
    env_logger::init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let invoices: usize = args.first().map(|a| a.parse()).transpose().context("INVOICES")?.unwrap_or(100_000);
    let history: usize = args.get(1).map(|a| a.parse()).transpose().context("HISTORY")?.unwrap_or(1_000_000);
    let rounds: usize = args.get(2).map(|a| a.parse()).transpose().context("ROUNDS")?.unwrap_or(5);
    let url = args
        .get(3)
        .cloned()
        .or_else(|| std::env::var("BILLIFY_BENCH_DATABASE_URL").ok())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let schema = format!("bench_rec_{}", std::process::id());
    PostgresStore::create_schema(&url, &schema)?;
    let result = run(&url, &schema, invoices, history, rounds);
    PostgresStore::drop_schema(&url, &schema)?;
    let row = result?;
    println!("{row}");
    Ok(())
}

fn run(url: &str, schema: &str, invoices: usize, history: usize, rounds: usize) -> anyhow::Result<String> {
    let mut config = PostgresConfig::new(url.to_owned());
    config.schema = Some(schema.to_owned());
    config.pool_size = 12;
    let pg = PostgresStore::open(&config)?;
    pg.run_migrations()?;
    let store: Arc<dyn Store> = Arc::new(pg);
    let now = OffsetDateTime::now_utc();
    let today = now.date();
    let organisation = Organisation {
        id: OrganisationId::from_uuid(Uuid::now_v7()),
        name: OrganisationName::parse("Bench Reconcile BV")?,
        vat_number: None,
        calendar: Default::default(),
        created_at: now,
    };
    let user = User {
        id: UserId::from_uuid(Uuid::now_v7()),
        email: EmailAddress::parse("bench-reconcile@example.be")?,
        name: PersonName::parse("Bench User")?,
        password_hash: "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g".into(),
        created_at: now,
    };
    let membership =
        Membership { organisation_id: organisation.id, user_id: user.id, role: Role::Owner, created_at: now };
    AccountRepository::register(store.as_ref(), &organisation, &user, &membership)?;
    let org = organisation.id;

    // Invoices, on 8 threads: even numbers open receivables (every fourth with an OGM), odd ones
    // paid or payables.
    let setup = Instant::now();
    let threads = 8;
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let mut handles = Vec::new();
        for t in 0..threads {
            let repo: Arc<dyn InvoiceRepository> = store.clone();
            handles.push(scope.spawn(move || -> anyhow::Result<()> {
                for n in (t..invoices).step_by(threads) {
                    let open = n % 2 == 0;
                    let new = NewInvoice {
                        direction: if n % 4 == 3 { Direction::Payable } else { Direction::Receivable },
                        kind: InvoiceKind::Invoice,
                        corrects: None,
                        invoice_number: InvoiceNumber::parse(&format!("INV-{n:07}"))?,
                        counterparty: Counterparty::new(&customer(n), None, None, None)?,
                        issue_date: today - time::Duration::days(40),
                        due_date: today - time::Duration::days(i64::try_from(n % 60).unwrap_or(0) - 20),
                        subtotal: None,
                        vat_amount: None,
                        total: eur(total(n))?,
                        amount_paid: (!open).then(|| eur(total(n))).transpose()?,
                        manual_urgency: None,
                        payment_reference: (n % 4 == 0)
                            .then(|| StructuredReference::from_number(n as u64).map(PaymentReference::Structured))
                            .transpose()?,
                        source: InvoiceSource::Import,
                        external_reference: None,
                    };
                    let (invoice, events) =
                        Invoice::create(InvoiceId::from_uuid(Uuid::now_v7()), org, new, now, today)?;
                    repo.insert(&invoice, &events)?;
                }
                Ok(())
            }));
        }
        for h in handles {
            h.join().map_err(|_| anyhow::anyhow!("an insert thread panicked"))??;
        }
        Ok(())
    })?;
    let invoice_setup = setup.elapsed();

    let account = BankAccount::new(NewBankAccount {
        provider_id: ProviderId::parse("BE68539007547034")?,
        iban: None,
        currency: Currency::EUR,
        current_balance: eur(0)?,
        available_balance: None,
        holder_name: None,
        institution_name: None,
        description: None,
        authorization_expires_at: None,
        synchronized_at: Some(now),
    })?;
    let bank: Arc<dyn BankRepository> = store.clone();
    let (account_id, _) = bank.upsert_bank_account(org, BankSource::Statement, &account, now)?;
    let tx = |id: String, minor: i64, name: &str, text: String, day: i64| -> anyhow::Result<BankTransaction> {
        Ok(BankTransaction::new(NewBankTransaction {
            provider_id: ProviderId::parse(&id)?,
            account_provider_id: ProviderId::parse("BE68539007547034")?,
            amount: eur(minor)?,
            counterparty_name: Some(name.to_owned()),
            counterparty_account: None,
            remittance_information: Some(text),
            remittance_type: RemittanceType::Unstructured,
            description: None,
            execution_date: today - time::Duration::days(day),
            value_date: None,
            bank_transaction_code: None,
            bank_reference: None,
        }))
    };

    // History: transactions the rules looked at long ago (card payments, salaries...).
    let reconciliation: Arc<dyn ReconciliationRepository> = store.clone();
    let setup = Instant::now();
    for chunk in 0..history.div_ceil(10_000) {
        let batch: Vec<BankTransaction> = (chunk * 10_000..((chunk + 1) * 10_000).min(history))
            .map(|n| {
                tx(format!("h-{n}"), -1 - i64::try_from(n % 50_000).unwrap_or(0), "Shop", format!("card {n}"), 400)
            })
            .collect::<Result<_, _>>()?;
        bank.upsert_bank_transactions(org, account_id, &batch, now)?;
        loop {
            let pending = reconciliation.transactions_to_reconcile(org, 10_000)?;
            if pending.is_empty() {
                break;
            }
            let outcome = ReconciliationOutcome {
                reconciled_transactions: pending.iter().map(|t| t.id).collect(),
                ..Default::default()
            };
            reconciliation.save_outcome(org, &outcome, now)?;
        }
    }
    let history_setup = setup.elapsed();

    let wired = services::wired(services::Bench {
        store: store.clone(),
        clock: Arc::new(SystemClock),
        provider: None,
        cipher: None,
        sync: billify_app::SyncSettings::default(),
    })?;
    let service = wired.services.reconciliation.clone();
    // The first run compares the 100,000 invoices just stored with the transactions the rules left
    // unmatched in their window (their issue date less the 60-day date window: none of the old
    // history), then marks them compared.
    let started = Instant::now();
    let first = service.run(org)?;
    let first_run = started.elapsed();
    anyhow::ensure!(first.matches == 0, "the history paid nothing: {first:?}");
    let mut times = Vec::new();
    let (mut matches, mut suggestions) = (0, 0);
    let open_at_start = reconciliation.open_items(org)?.len();
    for round in 0..rounds {
        // Each round pays invoices no earlier round paid.
        let base = round * 4000;
        let mut batch = Vec::with_capacity(BATCH);
        for k in 0..250 {
            let n = base + k * 4; // n % 4 == 0: an open receivable with an OGM
            let ogm = StructuredReference::from_number(n as u64)?.formatted();
            batch.push(tx(format!("r{round}-ogm-{k}"), total(n), &customer(n), format!("betaling {ogm}"), 1)?);
        }
        for k in 0..250 {
            let n = base + k * 4 + 2; // an open receivable without an OGM
            batch.push(tx(format!("r{round}-num-{k}"), total(n), &customer(n), format!("Factuur INV {n:07}"), 1)?);
        }
        for k in 0..100 {
            // An amount two open invoices of one customer share: a suggestion.
            let n = 2000 + base + k * 4 + 2;
            batch.push(tx(format!("r{round}-amb-{k}"), total(n), &customer(n), "maandelijkse betaling".into(), 1)?);
        }
        for k in 0..400_i64 {
            batch.push(tx(format!("r{round}-none-{k}"), 1 + k, "Nobody", "x".into(), 1)?);
        }
        bank.upsert_bank_transactions(org, account_id, &batch, now)?;
        let started = Instant::now();
        let summary = service.run(org)?;
        times.push(started.elapsed());
        anyhow::ensure!(summary.transactions as usize == BATCH, "the run saw {} transactions", summary.transactions);
        matches += summary.matches;
        suggestions += summary.suggestions;
    }
    // Running again on the same data changes nothing.
    let started = Instant::now();
    let again = service.run(org)?;
    let rerun = started.elapsed();
    anyhow::ensure!(again.transactions == 0 && again.matches == 0, "a re-run changed something: {again:?}");

    times.sort();
    let median = times[times.len() / 2];
    let worst = times.last().copied().unwrap_or(Duration::ZERO);
    Ok(format!(
        "| PostgreSQL | {invoices} | {open_at_start} | {history} | {rounds} x {BATCH} | **{:.0} ms** | {:.0} ms | {} | {} | {:.1} ms | {:.0} s + {:.0} s + {:.1} s |",
        median.as_secs_f64() * 1000.0,
        worst.as_secs_f64() * 1000.0,
        matches as usize / rounds,
        suggestions as usize / rounds,
        rerun.as_secs_f64() * 1000.0,
        invoice_setup.as_secs_f64(),
        history_setup.as_secs_f64(),
        first_run.as_secs_f64(),
    ))
}
