//! Consistent copies of a live database file, for `billify backup` and `billify restore`.
//!
//! [`snapshot`] runs `VACUUM INTO` on its own connection: one read transaction, so the copy is
//! the database as of one instant while the server goes on writing (WAL lets readers and the
//! writer run side by side), compacted, and without a write-ahead log to carry along.
//! [`inspect`] reads what a copy holds (its schema version, the rows per table, the documents it
//! references) after checking its integrity.

use std::collections::BTreeMap;
use std::path::Path;

use diesel::connection::SimpleConnection as _;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::sqlite::SqliteConnection;
use diesel::{Connection as _, RunQueryDsl as _};

/// Why a copy could not be made or read.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// The database could not be opened.
    #[error("cannot open the SQLite database {path}: {message}")]
    Open {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A statement failed.
    #[error("{0}")]
    Query(String),
    /// The file is not a sound SQLite database.
    #[error("the database file is damaged: {0}")]
    Damaged(String),
}

/// What a database copy holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotInfo {
    /// The last migration applied (e.g. `20261206000029`), none when never migrated.
    pub schema_version: Option<String>,
    /// Rows per table (Billify's tables and Diesel's migration table).
    pub tables: BTreeMap<String, u64>,
    /// The documents the database references: organisation id and SHA-256 (hex).
    pub documents: Vec<(String, String)>,
}

fn open(path: &Path) -> Result<SqliteConnection, SnapshotError> {
    let name = path.to_string_lossy().into_owned();
    if !path.is_file() {
        return Err(SnapshotError::Open { path: name, message: "no such file".into() });
    }
    let mut conn = SqliteConnection::establish(&name)
        .map_err(|e| SnapshotError::Open { path: name.clone(), message: e.to_string() })?;
    // The server may hold the write lock for a moment (or be recovering its log).
    conn.batch_execute("PRAGMA busy_timeout = 10000;").map_err(|e| SnapshotError::Query(e.to_string()))?;
    Ok(conn)
}

/// Copies the database at `source` (in use or not) to the new file `dest`, as of one instant.
pub fn snapshot(source: &Path, dest: &Path) -> Result<(), SnapshotError> {
    let mut conn = open(source)?;
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(dest.to_string_lossy().into_owned())
        .execute(&mut conn)
        .map_err(|e| SnapshotError::Query(format!("copying the database with VACUUM INTO: {e}")))?;
    Ok(())
}

#[derive(diesel::QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(diesel::QueryableByName)]
struct Version {
    #[diesel(sql_type = Nullable<Text>)]
    version: Option<String>,
}

#[derive(diesel::QueryableByName)]
struct DocumentRow {
    #[diesel(sql_type = Text)]
    organisation_id: String,
    #[diesel(sql_type = Text)]
    digest: String,
}

/// Checks the integrity of the database file at `path` and reads what it holds.
pub fn inspect(path: &Path) -> Result<SnapshotInfo, SnapshotError> {
    let mut conn = open(path)?;
    let query = |e: diesel::result::Error| SnapshotError::Damaged(e.to_string());
    let check: Vec<Name> = diesel::sql_query("SELECT integrity_check AS name FROM pragma_integrity_check()")
        .load(&mut conn)
        .map_err(query)?;
    let problems: Vec<String> = check.into_iter().map(|r| r.name).filter(|r| r != "ok").collect();
    if !problems.is_empty() {
        return Err(SnapshotError::Damaged(problems.join("; ")));
    }
    let names: Vec<Name> = diesel::sql_query(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .load(&mut conn)
    .map_err(query)?;
    let mut tables = BTreeMap::new();
    for Name { name } in names {
        let quoted = name.replace('"', "\"\"");
        let counted: Vec<Count> =
            diesel::sql_query(format!("SELECT COUNT(*) AS n FROM \"{quoted}\"")).load(&mut conn).map_err(query)?;
        let n = counted.first().map_or(0, |c| c.n);
        tables.insert(name, u64::try_from(n).unwrap_or(0));
    }
    let schema_version = if tables.contains_key("__diesel_schema_migrations") {
        let rows: Vec<Version> = diesel::sql_query("SELECT MAX(version) AS version FROM __diesel_schema_migrations")
            .load(&mut conn)
            .map_err(query)?;
        rows.into_iter().next().and_then(|r| r.version)
    } else {
        None
    };
    let documents = if tables.contains_key("documents") {
        let rows: Vec<DocumentRow> =
            diesel::sql_query("SELECT organisation_id, digest FROM documents ORDER BY organisation_id, digest")
                .load(&mut conn)
                .map_err(query)?;
        rows.into_iter().map(|r| (r.organisation_id, r.digest)).collect()
    } else {
        Vec::new()
    };
    Ok(SnapshotInfo { schema_version, tables, documents })
}

/// The schema versions this build's migrations know (`20261206000029`, ...), oldest first.
pub fn known_schema_versions() -> Result<Vec<String>, SnapshotError> {
    let migrations = diesel::migration::MigrationSource::<diesel::sqlite::Sqlite>::migrations(&crate::MIGRATIONS)
        .map_err(|e| SnapshotError::Query(e.to_string()))?;
    let mut versions: Vec<String> = migrations.iter().map(|m| m.name().version().to_string()).collect();
    versions.sort();
    Ok(versions)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn a_snapshot_holds_the_rows_and_documents_and_a_damaged_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("live.db");
        let store = crate::SqliteStore::open(&format!("sqlite://{}", db.display()), 2).unwrap();
        store.run_migrations().unwrap();
        let copy = dir.path().join("copy.db");
        snapshot(&db, &copy).unwrap();
        let info = inspect(&copy).unwrap();
        let known = known_schema_versions().unwrap();
        assert_eq!(info.schema_version.as_ref(), known.last(), "the copy is at this build's latest migration");
        assert_eq!(info.tables.get("__diesel_schema_migrations"), Some(&(known.len() as u64)));
        assert_eq!(info.tables.get("invoices"), Some(&0));
        assert!(info.documents.is_empty());
        assert!(snapshot(&db, &copy).is_err(), "VACUUM INTO never overwrites a database");

        let mut bytes = std::fs::read(&copy).unwrap();
        let middle = bytes.len() / 2;
        for b in &mut bytes[middle..middle + 4096] {
            *b = 0x5a;
        }
        let damaged = dir.path().join("damaged.db");
        std::fs::write(&damaged, &bytes).unwrap();
        assert!(matches!(inspect(&damaged), Err(SnapshotError::Damaged(_))), "{:?}", inspect(&damaged));
        assert!(matches!(inspect(&dir.path().join("absent.db")), Err(SnapshotError::Open { .. })));
    }
}
