//! The HTTP client: one `ureq` agent, OAuth2, error mapping, paging, and the port.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use billify_domain::{BankAccount, ProviderId};
use billify_ports::banking::{
    BankingError, BankingProvider, CodeVerifier, ConsentRequest, PageCursor, PageFlow, PollPolicy, ProviderTokens,
    SyncSubtype, Synchronization, TransactionPage,
};
use billify_ports::{Clock, SystemClock};
use ring::rand::{SecureRandom, SystemRandom};
use sha2::{Digest as _, Sha256};
use ureq::http::{self, Method};

use crate::config::{PontoConfig, PontoConfigError};
use crate::signing::RequestSigner;
use crate::wire;

/// Pages followed at most in one paged read, a guard against a server whose `links.next`
/// never ends.
const MAX_PAGES: usize = 100_000;
/// Largest answer body read.
const MAX_BODY: u64 = 32 * 1024 * 1024;

/// The Ponto Connect adapter. Cheap to share (`Arc`), safe to use from many threads.
pub struct PontoClient {
    config: PontoConfig,
    base: String,
    agent: ureq::Agent,
    signer: Option<RequestSigner>,
    clock: Arc<dyn Clock>,
    random: SystemRandom,
    /// Financial institutions' names, shared by every organisation: public data that rarely
    /// changes, so one request per institution a day instead of one per account and sync.
    institutions: Mutex<HashMap<String, (Option<String>, Instant)>>,
}

/// How long an institution's name is cached.
const INSTITUTION_TTL: Duration = Duration::from_secs(24 * 3600);
/// At most this many institutions are cached (there are a few hundred banks in Ponto).
const INSTITUTION_CACHE_LIMIT: usize = 10_000;

impl std::fmt::Debug for PontoClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PontoClient").field("config", &self.config).finish_non_exhaustive()
    }
}

/// An answer, read whole.
struct Reply {
    status: u16,
    retry_after: Option<Duration>,
    request_id: Option<String>,
    body: String,
}

enum Auth<'a> {
    /// HTTP Basic with the client credentials (OAuth endpoints).
    Client,
    /// A user's access token.
    Bearer(&'a str),
}

impl PontoClient {
    /// Builds the adapter: validates the URLs, loads the mTLS certificate and the signing key.
    pub fn new(config: PontoConfig) -> Result<Self, PontoConfigError> {
        let base = config.api_base_url.trim_end_matches('/').to_owned();
        for (field, url) in [("api_base_url", base.as_str()), ("authorization_url", &config.authorization_url)] {
            if url
                .parse::<http::Uri>()
                .ok()
                .and_then(|u| u.scheme_str().map(str::to_owned))
                .is_none_or(|s| s != "http" && s != "https")
            {
                return Err(PontoConfigError::InvalidUrl { field });
            }
        }
        if !(1..=100).contains(&config.page_limit) {
            return Err(PontoConfigError::Invalid { field: "page_limit", reason: "must be between 1 and 100".into() });
        }
        for (field, value) in [
            ("client_id", &config.client_id),
            ("client_secret", &config.client_secret),
            ("redirect_uri", &config.redirect_uri),
        ] {
            if value.trim().is_empty() {
                return Err(PontoConfigError::Invalid { field, reason: "must not be empty".into() });
            }
        }
        let mut tls = ureq::tls::TlsConfig::builder();
        if let Some(cert) = &config.client_certificate {
            let chain = read_certificates(&cert.certificate_path)?;
            let key_pem = read_file(&cert.private_key_path)?;
            let key = ureq::tls::PrivateKey::from_pem(&key_pem)
                .map_err(|e| PontoConfigError::Key { path: cert.private_key_path.clone(), reason: e.to_string() })?;
            tls = tls.client_cert(Some(ureq::tls::ClientCert::new_with_certs(&chain, key)));
        }
        if let Some(path) = &config.root_certificates {
            tls = tls.root_certs(ureq::tls::RootCerts::new_with_certs(&read_certificates(path)?));
        }
        let signer = match &config.signing {
            Some(signing) => {
                let pem = std::fs::read(&signing.private_key_path)
                    .map_err(|source| PontoConfigError::Io { path: signing.private_key_path.clone(), source })?;
                Some(RequestSigner::from_pem(&signing.key_id, &pem).map_err(|e| PontoConfigError::Key {
                    path: signing.private_key_path.clone(),
                    reason: e.to_string(),
                })?)
            }
            None => None,
        };
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(config.timeout))
            .http_status_as_error(false)
            // An API answer is never a redirect; following one could carry a token elsewhere.
            .max_redirects(0)
            // Every sync worker talks to the one Ponto host: keep a connection per worker alive
            // instead of ureq's default of 3 per host (new TLS handshakes cost more than the call).
            .max_idle_connections(256)
            .max_idle_connections_per_host(256)
            .user_agent(concat!("billify/", env!("CARGO_PKG_VERSION")))
            .tls_config(tls.build())
            .build()
            .new_agent();
        Ok(PontoClient {
            config,
            base,
            agent,
            signer,
            clock: Arc::new(SystemClock),
            random: SystemRandom::new(),
            institutions: Mutex::new(HashMap::new()),
        })
    }

    /// Uses another clock to decide when tokens expire (for tests).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The configuration.
    pub fn config(&self) -> &PontoConfig {
        &self.config
    }

    fn random_token(&self) -> Result<String, BankingError> {
        let mut bytes = [0u8; 32];
        self.random.fill(&mut bytes).map_err(|_| BankingError::Transport("no system randomness".into()))?;
        Ok(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Sends one request and reads the whole answer; only transport failures are errors here.
    fn send(
        &self,
        method: Method,
        url: &str,
        auth: &Auth<'_>,
        body: Option<(&str, Vec<u8>)>,
    ) -> Result<Reply, BankingError> {
        let uri: http::Uri = url.parse().map_err(|_| BankingError::InvalidResponse(format!("unusable URL {url:?}")))?;
        let host = uri.authority().map(|a| a.as_str().to_owned()).unwrap_or_default();
        let target = uri.path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "/".into());
        let (content_type, bytes) = match body {
            Some((ct, bytes)) => (Some(ct), bytes),
            None => (None, Vec::new()),
        };
        let mut headers: Vec<(&str, String)> = vec![("host", host.clone())];
        headers.push(("accept", "application/vnd.api+json, application/json".into()));
        match auth {
            Auth::Client => headers.push((
                "authorization",
                format!(
                    "Basic {}",
                    STANDARD.encode(format!("{}:{}", self.config.client_id, self.config.client_secret))
                ),
            )),
            Auth::Bearer(token) => headers.push(("authorization", format!("Bearer {token}"))),
        }
        if let Some(ct) = content_type {
            headers.push(("content-type", ct.to_owned()));
        }
        if method == Method::POST {
            headers.push(("ibanity-idempotency-key", self.idempotency_key()?));
        }
        if let Some(signer) = &self.signer {
            let created = self.clock.now().unix_timestamp();
            let others: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
            let signed = signer
                .sign(method.as_str(), &target, &host, &bytes, created, &others)
                .map_err(|e| BankingError::Transport(e.to_string()))?;
            headers.push(("digest", signed.digest));
            headers.push(("signature", signed.signature));
        }
        let mut request = http::Request::builder().method(method.clone()).uri(uri);
        for (name, value) in &headers {
            request = request.header(*name, value.as_str());
        }
        let request =
            request.body(bytes).map_err(|e| BankingError::Transport(format!("cannot build the request: {e}")))?;
        let mut response = self.agent.run(request).map_err(|e| BankingError::Transport(e.to_string()))?;
        let status = response.status().as_u16();
        let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let retry_after = header("retry-after").and_then(|v| self.parse_retry_after(&v));
        let request_id = header("ibanity-request-id");
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_string()
            .map_err(|e| BankingError::Transport(format!("reading the answer: {e}")))?;
        log::debug!(
            "ponto: {method} {} -> {status} (request id {})",
            uri_path(url),
            request_id.as_deref().unwrap_or("-")
        );
        Ok(Reply { status, retry_after, request_id, body })
    }

    fn idempotency_key(&self) -> Result<String, BankingError> {
        let mut b = [0u8; 16];
        self.random.fill(&mut b).map_err(|_| BankingError::Transport("no system randomness".into()))?;
        Ok(uuid::Builder::from_random_bytes(b).into_uuid().hyphenated().to_string())
    }

    /// `Retry-After` in seconds or as an HTTP date.
    fn parse_retry_after(&self, value: &str) -> Option<Duration> {
        if let Ok(seconds) = value.trim().parse::<u64>() {
            return Some(Duration::from_secs(seconds));
        }
        let at = time::OffsetDateTime::parse(value.trim(), &time::format_description::well_known::Rfc2822).ok()?;
        let wait = at - self.clock.now();
        Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
    }

    /// Maps a non-2xx API answer to the port's error.
    fn api_error(&self, reply: &Reply, what: &str) -> BankingError {
        let doc: Option<wire::ErrorDocument> = serde_json::from_str(&reply.body).ok();
        let first = doc.as_ref().and_then(|d| d.errors.first());
        let code = first.and_then(|e| e.code.clone());
        let request_id = reply.request_id.as_deref().unwrap_or("-");
        let detail = format!(
            "{}{} (request id {request_id})",
            code.as_deref().map(|c| format!("{c}: ")).unwrap_or_default(),
            first.and_then(|e| e.detail.clone()).unwrap_or_else(|| format!("HTTP {}", reply.status))
        );
        log::warn!("ponto: {what} failed with {}: {detail}", reply.status);
        match reply.status {
            401 => BankingError::AuthorizationInvalid { detail },
            _ if code.as_deref() == Some("authorizationInvalid") => BankingError::AuthorizationInvalid { detail },
            404 => BankingError::NotFound { what: what.to_owned() },
            429 => BankingError::RateLimited { retry_after: reply.retry_after },
            500..=599 => BankingError::Server { status: reply.status, detail },
            400..=499 => BankingError::Rejected { status: reply.status, code, detail },
            other => BankingError::InvalidResponse(format!("{what}: unexpected HTTP status {other}")),
        }
    }

    /// Maps a non-2xx OAuth answer: a refused grant means the user must consent again.
    fn oauth_error(&self, reply: &Reply, what: &str) -> BankingError {
        let err: Option<wire::OAuthError> = serde_json::from_str(&reply.body).ok();
        let code = err.as_ref().and_then(|e| e.error.clone());
        let detail = format!(
            "{}: {} (request id {})",
            code.as_deref().unwrap_or("error"),
            err.and_then(|e| e.error_description).unwrap_or_else(|| format!("HTTP {}", reply.status)),
            reply.request_id.as_deref().unwrap_or("-")
        );
        log::warn!("ponto: {what} failed with {}: {detail}", reply.status);
        match (reply.status, code.as_deref()) {
            (_, Some("invalid_grant")) => BankingError::AuthorizationInvalid { detail },
            (429, _) => BankingError::RateLimited { retry_after: reply.retry_after },
            (500..=599, _) => BankingError::Server { status: reply.status, detail },
            (status, _) => BankingError::Rejected { status, code, detail },
        }
    }

    fn token_request(
        &self,
        form: &[(&str, &str)],
        what: &str,
    ) -> Result<(wire::TokenAnswer, time::OffsetDateTime), BankingError> {
        let body = serde_urlencoded::to_string(form).map_err(|e| BankingError::Transport(e.to_string()))?;
        let url = format!("{}/oauth2/token", self.base);
        let reply = self.send(
            Method::POST,
            &url,
            &Auth::Client,
            Some(("application/x-www-form-urlencoded", body.into_bytes())),
        )?;
        if !(200..300).contains(&reply.status) {
            return Err(self.oauth_error(&reply, what));
        }
        let answer: wire::TokenAnswer = wire::parse(&reply.body, what)?;
        let expires_at = self.clock.now() + time::Duration::seconds(answer.expires_in.max(0));
        Ok((answer, expires_at))
    }

    /// A GET or POST with the user's token: refreshed first when about to expire, and once
    /// more when the API answers 401. New tokens are written back even if the call fails.
    fn authorized(
        &self,
        tokens: &mut ProviderTokens,
        method: Method,
        url: &str,
        body: Option<&[u8]>,
        what: &str,
    ) -> Result<Reply, BankingError> {
        let margin = time::Duration::try_from(self.config.refresh_margin).unwrap_or(time::Duration::MINUTE);
        if tokens.expires_at <= self.clock.now() + margin {
            *tokens = self.refresh_tokens(tokens)?;
        }
        let call = |access: &str| {
            self.send(
                method.clone(),
                url,
                &Auth::Bearer(access),
                body.map(|b| ("application/vnd.api+json", b.to_vec())),
            )
        };
        let mut reply = call(&tokens.access_token)?;
        if reply.status == 401 {
            log::info!("ponto: {what} answered 401; refreshing the tokens once");
            *tokens = self.refresh_tokens(tokens)?;
            reply = call(&tokens.access_token)?;
        }
        if (200..300).contains(&reply.status) { Ok(reply) } else { Err(self.api_error(&reply, what)) }
    }

    /// Checks that a URL to follow (a `links.next` or a stored cursor) points into the API, so
    /// a tampered cursor cannot send the user's token to another host.
    fn own_url(&self, url: &str) -> Result<String, BankingError> {
        let inside = url.strip_prefix(&self.base).is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?']));
        if inside {
            Ok(url.to_owned())
        } else {
            Err(BankingError::InvalidResponse(format!("the page link {} is outside the API root", uri_path(url))))
        }
    }

    fn first_page(&self, path: &str) -> String {
        format!("{}{path}?page[limit]={}", self.base, self.config.page_limit)
    }

    fn transaction_pages(
        &self,
        tokens: &mut ProviderTokens,
        first: String,
        from: Option<&PageCursor>,
        account: Option<&ProviderId>,
        what: &str,
        on_page: &mut dyn FnMut(TransactionPage) -> PageFlow,
    ) -> Result<(), BankingError> {
        let mut url = match from {
            Some(cursor) => self.own_url(cursor.as_str())?,
            None => first,
        };
        for _ in 0..MAX_PAGES {
            let reply = self.authorized(tokens, Method::GET, &url, None, what)?;
            let page: wire::Collection<wire::TransactionAttributes> = wire::parse(&reply.body, what)?;
            let next = page.links.next.as_deref().map(|n| self.own_url(n)).transpose()?;
            let transactions =
                page.data.into_iter().map(|r| wire::transaction(r, account)).collect::<Result<Vec<_>, _>>()?;
            if next.as_deref() == Some(url.as_str()) {
                return Err(BankingError::InvalidResponse(format!("{what}: links.next points to the same page")));
            }
            let flow = on_page(TransactionPage { transactions, next: next.clone().map(PageCursor::new) });
            match next {
                Some(next) if flow.is_continue() => url = next,
                _ => return Ok(()),
            }
        }
        Err(BankingError::InvalidResponse(format!("{what}: more than {MAX_PAGES} pages")))
    }

    fn institution_name(&self, tokens: &mut ProviderTokens, id: &str) -> Result<Option<String>, BankingError> {
        let url = format!("{}/financial-institutions/{}", self.base, encode_segment(id));
        match self.authorized(tokens, Method::GET, &url, None, "financial institution") {
            Ok(reply) => {
                let doc: wire::Single<wire::InstitutionAttributes> = wire::parse(&reply.body, "financial institution")?;
                Ok(doc.data.attributes.name)
            }
            // The name is a nicety; an institution we may not read does not fail the sync.
            Err(BankingError::NotFound { .. } | BankingError::Rejected { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

fn read_file(path: &std::path::Path) -> Result<Vec<u8>, PontoConfigError> {
    std::fs::read(path).map_err(|source| PontoConfigError::Io { path: path.to_owned(), source })
}

/// Every certificate of a PEM file; at least one.
fn read_certificates(path: &std::path::Path) -> Result<Vec<ureq::tls::Certificate<'static>>, PontoConfigError> {
    let pem = read_file(path)?;
    let certs = ureq::tls::parse_pem(&pem)
        .filter_map(|item| match item {
            Ok(ureq::tls::PemItem::Certificate(c)) => Some(Ok(c)),
            Ok(_) => None,
            Err(e) => Some(Err(e)),
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| PontoConfigError::Key { path: path.to_owned(), reason: e.to_string() })?;
    if certs.is_empty() {
        return Err(PontoConfigError::Key { path: path.to_owned(), reason: "no PEM certificate found".into() });
    }
    Ok(certs)
}

/// The path of a URL without its query, for logs (queries may hold cursors, never tokens, but
/// keep logs short).
fn uri_path(url: &str) -> &str {
    url.split('?').next().unwrap_or(url)
}

/// Everything but RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`) is encoded in a path
/// segment, so an id can never add a `/`, `?` or `#`.
const SEGMENT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes an id for use as one path segment.
fn encode_segment(id: &str) -> String {
    percent_encoding::utf8_percent_encode(id, SEGMENT).to_string()
}

impl BankingProvider for PontoClient {
    fn consent_request(&self) -> Result<ConsentRequest, BankingError> {
        let state = self.random_token()?;
        // 32 random bytes in base64url: 43 characters of [A-Za-z0-9-_], as RFC 7636 asks.
        let verifier = self.random_token()?;
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        let query = serde_urlencoded::to_string([
            ("client_id", self.config.client_id.as_str()),
            ("redirect_uri", &self.config.redirect_uri),
            ("response_type", "code"),
            ("scope", &self.config.scope),
            ("state", &state),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ])
        .map_err(|e| BankingError::Transport(e.to_string()))?
        // Spaces as %20 rather than the form encoding's '+' (a literal '+' is already %2B).
        .replace('+', "%20");
        let separator = if self.config.authorization_url.contains('?') { '&' } else { '?' };
        Ok(ConsentRequest {
            url: format!("{}{separator}{query}", self.config.authorization_url),
            state,
            code_verifier: CodeVerifier::new(verifier),
        })
    }

    fn exchange_code(&self, code: &str, code_verifier: &CodeVerifier) -> Result<ProviderTokens, BankingError> {
        let (answer, expires_at) = self.token_request(
            &[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("client_id", &self.config.client_id),
                ("redirect_uri", &self.config.redirect_uri),
                ("code_verifier", code_verifier.expose()),
            ],
            "token exchange",
        )?;
        let refresh_token = answer.refresh_token.ok_or_else(|| {
            BankingError::InvalidResponse("token exchange: no refresh_token (was offline_access granted?)".into())
        })?;
        Ok(ProviderTokens { access_token: answer.access_token, refresh_token, expires_at })
    }

    fn refresh_tokens(&self, tokens: &ProviderTokens) -> Result<ProviderTokens, BankingError> {
        let (answer, expires_at) = self.token_request(
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", &tokens.refresh_token),
                ("client_id", &self.config.client_id),
            ],
            "token refresh",
        )?;
        // Refresh tokens rotate; if none came back, the old one stays valid [U].
        let refresh_token = answer.refresh_token.unwrap_or_else(|| tokens.refresh_token.clone());
        Ok(ProviderTokens { access_token: answer.access_token, refresh_token, expires_at })
    }

    fn revoke_tokens(&self, tokens: &ProviderTokens) -> Result<(), BankingError> {
        let body = serde_urlencoded::to_string([("token", tokens.refresh_token.as_str())])
            .map_err(|e| BankingError::Transport(e.to_string()))?;
        let url = format!("{}/oauth2/revoke", self.base);
        let reply = self.send(
            Method::POST,
            &url,
            &Auth::Client,
            Some(("application/x-www-form-urlencoded", body.into_bytes())),
        )?;
        match reply.status {
            200..=299 => Ok(()),
            // Revoking a token that is already dead is what the caller wanted.
            _ => match self.oauth_error(&reply, "token revocation") {
                BankingError::AuthorizationInvalid { .. } => Ok(()),
                e => Err(e),
            },
        }
    }

    fn list_accounts(&self, tokens: &mut ProviderTokens) -> Result<Vec<BankAccount>, BankingError> {
        let mut resources = Vec::new();
        let mut url = self.first_page("/accounts");
        for _ in 0..MAX_PAGES {
            let reply = self.authorized(tokens, Method::GET, &url, None, "accounts")?;
            let page: wire::Collection<wire::AccountAttributes> = wire::parse(&reply.body, "accounts")?;
            resources.extend(page.data);
            match page.links.next {
                Some(next) if next != url => url = self.own_url(&next)?,
                _ => break,
            }
        }
        let mut names: HashMap<String, Option<String>> = HashMap::new();
        let mut accounts = Vec::with_capacity(resources.len());
        for resource in resources {
            let name = match wire::institution_id(&resource) {
                Some(id) => match names.get(&id) {
                    Some(name) => name.clone(),
                    None => {
                        let cached = self.institutions.lock().ok().and_then(|cache| {
                            cache.get(&id).filter(|(_, at)| at.elapsed() < INSTITUTION_TTL).map(|(n, _)| n.clone())
                        });
                        let name = match cached {
                            Some(name) => name,
                            None => {
                                let name = self.institution_name(tokens, &id)?;
                                if let Ok(mut cache) = self.institutions.lock() {
                                    if cache.len() >= INSTITUTION_CACHE_LIMIT {
                                        cache.clear();
                                    }
                                    cache.insert(id.clone(), (name.clone(), Instant::now()));
                                }
                                name
                            }
                        };
                        names.insert(id, name.clone());
                        name
                    }
                },
                None => None,
            };
            accounts.push(wire::account(resource, name)?);
        }
        Ok(accounts)
    }

    fn transactions(
        &self,
        tokens: &mut ProviderTokens,
        account: &ProviderId,
        from: Option<&PageCursor>,
        on_page: &mut dyn FnMut(TransactionPage) -> PageFlow,
    ) -> Result<(), BankingError> {
        let first = self.first_page(&format!("/accounts/{}/transactions", encode_segment(account.as_str())));
        self.transaction_pages(tokens, first, from, Some(account), "transactions", on_page)
    }

    fn create_synchronization(
        &self,
        tokens: &mut ProviderTokens,
        account: &ProviderId,
        subtype: SyncSubtype,
        customer_ip: Option<IpAddr>,
    ) -> Result<Synchronization, BankingError> {
        let mut attributes = serde_json::json!({
            "resourceType": "account",
            "resourceId": account.as_str(),
            "subtype": wire::subtype_code(subtype),
        });
        // [U] The OpenAPI marks customerIpAddress as required, but it means "the customer is
        // present"; inventing an address for background runs would misstate that, so it is
        // sent only when known.
        if let Some(ip) = customer_ip {
            attributes["customerIpAddress"] = serde_json::Value::String(ip.to_string());
        }
        let body = serde_json::json!({"data": {"type": "synchronization", "attributes": attributes}}).to_string();
        let url = format!("{}/synchronizations", self.base);
        let reply = self.authorized(tokens, Method::POST, &url, Some(body.as_bytes()), "create synchronization")?;
        let doc: wire::Single<wire::SynchronizationAttributes> = wire::parse(&reply.body, "synchronization")?;
        wire::synchronization(doc.data)
    }

    fn synchronization(&self, tokens: &mut ProviderTokens, id: &ProviderId) -> Result<Synchronization, BankingError> {
        let url = format!("{}/synchronizations/{}", self.base, encode_segment(id.as_str()));
        let reply = self.authorized(tokens, Method::GET, &url, None, "synchronization")?;
        let doc: wire::Single<wire::SynchronizationAttributes> = wire::parse(&reply.body, "synchronization")?;
        wire::synchronization(doc.data)
    }

    fn await_synchronization(
        &self,
        tokens: &mut ProviderTokens,
        id: &ProviderId,
        policy: PollPolicy,
    ) -> Result<Synchronization, BankingError> {
        let started = Instant::now();
        let mut delay = policy.initial_delay;
        loop {
            let sync = self.synchronization(tokens, id)?;
            let remaining = policy.max_wait.saturating_sub(started.elapsed());
            if sync.status.is_final() || remaining.is_zero() {
                return Ok(sync);
            }
            std::thread::sleep(delay.min(remaining));
            delay = (delay * 2).min(policy.max_delay);
        }
    }

    fn updated_transactions(
        &self,
        tokens: &mut ProviderTokens,
        synchronization: &ProviderId,
        from: Option<&PageCursor>,
        on_page: &mut dyn FnMut(TransactionPage) -> PageFlow,
    ) -> Result<(), BankingError> {
        let first = self.first_page(&format!(
            "/synchronizations/{}/updated-transactions",
            encode_segment(synchronization.as_str())
        ));
        self.transaction_pages(tokens, first, from, None, "updated transactions", on_page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> PontoClient {
        PontoClient::new(PontoConfig::custom(
            "http://127.0.0.1:9/ponto-connect",
            "http://127.0.0.1:9/oauth2/auth",
            "id",
            "top-s3cr3t",
            "https://app.example/cb",
        ))
        .unwrap()
    }

    #[test]
    fn cursors_must_stay_inside_the_api_root() {
        let c = client();
        assert!(c.own_url("http://127.0.0.1:9/ponto-connect/accounts?page[after]=x").is_ok());
        for bad in [
            "http://evil.example/ponto-connect/accounts",
            "http://127.0.0.1:9/ponto-connectx/a",
            "http://127.0.0.1:9@evil/x",
        ] {
            assert!(c.own_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let c = client();
        assert_eq!(c.parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(c.parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT"), Some(Duration::ZERO));
        assert_eq!(c.parse_retry_after("soon"), None);
    }

    #[test]
    fn bad_configuration_is_refused() {
        let mut config = PontoConfig::sandbox("id", "secret", "https://app.example/cb");
        config.page_limit = 0;
        assert!(PontoClient::new(config.clone()).is_err());
        config.page_limit = 100;
        config.api_base_url = "ftp://x".into();
        assert!(matches!(PontoClient::new(config), Err(PontoConfigError::InvalidUrl { field: "api_base_url" })));
        assert!(!format!("{:?}", client()).contains("top-s3cr3t"));
        assert_eq!(encode_segment("a/b c"), "a%2Fb%20c");
    }
}
