//! The Diesel repository code shared by the PostgreSQL and SQLite adapters: written once,
//! type-checked against both backends.
//!
//! # How it is compiled
//!
//! This folder sits outside `src/` on purpose: it is not a module of `billify-store-common`,
//! which has no database driver. Each backend crate compiles it as one of its own modules, with
//! one line in its `lib.rs`:
//!
//! ```ignore
//! #[path = "../../billify-store-common/diesel/mod.rs"]
//! mod repositories;
//! ```
//!
//! so every file here is a module of `billify-store-postgres` and of `billify-store-sqlite`,
//! reachable from each crate's root by following `mod` items (the rule that every `.rs` file is
//! a module of a crate holds: of the two backend crates, not of the crate whose folder it sits
//! in). Diesel's query builder then checks
//! every query against each backend's SQL types: native `uuid`, `timestamptz`, row locks and
//! `SKIP LOCKED` on PostgreSQL; TEXT ids and timestamps and `BEGIN IMMEDIATE` on SQLite.
//!
//! # The dialect contract
//!
//! The including crate's root must provide:
//!
//! - `Store`, its store type (`pub(crate) type Store = PostgresStore;`), with two methods whose
//!   results deref mutably to `dialect::Conn`:
//!   - `conn(&self) -> Result<_, RepositoryError>`: a connection for reads;
//!   - `write_conn(&self) -> Result<_, RepositoryError>`: a connection for write transactions
//!     (SQLite hands out its one writer; PostgreSQL any pooled connection);
//!   - `event_listeners(&self) -> &billify_store_common::wakeups::Listeners`: the in-process
//!     listeners woken after an event is published;
//! - `dialect`, a module with:
//!   - `Db` (the Diesel backend) and `Conn` (its connection type);
//!   - `SqlId` and `SqlTime`: the SQL types of ids and timestamps, used by [`schema`];
//!   - `DbId` and `DbTime`: their Rust types (`Uuid` and `OffsetDateTime`, or `String`), and
//!     `id_to_db`, `id_from_db`, `time_to_db`, `time_from_db` to convert them;
//!   - `write_transaction(conn, f)`: runs `f` in a write transaction;
//!   - `notify_event(conn, organisation, id)`: wakes other processes' event streams at commit
//!     (`pg_notify`; nothing on SQLite);
//!   - `sql`, `period_start_sql` and `read_transaction`: raw statements' placeholders, the first
//!     day of a week or month, and a read-only snapshot (the cash position);
//!   - `date_of_time_sql` and `days_between_sql`: the UTC date of a stored timestamp and the days
//!     between two dates, as SQL expressions (the forecast's payment delays);
//!   - the queries that differ by backend: `claim_candidate` (the next job to run, skipping
//!     locked rows on PostgreSQL), `lock_audit_head` (an audit chain's head, locked),
//!     `lock_bank_transactions` (the transactions a reconciliation matches, locked),
//!     `insert_bank_transactions` and `existing_bank_transactions` (set-based bank sync),
//!     and the invoice bulk load: `begin_bulk_load` and `end_bulk_load` (the kept sums'
//!     insert triggers suspended for the load's transaction, then brought up to date for what
//!     it wrote), `insert_invoice_rows` and `insert_invoice_event_rows` (`COPY` on PostgreSQL).
//!
//! Any mismatch is a compile error in the backend crate, never a runtime one.
//!
//! # Modules, one per aggregate
//!
//! - [`schema`]: the tables, once for both backends;
//! - [`accounts`], [`sessions`], [`two_factor`], [`access_tokens`]: who may sign in and how;
//! - [`invoices`], [`drafts`] (with the uploaded documents): the receivables and payables;
//! - [`bank`], [`integrations`], [`jobs`]: bank data, its sync and the job queue that runs it;
//! - [`cashflow`]: the cash position's sums and groupings;
//! - [`notifications`]: alerts, their inbox and delivery outbox, preferences and webhook endpoints;
//! - [`forecast`]: the forecast's inputs and its recurring series;
//! - [`events`]: the live-event outbox behind `GET /api/v1/events`;
//! - [`audit`]: the audit log and whole-organisation export and deletion.

#![allow(clippy::clone_on_copy, reason = "ids and timestamps are Copy on PostgreSQL but Strings on SQLite")]

mod access_tokens;
mod accounting;
mod accounts;
mod audit;
mod bank;
mod cashflow;
mod drafts;
mod events;
mod forecast;
mod integrations;
mod invoices;
mod jobs;
pub(crate) mod literal;
mod notifications;
pub(crate) mod pool;
mod reconciliation;
pub(crate) mod schema;
mod sessions;
mod two_factor;

use billify_domain::{InvoiceId, OrganisationId, UserId};
use billify_ports::RepositoryError;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

pub(crate) use self::bank::BankTransactionRow;
pub(crate) use self::invoices::{InvoiceEventRow, InvoiceRow, backfill_lookup_keys};
use crate::Store;
use crate::dialect::{self, DbId};

std::thread_local! {
    /// Set when a statement on this thread found its connection gone, so that the pool drops
    /// that connection when it comes back (pools do not test connections on checkout).
    static CONNECTION_LOST: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether a statement on this thread lost its connection since the last call (and forgets it):
/// the pool's `has_broken` asks, when the connection the statement used is returned.
#[allow(dead_code, reason = "only the PostgreSQL pool asks: a SQLite file's connection does not go away")]
pub(crate) fn take_connection_lost() -> bool {
    CONNECTION_LOST.with(|lost| lost.replace(false))
}

/// Whether a database error means the connection itself is gone (not only the statement).
fn connection_lost(e: &DieselError) -> bool {
    const SIGNS: [&str; 5] = [
        "server closed the connection",
        "terminating connection",
        "could not receive data",
        "could not send data",
        "no connection to the server",
    ];
    let message = match e {
        DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, _) | DieselError::BrokenTransactionManager => {
            return true;
        }
        DieselError::DatabaseError(_, info) => info.message().to_ascii_lowercase(),
        other => other.to_string().to_ascii_lowercase(),
    };
    SIGNS.iter().any(|sign| message.contains(sign))
}

/// Remembers (for the pool: [`take_connection_lost`]) that `e` lost this thread's connection.
pub(crate) fn note_connection_loss(e: &DieselError) {
    if connection_lost(e) {
        CONNECTION_LOST.with(|lost| lost.set(true));
    }
}

/// Maps a Diesel error; unique violations become conflicts described by `conflict`.
fn map_err(e: DieselError, conflict: &str) -> RepositoryError {
    note_connection_loss(&e);
    match e {
        DieselError::NotFound => RepositoryError::NotFound,
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
            RepositoryError::Conflict(conflict.to_owned())
        }
        DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
            RepositoryError::Unavailable(info.message().to_owned())
        }
        DieselError::DatabaseError(_, info) if storage_unavailable(info.message()) => {
            RepositoryError::Unavailable(info.message().to_owned())
        }
        DieselError::BrokenTransactionManager => {
            RepositoryError::Unavailable("the connection broke in the middle of a transaction".into())
        }
        // A failed commit (and its rollback) wraps the database's message.
        other if storage_unavailable(&other.to_string()) => RepositoryError::Unavailable(other.to_string()),
        other => RepositoryError::Other(Box::new(other)),
    }
}

/// Whether a database error says the storage cannot serve now (the connection or the server
/// went away, a statement ran out of time, the SQLite file cannot be written or opened), as
/// opposed to a bug or bad data: those are 503s that go away by themselves, not 500s.
fn storage_unavailable(message: &str) -> bool {
    const SIGNS: [&str; 13] = [
        // PostgreSQL and libpq
        "server closed the connection",
        "terminating connection",
        "could not receive data",
        "could not send data",
        "no connection to the server",
        "canceling statement due to statement timeout",
        "the database system is",
        // SQLite
        "attempt to write a readonly database",
        "database or disk is full",
        "disk i/o error",
        "unable to open database file",
        "database is locked",
        // SQLite rolled the transaction back itself (full disk, I/O error), so Diesel's own
        // rollback finds none.
        "cannot rollback - no transaction is active",
    ];
    let message = message.to_ascii_lowercase();
    SIGNS.iter().any(|sign| message.contains(sign))
}

pub(crate) fn db_err(e: DieselError) -> RepositoryError {
    map_err(e, "duplicate record")
}

fn org_id(id: OrganisationId) -> DbId {
    dialect::id_to_db(*id.as_uuid())
}

fn user_id(id: UserId) -> DbId {
    dialect::id_to_db(*id.as_uuid())
}

fn invoice_id(id: InvoiceId) -> DbId {
    dialect::id_to_db(*id.as_uuid())
}
