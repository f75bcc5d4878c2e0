//! The services a benchmark measures, wired by `billify::wiring::wire` as the server wires them:
//! the benchmark brings the store, the clock and what it fakes (a bank, the key).

use std::sync::Arc;

use billify::wiring::{Adapters, ServiceSettings, Services, Store, wire};
use billify_app::{DocumentReader, SyncSettings};
use billify_crypto::{Argon2Config, Argon2Hasher, KeyRing, SecretKey};
use billify_ports::AccountingProvider;
use billify_ports::banking::BankingProvider;
use billify_ports::{Clock, SecretCipher};

/// What a benchmark chooses; the rest is the server's defaults.
pub struct Bench {
    /// The database.
    pub store: Arc<dyn Store>,
    /// The time.
    pub clock: Arc<dyn Clock>,
    /// The bank, when the benchmark syncs one.
    pub provider: Option<Arc<dyn BankingProvider>>,
    /// The key ring (a fresh key when `None`).
    pub cipher: Option<Arc<dyn SecretCipher>>,
    /// The sync engine's settings.
    pub sync: SyncSettings,
}

/// The wired services and the directory their documents go to (removed when dropped).
pub struct Wired {
    /// The services.
    pub services: Services,
    _documents: tempfile::TempDir,
}

/// Wires the services for a benchmark.
#[allow(dead_code, reason = "the accounting benchmark wires through `wired_with_accounting`")]
pub fn wired(bench: Bench) -> anyhow::Result<Wired> {
    wired_with_accounting(bench, None, billify_app::AccountingSyncSettings::default())
}

/// Wires the services for a benchmark that syncs an accounting package (Yuki) too.
#[allow(dead_code, reason = "only the accounting benchmark syncs Yuki")]
pub fn wired_with_accounting(
    bench: Bench,
    accounting: Option<Arc<dyn AccountingProvider>>,
    accounting_settings: billify_app::AccountingSyncSettings,
) -> anyhow::Result<Wired> {
    let documents = tempfile::tempdir()?;
    let cipher: Arc<dyn SecretCipher> = match bench.cipher {
        Some(cipher) => cipher,
        None => Arc::new(KeyRing::new(SecretKey::generate("bench")?, [])?),
    };
    let reader = DocumentReader::new(
        Arc::new(billify_einvoice::EinvoiceExtractor::new()),
        Arc::new(billify_pdf::PdfExtractor::new(billify_pdf::Limits::default())),
        10 * 1024 * 1024,
        2,
    );
    let services = wire(
        Adapters {
            store: bench.store,
            clock: bench.clock,
            hasher: Arc::new(Argon2Hasher::new(Argon2Config { memory_kib: 64, iterations: 1, parallelism: 1 })?),
            cipher,
            documents: Arc::new(billify_files::LocalDocumentStore::open(documents.path().join("documents"))?),
            reader: Arc::new(reader),
            statements: Arc::new(billify_bankfiles::StatementFiles),
            provider: bench.provider,
            webhooks: Arc::new(billify_notify::WebhookClient::new(billify_notify::WebhookSettings {
                timeout: std::time::Duration::from_secs(5),
            })),
            email: None,
            outlook: None,
            accounting,
            random: Arc::new(billify_crypto::ThreadRandomness),
        },
        ServiceSettings {
            session_lifetime: time::Duration::days(1),
            session_idle: time::Duration::days(1),
            draft_lifetime: time::Duration::days(1),
            sync: bench.sync,
            accounting: accounting_settings,
            cashflow: billify_app::CashflowSettings::default(),
            alerts: billify_app::AlertConfig::default(),
            streams: billify_web::StreamSettings::default(),
            event_retention: billify_app::events::DEFAULT_RETENTION,
        },
    );
    Ok(Wired { services, _documents: documents })
}
