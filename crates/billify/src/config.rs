//! Typed configuration from environment variables (documented in `.env.example`).

use std::net::SocketAddr;
use std::time::Duration;

/// Which database to use, from the URL scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite://PATH`: the embedded default.
    Sqlite(String),
    /// `postgres://...` or `postgresql://...`: production.
    Postgres(String),
}

/// Everything the server needs to start.
#[derive(Clone, PartialEq, Eq)]
pub struct Config {
    /// The database.
    pub database: DatabaseUrl,
    /// Connections in the pool.
    pub pool_size: u32,
    /// A PostgreSQL schema other than `public`.
    pub postgres_schema: Option<String>,
    /// How long PostgreSQL may keep a request waiting.
    pub database_timeouts: DatabaseTimeouts,
    /// Whether to apply pending migrations at start-up.
    pub migrate_on_start: bool,
    /// Where to listen.
    pub bind: SocketAddr,
    /// Whether clients reach the server over TLS (through a proxy): turns on HSTS and `Secure`
    /// session cookies.
    pub behind_tls: bool,
    /// The address of the reverse proxy whose `X-Forwarded-For` names the client.
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// Requests a minute each client may make to the authentication routes.
    pub auth_rate_per_minute: u32,
    /// Requests each client may make at once to the authentication routes.
    pub auth_rate_burst: u32,
    /// How long a client may take to send a request's headers; slower connections are closed.
    pub client_timeout: Duration,
    /// HTTP worker threads.
    pub workers: usize,
    /// The log filter (`env_logger` syntax).
    pub log_filter: String,
    /// Logs as JSON lines (`BILLIFY_LOG_FORMAT=json`) rather than text.
    pub log_json: bool,
    /// A separate address for `GET /metrics` (`BILLIFY_METRICS_BIND`); without it the metrics are
    /// served on the main address.
    pub metrics_bind: Option<SocketAddr>,
    /// How long a login session lasts.
    pub session_lifetime: Duration,
    /// How long an unused session stays valid.
    pub session_idle: Duration,
    /// How often the background jobs (overdue transition, session purge) run.
    pub jobs_interval: Duration,
    /// How often the dashboard's figures are polled in the browser while its event stream is
    /// unavailable (`BILLIFY_UI_REFRESH_SECONDS`).
    pub ui_refresh_seconds: u32,
    /// Where uploaded documents are stored.
    pub documents_dir: std::path::PathBuf,
    /// The largest upload accepted, in bytes.
    pub max_upload_bytes: usize,
    /// The budget of one document read, and how many run at once.
    pub extraction: ExtractionSettings,
    /// Forecasts computed at once per process; more wait their turn
    /// (`BILLIFY_FORECASTS_AT_ONCE`, 4).
    pub forecasts_at_once: usize,
    /// How long an unconfirmed draft is kept.
    pub draft_lifetime: Duration,
    /// How old a document file nothing refers to must be before it is removed
    /// (`BILLIFY_STRAY_DOCUMENT_GRACE_SECONDS`).
    pub stray_document_grace: Duration,
    /// How old a bank balance may be before the cash position calls it stale.
    pub balance_stale_after: Duration,
    /// Argon2id memory cost in KiB.
    pub argon2_memory_kib: u32,
    /// Argon2id passes.
    pub argon2_iterations: u32,
    /// Argon2id lanes.
    pub argon2_parallelism: u32,
    /// Production mode: PostgreSQL, or `BILLIFY_ENV=production`. A secret key must then be
    /// configured; the embedded default may generate one.
    pub production: bool,
    /// Where the key that seals integration secrets comes from (never printed).
    pub secrets: SecretKeySettings,
}

impl std::fmt::Debug for Config {
    /// Never prints the database URL, which may hold a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let backend = match self.database {
            DatabaseUrl::Sqlite(_) => "sqlite",
            DatabaseUrl::Postgres(_) => "postgres",
        };
        f.debug_struct("Config")
            .field("database", &backend)
            .field("pool_size", &self.pool_size)
            .field("bind", &self.bind)
            .field("workers", &self.workers)
            .field("production", &self.production)
            .field("secrets", &self.secrets)
            .finish_non_exhaustive()
    }
}

/// A configuration error: which variable, and what is wrong with it.
#[derive(Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The variable.
    pub variable: &'static str,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid configuration: {}: {}", self.variable, self.message)
    }
}

impl std::error::Error for ConfigError {}

fn parse<T: std::str::FromStr>(
    get: &dyn Fn(&str) -> Option<String>,
    variable: &'static str,
    default: T,
    what: &str,
    valid: impl Fn(&T) -> bool,
) -> Result<T, ConfigError> {
    match get(variable) {
        None => Ok(default),
        Some(text) => match text.trim().parse::<T>() {
            Ok(v) if valid(&v) => Ok(v),
            _ => Err(ConfigError { variable, message: format!("{text:?} is not {what}") }),
        },
    }
}

/// The bounds on waiting for PostgreSQL (see `billify_store_postgres::PostgresConfig`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatabaseTimeouts {
    /// Establishing a connection (`BILLIFY_DB_CONNECT_TIMEOUT_SECONDS`, 2).
    pub connect: Duration,
    /// Waiting for a pooled connection (`BILLIFY_DB_WAIT_MILLIS`, 500).
    pub wait: Duration,
    /// One statement, on the server (`BILLIFY_DB_STATEMENT_TIMEOUT_SECONDS`, 30).
    pub statement: Duration,
    /// Unacknowledged data and idle time before keepalive probes
    /// (`BILLIFY_DB_TCP_USER_TIMEOUT_SECONDS`, 5).
    pub tcp_user: Duration,
    /// Between two health probes (`BILLIFY_DB_PROBE_INTERVAL_MILLIS`, 250).
    pub probe_interval: Duration,
    /// How long a health probe may take before the database counts as down
    /// (`BILLIFY_DB_PROBE_DEADLINE_MILLIS`, 500).
    pub probe_deadline: Duration,
}

impl DatabaseTimeouts {
    /// Reads the six variables through `get`.
    pub fn from_lookup(get: &dyn Fn(&str) -> Option<String>) -> Result<DatabaseTimeouts, ConfigError> {
        let millis = |variable: &'static str, default: u64| {
            parse(get, variable, default, "a number of milliseconds from 10 to 60000", |n| (10..=60_000).contains(n))
                .map(Duration::from_millis)
        };
        let seconds = |variable: &'static str, default: u64, max: u64| {
            parse(get, variable, default, &format!("a number of seconds from 1 to {max}"), |n| (1..=max).contains(n))
                .map(Duration::from_secs)
        };
        Ok(DatabaseTimeouts {
            connect: seconds("BILLIFY_DB_CONNECT_TIMEOUT_SECONDS", 2, 60)?,
            wait: millis("BILLIFY_DB_WAIT_MILLIS", 500)?,
            statement: seconds("BILLIFY_DB_STATEMENT_TIMEOUT_SECONDS", 30, 86_400)?,
            tcp_user: seconds("BILLIFY_DB_TCP_USER_TIMEOUT_SECONDS", 5, 600)?,
            probe_interval: millis("BILLIFY_DB_PROBE_INTERVAL_MILLIS", 250)?,
            probe_deadline: millis("BILLIFY_DB_PROBE_DEADLINE_MILLIS", 500)?,
        })
    }
}

/// How documents are read (uploads and `billify extract`): the budget of one read, and how many
/// reads run at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractionSettings {
    /// Time one read may take (`BILLIFY_EXTRACTION_SECONDS`, 2).
    pub time: Duration,
    /// Memory one read is sized to stay within (`BILLIFY_EXTRACTION_MEMORY_MIB`, 256): the
    /// limits that hold memory scale with it.
    pub memory_bytes: usize,
    /// Documents read at once; more are refused with 503 and `Retry-After`
    /// (`BILLIFY_EXTRACTIONS_AT_ONCE`, 2).
    pub at_once: usize,
}

impl ExtractionSettings {
    /// Reads the three variables through `get`.
    pub fn from_lookup(get: &dyn Fn(&str) -> Option<String>) -> Result<ExtractionSettings, ConfigError> {
        let seconds = parse(get, "BILLIFY_EXTRACTION_SECONDS", 2u64, "a number of seconds from 1 to 60", |n| {
            (1..=60).contains(n)
        })?;
        let mib = parse(get, "BILLIFY_EXTRACTION_MEMORY_MIB", 256usize, "a size in MiB from 32 to 4096", |n| {
            (32..=4096).contains(n)
        })?;
        let at_once = parse(get, "BILLIFY_EXTRACTIONS_AT_ONCE", 2usize, "a number of reads from 1 to 64", |n| {
            (1..=64).contains(n)
        })?;
        Ok(ExtractionSettings { time: Duration::from_secs(seconds), memory_bytes: mib * 1024 * 1024, at_once })
    }

    /// The reading limits for this budget.
    pub fn limits(&self) -> billify_pdf::Limits {
        billify_pdf::Limits::within(self.time, self.memory_bytes)
    }
}

/// Parses a database URL by its scheme.
pub fn database_url(url: &str) -> Result<DatabaseUrl, ConfigError> {
    let url = url.trim();
    if url.starts_with("sqlite:") {
        Ok(DatabaseUrl::Sqlite(url.to_owned()))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(DatabaseUrl::Postgres(url.to_owned()))
    } else {
        Err(ConfigError {
            variable: "BILLIFY_DATABASE_URL",
            message: "use sqlite://PATH (embedded) or postgres://USER@HOST/DB".into(),
        })
    }
}

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Self::from_lookup(&|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads the configuration through `get` (the environment, or a map in tests).
    pub fn from_lookup(get: &dyn Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let database = database_url(&get("BILLIFY_DATABASE_URL").unwrap_or_else(|| "sqlite://billify.db".into()))?;
        let default_pool = match database {
            DatabaseUrl::Sqlite(_) => 4,
            DatabaseUrl::Postgres(_) => 10,
        };
        let pool_size =
            parse(get, "BILLIFY_DB_POOL_SIZE", default_pool, "a pool size from 1 to 200", |n| (1..=200).contains(n))?;
        let postgres_schema = get("BILLIFY_DB_SCHEMA");
        let database_timeouts = DatabaseTimeouts::from_lookup(get)?;
        let migrate_on_start = parse(get, "BILLIFY_MIGRATE_ON_START", true, "true or false", |_| true)?;
        let bind = parse(
            get,
            "BILLIFY_BIND",
            SocketAddr::from(([127, 0, 0, 1], 8080)),
            "an address such as 127.0.0.1:8080",
            |_| true,
        )?;
        let behind_tls = parse(get, "BILLIFY_BEHIND_TLS", false, "true or false", |_| true)?;
        let trusted_proxy = match get("BILLIFY_TRUSTED_PROXY") {
            None => None,
            Some(text) => Some(text.trim().parse::<std::net::IpAddr>().map_err(|_| ConfigError {
                variable: "BILLIFY_TRUSTED_PROXY",
                message: format!("{text:?} is not an IP address such as 10.0.0.2"),
            })?),
        };
        let auth_rate_per_minute =
            parse(get, "BILLIFY_AUTH_RATE_PER_MINUTE", 10u32, "a number of requests from 1 to 100000", |n| {
                (1..=100_000).contains(n)
            })?;
        let auth_rate_burst =
            parse(get, "BILLIFY_AUTH_RATE_BURST", 20u32, "a number of requests from 1 to 100000", |n| {
                (1..=100_000).contains(n)
            })?;
        let client_timeout =
            parse(get, "BILLIFY_CLIENT_TIMEOUT_SECONDS", 10u64, "a number of seconds from 1 to 300", |n| {
                (1..=300).contains(n)
            })?;
        let ui_refresh_seconds =
            parse(get, "BILLIFY_UI_REFRESH_SECONDS", 30u32, "a number of seconds from 1 to 3600", |n| {
                (1..=3600).contains(n)
            })?;
        let cores = std::thread::available_parallelism().map(usize::from).unwrap_or(2);
        let workers =
            parse(get, "BILLIFY_WORKERS", cores, "a number of workers from 1 to 256", |n| (1..=256).contains(n))?;
        let log_filter = get("BILLIFY_LOG").unwrap_or_else(|| "info".into());
        let log_json = match get("BILLIFY_LOG_FORMAT").map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            None | Some("text") => false,
            Some("json") => true,
            Some(_) => return Err(ConfigError { variable: "BILLIFY_LOG_FORMAT", message: "use text or json".into() }),
        };
        let metrics_bind = match get("BILLIFY_METRICS_BIND") {
            None => None,
            Some(text) => Some(text.trim().parse::<SocketAddr>().map_err(|_| ConfigError {
                variable: "BILLIFY_METRICS_BIND",
                message: format!("{text:?} is not an address such as 127.0.0.1:9090"),
            })?),
        };
        let session_hours =
            parse(get, "BILLIFY_SESSION_LIFETIME_HOURS", 12u64, "a number of hours from 1 to 720", |n| {
                (1..=720).contains(n)
            })?;
        let idle_minutes =
            parse(get, "BILLIFY_SESSION_IDLE_MINUTES", 60u64, "a number of minutes from 1 to 43200", |n| {
                (1..=43_200).contains(n)
            })?;
        let jobs_seconds =
            parse(get, "BILLIFY_JOBS_INTERVAL_SECONDS", 300u64, "a number of seconds from 1 to 86400", |n| {
                (1..=86_400).contains(n)
            })?;
        let argon2_memory_kib =
            parse(get, "BILLIFY_ARGON2_MEMORY_KIB", 19_456u32, "a memory cost from 8 to 4194304 KiB", |n| {
                (8..=4_194_304).contains(n)
            })?;
        let argon2_iterations =
            parse(get, "BILLIFY_ARGON2_ITERATIONS", 2u32, "a number of passes from 1 to 100", |n| {
                (1..=100).contains(n)
            })?;
        let argon2_parallelism =
            parse(get, "BILLIFY_ARGON2_PARALLELISM", 1u32, "a number of lanes from 1 to 64", |n| (1..=64).contains(n))?;
        let documents_dir =
            std::path::PathBuf::from(get("BILLIFY_DOCUMENTS_DIR").unwrap_or_else(|| "billify-documents".into()));
        let max_upload_bytes = parse(
            get,
            "BILLIFY_MAX_UPLOAD_BYTES",
            10 * 1024 * 1024usize,
            "a size in bytes from 1024 to 104857600",
            |n| (1024..=100 * 1024 * 1024).contains(n),
        )?;
        let extraction = ExtractionSettings::from_lookup(get)?;
        let forecasts_at_once =
            parse(get, "BILLIFY_FORECASTS_AT_ONCE", 4usize, "a number of forecasts from 1 to 64", |n| {
                (1..=64).contains(n)
            })?;
        let draft_hours = parse(get, "BILLIFY_DRAFT_LIFETIME_HOURS", 24u64, "a number of hours from 1 to 8760", |n| {
            (1..=8760).contains(n)
        })?;
        let stray_grace =
            parse(get, "BILLIFY_STRAY_DOCUMENT_GRACE_SECONDS", 600u64, "a number of seconds from 0 to 604800", |n| {
                *n <= 604_800
            })?;
        let stale_hours = parse(get, "BILLIFY_BALANCE_STALE_HOURS", 24u64, "a number of hours from 1 to 8760", |n| {
            (1..=8760).contains(n)
        })?;
        let production = match get("BILLIFY_ENV").map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            None | Some("development") => matches!(database, DatabaseUrl::Postgres(_)),
            Some("production") => true,
            Some(_) => {
                return Err(ConfigError { variable: "BILLIFY_ENV", message: "use production or development".into() });
            }
        };
        let secrets = SecretKeySettings {
            key: get(KEY_VARIABLE),
            key_file: get(KEY_FILE_VARIABLE).map(std::path::PathBuf::from),
            old_keys: get(OLD_KEYS_VARIABLE),
        };
        if argon2_memory_kib < 8 * argon2_parallelism {
            return Err(ConfigError {
                variable: "BILLIFY_ARGON2_MEMORY_KIB",
                message: "must be at least 8 KiB per lane (BILLIFY_ARGON2_PARALLELISM)".into(),
            });
        }
        Ok(Config {
            database,
            pool_size,
            postgres_schema,
            database_timeouts,
            migrate_on_start,
            bind,
            behind_tls,
            trusted_proxy,
            auth_rate_per_minute,
            auth_rate_burst,
            client_timeout: Duration::from_secs(client_timeout),
            workers,
            log_filter,
            log_json,
            metrics_bind,
            session_lifetime: Duration::from_secs(session_hours * 3600),
            session_idle: Duration::from_secs(idle_minutes * 60),
            jobs_interval: Duration::from_secs(jobs_seconds),
            ui_refresh_seconds,
            documents_dir,
            max_upload_bytes,
            extraction,
            forecasts_at_once,
            draft_lifetime: Duration::from_secs(draft_hours * 3600),
            stray_document_grace: Duration::from_secs(stray_grace),
            balance_stale_after: Duration::from_secs(stale_hours * 3600),
            argon2_memory_kib,
            argon2_iterations,
            argon2_parallelism,
            production,
            secrets,
        })
    }
}

/// The environment variable holding the current key.
pub const KEY_VARIABLE: &str = "BILLIFY_SECRET_KEY";
/// The environment variable naming a key file.
pub const KEY_FILE_VARIABLE: &str = "BILLIFY_SECRET_KEY_FILE";
/// The environment variable holding open-only keys.
pub const OLD_KEYS_VARIABLE: &str = "BILLIFY_OLD_SECRET_KEYS";

/// The secret-key settings read from the environment. `Debug` never prints keys.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretKeySettings {
    /// `BILLIFY_SECRET_KEY`.
    pub key: Option<String>,
    /// `BILLIFY_SECRET_KEY_FILE`.
    pub key_file: Option<std::path::PathBuf>,
    /// `BILLIFY_OLD_SECRET_KEYS`.
    pub old_keys: Option<String>,
}

impl std::fmt::Debug for SecretKeySettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretKeySettings")
            .field("key", &self.key.as_ref().map(|_| "<redacted>"))
            .field("key_file", &self.key_file)
            .field("old_keys", &self.old_keys.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn with(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        Config::from_lookup(&|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_give_the_embedded_server() {
        let c = with(&[]).unwrap();
        assert_eq!(c.database, DatabaseUrl::Sqlite("sqlite://billify.db".into()));
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert!(c.migrate_on_start);
        assert_eq!(c.pool_size, 4);
        assert!(!c.production);
    }

    #[test]
    fn extraction_settings_scale_the_limits() {
        let c = with(&[]).unwrap();
        assert_eq!(c.extraction.limits(), billify_pdf::Limits::default());
        assert_eq!(c.extraction.at_once, 2);
        assert_eq!(c.forecasts_at_once, billify_web::AppState::FORECASTS_AT_ONCE);
        let c = with(&[("BILLIFY_EXTRACTION_MEMORY_MIB", "512"), ("BILLIFY_EXTRACTION_SECONDS", "5")]).unwrap();
        assert_eq!(c.extraction.limits().max_glyphs, 2 * billify_pdf::Limits::default().max_glyphs);
        assert_eq!(c.extraction.limits().time_budget, Duration::from_secs(5));
        assert_eq!(with(&[("BILLIFY_EXTRACTIONS_AT_ONCE", "0")]).unwrap_err().variable, "BILLIFY_EXTRACTIONS_AT_ONCE");
    }

    #[test]
    fn production_mode_is_postgres_or_billify_env() {
        assert!(with(&[("BILLIFY_DATABASE_URL", "postgres://u@h/db")]).unwrap().production);
        assert!(with(&[("BILLIFY_ENV", "production")]).unwrap().production);
        assert!(!with(&[("BILLIFY_ENV", "development")]).unwrap().production);
        assert_eq!(with(&[("BILLIFY_ENV", "prod")]).unwrap_err().variable, "BILLIFY_ENV");
    }

    #[test]
    fn invalid_values_name_the_variable() {
        assert_eq!(with(&[("BILLIFY_BIND", "localhost")]).unwrap_err().variable, "BILLIFY_BIND");
        assert_eq!(with(&[("BILLIFY_DB_POOL_SIZE", "0")]).unwrap_err().variable, "BILLIFY_DB_POOL_SIZE");
        assert_eq!(with(&[("BILLIFY_DATABASE_URL", "mysql://x")]).unwrap_err().variable, "BILLIFY_DATABASE_URL");
        assert_eq!(with(&[("BILLIFY_MIGRATE_ON_START", "yes")]).unwrap_err().variable, "BILLIFY_MIGRATE_ON_START");
    }

    #[test]
    fn debug_output_hides_the_database_url() {
        let c = with(&[("BILLIFY_DATABASE_URL", "postgres://u:s3cret@h/db")]).unwrap();
        assert!(!format!("{c:?}").contains("s3cret"));
        let c = with(&[("BILLIFY_SECRET_KEY", "ka:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")]).unwrap();
        assert!(!format!("{c:?}").contains("AAECAw"));
    }
}
