//! The repository contract, run against a fresh SQLite file per test.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed expectation is a failed test")]

use billify_store_sqlite::SqliteStore;

struct Fixture {
    _dir: tempfile::TempDir,
    store: SqliteStore,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("billify.db").display());
        let store = SqliteStore::open(&url, 4).expect("open");
        store.run_migrations().expect("migrate");
        Fixture { _dir: dir, store }
    }

    fn store(&self) -> &SqliteStore {
        &self.store
    }
}

billify_store_common::repository_contract_tests!(Fixture::new());

billify_store_common::integration_contract_tests!(Fixture::new());

billify_store_common::audit_contract_tests!(Fixture::new());

billify_store_common::audited_write_contract_tests!(Fixture::new());

billify_store_common::two_factor_contract_tests!(Fixture::new());

billify_store_common::access_token_contract_tests!(Fixture::new());

billify_store_common::reconciliation_contract_tests!(Fixture::new());

billify_store_common::accounting_contract_tests!(Fixture::new());

billify_store_common::cashflow_contract_tests!(Fixture::new());

billify_store_common::notification_contract_tests!(Fixture::new());
billify_store_common::forecast_contract_tests!(Fixture::new());
billify_store_common::event_contract_tests!(Fixture::new());

#[test]
fn foreign_keys_and_wal_are_on() {
    use billify_ports::StorageHealth as _;
    let f = Fixture::new();
    f.store.ping().unwrap();
    assert_eq!(f.store.pragma("foreign_keys").unwrap(), "1");
    assert_eq!(f.store.pragma("journal_mode").unwrap(), "wal");
}

#[test]
fn migrations_are_idempotent() {
    let f = Fixture::new();
    assert!(f.store.run_migrations().unwrap().is_empty());
}

#[test]
fn urls_without_a_file_are_refused() {
    for bad in ["postgres://x", "sqlite://", "sqlite::memory:", "sqlite://a.db?mode=rwc"] {
        assert!(SqliteStore::open(bad, 1).is_err(), "{bad}");
    }
}
