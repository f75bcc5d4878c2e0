//! Opening a new database: the pool's connections come up without a fight over the file.
//!
//! Its own test binary, because it installs the process's logger.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed expectation is a failed test")]

use std::sync::Mutex;

/// Keeps every error logged by the connection pool.
struct PoolErrors(Mutex<Vec<String>>);

impl log::Log for PoolErrors {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::Level::Error
    }

    fn log(&self, record: &log::Record<'_>) {
        if record.level() <= log::Level::Error && record.target().starts_with("r2d2") {
            self.0.lock().unwrap().push(record.args().to_string());
        }
    }

    fn flush(&self) {}
}

static ERRORS: PoolErrors = PoolErrors(Mutex::new(Vec::new()));

#[test]
fn a_new_database_opens_with_a_full_pool_and_no_pool_errors() {
    log::set_logger(&ERRORS).unwrap();
    log::set_max_level(log::LevelFilter::Error);
    // Connections are opened by the pool's threads while the database switches to WAL; when
    // they raced the switch, about one open in three logged "database is locked".
    for _ in 0..30 {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("new.db").display());
        let store = billify_store_sqlite::SqliteStore::open(&url, 32).unwrap();
        assert_eq!(store.pragma("journal_mode").unwrap(), "wal");
        store.run_migrations().unwrap();
    }
    let errors = ERRORS.0.lock().unwrap();
    assert!(errors.is_empty(), "the pool logged errors while opening: {errors:?}");
}

#[test]
fn the_embedded_sqlite_is_built_with_stable_plans_and_no_allocation_statistics() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("options.db").display());
    let store = billify_store_sqlite::SqliteStore::open(&url, 2).unwrap();
    let options = store.compile_options().unwrap();
    for wanted in billify_store_sqlite::PLANNED_BUILD_OPTIONS {
        assert!(
            options.iter().any(|o| o == wanted),
            "SQLite lacks {wanted} (LIBSQLITE3_FLAGS in .cargo/config.toml); it has {options:?}"
        );
    }
}
