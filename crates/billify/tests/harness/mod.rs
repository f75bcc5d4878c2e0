//! The test harness shared by the full-stack API test files: the server's own wiring over a real
//! SQLite database and document store in a temporary directory, a settable clock, and helpers to
//! call the app.

#![allow(dead_code, reason = "each test file uses a different part of the harness")]

pub mod api;

use std::sync::{Arc, Mutex};

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::{test, web};
use billify::wiring::{Adapters, ServiceSettings, wire};
use billify_app::{DocumentReader, SyncSettings};
use billify_crypto::{Argon2Config, Argon2Hasher, KeyRing, SecretKey};
use billify_einvoice::EinvoiceExtractor;
use billify_files::LocalDocumentStore;
use billify_pdf::{Limits, OcrSetting, PdfExtractor};
use billify_ports::Clock;
use billify_store_sqlite::SqliteStore;
use billify_web::{AppState, AuthRateLimiter, RateLimit, WebSecurity};
use serde_json::{Value, json};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

/// The password every test user has.
pub const PASSWORD: &str = "correct horse battery";

pub const SAMPLE_PDF: &[u8] = include_bytes!("../../../billify-pdf/tests/fixtures/sample.pdf");
pub const UBL_INVOICE: &[u8] = include_bytes!("../../../billify-einvoice/tests/fixtures/ubl-invoice.xml");
pub const FACTURX_PDF: &[u8] = include_bytes!("../../../billify-einvoice/tests/fixtures/facturx-invoice.pdf");
pub const CAMT: &[u8] = include_bytes!("../../../billify-bankfiles/tests/fixtures/camt053-v02.xml");

/// A clock the test moves.
pub struct TestClock(pub Mutex<OffsetDateTime>);

impl Clock for TestClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().unwrap()
    }
}

impl TestClock {
    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

/// The wired services over a fresh database.
pub struct Harness {
    pub dir: tempfile::TempDir,
    pub state: web::Data<AppState>,
    pub clock: Arc<TestClock>,
    pub store: Arc<SqliteStore>,
}

pub fn harness() -> Harness {
    // Tests log in many times from one (absent) address.
    harness_with(WebSecurity::new(false, AuthRateLimiter::new(RateLimit { per_minute: 100_000, burst: 100_000 }, None)))
}

/// The wired services with the cookie settings and rate limit given: the server's own wiring
/// ([`billify::wiring::wire`]) over a fresh SQLite database, with a test clock and a cheap hasher.
pub fn harness_with(security: WebSecurity) -> Harness {
    harness_full(security, Extras::default())
}

/// What a test swaps in for the server's own adapters and settings.
#[derive(Default)]
pub struct Extras {
    /// The forecast's stand-in for the low-balance alert (none: the real forecast).
    pub outlook: Option<Arc<dyn billify_app::BalanceOutlook>>,
    /// An email sender (none: email is off).
    pub email: Option<Arc<dyn billify_ports::EmailSender>>,
    /// How event streams behave (e.g. quick heartbeats).
    pub streams: billify_web::StreamSettings,
    /// An accounting provider (the Yuki adapter against a fake).
    pub accounting: Option<Arc<dyn billify_ports::AccountingProvider>>,
    /// How long a session may stay unused (none: the default).
    pub session_idle: Option<Duration>,
    /// How scans are read: off by default; [`OcrSetting::detect`] is what the server does.
    pub ocr: OcrSetting,
}

/// The default harness with sessions ending after `session_idle` unused.
pub fn harness_with_idle(session_idle: Duration) -> Harness {
    harness_full(
        WebSecurity::new(false, AuthRateLimiter::new(RateLimit { per_minute: 100_000, burst: 100_000 }, None)),
        Extras { session_idle: Some(session_idle), ..Extras::default() },
    )
}

/// The default harness with OCR set up as the server does ([`OcrSetting::detect`]: on when
/// Tesseract and pdftoppm are installed, else scans get a draft that says OCR is unavailable).
pub fn harness_with_ocr() -> Harness {
    harness_full(
        WebSecurity::new(false, AuthRateLimiter::new(RateLimit { per_minute: 100_000, burst: 100_000 }, None)),
        Extras { ocr: OcrSetting::detect(), ..Extras::default() },
    )
}

/// [`harness_with`], with event streams that behave as `streams` says (e.g. quick heartbeats).
pub fn harness_with_streams(security: WebSecurity, streams: billify_web::StreamSettings) -> Harness {
    harness_full(security, Extras { streams, ..Extras::default() })
}

/// [`harness_with`], with an accounting provider (the Yuki adapter against a fake).
pub fn harness_with_accounting(
    security: WebSecurity,
    accounting: Option<Arc<dyn billify_ports::AccountingProvider>>,
) -> Harness {
    harness_full(security, Extras { accounting, ..Extras::default() })
}

/// The wired services with a balance outlook (the forecast's stand-in) and an email sender.
pub fn harness_with_alerts(
    outlook: Option<Arc<dyn billify_app::BalanceOutlook>>,
    email: Option<Arc<dyn billify_ports::EmailSender>>,
) -> Harness {
    harness_full(
        WebSecurity::new(false, AuthRateLimiter::new(RateLimit { per_minute: 100_000, burst: 100_000 }, None)),
        Extras { outlook, email, ..Extras::default() },
    )
}

fn harness_full(security: WebSecurity, extras: Extras) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&format!("sqlite://{}", dir.path().join("t.db").display()), 4).unwrap();
    store.run_migrations().unwrap();
    let store = Arc::new(store);
    let clock = Arc::new(TestClock(Mutex::new(datetime!(2026-03-02 09:00 UTC))));
    let services = services_on_with(store.clone(), clock.clone(), dir.path(), extras);
    let state = web::Data::new(services.app_state(security));
    Harness { dir, state, clock, store }
}

/// The server's own wiring ([`billify::wiring::wire`]) over `store`, with a test clock, a cheap
/// hasher, a fixed secret key, documents under `dir`, the real webhook client and these
/// stand-ins for the forecast and the mailer.
pub fn services_on(
    store: Arc<dyn billify::wiring::Store>,
    clock: Arc<TestClock>,
    dir: &std::path::Path,
    outlook: Option<Arc<dyn billify_app::BalanceOutlook>>,
    email: Option<Arc<dyn billify_ports::EmailSender>>,
) -> billify::wiring::Services {
    services_on_with(store, clock, dir, Extras { outlook, email, ..Extras::default() })
}

/// [`services_on`] with everything a test may swap in.
pub fn services_on_with(
    store: Arc<dyn billify::wiring::Store>,
    clock: Arc<TestClock>,
    dir: &std::path::Path,
    extras: Extras,
) -> billify::wiring::Services {
    let Extras { outlook, email, streams, accounting, session_idle, ocr } = extras;
    let session_idle = session_idle.unwrap_or(billify_app::accounts::DEFAULT_IDLE_TIMEOUT);
    let hasher = Arc::new(Argon2Hasher::new(Argon2Config { memory_kib: 64, iterations: 1, parallelism: 1 }).unwrap());
    let reader = DocumentReader::new(
        Arc::new(EinvoiceExtractor::new()),
        Arc::new(PdfExtractor::new(Limits::default()).with_ocr(ocr)),
        1024 * 1024,
        2,
    );
    let key = SecretKey::parse("test:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=").unwrap();
    wire(
        Adapters {
            store,
            clock,
            hasher,
            cipher: Arc::new(KeyRing::new(key, []).unwrap()),
            documents: Arc::new(LocalDocumentStore::open(dir.join("documents")).unwrap()),
            reader: Arc::new(reader),
            statements: Arc::new(billify_bankfiles::StatementFiles),
            provider: None,
            webhooks: Arc::new(billify_notify::WebhookClient::new(billify_notify::WebhookSettings {
                timeout: std::time::Duration::from_secs(5),
            })),
            email,
            outlook,
            accounting,
            random: Arc::new(billify_crypto::ThreadRandomness),
        },
        ServiceSettings {
            session_lifetime: Duration::days(30),
            session_idle,
            draft_lifetime: Duration::hours(24),
            sync: SyncSettings::default(),
            accounting: billify_app::AccountingSyncSettings::default(),
            cashflow: billify_app::CashflowSettings::default(),
            alerts: billify_app::AlertConfig::default(),
            streams,
            event_retention: billify_app::events::DEFAULT_RETENTION,
        },
    )
}

/// The app under test, configured exactly as the server does.
#[macro_export]
macro_rules! app {
    ($h:expr) => {
        actix_web::test::init_service(
            actix_web::App::new()
                .wrap(actix_web::middleware::from_fn(billify_web::observe::middleware))
                .configure(billify_web::configure($h.state.clone())),
        )
        .await
    };
}

/// A response: status, headers, the body as JSON (`Null` when empty or not JSON) and as text.
pub struct Reply {
    pub status: StatusCode,
    pub headers: actix_web::http::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

/// A request body.
pub enum Body {
    None,
    Json(Value),
    /// A multipart upload of one file in the part `file`.
    File(&'static [u8]),
}

/// Sends a request, optionally with a session and an organisation header.
pub async fn send<S, B>(
    app: &S,
    method: &str,
    path: &str,
    token: Option<&str>,
    organisation: Option<&str>,
    body: Body,
) -> Reply
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let mut req = test::TestRequest::default().method(method.parse().unwrap()).uri(path);
    if let Some(token) = token {
        req = req.insert_header(("Authorization", format!("Bearer {token}")));
    }
    if let Some(organisation) = organisation {
        req = req.insert_header(("X-Billify-Organisation", organisation.to_owned()));
    }
    match body {
        Body::None => {}
        Body::Json(body) => req = req.set_json(body),
        Body::File(bytes) => {
            let boundary = "billify-test-boundary-7MA4YWxkTrZu0gW";
            let mut payload = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"file\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .into_bytes();
            payload.extend_from_slice(bytes);
            payload.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
            req = req
                .insert_header(("content-type", format!("multipart/form-data; boundary={boundary}")))
                .set_payload(payload);
        }
    }
    let resp = test::call_service(app, req.to_request()).await;
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = test::read_body(resp).await;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply { status, headers, body, text }
}

/// Sends JSON (or nothing) with an optional session.
pub async fn call<S, B>(app: &S, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> Reply
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    send(app, method, path, token, None, body.map_or(Body::None, Body::Json)).await
}

/// Registers an organisation; returns its id.
pub async fn register<S, B>(app: &S, email: &str) -> String
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let r = call(
        app,
        "POST",
        "/api/v1/auth/register",
        None,
        Some(
            json!({"organisation_name": format!("Org {email}"), "name": "Anna", "email": email, "password": PASSWORD}),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["organisation"]["id"].as_str().unwrap().to_owned()
}

/// Logs a user in (to the first organisation, or the one given); returns the token.
pub async fn login<S, B>(app: &S, email: &str, organisation: Option<&str>) -> String
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let mut body = json!({"email": email, "password": PASSWORD});
    if let Some(o) = organisation {
        body["organisation_id"] = json!(o);
    }
    let r = call(app, "POST", "/api/v1/auth/login", None, Some(body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["token"].as_str().unwrap().to_owned()
}

/// Registers an organisation and logs its owner in; returns (organisation id, token).
pub async fn owner<S, B>(app: &S, email: &str) -> (String, String)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let organisation = register(app, email).await;
    (organisation, login(app, email, None).await)
}

/// Invites `email` with `role` as the holder of `token`; returns the invitation (with its token).
pub async fn invite<S, B>(app: &S, token: &str, email: &str, role: &str) -> Value
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let r =
        call(app, "POST", "/api/v1/organisation/invitations", Some(token), Some(json!({"email": email, "role": role})))
            .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body
}

/// Invites a new user with `role` and has them accept by creating their account; returns the
/// new member's (user id, token), logged in to the organisation.
pub async fn member<S, B>(app: &S, owner_token: &str, organisation: &str, email: &str, role: &str) -> (String, String)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let invitation = invite(app, owner_token, email, role).await;
    let r = call(
        app,
        "POST",
        "/api/v1/invitations/accept",
        None,
        Some(json!({"token": invitation["token"], "name": "Member", "password": PASSWORD})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["role"], role);
    (r.body["user"]["id"].as_str().unwrap().to_owned(), login(app, email, Some(organisation)).await)
}

/// An invoice to create, numbered `number`.
pub fn invoice(number: &str) -> Value {
    json!({
        "direction": "payable",
        "invoice_number": number,
        "counterparty": {"name": "Secret Supplier NV", "vat_number": "BE0662970353"},
        "issue_date": "2026-03-01",
        "due_date": "2026-03-10",
        "total": "382.06"
    })
}

/// Asserts a problem document of the status and type.
pub fn assert_problem(r: &Reply, status: StatusCode, kind: &str) {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(r.headers.get("content-type").unwrap(), "application/problem+json");
    assert_eq!(r.body["type"], format!("/problems/{kind}"), "{}", r.text);
}

/// Logs a user in with a password; returns the token.
pub async fn login_with<S, B>(app: &S, email: &str, password: &str) -> String
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let r = call(app, "POST", "/api/v1/auth/login", None, Some(json!({"email": email, "password": password}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["token"].as_str().unwrap().to_owned()
}

/// Asserts that no file of the harness's directory (the database, its WAL) holds `secret`.
pub fn assert_no_file_holds(h: &Harness, secret: &str) {
    for entry in std::fs::read_dir(h.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{} holds the secret",
                path.display()
            );
        }
    }
}
