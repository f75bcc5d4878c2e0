//! The key ring that seals integration secrets, from configuration.
//!
//! Sources, in order:
//! - `BILLIFY_SECRET_KEY`: one `KEY_ID:BASE64` key, the current one;
//! - `BILLIFY_SECRET_KEY_FILE`: a file with one `KEY_ID:BASE64` per line, the first current,
//!   blank lines and `#` comments ignored;
//! - neither, on the embedded default (SQLite, not production): `<data dir>/secret.key` next
//!   to the database file, created with mode 0600 on first start.
//!
//! `BILLIFY_OLD_SECRET_KEYS` (comma-separated `KEY_ID:BASE64`) adds keys that only open, for
//! rotation. In production mode (PostgreSQL, or `BILLIFY_ENV=production`) a missing key stops
//! the start. No message here ever contains key material.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, bail};
use billify_crypto::{KeyRing, SecretKey};
use billify_ports::SecretCipher;

use crate::config::{Config, DatabaseUrl};
pub use crate::config::{KEY_FILE_VARIABLE, KEY_VARIABLE, OLD_KEYS_VARIABLE, SecretKeySettings};

/// The embedded default key file's name, next to the SQLite database.
pub const EMBEDDED_KEY_FILE: &str = "secret.key";

/// Where the current key came from, for the start-up log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// `BILLIFY_SECRET_KEY`.
    Variable,
    /// `BILLIFY_SECRET_KEY_FILE`.
    File(PathBuf),
    /// The embedded default's existing key file.
    Embedded(PathBuf),
    /// The embedded default's key file, generated now.
    Generated(PathBuf),
}

/// How to make a key, for error messages.
const HOW_TO_GENERATE: &str = "generate one with `billify generate-key` (it prints KEY_ID:BASE64) and set \
     BILLIFY_SECRET_KEY to that line, or write it to a file readable only by billify (chmod 600) and set \
     BILLIFY_SECRET_KEY_FILE to its path";

/// A fresh key id: `k`, today's UTC date and four random hex digits, e.g. `k20261128a3f9`.
pub fn new_key_id() -> String {
    let today = time::OffsetDateTime::now_utc().date();
    format!("k{:04}{:02}{:02}{:04x}", today.year(), u8::from(today.month()), today.day(), rand::random::<u16>())
}

/// `billify generate-key`: a fresh random key as one `KEY_ID:BASE64` line on stdout.
pub fn generate_key_command() -> anyhow::Result<()> {
    let key = SecretKey::generate(&new_key_id()).context("generating a key")?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", key.to_config_line().as_str()).context("writing the key to stdout")?;
    Ok(())
}

/// The configured key ring as the [`SecretCipher`] port, for the services and the web state.
pub fn cipher(config: &Config) -> anyhow::Result<Arc<dyn SecretCipher>> {
    Ok(Arc::new(load(config)?))
}

/// Builds the key ring from the configuration; on the embedded default without a key, reads
/// or creates `<data dir>/secret.key`. Logs where the current key came from (never the key).
pub fn load(config: &Config) -> anyhow::Result<KeyRing> {
    let (ring, source) = load_ring(config)?;
    let ids = ring.key_ids();
    let older = ids.len().saturating_sub(1);
    match &source {
        KeySource::Variable => log::info!("secret key `{}` from {KEY_VARIABLE}, {older} older key(s)", ids[0]),
        KeySource::File(path) | KeySource::Embedded(path) => {
            log::info!("secret key `{}` from {}, {older} older key(s)", ids[0], path.display());
        }
        KeySource::Generated(path) => log::info!(
            "generated a new secret key file at {} (mode 0600): back it up with the database, \
             stored integration credentials cannot be opened without it",
            path.display()
        ),
    }
    Ok(ring)
}

/// Builds the key ring and says where its current key came from.
pub fn load_ring(config: &Config) -> anyhow::Result<(KeyRing, KeySource)> {
    let settings = &config.secrets;
    let (mut keys, source) = match (&settings.key, &settings.key_file) {
        (Some(_), Some(_)) => bail!("set either {KEY_VARIABLE} or {KEY_FILE_VARIABLE}, not both"),
        (Some(text), None) => {
            let key = SecretKey::parse(text).with_context(|| format!("invalid {KEY_VARIABLE}"))?;
            (vec![key], KeySource::Variable)
        }
        (None, Some(path)) => {
            warn_if_shared(path);
            (read_key_file(path, KEY_FILE_VARIABLE)?, KeySource::File(path.clone()))
        }
        (None, None) => match embedded_key_file(config) {
            Some(path) if !config.production => embedded_keys(&path)?,
            _ => bail!(
                "no secret key is configured, and production mode (PostgreSQL or BILLIFY_ENV=production) \
                 requires one to seal integration credentials: {HOW_TO_GENERATE}"
            ),
        },
    };
    if let Some(old) = &settings.old_keys {
        for (n, entry) in old.split(',').map(str::trim).filter(|e| !e.is_empty()).enumerate() {
            let key = SecretKey::parse(entry)
                .with_context(|| format!("invalid {OLD_KEYS_VARIABLE}: entry {} of the list", n + 1))?;
            keys.push(key);
        }
    }
    let mut keys = keys.into_iter();
    let Some(current) = keys.next() else {
        bail!("the secret key file has no key: {HOW_TO_GENERATE}");
    };
    let ring = KeyRing::new(current, keys).context("invalid secret key configuration")?;
    Ok((ring, source))
}

/// `<directory of the SQLite file>/secret.key` on SQLite; `None` on PostgreSQL.
fn embedded_key_file(config: &Config) -> Option<PathBuf> {
    let DatabaseUrl::Sqlite(url) = &config.database else {
        return None;
    };
    let db = PathBuf::from(billify_store_sqlite::path_from_url(url).ok()?);
    let dir = db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Some(dir.join(EMBEDDED_KEY_FILE))
}

/// Reads the embedded key file, or creates it with a fresh key.
fn embedded_keys(path: &Path) -> anyhow::Result<(Vec<SecretKey>, KeySource)> {
    if !path.exists() {
        let key = SecretKey::generate(&new_key_id()).context("generating a secret key")?;
        match create_private(path, &key) {
            Ok(()) => return Ok((vec![key], KeySource::Generated(path.to_owned()))),
            // Another process created it first: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => {
                return Err(e).with_context(|| format!("creating the secret key file {}", path.display()));
            }
        }
    }
    refuse_if_shared(path)?;
    Ok((read_key_file(path, "the embedded secret key file")?, KeySource::Embedded(path.to_owned())))
}

/// Writes a key to a new file that is readable by its owner only from the moment it exists.
fn create_private(path: &Path, key: &SecretKey) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    let line = key.to_config_line();
    file.write_all(
        format!("# Billify's secret key (KEY_ID:BASE64); the first line seals, later lines only open.\n{}\n", *line)
            .as_bytes(),
    )?;
    file.sync_all()
}

/// The permission bits group and others have on `path`, if any (Unix only).
fn shared_mode(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
        (mode & 0o077 != 0).then_some(mode)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

fn refuse_if_shared(path: &Path) -> anyhow::Result<()> {
    if let Some(mode) = shared_mode(path) {
        bail!(
            "the secret key file {} can be read by other users (mode {mode:o}); make it private with \
             `chmod 600 {}` and start again",
            path.display(),
            path.display()
        );
    }
    Ok(())
}

fn warn_if_shared(path: &Path) {
    if let Some(mode) = shared_mode(path) {
        log::warn!(
            "the secret key file {} can be read by other users (mode {mode:o}); consider `chmod 600`",
            path.display()
        );
    }
}

/// Reads one `KEY_ID:BASE64` per line; blank lines and `#` comments are skipped. Errors name the
/// line, never its text.
fn read_key_file(path: &Path, what: &str) -> anyhow::Result<Vec<SecretKey>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("{what}: reading {}", path.display()))?;
    let mut keys = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        keys.push(SecretKey::parse(line).with_context(|| format!("{what}: {}: line {}", path.display(), n + 1))?);
    }
    if keys.is_empty() {
        bail!("{what}: {} holds no key: {HOW_TO_GENERATE}", path.display());
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use billify_ports::SecretText;

    use super::*;

    const KEY: &str = "ka:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    const OLD: &str = "kold:HyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4=";

    fn config(vars: &[(&str, &str)]) -> Config {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        Config::from_lookup(&|k| map.get(k).cloned()).unwrap()
    }

    fn error_of(config: &Config) -> String {
        format!("{:#}", load_ring(config).unwrap_err())
    }

    #[test]
    fn key_ids_carry_the_date_and_are_valid() {
        let id = new_key_id();
        assert_eq!(id.len(), 13, "{id}");
        assert!(id.starts_with('k') && billify_crypto::secretbox::is_valid_key_id(&id), "{id}");
        assert_ne!(new_key_id(), new_key_id());
    }

    #[test]
    fn the_variable_and_old_keys_make_the_ring() {
        let c = config(&[("BILLIFY_SECRET_KEY", KEY), ("BILLIFY_OLD_SECRET_KEYS", &format!(" {OLD} ,"))]);
        let (ring, source) = load_ring(&c).unwrap();
        assert_eq!(source, KeySource::Variable);
        assert_eq!(ring.key_ids(), ["ka".to_owned(), "kold".to_owned()]);
        assert!(!format!("{c:?} {:?}", c.secrets).contains("AAECAw"));
    }

    #[test]
    fn production_without_a_key_is_refused_with_what_to_do() {
        for c in [
            config(&[("BILLIFY_DATABASE_URL", "postgres://u@h/db")]),
            config(&[("BILLIFY_ENV", "production"), ("BILLIFY_DATABASE_URL", "sqlite:///nonexistent/x.db")]),
        ] {
            let message = error_of(&c);
            assert!(message.contains("BILLIFY_SECRET_KEY") && message.contains("billify generate-key"), "{message}");
        }
    }

    #[test]
    fn bad_keys_are_named_without_being_echoed() {
        let c = config(&[("BILLIFY_SECRET_KEY", "ka:c2hvcnQtc2VjcmV0")]);
        let message = error_of(&c);
        assert!(message.contains("BILLIFY_SECRET_KEY") && message.contains("32"), "{message}");
        assert!(!message.contains("c2hvcnQ"), "{message}");
        let c = config(&[("BILLIFY_SECRET_KEY", KEY), ("BILLIFY_OLD_SECRET_KEYS", "kold:bm9wZQ")]);
        let message = error_of(&c);
        assert!(message.contains("BILLIFY_OLD_SECRET_KEYS") && !message.contains("bm9wZQ"), "{message}");
        let c = config(&[("BILLIFY_SECRET_KEY", KEY), ("BILLIFY_SECRET_KEY_FILE", "/k")]);
        assert!(error_of(&c).contains("not both"));
    }

    #[test]
    fn a_key_file_has_one_key_per_line_first_current() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys");
        std::fs::write(&path, format!("# rotated 2026-11-28\n{KEY}\n\n{OLD}\n")).unwrap();
        let c = config(&[
            ("BILLIFY_SECRET_KEY_FILE", path.to_str().unwrap()),
            ("BILLIFY_DATABASE_URL", "postgres://u@h/db"),
        ]);
        let (ring, source) = load_ring(&c).unwrap();
        assert_eq!(source, KeySource::File(path.clone()));
        assert_eq!(ring.key_ids(), ["ka".to_owned(), "kold".to_owned()]);
        std::fs::write(&path, format!("{KEY}\nkold:not-a-key-at-all\n")).unwrap();
        let message = error_of(&c);
        assert!(message.contains("line 2") && !message.contains("not-a-key"), "{message}");
    }

    #[cfg(unix)]
    #[test]
    fn the_embedded_default_creates_a_private_key_file_and_reuses_it() {
        use std::os::unix::fs::PermissionsExt as _;

        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("billify.db").display());
        let c = config(&[("BILLIFY_DATABASE_URL", &url)]);
        let (first, source) = load_ring(&c).unwrap();
        let path = dir.path().join("secret.key");
        assert_eq!(source, KeySource::Generated(path.clone()));
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        let sealed = first.seal(&SecretText::new("token"), "c").unwrap();

        let (second, source) = load_ring(&c).unwrap();
        assert_eq!(source, KeySource::Embedded(path.clone()));
        assert_eq!(second.open(&sealed, "c").unwrap().expose(), "token");

        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let message = error_of(&c);
        assert!(message.contains("chmod 600") && message.contains("644"), "{message}");
    }
}
