//! `billify serve --demo`: a fake Ponto in this process and a demo organisation ("Demo BV")
//! connected to it, so a new user sees bank data flow with no credentials of their own.
//!
//! Never active without `--demo` or `BILLIFY_DEMO=true`. The demo user gets a fresh random
//! password at every start, printed once in the log line `demo login: EMAIL PASSWORD`.

use std::time::Duration;

use anyhow::Context as _;
use billify_app::{AccountService, Registration, SyncService};
use billify_ponto::PontoConfig;
use billify_testkit::{FakePonto, FakePontoConfig};
use rand::Rng as _;

use crate::bank_sync::{PontoSettings, SyncConfig};

/// The running fake; Ponto stops when it is dropped.
pub struct Demo {
    fake: FakePonto,
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
        Ok(Demo { fake })
    }

    /// Creates the demo organisation and user, links the fake bank and logs the login line.
    pub fn populate(&self, accounts: &AccountService, sync: &SyncService) -> anyhow::Result<()> {
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
        let start = sync.connect(&ctx).context("starting the demo bank link")?;
        let redirect = self.fake.consent(&start.consent_url).map_err(anyhow::Error::msg).context("demo consent")?;
        sync.complete_consent(&ctx, &redirect.code, &redirect.state).context("linking the demo bank")?;
        accounts.logout(&ctx).context("ending the set-up session")?;
        log::info!("demo login: {email} {password}");
        Ok(())
    }
}
