//! Bank feeds as a port: linking a user's bank accounts through a provider (Ponto Connect) and
//! reading their accounts and booked transactions.
//!
//! The port is what a sync engine needs and nothing of the provider's wire format. Tokens
//! belong to the caller, who stores them (encrypted) per organisation; the adapter only uses
//! them, refreshes them when they are about to expire or are refused, and hands the new ones
//! back through `&mut ProviderTokens`.

use std::fmt;
use std::net::IpAddr;
use std::ops::ControlFlow;
use std::time::Duration;

use billify_domain::{BankAccount, BankTransaction, ProviderId};
use time::OffsetDateTime;

/// Why a call to a banking provider failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BankingError {
    /// The user's consent is no longer valid (refused access token and refused refresh token,
    /// revoked integration, or the bank's authorisation expired): the user must link the bank
    /// again. Retrying will not help.
    #[error("the bank authorization is invalid; the user must reconnect: {detail}")]
    AuthorizationInvalid {
        /// What the provider said, for logs.
        detail: String,
    },
    /// Too many requests; wait before retrying.
    #[error("rate limited by the banking provider")]
    RateLimited {
        /// How long the provider asked to wait (`Retry-After`), when it said.
        retry_after: Option<Duration>,
    },
    /// The account, transaction or synchronisation does not exist (or is no longer shared).
    #[error("not found: {what}")]
    NotFound {
        /// What was looked for.
        what: String,
    },
    /// The provider refused the request for another reason (a 4xx other than 401/404/429).
    #[error("the banking provider refused the request ({status}): {detail}")]
    Rejected {
        /// The HTTP status.
        status: u16,
        /// The provider's error code, e.g. `invalidRequest`.
        code: Option<String>,
        /// The provider's explanation and request id, for logs.
        detail: String,
    },
    /// The provider failed (5xx); retrying later may help.
    #[error("the banking provider failed ({status}): {detail}")]
    Server {
        /// The HTTP status.
        status: u16,
        /// The provider's explanation and request id, for logs.
        detail: String,
    },
    /// The provider could not be reached (DNS, TLS, timeout, connection reset); retrying later
    /// may help.
    #[error("cannot reach the banking provider: {0}")]
    Transport(String),
    /// The provider answered something this adapter cannot read; the message says what was
    /// wrong and where.
    #[error("unexpected answer from the banking provider: {0}")]
    InvalidResponse(String),
}

impl BankingError {
    /// Whether the same call may succeed later without the user doing anything.
    pub fn is_transient(&self) -> bool {
        matches!(self, BankingError::RateLimited { .. } | BankingError::Server { .. } | BankingError::Transport(_))
    }
}

/// The OAuth2 tokens of one linked Ponto organisation.
///
/// Its `Debug` never prints a token. The refresh token rotates: once a refresh succeeded the old
/// one is dead, so a changed value must be stored before anything else is done with it.
#[derive(Clone, PartialEq, Eq)]
pub struct ProviderTokens {
    /// The bearer token for API calls.
    pub access_token: String,
    /// The token that obtains a new access token without the user.
    pub refresh_token: String,
    /// When the access token expires.
    pub expires_at: OffsetDateTime,
}

impl fmt::Debug for ProviderTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderTokens")
            .field("access_token", &"<redacted>")
            .field("refresh_token", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// A PKCE code verifier. It stays on the server (stored with the `state` it belongs to) and is
/// sent only to the token endpoint. Its `Debug` does not print it.
#[derive(Clone, PartialEq, Eq)]
pub struct CodeVerifier(String);

impl CodeVerifier {
    /// Wraps a verifier read back from server-side storage.
    pub fn new(verifier: impl Into<String>) -> Self {
        CodeVerifier(verifier.into())
    }

    /// The verifier, to store or to send to the token endpoint.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for CodeVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CodeVerifier(<redacted>)")
    }
}

/// Where to send the user to give consent, and what to keep server-side until they come back.
#[derive(Debug, Clone)]
pub struct ConsentRequest {
    /// The provider's authorisation page, with client id, redirect URI, scopes, `state` and the
    /// S256 code challenge. It never contains the verifier.
    pub url: String,
    /// A fresh random value, bound to the user's session by the caller and compared with the
    /// `state` the provider sends back to the redirect URI (CSRF protection).
    pub state: String,
    /// The PKCE verifier: store it server-side with `state`, pass it to
    /// [`BankingProvider::exchange_code`], never send it to the browser.
    pub code_verifier: CodeVerifier,
}

/// An opaque position in a paged list (for Ponto, the `links.next` URL). Store it after each
/// persisted page to resume an interrupted import.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageCursor(String);

impl PageCursor {
    /// Wraps a cursor read back from storage.
    pub fn new(cursor: impl Into<String>) -> Self {
        PageCursor(cursor.into())
    }

    /// The cursor as text, to store.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One page of transactions.
#[derive(Debug, Clone)]
pub struct TransactionPage {
    /// The transactions of this page, newest first as the provider sends them.
    pub transactions: Vec<BankTransaction>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<PageCursor>,
}

/// What a page callback wants: go on to the next page or stop.
pub type PageFlow = ControlFlow<()>;

/// What a synchronisation refreshes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SyncSubtype {
    /// Balances and account details.
    AccountDetails,
    /// Booked transactions.
    AccountTransactions,
}

/// Where a synchronisation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SyncStatus {
    /// Accepted, not started.
    Pending,
    /// Running at the bank.
    Running,
    /// Finished; the data is fresh.
    Success,
    /// Finished with errors (see [`Synchronization::errors`]).
    Error,
}

impl SyncStatus {
    /// Whether the synchronisation has finished.
    pub fn is_final(&self) -> bool {
        matches!(self, SyncStatus::Success | SyncStatus::Error)
    }
}

/// An error the provider reports inside a resource (e.g. a failed synchronisation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderErrorDetail {
    /// The provider's code, e.g. `authorizationInvalid`.
    pub code: String,
    /// The provider's explanation.
    pub detail: Option<String>,
}

/// A request to the provider to refresh an account's data from the bank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synchronization {
    /// The provider's id.
    pub id: ProviderId,
    /// The account it refreshes.
    pub account_id: ProviderId,
    /// What it refreshes.
    pub subtype: SyncSubtype,
    /// Where it stands.
    pub status: SyncStatus,
    /// Why it failed, when it did.
    pub errors: Vec<ProviderErrorDetail>,
}

impl Synchronization {
    /// Whether it failed because the bank consent must be renewed.
    pub fn needs_reauthorization(&self) -> bool {
        self.status == SyncStatus::Error
            && self.errors.iter().any(|e| e.code == "authorizationInvalid" || e.code == "authorizationExpired")
    }
}

/// How to wait for a synchronisation: exponential backoff from `initial_delay`, doubled up to
/// `max_delay`, for at most `max_wait` in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollPolicy {
    /// The first wait.
    pub initial_delay: Duration,
    /// The longest single wait.
    pub max_delay: Duration,
    /// The longest total wait.
    pub max_wait: Duration,
}

impl Default for PollPolicy {
    /// 1 s, 2 s, 4 s, … capped at 16 s, for two minutes.
    fn default() -> Self {
        PollPolicy {
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(16),
            max_wait: Duration::from_secs(120),
        }
    }
}

/// A bank-feed provider (Ponto Connect).
///
/// Calls that read data take the organisation's tokens as `&mut`: the adapter refreshes them
/// when they expire within a minute, and once when the provider answers 401, and writes the new
/// tokens back **even when the call then fails**. The caller must compare and persist them after
/// every call. When the refresh itself is refused the call fails with
/// [`BankingError::AuthorizationInvalid`]: the user must give consent again.
///
/// Paged reads deliver one page at a time to a callback, so the caller can persist each page
/// and its cursor before the next one is fetched, stop early (return `ControlFlow::Break`), and
/// resume an interrupted import from the last stored cursor.
pub trait BankingProvider: Send + Sync {
    /// Starts linking: a consent URL with a fresh random `state` and a fresh PKCE (S256)
    /// verifier, returned for server-side storage.
    fn consent_request(&self) -> Result<ConsentRequest, BankingError>;

    /// Exchanges the authorisation code from the redirect for tokens, proving possession of
    /// the verifier. The caller checks the returned `state` itself before calling.
    fn exchange_code(&self, code: &str, code_verifier: &CodeVerifier) -> Result<ProviderTokens, BankingError>;

    /// Obtains new tokens with the refresh token. A refused refresh token is
    /// [`BankingError::AuthorizationInvalid`].
    fn refresh_tokens(&self, tokens: &ProviderTokens) -> Result<ProviderTokens, BankingError>;

    /// Revokes the refresh token (unlinking the bank). Revoking an already invalid token
    /// succeeds.
    fn revoke_tokens(&self, tokens: &ProviderTokens) -> Result<(), BankingError>;

    /// Every account the user shared, across all pages.
    fn list_accounts(&self, tokens: &mut ProviderTokens) -> Result<Vec<BankAccount>, BankingError>;

    /// The booked transactions of an account, page by page, newest first, starting at `from`
    /// (a stored cursor) or at the newest transaction.
    fn transactions(
        &self,
        tokens: &mut ProviderTokens,
        account: &ProviderId,
        from: Option<&PageCursor>,
        on_page: &mut dyn FnMut(TransactionPage) -> PageFlow,
    ) -> Result<(), BankingError>;

    /// Asks the provider to refresh an account from the bank. `customer_ip` is the IP address
    /// of the user when they are present (PSD2 "customer online"); `None` for background runs.
    fn create_synchronization(
        &self,
        tokens: &mut ProviderTokens,
        account: &ProviderId,
        subtype: SyncSubtype,
        customer_ip: Option<IpAddr>,
    ) -> Result<Synchronization, BankingError>;

    /// The current state of a synchronisation.
    fn synchronization(&self, tokens: &mut ProviderTokens, id: &ProviderId) -> Result<Synchronization, BankingError>;

    /// Polls a synchronisation until it succeeds or fails, or `policy.max_wait` has passed; the
    /// last state seen is returned either way (check [`SyncStatus::is_final`]).
    fn await_synchronization(
        &self,
        tokens: &mut ProviderTokens,
        id: &ProviderId,
        policy: PollPolicy,
    ) -> Result<Synchronization, BankingError>;

    /// The transactions a successful synchronisation created or updated, page by page.
    fn updated_transactions(
        &self,
        tokens: &mut ProviderTokens,
        synchronization: &ProviderId,
        from: Option<&PageCursor>,
        on_page: &mut dyn FnMut(TransactionPage) -> PageFlow,
    ) -> Result<(), BankingError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_reach_debug_output() {
        let tokens = ProviderTokens {
            access_token: "access-secret".into(),
            refresh_token: "refresh-secret".into(),
            expires_at: OffsetDateTime::UNIX_EPOCH,
        };
        let printed = format!("{tokens:?} {:?}", CodeVerifier::new("verifier-secret"));
        assert!(!printed.contains("secret"), "{printed}");
    }

    #[test]
    fn reauthorization_is_recognised_on_failed_syncs() {
        let sync = Synchronization {
            id: ProviderId::parse("s").unwrap(),
            account_id: ProviderId::parse("a").unwrap(),
            subtype: SyncSubtype::AccountTransactions,
            status: SyncStatus::Error,
            errors: vec![ProviderErrorDetail { code: "authorizationInvalid".into(), detail: None }],
        };
        assert!(sync.needs_reauthorization());
        assert!(!Synchronization { status: SyncStatus::Success, ..sync }.needs_reauthorization());
        assert!(BankingError::RateLimited { retry_after: None }.is_transient());
        assert!(!BankingError::AuthorizationInvalid { detail: String::new() }.is_transient());
    }
}
