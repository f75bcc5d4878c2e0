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

use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256, Sha512};

use crate::rng::SplitMix64;
use crate::tls::{FakeTls, TlsFront};

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

struct PendingCode {
    challenge: String,
    redirect_uri: String,
    state: String,
}

struct FakeSync {
    id: String,
    account_id: String,
    subtype: String,
    reads: u32,
    status: &'static str,
    errors: Vec<(String, String)>,
    updated: Vec<String>,
}

struct ArmedFault {
    fault: Fault,
    seen: usize,
    fired: usize,
}

struct State {
    config: FakePontoConfig,
    origin: String,
    rng: SplitMix64,
    accounts: Vec<FakeAccount>,
    institutions: Vec<(String, String)>,
    transactions: HashMap<String, Vec<FakeTransaction>>,
    codes: HashMap<String, PendingCode>,
    access_tokens: HashMap<String, Instant>,
    refresh_tokens: HashSet<String>,
    syncs: Vec<FakeSync>,
    fail_syncs_with: Option<String>,
    faults: Vec<ArmedFault>,
    log: Vec<LoggedRequest>,
    request_count: usize,
    list_cache: HashMap<String, Arc<Vec<u8>>>,
    generated: u64,
}

/// A running fake Ponto Connect server on `127.0.0.1`; it stops when dropped.
pub struct FakePonto {
    origin: String,
    state: Arc<Mutex<State>>,
    server: actix_web::dev::ServerHandle,
    thread: Option<JoinHandle<()>>,
    tls_front: Option<TlsFront>,
}

const PREFIX: &str = "/ponto-connect";

/// Threads running the server's event loops; the injected latency is a timer, so they answer any
/// number of requests at once.
const EVENT_LOOPS: usize = 2;

impl FakePonto {
    /// Starts the server on a free loopback port with generated data.
    pub fn start(config: FakePontoConfig) -> std::io::Result<FakePonto> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let tls_front = match &config.tls {
            Some(tls) => Some(TlsFront::start(tls, std::net::SocketAddr::from(([127, 0, 0, 1], port)))?),
            None => None,
        };
        let origin = match &tls_front {
            Some(front) => format!("https://127.0.0.1:{}", front.addr.port()),
            None => format!("http://127.0.0.1:{port}"),
        };
        let mut rng = SplitMix64::new(config.seed);
        let (institutions, accounts, transactions) = generate(&mut rng, &config);
        let state = Arc::new(Mutex::new(State {
            config,
            origin: origin.clone(),
            rng,
            accounts,
            institutions,
            transactions,
            codes: HashMap::new(),
            access_tokens: HashMap::new(),
            refresh_tokens: HashSet::new(),
            syncs: Vec::new(),
            fail_syncs_with: None,
            faults: Vec::new(),
            log: Vec::new(),
            request_count: 0,
            list_cache: HashMap::new(),
            generated: 0,
        }));
        // An event loop per worker thread: a connection kept alive between requests holds no
        // thread, and the injected latency is a timer, so any number of clients are served.
        let shared = web::Data::from(Arc::clone(&state));
        let (started, handle) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new().name("fake-ponto".into()).spawn(move || {
            let system = actix_web::rt::System::new();
            let server = HttpServer::new(move || {
                App::new()
                    .app_data(shared.clone())
                    .app_data(web::PayloadConfig::new(10 * 1024 * 1024))
                    .default_service(web::to(serve))
            })
            .workers(EVENT_LOOPS)
            .disable_signals()
            .listen(listener);
            let server = match server {
                Ok(server) => server.run(),
                Err(e) => {
                    let _ = started.send(Err(e));
                    return;
                }
            };
            let _ = started.send(Ok(server.handle()));
            let _ = system.block_on(server);
        })?;
        let server = handle.recv().map_err(|_| std::io::Error::other("the fake Ponto did not start"))??;
        Ok(FakePonto { origin, state, server, thread: Some(thread), tls_front })
    }

    /// The API root to configure an adapter with: `http://127.0.0.1:PORT/ponto-connect`.
    pub fn base_url(&self) -> String {
        format!("{}{PREFIX}", self.origin)
    }

    /// The consent page: `http://127.0.0.1:PORT/oauth2/auth`.
    pub fn authorization_url(&self) -> String {
        format!("{}/oauth2/auth", self.origin)
    }

    /// How many TLS connections presented a client certificate the fake accepted (0 without
    /// TLS).
    pub fn tls_client_handshakes(&self) -> usize {
        self.tls_front.as_ref().map_or(0, |f| f.authenticated.load(Ordering::SeqCst))
    }

    /// The configured client id.
    pub fn client_id(&self) -> String {
        self.lock().config.client_id.clone()
    }

    /// The configured client secret.
    pub fn client_secret(&self) -> String {
        self.lock().config.client_secret.clone()
    }

    /// Plays the user agreeing on the consent page: checks the consent URL (client id,
    /// `response_type=code`, S256 challenge, scope, state, redirect URI) and returns where the
    /// browser would be sent, with a fresh single-use code bound to the challenge.
    pub fn consent(&self, consent_url: &str) -> Result<ConsentRedirect, String> {
        consent(&mut self.lock(), consent_url)
    }

    /// The generated (and added) accounts.
    pub fn accounts(&self) -> Vec<FakeAccount> {
        self.lock().accounts.clone()
    }

    /// The transactions of an account, newest first.
    pub fn transactions(&self, account_id: &str) -> Vec<FakeTransaction> {
        self.lock().transactions.get(account_id).cloned().unwrap_or_default()
    }

    /// Books a transaction on its account as the newest one. Panics if the amount is not plain
    /// decimal text (a test's mistake).
    pub fn add_transaction(&self, transaction: FakeTransaction) {
        assert!(is_decimal(&transaction.amount), "amount {:?} is not decimal text", transaction.amount);
        self.lock().transactions.entry(transaction.account_id.clone()).or_default().insert(0, transaction);
    }

    /// Arms a fault.
    pub fn inject(&self, fault: Fault) {
        self.lock().faults.push(ArmedFault { fault, seen: 0, fired: 0 });
    }

    /// Makes new synchronisations fail with this error code (e.g. `authorizationInvalid`), or
    /// succeed again with `None`.
    pub fn fail_synchronizations_with(&self, code: Option<&str>) {
        self.lock().fail_syncs_with = code.map(str::to_owned);
    }

    /// Expires every access token issued so far (refresh tokens stay valid).
    pub fn expire_access_tokens(&self) {
        let past = Instant::now();
        for expiry in self.lock().access_tokens.values_mut() {
            *expiry = past;
        }
    }

    /// Forgets every refresh token, as when the user revoked the integration.
    pub fn revoke_refresh_tokens(&self) {
        self.lock().refresh_tokens.clear();
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.lock().log.clone()
    }

    /// How many requests the fake received, logged or not.
    pub fn request_count(&self) -> usize {
        self.lock().request_count
    }

    /// Forgets the request log.
    pub fn clear_requests(&self) {
        self.lock().log.clear();
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }
}

impl Drop for FakePonto {
    fn drop(&mut self) {
        // The command is sent now; the returned future only reports completion.
        drop(self.server.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // A panicking test thread must not make every later request fail.
    state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn json_bytes(status: u16, body: Vec<u8>) -> Reply {
        Reply { status, headers: vec![("Content-Type", "application/vnd.api+json".into())], body }
    }

    fn json(status: u16, body: String) -> Reply {
        Reply { status, headers: vec![("Content-Type", "application/vnd.api+json".into())], body: body.into_bytes() }
    }

    fn value(status: u16, value: &Value) -> Reply {
        Reply::json(status, value.to_string())
    }

    fn error(status: u16, code: &str, detail: &str) -> Reply {
        Reply::value(status, &json!({"errors": [{"code": code, "detail": detail, "meta": {}}]}))
    }

    fn oauth_error(status: u16, error: &str, description: &str) -> Reply {
        let mut reply = Reply::value(status, &json!({"error": error, "error_description": description}));
        reply.headers = vec![("Content-Type", "application/json".into())];
        reply
    }
}

async fn serve(request: HttpRequest, body: web::Bytes, state: web::Data<Mutex<State>>) -> HttpResponse {
    let logged = LoggedRequest {
        method: request.method().as_str().to_owned(),
        url: request.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "/".into()),
        headers: request
            .headers()
            .iter()
            .map(|(name, value)| {
                (name.as_str().to_ascii_lowercase(), String::from_utf8_lossy(value.as_bytes()).into_owned())
            })
            .collect(),
        body: body.to_vec(),
    };
    let latency = {
        let mut s = lock(&state);
        s.request_count += 1;
        if s.config.log_requests {
            s.log.push(logged.clone());
        }
        s.config.latency
    };
    if !latency.is_zero() {
        actix_web::rt::time::sleep(latency).await;
    }
    let (reply, request_id) = {
        let mut s = lock(&state);
        let reply = handle(&mut s, &logged);
        (reply, format!("fake-{}", s.request_count))
    };
    let mut response = HttpResponse::build(
        actix_web::http::StatusCode::from_u16(reply.status)
            .unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR),
    );
    for (name, value) in reply.headers.into_iter().chain([("ibanity-request-id", request_id)]) {
        response.append_header((name, value));
    }
    response.body(reply.body)
}

fn handle(s: &mut State, req: &LoggedRequest) -> Reply {
    let path = req.path().to_owned();
    let query = req.url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    if let Some(reply) = injected_fault(s, &path) {
        return reply;
    }
    if path == "/oauth2/auth" && req.method == "GET" {
        let url = format!("{}{}", s.origin, req.url);
        return match consent(s, &url) {
            Ok(redirect) => Reply { status: 302, headers: vec![("Location", redirect.redirect_url)], body: Vec::new() },
            Err(e) => Reply::oauth_error(400, "invalid_request", &e),
        };
    }
    let Some(rest) = path.strip_prefix(PREFIX) else {
        return Reply::error(404, "resourceNotFound", "no such route");
    };
    if s.config.require_signature && !rest.starts_with("/oauth2/") {
        if let Err(e) = check_signature_headers(req) {
            return Reply::error(400, "invalidSignature", &e);
        }
    }
    let segments: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
    match (req.method.as_str(), segments.as_slice()) {
        ("POST", ["oauth2", "token"]) => token(s, req),
        ("POST", ["oauth2", "revoke"]) => revoke(s, req),
        ("GET", []) => discovery(s),
        (method, _) => {
            if let Err(reply) = authenticate(s, req) {
                return reply;
            }
            match (method, segments.as_slice()) {
                ("GET", ["userinfo"]) => Reply::value(
                    200,
                    &json!({"sub": "org-fake", "name": "Fake Organisation BV", "paymentsActivated": false,
                        "onboardingComplete": true}),
                ),
                ("GET", ["accounts"]) => cached_list(s, &req.url, |s| list_accounts(s, query)),
                ("GET", ["accounts", id]) => match s.accounts.iter().find(|a| a.id == *id) {
                    Some(a) => render(200, &Document { data: account_resource(s, a), links: None, meta: None }),
                    None => Reply::error(404, "resourceNotFound", "account not found"),
                },
                ("GET", ["accounts", id, "transactions"]) => {
                    cached_list(s, &req.url, |s| list_transactions(s, id, query))
                }
                ("GET", ["financial-institutions", id]) => match s.institutions.iter().find(|(i, _)| i == id) {
                    Some((id, name)) => Reply::value(
                        200,
                        &json!({"data": {"type": "financialInstitution", "id": id,
                            "attributes": {"name": name, "bic": "NBBEBEBB203", "country": "BE", "status": "stable"}}}),
                    ),
                    None => Reply::error(404, "resourceNotFound", "financial institution not found"),
                },
                ("POST", ["synchronizations"]) => create_sync(s, &req.body),
                ("GET", ["synchronizations", id]) => read_sync(s, id),
                ("GET", ["synchronizations", id, "updated-transactions"]) => updated_transactions(s, id, query),
                _ => Reply::error(404, "resourceNotFound", "no such route"),
            }
        }
    }
}

/// A list answer, from the cache when [`FakePontoConfig::cache_lists`] is on.
fn cached_list(s: &mut State, url: &str, build: impl FnOnce(&State) -> Reply) -> Reply {
    if !s.config.cache_lists {
        return build(s);
    }
    if let Some(body) = s.list_cache.get(url) {
        return Reply::json_bytes(200, body.as_ref().clone());
    }
    let reply = build(s);
    if reply.status == 200 {
        s.list_cache.insert(url.to_owned(), Arc::new(reply.body.clone()));
    }
    reply
}

fn injected_fault(s: &mut State, path: &str) -> Option<Reply> {
    let armed = s.faults.iter_mut().find(|f| path.contains(&f.fault.path_contains) && f.fired < f.fault.times)?;
    armed.seen += 1;
    if armed.seen <= armed.fault.skip {
        return None;
    }
    armed.fired += 1;
    Some(match &armed.fault.kind {
        FaultKind::Unauthorized => Reply::error(401, "unauthorized", "The access token is invalid or expired"),
        FaultKind::RateLimited { retry_after_secs } => {
            let mut reply = Reply::error(429, "tooManyRequests", "Too many requests");
            reply.headers.push(("Retry-After", retry_after_secs.to_string()));
            reply
        }
        FaultKind::ServerError => Reply::error(500, "internalServerError", "Something went wrong"),
        FaultKind::NotFound => Reply::error(404, "resourceNotFound", "Not found"),
        FaultKind::Raw { status, body } => Reply::json(*status, body.clone()),
    })
}

fn check_signature_headers(req: &LoggedRequest) -> Result<(), String> {
    let digest = req.header("digest").ok_or("missing Digest header")?;
    let expected = format!("SHA-512={}", STANDARD.encode(Sha512::digest(&req.body)));
    if digest != expected {
        return Err("the Digest header does not match the body".into());
    }
    let signature = req.header("signature").ok_or("missing Signature header")?;
    for part in ["keyId=\"", "algorithm=\"hs2019\"", "headers=\"(request-target) host digest (created)", "signature=\""]
    {
        if !signature.contains(part) {
            return Err(format!("the Signature header lacks {part}"));
        }
    }
    Ok(())
}

fn authenticate(s: &mut State, req: &LoggedRequest) -> Result<(), Reply> {
    let token = req.header("authorization").and_then(|h| h.strip_prefix("Bearer ")).unwrap_or_default();
    match s.access_tokens.get(token) {
        Some(expiry) if *expiry > Instant::now() => Ok(()),
        Some(_) => Err(Reply::error(401, "unauthorized", "The access token has expired")),
        None => Err(Reply::error(401, "unauthorized", "The access token is invalid")),
    }
}

fn query_params(query: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap_or_default()
}

fn consent(s: &mut State, consent_url: &str) -> Result<ConsentRedirect, String> {
    let query = consent_url.split_once('?').map(|(_, q)| q).ok_or("the consent URL has no query")?;
    let params: HashMap<String, String> = query_params(query).into_iter().collect();
    let get = |k: &str| params.get(k).filter(|v| !v.is_empty()).ok_or(format!("missing {k}"));
    if *get("client_id")? != s.config.client_id {
        return Err("unknown client_id".into());
    }
    if get("response_type")? != "code" {
        return Err("response_type must be code".into());
    }
    if get("code_challenge_method")? != "S256" {
        return Err("code_challenge_method must be S256".into());
    }
    let challenge = get("code_challenge")?.clone();
    if challenge.len() != 43 || URL_SAFE_NO_PAD.decode(&challenge).is_err() {
        return Err("code_challenge must be base64url(SHA-256) without padding".into());
    }
    let scope = get("scope")?;
    if !scope.split(' ').any(|sc| sc == "ai") {
        return Err("scope must include ai".into());
    }
    let state = get("state")?.clone();
    let redirect_uri = get("redirect_uri")?.clone();
    let code = format!("code-{}", s.rng.token());
    s.codes.insert(code.clone(), PendingCode { challenge, redirect_uri: redirect_uri.clone(), state: state.clone() });
    let separator = if redirect_uri.contains('?') { '&' } else { '?' };
    let encoded = serde_urlencoded::to_string([("code", code.as_str()), ("state", state.as_str())])
        .map_err(|e| format!("cannot encode the redirect: {e}"))?;
    Ok(ConsentRedirect { redirect_url: format!("{redirect_uri}{separator}{encoded}"), code, state })
}

fn client_authenticated(s: &State, req: &LoggedRequest) -> bool {
    let expected = format!("Basic {}", STANDARD.encode(format!("{}:{}", s.config.client_id, s.config.client_secret)));
    req.header("authorization") == Some(expected.as_str())
}

fn issue_tokens(s: &mut State, with_refresh: bool) -> Reply {
    let access = format!("at-{}", s.rng.token());
    let ttl = s.config.access_token_ttl;
    s.access_tokens.insert(access.clone(), Instant::now() + ttl);
    let mut body = json!({"access_token": access, "expires_in": ttl.as_secs(), "scope": "ai pi name offline_access",
        "token_type": "bearer"});
    if with_refresh {
        let refresh = format!("rt-{}", s.rng.token());
        s.refresh_tokens.insert(refresh.clone());
        body["refresh_token"] = Value::String(refresh);
    }
    let mut reply = Reply::value(200, &body);
    reply.headers = vec![("Content-Type", "application/json".into())];
    reply
}

fn token(s: &mut State, req: &LoggedRequest) -> Reply {
    if !client_authenticated(s, req) {
        return Reply::oauth_error(401, "invalid_client", "client authentication failed");
    }
    let form: HashMap<String, String> =
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(&req.body).unwrap_or_default().into_iter().collect();
    match form.get("grant_type").map(String::as_str) {
        Some("authorization_code") => {
            let Some(pending) = form.get("code").and_then(|c| s.codes.remove(c)) else {
                return Reply::oauth_error(400, "invalid_grant", "unknown or used authorization code");
            };
            if form.get("redirect_uri") != Some(&pending.redirect_uri) {
                return Reply::oauth_error(400, "invalid_grant", "redirect_uri does not match");
            }
            let verifier = form.get("code_verifier").cloned().unwrap_or_default();
            let well_formed = (43..=128).contains(&verifier.len())
                && verifier.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
            if !well_formed {
                return Reply::oauth_error(400, "invalid_grant", "malformed code_verifier");
            }
            if verifier == pending.state {
                return Reply::oauth_error(400, "invalid_grant", "the code_verifier was sent as state");
            }
            if URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != pending.challenge {
                return Reply::oauth_error(400, "invalid_grant", "PKCE verification failed");
            }
            issue_tokens(s, true)
        }
        Some("refresh_token") => {
            let known = form.get("refresh_token").is_some_and(|t| s.refresh_tokens.remove(t));
            if !known {
                return Reply::oauth_error(400, "invalid_grant", "the refresh token is invalid, expired or revoked");
            }
            issue_tokens(s, true)
        }
        Some("client_credentials") => issue_tokens(s, false),
        _ => Reply::oauth_error(400, "unsupported_grant_type", "unsupported grant_type"),
    }
}

fn revoke(s: &mut State, req: &LoggedRequest) -> Reply {
    if !client_authenticated(s, req) {
        return Reply::oauth_error(401, "invalid_client", "client authentication failed");
    }
    let form: HashMap<String, String> =
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(&req.body).unwrap_or_default().into_iter().collect();
    if let Some(token) = form.get("token") {
        s.refresh_tokens.remove(token);
        s.access_tokens.remove(token);
    }
    Reply { status: 200, headers: Vec::new(), body: Vec::new() }
}

fn discovery(s: &State) -> Reply {
    let b = format!("{}{PREFIX}", s.origin);
    Reply::value(
        200,
        &json!({"links": {
            "accounts": format!("{b}/accounts/{{accountId}}"),
            "account": {"transactions": format!("{b}/accounts/{{accountId}}/transactions/{{transactionId}}")},
            "financialInstitutions": format!("{b}/financial-institutions/{{financialInstitutionId}}"),
            "synchronizations": format!("{b}/synchronizations/{{synchronizationId}}"),
            "synchronization": {"updatedTransactions": format!("{b}/synchronizations/{{synchronizationId}}/updated-transactions")},
            "oauth2": {"token": format!("{b}/oauth2/token"), "revoke": format!("{b}/oauth2/revoke")},
            "userinfo": format!("{b}/userinfo"),
        }}),
    )
}

#[derive(Serialize)]
struct Document<D> {
    data: D,
    #[serde(skip_serializing_if = "Option::is_none")]
    links: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<Value>,
}

#[derive(Serialize)]
struct Resource<A> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: String,
    attributes: A,
    relationships: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<Value>,
    links: Value,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AccountAttributes {
    subtype: &'static str,
    reference: String,
    reference_type: &'static str,
    currency: String,
    current_balance: Box<RawValue>,
    available_balance: Box<RawValue>,
    description: String,
    product: &'static str,
    holder_name: Option<String>,
    internal_reference: Option<String>,
    deprecated: bool,
    authorized_at: String,
    authorization_expiration_expected_at: String,
    current_balance_changed_at: String,
    current_balance_reference_date: String,
    available_balance_changed_at: String,
    available_balance_reference_date: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TransactionAttributes {
    amount: Box<RawValue>,
    currency: String,
    execution_date: String,
    value_date: String,
    description: String,
    counterpart_name: Option<String>,
    counterpart_reference: Option<String>,
    remittance_information_type: String,
    remittance_information: Option<String>,
    bank_transaction_code: Option<String>,
    proprietary_bank_transaction_code: Option<String>,
    end_to_end_id: &'static str,
    purpose_code: Option<String>,
    mandate_id: Option<String>,
    creditor_id: Option<String>,
    additional_information: Option<String>,
    digest: String,
    internal_reference: Option<String>,
    fee: Option<Box<RawValue>>,
    card_reference: Option<String>,
    card_reference_type: Option<String>,
    created_at: String,
    updated_at: String,
}

fn raw_number(decimal: &str) -> Box<RawValue> {
    // Amounts are checked to be decimal text when created, so this is valid JSON; a bad value
    // still yields a JSON value (null) rather than a panic.
    RawValue::from_string(decimal.to_owned())
        .or_else(|_| RawValue::from_string("null".to_owned()))
        .unwrap_or_else(|_| RawValue::NULL.to_owned())
}

fn render<T: Serialize>(status: u16, document: &T) -> Reply {
    match serde_json::to_string(document) {
        Ok(text) => Reply::json(status, text),
        Err(e) => Reply::error(500, "internalServerError", &e.to_string()),
    }
}

fn account_resource(s: &State, a: &FakeAccount) -> Resource<AccountAttributes> {
    let b = format!("{}{PREFIX}", s.origin);
    Resource {
        kind: "account",
        id: a.id.clone(),
        attributes: AccountAttributes {
            subtype: "checking",
            reference: a.iban.clone(),
            reference_type: "IBAN",
            currency: a.currency.clone(),
            current_balance: raw_number(&a.current_balance),
            available_balance: raw_number(&a.available_balance),
            description: a.description.clone(),
            product: "Business account",
            holder_name: a.holder_name.clone(),
            internal_reference: None,
            deprecated: false,
            authorized_at: timestamp(s.config.newest_date - time::Duration::days(81), "09:00:00.000"),
            authorization_expiration_expected_at: a.authorization_expires_at.clone(),
            current_balance_changed_at: a.synchronized_at.clone(),
            current_balance_reference_date: a.synchronized_at.clone(),
            available_balance_changed_at: a.synchronized_at.clone(),
            available_balance_reference_date: a.synchronized_at.clone(),
        },
        relationships: json!({
            "financialInstitution": {"data": {"type": "financialInstitution", "id": a.financial_institution_id},
                "links": {"related": format!("{b}/financial-institutions/{}", a.financial_institution_id)}},
            "transactions": {"links": {"related": format!("{b}/accounts/{}/transactions", a.id), "meta": {"type": "transaction"}}},
        }),
        meta: Some(json!({"availability": "available", "synchronizedAt": a.synchronized_at,
            "latestSynchronization": {"type": "synchronization", "id": "00000000-0000-4000-8000-000000000000",
                "attributes": {"resourceType": "account", "resourceId": a.id, "subtype": "accountDetails",
                    "status": "success", "errors": [], "customerOnline": false,
                    "createdAt": a.synchronized_at, "updatedAt": a.synchronized_at}}})),
        links: json!({"self": format!("{b}/accounts/{}", a.id)}),
    }
}

fn transaction_resource(s: &State, t: &FakeTransaction) -> Resource<TransactionAttributes> {
    let b = format!("{}{PREFIX}", s.origin);
    let digest = hex(&Sha256::digest(format!("{}|{}|{}", t.account_id, t.amount, t.execution_date)));
    Resource {
        kind: "transaction",
        id: t.id.clone(),
        attributes: TransactionAttributes {
            amount: raw_number(&t.amount),
            currency: t.currency.clone(),
            execution_date: format!("{}T00:00:00.000Z", t.execution_date),
            value_date: format!("{}T00:00:00.000Z", t.value_date),
            description: t.description.clone(),
            counterpart_name: t.counterpart_name.clone(),
            counterpart_reference: t.counterpart_reference.clone(),
            remittance_information_type: t.remittance_information_type.clone(),
            remittance_information: t.remittance_information.clone(),
            bank_transaction_code: t.bank_transaction_code.clone(),
            proprietary_bank_transaction_code: None,
            end_to_end_id: "NOTPROVIDED",
            purpose_code: None,
            mandate_id: None,
            creditor_id: None,
            additional_information: None,
            digest,
            internal_reference: None,
            fee: None,
            card_reference: None,
            card_reference_type: None,
            created_at: format!("{}T08:01:02.123Z", t.execution_date),
            updated_at: format!("{}T08:01:02.123Z", t.execution_date),
        },
        relationships: json!({"account": {"data": {"type": "account", "id": t.account_id},
            "links": {"related": format!("{b}/accounts/{}", t.account_id)}}}),
        meta: None,
        links: json!({"self": format!("{b}/accounts/{}/transactions/{}", t.account_id, t.id)}),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The paging parameters of a list request.
struct Paging {
    limit: usize,
    after: Option<String>,
    before: Option<String>,
}

fn paging(query: &str) -> Result<Paging, Reply> {
    let mut paging = Paging { limit: 10, after: None, before: None };
    for (key, value) in query_params(query) {
        // `serde_urlencoded` decodes `page%5Blimit%5D` to `page[limit]`; the unbracketed
        // `limit`/`after`/`before` of older clients are accepted too.
        match key.as_str() {
            "page[limit]" | "limit" => match value.parse::<usize>() {
                Ok(n) if (1..=100).contains(&n) => paging.limit = n,
                _ => return Err(Reply::error(400, "invalidParameter", "page[limit] must be between 1 and 100")),
            },
            "page[after]" | "after" => paging.after = Some(value),
            "page[before]" | "before" => paging.before = Some(value),
            _ => {}
        }
    }
    Ok(paging)
}

/// Cuts one page out of `ids` and returns its range and the links and meta of the page.
fn page_of(ids: &[String], paging: &Paging, self_url: &str) -> Result<(std::ops::Range<usize>, Value, Value), Reply> {
    let position = |id: &str| {
        ids.iter().position(|i| i == id).ok_or_else(|| Reply::error(400, "invalidCursor", "unknown page cursor"))
    };
    let range = match (&paging.after, &paging.before) {
        (Some(after), _) => {
            let start = position(after)? + 1;
            start..(start + paging.limit).min(ids.len())
        }
        (None, Some(before)) => {
            let end = position(before)?;
            end.saturating_sub(paging.limit)..end
        }
        (None, None) => 0..paging.limit.min(ids.len()),
    };
    let limit = paging.limit;
    let mut links = json!({"first": format!("{self_url}?page[limit]={limit}")});
    let last = range.end.checked_sub(1).and_then(|i| ids.get(i));
    let first = ids.get(range.start).filter(|_| !range.is_empty());
    if range.end < ids.len() {
        if let Some(last) = last {
            links["next"] = Value::String(format!("{self_url}?page[after]={last}&page[limit]={limit}"));
        }
    }
    if range.start > 0 {
        if let Some(first) = first {
            links["prev"] = Value::String(format!("{self_url}?page[before]={first}&page[limit]={limit}"));
        }
    }
    let meta = json!({"paging": {"limit": limit, "before": first, "after": last}});
    Ok((range, links, meta))
}

fn list_accounts(s: &State, query: &str) -> Reply {
    let paging = match paging(query) {
        Ok(p) => p,
        Err(reply) => return reply,
    };
    let ids: Vec<String> = s.accounts.iter().map(|a| a.id.clone()).collect();
    let url = format!("{}{PREFIX}/accounts", s.origin);
    match page_of(&ids, &paging, &url) {
        Ok((range, links, meta)) => {
            let data: Vec<_> = s.accounts[range].iter().map(|a| account_resource(s, a)).collect();
            render(200, &Document { data, links: Some(links), meta: Some(meta) })
        }
        Err(reply) => reply,
    }
}

fn render_transactions(s: &State, list: &[FakeTransaction], query: &str, url: &str, extra_meta: Value) -> Reply {
    let paging = match paging(query) {
        Ok(p) => p,
        Err(reply) => return reply,
    };
    let ids: Vec<String> = list.iter().map(|t| t.id.clone()).collect();
    match page_of(&ids, &paging, url) {
        Ok((range, links, mut meta)) => {
            if let (Some(meta), Some(extra)) = (meta.as_object_mut(), extra_meta.as_object()) {
                meta.extend(extra.clone());
            }
            let data: Vec<_> = list[range].iter().map(|t| transaction_resource(s, t)).collect();
            render(200, &Document { data, links: Some(links), meta: Some(meta) })
        }
        Err(reply) => reply,
    }
}

fn list_transactions(s: &State, account_id: &str, query: &str) -> Reply {
    let Some(account) = s.accounts.iter().find(|a| a.id == account_id) else {
        return Reply::error(404, "resourceNotFound", "account not found");
    };
    let list = s.transactions.get(account_id).cloned().unwrap_or_default();
    let url = format!("{}{PREFIX}/accounts/{account_id}/transactions", s.origin);
    render_transactions(s, &list, query, &url, json!({"synchronizedAt": account.synchronized_at}))
}

fn sync_resource(s: &State, sync: &FakeSync) -> Value {
    let b = format!("{}{PREFIX}", s.origin);
    let created = timestamp(s.config.newest_date.next_day().unwrap_or(s.config.newest_date), "08:00:00.000");
    let errors: Vec<Value> = sync.errors.iter().map(|(code, detail)| json!({"code": code, "detail": detail})).collect();
    json!({"data": {"type": "synchronization", "id": sync.id,
        "attributes": {"resourceType": "account", "resourceId": sync.account_id, "subtype": sync.subtype,
            "status": sync.status, "errors": errors, "customerOnline": false,
            "createdAt": created, "updatedAt": created},
        "relationships": {"updatedTransactions": {"links": {"related": format!("{b}/synchronizations/{}/updated-transactions", sync.id)}}},
        "links": {"self": format!("{b}/synchronizations/{}", sync.id)}}})
}

fn create_sync(s: &mut State, body: &[u8]) -> Reply {
    let Ok(doc) = serde_json::from_slice::<Value>(body) else {
        return Reply::error(400, "invalidRequest", "the body is not JSON");
    };
    let attributes = &doc["data"]["attributes"];
    if doc["data"]["type"] != "synchronization" || attributes["resourceType"] != "account" {
        return Reply::error(400, "invalidRequest", "data.type must be synchronization on an account");
    }
    let Some(account_id) = attributes["resourceId"].as_str().map(str::to_owned) else {
        return Reply::error(400, "invalidRequest", "resourceId is required");
    };
    let subtype = attributes["subtype"].as_str().unwrap_or_default().to_owned();
    if !matches!(subtype.as_str(), "accountDetails" | "accountTransactions" | "accountTransactionsWithUnsettled") {
        return Reply::error(400, "invalidRequest", "unknown subtype");
    }
    if !s.accounts.iter().any(|a| a.id == account_id) {
        return Reply::error(404, "resourceNotFound", "account not found");
    }
    let sync = FakeSync {
        id: s.rng.uuid(),
        account_id,
        subtype,
        reads: 0,
        status: "pending",
        errors: Vec::new(),
        updated: Vec::new(),
    };
    let reply = Reply::value(201, &sync_resource(s, &sync));
    s.syncs.push(sync);
    reply
}

fn read_sync(s: &mut State, id: &str) -> Reply {
    let Some(index) = s.syncs.iter().position(|x| x.id == id) else {
        return Reply::error(404, "resourceNotFound", "synchronization not found");
    };
    let (reads_needed, fail_with) = (s.config.sync_reads_until_done, s.fail_syncs_with.clone());
    let finishing = {
        let sync = &mut s.syncs[index];
        if sync.status == "pending" || sync.status == "running" {
            sync.reads += 1;
            if sync.reads >= reads_needed { Some(sync.account_id.clone()) } else { None }
        } else {
            None
        }
    };
    if s.syncs[index].status == "pending" && finishing.is_none() {
        s.syncs[index].status = "running";
    }
    if let Some(account_id) = finishing {
        if let Some(code) = fail_with {
            let sync = &mut s.syncs[index];
            sync.status = "error";
            sync.errors = vec![(
                code,
                "The authorization is invalid, you should ask the customer to reauthorize the account".into(),
            )];
        } else {
            let mut updated = Vec::new();
            if s.syncs[index].subtype != "accountDetails" {
                for _ in 0..s.config.new_transactions_per_sync {
                    let booked = s.config.newest_date.next_day().unwrap_or(s.config.newest_date).to_string();
                    let t = new_transaction(&mut s.rng, &account_id, &booked, s.generated);
                    s.generated += 1;
                    updated.push(t.id.clone());
                    s.transactions.entry(account_id.clone()).or_default().insert(0, t);
                }
            }
            let sync = &mut s.syncs[index];
            sync.status = "success";
            sync.updated = updated;
        }
    }
    Reply::value(200, &sync_resource(s, &s.syncs[index]))
}

fn updated_transactions(s: &State, id: &str, query: &str) -> Reply {
    let Some(sync) = s.syncs.iter().find(|x| x.id == id) else {
        return Reply::error(404, "resourceNotFound", "synchronization not found");
    };
    let all = s.transactions.get(&sync.account_id).cloned().unwrap_or_default();
    let list: Vec<FakeTransaction> = all.into_iter().filter(|t| sync.updated.contains(&t.id)).collect();
    let url = format!("{}{PREFIX}/synchronizations/{id}/updated-transactions", s.origin);
    render_transactions(s, &list, query, &url, json!({}))
}

/// Whether text is a plain decimal number (`-0.10`, `1234.56`, `7`).
fn is_decimal(text: &str) -> bool {
    let body = text.strip_prefix('-').unwrap_or(text);
    let mut parts = body.splitn(2, '.');
    let int = parts.next().unwrap_or_default();
    let frac = parts.next();
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

const HOLDERS: &[&str] = &["Billify BV", "Bloc Group BV", "Atelier Verbeke", "De Smet & Zonen NV"];
const COUNTERPARTS: &[&str] =
    &["Acme NV", "Brouwerij Het Anker", "Proximus NV", "Luminus", "Colruyt Group", "Studio Peeters", "Q8 Belgium"];
const BANKS: &[&str] = &["Super Sandbox Bank", "Fake KBC", "Fake Belfius"];

/// A valid Belgian IBAN from ten random digits (bank code and account number).
fn belgian_iban(rng: &mut SplitMix64) -> String {
    let base = rng.below(10_000_000_000);
    let check = match base % 97 {
        0 => 97,
        r => r,
    };
    let bban = format!("{base:010}{check:02}");
    // ISO 13616: check digits = 98 - (BBAN + "BE00" as digits) mod 97; B = 11, E = 14.
    let numeric = format!("{bban}111400");
    let remainder = numeric.bytes().fold(0u32, |acc, b| (acc * 10 + u32::from(b - b'0')) % 97);
    format!("BE{:02}{bban}", 98 - remainder)
}

/// A valid OGM in the `+++DDD/DDDD/DDDCC+++` notation.
fn ogm(rng: &mut SplitMix64) -> String {
    let payload = rng.below(10_000_000_000);
    let check = match payload % 97 {
        0 => 97,
        r => r,
    };
    let d = format!("{payload:010}{check:02}");
    format!("+++{}/{}/{}+++", &d[..3], &d[3..7], &d[7..])
}

fn cents_text(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

fn new_transaction(rng: &mut SplitMix64, account_id: &str, date: &str, n: u64) -> FakeTransaction {
    let cents = (rng.below(400_000) as i64 + 1) * if rng.below(3) == 0 { 1 } else { -1 };
    let structured = rng.below(2) == 0;
    FakeTransaction {
        id: rng.uuid(),
        account_id: account_id.to_owned(),
        amount: cents_text(cents),
        currency: "EUR".into(),
        counterpart_name: Some(rng.pick(COUNTERPARTS).to_owned()),
        counterpart_reference: Some(belgian_iban(rng)),
        remittance_information: Some(if structured { ogm(rng) } else { format!("Factuur 2024-{:04}", n % 10_000) }),
        remittance_information_type: if structured { "structured" } else { "unstructured" }.into(),
        description: if cents > 0 { "Overschrijving" } else { "Europese overschrijving" }.into(),
        execution_date: date.to_owned(),
        value_date: date.to_owned(),
        bank_transaction_code: Some(if cents > 0 { "PMNT-RCDT-ESCT" } else { "PMNT-ICDT-ESCT" }.into()),
    }
}

type Generated = (Vec<(String, String)>, Vec<FakeAccount>, HashMap<String, Vec<FakeTransaction>>);

fn generate(rng: &mut SplitMix64, config: &FakePontoConfig) -> Generated {
    let institutions: Vec<(String, String)> = BANKS.iter().map(|name| (rng.uuid(), (*name).to_owned())).collect();
    let mut accounts = Vec::new();
    let mut transactions = HashMap::new();
    let newest = config.newest_date;
    for a in 0..config.accounts {
        let id = rng.uuid();
        let mut list = Vec::new();
        let mut balance: i64 = 0;
        for t in 0..config.transactions_per_account {
            let date = newest.checked_sub(time::Duration::days((t / 2) as i64)).unwrap_or(newest);
            let mut tx = new_transaction(rng, &id, &date.to_string(), (a * 1000 + t) as u64);
            // Fixed amounts that a float would not carry exactly, first in the first account.
            if a == 0 && t == 0 {
                tx.amount = "1234.56".into();
            } else if a == 0 && t == 1 {
                tx.amount = "-0.10".into();
            }
            balance += parse_cents(&tx.amount);
            list.push(tx);
        }
        let institution = institutions.get(a % institutions.len()).map(|(i, _)| i.clone()).unwrap_or_default();
        accounts.push(FakeAccount {
            id: id.clone(),
            iban: belgian_iban(rng),
            currency: "EUR".into(),
            current_balance: cents_text(balance + 1_000_000),
            available_balance: cents_text(balance + 1_000_000),
            holder_name: Some(HOLDERS[a % HOLDERS.len()].to_owned()),
            description: format!("Zichtrekening {}", a + 1),
            financial_institution_id: institution,
            authorization_expires_at: timestamp(newest + time::Duration::days(90), "09:00:00.000"),
            synchronized_at: timestamp(newest, "06:00:01.000"),
        });
        transactions.insert(id, list);
    }
    (institutions, accounts, transactions)
}

/// A UTC timestamp as Ponto writes it, e.g. `2024-03-31T06:00:01.000Z`.
fn timestamp(day: time::Date, time_of_day: &str) -> String {
    format!("{day}T{time_of_day}Z")
}

fn parse_cents(text: &str) -> i64 {
    let negative = text.starts_with('-');
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let value = digits.parse::<i64>().unwrap_or(0);
    if negative { -value } else { value }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_data_is_deterministic_and_valid() {
        let config = FakePontoConfig::default();
        let (_, a1, t1) = generate(&mut SplitMix64::new(1), &config);
        let (_, a2, t2) = generate(&mut SplitMix64::new(1), &config);
        assert_eq!(a1, a2);
        assert_eq!(t1, t2);
        assert_eq!(a1.len(), 3);
        assert!(t1.values().all(|l| l.len() == 25));
        assert!(a1.iter().all(|a| a.iban.len() == 16 && a.iban.starts_with("BE")));
        assert!(t1.values().flatten().all(|t| is_decimal(&t.amount)));
        assert_eq!(t1[&a1[0].id][0].amount, "1234.56");
    }

    #[test]
    fn decimal_text_is_recognised() {
        for ok in ["0", "-0.10", "1234.56", "12345678901234.56"] {
            assert!(is_decimal(ok), "{ok}");
        }
        for bad in ["", "-", "1.", ".5", "1e5", "1,5", "NaN"] {
            assert!(!is_decimal(bad), "{bad}");
        }
    }
}
