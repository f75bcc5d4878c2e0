//! Billify's Ponto Connect adapter: implements the `BankingProvider` port over Ponto Connect's
//! JSON:API (Ibanity), with OAuth2 authorization code + PKCE (S256), automatic token refresh,
//! cursor paging, synchronisations, mutual TLS and HTTP request signing (draft-cavage `hs2019`,
//! RSA-PSS-SHA256).
//!
//! **Must never depend on:** another adapter crate (storage, web, document intake) or a
//! framework; only `billify-domain` and `billify-ports` among Billify's crates. It holds no
//! state but its configuration: tokens belong to the caller.
//!
//! Amounts are read from the JSON number's text as exact decimals, never through a float.
//! Tokens, the client secret and private keys are never logged or printed by `Debug`.

mod client;
mod config;
mod signing;
mod wire;

pub use client::PontoClient;
pub use config::{ClientCertificate, PontoConfig, PontoConfigError, RequestSigning};
pub use signing::{RequestSigner, SignedHeaders};
