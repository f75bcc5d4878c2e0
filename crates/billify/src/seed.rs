//! `billify seed`: a demo organisation with realistic Belgian and Dutch invoices.

use anyhow::Context as _;
use billify_app::{Actor, Registration};
use billify_domain::{
    BankAccount, BankTransaction, Bic, Counterparty, Currency, Direction, Iban, InvoiceKind, InvoiceNumber,
    InvoiceSource, Money, NewBankAccount, NewBankTransaction, NewInvoice, PaymentReference, ProviderId, RemittanceType,
    Role, StructuredReference, UrgencyLevel, VatNumber,
};
use indicatif::{ProgressBar, ProgressStyle};
use rand::Rng as _;
use rand::seq::IndexedRandom as _;

use crate::bank_sync::SyncConfig;
use crate::config::Config;
use crate::wiring::{Services, services};

const BELGIAN: &[&str] = &[
    "Bloc Group BV",
    "Brouwerij De Klok NV",
    "Antwerp Logistics BV",
    "Gentse Drukkerij BV",
    "Atelier Lumière SRL",
    "Boulangerie Dupont SA",
    "Kempen IT Solutions BV",
    "Leuven Lab Supplies NV",
    "Mechelen Meubelen BV",
    "Brussels Legal SRL",
    "Liège Métal SA",
    "Brugse Bloemen BV",
];
const DUTCH: &[&str] = &[
    "Amsterdam Cloud B.V.",
    "Rotterdam Havendiensten B.V.",
    "Utrechtse Koffiebranderij B.V.",
    "Eindhoven Sensors B.V.",
    "Groningen Energie B.V.",
    "Haagse Adviesgroep B.V.",
    "Delftse Tegels B.V.",
];
const BANKS_BE: &[(&str, &str)] = &[("001", "GEBABEBB"), ("068", "GKCCBEBB"), ("310", "BBRUBEBB"), ("734", "KREDBEBB")];
const BANKS_NL: &[(&str, &str)] = &[("ABNA", "ABNANL2A"), ("INGB", "INGBNL2A"), ("RABO", "RABONL2U")];

fn iban(country: &str, bban: &str) -> anyhow::Result<Iban> {
    let numeric: String =
        format!("{bban}{country}00").chars().filter_map(|c| c.to_digit(36)).map(|d| d.to_string()).collect();
    let remainder = numeric.bytes().fold(0u32, |acc, b| (acc * 10 + u32::from(b - b'0')) % 97);
    Ok(Iban::parse(&format!("{country}{:02}{bban}", 98 - remainder))?)
}

fn belgian_party(rng: &mut impl rand::Rng, name: &str) -> anyhow::Result<Counterparty> {
    let base: u64 = rng.random_range(2_000_000..9_999_999);
    let vat = VatNumber::parse(&format!("BE0{base:07}{:02}", 97 - base % 97))?;
    let (bank, bic) = *BANKS_BE.choose(rng).context("banks")?;
    let account: u64 = rng.random_range(0..10_000_000);
    let first_ten: u64 = format!("{bank}{account:07}").parse()?;
    let check = match first_ten % 97 {
        0 => 97,
        r => r,
    };
    let iban = iban("BE", &format!("{bank}{account:07}{check:02}"))?;
    Ok(Counterparty::new(name, Some(vat), Some(iban), Some(Bic::parse(bic)?))?)
}

fn dutch_party(rng: &mut impl rand::Rng, name: &str) -> anyhow::Result<Counterparty> {
    // Nine digits that pass the 11-test: pick eight, solve for the ninth, retry if it is 10.
    let vat = loop {
        let digits: Vec<u32> = (0..8).map(|_| rng.random_range(0..10)).collect();
        let sum: u32 = digits.iter().enumerate().map(|(i, d)| d * (9 - i as u32)).sum();
        let last = sum % 11;
        if last < 10 {
            let text: String = digits.iter().map(ToString::to_string).collect();
            break VatNumber::parse(&format!("NL{text}{last}B01"))?;
        }
    };
    let (bank, bic) = *BANKS_NL.choose(rng).context("banks")?;
    let account: u64 = rng.random_range(100_000_000..9_999_999_999);
    let iban = iban("NL", &format!("{bank}{account:010}"))?;
    Ok(Counterparty::new(name, Some(vat), Some(iban), Some(Bic::parse(bic)?))?)
}

/// Invoices per batch of the bulk load (one transaction for all of them).
const BATCH: u32 = 2_000;
/// Bank transactions per transaction.
const BANK_BATCH: usize = 10_000;

/// `billify seed`: opens (and migrates) the configured database and seeds it.
pub fn run(config: &Config, organisation: &str, invoices: u32, bank_transactions: u32) -> anyhow::Result<()> {
    seed_with_bank(
        &services(config, true, &SyncConfig::from_env()?, &crate::notify::NotifyConfig::from_env()?)?,
        organisation,
        invoices,
        bank_transactions,
    )
}

/// Creates the organisation, its owner and `count` invoices; prints the owner's login.
pub fn seed(services: &Services, organisation: &str, count: u32) -> anyhow::Result<()> {
    seed_with_bank(services, organisation, count, 0)
}

fn progress(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{{spinner}} seeding [{{bar:40}}] {{pos}}/{{len}} {what} ({{per_sec}}, eta {{eta}}) {{msg}}"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar
}

/// [`seed`], plus `bank_transactions` transactions on one bank account. The invoices are one bulk
/// load (one transaction, written in batches; the store brings the kept sums up to date once at
/// the end), the transactions are written in batches of one transaction each, then the planner's
/// statistics are refreshed.
pub fn seed_with_bank(
    services: &Services,
    organisation: &str,
    count: u32,
    bank_transactions: u32,
) -> anyhow::Result<()> {
    let mut rng = rand::rng();
    let slug: String = organisation.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase();
    let email =
        format!("owner-{}@{}.example", rng.random_range(1000..9999), if slug.is_empty() { "demo" } else { &slug });
    let password: String =
        (0..20).map(|_| *b"abcdefghjkmnpqrstuvwxyz23456789".choose(&mut rng).unwrap_or(&b'x') as char).collect();
    let (org, user) = services
        .accounts
        .register(Registration {
            organisation_name: organisation.to_owned(),
            name: "Demo Owner".into(),
            email: email.clone(),
            password: password.clone(),
            vat_number: None,
        })
        .context("creating the organisation")?;
    let actor = Actor { user_id: user.id, organisation_id: org.id, role: Role::Owner, ip: None };
    let today = services.invoices.today(&actor)?;
    let bar = progress(u64::from(count), "invoices");
    let mut parties = Vec::new();
    for name in BELGIAN {
        parties.push(belgian_party(&mut rng, name)?);
    }
    for name in DUTCH {
        parties.push(dutch_party(&mut rng, name)?);
    }
    // One bulk load: the store asks for each batch once the ones before it are written, so the
    // bar moves as they are; the kept sums are brought up to date at the end, in the same
    // transaction.
    let (mut made, mut last) = (0u32, 0u64);
    let batches = std::iter::from_fn(|| {
        bar.inc(last);
        if made == count {
            bar.set_message("bringing the kept sums up to date");
            return None;
        }
        let size = BATCH.min(count - made);
        let batch =
            (made..made + size).map(|i| invoice(&mut rng, &parties, today, i)).collect::<anyhow::Result<Vec<_>>>();
        made += size;
        last = u64::from(size);
        Some(batch.map_err(Into::into))
    });
    services.invoices.import_bulk(&actor, batches).context("storing the invoices")?;
    bar.finish_with_message("");
    if bank_transactions > 0 {
        seed_bank(services, &actor, bank_transactions, today, &mut rng)?;
    }
    // Invoices are created with the status their due date gives them; this catches the rest.
    let overdue = services.invoices.mark_overdue_invoices()?;
    // Plans for the tables' new sizes at once, not after autovacuum's next visit.
    services.invoices.refresh_statistics().context("refreshing the planner's statistics")?;
    log::info!("seeded organisation {} ({}) with {count} invoices, {overdue} overdue", org.name, org.id);
    #[allow(clippy::print_stdout, reason = "the operator needs the demo login")]
    {
        println!("organisation: {} ({})", org.name, org.id);
        println!("login: {email} {password}");
    }
    Ok(())
}

/// The `i`-th invoice: issued in the last 120 days, partly paid, mostly in EUR.
fn invoice(
    rng: &mut impl rand::Rng,
    parties: &[Counterparty],
    today: time::Date,
    i: u32,
) -> anyhow::Result<NewInvoice> {
    let counterparty = parties.choose(rng).context("parties")?.clone();
    let issue_date = today - time::Duration::days(rng.random_range(0..120));
    let due_date = issue_date + time::Duration::days(*[14i64, 30, 30, 45, 60].choose(rng).unwrap_or(&30));
    let subtotal_cents: i64 = rng.random_range(5_000..2_500_000);
    let rate = *[21i64, 21, 21, 9, 6, 0].choose(rng).unwrap_or(&21);
    let vat_cents = (subtotal_cents * rate + 50) / 100;
    let total = Money::from_minor_units(subtotal_cents + vat_cents, Currency::EUR)?;
    let roll: u8 = rng.random_range(0..100);
    let amount_paid = match roll {
        0..=29 => Some(total.clone()),
        30..=39 => Some(Money::from_minor_units((subtotal_cents + vat_cents) / 2, Currency::EUR)?),
        _ => None,
    };
    let direction = if rng.random_bool(0.55) { Direction::Payable } else { Direction::Receivable };
    Ok(NewInvoice {
        direction,
        kind: InvoiceKind::Invoice,
        corrects: None,
        invoice_number: InvoiceNumber::parse(&format!(
            "{}-{}-{:05}",
            if direction == Direction::Payable { "INK" } else { "VF" },
            issue_date.year(),
            i + 1
        ))?,
        payment_reference: Some(PaymentReference::Structured(StructuredReference::from_number(
            u64::from(i) + 1_000_000,
        )?)),
        counterparty,
        issue_date,
        due_date,
        subtotal: Some(Money::from_minor_units(subtotal_cents, Currency::EUR)?),
        vat_amount: Some(Money::from_minor_units(vat_cents, Currency::EUR)?),
        total,
        amount_paid,
        manual_urgency: (roll == 99).then_some(UrgencyLevel::Critical),
        source: InvoiceSource::Import,
        external_reference: None,
    })
}

/// `count` transactions over the last two years on one current account.
fn seed_bank(
    services: &Services,
    actor: &Actor,
    count: u32,
    today: time::Date,
    rng: &mut impl rand::Rng,
) -> anyhow::Result<()> {
    let account = BankAccount::new(NewBankAccount {
        provider_id: ProviderId::parse("seed-current-account")?,
        iban: Some(Iban::parse("BE68539007547034")?),
        currency: Currency::EUR,
        current_balance: Money::from_minor_units(rng.random_range(1_000_000..50_000_000), Currency::EUR)?,
        available_balance: None,
        holder_name: Some("Demo Owner".into()),
        institution_name: Some("Demo Bank".into()),
        description: None,
        authorization_expires_at: None,
        synchronized_at: None,
    })?;
    let bar = progress(u64::from(count), "bank transactions");
    let count = count as usize;
    let mut n = 0;
    while n < count {
        let size = BANK_BATCH.min(count - n);
        let batch = (n..n + size)
            .map(|k| {
                let amount: i64 = rng.random_range(-300_000..400_000);
                Ok(BankTransaction::new(NewBankTransaction {
                    provider_id: ProviderId::parse(&format!("seed-{k}"))?,
                    account_provider_id: ProviderId::parse("seed-current-account")?,
                    amount: Money::from_minor_units(if amount == 0 { 1 } else { amount }, Currency::EUR)?,
                    counterparty_name: Some(format!("Counterparty {}", k % 500)),
                    counterparty_account: Some(format!(
                        "BE{:02}0000{:08}",
                        10 + (k % 80),
                        rng.random_range(0..99_999_999u32)
                    )),
                    remittance_information: Some(format!("Invoice {}", rng.random_range(0..100_000))),
                    remittance_type: RemittanceType::Unstructured,
                    description: None,
                    execution_date: today - time::Duration::days(rng.random_range(0..730)),
                    value_date: None,
                    bank_transaction_code: None,
                    bank_reference: None,
                }))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        services.bank.import_transactions(actor, &account, &batch).context("storing bank transactions")?;
        bar.inc(size as u64);
        n += size;
    }
    bar.finish();
    Ok(())
}
