//! What Billify's two Diesel adapters (PostgreSQL and SQLite) share.
//!
//! - [`columns`]: the mapping between domain entities and flat column values, written once so
//!   both backends store exactly the same thing;
//! - `diesel_repositories.rs`: the repository implementations, written once against Diesel's
//!   query builder and compiled inside each backend crate with `#[path]`, where `super::schema`
//!   and `super::dialect` resolve to that backend's tables and type mappings (so the code below
//!   is not part of this crate's own module tree);
//! - [`contract`] (feature `testing`): the contract-test suite every repository implementation
//!   must pass, run by both backend crates against real databases.
//!
//! **Must never depend on:** a concrete database driver, actix-web or any provider adapter. It
//! knows the ports and the domain only.

pub mod columns;
#[cfg(feature = "testing")]
pub mod contract;
