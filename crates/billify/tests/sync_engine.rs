//! The sync engine end to end: the real Ponto adapter against the loopback fake Ponto, a real
//! database (SQLite; PostgreSQL too when `BILLIFY_TEST_DATABASE_URL` is set), the real AEAD, and
//! the services wired by `wiring::wire`.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed expectation is a failed test")]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use billify::wiring::{Adapters, ServiceSettings, wire};
use billify_app::{AccountService, AuthContext, DocumentReader, Registration, SyncService, SyncSettings};
use billify_crypto::{Argon2Config, Argon2Hasher, KeyRing, SecretKey};
use billify_einvoice::EinvoiceExtractor;
use billify_files::LocalDocumentStore;
use billify_pdf::{Limits, PdfExtractor};
use billify_ponto::{PontoClient, PontoConfig};
use billify_ports::bank::{BankRepository, BankTransactionQuery};
use billify_ports::integrations::{IntegrationRepository, IntegrationStatus, SyncOutcome};
use billify_ports::{Clock, SealedSecretStore};
use billify_store_sqlite::SqliteStore;
use billify_testkit::{FakePonto, FakePontoConfig, Fault, FaultKind};
use time::{Duration, OffsetDateTime};

/// Jitter fixed at the middle of its range, so back-offs are exact.
struct HalfRandomness;

impl billify_ports::Randomness for HalfRandomness {
    fn fraction(&self) -> f64 {
        0.5
    }
}

struct TestClock(Mutex<OffsetDateTime>);

impl Clock for TestClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().unwrap()
    }
}

impl TestClock {
    fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

struct World {
    _dir: tempfile::TempDir,
    store: Arc<SqliteStore>,
    fake: FakePonto,
    clock: Arc<TestClock>,
    accounts: Arc<AccountService>,
    sync: Arc<SyncService>,
}

fn world(config: FakePontoConfig, settings: SyncSettings) -> World {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&format!("sqlite://{}", dir.path().join("t.db").display()), 4).unwrap();
    store.run_migrations().unwrap();
    let store = Arc::new(store);
    let fake = FakePonto::start(config).unwrap();
    // The fake's tokens expire by wall-clock time; the engine's clock starts at the real now.
    let now = OffsetDateTime::now_utc();
    let now = now.replace_nanosecond(now.nanosecond() / 1000 * 1000).unwrap();
    let clock = Arc::new(TestClock(Mutex::new(now)));
    let ponto = PontoClient::new(PontoConfig::custom(
        &fake.base_url(),
        &fake.authorization_url(),
        &fake.client_id(),
        &fake.client_secret(),
        "https://billify.example/bank/callback",
    ))
    .unwrap()
    .with_clock(clock.clone());
    let hasher = Arc::new(Argon2Hasher::new(Argon2Config { memory_kib: 64, iterations: 1, parallelism: 1 }).unwrap());
    let reader = DocumentReader::new(
        Arc::new(EinvoiceExtractor::new()),
        Arc::new(PdfExtractor::new(Limits::default())),
        1024 * 1024,
        1,
    );
    let services = wire(
        Adapters {
            store: store.clone(),
            clock: clock.clone(),
            hasher,
            cipher: Arc::new(KeyRing::new(SecretKey::generate("k1").unwrap(), []).unwrap()),
            documents: Arc::new(LocalDocumentStore::open(dir.path().join("documents")).unwrap()),
            reader: Arc::new(reader),
            statements: Arc::new(billify_bankfiles::StatementFiles),
            provider: Some(Arc::new(ponto)),
            accounting: None,
            webhooks: Arc::new(billify_notify::WebhookClient::new(billify_notify::WebhookSettings {
                timeout: std::time::Duration::from_secs(5),
            })),
            email: None,
            outlook: None,
            random: Arc::new(HalfRandomness),
        },
        ServiceSettings {
            session_lifetime: Duration::days(1),
            session_idle: Duration::days(1),
            draft_lifetime: Duration::days(1),
            sync: settings,
            accounting: billify_app::AccountingSyncSettings::default(),
            cashflow: billify_app::CashflowSettings::default(),
            alerts: billify_app::AlertConfig::default(),
            streams: billify_web::StreamSettings::default(),
            event_retention: billify_app::events::DEFAULT_RETENTION,
        },
    );
    let (accounts, sync) = (services.accounts, services.sync);
    World { _dir: dir, store, fake, clock, accounts, sync }
}

fn quiet() -> SyncSettings {
    SyncSettings { request_bank_syncs: false, ..SyncSettings::default() }
}

impl World {
    fn member(&self, email: &str) -> AuthContext {
        self.accounts
            .register(Registration {
                organisation_name: format!("Org of {email}"),
                name: "Anna Peeters".into(),
                email: email.into(),
                password: "correct horse battery staple".into(),
                vat_number: None,
            })
            .unwrap();
        let login = self.accounts.login(email, "correct horse battery staple").unwrap();
        self.accounts.authenticate(&login.token).unwrap()
    }

    fn connect(&self, ctx: &AuthContext) -> uuid::Uuid {
        let start = self.sync.connect(ctx).unwrap();
        assert!(!start.consent_url.contains("code_verifier"), "the verifier never leaves the server");
        let redirect = self.fake.consent(&start.consent_url).unwrap();
        let integration = self.sync.complete_consent(ctx, &redirect.code, &redirect.state).unwrap();
        assert_eq!(integration.status, IntegrationStatus::Connected);
        integration.id
    }

    /// Runs jobs until none is due; returns the outcomes of the syncs among them.
    fn drain(&self) -> Vec<Option<SyncOutcome>> {
        self.drain_reports()
            .into_iter()
            // The reconciliation runs a sync with new transactions queues are not syncs.
            .filter(|report| report.kind == billify_app::sync::SYNC_JOB)
            .map(|report| report.outcome)
            .collect()
    }

    /// Runs every queued job; the reports of all of them, in order.
    fn drain_reports(&self) -> Vec<billify_app::sync::JobReport> {
        let mut reports = Vec::new();
        while let Some(report) = self.sync.run_next_job("test-worker").unwrap() {
            reports.push(report);
            assert!(reports.len() < 200, "jobs keep coming");
        }
        reports
    }

    /// The organisation's transactions as provider id → amount, with duplicates detected.
    fn stored(&self, ctx: &AuthContext) -> BTreeMap<String, String> {
        let mut all = BTreeMap::new();
        let mut query =
            BankTransactionQuery { account_id: None, from: None, to: None, after: None, limit: 200, text: None };
        loop {
            let page = self.store.bank_transactions(ctx.actor.organisation_id, &query).unwrap();
            for t in &page.items {
                let previous = all
                    .insert(t.transaction.provider_id().as_str().to_owned(), t.transaction.amount().to_plain_string());
                assert!(previous.is_none(), "duplicate transaction {}", t.transaction.provider_id().as_str());
            }
            match page.next {
                Some(next) => query.after = Some(next),
                None => return all,
            }
        }
    }

    /// What the fake holds, in the same shape.
    fn truth(&self) -> BTreeMap<String, String> {
        let mut all = BTreeMap::new();
        for account in self.fake.accounts() {
            for t in self.fake.transactions(&account.id) {
                let amount = billify_domain::Money::parse(&t.amount, billify_domain::Currency::EUR).unwrap();
                all.insert(t.id, amount.to_plain_string());
            }
        }
        all
    }
}

#[test]
fn a_connected_bank_is_synced_completely_and_idempotently() {
    let w =
        world(FakePontoConfig { accounts: 3, transactions_per_account: 230, ..FakePontoConfig::default() }, quiet());
    let ctx = w.member("anna@example.be");
    let id = w.connect(&ctx);
    assert_eq!(w.drain(), [Some(SyncOutcome::Succeeded)]);
    assert_eq!(w.stored(&ctx), w.truth(), "every transaction of every account, once");
    assert_eq!(w.store.bank_accounts(ctx.actor.organisation_id).unwrap().len(), 3);
    let runs = w.sync.runs(&ctx.actor, id, 10).unwrap();
    assert_eq!((runs[0].new_accounts, runs[0].new_transactions), (3, 690));
    let integration = w.sync.get(&ctx.actor, id).unwrap();
    assert_eq!(integration.status, IntegrationStatus::Connected);
    assert!(integration.last_success_at.is_some());
    assert!(integration.consent_expires_at.is_some());
    assert_eq!(integration.next_sync_at, Some(w.clock.now() + Duration::minutes(1)));

    // Nothing is due until the interval has passed; then a second run adds nothing and stops at
    // the watermark instead of paging through everything again.
    assert_eq!(w.sync.schedule_due(100).unwrap(), 0);
    w.clock.advance(Duration::minutes(2));
    w.fake.clear_requests();
    assert_eq!(w.sync.schedule_due(100).unwrap(), 1);
    assert_eq!(w.drain(), [Some(SyncOutcome::Succeeded)]);
    assert_eq!(w.stored(&ctx), w.truth());
    let pages = w.fake.requests().iter().filter(|r| r.path().ends_with("/transactions")).count();
    assert_eq!(pages, 3, "one page per account once the history is stored");
    let runs = w.sync.runs(&ctx.actor, id, 10).unwrap();
    assert_eq!((runs[0].new_transactions, runs[0].changed_transactions), (0, 0));
}

#[test]
fn tokens_are_stored_sealed_and_rotated_tokens_are_kept() {
    let w = world(FakePontoConfig::default(), quiet());
    let ctx = w.member("anna@example.be");
    let id = w.connect(&ctx);
    let (sealed, version) = w.store.sealed_tokens(ctx.actor.organisation_id, id).unwrap().unwrap();
    assert!(sealed.starts_with("v1.k1."), "sealed under the current key: {sealed}");
    for (_, text) in w.store.sealed_secrets().unwrap() {
        assert!(!text.contains("access") && !text.contains("refresh"), "no plaintext at rest");
    }
    // The access token is refused: the adapter refreshes once, and the rotated tokens are stored.
    w.fake.expire_access_tokens();
    assert_eq!(w.drain(), [Some(SyncOutcome::Succeeded)]);
    let (_, after) = w.store.sealed_tokens(ctx.actor.organisation_id, id).unwrap().unwrap();
    assert!(after > version, "the refreshed tokens were stored");
    w.clock.advance(Duration::minutes(2));
    w.sync.schedule_due(10).unwrap();
    assert_eq!(w.drain(), [Some(SyncOutcome::Succeeded)], "the stored refresh token is the live one");
}

#[test]
fn a_refused_refresh_token_asks_for_consent_again() {
    let w = world(FakePontoConfig::default(), quiet());
    let ctx = w.member("anna@example.be");
    let id = w.connect(&ctx);
    w.fake.expire_access_tokens();
    w.fake.revoke_refresh_tokens();
    assert_eq!(w.drain(), [Some(SyncOutcome::Failed)]);
    let integration = w.sync.get(&ctx.actor, id).unwrap();
    assert_eq!(integration.status, IntegrationStatus::NeedsReconsent);
    assert!(integration.last_error.unwrap().contains("connect Ponto again"));
    w.clock.advance(Duration::hours(1));
    assert_eq!(w.sync.schedule_due(10).unwrap(), 0, "no retries against a dead consent");
    // Connecting again reuses the integration and syncs.
    assert_eq!(w.connect(&ctx), id);
    assert_eq!(w.drain(), [Some(SyncOutcome::Succeeded)]);
}

#[test]
fn failures_back_off_honour_retry_after_and_then_recover() {
    let w = world(FakePontoConfig::default(), quiet());
    let ctx = w.member("anna@example.be");
    let id = w.connect(&ctx);
    w.fake.inject(Fault::new("/accounts", FaultKind::ServerError, 1));
    assert_eq!(w.drain(), [Some(SyncOutcome::Failed)]);
    let failing = w.sync.get(&ctx.actor, id).unwrap();
    assert_eq!(failing.status, IntegrationStatus::Failing);
    assert_eq!(failing.last_error.as_deref(), Some("Ponto is failing (HTTP 500)"));
    let wait = failing.next_sync_at.unwrap() - w.clock.now();
    assert_eq!(wait, Duration::seconds(15), "the first back-off is the 30 s base with full jitter (fixed at 0.5)");
    assert_eq!(w.sync.schedule_due(10).unwrap(), 0, "not before the backoff");

    w.clock.advance(Duration::seconds(31));
    w.fake.inject(Fault::new("/accounts", FaultKind::RateLimited { retry_after_secs: 600 }, 1));
    w.sync.schedule_due(10).unwrap();
    assert_eq!(w.drain(), [Some(SyncOutcome::Failed)]);
    let limited = w.sync.get(&ctx.actor, id).unwrap();
    assert!(
        limited.next_sync_at.unwrap() - w.clock.now() >= Duration::seconds(600),
        "Retry-After is honoured: {limited:?}"
    );
    assert_eq!(limited.consecutive_failures, 2);

    w.clock.advance(Duration::seconds(601));
    w.sync.schedule_due(10).unwrap();
    assert_eq!(w.drain(), [Some(SyncOutcome::Succeeded)]);
    let healthy = w.sync.get(&ctx.actor, id).unwrap();
    assert_eq!(
        (healthy.status, healthy.consecutive_failures, healthy.last_error),
        (IntegrationStatus::Connected, 0, None)
    );
    assert_eq!(w.stored(&ctx), w.truth());
    let history: Vec<SyncOutcome> = w.sync.runs(&ctx.actor, id, 10).unwrap().iter().map(|r| r.outcome).collect();
    assert_eq!(history, [SyncOutcome::Succeeded, SyncOutcome::Failed, SyncOutcome::Failed]);
}

#[test]
fn the_circuit_opens_for_a_failing_provider_and_says_so() {
    let settings = SyncSettings { breaker_threshold: 3, ..quiet() };
    let w = world(FakePontoConfig::default(), settings);
    let members: Vec<AuthContext> = (0..5).map(|n| w.member(&format!("user{n}@example.be"))).collect();
    let ids: Vec<uuid::Uuid> = members.iter().map(|m| w.connect(m)).collect();
    w.fake.inject(Fault::new("/accounts", FaultKind::ServerError, 100));
    w.fake.clear_requests();
    assert_eq!(w.drain().len(), 5);
    let calls = w.fake.requests().iter().filter(|r| r.path().ends_with("/accounts")).count();
    assert_eq!(calls, 3, "after 3 failures in a row the provider is not called any more");
    let paused = w.sync.get(&members[4].actor, ids[4]).unwrap();
    assert_eq!(paused.status, IntegrationStatus::Failing);
    assert!(paused.last_error.unwrap().contains("paused all Ponto syncs"), "the status says why");
}

#[test]
fn consent_is_bound_to_its_session_and_single_use() {
    let w = world(FakePontoConfig::default(), quiet());
    let ctx = w.member("anna@example.be");
    let start = w.sync.connect(&ctx).unwrap();
    let redirect = w.fake.consent(&start.consent_url).unwrap();
    // Another session of the same user, and a made-up state, are refused.
    let other_session = w
        .accounts
        .authenticate(&w.accounts.login("anna@example.be", "correct horse battery staple").unwrap().token)
        .unwrap();
    assert!(w.sync.complete_consent(&other_session, &redirect.code, &redirect.state).is_err());
    assert!(w.sync.complete_consent(&ctx, &redirect.code, "forged").is_err());
    // The first attempt consumed the state even though it came from the wrong session.
    assert!(w.sync.complete_consent(&ctx, &redirect.code, &redirect.state).is_err());

    let start = w.sync.connect(&ctx).unwrap();
    let redirect = w.fake.consent(&start.consent_url).unwrap();
    w.clock.advance(Duration::minutes(16));
    assert!(w.sync.complete_consent(&ctx, &redirect.code, &redirect.state).is_err(), "expired");
}

#[test]
fn disconnect_revokes_and_forgets_the_tokens_but_keeps_the_data() {
    let w = world(FakePontoConfig::default(), quiet());
    let ctx = w.member("anna@example.be");
    let id = w.connect(&ctx);
    w.drain();
    let before = w.stored(&ctx);
    w.fake.clear_requests();
    w.sync.disconnect(&ctx.actor, id).unwrap();
    assert!(w.fake.requests().iter().any(|r| r.path().ends_with("/oauth2/revoke")), "revoked at Ponto");
    assert_eq!(w.store.sealed_tokens(ctx.actor.organisation_id, id).unwrap(), None);
    assert_eq!(w.sync.get(&ctx.actor, id).unwrap().status, IntegrationStatus::Disconnected);
    assert!(w.sync.sync_now(&ctx.actor, id, None).is_err());
    assert_eq!(w.stored(&ctx), before);
}

#[test]
fn bank_side_synchronisations_bring_new_transactions_without_blocking_a_worker() {
    let settings = SyncSettings { request_bank_syncs: true, ..SyncSettings::default() };
    let w = world(FakePontoConfig { new_transactions_per_sync: 2, ..FakePontoConfig::default() }, settings);
    let ctx = w.member("anna@example.be");
    let id = w.connect(&ctx);
    let before = w.truth().len();
    assert_eq!(w.drain(), [Some(SyncOutcome::Succeeded)]);
    let integration = w.sync.get(&ctx.actor, id).unwrap();
    assert_eq!(integration.pending_synchronizations.len(), 3, "one per account, not awaited");
    assert_eq!(integration.next_sync_at, Some(w.clock.now() + Duration::seconds(10)), "looked at again soon");
    // Each later run reads the synchronisations once; when they finish, their transactions land.
    for _ in 0..3 {
        w.clock.advance(Duration::seconds(11));
        w.sync.schedule_due(10).unwrap();
        w.drain();
    }
    assert!(w.truth().len() > before, "the fake booked new transactions");
    assert_eq!(w.stored(&ctx), w.truth());
    assert!(w.sync.get(&ctx.actor, id).unwrap().pending_synchronizations.is_empty());
}

#[test]
fn a_worker_that_lost_its_lease_stops_and_the_new_owner_finishes_the_sync() {
    // Slow pages, so worker A is still paging when its lease runs out and worker B takes over.
    let config = FakePontoConfig {
        accounts: 3,
        transactions_per_account: 230,
        latency: std::time::Duration::from_millis(150),
        ..FakePontoConfig::default()
    };
    let w = world(config, SyncSettings { write_batch: 100, ..quiet() });
    let ctx = w.member("anna@example.be");
    let id = w.connect(&ctx);
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| w.sync.run_next_job("worker-a").unwrap().unwrap());
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while w.fake.requests().iter().filter(|r| r.path().ends_with("/transactions")).count() < 2 {
            assert!(std::time::Instant::now() < deadline, "worker A never started paging");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        // A's lease (5 minutes) has expired: B claims the job and runs it to the end.
        w.clock.advance(Duration::minutes(6));
        let b = w.sync.run_next_job("worker-b").unwrap().expect("B takes over the expired lease");
        (a.join().unwrap(), b)
    });
    assert_eq!(b.outcome, Some(SyncOutcome::Succeeded));
    assert_eq!(a.outcome, Some(SyncOutcome::Failed), "A stops at its next page: it cannot renew the lease");
    assert_eq!(w.stored(&ctx), w.truth(), "both wrote, nothing twice, nothing lost");
    let runs = w.sync.runs(&ctx.actor, id, 10).unwrap();
    assert_eq!(runs.len(), 2);
    let outcomes: Vec<_> = runs.iter().map(|r| r.outcome).collect();
    assert!(outcomes.contains(&SyncOutcome::Succeeded) && outcomes.contains(&SyncOutcome::Failed), "{runs:?}");
    let integration = w.sync.get(&ctx.actor, id).unwrap();
    assert_eq!(integration.status, IntegrationStatus::Connected, "the owner's status stands");
    assert_eq!(w.drain(), [], "the job is done once, by its owner");
}

#[test]
fn a_takeover_that_fails_at_once_still_ends_the_dead_workers_run() {
    use billify_ports::integrations::SyncRun;
    use billify_ports::jobs::JobQueue;
    let w = world(FakePontoConfig::default(), quiet());
    let ctx = w.member("anna@example.be");
    let id = w.connect(&ctx);
    // A worker claims the sync, starts its run and dies: the run stays marked running.
    let job = w.store.claim("dead-worker", w.clock.now(), Duration::minutes(5)).unwrap().expect("the queued sync");
    let dead = SyncRun::started(job.organisation_id, id, w.clock.now());
    w.store.save_sync_run(&dead).unwrap();
    // Its lease expires; the worker that takes the job over fails on its first call.
    w.clock.advance(Duration::minutes(6));
    w.fake.inject(Fault::new("/accounts", FaultKind::ServerError, 1));
    assert_eq!(w.drain(), [Some(SyncOutcome::Failed)]);
    let runs = w.sync.runs(&ctx.actor, id, 10).unwrap();
    assert_eq!(runs.len(), 2, "{runs:?}");
    assert_eq!(runs[0].error.as_deref(), Some("Ponto is failing (HTTP 500)"));
    assert_eq!(runs[1].id, dead.id);
    assert_eq!(runs[1].outcome, SyncOutcome::Failed, "no run stays running once its job ran again");
    assert!(runs[1].error.as_deref().unwrap().starts_with("interrupted"), "{:?}", runs[1].error);
}

#[test]
fn a_long_sync_renews_its_lease_so_nobody_takes_it_over() {
    let config = FakePontoConfig {
        accounts: 2,
        transactions_per_account: 450,
        latency: std::time::Duration::from_millis(40),
        ..FakePontoConfig::default()
    };
    let w = world(config, SyncSettings { lease: Duration::minutes(2), write_batch: 100, ..quiet() });
    let ctx = w.member("anna@example.be");
    w.connect(&ctx);
    let report = std::thread::scope(|s| {
        let a = s.spawn(|| w.sync.run_next_job("worker-a").unwrap().unwrap());
        // Every page moves the clock a minute: past half the lease, A renews it page by page,
        // and a second worker finds nothing to claim.
        let mut seen = 0;
        while !a.is_finished() {
            let pages = w.fake.requests().iter().filter(|r| r.path().ends_with("/transactions")).count();
            if pages > seen {
                seen = pages;
                w.clock.advance(Duration::minutes(1));
                assert!(w.sync.run_next_job("worker-b").unwrap().is_none(), "the lease was renewed");
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        assert!(seen >= 6, "the sync spanned several lease renewals ({seen} pages)");
        a.join().unwrap()
    });
    assert_eq!(report.outcome, Some(SyncOutcome::Succeeded));
    assert_eq!(w.stored(&ctx), w.truth());
}

#[test]
fn run_counts_add_up_to_what_was_stored_for_small_and_large_syncs() {
    // Small syncs (a few transactions, all written with the run's end) and a large one (several
    // write batches): each run's report says what its stored run says, the runs add up to what
    // the database holds, and reconciliation is queued after a run that stored something new,
    // never after one that only re-read what was stored.
    use billify_app::reconciliation::RECONCILE_JOB;
    for (per_account, write_batch) in [(2, 1000), (5, 1000), (230, 100)] {
        let settings = SyncSettings { request_bank_syncs: true, write_batch, ..SyncSettings::default() };
        let config = FakePontoConfig {
            accounts: 2,
            transactions_per_account: per_account,
            new_transactions_per_sync: 1,
            ..FakePontoConfig::default()
        };
        let w = world(config, settings);
        let ctx = w.member("anna@example.be");
        let id = w.connect(&ctx);
        let mut reports = w.drain_reports();
        let first = w.sync.runs(&ctx.actor, id, 10).unwrap();
        assert_eq!(first[0].new_accounts, 2);
        assert_eq!(first[0].new_transactions as usize, 2 * per_account, "first run of {per_account} per account");
        for _ in 0..4 {
            w.clock.advance(Duration::seconds(11));
            w.sync.schedule_due(10).unwrap();
            reports.extend(w.drain_reports());
        }
        let stored = w.stored(&ctx);
        assert_eq!(stored, w.truth());
        assert!(stored.len() > 2 * per_account, "the bank booked new transactions");
        let mut runs = w.sync.runs(&ctx.actor, id, 100).unwrap();
        runs.reverse();
        let counted: u32 = runs.iter().map(|r| r.new_transactions).sum();
        assert_eq!(counted as usize, stored.len(), "{per_account} per account: {runs:?}");
        let syncs: Vec<_> = reports.iter().filter(|r| r.kind == billify_app::sync::SYNC_JOB).collect();
        assert_eq!(syncs.len(), runs.len());
        for (report, run) in syncs.iter().zip(&runs) {
            assert_eq!(
                (report.new_transactions, report.changed_transactions),
                (run.new_transactions, run.changed_transactions)
            );
        }
        // Each sync is followed by a reconciliation run exactly when it stored something new.
        for (n, report) in reports.iter().enumerate() {
            if report.kind != billify_app::sync::SYNC_JOB {
                continue;
            }
            let reconciled = reports.get(n + 1).is_some_and(|next| next.kind == RECONCILE_JOB);
            assert_eq!(reconciled, report.new_transactions + report.changed_transactions > 0, "{reports:?}");
        }
        assert!(syncs.iter().any(|r| r.new_transactions == 0), "some runs found nothing new: {reports:?}");
    }
}
