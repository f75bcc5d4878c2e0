//! Opens the store named by the configuration and wires services, server and jobs.
//!
//! [`wire`] is the one place where adapters meet use cases: the server ([`services`]) and the
//! full-stack tests (`crates/billify/tests`) both call it, with their own adapters (a test
//! clock, a cheap password hasher) but the same wiring.

use std::sync::Arc;

use actix_web::{App, middleware, web};
use anyhow::Context as _;
use billify_app::{
    AccountPorts, AccountService, AlertConfig, AlertPorts, AlertService, BalanceOutlook, BankPorts, BankService,
    CashflowPorts, CashflowService, CashflowSettings, DocumentReader, EventService, ForecastPorts, ForecastService,
    IntakePorts, IntakeService, InvoicePorts, InvoiceService, OrganisationPorts, OrganisationService,
    ReconciliationPorts, ReconciliationService, SyncPorts, SyncService, SyncSettings, TwoFactorPorts, TwoFactorService,
};
use billify_crypto::{Argon2Config, Argon2Hasher, RandomTokens};
use billify_files::LocalDocumentStore;
use billify_ports::audit::AuditLog;
use billify_ports::bank::{BankRepository, StatementReader};
use billify_ports::banking::BankingProvider;
use billify_ports::documents::{DocumentStore, DraftRepository};
use billify_ports::integrations::IntegrationRepository;
use billify_ports::jobs::JobQueue;
use billify_ports::organisation_data::OrganisationDataRepository;
use billify_ports::{
    AccountRepository, Clock, InvoiceRepository, PasswordHasher, SealedSecretStore, SecretCipher, SessionRepository,
    StorageHealth, SystemClock,
};
use billify_store_postgres::{PostgresConfig, PostgresStore};
use billify_store_sqlite::SqliteStore;
use billify_web::{AppState, EventHub, StreamSettings};

use crate::bank_sync::{SyncConfig, SyncEngine};
use crate::config::{Config, DatabaseUrl};

/// Every port a store implements. `Arc<dyn Store>` coerces to the `Arc` of each port (trait
/// upcasting), so one handle serves every use case.
pub trait Store:
    AccountRepository
    + SessionRepository
    + InvoiceRepository
    + DraftRepository
    + BankRepository
    + IntegrationRepository
    + JobQueue
    + SealedSecretStore
    + StorageHealth
    + AuditLog
    + OrganisationDataRepository
    + billify_ports::TwoFactorRepository
    + billify_ports::AccessTokenRepository
    + billify_ports::ReconciliationRepository
    + billify_ports::CashflowRepository
    + billify_ports::NotificationRepository
    + billify_ports::ForecastRepository
    + billify_ports::EventLog
    + billify_ports::EventWakeups
    + billify_ports::AccountingRepository
{
}
impl<T> Store for T where
    T: AccountRepository
        + SessionRepository
        + InvoiceRepository
        + DraftRepository
        + BankRepository
        + IntegrationRepository
        + JobQueue
        + SealedSecretStore
        + StorageHealth
        + AuditLog
        + OrganisationDataRepository
        + billify_ports::TwoFactorRepository
        + billify_ports::AccessTokenRepository
        + billify_ports::ReconciliationRepository
        + billify_ports::CashflowRepository
        + billify_ports::NotificationRepository
        + billify_ports::ForecastRepository
        + billify_ports::EventLog
        + billify_ports::EventWakeups
        + billify_ports::AccountingRepository
{
}

/// Opens the database; with `migrate`, applies pending migrations first.
fn open_store(config: &Config, migrate: bool) -> anyhow::Result<Arc<dyn Store>> {
    match &config.database {
        DatabaseUrl::Sqlite(url) => {
            let store = SqliteStore::open(url, config.pool_size).context("opening the SQLite database")?;
            if migrate {
                report_migrations(store.run_migrations().context("migrating the SQLite database")?);
            }
            log::info!("using SQLite at {}", billify_store_sqlite::path_from_url(url).unwrap_or_default());
            Ok(Arc::new(store))
        }
        DatabaseUrl::Postgres(url) => {
            let mut pg = PostgresConfig::new(url.clone());
            pg.pool_size = config.pool_size;
            pg.schema = config.postgres_schema.clone();
            let timeouts = config.database_timeouts;
            pg.connect_timeout = timeouts.connect;
            pg.wait_timeout = timeouts.wait;
            pg.statement_timeout = timeouts.statement;
            pg.tcp_user_timeout = timeouts.tcp_user;
            pg.probe_interval = Some(timeouts.probe_interval);
            pg.probe_deadline = timeouts.probe_deadline;
            let store = PostgresStore::open(&pg).context("connecting to PostgreSQL")?;
            if migrate {
                if let Some(schema) = &config.postgres_schema {
                    PostgresStore::create_schema(url, schema).context("creating the PostgreSQL schema")?;
                }
                report_migrations(store.run_migrations().context("migrating the PostgreSQL database")?);
            }
            log::info!("using PostgreSQL");
            Ok(Arc::new(store))
        }
    }
}

fn report_migrations(applied: Vec<String>) {
    if applied.is_empty() {
        log::info!("database schema is up to date");
    }
    for name in applied {
        log::info!("applied migration {name}");
    }
}

/// `billify audit verify`: walks every audit chain; fails naming the first broken entry.
pub fn audit_verify(config: &Config) -> anyhow::Result<()> {
    let store = open_store(config, config.migrate_on_start)?;
    let report = billify_ports::audit::verify_chains(store.as_ref()).context("reading the audit log")?;
    match report.broken {
        None => {
            log::info!("audit log verified: {} chains, {} entries", report.chains, report.entries);
            Ok(())
        }
        Some(broken) => anyhow::bail!("the audit log is broken at {broken}"),
    }
}

/// `billify migrate`.
pub fn migrate(config: &Config) -> anyhow::Result<()> {
    open_store(config, true).map(|_| ())
}

/// `billify rotate-key`: re-seals every stored integration secret under the current secret key.
/// Fails (exit code 1) when a secret does not open, so the old keys are not dropped too early.
pub fn rotate_key(config: &Config) -> anyhow::Result<()> {
    let cipher = crate::secret_key::load(config)?;
    let store = open_store(config, config.migrate_on_start)?;
    let secrets = sealed_secret_store(store)?;
    let report = billify_app::rotate_secrets(&cipher, secrets.as_ref()).context("rotating the secret key")?;
    log::info!(
        "key rotation to `{}`: {} re-sealed, {} already current, {} changed meanwhile, {} could not be opened",
        report.current_key_id,
        report.rotated,
        report.already_current,
        report.lost_race,
        report.failed.len()
    );
    for failure in &report.failed {
        log::error!(
            "{} {} of organisation {} was not re-sealed: {}",
            failure.at.kind,
            failure.at.id,
            failure.at.organisation_id,
            failure.error
        );
    }
    if !report.failed.is_empty() {
        anyhow::bail!(
            "{} secret(s) could not be opened with the configured keys; keep every old key configured \
             (BILLIFY_OLD_SECRET_KEYS or the key file's later lines) until they are fixed or removed",
            report.failed.len()
        );
    }
    if report.lost_race > 0 {
        anyhow::bail!(
            "{} secret(s) changed while rotating; run `billify rotate-key` again before dropping old keys",
            report.lost_race
        );
    }
    log::info!("every stored secret is sealed under `{}`; older keys may now be removed", report.current_key_id);
    Ok(())
}

/// The one place where `rotate-key` obtains the stored sealed secrets.
fn sealed_secret_store(store: Arc<dyn Store>) -> anyhow::Result<Arc<dyn billify_ports::SealedSecretStore>> {
    Ok(store)
}

/// The wired use cases.
pub struct Services {
    /// Accounts and sessions.
    pub accounts: Arc<AccountService>,
    /// Invoices.
    pub invoices: Arc<InvoiceService>,
    /// Document intake.
    pub intake: Arc<IntakeService>,
    /// Bank data.
    pub bank: Arc<BankService>,
    /// Bank integrations and their sync engine.
    pub sync: Arc<SyncService>,
    /// The cash position.
    pub cashflow: Arc<CashflowService>,
    /// The cash forecast.
    pub forecast: Arc<ForecastService>,
    /// The audit trail, export and deletion of organisations.
    pub organisation: Arc<OrganisationService>,
    /// Matching bank transactions to invoices.
    pub reconciliation: Arc<ReconciliationService>,
    /// Alerts and notifications.
    pub alerts: Arc<AlertService>,
    /// Live events: reading them for streams, pruning them.
    pub events: Arc<EventService>,
    /// Wakes this process's event streams when events are published (here or, on PostgreSQL,
    /// by another process).
    pub event_hub: Arc<EventHub>,
    /// Seals and opens integration secrets under the configured key ring.
    #[allow(dead_code, reason = "the web state takes it once integrations have routes")]
    pub secrets: Arc<dyn billify_ports::SecretCipher>,
    /// Storage readiness.
    pub health: Arc<dyn StorageHealth>,
    /// The job queue (its depth is a metric).
    pub jobs: Arc<dyn JobQueue>,
    /// The time the services run on.
    pub clock: Arc<dyn Clock>,
}

/// The adapters the use cases are wired to.
pub struct Adapters {
    /// The database, behind every repository port.
    pub store: Arc<dyn Store>,
    /// The time.
    pub clock: Arc<dyn Clock>,
    /// Hashes passwords.
    pub hasher: Arc<dyn PasswordHasher>,
    /// Seals integration and two-factor secrets.
    pub cipher: Arc<dyn SecretCipher>,
    /// Stores uploaded documents.
    pub documents: Arc<dyn DocumentStore>,
    /// Checks and extracts documents.
    pub reader: Arc<DocumentReader>,
    /// Reads bank statement files.
    pub statements: Arc<dyn StatementReader>,
    /// Ponto, when configured.
    pub provider: Option<Arc<dyn BankingProvider>>,
    /// Posts signed webhooks.
    pub webhooks: Arc<dyn billify_ports::WebhookSender>,
    /// Sends email, when SMTP is configured.
    pub email: Option<Arc<dyn billify_ports::EmailSender>>,
    /// The forecast's lowest projected balances, for the low-balance alert (none: that alert is
    /// not raised).
    pub outlook: Option<Arc<dyn BalanceOutlook>>,
    /// Yuki, when enabled.
    pub accounting: Option<Arc<dyn billify_ports::AccountingProvider>>,
    /// Where the sync engine's back-off jitter comes from.
    pub random: Arc<dyn billify_ports::Randomness>,
}

/// The use cases' settings.
pub struct ServiceSettings {
    /// How long a session lasts.
    pub session_lifetime: time::Duration,
    /// How long an unused session stays valid.
    pub session_idle: time::Duration,
    /// How long an unconfirmed draft is kept.
    pub draft_lifetime: time::Duration,
    /// The sync engine's settings.
    pub sync: SyncSettings,
    /// Accounting syncs' settings (interval, Yuki's call budget).
    pub accounting: billify_app::AccountingSyncSettings,
    /// The cash position's settings.
    pub cashflow: CashflowSettings,
    /// The alert job's settings.
    pub alerts: AlertConfig,
    /// How event streams behave (heartbeat, longest stream).
    pub streams: StreamSettings,
    /// How long live events are kept for clients to resume from.
    pub event_retention: time::Duration,
}

/// Wires the use cases to `adapters`: the one composition of the application.
pub fn wire(adapters: Adapters, settings: ServiceSettings) -> Services {
    let Adapters {
        store,
        clock,
        hasher,
        cipher,
        documents,
        reader,
        statements,
        provider,
        webhooks,
        email,
        outlook,
        accounting,
        random,
    } = adapters;
    let events = Arc::new(EventService::new(store.clone(), clock.clone(), settings.event_retention));
    let event_hub = Arc::new(EventHub::new(settings.streams));
    let listener: Arc<dyn billify_ports::EventListener> = event_hub.clone();
    if let Err(e) = store.listen(Arc::downgrade(&listener)) {
        // Streams still wake for this process's own events; other processes' wait for the next.
        log::warn!("cannot listen for other processes' live events: {e}");
    }
    let two_factor = Arc::new(TwoFactorService::new(TwoFactorPorts {
        repository: store.clone(),
        accounts: store.clone(),
        hasher: hasher.clone(),
        tokens: Arc::new(RandomTokens),
        otp: Arc::new(billify_crypto::Totp),
        cipher: cipher.clone(),
        clock: clock.clone(),
    }));
    let accounts = Arc::new(
        AccountService::new(
            AccountPorts {
                accounts: store.clone(),
                sessions: store.clone(),
                access_tokens: store.clone(),
                hasher,
                tokens: Arc::new(RandomTokens),
                clock: clock.clone(),
                audit: store.clone(),
            },
            settings.session_lifetime,
        )
        .with_idle_timeout(settings.session_idle)
        .with_two_factor(two_factor),
    );
    let invoices = Arc::new(InvoiceService::new(InvoicePorts {
        invoices: store.clone(),
        accounts: store.clone(),
        jobs: store.clone(),
        clock: clock.clone(),
        events: store.clone(),
    }));
    let intake = Arc::new(IntakeService::new(
        IntakePorts {
            reader,
            documents: documents.clone(),
            drafts: store.clone(),
            invoices: store.clone(),
            accounts: store.clone(),
            bank: store.clone(),
            jobs: store.clone(),
            clock: clock.clone(),
            events: store.clone(),
        },
        settings.draft_lifetime,
    ));
    let bank = Arc::new(BankService::new(BankPorts {
        bank: store.clone(),
        statements,
        clock: clock.clone(),
        jobs: store.clone(),
        events: store.clone(),
    }));
    let organisation = Arc::new(OrganisationService::new(OrganisationPorts {
        accounts: store.clone(),
        invoices: store.clone(),
        bank: store.clone(),
        integrations: store.clone(),
        data: store.clone(),
        audit: store.clone(),
        documents,
        clock: clock.clone(),
    }));
    let cashflow = Arc::new(CashflowService::new(
        CashflowPorts { cashflow: store.clone(), accounts: store.clone(), clock: clock.clone() },
        settings.cashflow,
    ));
    let forecast = Arc::new(ForecastService::new(ForecastPorts {
        forecast: store.clone(),
        accounts: store.clone(),
        clock: clock.clone(),
    }));
    let reconciliation = Arc::new(ReconciliationService::new(ReconciliationPorts {
        reconciliation: store.clone(),
        invoices: store.clone(),
        jobs: store.clone(),
        accounts: store.clone(),
        clock: clock.clone(),
        events: store.clone(),
    }));
    let alerts = Arc::new(AlertService::new(
        AlertPorts {
            notifications: store.clone(),
            accounts: store.clone(),
            invoices: store.clone(),
            integrations: store.clone(),
            reconciliation: store.clone(),
            jobs: store.clone(),
            // The forecast looks ahead for the projected-balance alert, unless the adapters
            // bring another outlook (tests do).
            outlook: outlook.or_else(|| Some(forecast.clone() as Arc<dyn BalanceOutlook>)),
            webhooks,
            email,
            cipher: cipher.clone(),
            tokens: Arc::new(RandomTokens),
            events: store.clone(),
            clock: clock.clone(),
        },
        settings.alerts,
    ));
    let sync = Arc::new(
        SyncService::new(
            SyncPorts {
                integrations: store.clone(),
                jobs: store.clone(),
                provider,
                cipher: cipher.clone(),
                tokens: Arc::new(RandomTokens),
                clock: clock.clone(),
                random,
                events: store.clone(),
            },
            settings.sync,
        )
        .with_reconciliation(reconciliation.clone())
        .with_alerts(alerts.clone())
        .with_accounting(
            billify_app::AccountingPorts {
                provider: accounting,
                repository: store.clone(),
                invoices: store.clone(),
                accounts: store.clone(),
            },
            settings.accounting,
        ),
    );
    Services {
        accounts,
        invoices,
        intake,
        bank,
        sync,
        cashflow,
        forecast,
        organisation,
        reconciliation,
        alerts,
        events,
        event_hub,
        secrets: cipher,
        health: store.clone(),
        jobs: store,
        clock,
    }
}

impl Services {
    /// The state the HTTP layer serves, with these cookie and rate-limit settings.
    pub fn app_state(&self, security: billify_web::WebSecurity) -> AppState {
        AppState {
            accounts: self.accounts.clone(),
            invoices: self.invoices.clone(),
            intake: self.intake.clone(),
            bank: self.bank.clone(),
            sync: self.sync.clone(),
            cashflow: self.cashflow.clone(),
            forecast: self.forecast.clone(),
            organisation: self.organisation.clone(),
            reconciliation: self.reconciliation.clone(),
            alerts: self.alerts.clone(),
            events: self.events.clone(),
            event_hub: self.event_hub.clone(),
            health: self.health.clone(),
            security,
            forecast_turns: AppState::forecast_turns_for(AppState::FORECASTS_AT_ONCE),
        }
    }
}

/// Opens the store (migrating it when `migrate`) and wires the use cases to it.
pub fn services(
    config: &Config,
    migrate: bool,
    sync: &SyncConfig,
    notify: &crate::notify::NotifyConfig,
) -> anyhow::Result<Services> {
    let store = open_store(config, migrate)?;
    let hasher = Argon2Hasher::new(Argon2Config {
        memory_kib: config.argon2_memory_kib,
        iterations: config.argon2_iterations,
        parallelism: config.argon2_parallelism,
    })
    .context("configuring argon2id")?;
    let documents = LocalDocumentStore::open(&config.documents_dir)
        .with_context(|| format!("opening the document directory {}", config.documents_dir.display()))?;
    let adapters = Adapters {
        store,
        clock: Arc::new(SystemClock),
        hasher: Arc::new(hasher),
        cipher: crate::secret_key::cipher(config)?,
        documents: Arc::new(documents),
        reader: Arc::new(crate::extract::document_reader(config.max_upload_bytes, &config.extraction)),
        statements: Arc::new(billify_bankfiles::StatementFiles),
        // Provider calls and notifications are counted at these edges (`metered`).
        provider: sync.provider()?.map(|ponto| crate::metered::MeteredBanking::wrap(ponto, "ponto")),
        webhooks: Arc::new(crate::metered::MeteredWebhooks(notify.webhook_sender())),
        email: notify
            .email_sender()?
            .map(|email| Arc::new(crate::metered::MeteredEmail(email)) as Arc<dyn billify_ports::EmailSender>),
        // None: the forecast service is the outlook (see `wire`).
        outlook: None,
        accounting: sync.yuki_provider().map(|yuki| crate::metered::MeteredAccounting::wrap(yuki, "yuki")),
        random: Arc::new(billify_crypto::ThreadRandomness),
    };
    let settings = ServiceSettings {
        session_lifetime: time::Duration::try_from(config.session_lifetime).context("session lifetime")?,
        session_idle: time::Duration::try_from(config.session_idle).context("session idle timeout")?,
        draft_lifetime: time::Duration::try_from(config.draft_lifetime).context("draft lifetime")?,
        sync: sync.settings,
        accounting: sync.accounting,
        cashflow: CashflowSettings {
            stale_after: time::Duration::try_from(config.balance_stale_after).context("balance stale age")?,
        },
        alerts: notify.alerts,
        streams: StreamSettings::default(),
        event_retention: billify_app::events::DEFAULT_RETENTION,
    };
    Ok(wire(adapters, settings))
}

/// Resolves at the first SIGTERM or Ctrl-C (SIGINT).
async fn shutdown_signal() {
    use actix_web::rt::signal::unix::{SignalKind, signal};
    let (Ok(mut terminate), Ok(mut interrupt)) = (signal(SignalKind::terminate()), signal(SignalKind::interrupt()))
    else {
        log::error!("cannot listen for SIGTERM and SIGINT; falling back to Ctrl-C");
        let _ = actix_web::rt::signal::ctrl_c().await;
        return;
    };
    let terminate = std::pin::pin!(terminate.recv());
    let interrupt = std::pin::pin!(interrupt.recv());
    futures_util::future::select(terminate, interrupt).await;
}

/// `billify serve`; with `demo`, a fake Ponto and a demo organisation linked to it.
pub fn serve(config: &Config, demo: bool) -> anyhow::Result<()> {
    #[cfg_attr(not(feature = "demo"), allow(unused_mut, reason = "only demo mode changes the sync settings"))]
    let mut sync_config = SyncConfig::from_env()?;
    #[cfg(feature = "demo")]
    let demo = if demo {
        let redirect = format!("http://{}/bank/callback", config.bind);
        Some(crate::demo::Demo::start(&mut sync_config, &redirect)?)
    } else {
        None
    };
    #[cfg(not(feature = "demo"))]
    if demo {
        anyhow::bail!("this build has no demo mode: build billify with its default `demo` feature");
    }
    let notify = crate::notify::NotifyConfig::from_env()?;
    let services = services(config, config.migrate_on_start, &sync_config, &notify)?;
    #[cfg(feature = "demo")]
    if let Some(demo) = &demo {
        demo.populate(&services.accounts, &services.invoices, &services.sync)?;
    }
    let outage = crate::outage::Outage::new(services.health.clone());
    let engine = SyncEngine::start(services.sync.clone(), &sync_config, outage.clone())?;
    let state = web::Data::new(
        services
            .app_state(billify_web::WebSecurity::new(
                config.behind_tls,
                billify_web::AuthRateLimiter::new(
                    billify_web::RateLimit { per_minute: config.auth_rate_per_minute, burst: config.auth_rate_burst },
                    config.trusted_proxy,
                ),
            ))
            .with_forecasts_at_once(config.forecasts_at_once),
    );
    let hub = services.event_hub.clone();
    let sampler = Arc::new(crate::metrics::Sampler::new(
        services.health.clone(),
        services.jobs.clone(),
        services.sync.clone(),
        services.clock.clone(),
    ));
    let Services { accounts, invoices, intake, events, .. } = services;
    // Before serving: what a crash left in the document store (files written for drafts that
    // never committed, half-written temporary files).
    crate::jobs::collect_stray_documents(&intake, config.stray_document_grace, &outage);

    let (stop_jobs, stop_receiver) = std::sync::mpsc::channel();
    let intervals =
        crate::jobs::Intervals { every: config.jobs_interval, stray_document_grace: config.stray_document_grace };
    let jobs = std::thread::Builder::new()
        .name("billify-jobs".into())
        .spawn(move || crate::jobs::run(accounts, invoices, intake, events, intervals, outage, stop_receiver))
        .context("starting the background jobs")?;

    let behind_tls = config.behind_tls;
    let ui = billify_ui::UiSettings { refresh_seconds: config.ui_refresh_seconds };
    let prometheus = web::Data::new(crate::metrics::Metrics {
        handle: crate::metrics::install().context("installing the metrics recorder")?,
        sampler: Some(sampler),
    });
    // Without a separate address, the main one serves GET /metrics too.
    let metrics_on_main = config.metrics_bind.is_none().then(|| prometheus.clone());
    let listener = crate::http_server::ListenerSettings {
        workers: config.workers,
        // About one blocking thread per pooled connection: requests beyond it wait in order on
        // their event loop rather than as threads contending for a connection. Under wrk -c32
        // on 2 cores, alternating runs with a CI build beside them: 5 per worker against
        // actix's default of 256 served a single invoice at 5,500-7,800 req/s against
        // 4,400-5,200, with a lower p99, and the server's peak memory was 39-40 MiB instead of
        // 43-45 MiB. At least 4, so that two documents being read and a login's password hash
        // leave room.
        blocking_threads: usize::try_from(config.pool_size).unwrap_or(4).div_ceil(config.workers.max(1)).max(4),
        shutdown_timeout_seconds: 30,
        // Slow clients are cut off: headers must arrive within the client timeout (else 408 and
        // the connection closes), bodies within billify_web's BODY_TIMEOUT; idle keep-alive
        // connections and unresponsive clients at shutdown are dropped.
        client_request_timeout: config.client_timeout,
        client_disconnect_timeout: std::time::Duration::from_secs(5),
        keep_alive: std::time::Duration::from_secs(30),
    };
    // Oversized request heads are refused (431) and unreadable ones (400) by actix-http, with
    // problem documents (billify_web::connection); JSON bodies over 64 KiB and uploads over the
    // upload limit with 413. SIGTERM and Ctrl-C are handled below, to end the event streams
    // before the graceful stop.
    let (server, address) = crate::http_server::listen("billify", config.bind, listener, move || {
        let metrics_route = metrics_on_main.clone();
        App::new()
            .configure(move |cfg| {
                if let Some(handle) = metrics_route {
                    cfg.app_data(handle).route("/metrics", web::get().to(crate::metrics::render));
                }
            })
            .wrap(billify_web::security_headers(behind_tls))
            // Request ids, one access-log line per request (route template, never the query
            // string, which can carry secrets such as an OAuth callback's code and state) and
            // HTTP metrics.
            .wrap(middleware::from_fn(billify_web::observe::middleware))
            .configure(billify_web::configure(state.clone()))
            .configure(billify_ui::configure(ui))
            .default_service(web::to(billify_ui::not_found))
    })?;
    log::info!("listening on http://{address}");
    let metrics_server = match config.metrics_bind {
        None => None,
        Some(bind) => {
            let handle = prometheus.clone();
            let metrics_listener =
                crate::http_server::ListenerSettings { workers: 1, shutdown_timeout_seconds: 5, ..listener };
            let (server, address) = crate::http_server::listen("billify-metrics", bind, metrics_listener, move || {
                App::new().app_data(handle.clone()).route("/metrics", web::get().to(crate::metrics::render))
            })
            .context("binding the metrics address")?;
            log::info!("metrics on http://{address}/metrics");
            Some(server)
        }
    };
    let result = actix_web::rt::System::new().block_on(async move {
        let handle = server.handle();
        let metrics = metrics_server;
        let metrics_handle = metrics.as_ref().map(|m| m.handle());
        let metrics_running = metrics.map(actix_web::rt::spawn);
        actix_web::rt::spawn(async move {
            shutdown_signal().await;
            log::info!("shutting down: ending the event streams, finishing the requests in flight");
            // A stop is bounded: requests get the listener's shutdown timeout (30 s), the jobs
            // and syncs are crash-safe (leases, one transaction per write). One CI run saw the
            // graceful stop never finish after SIGTERM (cause not found); past this bound the
            // process ends anyway, saying so, rather than waiting for a SIGKILL.
            std::thread::spawn(|| {
                std::thread::sleep(std::time::Duration::from_secs(60));
                log::error!("the graceful shutdown did not finish within 60 s of the signal; exiting now");
                std::process::exit(0);
            });
            // Streams never end on their own: end them, or the graceful stop waits its timeout.
            hub.close();
            handle.stop(true).await;
        });
        let result = server.await;
        if let Some(h) = metrics_handle {
            h.stop(true).await;
        }
        if let Some(running) = metrics_running {
            let _ = running.await;
        }
        result
    });
    let _ = stop_jobs.send(());
    engine.stop();
    if jobs.join().is_err() {
        log::error!("the background jobs thread panicked");
    }
    result.context("running the HTTP server")?;
    log::info!("shut down cleanly");
    Ok(())
}
