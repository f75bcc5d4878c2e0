//! `billify serve --demo`: a fake Ponto in this process and a demo organisation ("Demo BV")
//! connected to it, so a new user sees bank data flow with no credentials of their own.
//!
//! The demo organisation also gets open invoices that the fake bank's transactions pay: one by
//! its structured reference (OGM), one by its number in the free-text communication, and one
//! payment that fits two invoices (a suggestion). The first sync imports them and the
//! reconciliation job that follows matches them, so a new user sees matches and a suggestion
//! within a minute of start-up.
//!
//! A fake Yuki runs beside it, and the demo organisation is connected to it with the fake's
//! access key, so its outstanding sales and purchase invoices appear beside the bank data.
//!
//! Never active without `--demo` or `BILLIFY_DEMO=true`. The demo user gets a fresh random
//! password at every start, printed once in the log line `demo login: EMAIL PASSWORD`.

use std::time::Duration;

use anyhow::Context as _;
use billify_app::{AccountService, InvoiceService, Registration, SyncService};
use billify_domain::{
    Counterparty, Currency, Direction, InvoiceKind, InvoiceNumber, InvoiceSource, Money, NewInvoice, PaymentReference,
};
use billify_ponto::PontoConfig;
use billify_testkit::{FakePonto, FakePontoConfig, FakeTransaction, FakeYuki, FakeYukiConfig};
use rand::Rng as _;

use crate::bank_sync::{PontoSettings, SyncConfig};

/// The running fakes; Ponto and Yuki stop when it is dropped.
pub struct Demo {
    fake: FakePonto,
    yuki: FakeYuki,
}

impl Demo {
    /// Starts the fake Ponto and points the sync configuration at it.
    pub fn start(sync: &mut SyncConfig, redirect_uri: &str) -> anyhow::Result<Demo> {
        let fake = FakePonto::start(FakePontoConfig {
            accounts: 3,
            transactions_per_account: 40,
            latency: Duration::from_millis(20),
            new_transactions_per_sync: 3,
            // Data up to yesterday, consent valid for 90 days: the demo looks like today's bank.
            newest_date: time::OffsetDateTime::now_utc().date().previous_day().unwrap_or(time::Date::MIN),
            // Each sync stamps the balances with the time it ran, as a live bank does, so the
            // demo's balances are current rather than a day old.
            live: true,
            ..FakePontoConfig::default()
        })
        .context("starting the demo Ponto")?;
        sync.ponto = Some(PontoSettings {
            config: PontoConfig::custom(
                &fake.base_url(),
                &fake.authorization_url(),
                &fake.client_id(),
                &fake.client_secret(),
                redirect_uri,
            ),
        });
        // New bank data every minute, so the demo shows it arriving.
        sync.settings.bank_sync_interval = time::Duration::minutes(1);
        sync.settings.request_bank_syncs = true;
        log::info!("demo mode: fake Ponto at {}", fake.base_url());
        let yuki = FakeYuki::start(FakeYukiConfig { debtor_items: 12, creditor_items: 8, ..FakeYukiConfig::default() })
            .context("starting the demo Yuki")?;
        sync.yuki = Some(billify_yuki::YukiConfig::at(&yuki.base_url()));
        log::info!("demo mode: fake Yuki at {}", yuki.base_url());
        Ok(Demo { fake, yuki })
    }

    /// Creates the demo organisation and user, its open invoices and the bank transactions that
    /// pay them, links the fake bank and logs the login line.
    pub fn populate(
        &self,
        accounts: &AccountService,
        invoices: &InvoiceService,
        sync: &SyncService,
    ) -> anyhow::Result<()> {
        let mut rng = rand::rng();
        let suffix: u32 = rng.random();
        let email = format!("demo-{suffix:08x}@demo.billify.invalid");
        let password: String =
            (0..20).map(|_| char::from(b"abcdefghjkmnpqrstuvwxyz23456789"[rng.random_range(0..31)])).collect();
        accounts
            .register(Registration {
                organisation_name: "Demo BV".into(),
                name: "Demo User".into(),
                email: email.clone(),
                password: password.clone(),
                vat_number: None,
            })
            .context("creating the demo user")?;
        let login = accounts.login(&email, &password).context("logging in the demo user")?;
        let ctx = accounts.authenticate(&login.token).context("demo session")?;
        self.paid_invoices(invoices, &ctx.actor).context("creating the demo invoices")?;
        let start = sync.connect(&ctx).context("starting the demo bank link")?;
        let redirect = self.fake.consent(&start.consent_url).map_err(anyhow::Error::msg).context("demo consent")?;
        sync.complete_consent(&ctx, &redirect.code, &redirect.state).context("linking the demo bank")?;
        sync.connect_accounting(
            &ctx.actor,
            billify_app::AccountingConnect {
                region: billify_ports::accounting::AccountingRegion::Be,
                access_key: billify_ports::SecretText::new(self.yuki.access_key()),
                administration_id: None,
            },
        )
        .context("linking the demo books (Yuki)")?;
        accounts.logout(&ctx).context("ending the set-up session")?;
        log::info!("demo login: {email} {password}");
        Ok(())
    }

    /// Open receivables and the fake bank's credits that pay them: by OGM, by invoice number in
    /// free text, and one credit that fits two invoices equally (amount and customer).
    fn paid_invoices(&self, invoices: &InvoiceService, actor: &billify_app::Actor) -> anyhow::Result<()> {
        let today = time::OffsetDateTime::now_utc().date();
        let yesterday = today.previous_day().unwrap_or(today);
        let days = |n: i64| today.checked_add(time::Duration::days(n)).unwrap_or(today);
        let eur = |text: &str| Money::parse(text, Currency::EUR);
        let receivable = |number: &str, customer: &str, total: &str, due: time::Date, reference: Option<&str>| {
            anyhow::Ok(NewInvoice {
                direction: Direction::Receivable,
                kind: InvoiceKind::Invoice,
                corrects: None,
                invoice_number: InvoiceNumber::parse(number)?,
                counterparty: Counterparty::new(customer, None, None, None)?,
                issue_date: days(-30),
                due_date: due,
                subtotal: None,
                vat_amount: None,
                total: eur(total)?,
                amount_paid: None,
                manual_urgency: None,
                payment_reference: reference.map(PaymentReference::parse).transpose()?,
                source: InvoiceSource::Manual,
                external_reference: None,
            })
        };
        let ogm = "+++202/6000/42127+++";
        for new in [
            receivable("DEMO-2026-001", "Brouwerij De Klok NV", "1815.00", days(-2), Some(ogm))?,
            receivable("DEMO-2026-002", "Gentse Drukkerij BV", "726.00", days(3), None)?,
            receivable("DEMO-2026-003", "Atelier Lumière SRL", "499.00", days(-5), None)?,
            receivable("DEMO-2026-004", "Atelier Lumière SRL", "499.00", days(1), None)?,
        ] {
            invoices.create(actor, new)?;
        }
        let account = self.fake.accounts().first().map(|a| a.id.clone()).context("the demo bank has no account")?;
        let credit = |n: u8, amount: &str, name: &str, text: &str, kind: &str| FakeTransaction {
            id: format!("0d3b0000-0000-4000-8000-0000000000{n:02}"),
            account_id: account.clone(),
            amount: amount.into(),
            currency: "EUR".into(),
            counterpart_name: Some(name.into()),
            counterpart_reference: None,
            remittance_information: Some(text.into()),
            remittance_information_type: kind.into(),
            description: "Overschrijving".into(),
            execution_date: yesterday.to_string(),
            value_date: yesterday.to_string(),
            bank_transaction_code: Some("PMNT-RCDT-ESCT".into()),
        };
        self.fake.add_transaction(credit(1, "1815.00", "Brouwerij De Klok NV", "202600042127", "structured"));
        self.fake.add_transaction(credit(
            2,
            "726.00",
            "Gentse Drukkerij BV",
            "Betaling factuur DEMO 2026 002, bedankt",
            "unstructured",
        ));
        self.fake.add_transaction(credit(3, "499.00", "Atelier Lumière", "Betaling workshop", "unstructured"));
        Ok(())
    }
}
