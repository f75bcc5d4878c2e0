//! Billify's ports: the traits that adapters implement (repositories, clock, hashing, document
//! extraction) and the application use cases that orchestrate them.
//!
//! **Must never depend on:** diesel, actix-web, ureq, lopdf, r2d2 or any adapter crate. Ports
//! speak in domain types; adapters translate to and from their technology.

pub mod intake;
