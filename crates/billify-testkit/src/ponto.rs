//! A loopback fake of Ponto Connect.
//!
//! It serves, under `{origin}/ponto-connect`, what Billify uses of the real API: the OAuth2
//! token and revoke endpoints (HTTP Basic client authentication, authorization code with a PKCE
//! S256 check, rotating refresh tokens), `GET /accounts`, `GET /accounts/{id}/transactions`
//! with cursor paging (`page[limit]`, `page[after]`, `page[before]`, bracketed or
//! percent-encoded, `links.next`, `meta.paging`), `GET /financial-institutions/{id}`,
//! synchronisations that go `pending → running → success` (or `error`) on successive reads and
//! their `updated-transactions`, and `GET /userinfo`. The consent page is `{origin}/oauth2/auth`
//! and answers with a redirect, as if the user had agreed.
//!
//! With [`FakePontoConfig::tls`] set, it listens over TLS and can require a client certificate
//! (mutual TLS), as Ponto does.
//!
//! Amounts are written as JSON numbers from their exact decimal text, never through a float.
//!
//! This module holds the configuration and the types tests see; the fake itself is split into
//! `server` (the [`FakePonto`] handle, its state and the routing), `oauth` (consent, tokens,
//! revocation), `resources` (the JSON:API documents and paging) and `data` (the generated
//! accounts and transactions).

mod data;
mod oauth;
mod resources;
mod server;
mod state;

use std::time::Duration;

use crate::tls::FakeTls;

pub use self::server::FakePonto;

/// How the fake behaves and what data it generates.
#[derive(Debug, Clone)]
pub struct FakePontoConfig {
    /// The OAuth2 client id it accepts.
    pub client_id: String,
    /// The OAuth2 client secret it accepts.
    pub client_secret: String,
    /// Seed of the generated data: the same seed gives the same accounts and transactions.
    pub seed: u64,
    /// How many accounts to generate.
    pub accounts: usize,
    /// How many booked transactions to generate per account.
    pub transactions_per_account: usize,
    /// A pause before each answer, to make timing visible.
    pub latency: Duration,
    /// Keep every request in the log (`requests()`); off for load tests, where the log would
    /// grow with every request (`request_count()` still counts them).
    pub log_requests: bool,
    /// Serve account and transaction lists from a cache keyed by URL, built once: for load
    /// tests whose data does not change, so the fake's own work does not dominate the figures.
    pub cache_lists: bool,
    /// The lifetime of access tokens (`expires_in`).
    pub access_token_ttl: Duration,
    /// How many reads of a synchronisation it takes to finish: with 2 the first read says
    /// `running`, the second `success`.
    pub sync_reads_until_done: u32,
    /// How many new transactions a successful account-transactions synchronisation books.
    pub new_transactions_per_sync: usize,
    /// Refuse API calls without `Digest` and `Signature` headers (and with a wrong digest).
    pub require_signature: bool,
    /// Serve over TLS (e.g. [`FakeTls::mutual_with_test_pki`] to require client certificates
    /// as Ponto does); plain HTTP when `None`.
    pub tls: Option<FakeTls>,
    /// The day of the newest generated transaction. Every other date follows from it: older
    /// transactions go back half a day each, consent was given 81 days before and expires 90
    /// days after, synchronisations book new transactions on the next day. Tests keep the fixed
    /// default (2024-03-31); the demo uses yesterday, so its data looks current.
    pub newest_date: time::Date,
    /// Behave like a live bank: a finished synchronisation stamps its account's
    /// `synchronizedAt` with the wall clock, and the transactions it books move the account's
    /// balances. Off by default, so tests see fixed data; the demo turns it on.
    pub live: bool,
}

impl Default for FakePontoConfig {
    fn default() -> Self {
        FakePontoConfig {
            client_id: "billify-test-client".into(),
            client_secret: "billify-test-secret".into(),
            seed: 42,
            accounts: 3,
            transactions_per_account: 25,
            latency: Duration::ZERO,
            log_requests: true,
            cache_lists: false,
            access_token_ttl: Duration::from_secs(1799),
            sync_reads_until_done: 2,
            new_transactions_per_sync: 2,
            require_signature: false,
            tls: None,
            newest_date: time::macros::date!(2024 - 03 - 31),
            live: false,
        }
    }
}

/// An account the fake serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeAccount {
    /// The account id (UUID).
    pub id: String,
    /// The IBAN (`reference`).
    pub iban: String,
    /// The currency code.
    pub currency: String,
    /// The current balance as exact decimal text.
    pub current_balance: String,
    /// The available balance as exact decimal text.
    pub available_balance: String,
    /// The holder's name (`null` when `None`).
    pub holder_name: Option<String>,
    /// The account description.
    pub description: String,
    /// The id of its financial institution.
    pub financial_institution_id: String,
    /// `authorizationExpirationExpectedAt`, RFC 3339.
    pub authorization_expires_at: String,
    /// `meta.synchronizedAt`, RFC 3339.
    pub synchronized_at: String,
}

/// A booked transaction the fake serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeTransaction {
    /// The transaction id (UUID).
    pub id: String,
    /// The account id.
    pub account_id: String,
    /// The signed amount as exact decimal text, written verbatim as a JSON number.
    pub amount: String,
    /// The currency code.
    pub currency: String,
    /// `counterpartName`.
    pub counterpart_name: Option<String>,
    /// `counterpartReference` (usually an IBAN).
    pub counterpart_reference: Option<String>,
    /// `remittanceInformation`.
    pub remittance_information: Option<String>,
    /// `remittanceInformationType`: `structured` or `unstructured`.
    pub remittance_information_type: String,
    /// `description`.
    pub description: String,
    /// The execution date, `YYYY-MM-DD` (served as a midnight UTC timestamp).
    pub execution_date: String,
    /// The value date, `YYYY-MM-DD`.
    pub value_date: String,
    /// `bankTransactionCode`.
    pub bank_transaction_code: Option<String>,
}

/// What an injected fault answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// 401 with a JSON:API error (as for an expired or revoked access token).
    Unauthorized,
    /// 429 with `Retry-After: <seconds>`.
    RateLimited {
        /// The `Retry-After` value in seconds.
        retry_after_secs: u64,
    },
    /// 500 with a JSON:API error.
    ServerError,
    /// 404 with a JSON:API error.
    NotFound,
    /// Any status with a raw body (for malformed answers).
    Raw {
        /// The HTTP status.
        status: u16,
        /// The body, sent as `application/json`.
        body: String,
    },
}

/// A fault to inject into the answers to matching requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// Only requests whose path (without query) contains this text are affected.
    pub path_contains: String,
    /// How many matching requests to answer normally first (1 = fail on the second page).
    pub skip: usize,
    /// How many matching requests then fail.
    pub times: usize,
    /// The answer.
    pub kind: FaultKind,
}

impl Fault {
    /// Fails the next `times` requests whose path contains `path_contains`.
    pub fn new(path_contains: &str, kind: FaultKind, times: usize) -> Self {
        Fault { path_contains: path_contains.to_owned(), skip: 0, times, kind }
    }

    /// Lets `skip` matching requests through before failing.
    pub fn after(mut self, skip: usize) -> Self {
        self.skip = skip;
        self
    }
}

/// A request as the fake received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    /// The method, e.g. `GET`.
    pub method: String,
    /// The request target exactly as received (path and query).
    pub url: String,
    /// The headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl LoggedRequest {
    /// The first header of that (case-insensitive) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// The path without the query.
    pub fn path(&self) -> &str {
        self.url.split('?').next().unwrap_or_default()
    }
}

/// Where the fake consent page sends the user back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentRedirect {
    /// `redirect_uri?code=…&state=…`.
    pub redirect_url: String,
    /// The authorisation code.
    pub code: String,
    /// The `state` echoed back.
    pub state: String,
}
