//! `billify backup FILE` and `billify restore FILE`.
//!
//! A backup is one gzip-compressed tar file:
//!
//! - `billify-backup.json`, first: the manifest ([`Manifest`]): format and version, when and by
//!   which Billify it was made, the database's backend, schema version, rows per table and
//!   SHA-256, every document's organisation and SHA-256, and whether the key is inside;
//! - `database.sqlite3`: a copy of the embedded SQLite database as of one instant, made with
//!   `VACUUM INTO` while the server goes on writing (PostgreSQL: absent; see
//!   `docs/operations.md`);
//! - `documents/ORGANISATION/SHA256`: every document the copied database references (on
//!   PostgreSQL, every document in the store);
//! - `secret.key`, only with `--include-key`.
//!
//! The documents are copied after the database, and only those the copy references: an upload
//! writes its file before its row commits, so every referenced file exists. A document deleted
//! (with its last reference) between the copy and its turn is missing: the whole backup then
//! starts over from a new database copy.
//!
//! A restore reads and checks the whole file into a staging directory first (every entry
//! against its SHA-256 in the manifest, gzip's CRC, nothing missing or extra, SQLite's integrity
//! check and the rows per table) and only then moves the result into place, into locations that
//! must be empty; a damaged, truncated or foreign file changes nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow, bail};
use billify_domain::OrganisationId;
use billify_files::LocalDocumentStore;
use billify_ports::documents::{DocumentDigest, DocumentStore as _};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::config::{Config, DatabaseUrl};

/// What the manifest's `format` says.
pub const FORMAT: &str = "billify-backup";
/// The version of the layout this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
const MANIFEST: &str = "billify-backup.json";
const DATABASE: &str = "database.sqlite3";
const KEY: &str = "secret.key";
const DOCUMENTS: &str = "documents";
/// The largest manifest read (a foreign file could claim any size).
const MANIFEST_LIMIT: u64 = 256 * 1024 * 1024;
/// How many times a backup starts over when a document vanished while it was being copied.
const ATTEMPTS: u32 = 3;

/// The manifest: the first entry of every backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// The layout's version ([`FORMAT_VERSION`] when written by this build).
    pub format_version: u32,
    /// When the backup was made (RFC 3339, UTC).
    pub created_at: String,
    /// The Billify version that made it.
    pub billify_version: String,
    /// The database.
    pub database: DatabaseManifest,
    /// The documents, by organisation and SHA-256 (their content address).
    pub documents: Vec<DocumentManifest>,
    /// The key file, when `--include-key` asked for it.
    pub key: Option<FileManifest>,
}

/// The database part of the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatabaseManifest {
    /// `sqlite` or `postgresql`.
    pub backend: String,
    /// The copied database file (none on PostgreSQL: back it up with `pg_dump` or PITR).
    pub file: Option<FileManifest>,
    /// The last migration applied to the copy (e.g. `20261206000029`).
    pub schema_version: Option<String>,
    /// Rows per table in the copy.
    pub tables: BTreeMap<String, u64>,
}

/// A file in the backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileManifest {
    /// Its path in the archive.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// The SHA-256 of its bytes, in hex.
    pub sha256: String,
}

/// A document in the backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentManifest {
    /// The organisation it belongs to.
    pub organisation_id: String,
    /// The SHA-256 of its bytes (also its name in the document store), in hex.
    pub sha256: String,
}

impl DocumentManifest {
    fn path(&self) -> String {
        format!("{DOCUMENTS}/{}/{}", self.organisation_id, self.sha256)
    }
}

/// Where the data lives (from the configuration).
#[derive(Debug, Clone)]
pub struct Locations {
    /// The SQLite database file; none on PostgreSQL.
    pub database: Option<PathBuf>,
    /// The document store's directory.
    pub documents: PathBuf,
    /// Where the key file is (or goes, when restored); none when no file holds the key.
    pub key_file: Option<PathBuf>,
    /// Whether the key is configured in `BILLIFY_SECRET_KEY` rather than in a file.
    pub key_in_variable: bool,
}

impl Locations {
    /// The locations the configuration names.
    pub fn from_config(config: &Config) -> anyhow::Result<Locations> {
        let database = match &config.database {
            DatabaseUrl::Sqlite(url) => Some(PathBuf::from(billify_store_sqlite::path_from_url(url)?)),
            DatabaseUrl::Postgres(_) => None,
        };
        let key_file = config.secrets.key_file.clone().or_else(|| {
            database.as_ref().map(|db| {
                let dir = db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
                dir.join(crate::secret_key::EMBEDDED_KEY_FILE)
            })
        });
        Ok(Locations {
            database,
            documents: config.documents_dir.clone(),
            key_file,
            key_in_variable: config.secrets.key.is_some(),
        })
    }
}

/// What a backup holds.
#[derive(Debug, Clone)]
pub struct BackupReport {
    /// The manifest written.
    pub manifest: Manifest,
    /// The backup file's size in bytes.
    pub bytes: u64,
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A writer that hashes and counts what passes through.
struct Hashing<W> {
    inner: W,
    hash: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn file_digest(path: &Path) -> anyhow::Result<(u64, String)> {
    let mut sink = Hashing { inner: io::sink(), hash: Sha256::new(), bytes: 0 };
    io::copy(&mut File::open(path)?, &mut sink)?;
    Ok((sink.bytes, hex::encode(sink.hash.finalize())))
}

/// A regular file's header; `append_data` sets its path (with GNU's long-name extension past
/// 100 bytes, as `documents/UUID/SHA256` is) and checksum.
fn header(size: u64, mtime: u64) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(tar::EntryType::Regular);
    header.set_size(size);
    header.set_mode(0o600);
    header.set_mtime(mtime);
    header
}

/// The parent directory of `path` ("." for a bare file name).
fn parent_of(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Why one attempt at a backup did not finish.
enum Attempt {
    /// A referenced document vanished meanwhile: start over.
    Vanished(String),
    Failed(anyhow::Error),
}

impl From<anyhow::Error> for Attempt {
    fn from(e: anyhow::Error) -> Self {
        Attempt::Failed(e)
    }
}

impl From<io::Error> for Attempt {
    fn from(e: io::Error) -> Self {
        Attempt::Failed(e.into())
    }
}

/// `billify backup FILE [--include-key]`.
pub fn run_backup(config: &Config, file: &Path, include_key: bool) -> anyhow::Result<()> {
    let locations = Locations::from_config(config)?;
    let started = std::time::Instant::now();
    let report = backup(&locations, file, include_key)?;
    let manifest = &report.manifest;
    let rows: u64 = manifest.database.tables.values().sum();
    log::info!(
        "backup written to {} ({} bytes in {:.1} s): {} database, {} rows in {} tables, {} documents, {}",
        file.display(),
        report.bytes,
        started.elapsed().as_secs_f64(),
        manifest.database.backend,
        rows,
        manifest.database.tables.len(),
        manifest.documents.len(),
        if manifest.key.is_some() {
            "WITH the secret key (keep this file as safe as the key itself)"
        } else {
            "without the secret key (back it up separately)"
        }
    );
    if manifest.database.file.is_none() {
        log::warn!(
            "the database is PostgreSQL: this backup holds the documents and a manifest only. Back the database up \
             with pg_dump or continuous archiving (see docs/operations.md, Backups), right before this command"
        );
    }
    Ok(())
}

/// Writes a backup of the data at `locations` to the new file `out` (never overwritten).
pub fn backup(locations: &Locations, out: &Path, include_key: bool) -> anyhow::Result<BackupReport> {
    if out.exists() {
        bail!("{} exists: a backup never overwrites a file; choose a new name", out.display());
    }
    let key = if include_key {
        if locations.key_in_variable {
            bail!(
                "--include-key: the key is configured in BILLIFY_SECRET_KEY, not in a file; back it up where that \
                 variable is kept"
            );
        }
        let path = locations.key_file.as_ref().ok_or_else(|| anyhow!("--include-key: no key file is configured"))?;
        Some(fs::read(path).with_context(|| format!("--include-key: reading the key file {}", path.display()))?)
    } else {
        None
    };
    let documents = LocalDocumentStore::open(&locations.documents)
        .with_context(|| format!("opening the document directory {}", locations.documents.display()))?;
    let dir = parent_of(out);
    let work = tempfile::Builder::new()
        .prefix(".billify-backup-")
        .tempdir_in(dir)
        .with_context(|| format!("creating a work directory in {}", dir.display()))?;
    let mut attempt = 1;
    loop {
        match write_backup(locations, &documents, work.path(), out, key.as_deref()) {
            Ok(report) => return Ok(report),
            Err(Attempt::Vanished(what)) if attempt < ATTEMPTS => {
                log::warn!("{what} was deleted while the backup ran; starting over from a new database copy");
                attempt += 1;
            }
            Err(Attempt::Vanished(what)) => {
                bail!("{what} was deleted while the backup ran, {ATTEMPTS} times in a row; try again")
            }
            Err(Attempt::Failed(e)) => return Err(e),
        }
    }
}

fn write_backup(
    locations: &Locations,
    documents: &LocalDocumentStore,
    work: &Path,
    out: &Path,
    key: Option<&[u8]>,
) -> Result<BackupReport, Attempt> {
    let now = time::OffsetDateTime::now_utc();
    let created_at =
        now.format(&time::format_description::well_known::Rfc3339).map_err(|e| anyhow!("formatting the time: {e}"))?;
    let mtime = u64::try_from(now.unix_timestamp()).unwrap_or(0);
    let copy = work.join(DATABASE);
    let (database, listed) = match &locations.database {
        Some(db) => {
            if !db.is_file() {
                return Err(anyhow!("there is no database at {} (BILLIFY_DATABASE_URL)", db.display()).into());
            }
            if copy.exists() {
                fs::remove_file(&copy).context("removing the previous attempt's copy")?;
            }
            billify_store_sqlite::snapshot::snapshot(db, &copy)
                .with_context(|| format!("copying the database {}", db.display()))?;
            let info = billify_store_sqlite::snapshot::inspect(&copy).context("reading the database copy")?;
            let (bytes, sha256) = file_digest(&copy).context("hashing the database copy")?;
            let mut listed = Vec::with_capacity(info.documents.len());
            for (org, digest) in &info.documents {
                let parsed = org.parse::<OrganisationId>().ok().zip(DocumentDigest::parse(digest));
                let (org, digest) = parsed
                    .ok_or_else(|| anyhow!("the database lists a document with a malformed id: {org}/{digest}"))?;
                listed.push((org, digest));
            }
            let database = DatabaseManifest {
                backend: "sqlite".into(),
                file: Some(FileManifest { path: DATABASE.into(), bytes, sha256 }),
                schema_version: info.schema_version,
                tables: info.tables,
            };
            (database, listed)
        }
        None => {
            let listed = documents.list().context("listing the documents")?;
            let database = DatabaseManifest {
                backend: "postgresql".into(),
                file: None,
                schema_version: None,
                tables: BTreeMap::new(),
            };
            (database, listed)
        }
    };
    let manifest = Manifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        created_at,
        billify_version: env!("CARGO_PKG_VERSION").into(),
        database,
        documents: listed
            .iter()
            .map(|(org, digest)| DocumentManifest {
                organisation_id: org.to_string(),
                sha256: digest.as_str().to_owned(),
            })
            .collect(),
        key: key.map(|k| FileManifest { path: KEY.into(), bytes: k.len() as u64, sha256: sha256_hex(k) }),
    };
    let manifest_json = serde_json::to_vec_pretty(&manifest).map_err(|e| anyhow!("writing the manifest: {e}"))?;

    // Private from the start (mode 0600): the file holds every organisation's data.
    let temp = tempfile::Builder::new()
        .prefix(".billify-backup-")
        .suffix(".part")
        .tempfile_in(parent_of(out))
        .context("creating the backup file")?;
    let gz = flate2::write::GzEncoder::new(BufWriter::new(temp.as_file()), flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    tar.append_data(&mut header(manifest_json.len() as u64, mtime), MANIFEST, manifest_json.as_slice())?;
    if let Some(file) = &manifest.database.file {
        let mut copy_file = File::open(&copy).context("opening the database copy")?;
        tar.append_data(&mut header(file.bytes, mtime), DATABASE, &mut copy_file)?;
    }
    for (entry, (org, digest)) in manifest.documents.iter().zip(&listed) {
        let bytes = match documents.get(*org, digest) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Err(Attempt::Vanished(format!("document {}", entry.path()))),
            Err(e) => return Err(anyhow!("reading document {}: {e}", entry.path()).into()),
        };
        let path = entry.path();
        tar.append_data(&mut header(bytes.len() as u64, mtime), &path, bytes.as_slice())?;
    }
    if let Some(key) = key {
        tar.append_data(&mut header(key.len() as u64, mtime), KEY, key)?;
    }
    let gz = tar.into_inner()?;
    let mut buffered = gz.finish()?;
    buffered.flush()?;
    drop(buffered);
    temp.as_file().sync_all().context("syncing the backup file")?;
    let bytes = temp.as_file().metadata()?.len();
    temp.persist_noclobber(out)
        .map_err(|e| anyhow!("moving the backup into place at {}: {}", out.display(), e.error))?;
    if let Ok(d) = File::open(parent_of(out)) {
        let _ = d.sync_all();
    }
    let _ = fs::remove_file(&copy);
    Ok(BackupReport { manifest, bytes })
}

/// What a restore put in place.
#[derive(Debug, Clone)]
pub struct RestoreReport {
    /// The backup's manifest.
    pub manifest: Manifest,
    /// Whether the key file was restored.
    pub key_restored: bool,
}

/// `billify restore FILE`.
pub fn run_restore(config: &Config, file: &Path) -> anyhow::Result<()> {
    let locations = Locations::from_config(config)?;
    let started = std::time::Instant::now();
    let report = restore(&locations, file)?;
    let manifest = &report.manifest;
    let rows: u64 = manifest.database.tables.values().sum();
    log::info!(
        "restored the backup of {} from {} in {:.1} s: {} rows in {} tables, {} documents{}",
        manifest.created_at,
        file.display(),
        started.elapsed().as_secs_f64(),
        rows,
        manifest.database.tables.len(),
        manifest.documents.len(),
        if report.key_restored { ", the secret key" } else { "" }
    );
    if manifest.database.file.is_none() {
        log::warn!(
            "this backup holds no database (it was made on PostgreSQL): restore the database with pg_restore or \
             from the PITR archive (see docs/operations.md, Backups)"
        );
    }
    if manifest.key.is_none() {
        log::warn!(
            "the backup holds no secret key: configure the key that was in use (BILLIFY_SECRET_KEY_FILE, \
             BILLIFY_SECRET_KEY, or secret.key next to the database) before starting, or the stored bank and \
             accounting credentials and two-factor secrets cannot be opened"
        );
    }
    Ok(())
}

/// Restores the backup `file` into `locations`, which must be empty (no database file, an empty
/// or missing document directory, no key file when the backup holds one). Nothing is changed
/// unless the whole file checks out.
pub fn restore(locations: &Locations, file: &Path) -> anyhow::Result<RestoreReport> {
    refuse_occupied(locations, false)?;
    let staging_parent = [locations.database.as_deref(), Some(locations.documents.as_path())]
        .into_iter()
        .flatten()
        .map(parent_of)
        .find(|p| p.is_dir())
        .map_or_else(std::env::temp_dir, Path::to_path_buf);
    let staging = tempfile::Builder::new()
        .prefix(".billify-restore-")
        .tempdir_in(&staging_parent)
        .with_context(|| format!("creating a staging directory in {}", staging_parent.display()))?;
    let manifest = read_backup(file, staging.path())
        .and_then(|manifest| check_fits(locations, &manifest).map(|()| manifest))
        .map_err(|e| anyhow!("{}: {e:#}; nothing was restored", file.display()))?;
    refuse_occupied(locations, manifest.key.is_some())?;
    place(locations, &manifest, staging.path())?;
    Ok(RestoreReport { key_restored: manifest.key.is_some(), manifest })
}

/// Refuses locations that hold data.
fn refuse_occupied(locations: &Locations, key: bool) -> anyhow::Result<()> {
    if let Some(db) = &locations.database {
        for path in [db.clone(), PathBuf::from(format!("{}-wal", db.display()))] {
            if path.exists() {
                bail!("{} exists: restore only into an empty location (move it away first)", path.display());
            }
        }
    }
    if fs::read_dir(&locations.documents).is_ok_and(|mut d| d.next().is_some()) {
        bail!(
            "the document directory {} is not empty: restore only into an empty location",
            locations.documents.display()
        );
    }
    if key && let Some(path) = locations.key_file.as_ref().filter(|p| p.exists()) {
        bail!("the key file {} exists: restore only into an empty location", path.display());
    }
    Ok(())
}

/// Refuses a backup whose content this configuration cannot take.
fn check_fits(locations: &Locations, manifest: &Manifest) -> anyhow::Result<()> {
    match (&locations.database, &manifest.database.file) {
        (Some(_), None) => bail!(
            "this backup was made on PostgreSQL and holds no database, but BILLIFY_DATABASE_URL names SQLite: \
             point it at the PostgreSQL database to restore the documents"
        ),
        (None, Some(_)) => bail!(
            "this backup holds a SQLite database, but BILLIFY_DATABASE_URL names PostgreSQL: restore it with \
             BILLIFY_DATABASE_URL=sqlite://PATH"
        ),
        _ => {}
    }
    if manifest.key.is_some() && locations.key_file.is_none() {
        bail!("this backup holds the secret key: set BILLIFY_SECRET_KEY_FILE to where it should be restored");
    }
    Ok(())
}

/// Why a backup file cannot be read, in words an operator can act on.
fn explain(e: &io::Error, at: &str) -> anyhow::Error {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => anyhow!("the file is truncated (it ends inside {at})"),
        _ => anyhow!("the file is damaged ({e}, in {at})"),
    }
}

/// Reads and checks the whole backup into `staging`; returns its manifest.
fn read_backup(file: &Path, staging: &Path) -> anyhow::Result<Manifest> {
    let mut input = BufReader::new(File::open(file).context("cannot open it")?);
    let mut magic = [0u8; 2];
    let got = input.read(&mut magic)?;
    if got < 2 || magic != [0x1f, 0x8b] {
        bail!("not a Billify backup (not a gzip-compressed tar file)");
    }
    let whole = io::Cursor::new(magic).chain(input);
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(whole));
    let mut entries = archive.entries().map_err(|e| explain(&e, "the first entry"))?;

    // The manifest comes first.
    let mut first = match entries.next() {
        Some(Ok(entry)) => entry,
        Some(Err(e)) => return Err(explain(&e, "the first entry")),
        None => bail!("not a Billify backup (an empty archive)"),
    };
    let first_path = first.path().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
    if first_path != MANIFEST || first.header().entry_type() != tar::EntryType::Regular {
        bail!("not a Billify backup (its first entry is {first_path:?}, not {MANIFEST})");
    }
    if first.size() > MANIFEST_LIMIT {
        bail!("not a Billify backup (its manifest claims {} bytes)", first.size());
    }
    let mut json = Vec::new();
    first.read_to_end(&mut json).map_err(|e| explain(&e, MANIFEST))?;
    let manifest: Manifest = serde_json::from_slice(&json).map_err(|e| {
        let format = serde_json::from_slice::<serde_json::Value>(&json).ok().and_then(|v| v.get("format").cloned());
        match format {
            Some(serde_json::Value::String(f)) if f == FORMAT => anyhow!("its manifest is damaged ({e})"),
            _ => anyhow!("not a Billify backup (its manifest does not say format {FORMAT:?})"),
        }
    })?;
    if manifest.format != FORMAT {
        bail!("not a Billify backup (its manifest says format {:?})", manifest.format);
    }
    if manifest.format_version != FORMAT_VERSION {
        bail!(
            "backup format version {} is not readable by this Billify {} (it reads version {FORMAT_VERSION}); \
             restore it with the Billify version that made it ({})",
            manifest.format_version,
            env!("CARGO_PKG_VERSION"),
            manifest.billify_version
        );
    }

    let mut expected: BTreeMap<String, Expected> = BTreeMap::new();
    if let Some(db) = &manifest.database.file {
        if db.path != DATABASE {
            bail!("its manifest is damaged (the database is named {:?})", db.path);
        }
        expected.insert(DATABASE.into(), Expected::Database(db.clone()));
    }
    if let Some(key) = &manifest.key {
        if key.path != KEY {
            bail!("its manifest is damaged (the key is named {:?})", key.path);
        }
        expected.insert(KEY.into(), Expected::Key(key.clone()));
    }
    for doc in &manifest.documents {
        let org = doc.organisation_id.parse::<OrganisationId>().ok();
        let digest = DocumentDigest::parse(&doc.sha256);
        let (Some(org), Some(digest)) = (org, digest) else {
            bail!("its manifest is damaged (document {:?} / {:?})", doc.organisation_id, doc.sha256);
        };
        if expected.insert(doc.path(), Expected::Document(org, digest)).is_some() {
            bail!("its manifest is damaged (document {} is listed twice)", doc.path());
        }
    }

    let documents = LocalDocumentStore::open(staging.join(DOCUMENTS)).context("creating the staging directory")?;
    let mut seen = BTreeSet::new();
    for entry in entries {
        let mut entry = entry.map_err(|e| explain(&e, "the entry after the last one read"))?;
        let path = entry.path().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
        if entry.header().entry_type() != tar::EntryType::Regular {
            bail!("the file is damaged or not a Billify backup (entry {path:?} is not a regular file)");
        }
        let Some(what) = expected.get(&path) else {
            bail!("the file is damaged or not a Billify backup (entry {path:?} is not in its manifest)");
        };
        if !seen.insert(path.clone()) {
            bail!("the file is damaged (entry {path:?} appears twice)");
        }
        match what {
            Expected::Database(file) | Expected::Key(file) => {
                let target = staging.join(&file.path);
                let mut out = Hashing { inner: BufWriter::new(File::create(&target)?), hash: Sha256::new(), bytes: 0 };
                io::copy(&mut entry, &mut out).map_err(|e| explain(&e, &path))?;
                out.flush()?;
                if out.bytes != file.bytes || hex::encode(out.hash.finalize()) != file.sha256 {
                    bail!("the file is damaged ({path} does not match its size and SHA-256 in the manifest)");
                }
            }
            Expected::Document(org, digest) => {
                let mut bytes = Vec::new();
                entry.read_to_end(&mut bytes).map_err(|e| explain(&e, &path))?;
                if billify_ports::documents::DocumentDigest::of(&bytes) != *digest {
                    bail!("the file is damaged ({path} does not match its SHA-256)");
                }
                documents.put(*org, digest, &bytes).with_context(|| format!("staging {path}"))?;
            }
        }
    }
    // The rest of the stream (the archive's end and gzip's trailer): reading it checks the CRC.
    let mut rest = archive.into_inner();
    io::copy(&mut rest, &mut io::sink()).map_err(|e| explain(&e, "the end of the archive"))?;
    let missing: Vec<&String> = expected.keys().filter(|p| !seen.contains(*p)).collect();
    if let Some(first) = missing.first() {
        bail!(
            "the file is truncated or damaged: {} entr{} of its manifest {} missing, the first {first}",
            missing.len(),
            if missing.len() == 1 { "y" } else { "ies" },
            if missing.len() == 1 { "is" } else { "are" }
        );
    }

    if manifest.database.file.is_some() {
        let db = staging.join(DATABASE);
        let info = billify_store_sqlite::snapshot::inspect(&db).context("checking the database")?;
        if info.tables != manifest.database.tables {
            bail!("the database does not hold the rows per table its manifest lists");
        }
        let known = billify_store_sqlite::snapshot::known_schema_versions()?;
        if let Some(version) = &info.schema_version
            && !known.contains(version)
        {
            bail!(
                "the database is at schema version {version}, which this Billify {} does not know: restore it \
                     with Billify {} or newer",
                env!("CARGO_PKG_VERSION"),
                manifest.billify_version
            );
        }
    }
    Ok(manifest)
}

/// What an entry of the archive should be.
enum Expected {
    Database(FileManifest),
    Key(FileManifest),
    Document(OrganisationId, DocumentDigest),
}

/// Moves the checked staging directory's content into place: documents, key, database last.
fn place(locations: &Locations, manifest: &Manifest, staging: &Path) -> anyhow::Result<()> {
    let staged_documents = staging.join(DOCUMENTS);
    if let Some(parent) = locations.documents.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    // An empty directory is replaced by the rename; a non-empty one makes it fail.
    if fs::rename(&staged_documents, &locations.documents).is_err() {
        copy_tree(&staged_documents, &locations.documents)
            .with_context(|| format!("copying the documents into {}", locations.documents.display()))?;
    }
    if manifest.key.is_some()
        && let Some(path) = &locations.key_file
    {
        place_file(&staging.join(KEY), path).with_context(|| format!("restoring the key to {}", path.display()))?;
    }
    if let Some(db) = &locations.database {
        if let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        place_file(&staging.join(DATABASE), db)
            .with_context(|| format!("restoring the database to {}", db.display()))?;
    }
    Ok(())
}

/// Moves a file to `to`, which must not exist (a hard link refuses to replace; across file
/// systems, a copy into a new file), private to its owner.
fn place_file(from: &Path, to: &Path) -> anyhow::Result<()> {
    match fs::hard_link(from, to) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => bail!("{} exists", to.display()),
        Err(_) => {
            let mut options = fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt as _;
                options.mode(0o600);
            }
            let mut out = options.open(to)?;
            io::copy(&mut File::open(from)?, &mut out)?;
            out.sync_all()?;
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(to, fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
