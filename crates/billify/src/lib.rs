//! Billify's composition root: reads the configuration, opens the database named by its URL,
//! wires the adapters to the ports and the use cases ([`wiring`]), and runs the server, the
//! background jobs and the operator commands. The `billify` binary is its command line; the
//! full-stack tests wire their services through the same [`wiring::wire`].
//!
//! This is the only crate that names concrete adapters. It holds no business rules.
//! **Must never depend on** anything that depends on it: no workspace crate may name `billify`
//! (tidy checks that adapters reach only the core).

pub mod backtest;
pub mod backup;
pub mod bank_sync;
pub mod config;
#[cfg(feature = "demo")]
mod demo;
pub mod extract;
pub mod http_server;
mod jobs;
pub mod logging;
pub mod metered;
pub mod metrics;
pub mod notify;
pub mod outage;
pub mod probe;
pub mod reading_report;
pub mod secret_key;
pub mod seed;
pub mod synthetic;
pub mod wiring;
