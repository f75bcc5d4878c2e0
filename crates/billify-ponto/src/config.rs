//! The adapter's configuration: endpoints, client credentials, transport security.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// Where the API lives for live and sandbox integrations (the same host; the credentials decide).
pub const LIVE_API_BASE_URL: &str = "https://api.ibanity.com/ponto-connect";
/// The consent page of live integrations.
pub const LIVE_AUTHORIZATION_URL: &str = "https://authorization.myponto.com/oauth2/auth";
/// The consent page of sandbox integrations.
pub const SANDBOX_AUTHORIZATION_URL: &str = "https://sandbox-authorization.myponto.com/oauth2/auth";
/// The scopes Billify asks for: account information, payment initiation, the organisation's
/// name, and a refresh token (`offline_access`).
pub const DEFAULT_SCOPE: &str = "ai pi name offline_access";

/// The Ibanity application certificate and key for mutual TLS (PEM files, key unencrypted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientCertificate {
    /// The certificate chain (PEM).
    pub certificate_path: PathBuf,
    /// The private key (PEM: PKCS#8, PKCS#1 or SEC1, not passphrase-protected).
    pub private_key_path: PathBuf,
}

/// The HTTP-signature certificate's id and key (required by live applications).
#[derive(Clone, PartialEq, Eq)]
pub struct RequestSigning {
    /// The signature certificate id from the Ibanity developer portal (`keyId`).
    pub key_id: String,
    /// The RSA private key (PEM: PKCS#8 or PKCS#1, not passphrase-protected).
    pub private_key_path: PathBuf,
}

impl fmt::Debug for RequestSigning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestSigning")
            .field("key_id", &self.key_id)
            .field("private_key_path", &self.private_key_path)
            .finish()
    }
}

/// How to reach Ponto Connect.
#[derive(Clone)]
pub struct PontoConfig {
    /// The API root, without a trailing slash, e.g. `https://api.ibanity.com/ponto-connect`.
    /// Every URL the adapter follows (`links.next`, stored cursors) must start with it.
    pub api_base_url: String,
    /// The consent page users are sent to.
    pub authorization_url: String,
    /// The OAuth2 client id.
    pub client_id: String,
    /// The OAuth2 client secret (never printed).
    pub client_secret: String,
    /// The redirect URI registered with Ponto, where the user comes back with a code.
    pub redirect_uri: String,
    /// The space-separated scopes.
    pub scope: String,
    /// The time limit of one HTTP call, connection included.
    pub timeout: Duration,
    /// Items per page (1 to 100).
    pub page_limit: u8,
    /// Tokens expiring within this margin are refreshed before a call.
    pub refresh_margin: Duration,
    /// Mutual TLS; required by the live API, absent for loopback fakes.
    pub client_certificate: Option<ClientCertificate>,
    /// HTTP request signing; required by live applications.
    pub signing: Option<RequestSigning>,
    /// Trust only the CA certificates in this PEM file instead of the public web roots (for
    /// private test servers); `None` in production.
    pub root_certificates: Option<PathBuf>,
}

impl PontoConfig {
    /// A live integration at `api.ibanity.com`, with Billify's defaults.
    pub fn live(client_id: &str, client_secret: &str, redirect_uri: &str) -> Self {
        PontoConfig {
            api_base_url: LIVE_API_BASE_URL.into(),
            authorization_url: LIVE_AUTHORIZATION_URL.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            redirect_uri: redirect_uri.into(),
            scope: DEFAULT_SCOPE.into(),
            timeout: Duration::from_secs(30),
            page_limit: 100,
            refresh_margin: Duration::from_secs(60),
            client_certificate: None,
            signing: None,
            root_certificates: None,
        }
    }

    /// A sandbox integration: the same API host, the sandbox consent page.
    pub fn sandbox(client_id: &str, client_secret: &str, redirect_uri: &str) -> Self {
        PontoConfig {
            authorization_url: SANDBOX_AUTHORIZATION_URL.into(),
            ..Self::live(client_id, client_secret, redirect_uri)
        }
    }

    /// Any server speaking the protocol (a loopback fake): API root and consent page given.
    pub fn custom(
        api_base_url: &str,
        authorization_url: &str,
        client_id: &str,
        client_secret: &str,
        redirect_uri: &str,
    ) -> Self {
        PontoConfig {
            api_base_url: api_base_url.into(),
            authorization_url: authorization_url.into(),
            ..Self::live(client_id, client_secret, redirect_uri)
        }
    }
}

impl fmt::Debug for PontoConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PontoConfig")
            .field("api_base_url", &self.api_base_url)
            .field("authorization_url", &self.authorization_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("redirect_uri", &self.redirect_uri)
            .field("scope", &self.scope)
            .field("timeout", &self.timeout)
            .field("page_limit", &self.page_limit)
            .field("refresh_margin", &self.refresh_margin)
            .field("client_certificate", &self.client_certificate)
            .field("signing", &self.signing)
            .field("root_certificates", &self.root_certificates)
            .finish()
    }
}

/// Why the adapter cannot be built from its configuration.
#[derive(Debug, thiserror::Error)]
pub enum PontoConfigError {
    /// A URL is not an absolute `http`/`https` URL.
    #[error("{field} must be an absolute http(s) URL")]
    InvalidUrl {
        /// Which setting.
        field: &'static str,
    },
    /// A setting is out of range or empty.
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// Which setting.
        field: &'static str,
        /// Why.
        reason: String,
    },
    /// A key or certificate file cannot be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A key or certificate file cannot be parsed.
    #[error("cannot use {path}: {reason}")]
    Key {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}
