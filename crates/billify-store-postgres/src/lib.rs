//! Billify's persistence adapter for PostgreSQL, the production database.
//!
//! Any number of Billify processes can share one PostgreSQL database. Tables are keyed by
//! `organisation_id` first, so they can be distributed by organisation (Citus).
//!
//! The repository code and the schema are shared with the SQLite adapter: `repositories` is
//! `billify-store-common/diesel/`, compiled here against this crate's `dialect`.
//! **Must never depend on:** actix-web, provider adapters, or the SQLite adapter.

mod dialect;
#[path = "../../billify-store-common/diesel/mod.rs"]
mod repositories;

use std::sync::{Arc, Weak};
use std::time::Duration;

use billify_domain::OrganisationId;
use billify_ports::{EventListener, EventWakeups, RepositoryError, StorageHealth};
use billify_store_common::catalog::TableColumn;
use diesel::RunQueryDsl as _;
use diesel::connection::SimpleConnection as _;
use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness as _, embed_migrations};

/// The PostgreSQL migrations, embedded in the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// Why the store could not be opened or migrated.
#[derive(Debug, thiserror::Error)]
pub enum PostgresStoreError {
    /// The schema name is not a plain identifier.
    #[error("invalid PostgreSQL schema name {0:?}: use letters, digits and underscores")]
    InvalidSchema(String),
    /// The database could not be reached.
    #[error("cannot connect to PostgreSQL: {0}")]
    Connect(String),
    /// A migration failed.
    #[error("migrating the PostgreSQL database failed: {0}")]
    Migration(String),
}

/// How to reach the database.
#[derive(Debug, Clone)]
pub struct PostgresConfig {
    /// A `postgres://` URL (libpq syntax).
    pub url: String,
    /// Connections in the pool.
    pub pool_size: u32,
    /// A schema to use instead of `public` (set as `search_path` on every connection).
    pub schema: Option<String>,
    /// How long to wait for a connection before reporting the database unavailable.
    pub connect_timeout: Duration,
}

impl PostgresConfig {
    /// Defaults for a URL: 10 connections, `public` schema, 10 s timeout.
    pub fn new(url: impl Into<String>) -> Self {
        PostgresConfig { url: url.into(), pool_size: 10, schema: None, connect_timeout: Duration::from_secs(10) }
    }
}

#[derive(Debug)]
struct ConnectionSetup {
    schema: Option<String>,
}

impl CustomizeConnection<PgConnection, diesel::r2d2::Error> for ConnectionSetup {
    fn on_acquire(&self, conn: &mut PgConnection) -> Result<(), diesel::r2d2::Error> {
        let mut setup = String::from("SET TIME ZONE 'UTC';");
        if let Some(schema) = &self.schema {
            setup.push_str(&format!("SET search_path TO \"{schema}\";"));
        }
        conn.batch_execute(&setup).map_err(diesel::r2d2::Error::QueryError)
    }
}

fn valid_schema(name: &str) -> bool {
    !name.is_empty() && name.len() <= 63 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The PostgreSQL store: implements every repository port.
#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool<ConnectionManager<PgConnection>>,
    /// Where to open the listening connection of live-event wake-ups.
    url: String,
    schema: Option<String>,
    /// The streams of this process to wake when it publishes an event (other processes' events
    /// arrive through `LISTEN`).
    listeners: Arc<billify_store_common::wakeups::Listeners>,
}

pub(crate) type Store = PostgresStore;

impl PostgresStore {
    /// Connects a pool; fails if the database cannot be reached within the timeout.
    pub fn open(config: &PostgresConfig) -> Result<Self, PostgresStoreError> {
        if let Some(schema) = &config.schema {
            if !valid_schema(schema) {
                return Err(PostgresStoreError::InvalidSchema(schema.clone()));
            }
        }
        let pool = Pool::builder()
            .max_size(config.pool_size.max(1))
            .connection_timeout(config.connect_timeout)
            .connection_customizer(Box::new(ConnectionSetup { schema: config.schema.clone() }))
            .build(ConnectionManager::<PgConnection>::new(config.url.clone()))
            .map_err(|e| PostgresStoreError::Connect(e.to_string()))?;
        Ok(PostgresStore { pool, url: config.url.clone(), schema: config.schema.clone(), listeners: Arc::default() })
    }

    /// Creates the configured schema if it is missing, then applies pending migrations inside
    /// it; returns the names of those applied.
    pub fn run_migrations(&self) -> Result<Vec<String>, PostgresStoreError> {
        let mut conn = self.pool.get().map_err(|e| PostgresStoreError::Connect(e.to_string()))?;
        // Serialise concurrent migrators (several processes starting at once).
        conn.batch_execute("SELECT pg_advisory_lock(7351001);")
            .map_err(|e| PostgresStoreError::Migration(e.to_string()))?;
        let result = conn.run_pending_migrations(MIGRATIONS).map(|v| v.iter().map(ToString::to_string).collect());
        let unlock = conn.batch_execute("SELECT pg_advisory_unlock(7351001);");
        let applied = result.map_err(|e| PostgresStoreError::Migration(e.to_string()))?;
        unlock.map_err(|e| PostgresStoreError::Migration(e.to_string()))?;
        // Values a migration cannot compute in SQL (reconciliation's look-up keys).
        repositories::backfill_lookup_keys(&mut conn).map_err(|e| PostgresStoreError::Migration(e.to_string()))?;
        Ok(applied)
    }

    /// Every column of every table the migrations created in this store's schema, in table and
    /// column order, as `information_schema` names them (for `cargo xtask tidy`, which checks
    /// them against the shared schema).
    pub fn table_columns(&self) -> Result<Vec<TableColumn>, RepositoryError> {
        let rows: Vec<CatalogRow> = diesel::sql_query(
            "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, \
             c.data_type::text AS sql_type, c.is_nullable::text = 'YES' AS nullable \
             FROM information_schema.columns c JOIN information_schema.tables t \
             ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
             WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
             AND c.table_name <> '__diesel_schema_migrations' ORDER BY c.table_name, c.ordinal_position",
        )
        .load(&mut self.conn()?)
        .map_err(|e| RepositoryError::Other(Box::new(e)))?;
        Ok(rows.into_iter().map(CatalogRow::into_column).collect())
    }

    /// Refreshes the planner's statistics and the visibility maps of the invoice and bank tables
    /// (`VACUUM (ANALYZE)`), as autovacuum would in a while: after a bulk load, so plans fit the
    /// tables' new sizes and index-only scans skip the heap at once.
    pub fn vacuum_analyze(&self) -> Result<(), RepositoryError> {
        self.write_conn()?
            .batch_execute("VACUUM (ANALYZE) invoices, bank_transactions, bank_accounts;")
            .map_err(repositories::db_err)
    }

    /// Creates a schema (for tests and multi-deployment databases); a no-op if it exists.
    pub fn create_schema(url: &str, schema: &str) -> Result<(), PostgresStoreError> {
        Self::on_admin_connection(url, schema, "CREATE SCHEMA IF NOT EXISTS")
    }

    /// Drops a schema and everything in it.
    pub fn drop_schema(url: &str, schema: &str) -> Result<(), PostgresStoreError> {
        Self::on_admin_connection(url, schema, "DROP SCHEMA IF EXISTS")
    }

    fn on_admin_connection(url: &str, schema: &str, verb: &str) -> Result<(), PostgresStoreError> {
        use diesel::Connection as _;
        if !valid_schema(schema) {
            return Err(PostgresStoreError::InvalidSchema(schema.to_owned()));
        }
        let mut conn = PgConnection::establish(url).map_err(|e| PostgresStoreError::Connect(e.to_string()))?;
        let suffix = if verb.starts_with("DROP") { " CASCADE" } else { "" };
        conn.batch_execute(&format!("{verb} \"{schema}\"{suffix};"))
            .map_err(|e| PostgresStoreError::Connect(e.to_string()))
    }

    pub(crate) fn conn(&self) -> Result<PooledConnection<ConnectionManager<PgConnection>>, RepositoryError> {
        self.pool.get().map_err(|e| RepositoryError::Unavailable(e.to_string()))
    }

    /// A connection for a write transaction (PostgreSQL has row locks: writers need no turn).
    pub(crate) fn write_conn(&self) -> Result<PooledConnection<ConnectionManager<PgConnection>>, RepositoryError> {
        self.conn()
    }
}

impl PostgresStore {
    /// The in-process listeners woken after an event is published.
    pub(crate) fn event_listeners(&self) -> &billify_store_common::wakeups::Listeners {
        &self.listeners
    }

    /// A connection of its own (not from the pool) listening on the events channel, and the
    /// name of its schema (the payloads of other schemas' events are ignored).
    fn listening_connection(&self) -> Result<(PgConnection, String), RepositoryError> {
        use diesel::Connection as _;
        let unavailable = |e: &dyn std::fmt::Display| RepositoryError::Unavailable(e.to_string());
        let mut conn = PgConnection::establish(&self.url).map_err(|e| unavailable(&e))?;
        ConnectionSetup { schema: self.schema.clone() }.on_acquire(&mut conn).map_err(|e| unavailable(&e))?;
        conn.batch_execute(&format!("LISTEN {};", dialect::EVENTS_CHANNEL)).map_err(|e| unavailable(&e))?;
        let schema: Vec<SchemaName> =
            diesel::sql_query("SELECT current_schema()::text AS name").load(&mut conn).map_err(|e| unavailable(&e))?;
        let schema = schema.into_iter().next().map(|s| s.name).unwrap_or_default();
        Ok((conn, schema))
    }
}

#[derive(diesel::QueryableByName)]
struct SchemaName {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

/// How often the listening thread looks for notifications (reading what arrived never blocks).
const LISTEN_POLL: Duration = Duration::from_millis(50);
/// How often it checks that its connection is alive.
const LISTEN_PING: Duration = Duration::from_secs(30);

/// Wake-ups from every process: one thread per process holds a connection that `LISTEN`s on
/// the events channel (`pg_notify` is sent by each publishing transaction at commit) and tells
/// the listener; events published by this process also wake it directly after commit. When the
/// connection is lost the thread reconnects and asks every stream to read the log again, since
/// notifications sent meanwhile are gone. The thread ends with the listener.
impl EventWakeups for PostgresStore {
    fn listen(&self, listener: Weak<dyn EventListener>) -> Result<(), RepositoryError> {
        let (conn, schema) = self.listening_connection()?;
        self.listeners.add(listener.clone());
        let store = self.clone();
        std::thread::Builder::new()
            .name("billify-events".into())
            .spawn(move || store.listen_loop(conn, schema, listener))
            .map_err(|e| RepositoryError::Unavailable(format!("starting the event listener: {e}")))?;
        Ok(())
    }
}

impl PostgresStore {
    fn listen_loop(&self, mut conn: PgConnection, mut schema: String, listener: Weak<dyn EventListener>) {
        let mut last_ping = std::time::Instant::now();
        while listener.strong_count() > 0 {
            let mut lost = None;
            for notification in conn.notifications_iter() {
                match notification {
                    Ok(n) => {
                        let mut parts = n.payload.split(' ');
                        let (Some(s), Some(org), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
                            continue;
                        };
                        if s != schema {
                            continue;
                        }
                        if let (Ok(org), Ok(id), Some(l)) =
                            (org.parse::<OrganisationId>(), id.parse::<i64>(), listener.upgrade())
                        {
                            l.published(org, id);
                        }
                    }
                    Err(e) => {
                        lost = Some(e.to_string());
                        break;
                    }
                }
            }
            if lost.is_none() && last_ping.elapsed() >= LISTEN_PING {
                last_ping = std::time::Instant::now();
                if let Err(e) = conn.batch_execute("SELECT 1;") {
                    lost = Some(e.to_string());
                }
            }
            if let Some(error) = lost {
                log::warn!("the live-event listening connection was lost ({error}); reconnecting");
                loop {
                    std::thread::sleep(Duration::from_secs(1));
                    if listener.strong_count() == 0 {
                        return;
                    }
                    match self.listening_connection() {
                        Ok((c, s)) => {
                            (conn, schema) = (c, s);
                            break;
                        }
                        Err(e) => log::warn!("the live-event listener cannot reconnect yet: {e}"),
                    }
                }
                log::info!("the live-event listener is back");
                if let Some(l) = listener.upgrade() {
                    l.resync();
                }
            }
            std::thread::sleep(LISTEN_POLL);
        }
    }
}

impl StorageHealth for PostgresStore {
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
