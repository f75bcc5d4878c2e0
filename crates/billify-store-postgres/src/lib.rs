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

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

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

/// How to reach the database, and how long to wait for it.
///
/// Every wait is bounded so that an unreachable or stalled database costs a request at most
/// about `wait_timeout` (a new request) or `probe_deadline` plus a poll (a request in flight),
/// never a TCP time-out of minutes:
/// - `connect_timeout`, `tcp_user_timeout` and keepalives are libpq connection parameters
///   added to the URL (unless the URL sets them), so a connection to a host that went away
///   is abandoned by the kernel rather than kept forever;
/// - `wait_timeout` bounds the wait for a pooled connection;
/// - `statement_timeout` is set on every connection, so a query the server cannot finish (a
///   lock, an overloaded server) is cancelled there;
/// - a probe thread runs `SELECT 1` every `probe_interval` on its own connection: when it
///   fails, or has not answered within `probe_deadline`, the store reports itself unavailable
///   ([`StorageHealth::available`]) and refuses new work at once, until a probe succeeds again.
#[derive(Debug, Clone)]
pub struct PostgresConfig {
    /// A `postgres://` URL (libpq syntax).
    pub url: String,
    /// Connections in the pool.
    pub pool_size: u32,
    /// A schema to use instead of `public` (set as `search_path` on every connection).
    pub schema: Option<String>,
    /// How long establishing a connection may take (libpq `connect_timeout`, whole seconds;
    /// libpq waits at least 2 s).
    pub connect_timeout: Duration,
    /// How long a caller waits for a pooled connection before the database is reported
    /// unavailable.
    pub wait_timeout: Duration,
    /// The server-side limit of one statement (`statement_timeout`).
    pub statement_timeout: Duration,
    /// How long sent data may stay unacknowledged before the kernel drops the connection
    /// (libpq `tcp_user_timeout`); keepalive probes start after the same idle time.
    pub tcp_user_timeout: Duration,
    /// How often the health probe runs; `None` runs no probe (the store is then always
    /// reported available, and only the timeouts above bound the waits).
    pub probe_interval: Option<Duration>,
    /// How long the probe may take before the database counts as not answering.
    pub probe_deadline: Duration,
}

impl PostgresConfig {
    /// Defaults for a URL: 10 connections, `public` schema, connections within 2 s, pooled
    /// connections within 500 ms, statements within 30 s, TCP user timeout 5 s, a probe every
    /// 250 ms answered within 500 ms.
    pub fn new(url: impl Into<String>) -> Self {
        PostgresConfig {
            url: url.into(),
            pool_size: 10,
            schema: None,
            connect_timeout: Duration::from_secs(2),
            wait_timeout: Duration::from_millis(500),
            statement_timeout: Duration::from_secs(30),
            tcp_user_timeout: Duration::from_secs(5),
            probe_interval: Some(Duration::from_millis(250)),
            probe_deadline: Duration::from_millis(500),
        }
    }

    /// The URL with the libpq connection parameters that bound waits on the network, unless
    /// the URL sets them itself; and `sslmode=disable` when every host it names is this
    /// machine's loopback and neither the URL nor `PGSSLMODE` chooses a mode.
    ///
    /// libpq's default (`prefer`) speaks TLS whenever the server offers it, without checking
    /// the server's certificate. Over loopback that protects nothing (the bytes never leave the
    /// machine), and it cost a third of a single invoice's throughput: 12,650-13,558 req/s with
    /// TLS against 18,039-18,243 without, same run (docs/benchmarks.md, session 8).
    pub fn libpq_url(&self) -> String {
        self.libpq_url_with(std::env::var_os("PGSSLMODE").is_some())
    }

    fn libpq_url_with(&self, ssl_mode_from_environment: bool) -> String {
        let seconds = |d: Duration| d.as_secs().max(1).to_string();
        let plain_loopback = !ssl_mode_from_environment && names_only_loopback(&self.url);
        let params = [
            ("connect_timeout", seconds(self.connect_timeout)),
            ("keepalives", "1".to_owned()),
            ("keepalives_idle", seconds(self.tcp_user_timeout)),
            ("keepalives_interval", "1".to_owned()),
            ("keepalives_count", "3".to_owned()),
            ("tcp_user_timeout", self.tcp_user_timeout.as_millis().max(1).to_string()),
        ];
        let plain = plain_loopback.then(|| ("sslmode", "disable".to_owned()));
        let mut url = self.url.clone();
        let query = url.split_once('?').map(|(_, q)| q.to_owned()).unwrap_or_default();
        for (key, value) in params.into_iter().chain(plain) {
            if query.split('&').any(|pair| pair.split('=').next() == Some(key)) {
                continue;
            }
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&format!("{key}={value}"));
        }
        url
    }
}

/// Whether a `postgres://` URL names hosts and all of them are this machine's loopback
/// (`localhost`, `127.0.0.0/8`, `::1`). A URL whose query names hosts (`host=`, `hostaddr=`)
/// is left to them: the answer is then `false`.
fn names_only_loopback(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("postgres://").or_else(|| url.strip_prefix("postgresql://")) else {
        return false;
    };
    let (authority_and_path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if query.split('&').any(|pair| matches!(pair.split('=').next(), Some("host" | "hostaddr"))) {
        return false;
    }
    let authority = authority_and_path.split('/').next().unwrap_or_default();
    let hosts = authority.rsplit_once('@').map_or(authority, |(_, hosts)| hosts);
    !hosts.is_empty()
        && hosts.split(',').all(|host_port| {
            let host = match host_port.strip_prefix('[') {
                Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
                None => host_port.split(':').next().unwrap_or_default(),
            };
            host.eq_ignore_ascii_case("localhost")
                || host.parse::<std::net::IpAddr>().is_ok_and(|address| address.is_loopback())
        })
}

#[derive(Debug)]
struct ConnectionSetup {
    schema: Option<String>,
    statement_timeout: Duration,
}

impl ConnectionSetup {
    fn sql(&self) -> String {
        let mut setup =
            format!("SET TIME ZONE 'UTC'; SET statement_timeout = {};", self.statement_timeout.as_millis().max(1));
        if let Some(schema) = &self.schema {
            setup.push_str(&format!("SET search_path TO \"{schema}\";"));
        }
        setup
    }
}

impl CustomizeConnection<PgConnection, diesel::r2d2::Error> for ConnectionSetup {
    fn on_acquire(&self, conn: &mut PgConnection) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute(&self.sql()).map_err(diesel::r2d2::Error::QueryError)
    }
}

/// The pool's connections: checked out without a test query, and dropped when a statement
/// found them gone ([`repositories::take_connection_lost`]). After such a loss, or after the
/// database came back from an outage (the probe tells), checkouts are tested with a ping for
/// [`SUSPECT_WINDOW`], so the other connections the outage broke are replaced before use.
#[derive(Debug)]
struct Manager {
    inner: ConnectionManager<PgConnection>,
    suspect: Arc<Suspicion>,
}

/// How long checkouts are tested after a connection was lost or the database came back.
const SUSPECT_WINDOW: Duration = Duration::from_secs(10);

/// Until when pooled connections are suspected broken.
#[derive(Debug)]
struct Suspicion {
    epoch: Instant,
    /// Milliseconds since `epoch`.
    until: std::sync::atomic::AtomicU64,
}

impl Suspicion {
    fn new() -> Self {
        Suspicion { epoch: Instant::now(), until: std::sync::atomic::AtomicU64::new(0) }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Tests checkouts for the next [`SUSPECT_WINDOW`].
    fn raise(&self) {
        let until = self.now().saturating_add(SUSPECT_WINDOW.as_millis() as u64);
        self.until.fetch_max(until, Ordering::AcqRel);
    }

    fn active(&self) -> bool {
        self.now() < self.until.load(Ordering::Acquire)
    }
}

impl r2d2::ManageConnection for Manager {
    type Connection = PgConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<PgConnection, diesel::r2d2::Error> {
        self.inner.connect()
    }

    fn is_valid(&self, conn: &mut PgConnection) -> Result<(), diesel::r2d2::Error> {
        if self.suspect.active() { self.inner.is_valid(conn) } else { Ok(()) }
    }

    fn has_broken(&self, conn: &mut PgConnection) -> bool {
        let lost = repositories::take_connection_lost();
        if lost {
            self.suspect.raise();
        }
        lost || self.inner.has_broken(conn)
    }
}

/// A pooled connection.
type PgPooled = PooledConnection<Manager>;

/// Connections the pool keeps open when idle.
const MIN_IDLE: u32 = 2;

/// The pool's failed attempts to connect, at debug level: while the database is down the pool
/// retries every few hundred milliseconds, and the probe logs the outage once.
#[derive(Debug)]
struct QuietErrors;

impl r2d2::HandleError<diesel::r2d2::Error> for QuietErrors {
    fn handle_error(&self, error: diesel::r2d2::Error) {
        log::debug!("a pooled PostgreSQL connection failed: {error}");
    }
}

/// What the probe thread last found, shared with the store.
#[derive(Debug)]
struct Gate {
    /// The last probe succeeded.
    healthy: AtomicBool,
    /// When the running probe started, if one runs.
    probe_started: Mutex<Option<Instant>>,
    deadline: Duration,
    /// A probe outlasted its deadline and that was logged (once, until a probe answers).
    stall_logged: AtomicBool,
    /// Told when the database answers again after an outage or a stall.
    suspect: Arc<Suspicion>,
}

impl Gate {
    fn available(&self) -> bool {
        if !self.healthy.load(Ordering::Acquire) {
            return false;
        }
        let started = *self.probe_started.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let answering = started.is_none_or(|at| at.elapsed() <= self.deadline);
        if !answering && !self.stall_logged.swap(true, Ordering::AcqRel) {
            log::error!(
                "PostgreSQL does not answer within {} ms; requests get 503 until it does",
                self.deadline.as_millis()
            );
        }
        answering
    }

    fn set_probe(&self, started: Option<Instant>) {
        *self.probe_started.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = started;
    }
}

/// Probes the database until the store is dropped; logs each outage once, and its end.
fn probe_loop(gate: Weak<Gate>, url: String, setup: ConnectionSetup, interval: Duration) {
    use diesel::Connection as _;
    let mut conn: Option<PgConnection> = None;
    let mut down_since: Option<Instant> = None;
    loop {
        let Some(g) = gate.upgrade() else { return };
        g.set_probe(Some(Instant::now()));
        drop(g);
        let result = (|| -> Result<(), String> {
            if conn.is_none() {
                let mut fresh = PgConnection::establish(&url).map_err(|e| e.to_string())?;
                fresh.batch_execute(&setup.sql()).map_err(|e| e.to_string())?;
                conn = Some(fresh);
            }
            let c = conn.as_mut().ok_or("no connection")?;
            c.batch_execute("SELECT 1").map_err(|e| e.to_string())
        })();
        let Some(g) = gate.upgrade() else { return };
        match result {
            Ok(()) => {
                if let Some(since) = down_since.take() {
                    log::warn!("PostgreSQL answers again after {:.1} s", since.elapsed().as_secs_f64());
                    g.suspect.raise();
                } else if g.stall_logged.swap(false, Ordering::AcqRel) {
                    log::warn!("PostgreSQL answers again");
                    g.suspect.raise();
                }
                g.healthy.store(true, Ordering::Release);
            }
            Err(e) => {
                conn = None;
                // A stall already logged by the gate is the same outage.
                if down_since.is_none() {
                    if !g.stall_logged.swap(false, Ordering::AcqRel) {
                        log::error!("PostgreSQL does not answer ({}); requests get 503 until it does", e.trim());
                    }
                    down_since = Some(Instant::now());
                }
                g.healthy.store(false, Ordering::Release);
            }
        }
        g.set_probe(None);
        drop(g);
        std::thread::sleep(interval);
    }
}

fn valid_schema(name: &str) -> bool {
    !name.is_empty() && name.len() <= 63 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The PostgreSQL store: implements every repository port.
#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool<Manager>,
    /// Where to open the listening connection of live-event wake-ups.
    url: String,
    schema: Option<String>,
    /// The statement time limit of its connections.
    statement_timeout: Duration,
    /// The streams of this process to wake when it publishes an event (other processes' events
    /// arrive through `LISTEN`).
    listeners: Arc<billify_store_common::wakeups::Listeners>,
    gate: Option<Arc<Gate>>,
    /// The pool's checkouts and waits.
    pool_counters: Arc<repositories::pool::PoolCounters>,
}

pub(crate) type Store = PostgresStore;

impl PostgresStore {
    /// Connects a pool (and starts the health probe); fails if the database cannot be reached
    /// within the connect timeout.
    pub fn open(config: &PostgresConfig) -> Result<Self, PostgresStoreError> {
        if let Some(schema) = &config.schema
            && !valid_schema(schema)
        {
            return Err(PostgresStoreError::InvalidSchema(schema.clone()));
        }
        let url = config.libpq_url();
        let setup = || ConnectionSetup { schema: config.schema.clone(), statement_timeout: config.statement_timeout };
        let counters = Arc::new(repositories::pool::PoolCounters::default());
        let suspect = Arc::new(Suspicion::new());
        let pool = Pool::builder()
            .max_size(config.pool_size.max(1))
            // Two connections at start, more as requests need them (up to the size), the extra
            // ones closed after ten idle minutes: opening all ten at once made PostgreSQL start
            // ten backends while the server started (cold start 131-178 ms against 100).
            .min_idle(Some(MIN_IDLE.min(config.pool_size.max(1))))
            .connection_timeout(config.wait_timeout)
            .connection_customizer(Box::new(setup()))
            .error_handler(Box::new(QuietErrors))
            .event_handler(Box::new(repositories::pool::PoolEvents(counters.clone())))
            // No test query per checkout: a lost connection is dropped when it comes back.
            .test_on_check_out(false)
            .build_unchecked(Manager {
                inner: ConnectionManager::<PgConnection>::new(url.clone()),
                suspect: suspect.clone(),
            });
        // The pool fills itself in the background; at start the database must answer once, within
        // the time a connection may take (the short wait is for requests, not for start-up).
        pool.get_timeout(config.connect_timeout.max(config.wait_timeout))
            .map_err(|e| PostgresStoreError::Connect(e.to_string()))?;
        let gate = match config.probe_interval {
            None => None,
            Some(interval) => {
                let gate = Arc::new(Gate {
                    healthy: AtomicBool::new(true),
                    probe_started: Mutex::new(None),
                    deadline: config.probe_deadline,
                    stall_logged: AtomicBool::new(false),
                    suspect,
                });
                let (weak, setup) = (Arc::downgrade(&gate), setup());
                std::thread::Builder::new()
                    .name("billify-pg-probe".into())
                    .spawn(move || probe_loop(weak, url, setup, interval))
                    .map_err(|e| PostgresStoreError::Connect(format!("starting the health probe: {e}")))?;
                Some(gate)
            }
        };
        Ok(PostgresStore {
            pool,
            // The listening connection gets the same timeouts and keepalives as the pool's.
            url: config.libpq_url(),
            schema: config.schema.clone(),
            statement_timeout: config.statement_timeout,
            listeners: Arc::default(),
            gate,
            pool_counters: counters,
        })
    }

    /// A connection for migrations and maintenance, without the statement time limit.
    fn migration_conn(&self) -> Result<PgPooled, PostgresStoreError> {
        let mut conn = self.pool.get().map_err(|e| PostgresStoreError::Connect(e.to_string()))?;
        // Migrations may rewrite big tables: no statement limit for them.
        conn.batch_execute("SET statement_timeout = 0;").map_err(|e| PostgresStoreError::Migration(e.to_string()))?;
        Ok(conn)
    }

    /// Creates the configured schema if it is missing, then applies pending migrations inside
    /// it; returns the names of those applied.
    pub fn run_migrations(&self) -> Result<Vec<String>, PostgresStoreError> {
        let mut conn = self.migration_conn()?;
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
        // One statement per call: several in one string run as one transaction block, where
        // VACUUM cannot run. The pooled connection gets its statement timeout back afterwards.
        let mut conn = self.write_conn()?;
        conn.batch_execute("SET statement_timeout = 0").map_err(repositories::db_err)?;
        let vacuumed = conn
            .batch_execute("VACUUM (ANALYZE) invoices, bank_transactions, bank_accounts")
            .map_err(repositories::db_err);
        conn.batch_execute(&format!("SET statement_timeout = {}", self.statement_timeout.as_millis().max(1)))
            .map_err(repositories::db_err)?;
        vacuumed
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

    pub(crate) fn conn(&self) -> Result<PgPooled, RepositoryError> {
        if !self.available() {
            return Err(RepositoryError::Unavailable("PostgreSQL does not answer its health probe".into()));
        }
        self.pool.get().map_err(|e| RepositoryError::Unavailable(e.to_string()))
    }

    /// A connection for a write transaction (PostgreSQL has row locks: writers need no turn).
    pub(crate) fn write_conn(&self) -> Result<PgPooled, RepositoryError> {
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
        ConnectionSetup { schema: self.schema.clone(), statement_timeout: self.statement_timeout }
            .on_acquire(&mut conn)
            .map_err(|e| unavailable(&e))?;
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
    fn pool(&self) -> Option<billify_ports::health::PoolStats> {
        Some(self.pool_counters.stats(self.pool.max_size(), self.pool.state()))
    }

    fn available(&self) -> bool {
        self.gate.as_ref().is_none_or(|gate| gate.available())
    }

    fn ping(&self) -> Result<(), RepositoryError> {
        diesel::sql_query("SELECT 1").execute(&mut self.conn()?).map_err(|e| {
            repositories::note_connection_loss(&e);
            RepositoryError::Unavailable(e.to_string())
        })?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn url_for(url: &str, from_environment: bool) -> String {
        PostgresConfig::new(url).libpq_url_with(from_environment)
    }

    #[test]
    fn loopback_hosts_are_reached_without_tls_unless_a_mode_is_chosen() {
        for url in [
            "postgres://postgres@127.0.0.1:5432/test",
            "postgresql://u:p@localhost/db",
            "postgres://u@[::1]:5433/db?application_name=billify",
            "postgres://u@127.0.0.2,localhost:5433/db",
        ] {
            assert!(url_for(url, false).contains("sslmode=disable"), "{url}");
            assert!(!url_for(url, true).contains("sslmode"), "PGSSLMODE decides for {url}");
        }
        let chosen = url_for("postgres://u@127.0.0.1/db?sslmode=require", false);
        assert!(chosen.contains("sslmode=require") && !chosen.contains("sslmode=disable"), "{chosen}");
    }

    #[test]
    fn other_hosts_keep_libpqs_default() {
        for url in [
            "postgres://u@db.example.com:5432/db",
            "postgres://u@127.0.0.1,db.example.com/db",
            "postgres://u@10.0.0.5/db",
            "postgres://u@%2Fvar%2Frun%2Fpostgresql/db",
            "postgres://u@/db?host=/var/run/postgresql",
            "postgres://u@localhost/db?hostaddr=192.0.2.1",
            "host=localhost dbname=db",
        ] {
            assert!(!url_for(url, false).contains("sslmode"), "{url}");
        }
    }
}
