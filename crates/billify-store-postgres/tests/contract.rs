//! The repository contract, run against PostgreSQL in a fresh schema per test.
//!
//! Runs when `BILLIFY_TEST_DATABASE_URL` is set; then an unreachable database fails the tests,
//! it never skips them. When `BILLIFY_PG_SUITE_MARKER` names a file, every test that ran against
//! PostgreSQL appends a line to it, so CI can prove the suite ran.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed expectation is a failed test")]

use std::io::Write as _;

use billify_store_postgres::{PostgresConfig, PostgresStore};

struct Fixture {
    url: String,
    schema: String,
    store: PostgresStore,
}

impl Fixture {
    /// A store in a new schema, or `None` when no test database is configured.
    fn new(test: &str) -> Option<Self> {
        let Ok(url) = std::env::var("BILLIFY_TEST_DATABASE_URL") else {
            eprintln!("skipping {test}: BILLIFY_TEST_DATABASE_URL is not set");
            return None;
        };
        let schema = format!("test_{}", uuid::Uuid::new_v4().simple());
        PostgresStore::create_schema(&url, &schema)
            .expect("BILLIFY_TEST_DATABASE_URL is set but PostgreSQL is unreachable");
        let mut config = PostgresConfig::new(url.clone());
        config.schema = Some(schema.clone());
        config.pool_size = 3;
        let store = PostgresStore::open(&config).expect("open pool");
        store.run_migrations().expect("migrate");
        if let Ok(marker) = std::env::var("BILLIFY_PG_SUITE_MARKER") {
            let mut file = std::fs::OpenOptions::new().create(true).append(true).open(marker).expect("marker file");
            writeln!(file, "{test}").expect("write marker");
        }
        Some(Fixture { url, schema, store })
    }

    fn store(&self) -> &PostgresStore {
        &self.store
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        if let Err(e) = PostgresStore::drop_schema(&self.url, &self.schema) {
            eprintln!("could not drop test schema {}: {e}", self.schema);
        }
    }
}

billify_store_common::repository_contract_tests!(match Fixture::new(module_path!()) {
    Some(fixture) => fixture,
    None => return,
});

billify_store_common::reconciliation_contract_tests!(match Fixture::new(module_path!()) {
    Some(fixture) => fixture,
    None => return,
});

billify_store_common::integration_contract_tests!(match Fixture::new(module_path!()) {
    Some(fixture) => fixture,
    None => return,
});

billify_store_common::audit_contract_tests!(match Fixture::new(module_path!()) {
    Some(fixture) => fixture,
    None => return,
});

billify_store_common::audited_write_contract_tests!(match Fixture::new(module_path!()) {
    Some(fixture) => fixture,
    None => return,
});

billify_store_common::two_factor_contract_tests!(match Fixture::new(module_path!()) {
    Some(fixture) => fixture,
    None => return,
});

billify_store_common::access_token_contract_tests!(match Fixture::new(module_path!()) {
    Some(fixture) => fixture,
    None => return,
});

billify_store_common::accounting_contract_tests!(match Fixture::new(module_path!()) {
    Some(fixture) => fixture,
    None => return,
});

billify_store_common::cashflow_contract_tests!(match Fixture::new(module_path!()) {
    Some(fixture) => fixture,
    None => return,
});

billify_store_common::notification_contract_tests!(match Fixture::new(module_path!()) {
    Some(fixture) => fixture,
    None => return,
});
billify_store_common::event_contract_tests!(match Fixture::new(module_path!()) {
    Some(fixture) => fixture,
    None => return,
});

billify_store_common::forecast_contract_tests!(match Fixture::new(module_path!()) {
    Some(fixture) => fixture,
    None => return,
});
/// An event published through one store (one process's pool) wakes the listener of another
/// store on the same database, through `LISTEN/NOTIFY`; events of another schema do not.
#[test]
fn events_published_by_one_process_wake_the_listeners_of_another() {
    use std::sync::{Arc, Mutex};

    use billify_domain::{OrganisationId, Permission};
    use billify_ports::events::{EventKind, EventListener, EventLog as _, EventWakeups as _, NewEvent};

    #[derive(Default)]
    struct Recorder(Mutex<Vec<(OrganisationId, i64)>>);
    impl EventListener for Recorder {
        fn published(&self, organisation: OrganisationId, last_id: i64) {
            self.0.lock().unwrap().push((organisation, last_id));
        }
        fn resync(&self) {}
    }

    let Some(f) = Fixture::new("events_published_by_one_process_wake_the_listeners_of_another") else { return };
    let Some(elsewhere) = Fixture::new("events_published_by_one_process_wake_the_listeners_of_another") else {
        return;
    };
    let mut config = PostgresConfig::new(f.url.clone());
    config.schema = Some(f.schema.clone());
    config.pool_size = 1;
    let other_process = PostgresStore::open(&config).unwrap();
    let recorder = Arc::new(Recorder::default());
    let listener: Arc<dyn EventListener> = recorder.clone();
    other_process.listen(Arc::downgrade(&listener)).unwrap();
    let registration = billify_store_common::contract::register_for_tests(&f.store, "anna@example.be");
    let foreign = billify_store_common::contract::register_for_tests(&elsewhere.store, "bert@example.be");
    let event = |org| NewEvent {
        organisation_id: org,
        kind: EventKind::ForecastChanged,
        audience: Permission::ReadData,
        data: "{}".into(),
    };
    elsewhere.store.publish(&event(foreign), time::OffsetDateTime::now_utc()).unwrap();
    let stored = f.store.publish(&event(registration), time::OffsetDateTime::now_utc()).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !recorder.0.lock().unwrap().contains(&(registration, stored.id)) {
        assert!(std::time::Instant::now() < deadline, "no wake-up arrived from the other process");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        recorder.0.lock().unwrap().iter().all(|(o, _)| *o == registration),
        "another schema's events are not this store's"
    );
}

#[test]
fn migrations_are_idempotent_and_ping_works() {
    use billify_ports::StorageHealth as _;
    let Some(f) = Fixture::new("migrations_are_idempotent_and_ping_works") else { return };
    assert!(f.store.run_migrations().unwrap().is_empty());
    f.store.ping().unwrap();
}

#[test]
fn an_unreachable_database_is_reported() {
    let mut config = PostgresConfig::new("postgres://postgres@127.0.0.1:1/nowhere");
    config.wait_timeout = std::time::Duration::from_millis(500);
    assert!(PostgresStore::open(&config).is_err());
}

#[test]
fn schema_names_are_checked() {
    let mut config = PostgresConfig::new("postgres://postgres@127.0.0.1/test");
    config.schema = Some("x\"; DROP TABLE users; --".into());
    assert!(matches!(PostgresStore::open(&config), Err(billify_store_postgres::PostgresStoreError::InvalidSchema(_))));
}
