//! What Billify's two Diesel adapters (PostgreSQL and SQLite) share.
//!
//! - [`catalog`]: the columns a migrated database describes, for tidy's schema check;
//! - [`columns`]: the mapping between domain entities and flat column values, written once so
//!   both backends store exactly the same thing;
//! - `diesel/` (outside `src/`, so not a module of this crate): the repository implementations
//!   and the Diesel schema, written once against Diesel's query builder and compiled inside each
//!   backend crate with one `#[path]` line, where they are that crate's `repositories` module;
//!   `diesel/mod.rs` documents the `Store` and `dialect` each backend must provide;
//! - [`contract`] (feature `testing`): the contract-test suite every repository implementation
//!   must pass, run by both backend crates against real databases;
//! - [`wakeups`]: the in-process listeners a store wakes when it publishes live events.
//!
//! **Must never depend on:** a concrete database driver, actix-web or any provider adapter. It
//! knows the ports and the domain only.

pub mod catalog;
pub mod columns;
#[cfg(feature = "testing")]
pub mod contract;
pub mod wakeups;
