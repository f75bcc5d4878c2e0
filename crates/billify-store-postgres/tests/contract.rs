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

billify_store_common::two_factor_contract_tests!(match Fixture::new(module_path!()) {
    Some(fixture) => fixture,
    None => return,
});

billify_store_common::access_token_contract_tests!(match Fixture::new(module_path!()) {
    Some(fixture) => fixture,
    None => return,
});

billify_store_common::cashflow_contract_tests!(match Fixture::new(module_path!()) {
    Some(fixture) => fixture,
    None => return,
});

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
