//! What a migrated database says its tables are, read from its catalog (`information_schema` on
//! PostgreSQL, `pragma_table_info` on SQLite), so `cargo xtask tidy` can check that both
//! backends' migrations give the same columns as the shared Diesel schema.

/// One column of a table, as the database describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableColumn {
    /// The table's name.
    pub table: String,
    /// The column's name.
    pub column: String,
    /// The type as the catalog names it: `uuid`, `timestamp with time zone`, `bigint` on
    /// PostgreSQL; the declared type (`TEXT`, `BIGINT`) on SQLite.
    pub sql_type: String,
    /// Whether the column accepts NULL.
    pub nullable: bool,
}
