//! The HTTP server: its state, the routing of every request, injected faults and the checks
//! of signed requests.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Instant;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;
use sha2::{Digest as _, Sha512};

use super::data::{generate, is_decimal};
use super::oauth::{authenticate, consent, discovery, revoke, token};
use super::resources::{
    Document, account_resource, create_sync, list_accounts, list_transactions, read_sync, render, updated_transactions,
};
use super::state::{ArmedFault, PREFIX, Reply, State};
use super::{ConsentRedirect, FakeAccount, FakePontoConfig, FakeTransaction, Fault, FaultKind, LoggedRequest};
use crate::rng::SplitMix64;
use crate::tls::TlsFront;

/// A running fake Ponto Connect server on `127.0.0.1`; it stops when dropped.
pub struct FakePonto {
    origin: String,
    state: Arc<Mutex<State>>,
    server: actix_web::dev::ServerHandle,
    thread: Option<JoinHandle<()>>,
    tls_front: Option<TlsFront>,
}

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
    if s.config.require_signature
        && !rest.starts_with("/oauth2/")
        && let Err(e) = check_signature_headers(req)
    {
        return Reply::error(400, "invalidSignature", &e);
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
