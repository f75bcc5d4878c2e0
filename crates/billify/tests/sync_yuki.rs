//! The accounting sync end to end, on SQLite and (when `BILLIFY_TEST_DATABASE_URL` is set)
//! PostgreSQL: the real Yuki adapter against the loopback fake Yuki, the services wired by
//! `wiring::wire`, and the job queue's workers.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed expectation is a failed test")]

use std::sync::{Arc, Mutex};

use billify::wiring::{Adapters, ServiceSettings, Services, Store, wire};
use billify_app::reconciliation::RECONCILE_JOB;
use billify_app::sync::SYNC_JOB;
use billify_app::{
    AccountingConnect, AccountingSyncSettings, Actor, DocumentReader, Registration, SyncError, SyncSettings,
};
use billify_crypto::{Argon2Config, Argon2Hasher, KeyRing, SecretKey};
use billify_domain::{
    Counterparty, Currency, Direction, InvoiceKind, InvoiceNumber, InvoiceSource, InvoiceStatus, Money, NewInvoice,
    VatNumber,
};
use billify_einvoice::EinvoiceExtractor;
use billify_files::LocalDocumentStore;
use billify_pdf::{Limits, PdfExtractor};
use billify_ports::accounting::AccountingRegion;
use billify_ports::audit::{AuditAction, AuditQuery};
use billify_ports::integrations::{IntegrationStatus, SyncOutcome};
use billify_ports::{Clock, InvoiceQuery, SecretText};
use billify_store_postgres::{PostgresConfig, PostgresStore};
use billify_store_sqlite::SqliteStore;
use billify_testkit::{FakeYuki, FakeYukiConfig, FakeYukiItem};
use billify_yuki::{YukiClient, YukiConfig};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

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
    store: Arc<dyn Store>,
    fake: FakeYuki,
    clock: Arc<TestClock>,
    services: Services,
    actor: Actor,
}

/// The stores to run on: SQLite, and PostgreSQL when configured.
fn stores(dir: &std::path::Path, name: &str) -> Vec<Arc<dyn Store>> {
    let sqlite = SqliteStore::open(&format!("sqlite://{}", dir.join("t.db").display()), 4).unwrap();
    sqlite.run_migrations().unwrap();
    let mut stores: Vec<Arc<dyn Store>> = vec![Arc::new(sqlite)];
    if let Ok(url) = std::env::var("BILLIFY_TEST_DATABASE_URL") {
        let schema = format!("t_yuki_{name}_{}", &Uuid::new_v4().simple().to_string()[..8]);
        PostgresStore::create_schema(&url, &schema).unwrap();
        let mut config = PostgresConfig::new(url);
        config.schema = Some(schema);
        config.pool_size = 4;
        let pg = PostgresStore::open(&config).unwrap();
        pg.run_migrations().unwrap();
        stores.push(Arc::new(pg));
    }
    stores
}

fn worlds(name: &str, fake: FakeYukiConfig, settings: AccountingSyncSettings) -> Vec<World> {
    let dir = tempfile::tempdir().unwrap();
    let mut out = Vec::new();
    for store in stores(dir.path(), name) {
        let dir = tempfile::tempdir().unwrap();
        let fake = FakeYuki::start(fake.clone()).unwrap();
        let clock = Arc::new(TestClock(Mutex::new(datetime!(2026-12-06 09:00 UTC))));
        let hasher =
            Arc::new(Argon2Hasher::new(Argon2Config { memory_kib: 64, iterations: 1, parallelism: 1 }).unwrap());
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
                provider: None,
                accounting: Some(Arc::new(YukiClient::new(YukiConfig::at(&fake.base_url())))),
                webhooks: Arc::new(billify_notify::WebhookClient::new(billify_notify::WebhookSettings {
                    timeout: std::time::Duration::from_secs(5),
                })),
                email: None,
                outlook: None,
                random: Arc::new(billify_crypto::ThreadRandomness),
            },
            ServiceSettings {
                session_lifetime: Duration::days(1),
                session_idle: Duration::days(1),
                draft_lifetime: Duration::days(1),
                sync: SyncSettings::default(),
                accounting: settings,
                cashflow: billify_app::CashflowSettings::default(),
                alerts: billify_app::AlertConfig::default(),
                streams: billify_web::StreamSettings::default(),
                event_retention: billify_app::events::DEFAULT_RETENTION,
            },
        );
        services
            .accounts
            .register(Registration {
                organisation_name: "Bloc Group BV".into(),
                name: "Anna".into(),
                email: "anna@bloc.be".into(),
                password: "correct horse battery staple".into(),
                vat_number: None,
            })
            .unwrap();
        let login = services.accounts.login("anna@bloc.be", "correct horse battery staple").unwrap();
        let actor = services.accounts.authenticate(&login.token).unwrap().actor;
        out.push(World { _dir: dir, store, fake, clock, services, actor });
    }
    out
}

impl World {
    fn connect(&self) -> Uuid {
        let integration = self
            .services
            .sync
            .connect_accounting(
                &self.actor,
                AccountingConnect {
                    region: AccountingRegion::Be,
                    access_key: SecretText::new(self.fake.access_key()),
                    administration_id: None,
                },
            )
            .unwrap();
        integration.id
    }

    /// Runs every due job; returns the sync outcomes (the reconciliation runs that syncs queue
    /// run too, and are left out).
    fn drain(&self) -> Vec<Option<SyncOutcome>> {
        self.drain_kinds().into_iter().filter(|(kind, _)| kind != RECONCILE_JOB).map(|(_, o)| o).collect()
    }

    /// Runs every due job; returns each job's kind and outcome, in order.
    fn drain_kinds(&self) -> Vec<(String, Option<SyncOutcome>)> {
        let mut reports = Vec::new();
        while let Some(report) = self.services.sync.run_next_job("worker-1").unwrap() {
            reports.push((report.kind, report.outcome));
        }
        reports
    }

    fn sync(&self, id: Uuid) -> Option<SyncOutcome> {
        self.services.sync.sync_now(&self.actor, id, None).unwrap();
        let outcomes = self.drain();
        assert_eq!(outcomes.len(), 1, "{outcomes:?}");
        outcomes[0]
    }

    fn invoices(&self) -> Vec<billify_domain::Invoice> {
        let mut query = InvoiceQuery::all(time::macros::date!(2026 - 12 - 06));
        query.limit = InvoiceQuery::MAX_LIMIT;
        let mut all = Vec::new();
        loop {
            let page = self.services.invoices.list(&self.actor, &query).unwrap();
            all.extend(page.items);
            match page.next {
                Some(next) => query.after = Some(next),
                None => return all,
            }
        }
    }

    fn by_item(&self, item: &str) -> billify_domain::Invoice {
        self.invoices().into_iter().find(|i| i.external_reference() == Some(item)).expect("invoice of the item")
    }

    fn audit(&self, action: AuditAction) -> usize {
        let query = AuditQuery { action: Some(action.code().to_owned()), limit: 200, ..AuditQuery::default() };
        self.store.audit_entries(self.actor.organisation_id, &query).unwrap().len()
    }
}

fn item(id: &str, reference: &str, open: &str, original: &str) -> FakeYukiItem {
    FakeYukiItem {
        id: id.into(),
        debtor: true,
        date: "2026-11-01".into(),
        due_date: Some("2026-12-01".into()),
        description: format!("Factuur {reference}"),
        contact: "Acme NV".into(),
        vat_number: "BE0403170701".into(),
        reference: reference.into(),
        open_amount: open.into(),
        original_amount: original.into(),
        currency: None,
        payment_reference: None,
        iban: None,
    }
}

#[test]
fn outstanding_items_become_invoices_idempotently_and_close_exactly_once() {
    for w in worlds("cycle", FakeYukiConfig::default(), AccountingSyncSettings::default()) {
        let id = w.connect();
        let integration = w.services.sync.get(&w.actor, id).unwrap();
        assert_eq!(integration.status, IntegrationStatus::Connected);
        assert_eq!(integration.accounting.unwrap().administration_id, Some(w.fake.administration_id()));
        let (sealed, _) = w.store.sealed_tokens(w.actor.organisation_id, id).unwrap().unwrap();
        assert!(!sealed.contains(&w.fake.access_key()), "the access key is stored sealed");

        let kinds: Vec<String> = w.drain_kinds().into_iter().map(|(kind, _)| kind).collect();
        assert_eq!(
            kinds,
            [SYNC_JOB, RECONCILE_JOB],
            "connecting queued the first sync, and its new invoices queued a reconciliation"
        );
        let served = w.fake.items();
        let invoices = w.invoices();
        assert_eq!(invoices.len(), served.len(), "one invoice per outstanding item");
        for s in &served {
            let invoice = w.by_item(&s.id);
            assert_eq!(invoice.source(), InvoiceSource::Accounting);
            assert_eq!(invoice.direction(), if s.debtor { Direction::Receivable } else { Direction::Payable });
            assert_eq!(invoice.invoice_number().as_str(), s.reference);
            assert_eq!(invoice.total().to_plain_string(), s.original_amount, "exact amounts");
            assert_eq!(invoice.open_amount().to_plain_string(), s.open_amount, "open below original: partly paid");
            assert_eq!(invoice.counterparty().name(), s.contact);
            assert_eq!(
                invoice.counterparty().vat_number().map(|v| v.as_str().to_owned()).unwrap_or_default(),
                s.vat_number
            );
        }
        assert_eq!(w.audit(AuditAction::InvoiceCreated), served.len(), "every creation is audited");
        let runs = w.services.sync.runs(&w.actor, id, 10).unwrap();
        assert_eq!(runs[0].new_invoices as usize, served.len());

        // Again: nothing changes.
        let before = w.invoices();
        assert_eq!(w.sync(id), Some(SyncOutcome::Succeeded));
        assert_eq!(w.invoices(), before, "an unchanged sync writes nothing");
        let run = &w.services.sync.runs(&w.actor, id, 1).unwrap()[0];
        assert_eq!((run.new_invoices, run.changed_invoices, run.closed_invoices), (0, 0, 0));

        // Paid in the books: the item disappears and its invoice is marked paid, once.
        let gone = served[0].clone();
        w.fake.remove_item(&gone.id);
        w.clock.advance(Duration::minutes(20));
        assert_eq!(w.sync(id), Some(SyncOutcome::Succeeded));
        let paid = w.by_item(&gone.id);
        assert_eq!(paid.status(), InvoiceStatus::Paid);
        assert_eq!(paid.updated_at(), w.clock.now(), "dated by the sync");
        assert_eq!(w.services.sync.runs(&w.actor, id, 1).unwrap()[0].closed_invoices, 1);
        assert_eq!(w.audit(AuditAction::InvoicePaid), 1);
        assert_eq!(w.sync(id), Some(SyncOutcome::Succeeded));
        assert_eq!(w.audit(AuditAction::InvoicePaid), 1, "closed exactly once");
        assert_eq!(w.by_item(&gone.id).version(), paid.version());

        // It comes back: reopened through the audited path.
        w.fake.upsert_item(gone.clone());
        assert_eq!(w.sync(id), Some(SyncOutcome::Succeeded));
        let reopened = w.by_item(&gone.id);
        assert!(reopened.status().is_open());
        assert_eq!(reopened.open_amount().to_plain_string(), gone.open_amount);
        assert_eq!(w.audit(AuditAction::InvoiceReopened), 1);
        assert_eq!(w.invoices().len(), served.len(), "nothing duplicated");

        // A partial payment in the books changes the open amount.
        let mut part = served[1].clone();
        part.open_amount = "1.00".into();
        w.fake.upsert_item(part.clone());
        assert_eq!(w.sync(id), Some(SyncOutcome::Succeeded));
        assert_eq!(w.by_item(&part.id).open_amount().to_plain_string(), "1.00");

        // Calls: connect (Authenticate, Administrations) and two lists per sync; one session.
        let integration = w.services.sync.get(&w.actor, id).unwrap();
        let budget = w.services.sync.call_budget(&integration).unwrap();
        assert_eq!(budget.used_today, w.fake.calls_today());
        assert_eq!(w.fake.requests().iter().filter(|r| r.operation == "Authenticate").count(), 1);
        assert_eq!(budget.budget, 800);
    }
}

#[test]
fn invoices_typed_in_are_linked_and_bad_data_is_kept_flagged() {
    for w in worlds(
        "link",
        FakeYukiConfig { debtor_items: 0, creditor_items: 0, ..FakeYukiConfig::default() },
        AccountingSyncSettings::default(),
    ) {
        let typed = w
            .services
            .invoices
            .create(
                &w.actor,
                NewInvoice {
                    direction: Direction::Receivable,
                    kind: InvoiceKind::Invoice,
                    corrects: None,
                    invoice_number: InvoiceNumber::parse("2026000777").unwrap(),
                    counterparty: Counterparty::new(
                        "Acme NV",
                        Some(VatNumber::parse("BE0403170701").unwrap()),
                        None,
                        None,
                    )
                    .unwrap(),
                    issue_date: time::macros::date!(2026 - 11 - 01),
                    due_date: time::macros::date!(2026 - 12 - 01),
                    subtotal: None,
                    vat_amount: None,
                    total: Money::parse("121.00", Currency::EUR).unwrap(),
                    amount_paid: None,
                    manual_urgency: None,
                    payment_reference: None,
                    source: InvoiceSource::Upload,
                    external_reference: None,
                },
            )
            .unwrap();
        // Creating the typed invoice queued a reconciliation run: let it run first.
        w.drain();
        w.fake.set_items(vec![
            item("i-linked", "2026000777", "21.00", "121.00"),
            FakeYukiItem { due_date: None, ..item("i-nodue", "2026000778", "50.00", "50.00") },
            FakeYukiItem { currency: Some("XQZ".into()), ..item("i-currency", "2026000779", "10.00", "10.00") },
            item("i-credit", "2026000780", "-40.00", "-40.00"),
        ]);
        let id = w.connect();
        assert_eq!(w.drain(), [Some(SyncOutcome::Succeeded)]);
        let invoices = w.invoices();
        assert_eq!(invoices.len(), 3, "linked, not duplicated; the unknown currency makes no invoice");
        let linked = invoices.iter().find(|i| i.id() == typed.id()).unwrap();
        assert_eq!(linked.external_reference(), Some("i-linked"));
        assert_eq!(linked.source(), InvoiceSource::Upload, "it stays what it was");
        assert_eq!(linked.open_amount().to_plain_string(), "21.00", "the books say what is paid");
        let nodue = w.by_item("i-nodue");
        assert_eq!(nodue.due_date(), nodue.issue_date(), "the document date stands in");
        let credit = w.by_item("i-credit");
        assert_eq!((credit.kind(), credit.total().to_plain_string()), (InvoiceKind::CreditNote, "40.00".into()));
        let flagged = w.services.sync.flagged_items(&w.actor, id, 100).unwrap();
        let flags =
            |item: &str| flagged.iter().find(|f| f.item_id == item).map(|f| f.flags.clone()).unwrap_or_default();
        assert_eq!(flags("i-nodue"), ["missing_due_date"]);
        assert_eq!(flags("i-currency"), ["unknown_currency"]);
        assert_eq!(flags("i-credit"), ["negative_open_amount"]);
        assert_eq!(flags("i-linked"), Vec::<String>::new());
        assert_eq!(w.services.sync.runs(&w.actor, id, 1).unwrap()[0].flagged_items, 3);
    }
}

#[test]
fn sessions_faults_and_the_daily_budget() {
    let settings = AccountingSyncSettings { daily_calls: 12, budget_percent: 80, ..AccountingSyncSettings::default() };
    for w in worlds("budget", FakeYukiConfig::default(), settings) {
        let refused = w.services.sync.connect_accounting(
            &w.actor,
            AccountingConnect {
                region: AccountingRegion::Nl,
                access_key: SecretText::new("not the key"),
                administration_id: None,
            },
        );
        assert!(matches!(refused, Err(SyncError::AccessKeyRefused)), "{refused:?}");
        assert!(w.services.sync.list(&w.actor).unwrap().is_empty(), "a refused key stores nothing");

        let id = w.connect(); // 2 calls
        assert_eq!(w.drain(), [Some(SyncOutcome::Succeeded)]); // 4
        w.fake.expire_sessions();
        assert_eq!(w.sync(id), Some(SyncOutcome::Succeeded), "an expired session is renewed once"); // 8
        // The refused key, the connection, and the renewal.
        assert_eq!(w.fake.requests().iter().filter(|r| r.operation == "Authenticate").count(), 3);
        // 8 used of a budget of 9 (80 % of 12): a sync could pass it, so it waits.
        w.services.sync.sync_now(&w.actor, id, None).unwrap();
        assert_eq!(w.drain(), [None], "the sync waits for the budget");
        let waiting = w.services.sync.get(&w.actor, id).unwrap();
        assert!(waiting.last_error.as_deref().unwrap().contains("Yuki calls"), "{:?}", waiting.last_error);
        assert_eq!(waiting.next_sync_at, Some(datetime!(2026-12-07 00:00 UTC)), "after Yuki's day turned");
        assert_eq!(w.services.sync.call_budget(&waiting).unwrap().used_today, 8);
        assert!(w.fake.calls_today() <= 9, "never past the share");

        // The next day: syncs resume; a server fault backs off; a revoked key needs a new one.
        w.clock.advance(Duration::days(1));
        w.fake.new_day();
        w.fake.fail_next(&["Object reference not set to an instance of an object."]);
        assert_eq!(w.sync(id), Some(SyncOutcome::Failed));
        let failing = w.services.sync.get(&w.actor, id).unwrap();
        assert_eq!(failing.status, IntegrationStatus::Failing);
        assert!(failing.next_sync_at.unwrap() > w.clock.now());
        w.fake.revoke_access_key();
        w.fake.expire_sessions();
        assert_eq!(w.sync(id), Some(SyncOutcome::Failed));
        let refused = w.services.sync.get(&w.actor, id).unwrap();
        assert_eq!(refused.status, IntegrationStatus::NeedsReconsent);
        assert!(refused.last_error.unwrap().contains("access key"));
        let again = w.services.sync.sync_now(&w.actor, id, None);
        assert!(
            matches!(again, Err(SyncError::NeedsNewAccessKey)),
            "sync now asks for a new key, in the books' terms: {again:?}"
        );
        assert_eq!(w.invoices().len(), 10, "nothing was closed by failed reads");
        assert!(w.invoices().iter().all(|i| i.status().is_open() || i.open_amount().is_zero()));

        w.services.sync.disconnect(&w.actor, id).unwrap();
        assert!(w.store.sealed_tokens(w.actor.organisation_id, id).unwrap().is_none());
    }
}

#[test]
fn ten_thousand_outstanding_items_sync_within_the_budget() {
    let config = FakeYukiConfig { debtor_items: 0, creditor_items: 0, ..FakeYukiConfig::default() };
    // 10,000 items on SQLite; PostgreSQL runs the same with 1,000, as each new invoice is its own
    // audited transaction and its first sync of 10,000 takes minutes on a shared CI machine.
    for (n, w) in worlds("large", config, AccountingSyncSettings::default()).into_iter().enumerate() {
        let (debtors, creditors) = if n == 0 { (6_000, 4_000) } else { (600, 400) };
        w.fake.generate_items(debtors, creditors);
        let id = w.connect();
        let outcomes = w.drain();
        let run = &w.services.sync.runs(&w.actor, id, 1).unwrap()[0];
        assert_eq!(outcomes, [Some(SyncOutcome::Succeeded)], "{:?}", run.error);
        let integration = w.services.sync.get(&w.actor, id).unwrap();
        assert_eq!(run.new_invoices as usize, debtors + creditors);
        assert_eq!(w.services.sync.call_budget(&integration).unwrap().used_today, 4, "two lists, one session");
        assert_eq!(w.sync(id), Some(SyncOutcome::Succeeded));
        let again = &w.services.sync.runs(&w.actor, id, 1).unwrap()[0];
        assert_eq!((again.new_invoices, again.changed_invoices), (0, 0), "unchanged: nothing written");
    }
}
