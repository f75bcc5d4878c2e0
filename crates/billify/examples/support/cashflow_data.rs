//! The data of the cash-flow and forecast benchmarks (`bench_cashflow`, `bench_forecast`): three
//! years of invoices and bank transactions for one organisation on PostgreSQL, from a fixed seed.
//! Included by both with `#[path]`.

use std::sync::Arc;

use billify_domain::{
    BankAccount, BankTransaction, Counterparty, Currency, Direction, Iban, Invoice, InvoiceId, InvoiceKind,
    InvoiceNumber, InvoiceSource, Money, NewBankAccount, NewBankTransaction, NewInvoice, OrganisationId, ProviderId,
    RemittanceType,
};
use billify_ports::bank::{BankRepository, BankSource};
use billify_ports::{Clock, InvoiceRepository, SystemClock};
use billify_store_postgres::PostgresStore;
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use time::{Date, Duration};
use uuid::Uuid;

/// The organisation's own accounts: transfers between them are not money in or out.
pub const OWN_IBANS: [&str; 4] = ["BE68539007547034", "BE71096123456769", "NL91ABNA0417164300", "BE62510007547061"];

/// Invoices over three years up to today, due 30 days after issue; older ones mostly paid, the
/// last three months mostly open; a few percent credit notes, most of them linked; 5 % in USD.
pub fn load_invoices(store: &Arc<PostgresStore>, org: OrganisationId, count: usize, today: Date) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(14);
    let usd = Currency::parse("USD")?;
    let clock_now = SystemClock.now();
    let mut docs: Vec<(Invoice, Vec<billify_domain::InvoiceEvent>)> = Vec::with_capacity(count);
    let mut recent: Vec<(InvoiceId, Direction, Currency, i64)> = Vec::new();
    for n in 0..count {
        let age_days = rng.random_range(0..3 * 365);
        let issue = today - Duration::days(age_days);
        let due = issue + Duration::days(30);
        let direction = if rng.random_bool(0.5) { Direction::Receivable } else { Direction::Payable };
        let currency = if rng.random_bool(0.05) { usd } else { Currency::EUR };
        let net: i64 = rng.random_range(1_000..500_000);
        let vat = net * 21 / 100;
        let total = net + vat;
        let credit_note = rng.random_bool(0.03) && !recent.is_empty();
        let (kind, corrects, direction, currency, total, vat) = if credit_note {
            let (id, d, c, t) = recent[rng.random_range(0..recent.len())];
            let part = rng.random_range(1..=t);
            let linked = rng.random_bool(0.8);
            (InvoiceKind::CreditNote, linked.then_some(id), d, c, part, part * 21 / 121)
        } else {
            (InvoiceKind::Invoice, None, direction, currency, total, vat)
        };
        let paid_probability = if age_days > 90 {
            0.95
        } else if age_days > 30 {
            0.5
        } else {
            0.1
        };
        let paid = if rng.random_bool(paid_probability) {
            total
        } else if rng.random_bool(0.2) {
            rng.random_range(0..total)
        } else {
            0
        };
        let m = |minor: i64| Money::from_minor_units(minor, currency);
        let new = NewInvoice {
            direction,
            kind,
            corrects,
            invoice_number: InvoiceNumber::parse(&format!("B-{n:07}"))?,
            counterparty: Counterparty::new(&format!("Party {}", n % 997), None, None, None)?,
            issue_date: issue,
            due_date: due,
            subtotal: Some(m(total - vat)?),
            vat_amount: Some(m(vat)?),
            total: m(total)?,
            amount_paid: Some(m(paid)?),
            manual_urgency: None,
            payment_reference: None,
            source: InvoiceSource::Import,
            external_reference: None,
        };
        let id = InvoiceId::from_uuid(Uuid::now_v7());
        let created = Invoice::create(id, org, new, clock_now, today)?;
        if kind == InvoiceKind::Invoice && age_days < 120 {
            recent.push((id, direction, currency, total));
        }
        docs.push(created);
    }
    // Four writers: the load is not what is measured.
    let chunks: Vec<_> = docs.chunks(count.div_ceil(4).max(1)).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                let store = store.clone();
                scope.spawn(move || -> anyhow::Result<()> {
                    for (invoice, events) in chunk {
                        store.insert(invoice, events)?;
                    }
                    Ok(())
                })
            })
            .collect();
        handles.into_iter().try_for_each(|h| h.join().map_err(|_| anyhow::anyhow!("a loader panicked"))?)
    })
}

/// Transactions over three years on four accounts (one in USD); one in twenty is a transfer
/// between the organisation's own accounts.
pub fn load_transactions(
    store: &Arc<PostgresStore>,
    org: OrganisationId,
    count: usize,
    today: Date,
) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(15);
    let now = SystemClock.now();
    let mut accounts = Vec::new();
    for (i, iban) in OWN_IBANS.iter().enumerate() {
        let currency = if i == 3 { Currency::parse("USD")? } else { Currency::EUR };
        let account = BankAccount::new(NewBankAccount {
            provider_id: ProviderId::parse(&format!("acc-{i}"))?,
            iban: Some(Iban::parse(iban)?),
            currency,
            current_balance: Money::from_minor_units(rng.random_range(-1_000_000..50_000_000), currency)?,
            available_balance: None,
            holder_name: Some("Bench Cash BV".into()),
            institution_name: Some("Belfius".into()),
            description: None,
            authorization_expires_at: None,
            synchronized_at: Some(now - Duration::hours(i as i64 * 12)),
        })?;
        let (id, _) = store.upsert_bank_account(org, BankSource::Ponto, &account, now)?;
        accounts.push((id, currency, i));
    }
    const BATCH: usize = 10_000;
    let mut n = 0;
    while n < count {
        let (account_id, currency, index) = accounts[(n / BATCH) % accounts.len()];
        let size = BATCH.min(count - n);
        let batch: Vec<BankTransaction> = (0..size)
            .map(|k| {
                let amount: i64 = rng.random_range(-300_000..400_000);
                let counterparty = if rng.random_bool(0.05) {
                    OWN_IBANS[(index + 1) % OWN_IBANS.len()].to_owned()
                } else {
                    format!("BE{:02}0000{:08}", 10 + (k % 80), rng.random_range(0..99_999_999u32))
                };
                Ok(BankTransaction::new(NewBankTransaction {
                    provider_id: ProviderId::parse(&format!("t-{}", n + k))?,
                    account_provider_id: ProviderId::parse(&format!("acc-{index}"))?,
                    amount: Money::from_minor_units(if amount == 0 { 1 } else { amount }, currency)?,
                    counterparty_name: Some(format!("Counterparty {}", k % 500)),
                    counterparty_account: Some(counterparty),
                    remittance_information: Some(format!("Invoice B-{:07}", rng.random_range(0..100_000))),
                    remittance_type: RemittanceType::Unstructured,
                    description: None,
                    execution_date: today - Duration::days(rng.random_range(0..3 * 365)),
                    value_date: None,
                    bank_transaction_code: None,
                    bank_reference: None,
                }))
            })
            .collect::<anyhow::Result<_>>()?;
        store.upsert_bank_transactions(org, account_id, &batch, now)?;
        n += size;
    }
    Ok(())
}
