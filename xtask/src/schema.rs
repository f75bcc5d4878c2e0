//! Schema parity: both backends' migrations must create the tables and columns of the shared
//! Diesel schema (`crates/billify-store-common/diesel/schema.rs`), with the same names, order,
//! types and nullability. Diesel checks queries against that schema, never against a database,
//! so this is what ties the two migration folders and the schema together.
//!
//! The check migrates a fresh SQLite file and, when `BILLIFY_TEST_DATABASE_URL` is set, a fresh
//! PostgreSQL schema, and reads back what each catalog says (see
//! `billify_store_common::catalog`).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, bail};
use billify_store_common::catalog::TableColumn;
use billify_store_postgres::{PostgresConfig, PostgresStore};
use billify_store_sqlite::SqliteStore;

/// Where the shared Diesel schema lives, from the workspace root.
const SCHEMA: &str = "crates/billify-store-common/diesel/schema.rs";

/// Each Diesel type of the shared schema, with the type PostgreSQL's `information_schema` and
/// SQLite's declaration give a column of that type. A type may have several rows.
const TWINS: &[(&str, &str, &str)] = &[
    ("SqlId", "uuid", "TEXT"),
    ("SqlTime", "timestamp with time zone", "TEXT"),
    ("Date", "date", "TEXT"),
    ("Text", "text", "TEXT"),
    ("BigInt", "bigint", "BIGINT"),
    // SQLite stores every integer as up to 64 bits, whatever the declaration says.
    ("BigInt", "bigint", "INTEGER"),
    ("Integer", "integer", "INTEGER"),
    ("Bool", "boolean", "BOOLEAN"),
];

/// A backend: its name (as in `migrations/NAME`) and the index of its type in [`TWINS`].
#[derive(Clone, Copy)]
enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    fn name(self) -> &'static str {
        match self {
            Backend::Postgres => "migrations/postgres",
            Backend::Sqlite => "migrations/sqlite",
        }
    }

    /// The catalog types a column of a Diesel type may have on this backend (none if tidy does
    /// not know the type).
    fn twins(self, diesel: &str) -> Vec<&'static str> {
        let mut twins: Vec<&'static str> = TWINS
            .iter()
            .filter(|(d, _, _)| *d == diesel)
            .map(|(_, pg, sqlite)| match self {
                Backend::Postgres => *pg,
                Backend::Sqlite => *sqlite,
            })
            .collect();
        twins.dedup();
        twins
    }
}

/// A column of the shared Diesel schema.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SchemaColumn {
    name: String,
    /// The type without `Nullable<...>`.
    diesel: String,
    nullable: bool,
}

/// Tables in name order, each with its columns in the order written.
type Schema = BTreeMap<String, Vec<SchemaColumn>>;

/// Reads the `diesel::table!` blocks: a line `name (key) {` opens a table, `column -> Type,`
/// lines are its columns.
fn parse_schema(text: &str) -> anyhow::Result<Schema> {
    let mut schema = Schema::new();
    let mut table: Option<String> = None;
    for line in text.lines().map(str::trim) {
        if let Some(name) = table.as_ref() {
            if line == "}" {
                table = None;
            } else if let Some((column, ty)) = line.trim_end_matches(',').split_once(" -> ") {
                let (diesel, nullable) = match ty.strip_prefix("Nullable<").and_then(|t| t.strip_suffix('>')) {
                    Some(inner) => (inner, true),
                    None => (ty, false),
                };
                schema.entry(name.clone()).or_default().push(SchemaColumn {
                    name: column.trim().to_owned(),
                    diesel: diesel.trim().to_owned(),
                    nullable,
                });
            }
        } else if let Some((name, rest)) = line.split_once(" (")
            && rest.ends_with(") {")
            && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        {
            table = Some(name.to_owned());
        }
    }
    if schema.is_empty() {
        bail!("no diesel::table! found in {SCHEMA}");
    }
    Ok(schema)
}

/// Groups catalog columns by table, in the catalog's order.
fn by_table(columns: &[TableColumn]) -> BTreeMap<&str, Vec<&TableColumn>> {
    let mut tables: BTreeMap<&str, Vec<&TableColumn>> = BTreeMap::new();
    for c in columns {
        tables.entry(c.table.as_str()).or_default().push(c);
    }
    tables
}

/// Compares what one backend's migrations created with the shared schema.
fn compare_with_schema(schema: &Schema, backend: Backend, columns: &[TableColumn]) -> Vec<String> {
    let mut problems = Vec::new();
    let migrated = by_table(columns);
    let name = backend.name();
    for (table, expected) in schema {
        let Some(actual) = migrated.get(table.as_str()) else {
            problems.push(format!("table {table} is in the Diesel schema but {name} does not create it"));
            continue;
        };
        for column in expected {
            let Some(found) = actual.iter().find(|c| c.column == column.name) else {
                problems.push(format!("column {table}.{} is in the Diesel schema but not in {name}", column.name));
                continue;
            };
            let twins = backend.twins(&column.diesel);
            if twins.is_empty() {
                problems.push(format!(
                    "column {table}.{} has the Diesel type {}, which tidy cannot map (add it to TWINS in xtask/src/schema.rs)",
                    column.name, column.diesel
                ));
            } else if !twins.iter().any(|t| found.sql_type.eq_ignore_ascii_case(t)) {
                problems.push(format!(
                    "column {table}.{} is {} in {name}, but the Diesel schema's {} needs {}",
                    column.name,
                    found.sql_type,
                    column.diesel,
                    twins.join(" or ")
                ));
            }
            if found.nullable != column.nullable {
                let (db, diesel) = if found.nullable { ("nullable", "NOT NULL") } else { ("NOT NULL", "nullable") };
                problems.push(format!(
                    "column {table}.{} is {db} in {name} but {diesel} in the Diesel schema",
                    column.name
                ));
            }
        }
        for extra in actual.iter().filter(|c| !expected.iter().any(|e| e.name == c.column)) {
            problems.push(format!("column {table}.{} is in {name} but not in the Diesel schema", extra.column));
        }
    }
    for table in migrated.keys().filter(|t| !schema.contains_key(**t)) {
        problems.push(format!("table {table} is created by {name} but not in the Diesel schema"));
    }
    problems
}

/// Compares the two migrated databases with each other: the same tables, the same columns in
/// the same order, with twin types and the same nullability.
fn compare_backends(postgres: &[TableColumn], sqlite: &[TableColumn]) -> Vec<String> {
    let mut problems = Vec::new();
    let (pg, lite) = (by_table(postgres), by_table(sqlite));
    for table in pg.keys().filter(|t| !lite.contains_key(*t)) {
        problems.push(format!("table {table} is created by migrations/postgres but not by migrations/sqlite"));
    }
    for table in lite.keys().filter(|t| !pg.contains_key(*t)) {
        problems.push(format!("table {table} is created by migrations/sqlite but not by migrations/postgres"));
    }
    for (table, pg_columns) in &pg {
        let Some(lite_columns) = lite.get(table) else { continue };
        let pg_names: Vec<&str> = pg_columns.iter().map(|c| c.column.as_str()).collect();
        let lite_names: Vec<&str> = lite_columns.iter().map(|c| c.column.as_str()).collect();
        if pg_names != lite_names {
            problems.push(format!(
                "table {table} has the columns ({}) in migrations/postgres but ({}) in migrations/sqlite",
                pg_names.join(", "),
                lite_names.join(", ")
            ));
            continue;
        }
        for (p, s) in pg_columns.iter().zip(lite_columns) {
            let twins = TWINS.iter().any(|(_, pg_type, lite_type)| {
                p.sql_type.eq_ignore_ascii_case(pg_type) && s.sql_type.eq_ignore_ascii_case(lite_type)
            });
            if !twins {
                problems.push(format!(
                    "column {table}.{} is {} in migrations/postgres and {} in migrations/sqlite, which are not twins",
                    p.column, p.sql_type, s.sql_type
                ));
            }
            if p.nullable != s.nullable {
                let says = |n: bool| if n { "nullable" } else { "NOT NULL" };
                problems.push(format!(
                    "column {table}.{} is {} in migrations/postgres but {} in migrations/sqlite",
                    p.column,
                    says(p.nullable),
                    says(s.nullable)
                ));
            }
        }
    }
    problems
}

/// A name unique to this run, for a temporary file or schema.
fn scratch_name() -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or_default();
    format!("tidy_{}_{nanos}", std::process::id())
}

/// Migrates a fresh SQLite file and reads its columns; the file is removed afterwards.
fn sqlite_columns() -> anyhow::Result<Vec<TableColumn>> {
    let path = std::env::temp_dir().join(format!("{}.db", scratch_name()));
    let result = (|| {
        let store = SqliteStore::open(&format!("sqlite://{}", path.display()), 1)?;
        store.run_migrations()?;
        anyhow::Ok(store.table_columns()?)
    })();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    result.context("migrating a fresh SQLite database")
}

/// Migrates a fresh schema of the PostgreSQL database at `url` and reads its columns; the
/// schema is dropped afterwards.
fn postgres_columns(url: &str) -> anyhow::Result<Vec<TableColumn>> {
    let schema = scratch_name();
    PostgresStore::create_schema(url, &schema)?;
    let result = (|| {
        let mut config = PostgresConfig::new(url);
        config.pool_size = 1;
        config.schema = Some(schema.clone());
        let store = PostgresStore::open(&config)?;
        store.run_migrations()?;
        anyhow::Ok(store.table_columns()?)
    })();
    let dropped = PostgresStore::drop_schema(url, &schema);
    let columns = result.context("migrating a fresh PostgreSQL schema")?;
    dropped?;
    Ok(columns)
}

/// Checks both backends against the shared schema and each other. PostgreSQL is checked when
/// `BILLIFY_TEST_DATABASE_URL` is set (as in CI); SQLite always.
pub fn check(root: &Path) -> anyhow::Result<Vec<String>> {
    let path = root.join(SCHEMA);
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let schema = parse_schema(&text)?;
    let sqlite = sqlite_columns()?;
    let mut problems = compare_with_schema(&schema, Backend::Sqlite, &sqlite);
    if let Some(url) = std::env::var("BILLIFY_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
        let postgres = postgres_columns(&url)?;
        problems.extend(compare_with_schema(&schema, Backend::Postgres, &postgres));
        problems.extend(compare_backends(&postgres, &sqlite));
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(table: &str, column: &str, sql_type: &str, nullable: bool) -> TableColumn {
        TableColumn { table: table.into(), column: column.into(), sql_type: sql_type.into(), nullable }
    }

    const SCHEMA_TEXT: &str = "diesel::table! {\n    use diesel::sql_types::*;\n    use crate::dialect::{SqlId, SqlTime};\n\n    \
        jobs (organisation_id, id) {\n        organisation_id -> SqlId,\n        id -> SqlId,\n        \
        run_at -> SqlTime,\n        attempts -> Integer,\n        error -> Nullable<Text>,\n    }\n}\n";

    #[test]
    fn the_schema_is_read_with_types_and_nullability() {
        let schema = parse_schema(SCHEMA_TEXT).unwrap();
        let jobs = &schema["jobs"];
        assert_eq!(jobs.len(), 5);
        assert_eq!(jobs[2], SchemaColumn { name: "run_at".into(), diesel: "SqlTime".into(), nullable: false });
        assert_eq!(jobs[4], SchemaColumn { name: "error".into(), diesel: "Text".into(), nullable: true });
    }

    #[test]
    fn mismatches_are_caught() {
        let schema = parse_schema(SCHEMA_TEXT).unwrap();
        let good = [
            column("jobs", "organisation_id", "TEXT", false),
            column("jobs", "id", "TEXT", false),
            column("jobs", "run_at", "TEXT", false),
            column("jobs", "attempts", "INTEGER", false),
            column("jobs", "error", "TEXT", true),
        ];
        assert!(compare_with_schema(&schema, Backend::Sqlite, &good).is_empty());

        let pg = [
            column("jobs", "organisation_id", "uuid", false),
            column("jobs", "id", "uuid", false),
            column("jobs", "run_at", "timestamp without time zone", false),
            column("jobs", "attempts", "integer", true),
            column("jobs", "note", "text", true),
            column("audit", "id", "uuid", false),
        ];
        let problems = compare_with_schema(&schema, Backend::Postgres, &pg);
        assert_eq!(problems.len(), 5, "{problems:#?}");
        assert!(problems[0].contains("jobs.run_at is timestamp without time zone in migrations/postgres"));
        assert!(problems[1].contains("jobs.attempts is nullable in migrations/postgres but NOT NULL"));
        assert!(problems[2].contains("jobs.error is in the Diesel schema but not in migrations/postgres"));
        assert!(problems[3].contains("jobs.note is in migrations/postgres but not in the Diesel schema"));
        assert!(problems[4].contains("table audit is created by migrations/postgres but not in the Diesel schema"));

        let between = compare_backends(&pg[..4], &good[..4]);
        assert_eq!(between.len(), 2, "{between:#?}");
        assert!(between[0].contains("jobs.run_at is timestamp without time zone in migrations/postgres and TEXT"));
        assert!(
            between[1].contains("jobs.attempts is nullable in migrations/postgres but NOT NULL in migrations/sqlite")
        );
        let reordered = [good[1].clone(), good[0].clone(), good[2].clone(), good[3].clone()];
        assert!(compare_backends(&pg[..2], &reordered[..2])[0].contains("has the columns (organisation_id, id)"));
    }
}
