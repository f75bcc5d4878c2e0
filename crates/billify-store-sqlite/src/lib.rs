//! Billify's persistence adapter for SQLite, the embedded default: `cargo run` works on a fresh
//! machine with nothing installed.
//!
//! SQLite is bundled (compiled in). Every connection runs with WAL journaling, foreign keys on,
//! `synchronous = NORMAL` and a busy timeout; writes take the lock up front (`BEGIN IMMEDIATE`).
//! Reads use a pool; every write goes through the store's one write connection, so this
//! process's writers queue on a mutex rather than in SQLite's sleeping busy handler.
//! One process owns the database file; several server processes need PostgreSQL.
//!
//! The repository code and the schema are shared with the PostgreSQL adapter: `repositories` is
//! `billify-store-common/diesel/`, compiled here against this crate's `dialect`.
//! **Must never depend on:** actix-web, provider adapters, or the PostgreSQL adapter.

mod dialect;
#[path = "../../billify-store-common/diesel/mod.rs"]
mod repositories;
pub mod snapshot;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use billify_ports::{RepositoryError, StorageHealth};
use billify_store_common::catalog::TableColumn;
use diesel::connection::SimpleConnection as _;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::sqlite::SqliteConnection;
use diesel::{Connection as _, RunQueryDsl as _};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness as _, embed_migrations};

/// The SQLite migrations, embedded in the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");

/// Why the store could not be opened or migrated.
#[derive(Debug, thiserror::Error)]
pub enum SqliteStoreError {
    /// The URL is not a usable SQLite location.
    #[error("invalid SQLite database URL: {0}")]
    InvalidUrl(String),
    /// The database could not be opened.
    #[error("cannot open the SQLite database {path}: {message}")]
    Open {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A migration failed.
    #[error("migrating the SQLite database failed: {0}")]
    Migration(String),
}

#[derive(Debug)]
struct ConnectionSetup {
    busy_timeout: Duration,
}

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for ConnectionSetup {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        // One statement per call: SQLite applies PRAGMAs one at a time.
        for pragma in [
            format!("PRAGMA busy_timeout = {};", self.busy_timeout.as_millis()),
            "PRAGMA journal_mode = WAL;".to_owned(),
            "PRAGMA synchronous = NORMAL;".to_owned(),
            "PRAGMA foreign_keys = ON;".to_owned(),
        ] {
            conn.batch_execute(&pragma).map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

/// The SQLite store: implements every repository port.
#[derive(Clone)]
pub struct SqliteStore {
    pool: Pool<ConnectionManager<SqliteConnection>>,
    /// This process's one write connection. SQLite has one writer at a time: threads queue
    /// here and are woken as soon as the writer is free, where SQLite's busy handler would poll
    /// with sleeps of up to 100 ms, and the writer's page and statement caches stay warm. Other
    /// processes still wait on the busy timeout.
    writer: Arc<Writer>,
    /// The streams to wake when an event is published (in-process: one process owns the file).
    listeners: Arc<billify_store_common::wakeups::Listeners>,
    /// The read pool's checkouts and waits.
    pool_counters: Arc<repositories::pool::PoolCounters>,
}

struct Writer {
    path: String,
    conn: Mutex<SqliteConnection>,
    /// Turns taken on the write connection and how long they waited for it.
    counters: repositories::pool::PoolCounters,
}

impl Writer {
    /// Pages the write connection caches (negative: KiB), bounded whatever the database size.
    const CACHE_KIB: i64 = 16 * 1024;
    /// Pages the write-ahead log grows to before the writer checkpoints (about 40 MiB).
    const LOG_PAGES: u32 = 10_000;

    fn connect(path: &str) -> Result<SqliteConnection, diesel::r2d2::Error> {
        let mut conn = SqliteConnection::establish(path).map_err(diesel::r2d2::Error::ConnectionError)?;
        SETUP.on_acquire(&mut conn)?;
        conn.batch_execute(&format!("PRAGMA cache_size = -{};", Self::CACHE_KIB))
            .map_err(diesel::r2d2::Error::QueryError)?;
        // A statement that changes many rows inside a transaction journals the pages it
        // changes, so that it alone can be undone; by default that journal spills to a new
        // temporary file past 64 KiB, which every batch insert did. Keep it in memory: it
        // lives for one statement (deleting, in one transaction, an organisation with 200,000
        // bank transactions, directly or by cascade, left the peak memory where it was).
        conn.batch_execute("PRAGMA temp_store = MEMORY;").map_err(diesel::r2d2::Error::QueryError)?;
        // A checkpoint copies the log into the database file and waits for the disk, holding
        // the write turn: a larger log means ten times fewer waits (and pages written many times
        // are copied once), still bounded.
        conn.batch_execute(&format!("PRAGMA wal_autocheckpoint = {};", Self::LOG_PAGES))
            .map_err(diesel::r2d2::Error::QueryError)?;
        Ok(conn)
    }
}

/// Compile options of the embedded SQLite the request path relies on, set through
/// `LIBSQLITE3_FLAGS` in the workspace's `.cargo/config.toml` (a store opened on a SQLite built
/// without them logs a warning):
/// - `ENABLE_QPSG`, the query planner stability guarantee: a plan never depends on a bound
///   value. Without it SQLite marks a statement whose `column = ?` term it compared with a
///   partial index's condition, or with STAT4 samples, to be re-prepared whenever that parameter
///   is bound again, which Diesel does at every execution: re-parsing was 44 % of a single
///   invoice's request time (`docs/benchmarks.md`, issue 18).
/// - `DEFAULT_MEMSTATUS=0`: no global mutex around every allocation to keep statistics nobody
///   reads (SQLite's own recommendation).
/// - `THREADSAFE=2`: no mutex around every call on a connection (each column of each row took
///   one). A Diesel connection is used by one thread at a time, which is all this mode needs.
pub const PLANNED_BUILD_OPTIONS: [&str; 3] = ["ENABLE_QPSG", "DEFAULT_MEMSTATUS=0", "THREADSAFE=2"];

const SETUP: ConnectionSetup = ConnectionSetup { busy_timeout: Duration::from_secs(5) };

pub(crate) type Store = SqliteStore;

/// The file path of a `sqlite://PATH` URL (`sqlite:PATH` and `sqlite:///abs/path` work too).
pub fn path_from_url(url: &str) -> Result<String, SqliteStoreError> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .ok_or_else(|| SqliteStoreError::InvalidUrl(format!("{url:?} does not start with sqlite://")))?;
    if path.is_empty() || path.contains(":memory:") || path.contains('?') {
        return Err(SqliteStoreError::InvalidUrl(format!(
            "{url:?}: give a file path, e.g. sqlite://billify.db (in-memory databases and URL options are not supported)"
        )));
    }
    Ok(path.to_owned())
}

impl SqliteStore {
    /// Opens (creating if needed) the database at a `sqlite://PATH` URL with a pool of
    /// `pool_size` connections.
    pub fn open(url: &str, pool_size: u32) -> Result<Self, SqliteStoreError> {
        let path = path_from_url(url)?;
        // The write connection first: it switches a new database to WAL, which takes the file's
        // exclusive lock. Pool connections opened at the same time would fail on it ("database is
        // locked") and be retried, each time with an error in the log.
        let conn = Writer::connect(&path)
            .map_err(|e| SqliteStoreError::Open { path: path.clone(), message: e.to_string() })?;
        let counters = Arc::new(repositories::pool::PoolCounters::default());
        let pool = Pool::builder()
            .max_size(pool_size.max(1))
            .connection_timeout(Duration::from_secs(10))
            .connection_customizer(Box::new(SETUP))
            .event_handler(Box::new(repositories::pool::PoolEvents(counters.clone())))
            // A file's connection does not go away: no test query per checkout.
            .test_on_check_out(false)
            .build(ConnectionManager::<SqliteConnection>::new(path.clone()))
            .map_err(|e| SqliteStoreError::Open { path: path.clone(), message: e.to_string() })?;
        let store = SqliteStore {
            pool,
            writer: Arc::new(Writer { path, conn: Mutex::new(conn), counters: Default::default() }),
            listeners: Arc::default(),
            pool_counters: counters,
        };
        match store.compile_options() {
            Ok(options) => {
                for wanted in PLANNED_BUILD_OPTIONS {
                    if !options.iter().any(|o| o == wanted) {
                        log::warn!(
                            "the embedded SQLite was built without {wanted}: reads will be slower (build with \
                             this workspace's .cargo/config.toml, which sets LIBSQLITE3_FLAGS)"
                        );
                    }
                }
            }
            Err(e) => log::warn!("cannot read SQLite's compile options: {e}"),
        }
        Ok(store)
    }

    /// The options the embedded SQLite was compiled with (`PRAGMA compile_options`), e.g.
    /// `ENABLE_QPSG`.
    pub fn compile_options(&self) -> Result<Vec<String>, RepositoryError> {
        #[derive(diesel::QueryableByName)]
        struct CompileOption {
            #[diesel(sql_type = diesel::sql_types::Text)]
            compile_options: String,
        }
        let rows: Vec<CompileOption> = diesel::sql_query("SELECT compile_options FROM pragma_compile_options()")
            .load(&mut self.conn()?)
            .map_err(|e| RepositoryError::Other(Box::new(e)))?;
        Ok(rows.into_iter().map(|r| r.compile_options).collect())
    }

    /// Applies pending migrations; returns the names of those applied.
    pub fn run_migrations(&self) -> Result<Vec<String>, SqliteStoreError> {
        let mut conn = self.pool.get().map_err(|e| SqliteStoreError::Migration(e.to_string()))?;
        let applied: Vec<String> = conn
            .run_pending_migrations(MIGRATIONS)
            .map_err(|e| SqliteStoreError::Migration(e.to_string()))?
            .iter()
            .map(ToString::to_string)
            .collect();
        // Values a migration cannot compute in SQL (reconciliation's look-up keys).
        repositories::backfill_lookup_keys(&mut conn).map_err(|e| SqliteStoreError::Migration(e.to_string()))?;
        Ok(applied)
    }

    /// Every column of every table the migrations created, in table and column order, as SQLite
    /// declares them (for `cargo xtask tidy`, which checks them against the shared schema).
    ///
    /// A primary key column counts as NOT NULL. SQLite lets a primary key that is not an
    /// `INTEGER PRIMARY KEY` hold NULL unless it is declared NOT NULL (a quirk it keeps for
    /// compatibility), and several early tables do not declare it; PostgreSQL refuses NULL there,
    /// and the repositories always write the key.
    ///
    /// Only ordinary tables count: the invoice search index (an FTS5 virtual table and its
    /// shadow tables, migration 000038) is an index, which PostgreSQL keeps as `pg_trgm` indexes.
    pub fn table_columns(&self) -> Result<Vec<TableColumn>, RepositoryError> {
        let rows: Vec<CatalogRow> = diesel::sql_query(
            "SELECT m.name AS table_name, p.name AS column_name, p.type AS sql_type, p.\"notnull\" = 0 AND p.pk = 0 AS nullable \
             FROM pragma_table_list() m JOIN pragma_table_info(m.name) p \
             WHERE m.schema = 'main' AND m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
             AND m.name <> '__diesel_schema_migrations' ORDER BY m.name, p.cid",
        )
        .load(&mut self.conn()?)
        .map_err(|e| RepositoryError::Other(Box::new(e)))?;
        Ok(rows.into_iter().map(CatalogRow::into_column).collect())
    }

    /// The value of a PRAGMA as text (e.g. `journal_mode` gives `wal`), for diagnostics.
    pub fn pragma(&self, name: &str) -> Result<String, RepositoryError> {
        #[derive(diesel::QueryableByName)]
        struct Value {
            #[diesel(sql_type = diesel::sql_types::Text)]
            value: String,
        }
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            return Err(RepositoryError::Other(format!("not a pragma name: {name:?}").into()));
        }
        let rows: Vec<Value> = diesel::sql_query(format!("SELECT CAST({name} AS TEXT) AS value FROM pragma_{name}()"))
            .load(&mut self.conn()?)
            .map_err(|e| RepositoryError::Other(Box::new(e)))?;
        rows.into_iter().next().map(|v| v.value).ok_or_else(|| RepositoryError::NotFound)
    }

    /// Caps the database file at `max_pages` pages (`PRAGMA max_page_count` on the write
    /// connection), as a full disk would: writes past it fail with "database or disk is full",
    /// answered 503 `storage-unavailable`, and nothing is corrupted. `None` lifts the cap. A quota
    /// for operators, and how the tests fill the disk.
    pub fn limit_size(&self, max_pages: Option<u64>) -> Result<(), RepositoryError> {
        use diesel::connection::SimpleConnection as _;
        // SQLite's own maximum (2^32 - 2 pages).
        let pages = max_pages.unwrap_or(4_294_967_294);
        self.write_conn()?.batch_execute(&format!("PRAGMA max_page_count = {pages};")).map_err(repositories::db_err)
    }

    pub(crate) fn conn(&self) -> Result<PooledConnection<ConnectionManager<SqliteConnection>>, RepositoryError> {
        self.pool.get().map_err(|e| RepositoryError::Unavailable(e.to_string()))
    }

    /// The write connection, once it is this thread's turn to write.
    pub(crate) fn write_conn(&self) -> Result<MutexGuard<'_, SqliteConnection>, RepositoryError> {
        use diesel::connection::{AnsiTransactionManager, TransactionManager as _, TransactionManagerStatus};
        let asked = std::time::Instant::now();
        let turn = match self.writer.conn.try_lock() {
            Ok(conn) => Ok(conn),
            Err(std::sync::TryLockError::Poisoned(poisoned)) => Err(poisoned),
            Err(std::sync::TryLockError::WouldBlock) => self.writer.conn.lock(),
        };
        self.writer.counters.checked_out(asked.elapsed());
        match turn {
            Ok(mut conn) => {
                // SQLite rolls a transaction back by itself when the disk is full or an I/O error
                // strikes, and Diesel's rollback then fails, leaving its transaction manager broken:
                // start over on a new connection, so writes work again once the disk has room.
                let broken = match AnsiTransactionManager::transaction_manager_status_mut(&mut *conn) {
                    TransactionManagerStatus::InError => true,
                    TransactionManagerStatus::Valid(status) => status.transaction_depth().is_some(),
                };
                if broken {
                    log::warn!("the SQLite write connection was left broken by a failed write; reconnecting");
                    *conn =
                        Writer::connect(&self.writer.path).map_err(|e| RepositoryError::Unavailable(e.to_string()))?;
                }
                Ok(conn)
            }
            Err(poisoned) => {
                // A writer panicked, perhaps inside a transaction: start over on a new connection.
                let mut conn = poisoned.into_inner();
                *conn = Writer::connect(&self.writer.path).map_err(|e| RepositoryError::Unavailable(e.to_string()))?;
                self.writer.conn.clear_poison();
                Ok(conn)
            }
        }
    }
}

impl SqliteStore {
    /// The in-process listeners woken after an event is published.
    pub(crate) fn event_listeners(&self) -> &billify_store_common::wakeups::Listeners {
        &self.listeners
    }
}

/// Wake-ups are in-process: the store tells its listeners after each event commits.
impl billify_ports::EventWakeups for SqliteStore {
    fn listen(&self, listener: std::sync::Weak<dyn billify_ports::EventListener>) -> Result<(), RepositoryError> {
        self.listeners.add(listener);
        Ok(())
    }
}

impl StorageHealth for SqliteStore {
    /// The read pool (writes queue on the one write connection instead).
    fn pool(&self) -> Option<billify_ports::health::PoolStats> {
        Some(self.pool_counters.stats(self.pool.max_size(), self.pool.state()))
    }

    /// The one write connection: in use while a thread holds the write turn.
    fn write_pool(&self) -> Option<billify_ports::health::PoolStats> {
        // Without waiting: a turn held now is a connection in use.
        let idle = u32::from(self.writer.conn.try_lock().is_ok());
        Some(self.writer.counters.with(1, 1, idle))
    }

    fn ping(&self) -> Result<(), RepositoryError> {
        diesel::sql_query("SELECT 1")
            .execute(&mut self.conn()?)
            .map_err(|e| RepositoryError::Unavailable(e.to_string()))?;
        Ok(())
    }
}

/// A row of the catalog query behind `table_columns`.
#[derive(diesel::QueryableByName)]
struct CatalogRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    table_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    column_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    sql_type: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    nullable: bool,
}

impl CatalogRow {
    fn into_column(self) -> TableColumn {
        TableColumn {
            table: self.table_name,
            column: self.column_name,
            sql_type: self.sql_type,
            nullable: self.nullable,
        }
    }
}
