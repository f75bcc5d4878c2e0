//! A synthetic organisation history with known recurring flows and known customer payment
//! delays, written through the repository ports: the ground truth the forecast's backtest is
//! measured on (`crates/billify/tests/forecast.rs` bounds its error, `cargo xtask bench` records
//! it in `docs/benchmarks.md`).
//!
//! Over `months` months up to `end`: rent (monthly, fixed), salaries (monthly, a day of jitter
//! and 1 % of amount), a subscription (weekly), insurance (quarterly); five customers invoiced
//! every month with varying amounts, each paying a known number of days after the due date
//! (0, 5, 12, 20, 35, give or take two days); suppliers paid on their due date; and small card
//! payments to one-off shops. Every paid invoice has its bank transaction; the account's balance
//! is the start balance plus every transaction.

use anyhow::Context as _;
use billify_domain::forecast::add_months;
use billify_domain::{
    BankAccount, BankTransaction, Counterparty, Currency, Direction, Iban, Invoice, InvoiceId, InvoiceKind,
    InvoiceNumber, InvoiceSource, Money, NewBankAccount, NewBankTransaction, NewInvoice, OrganisationId, ProviderId,
    RemittanceType,
};
use billify_ports::InvoiceRepository;
use billify_ports::bank::{BankRepository, BankSource};
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use time::{Date, Duration, OffsetDateTime, Time};

/// The customers' known payment delays in days after the due date.
pub const CUSTOMER_DELAYS: [i64; 5] = [0, 5, 12, 20, 35];

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntheticFacts {
    /// Invoices written (receivables and payables).
    pub invoices: usize,
    /// Bank transactions written.
    pub transactions: usize,
    /// The account's balance at the end.
    pub balance_minor: i64,
}

fn at(day: Date) -> OffsetDateTime {
    day.with_time(Time::from_hms(11, 0, 0).unwrap_or(Time::MIDNIGHT)).assume_utc()
}

struct Writer<'a> {
    org: OrganisationId,
    end: Date,
    invoices: &'a dyn InvoiceRepository,
    transactions: Vec<BankTransaction>,
    invoice_count: usize,
    next_id: u64,
}

impl Writer<'_> {
    fn id(&mut self) -> anyhow::Result<InvoiceId> {
        self.next_id += 1;
        Ok(format!("00000000-0000-7000-8000-{:012x}", self.next_id).parse()?)
    }

    fn booking(&mut self, day: Date, minor: i64, name: &str, iban: Option<&str>) -> anyhow::Result<()> {
        if day > self.end {
            return Ok(());
        }
        let n = self.transactions.len();
        self.transactions.push(BankTransaction::new(NewBankTransaction {
            provider_id: ProviderId::parse(&format!("syn-{n}"))?,
            account_provider_id: ProviderId::parse("synthetic")?,
            amount: Money::from_minor_units(minor, Currency::EUR)?,
            counterparty_name: Some(name.to_owned()),
            counterparty_account: iban.map(str::to_owned),
            remittance_information: None,
            remittance_type: RemittanceType::Unstructured,
            description: None,
            execution_date: day,
            value_date: None,
            bank_transaction_code: None,
            bank_reference: None,
        }));
        Ok(())
    }

    /// An invoice issued on `issue`, due 30 days later, paid `delay` days after the due date
    /// (with its bank transaction) when that is not after the end.
    fn invoice(
        &mut self,
        direction: Direction,
        party: &str,
        issue: Date,
        minor: i64,
        delay: i64,
    ) -> anyhow::Result<()> {
        if issue > self.end {
            return Ok(());
        }
        let due = issue + Duration::days(30);
        let paid_on = due + Duration::days(delay);
        let paid = paid_on <= self.end;
        let total = Money::from_minor_units(minor, Currency::EUR)?;
        let number = format!("SYN-{}", self.invoice_count);
        let new = NewInvoice {
            direction,
            kind: InvoiceKind::Invoice,
            corrects: None,
            invoice_number: InvoiceNumber::parse(&number)?,
            counterparty: Counterparty::new(party, None, None, None)?,
            issue_date: issue,
            due_date: due,
            subtotal: None,
            vat_amount: None,
            amount_paid: Some(if paid { total.clone() } else { Money::zero(Currency::EUR) }),
            total,
            manual_urgency: None,
            payment_reference: None,
            source: InvoiceSource::Import,
            external_reference: None,
        };
        let when = if paid { paid_on } else { issue };
        let (invoice, events) = Invoice::create(self.id()?, self.org, new, at(when), when)?;
        self.invoices.insert(&invoice, &events).context("storing a synthetic invoice")?;
        self.invoice_count += 1;
        if paid {
            let signed = if direction == Direction::Receivable { minor } else { -minor };
            self.booking(paid_on, signed, party, None)?;
        }
        Ok(())
    }
}

/// Writes the history of `months` months ending on `end` into `org`, with one EUR account
/// (`start_minor` before the first transaction), reproducibly from `seed`.
pub fn write_history(
    invoices: &dyn InvoiceRepository,
    bank: &dyn BankRepository,
    org: OrganisationId,
    end: Date,
    months: u32,
    start_minor: i64,
    seed: u64,
) -> anyhow::Result<SyntheticFacts> {
    let mut rng = StdRng::seed_from_u64(seed);
    let first = Date::from_calendar_date(end.year(), end.month(), 1)?;
    let first = (0..months).fold(first, |d, _| {
        let previous = d.previous_day().unwrap_or(d);
        Date::from_calendar_date(previous.year(), previous.month(), 1).unwrap_or(d)
    });
    let mut w = Writer { org, end, invoices, transactions: Vec::new(), invoice_count: 0, next_id: 0 };
    let landlord = "BE71096123456769";
    let insurer = "BE62510007547061";
    for m in 0..=months {
        let month = add_months(first, m);
        w.booking(month, -200_000, "Landlord BV", Some(landlord))?;
        let salary_day = month + Duration::days(24 + rng.random_range(-1..=1));
        w.booking(salary_day, -800_000 + rng.random_range(-8_000..=8_000), "Payroll Services", None)?;
        if m % 3 == 0 {
            w.booking(month + Duration::days(14), -120_000, "Insurer NV", Some(insurer))?;
        }
        for (k, delay) in CUSTOMER_DELAYS.iter().enumerate() {
            let issue = month + Duration::days(4 + i64::try_from(k).unwrap_or(0));
            let amount = rng.random_range(200_000..900_000);
            let jitter = rng.random_range(-2..=2);
            w.invoice(Direction::Receivable, &format!("Customer {k}"), issue, amount, (delay + jitter).max(-5))?;
        }
        for j in 0..2 {
            let issue = month + Duration::days(9 + 6 * j);
            let amount = rng.random_range(50_000..300_000);
            w.invoice(Direction::Payable, &format!("Supplier {j}"), issue, amount, 0)?;
        }
    }
    let mut week = first + Duration::days(i64::from(7 - first.weekday().number_days_from_monday()) % 7);
    while week <= end {
        w.booking(week, -4_999, "Cloud Subscription", None)?;
        for _ in 0..rng.random_range(0..4) {
            let n = w.transactions.len();
            let day = week + Duration::days(rng.random_range(0..7));
            w.booking(day, -rng.random_range(500..8_000), &format!("Shop {n}"), None)?;
        }
        week += Duration::days(7);
    }
    let balance_minor =
        start_minor + w.transactions.iter().map(|t| t.amount().to_minor_units().unwrap_or(0)).sum::<i64>();
    let now = at(end);
    let account = BankAccount::new(NewBankAccount {
        provider_id: ProviderId::parse("synthetic")?,
        iban: Some(Iban::parse("BE68539007547034")?),
        currency: Currency::EUR,
        current_balance: Money::from_minor_units(balance_minor, Currency::EUR)?,
        available_balance: None,
        holder_name: Some("Synthetic BV".into()),
        institution_name: Some("Belfius".into()),
        description: None,
        authorization_expires_at: None,
        synchronized_at: Some(now),
    })?;
    let (account_id, _) = bank.upsert_bank_account(org, BankSource::Ponto, &account, now)?;
    for chunk in w.transactions.chunks(1_000) {
        bank.upsert_bank_transactions(org, account_id, chunk, now)?;
    }
    Ok(SyntheticFacts { invoices: w.invoice_count, transactions: w.transactions.len(), balance_minor })
}
