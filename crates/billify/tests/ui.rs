//! The browser interface (`billify-ui`) in real browsers: Debian's headless Chromium driven through WebDriver
//! (`chromedriver`), and Firefox ESR through `geckodriver`, against the `billify` binary on SQLite. The journeys save screenshots under
//! `target/ui-screenshots/` for people to look at.
//!
//! Needs `chromium`, `chromium-driver` and `firefox-esr` from Debian and `geckodriver` from crates.io
//! (`.ci/run` installs them); without them the tests fail.
//!
//! **Why this file is long:** the journeys and the plain-HTTP checks share one harness (the
//! chromedriver process, browser sessions, screenshots, axe-core, the server guard); split
//! files would each need a copy of it.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed expectation is a failed test")]

mod common;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::Server;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A chromedriver process, killed on drop.
struct Driver {
    child: Child,
    url: String,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn chromedriver() -> Driver {
    let binary = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect("chromedriver is not installed: apt-get install chromium chromium-driver");
    start_driver(binary, "chromedriver")
}

/// A geckodriver process (Firefox), killed on drop.
fn geckodriver() -> Driver {
    let home = std::env::var("HOME").unwrap_or_default();
    let binary =
        [format!("{home}/.cargo/bin/geckodriver"), "/usr/local/bin/geckodriver".into(), "/usr/bin/geckodriver".into()]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
            .expect("geckodriver is not installed: cargo install geckodriver (and apt-get install firefox-esr)");
    start_driver(&binary, "geckodriver")
}

/// Starts a WebDriver server (`binary --port=N`) and waits until it listens.
fn start_driver(binary: &str, name: &str) -> Driver {
    let port = free_port();
    let child = Command::new(binary)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("start {name}: {e}"));
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{name} did not listen");
        std::thread::sleep(Duration::from_millis(50));
    }
    Driver { child, url, _profile: tempfile::tempdir().unwrap() }
}

/// A headless Firefox session asking for pages in `lang`.
async fn firefox(driver: &Driver, lang: &str) -> Client {
    let binary = ["/usr/bin/firefox-esr", "/usr/bin/firefox"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect("Firefox is not installed: apt-get install firefox-esr");
    let mut caps = serde_json::Map::new();
    caps.insert(
        "moz:firefoxOptions".into(),
        json!({
            "binary": binary,
            "args": ["-headless", "-width=1280", "-height=900"],
            "prefs": {"intl.accept_languages": lang, "app.update.enabled": false, "browser.shell.checkDefaultBrowser": false},
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a WebDriver session with Firefox")
}

async fn browser(driver: &Driver, lang: &str) -> Client {
    let profile = driver._profile.path().join(format!("profile-{}", uuid::Uuid::nil().simple()));
    let args = vec![
        "--headless".to_owned(),
        "--no-sandbox".to_owned(),
        "--disable-gpu".to_owned(),
        "--disable-background-networking".to_owned(),
        "--disable-component-update".to_owned(),
        "--no-first-run".to_owned(),
        "--disable-sync".to_owned(),
        "--disable-quic".to_owned(),
        "--disable-dev-shm-usage".to_owned(),
        format!("--lang={lang}"),
        format!("--user-data-dir={}", profile.display()),
        "--window-size=1280,900".to_owned(),
    ];
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({"binary": "/usr/bin/chromium", "args": args, "prefs": {"intl.accept_languages": lang}}),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a WebDriver session")
}

fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/ui-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join(format!("{name}.png")), png).unwrap();
}

async fn text(c: &Client, css: &str) -> String {
    // A live update may replace the element between finding it and reading it: find it again.
    for _ in 0..20 {
        let element = c.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("no {css}: {e}"));
        match element.text().await {
            Ok(t) => return t.replace(['\u{a0}', '\u{202f}'], " "),
            Err(e) if e.is_stale_element_reference() => tokio::time::sleep(Duration::from_millis(50)).await,
            Err(e) => panic!("{css}: {e}"),
        }
    }
    panic!("{css} was replaced twenty times in a row")
}

async fn fill(c: &Client, css: &str, value: &str) {
    let field = c.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("no {css}: {e}"));
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("no {css}: {e}")).click().await.unwrap();
}

async fn exists(c: &Client, css: &str) -> bool {
    c.find(Locator::Css(css)).await.is_ok()
}

async fn count(c: &Client, css: &str) -> usize {
    c.find_all(Locator::Css(css)).await.unwrap().len()
}

/// Waits until the element `css` exists and its text contains `needle`.
async fn wait_for_text(c: &Client, css: &str, needle: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Ok(e) = c.find(Locator::Css(css)).await
            && e.text().await.is_ok_and(|t| t.contains(needle))
        {
            return;
        }
        if Instant::now() > deadline {
            shot(c, "failure").await;
            panic!(
                "{css} never said {needle:?} on {}",
                c.current_url().await.map(|u| u.to_string()).unwrap_or_default()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until no element matches `css` (a form posted and the page came back without it).
async fn wait_gone(c: &Client, css: &str, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while exists(c, css).await {
        if Instant::now() > deadline {
            shot(c, "failure").await;
            panic!("{what}: {css} is still there");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn path(c: &Client) -> String {
    c.current_url().await.unwrap().path().to_owned()
}

async fn wait_for(c: &Client, css: &str) -> fantoccini::elements::Element {
    match c.wait().at_most(Duration::from_secs(15)).for_element(Locator::Css(css)).await {
        Ok(element) => element,
        Err(e) => {
            shot(c, "failure").await;
            let url = c.current_url().await.map(|u| u.to_string()).unwrap_or_default();
            let source = c.source().await.unwrap_or_default();
            let main = source.split("<main").nth(1).unwrap_or(&source);
            panic!("{css} never appeared on {url}: {e}\n{}", &main[..main.len().min(2000)]);
        }
    }
}

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.unwrap()
}

/// axe-core, injected by WebDriver (never served by Billify).
const AXE: &str = include_str!("vendor/axe.min.js");

/// No serious or critical accessibility violation on the page (axe-core's WCAG 2 A and AA rules).
async fn accessible(c: &Client, what: &str) {
    c.execute(&format!("{AXE}\nreturn true;"), vec![]).await.unwrap();
    let found = c
        .execute_async(
            "var done = arguments[arguments.length - 1];
             axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})
               .then(function (r) {
                 done({passed: r.passes.length, problems: r.violations
                   .filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })
                   .map(function (v) { return v.id + ': ' + v.nodes.map(function (n) { return n.target.join(' '); }).join(', '); })});
               }, function (e) { done({passed: 0, problems: ['axe failed: ' + e]}); });",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(found["problems"], json!([]), "accessibility problems on {what}");
    assert!(found["passed"].as_u64().unwrap_or(0) >= 10, "axe checked next to nothing on {what}: {found}");
}

/// Scripts run under the page's CSP: htmx and our own script loaded, nothing refused.
async fn scripts_ran(c: &Client) {
    let ok = js(c, "return typeof htmx !== 'undefined' && document.documentElement.classList.contains('js')").await;
    assert_eq!(ok, json!(true), "htmx or app.js did not run on {}", path(c).await);
}

/// Waits until the dashboard follows its event stream (htmx's SSE extension connected).
async fn wait_for_stream(c: &Client) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while js(c, "var l = document.getElementById('live'); return l ? (l.dataset.live || '') : 'none'").await
        != json!("stream")
    {
        assert!(Instant::now() < deadline, "the dashboard's event stream did not open");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The date `days` from today in the test organisations' time zone (the default,
/// Europe/Brussels), where the server computes "today": in UTC, between 23:00 and midnight, a
/// payable "due today" was due yesterday for the organisation, already overdue.
fn days_from_today(days: i64) -> String {
    let out = Command::new("date")
        .env("TZ", billify_domain::TimeZoneName::DEFAULT)
        .args(["-d", &format!("{days} days"), "+%Y-%m-%d"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// The server, killed when the test ends however it ends.
struct Running(Server);

impl std::ops::Deref for Running {
    type Target = Server;
    fn deref(&self) -> &Server {
        &self.0
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.child.kill();
        let _ = self.0.child.wait();
    }
}

fn server() -> (Running, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&[
        ("BILLIFY_DATABASE_URL", format!("sqlite://{}", dir.path().join("ui.db").display())),
        ("BILLIFY_DOCUMENTS_DIR", dir.path().join("docs").display().to_string()),
        ("BILLIFY_AUTH_RATE_PER_MINUTE", "1000".into()),
        ("BILLIFY_AUTH_RATE_BURST", "1000".into()),
        // Polling only while the event stream is down, and never within a test: what the
        // dashboard shows without a reload came through the stream.
        ("BILLIFY_UI_REFRESH_SECONDS", "3600".into()),
    ]);
    (Running(server), dir)
}

#[tokio::test(flavor = "current_thread")]
async fn journeys_in_chromium() {
    let (server, dir) = server();
    let driver = chromedriver();
    let c = browser(&driver, "en-GB").await;
    let base = server.base.clone();
    // Run the journeys as a task, so a failure still closes the browser before it is reported.
    let client = c.clone();
    let local = tokio::task::LocalSet::new();
    let outcome = local
        .run_until(async move {
            tokio::task::spawn_local(async move {
                run_journeys(&client, &server, &base).await;
                drop((server, dir));
            })
            .await
        })
        .await;
    let _ = c.close().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

async fn run_journeys(c: &Client, server: &Running, base: &str) {
    // Register: a bad email is refused next to its field, with what was typed kept.
    c.goto(&format!("{base}/")).await.unwrap();
    assert_eq!(path(c).await, "/sign-in", "a visitor is sent to sign in");
    scripts_ran(c).await;
    shot(c, "01-sign-in").await;
    accessible(c, "01-sign-in").await;
    click(c, "a[href='/register']").await;
    fill(c, "#f-organisation_name", "Bloc Group BV").await;
    fill(c, "#f-name", "Anna Peeters").await;
    fill(c, "#f-email", "not-an-email").await;
    fill(c, "#f-password", PASSWORD).await;
    click(c, "button[type=submit].primary").await;
    wait_for(c, "#f-email-error").await;
    assert_eq!(
        c.find(Locator::Css("#f-name")).await.unwrap().prop("value").await.unwrap().as_deref(),
        Some("Anna Peeters")
    );
    assert_eq!(
        c.find(Locator::Css("#f-email")).await.unwrap().attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    shot(c, "02-register-error").await;
    accessible(c, "02-register-error").await;
    fill(c, "#f-email", "anna@bloc.be").await;
    fill(c, "#f-password", PASSWORD).await;
    click(c, "button[type=submit].primary").await;
    wait_for(c, "#cash").await;
    assert_eq!(path(c).await, "/");
    let week_before = text(c, "#week .big").await;
    assert_eq!(week_before, "€0.00");
    shot(c, "03-dashboard-empty").await;
    accessible(c, "03-dashboard-empty").await;

    // Sign out and in again.
    click(c, "form[action='/sign-out'] button").await;
    wait_for(c, "#f-email").await;
    assert_eq!(path(c).await, "/sign-in");
    fill(c, "#f-email", "anna@bloc.be").await;
    fill(c, "#f-password", "wrong password!!").await;
    click(c, "button[type=submit].primary").await;
    let error = wait_for(c, ".form-error").await.text().await.unwrap();
    assert!(error.contains("not right"), "{error}");
    assert_eq!(
        c.find(Locator::Css("#f-email")).await.unwrap().prop("value").await.unwrap().as_deref(),
        Some("anna@bloc.be")
    );
    fill(c, "#f-password", PASSWORD).await;
    click(c, "button[type=submit].primary").await;
    wait_for(c, "#cash").await;

    // Upload the sample PDF (scripted: one request per file with its progress), review it.
    click(c, ".mainnav a[href='/upload']").await;
    scripts_ran(c).await;
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../billify-pdf/tests/fixtures/sample.pdf");
    let sample = sample.canonicalize().unwrap();
    c.find(Locator::Css("#f-files")).await.unwrap().send_keys(&sample.display().to_string()).await.unwrap();
    let review = wait_for(c, "#upload-list li.done a").await;
    assert!(text(c, "#upload-list li.done .file").await.contains("sample.pdf"));
    shot(c, "04-upload-done").await;
    accessible(c, "04-upload-done").await;
    review.click().await.unwrap();
    wait_for(c, "#f-due_date").await;
    assert!(path(c).await.starts_with("/drafts/"));
    assert_eq!(
        c.find(Locator::Css("#f-invoice_number")).await.unwrap().prop("value").await.unwrap().as_deref(),
        Some("INV-SO-2023-2812")
    );
    // Lower-confidence fields are marked in words, not only in colour.
    let low = js(c, "return Array.from(document.querySelectorAll('.low-confidence input')).map(e => e.name)").await;
    assert!(low.as_array().is_some_and(|l| l.contains(&json!("payment_reference"))), "{low}");
    shot(c, "05-review").await;
    accessible(c, "05-review").await;
    // Correct a field: the due date, to three days from now.
    let due = days_from_today(3);
    js(c, &format!("document.getElementById('f-due_date').value = '{due}'; return true")).await;
    click(c, "button[value=confirm]").await;
    wait_for(c, ".crumbs").await;
    assert!(path(c).await.starts_with("/invoices/"), "confirming shows the invoice");
    shot(c, "06-invoice").await;
    accessible(c, "06-invoice").await;

    // In the list with the right urgency: red, with an icon and words.
    click(c, ".crumbs a").await;
    let badge = wait_for(c, "#invoice-results .badge").await;
    assert_eq!(badge.attr("data-urgency").await.unwrap().as_deref(), Some("critical"));
    assert!(badge.text().await.unwrap().contains("Due this week"));
    let colour = js(c, "return getComputedStyle(document.querySelector('#invoice-results .badge')).color").await;
    assert_eq!(colour, json!("rgb(185, 28, 28)"), "urgent is red");
    assert!(text(c, "#invoice-results").await.contains("INV-SO-2023-2812"));
    // Search narrows the list without a reload (htmx), and the URL follows.
    fill(c, "#f-q", "nothing-like-this").await;
    wait_for(c, "#invoice-results .empty").await;
    assert!(c.current_url().await.unwrap().query().unwrap_or_default().contains("q=nothing-like-this"));
    fill(c, "#f-q", "2812").await;
    wait_for(c, "#invoice-results table").await;
    shot(c, "07-invoices").await;
    accessible(c, "07-invoices").await;

    // The upload page tells how well documents were read: the due date was corrected.
    c.goto(&format!("{base}/upload")).await.unwrap();
    wait_for(c, "#reading-accuracy table").await;
    let reading = text(c, "#reading-accuracy").await;
    assert!(reading.contains("Confirmed uploads: 1 · confirmed without any change: 0"), "{reading}");
    let due = js(
        c,
        "return Array.from(document.querySelectorAll('#reading-accuracy tbody tr'))
            .filter(r => r.querySelector('th').textContent === 'Due date')
            .map(r => Array.from(r.querySelectorAll('td')).map(d => d.textContent))",
    )
    .await;
    assert_eq!(due, json!([["0", "1", "0", "0", "0.0 %"]]), "kept, corrected, typed in, cleared, share");
    shot(c, "07b-reading-accuracy").await;
    accessible(c, "07b-reading-accuracy").await;

    // The dashboard totals follow, without a reload: a second invoice made through the API
    // (same use case) while the dashboard is open.
    c.goto(&format!("{base}/")).await.unwrap();
    wait_for(c, "#week").await;
    assert_eq!(text(c, "#week .big").await, "€382.06");
    wait_for_stream(c).await;
    js(c, "document.body.dataset.loaded = 'once'; return true").await;
    let (status, body) =
        server.call("POST", "/api/v1/auth/login", None, Some(json!({"email": "anna@bloc.be", "password": PASSWORD})));
    assert_eq!(status, 200, "{body}");
    let token = body["token"].as_str().unwrap().to_owned();
    let (status, body) = server.call(
        "POST",
        "/api/v1/invoices",
        Some(&token),
        Some(json!({"direction": "receivable", "invoice_number": "2026-100", "counterparty": {"name": "CF accountancy BV"},
            "issue_date": days_from_today(-20), "due_date": days_from_today(5), "total": "1234.56"})),
    );
    assert_eq!(status, 201, "{body}");
    let deadline = Instant::now() + Duration::from_secs(15);
    while text(c, "#week .big").await != "€1,616.62" {
        assert!(Instant::now() < deadline, "the week's total did not update: {}", text(c, "#week .big").await);
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(js(c, "return document.body.dataset.loaded").await, json!("once"), "no reload happened");
    assert!(text(c, "#open").await.contains("€1,234.56"));
    let vat = text(c, "#vat").await;
    assert!(vat.contains("VAT due this period") && vat.contains("File and pay by"), "the VAT tile: {vat}");
    shot(c, "08-dashboard").await;

    // Dutch: the interface text and the amounts.
    let select = c.find(Locator::Css("#lang-select")).await.unwrap();
    select.select_by_value("nl").await.unwrap();
    c.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("html[lang=nl]")).await.unwrap();
    assert_eq!(text(c, "#week .big").await, "€ 1.616,62");
    assert!(text(c, "#open").await.contains("€ 1.234,56"));
    assert!(text(c, "h1").await.contains("oogopslag"));
    shot(c, "09-dashboard-nl").await;
    accessible(c, "09-dashboard-nl").await;
    c.goto(&format!("{base}/invoices")).await.unwrap();
    assert!(text(c, "#invoice-results").await.contains("€ 1.234,56"));
    assert!(text(c, "#invoice-results").await.contains("Vervalt deze week"));

    // A phone: 375 px wide, nothing wider than the screen.
    c.set_window_size(375, 812).await.unwrap();
    c.refresh().await.unwrap();
    wait_for(c, "#invoice-results").await;
    let width = js(c, "return document.documentElement.scrollWidth").await;
    assert!(width.as_u64().unwrap() <= 375, "the invoice list is {width}px wide on a phone");
    shot(c, "10-invoices-phone-nl").await;
    c.goto(&format!("{base}/")).await.unwrap();
    wait_for(c, "#week").await;
    let width = js(c, "return document.documentElement.scrollWidth").await;
    assert!(width.as_u64().unwrap() <= 375, "the dashboard is {width}px wide on a phone");
    shot(c, "11-dashboard-phone-nl").await;
    c.set_window_size(1280, 900).await.unwrap();

    // The keyboard: the first Tab lands on the skip link, which is then visible.
    c.goto(&format!("{base}/invoices")).await.unwrap();
    wait_for(c, "#invoice-results").await;
    c.find(Locator::Css("body")).await.unwrap().send_keys("\u{e004}").await.unwrap();
    let focused =
        js(c, "return document.activeElement.className + '|' + getComputedStyle(document.activeElement).outlineStyle")
            .await;
    assert_eq!(focused, json!("skip|solid"), "the skip link takes the first Tab, with a visible outline");
    shot(c, "12-keyboard-focus").await;

    // Settings, in Dutch: set up two-factor authentication (the secret is shown once).
    c.goto(&format!("{base}/settings")).await.unwrap();
    wait_for(c, "#two-factor").await;
    click(c, "form[action='/settings/two-factor/start'] button").await;
    wait_for(c, ".notice.once code.secret").await;
    assert!(text(c, "#two-factor").await.contains("Aanzetten"));
    // The secret is also a QR code to scan, drawn as an inline SVG (the CSP allows no images
    // from elsewhere and no inline script).
    let drawn = js(c, "const s = document.querySelector('.notice.once figure.qr svg'); return s ? s.getBoundingClientRect().width : 0").await;
    assert!(drawn.as_f64().unwrap() >= 150.0, "the QR code is drawn: {drawn}");
    shot(c, "14-settings-nl").await;
    accessible(c, "14-settings-nl").await;

    // Sign out: back to sign in, and the pages are closed.
    click(c, "form[action='/sign-out'] button").await;
    wait_for(c, "#f-email").await;
    c.goto(&format!("{base}/invoices")).await.unwrap();
    assert_eq!(path(c).await, "/sign-in");
    shot(c, "13-signed-out-nl").await;
}

/// A time zone (`Etc/GMT±N`) where it is now around noon, so that an organisation there has had
/// its morning and its daily alerts are due whatever the hour the test runs at.
fn zone_at_noon() -> String {
    let out = Command::new("date").args(["-u", "+%H"]).output().unwrap();
    let hour: i64 = String::from_utf8(out.stdout).unwrap().trim().parse().unwrap();
    match 12 - hour {
        0 => "Etc/GMT".to_owned(),
        // The tz database's Etc zones count the other way: Etc/GMT-5 is UTC+5.
        offset if offset > 0 => format!("Etc/GMT-{offset}"),
        offset => format!("Etc/GMT+{}", -offset),
    }
}

/// Notifications (the inbox, its live unread count, preferences, thresholds), webhooks in the
/// settings (the secret shown once, the delivery log) and the Yuki integration (a refused key,
/// linked, status and budget, flagged items, the needs-a-new-key state), in English and Dutch.
#[tokio::test(flavor = "current_thread")]
async fn notifications_webhooks_and_yuki_in_chromium() {
    let yuki = billify_testkit::FakeYuki::start(billify_testkit::FakeYukiConfig::default()).unwrap();
    // An item of the books without a due date: kept, and flagged.
    let mut odd = yuki.items()[0].clone();
    odd.due_date = None;
    yuki.upsert_item(odd);
    let hooks = billify_testkit::WebhookReceiver::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let server = Running(Server::start(&[
        ("BILLIFY_DATABASE_URL", format!("sqlite://{}", dir.path().join("ui.db").display())),
        ("BILLIFY_DOCUMENTS_DIR", dir.path().join("docs").display().to_string()),
        ("BILLIFY_AUTH_RATE_PER_MINUTE", "1000".into()),
        ("BILLIFY_AUTH_RATE_BURST", "1000".into()),
        ("BILLIFY_UI_REFRESH_SECONDS", "3600".into()),
        ("BILLIFY_YUKI_BASE_URL", yuki.base_url()),
    ]));
    let base = server.base.clone();
    let (status, body) = server.call(
        "POST",
        "/api/v1/auth/register",
        None,
        Some(json!({"organisation_name": "Bloc Group BV", "name": "Anna", "email": "anna@bloc.be", "password": PASSWORD})),
    );
    assert_eq!(status, 201, "{body}");
    let (_, login) =
        server.call("POST", "/api/v1/auth/login", None, Some(json!({"email": "anna@bloc.be", "password": PASSWORD})));
    let token = login["token"].as_str().unwrap().to_owned();
    let (status, body) =
        server.call("PATCH", "/api/v1/organisation", Some(&token), Some(json!({"time_zone": zone_at_noon()})));
    assert_eq!(status, 200, "{body}");
    for invoice in [
        json!({"direction": "payable", "invoice_number": "AF-2026-17", "counterparty": {"name": "Brouwerij De Kroon"},
            "issue_date": days_from_today(-10), "due_date": days_from_today(2), "total": "1234.56"}),
        json!({"direction": "receivable", "invoice_number": "2026-042", "counterparty": {"name": "Atelier Lumière SRL"},
            "issue_date": days_from_today(-40), "due_date": days_from_today(-3), "total": "860.00"}),
    ] {
        let (status, body) = server.call("POST", "/api/v1/invoices", Some(&token), Some(invoice));
        assert_eq!(status, 201, "{body}");
    }
    let driver = chromedriver();
    let c = browser(&driver, "en-GB").await;
    let client = c.clone();
    let local = tokio::task::LocalSet::new();
    let outcome = local
        .run_until(async move {
            tokio::task::spawn_local(async move {
                let c = &client;
                c.goto(&format!("{base}/sign-in")).await.unwrap();
                fill(c, "#f-email", "anna@bloc.be").await;
                fill(c, "#f-password", PASSWORD).await;
                click(c, "button[type=submit].primary").await;
                wait_for(c, "#cash").await;

                // Webhooks, in the settings: a refused address stays next to its field; a good
                // one shows its signing secret once.
                c.goto(&format!("{base}/settings#webhooks")).await.unwrap();
                wait_for(c, "#webhooks").await;
                fill(c, "#f-webhook_url", "ftp://hooks.example.be/billify").await;
                click(c, "#webhooks form[action='/settings/webhooks'] button[type=submit]").await;
                wait_for(c, "#f-webhook_url-error").await;
                assert_eq!(
                    c.find(Locator::Css("#f-webhook_url")).await.unwrap().prop("value").await.unwrap().as_deref(),
                    Some("ftp://hooks.example.be/billify")
                );
                fill(c, "#f-webhook_url", &hooks.url("/billify")).await;
                click(c, "#f-hook-payable_due_soon").await;
                click(c, "#webhooks form[action='/settings/webhooks'] button[type=submit]").await;
                let secret = wait_for(c, "#webhook-secret").await.text().await.unwrap();
                assert!(secret.starts_with("whsec_"), "{secret}");
                assert!(text(c, "#webhooks").await.contains(&hooks.url("/billify")));
                shot(c, "40-settings-webhook-secret-en").await;
                accessible(c, "40-settings-webhook-secret-en").await;
                c.goto(&format!("{base}/settings")).await.unwrap();
                assert!(!text(c, "main").await.contains(&secret), "the secret is shown once");

                // The inbox: empty until the morning's alerts run; then the unread count in the
                // header and the list follow without a reload (the event stream).
                click(c, "#nav-notifications").await;
                wait_for(c, "#inbox").await;
                scripts_ran(c).await;
                assert!(!exists(c, "li.notification").await, "no notification before the alerts run");
                assert_eq!(js(c, "return getComputedStyle(document.getElementById('unread-count')).display").await, json!("none"));
                js(c, "document.body.dataset.loaded = 'once'; return true").await;
                let deadline = Instant::now() + Duration::from_secs(100);
                // Three: the payable due soon, the overdue receivable, and the balance the
                // forecast sees going under zero when the payable leaves before the receivable.
                while text(c, "#unread-count").await.split_whitespace().next() != Some("3") {
                    assert!(Instant::now() < deadline, "no alerts arrived: {}", text(c, "#inbox").await);
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                wait_for_text(c, "#inbox", "AF-2026-17").await;
                assert_eq!(js(c, "return document.body.dataset.loaded").await, json!("once"), "no reload happened");
                wait_for_text(c, "#inbox", "2026-042").await;
                assert_eq!(count(c, "li.notification.unread").await, 3);
                assert!(text(c, "li.notification[data-kind=low_balance]").await.contains("-€374.56"));
                let overdue = text(c, "li.notification[data-kind=receivable_overdue]").await;
                assert!(overdue.contains("2026-042") && overdue.contains("€860.00") && overdue.contains("New"), "{overdue}");
                let colour = js(c, "return getComputedStyle(document.querySelector('li.notification[data-kind=receivable_overdue]')).borderLeftColor").await;
                assert_eq!(colour, json!("rgb(185, 28, 28)"), "overdue is red");
                let colour = js(c, "return getComputedStyle(document.querySelector('li.notification[data-kind=payable_due_soon]')).borderLeftColor").await;
                assert_eq!(colour, json!("rgb(154, 74, 0)"), "due soon is orange");
                shot(c, "41-notifications-en").await;
                accessible(c, "41-notifications-en").await;
                // Mark one read: the count follows.
                click(c, "li.notification[data-kind=payable_due_soon] form button").await;
                wait_for_text(c, "p.notice", "Marked read").await;
                assert_eq!(text(c, "#unread-count").await.split_whitespace().next(), Some("2"));
                assert_eq!(count(c, "li.notification.unread").await, 2);
                // Preferences: no more low-balance alerts in the application.
                click(c, "#pref-low_balance-in_app").await;
                click(c, "#preferences button[type=submit]").await;
                wait_for_text(c, "p.notice", "saved").await;
                let on = js(c, "return document.getElementById('pref-low_balance-in_app').checked").await;
                assert_eq!(on, json!(false));
                let (_, prefs) = server.call("GET", "/api/v1/notifications/preferences", Some(&token), None);
                let item = prefs["items"].as_array().unwrap().iter().find(|p| p["kind"] == "low_balance" && p["channel"] == "in_app").unwrap().clone();
                assert_eq!(item["enabled"], json!(false), "{prefs}");
                // Thresholds: a bad amount stays next to its field; a good one is stored.
                fill(c, "#f-payable_days", "14").await;
                fill(c, "#f-balance_threshold", "a lot").await;
                click(c, "#thresholds button[type=submit]").await;
                wait_for(c, "#f-balance_threshold-error").await;
                assert_eq!(
                    c.find(Locator::Css("#f-balance_threshold")).await.unwrap().prop("value").await.unwrap().as_deref(),
                    Some("a lot")
                );
                fill(c, "#f-balance_threshold", "1,500.00").await;
                click(c, "#thresholds button[type=submit]").await;
                wait_for_text(c, "p.notice", "thresholds are saved").await;
                let (_, settings) = server.call("GET", "/api/v1/notifications/settings", Some(&token), None);
                assert_eq!(settings, json!({"payable_days": 14, "balance_threshold_minor": 150_000}));

                // Dutch.
                c.find(Locator::Css("#lang-select")).await.unwrap().select_by_value("nl").await.unwrap();
                c.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("html[lang=nl]")).await.unwrap();
                assert!(text(c, "h1").await.contains("Meldingen"));
                assert!(text(c, "li.notification[data-kind=receivable_overdue]").await.contains("€ 860,00"));
                assert_eq!(c.find(Locator::Css("#f-balance_threshold")).await.unwrap().prop("value").await.unwrap().as_deref(), Some("1.500,00"));
                shot(c, "42-notifications-nl").await;
                accessible(c, "42-notifications-nl").await;

                // The webhook got the kind it asked for, signed; the settings show its log.
                let deadline = Instant::now() + Duration::from_secs(30);
                while hooks.requests().is_empty() {
                    assert!(Instant::now() < deadline, "the webhook was not called");
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                let sent = hooks.requests();
                assert_eq!(sent.len(), 1, "only the kind it asked for");
                assert_eq!(sent[0].header("x-billify-event"), Some("payable_due_soon"));
                assert!(sent[0].header("x-billify-signature").is_some_and(|v| v.starts_with("v1=")));
                c.goto(&format!("{base}/settings#webhooks")).await.unwrap();
                wait_for(c, "#webhooks details.deliveries").await;
                click(c, "#webhooks details.deliveries summary").await;
                wait_for(c, "#webhooks .badge[data-status=sent]").await;
                assert!(text(c, "#webhooks").await.contains("Afgeleverd"));
                js(c, "document.getElementById('webhooks').scrollIntoView(); return true").await;
                shot(c, "43-settings-webhook-log-nl").await;
                accessible(c, "43-settings-webhook-log-nl").await;
                click(c, "#webhooks article.endpoint form button.danger").await;
                // The form posts and the page comes back: wait for it, not for the old page.
                wait_gone(c, "#webhooks article.endpoint", "the endpoint is deleted").await;

                // Yuki: a refused key stores nothing and says so next to the field.
                click(c, ".mainnav a[href='/integrations']").await;
                wait_for(c, "#yuki-form").await;
                fill(c, "#f-access_key", "not-the-key").await;
                click(c, "#f-region-nl").await;
                click(c, "#yuki-form button[type=submit]").await;
                wait_for(c, "#f-access_key-error").await;
                assert!(text(c, "#f-access_key-error").await.contains("weigert"));
                assert_eq!(js(c, "return document.getElementById('f-region-nl').checked").await, json!(true), "the domain is kept");
                assert_eq!(c.find(Locator::Css("#f-access_key")).await.unwrap().prop("value").await.unwrap().as_deref(), Some(""), "never the key");
                shot(c, "44-integrations-key-refused-nl").await;
                accessible(c, "44-integrations-key-refused-nl").await;
                fill(c, "#f-access_key", &yuki.access_key()).await;
                click(c, "#yuki-form button[type=submit]").await;
                wait_for(c, "#yuki-status").await;
                assert!(text(c, "p.notice").await.contains("gekoppeld"));
                // The first read comes through the sync engine: status, last read, budget.
                let deadline = Instant::now() + Duration::from_secs(40);
                while text(c, "#yuki-last-sync").await.contains("Nog niet") {
                    assert!(Instant::now() < deadline, "Yuki was not read: {}", text(c, "#yuki").await);
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    c.refresh().await.unwrap();
                    wait_for(c, "#yuki-status").await;
                }
                assert_eq!(c.find(Locator::Css("#yuki-status .badge")).await.unwrap().attr("data-status").await.unwrap().as_deref(), Some("connected"));
                assert!(text(c, "#yuki-budget").await.contains("van de 800 oproepen"), "{}", text(c, "#yuki-budget").await);
                assert!(text(c, "#yuki-flagged").await.contains("geen vervaldatum"), "{}", text(c, "#yuki-flagged").await);
                assert!(text(c, "#yuki-runs").await.contains("Klaar") || text(c, "#yuki-runs").await.contains("✓"));
                assert!(text(c, "#ponto").await.contains("nog geen bank"), "{}", text(c, "#ponto").await);
                shot(c, "45-integrations-yuki-nl").await;
                accessible(c, "45-integrations-yuki-nl").await;
                // Yuki no longer accepts the key: after a read, the page asks for a new one in
                // Yuki's words, and takes it.
                yuki.revoke_access_key();
                click(c, "form[action$='/sync'] button").await;
                let deadline = Instant::now() + Duration::from_secs(40);
                while !exists(c, "#yuki-status .badge[data-status=needs_reconsent]").await {
                    assert!(Instant::now() < deadline, "the refused key did not show: {}", text(c, "#yuki").await);
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    c.goto(&format!("{base}/integrations")).await.unwrap();
                    wait_for(c, "#yuki-status").await;
                }
                let warning = text(c, "#yuki .notice.urgent").await;
                assert!(warning.contains("webservice API-sleutel") && warning.contains("Instellingen › Webservices"), "{warning}");
                let colour = js(c, "return getComputedStyle(document.querySelector('#yuki-status .badge')).color").await;
                assert_eq!(colour, json!("rgb(185, 28, 28)"), "a refused key is red");
                shot(c, "46-integrations-needs-new-key-nl").await;
                accessible(c, "46-integrations-needs-new-key-nl").await;
                fill(c, "#f-access_key", &yuki.access_key()).await;
                click(c, "#yuki-form button[type=submit]").await;
                wait_for_text(c, "p.notice", "gekoppeld").await;
                assert_eq!(c.find(Locator::Css("#yuki-status .badge")).await.unwrap().attr("data-status").await.unwrap().as_deref(), Some("connected"));

                // A control character typed into a form is refused next to its field.
                c.goto(&format!("{base}/settings")).await.unwrap();
                wait_for(c, "#f-name").await;
                js(c, "document.getElementById('f-name').value = 'Bloc\\u0000Group BV'; return true").await;
                click(c, "#organisation button[type=submit]").await;
                wait_for(c, "#f-name-error").await;
                assert!(text(c, "#f-name-error").await.contains("stuurtekens"), "{}", text(c, "#f-name-error").await);
                shot(c, "47-settings-control-character-nl").await;

                // A phone: the new pages fit 375 px.
                c.set_window_size(375, 812).await.unwrap();
                for (page, name) in [("/notifications", "48-notifications-phone-nl"), ("/integrations", "49-integrations-phone-nl")] {
                    c.goto(&format!("{base}{page}")).await.unwrap();
                    wait_for(c, "h1").await;
                    let width = js(c, "return document.documentElement.scrollWidth").await;
                    assert!(width.as_u64().unwrap() <= 375, "{page} is {width}px wide on a phone");
                    shot(c, name).await;
                }
            })
            .await
        })
        .await;
    let _ = c.close().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

// ---------------------------------------------------------------------------------------------
// Over plain HTTP: headers, CSRF, roles.

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().into()
}

struct Page {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Page {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Posts JSON to the API, with a bearer token when given; the status and the JSON answer.
fn post_json(base: &str, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
    let mut req = agent().post(&format!("{base}{path}"));
    if let Some(t) = token {
        req = req.header("Authorization", &format!("Bearer {t}"));
    }
    let mut response = req.send_json(body).unwrap();
    let page = collect(&mut response);
    (page.status, serde_json::from_str(&page.body).unwrap_or(Value::Null))
}

fn get(base: &str, path: &str, cookie: Option<&str>) -> Page {
    let mut req = agent().get(&format!("{base}{path}"));
    if let Some(c) = cookie {
        req = req.header("Cookie", c);
    }
    let mut response = req.call().unwrap();
    collect(&mut response)
}

fn post_form(base: &str, path: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Page {
    let mut req = agent().post(&format!("{base}{path}"));
    if let Some(c) = cookie {
        req = req.header("Cookie", c);
    }
    let mut response = req.send_form(form.iter().copied()).unwrap();
    collect(&mut response)
}

fn collect(response: &mut ureq::http::Response<ureq::Body>) -> Page {
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or_default().to_owned()))
        .collect();
    let body = response.body_mut().read_to_string().unwrap_or_default();
    Page { status, headers, body }
}

/// Signs in through the form; returns the session cookie.
fn sign_in(base: &str, email: &str) -> String {
    let page = post_form(base, "/sign-in", None, &[("email", email), ("password", PASSWORD)]);
    assert_eq!(page.status, 303, "{}", page.body);
    let cookie = page.header("set-cookie").unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    cookie.split(';').next().unwrap().to_owned()
}

fn csrf_of(page: &Page) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = page.body.find(marker).expect("a CSRF field") + marker.len();
    page.body[start..].split('"').next().unwrap().to_owned()
}

fn assert_page_headers(page: &Page, what: &str) {
    assert_eq!(page.header("content-security-policy"), Some(billify_ui::PAGE_CSP), "{what}");
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"), "{what}");
    assert_eq!(page.header("x-frame-options"), Some("DENY"), "{what}");
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"), "{what}");
    assert_eq!(page.header("cache-control"), Some("no-store"), "{what}");
    assert!(!page.body.contains("<script>") && !page.body.contains(" style="), "{what} has inline script or style");
    let handler = page.body.match_indices(" on").any(|(i, _)| {
        let rest = &page.body[i + 3..];
        let name: String = rest.chars().take_while(char::is_ascii_lowercase).collect();
        !name.is_empty() && rest[name.len()..].starts_with('=')
    });
    assert!(!handler, "{what} has an inline event handler");
}

#[test]
fn every_page_has_security_headers_csrf_is_required_and_viewers_cannot_write() {
    let (server, _dir) = server();
    let base = server.base.clone();
    let (status, _) = server.call(
        "POST",
        "/api/v1/auth/register",
        None,
        Some(json!({"organisation_name": "Bloc Group BV", "name": "Anna", "email": "anna@bloc.be", "password": PASSWORD})),
    );
    assert_eq!(status, 201);
    let owner = sign_in(&base, "anna@bloc.be");
    let (_, login) =
        server.call("POST", "/api/v1/auth/login", None, Some(json!({"email": "anna@bloc.be", "password": PASSWORD})));
    let token = login["token"].as_str().unwrap().to_owned();
    let (status, invoice) = server.call(
        "POST",
        "/api/v1/invoices",
        Some(&token),
        Some(json!({"direction": "payable", "invoice_number": "A-1", "counterparty": {"name": "Supplier NV"},
            "issue_date": "2026-01-01", "due_date": "2099-01-31", "total": "50.00"})),
    );
    assert_eq!(status, 201, "{invoice}");
    let id = invoice["id"].as_str().unwrap().to_owned();

    // Every GET page of the route table, signed in or not as it needs.
    for route in billify_ui::ROUTES.iter().filter(|r| r.method == "GET") {
        let path = route.path.replace("{id}", &id);
        if path.ends_with("/document") || path.starts_with("/drafts/") {
            continue;
        }
        if path == "/events" {
            // The event stream never ends: read what it has, without following.
            let page = get(&base, "/events?after=0&stream=false", Some(&owner));
            assert_eq!((page.status, page.header("content-type")), (200, Some("text/event-stream")), "{}", page.body);
            assert!(page.body.contains("event: invoice.created"), "{}", page.body);
            assert_eq!(get(&base, "/events", None).status, 303, "the stream without a session goes to sign in");
            continue;
        }
        let cookie = route.signed_in.then_some(owner.as_str());
        let page = get(&base, &path, cookie);
        // The bank's redirect without its parameters is a plain error page.
        let expected = if path == "/bank/callback" { 400 } else { 200 };
        assert_eq!(page.status, expected, "{path}: {}", page.body);
        assert_page_headers(&page, &path);
        if route.signed_in {
            assert_eq!(get(&base, &path, None).status, 303, "{path} without a session goes to sign in");
        }
    }
    // Error pages too, with a request id and no internals.
    let missing = get(&base, "/invoices/00000000-0000-0000-0000-000000000000", Some(&owner));
    assert_eq!(missing.status, 404);
    assert_page_headers(&missing, "404 page");
    assert!(missing.body.contains("Request id: "), "{}", missing.body);

    // A path nothing serves: a page for a browser, the API's problem document for the API.
    let mut response = agent().get(&format!("{base}/no-such-page")).header("Accept", "text/html").call().unwrap();
    let page = collect(&mut response);
    assert_eq!(page.status, 404);
    assert_page_headers(&page, "unknown page");
    let mut response =
        agent().get(&format!("{base}/api/v1/no-such-route")).header("Accept", "text/html").call().unwrap();
    let page = collect(&mut response);
    assert_eq!((page.status, page.header("content-type")), (404, Some("application/problem+json")));

    // The organisation's data export, from the settings page's link.
    assert!(get(&base, "/settings", Some(&owner)).body.contains("href=\"/api/v1/organisation/export\""));
    let export = get(&base, "/api/v1/organisation/export", Some(&owner));
    assert_eq!((export.status, export.header("content-type")), (200, Some("application/zip")));

    // Assets: hashed names, a year of caching, gzip when asked for.
    let css = billify_ui::assets::url("app.css");
    let mut response = agent().get(&format!("{base}{css}")).header("Accept-Encoding", "gzip").call().unwrap();
    let page = collect(&mut response);
    assert_eq!(page.status, 200);
    assert_eq!(page.header("cache-control"), Some("public, max-age=31536000, immutable"));
    assert!(page.body.contains(".badge"), "the stylesheet arrives (decoded)");
    assert_eq!(get(&base, "/assets/app.css", None).status, 404, "only hashed names are served");

    // A form post without its CSRF token is refused and changes nothing.
    let detail = get(&base, &format!("/invoices/{id}"), Some(&owner));
    let csrf = csrf_of(&detail);
    let refused =
        post_form(&base, &format!("/invoices/{id}/payments"), Some(&owner), &[("version", "1"), ("amount", "")]);
    assert_eq!(refused.status, 403, "{}", refused.body);
    let refused = post_form(
        &base,
        &format!("/invoices/{id}/payments"),
        Some(&owner),
        &[("version", "1"), ("csrf_token", "forged")],
    );
    assert_eq!(refused.status, 403);
    let refused = post_form(&base, "/sign-out", Some(&owner), &[]);
    assert_eq!(refused.status, 403);
    let (_, still) = server.call("GET", &format!("/api/v1/invoices/{id}"), Some(&token), None);
    assert_eq!(still["status"], "pending", "the refused payment changed nothing");
    assert_eq!(get(&base, "/", Some(&owner)).status, 200, "the refused sign-out ended nothing");
    // With it, the payment goes through.
    let paid = post_form(
        &base,
        &format!("/invoices/{id}/payments"),
        Some(&owner),
        &[("version", "1"), ("amount", "20,00"), ("csrf_token", &csrf)],
    );
    assert_eq!(paid.status, 303, "{}", paid.body);
    let (_, after) = server.call("GET", &format!("/api/v1/invoices/{id}"), Some(&token), None);
    assert_eq!(after["amount_paid"], "20.00");
    // A form from another site is refused before any sign-in is tried.
    let mut response = agent()
        .post(&format!("{base}/sign-in"))
        .header("Origin", "http://evil.example")
        .send_form([("email", "anna@bloc.be"), ("password", PASSWORD)])
        .unwrap();
    assert_eq!(collect(&mut response).status, 403);

    // Settings: a token and an invitation, each shown once; a bad email stays next to its field.
    let settings = get(&base, "/settings", Some(&owner));
    let csrf = csrf_of(&settings);
    let created = post_form(
        &base,
        "/settings/tokens",
        Some(&owner),
        &[("csrf_token", &csrf), ("token_name", "export script"), ("scope", "read"), ("expires_in_days", "30")],
    );
    assert_eq!(created.status, 200, "{}", created.body);
    assert!(created.body.contains("bfy_pat_"), "the token is shown once");
    assert!(!get(&base, "/settings", Some(&owner)).body.contains("bfy_pat_"), "and only once");
    let refused = post_form(
        &base,
        "/settings/invitations",
        Some(&owner),
        &[("csrf_token", &csrf), ("email", "not an email"), ("role", "viewer")],
    );
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("id=\"f-email-error\"") && refused.body.contains("value=\"not an email\""),
        "{}",
        refused.body
    );
    let invited = post_form(
        &base,
        "/settings/invitations",
        Some(&owner),
        &[("csrf_token", &csrf), ("email", "vera@bloc.be"), ("role", "viewer")],
    );
    assert_eq!(invited.status, 200, "{}", invited.body);
    let marker = "/invitations/accept?token=";
    let start = invited.body.find(marker).expect("the invitation link") + marker.len();
    let invitation = invited.body[start..].split('<').next().unwrap().to_owned();
    let invitation = invitation.as_str();

    // Several files in one plain form post (no script): each gets its line, the good one a
    // review link, the unreadable one its reason.
    let sample =
        std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../billify-pdf/tests/fixtures/sample.pdf"))
            .unwrap();
    let boundary = "billify-test-boundary";
    let mut body = Vec::new();
    for (name, file, bytes) in [
        ("csrf_token", None, csrf.as_bytes().to_vec()),
        ("file", Some("sample.pdf"), sample),
        ("file", Some("notes.txt"), b"not an invoice".to_vec()),
    ] {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"").as_bytes());
        if let Some(file) = file {
            body.extend_from_slice(
                format!("; filename=\"{file}\"\r\nContent-Type: application/octet-stream").as_bytes(),
            );
        }
        body.extend_from_slice(b"\r\n\r\n");
        body.extend_from_slice(&bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let mut response = agent()
        .post(&format!("{base}/upload"))
        .header("Cookie", &owner)
        .header("Content-Type", &format!("multipart/form-data; boundary={boundary}"))
        .send(&body[..])
        .unwrap();
    let uploaded = collect(&mut response);
    assert_eq!(uploaded.status, 200, "{}", uploaded.body);
    assert_eq!(uploaded.body.matches("li class=\"upload done\"").count(), 1, "{}", uploaded.body);
    assert_eq!(uploaded.body.matches("li class=\"upload failed\"").count(), 1, "{}", uploaded.body);
    assert!(uploaded.body.contains("href=\"/drafts/"), "a review link for the PDF");
    let draft = uploaded.body.split("href=\"/drafts/").nth(1).unwrap().split('"').next().unwrap().to_owned();

    // A control character in any form field or query parameter is refused with a 422 naming
    // the field (the JSON API's check), on every form the interface serves, before anything
    // is done; the organisation form shows it next to its field, with what was typed.
    let csrf = csrf_of(&get(&base, "/settings", Some(&owner)));
    let stranger = uuid::Uuid::new_v4().to_string();
    for route in billify_ui::ROUTES.iter().filter(|r| r.method == "POST") {
        if route.path == "/upload" || route.path == "/bank/statements" {
            continue; // Multipart uploads: files, not text fields.
        }
        let real = if route.path.starts_with("/drafts/") {
            &draft
        } else if route.path.starts_with("/invoices/") {
            &id
        } else {
            &stranger
        };
        let path = route.path.replace("{id}", real);
        let cookie = route.signed_in.then_some(owner.as_str());
        let page = post_form(&base, &path, cookie, &[("csrf_token", &csrf), ("probe", "a\u{0}b")]);
        assert_eq!(page.status, 422, "{path}: {}", page.body);
        assert!(page.body.contains("“probe” must not contain control characters"), "{path}: {}", page.body);
        assert_page_headers(&page, &path);
    }
    for query in ["/bank?q=a%00b", "/invoices?q=%01", "/sign-in?next=%00"] {
        let page = get(&base, query, Some(&owner));
        assert_eq!(page.status, 422, "{query}: {}", page.body);
        assert!(page.body.contains("must not contain control characters"), "{query}");
    }
    let refused = post_form(
        &base,
        "/settings/organisation",
        Some(&owner),
        &[("csrf_token", &csrf), ("name", "Bloc\u{0}Group"), ("vat_number", "")],
    );
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("id=\"f-name-error\"") && refused.body.contains("“name”"), "{}", refused.body);
    let (_, org) = server.call("GET", "/api/v1/organisation", Some(&token), None);
    assert_eq!(org["name"], "Bloc Group BV", "nothing was stored");
    // Without it the same form goes through.
    let ok = post_form(
        &base,
        "/settings/organisation",
        Some(&owner),
        &[("csrf_token", &csrf), ("name", "Bloc Group BV"), ("vat_number", "")],
    );
    assert_eq!(ok.status, 303, "{}", ok.body);

    // A viewer sees no write controls, and is refused if it tries.
    let accept = get(&base, &format!("/invitations/accept?token={invitation}"), None);
    assert_eq!(accept.status, 200);
    let joined = post_form(
        &base,
        "/invitations/accept",
        None,
        &[("token", invitation), ("name", "Vera"), ("password", PASSWORD)],
    );
    assert_eq!(joined.status, 303, "{}", joined.body);
    let viewer = sign_in(&base, "vera@bloc.be");
    let list = get(&base, "/invoices", Some(&viewer));
    assert_eq!(list.status, 200);
    assert!(list.body.contains("A-1"), "the viewer sees the invoices");
    let detail = get(&base, &format!("/invoices/{id}"), Some(&viewer));
    for write in ["/payments", "/urgency", "href=\"/upload\""] {
        assert!(!list.body.contains(write) && !detail.body.contains(write), "a viewer is shown {write}");
    }
    assert!(detail.body.contains("€20.00"), "the payment shows");
    assert_eq!(get(&base, "/upload", Some(&viewer)).status, 403);
    let csrf = csrf_of(&detail);
    let refused = post_form(
        &base,
        &format!("/invoices/{id}/payments"),
        Some(&viewer),
        &[("version", "2"), ("csrf_token", &csrf)],
    );
    assert_eq!(refused.status, 403, "the use case refuses the viewer too");
    // Anna joins a second organisation: one click (a form post) switches, and every page acts
    // on the chosen one.
    let (status, _) = server.call(
        "POST",
        "/api/v1/auth/register",
        None,
        Some(json!({"organisation_name": "CF accountancy BV", "name": "Bob", "email": "bob@cf.be", "password": PASSWORD})),
    );
    assert_eq!(status, 201);
    let (_, bob) =
        server.call("POST", "/api/v1/auth/login", None, Some(json!({"email": "bob@cf.be", "password": PASSWORD})));
    let bob = bob["token"].as_str().unwrap().to_owned();
    let (_, cf) = server.call("GET", "/api/v1/auth/me", Some(&bob), None);
    let cf_id = cf["organisation"]["id"].as_str().unwrap().to_owned();
    let (_, invited) = server.call(
        "POST",
        "/api/v1/organisation/invitations",
        Some(&bob),
        Some(json!({"email": "anna@bloc.be", "role": "accountant"})),
    );
    let joined = post_form(
        &base,
        "/invitations/accept",
        None,
        &[("token", invited["token"].as_str().unwrap()), ("password", PASSWORD)],
    );
    assert_eq!(joined.status, 303, "{}", joined.body);
    let home = get(&base, "/invoices", Some(&owner));
    assert!(home.body.contains("id=\"org-select\"") && home.body.contains("CF accountancy BV"), "the switcher shows");
    assert!(home.body.contains("A-1"), "still Bloc's invoices");
    let switched =
        post_form(&base, "/organisation", Some(&owner), &[("csrf_token", &csrf_of(&home)), ("organisation", &cf_id)]);
    assert_eq!(switched.status, 303);
    let cookie = switched.header("set-cookie").unwrap().split(';').next().unwrap().to_owned();
    let both = format!("{owner}; {cookie}");
    let there = get(&base, "/invoices", Some(&both));
    assert!(!there.body.contains("A-1"), "CF accountancy's invoices, not Bloc's");
    assert!(
        there.body.contains(&format!("value=\"{cf_id}\" selected")),
        "the switcher shows the organisation acted on"
    );
    let forged = post_form(
        &base,
        "/organisation",
        Some(&owner),
        &[("csrf_token", &csrf_of(&home)), ("organisation", "00000000-0000-0000-0000-000000000000")],
    );
    assert_eq!(forged.status, 404, "only the user's own organisations");

    let settings = get(&base, "/settings", Some(&viewer));
    assert_eq!(settings.status, 200);
    assert!(
        !settings.body.contains("/settings/organisation") && !settings.body.contains("/settings/invitations"),
        "a viewer manages nothing"
    );
    assert!(settings.body.contains("/settings/password"), "but their own password");
    assert!(!settings.body.contains("/settings/webhooks"), "a viewer manages no webhooks");
    let integrations = get(&base, "/integrations", Some(&viewer));
    assert_eq!(integrations.status, 200);
    assert!(!integrations.body.contains("/integrations/yuki/connect"), "a viewer links nothing");
    let notifications = get(&base, "/notifications", Some(&viewer));
    assert!(
        !notifications.body.contains("action=\"/notifications/settings\""),
        "a viewer does not change the thresholds"
    );
    assert!(notifications.body.contains("action=\"/notifications/preferences\""), "but their own choices");
}

/// `serve --demo`: the fake bank's accounts, the link's state in words and the transactions.
#[tokio::test(flavor = "current_thread")]
async fn the_bank_page_in_demo_mode() {
    let dir = tempfile::tempdir().unwrap();
    let server = Running(Server::start_with(
        &["serve", "--demo"],
        &[
            ("BILLIFY_DATABASE_URL", format!("sqlite://{}", dir.path().join("demo.db").display())),
            ("BILLIFY_DOCUMENTS_DIR", dir.path().join("docs").display().to_string()),
            ("BILLIFY_UI_REFRESH_SECONDS", "3600".into()),
        ],
    ));
    let line = server.wait_for_log("demo login: ", Duration::from_secs(30));
    let mut words = line.split("demo login: ").nth(1).unwrap().split_whitespace();
    let (email, password) = (words.next().unwrap().to_owned(), words.next().unwrap().to_owned());
    let driver = chromedriver();
    let c = browser(&driver, "fr-BE").await;
    let base = server.base.clone();
    let client = c.clone();
    let local = tokio::task::LocalSet::new();
    let outcome = local
        .run_until(async move {
            tokio::task::spawn_local(async move {
                let c = &client;
                c.goto(&format!("{base}/sign-in")).await.unwrap();
                fill(c, "#f-email", &email).await;
                fill(c, "#f-password", &password).await;
                click(c, "button[type=submit].primary").await;
                wait_for(c, "#cash").await;
                assert!(text(c, "h1").await.contains("trésorerie"), "French from the browser's language");
                // The first sync may still be running: the balance appears without a reload,
                // through the event stream (polling is an hour apart in this test).
                wait_for_stream(c).await;
                js(c, "document.body.dataset.loaded = 'once'; return true").await;
                let deadline = Instant::now() + Duration::from_secs(30);
                while !text(c, "#cash").await.contains('€') {
                    assert!(Instant::now() < deadline, "no balance appeared: {}", text(c, "#cash").await);
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                // The demo bank was synchronised at start and stamps each sync with its time, as
                // a live bank does: its balances are current, not out of date.
                assert!(!exists(c, "#cash .stale").await, "demo balances are out of date: {}", text(c, "#cash").await);
                // And what happens next arrives the same way: a payable due today, made through
                // the API while the dashboard is open, shows in this week's figures.
                let week = text(c, "#week").await;
                let (status, body) =
                    post_json(&base, "/api/v1/auth/login", None, json!({"email": email, "password": password}));
                assert_eq!(status, 200, "{body}");
                let token = body["token"].as_str().unwrap().to_owned();
                let (status, body) = post_json(
                    &base,
                    "/api/v1/invoices",
                    Some(&token),
                    json!({"direction": "payable", "invoice_number": "LIVE-1", "counterparty": {"name": "Live BV"},
                        "issue_date": days_from_today(-1), "due_date": days_from_today(0), "total": "4321.00"}),
                );
                assert_eq!(status, 201, "{body}");
                let deadline = Instant::now() + Duration::from_secs(30);
                while text(c, "#week").await == week {
                    assert!(Instant::now() < deadline, "this week's figures did not follow: {week}");
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                assert_eq!(js(c, "return document.body.dataset.loaded").await, json!("once"), "no reload happened");
                shot(c, "19-dashboard-live-demo-fr").await;
                click(c, ".mainnav a[href='/bank']").await;
                wait_for(c, "#accounts").await;
                assert!(text(c, "#accounts").await.contains('€'));
                let status = text(c, "#integrations").await;
                assert!(status.contains("Connectée") || status.contains("Récupération"), "{status}");
                assert!(text(c, "#transactions").await.contains('€'));
                scripts_ran(c).await;
                shot(c, "20-bank-demo-fr").await;
                accessible(c, "20-bank-demo-fr").await;
                // A statement import shows its progress, says why a bad file failed, and lands
                // on the bank page with what it imported.
                let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                    .join("../billify-bankfiles/tests/fixtures")
                    .canonicalize()
                    .unwrap();
                let choose = |file: &str| fixtures.join(file).display().to_string();
                c.find(Locator::Css("#f-statement")).await.unwrap().send_keys(&choose("bad-amount.cod")).await.unwrap();
                click(c, "#statement-form button[type=submit]").await;
                wait_for_text(c, "#statement-form .progress-status.error", "L'import a échoué").await;
                assert!(text(c, "#statement-form .progress-status").await.contains("line"), "the reason is shown");
                js(c, "document.querySelector('#statement-form').scrollIntoView(); return true").await;
                shot(c, "18-bank-import-failed-fr").await;
                c.find(Locator::Css("#f-statement")).await.unwrap().send_keys(&choose("statement.cod")).await.unwrap();
                click(c, "#statement-form button[type=submit]").await;
                wait_for_text(c, "p.notice", "✓").await;
                assert!(c.current_url().await.unwrap().query().unwrap_or("").contains("imported="));
                // Search narrows the transactions.
                fill(c, "#f-bank-q", "zzzz-no-such-thing").await;
                wait_for(c, "#transaction-list p.muted").await;
                shot(c, "21-bank-search-fr").await;
                // The dashboard: cash per currency with its age, this month, the balance chart.
                c.goto(&format!("{base}/")).await.unwrap();
                wait_for(c, "#balance-chart canvas").await;
                assert!(text(c, "#cash").await.contains('€'));
                assert!(text(c, "#month").await.contains("Entrées"));
                // The chart draws the past balance, the forecast and its band (five series), and
                // the forecast is also a table.
                let series =
                    js(c, "return document.querySelectorAll('#balance-chart .u-legend .u-series').length").await;
                assert_eq!(series, json!(5));
                let rows = js(c, "return document.querySelectorAll('#forecast-table tbody tr').length").await;
                assert!(rows.as_u64().unwrap() >= 12, "{rows}");
                // Beside the chart, how accurate the forecast usually is (fetched once the page
                // shows): the demo's few weeks of bank history are not enough to say.
                wait_for(c, "#accuracy p.accuracy").await;
                assert!(
                    text(c, "#accuracy").await.contains("Pas encore assez d'historique"),
                    "{}",
                    text(c, "#accuracy").await
                );
                shot(c, "22-dashboard-demo-fr").await;
                js(c, "document.getElementById('accuracy').scrollIntoView({block: 'center'}); return true").await;
                shot(c, "27-dashboard-accuracy-demo-fr").await;
                accessible(c, "22-dashboard-demo-fr").await;
                // Reconciliation: the demo's fake bank pays some of its invoices (matched by the
                // rules) and leaves one ambiguous payment for a person to decide.
                click(c, ".mainnav a[href='/reconciliation']").await;
                wait_for(c, "#recent").await;
                let deadline = Instant::now() + Duration::from_secs(60);
                while !(exists(c, "#matches").await && exists(c, ".suggestion").await) {
                    assert!(Instant::now() < deadline, "no matches and suggestion: {}", text(c, "main").await);
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    c.refresh().await.unwrap();
                    wait_for(c, "#recent").await;
                }
                assert!(
                    text(c, "#matches").await.contains("Communication structurée"),
                    "{}",
                    text(c, "#matches").await
                );
                shot(c, "24-reconciliation-demo-fr").await;
                accessible(c, "24-reconciliation-demo-fr").await;
                let before = count(c, ".suggestion").await;
                click(c, ".suggestion form button.primary").await;
                wait_for_text(c, "p.notice", "Rapproché").await;
                assert_eq!(count(c, ".suggestion").await, before - 1, "the accepted suggestion is gone");
                // Undo the newest match: it stays listed, marked undone, without its undo button.
                let active = count(c, "#matches form").await;
                click(c, "#matches form button").await;
                wait_for_text(c, "p.notice", "Annulé").await;
                assert!(text(c, "#matches tr.undone").await.contains("annulé"));
                assert_eq!(count(c, "#matches form").await, active - 1);
                shot(c, "25-reconciliation-undone-fr").await;
                // The demo's books (the fake Yuki) beside its bank link, on the integrations page.
                click(c, ".mainnav a[href='/integrations']").await;
                wait_for(c, "#yuki-status").await;
                let deadline = Instant::now() + Duration::from_secs(30);
                while text(c, "#yuki-last-sync").await.contains("Pas encore") {
                    assert!(Instant::now() < deadline, "the demo's books were not read: {}", text(c, "#yuki").await);
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    c.refresh().await.unwrap();
                    wait_for(c, "#yuki-status").await;
                }
                assert!(text(c, "#yuki-budget").await.contains("appels du jour"));
                assert!(
                    text(c, "#ponto").await.contains("Connectée") || text(c, "#ponto").await.contains("Récupération")
                );
                shot(c, "26-integrations-demo-fr").await;
                accessible(c, "26-integrations-demo-fr").await;
                c.goto(&format!("{base}/")).await.unwrap();
                wait_for(c, "#balance-chart canvas").await;
                c.set_window_size(375, 812).await.unwrap();
                c.refresh().await.unwrap();
                wait_for(c, "#balance-chart canvas").await;
                let width = js(c, "return document.documentElement.scrollWidth").await;
                assert!(width.as_u64().unwrap() <= 375, "the dashboard is {width}px wide on a phone");
                shot(c, "23-dashboard-demo-phone-fr").await;
            })
            .await
        })
        .await;
    let _ = c.close().await;
    drop(server);
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// The same interface in Firefox (Debian's ESR through geckodriver): the demo's dashboard in
/// Dutch with its chart and amounts as `€ 1.234,56`, reconciliation, the bank page, its search.
#[tokio::test(flavor = "current_thread")]
async fn the_interface_in_firefox() {
    let dir = tempfile::tempdir().unwrap();
    let server = Running(Server::start_with(
        &["serve", "--demo"],
        &[
            ("BILLIFY_DATABASE_URL", format!("sqlite://{}", dir.path().join("demo.db").display())),
            ("BILLIFY_DOCUMENTS_DIR", dir.path().join("docs").display().to_string()),
        ],
    ));
    let line = server.wait_for_log("demo login: ", Duration::from_secs(30));
    let mut words = line.split("demo login: ").nth(1).unwrap().split_whitespace();
    let (email, password) = (words.next().unwrap().to_owned(), words.next().unwrap().to_owned());
    let driver = geckodriver();
    let c = firefox(&driver, "nl-BE").await;
    let base = server.base.clone();
    let client = c.clone();
    let local = tokio::task::LocalSet::new();
    let outcome = local
        .run_until(async move {
            tokio::task::spawn_local(async move {
                let c = &client;
                c.goto(&format!("{base}/sign-in")).await.unwrap();
                fill(c, "#f-email", &email).await;
                fill(c, "#f-password", &password).await;
                click(c, "button[type=submit].primary").await;
                wait_for(c, "#cash").await;
                assert!(text(c, "h1").await.contains("overzicht") || text(c, "html").await.contains("Overzicht"));
                let deadline = Instant::now() + Duration::from_secs(30);
                while !text(c, "#cash").await.contains('€') {
                    assert!(Instant::now() < deadline, "no balance appeared: {}", text(c, "#cash").await);
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                c.refresh().await.unwrap();
                wait_for(c, "#balance-chart canvas").await;
                scripts_ran(c).await;
                let cash = text(c, "#cash").await;
                let dutch = cash.split_whitespace().collect::<Vec<_>>().windows(2).any(|w| {
                    w[0] == "€" && w[1].contains(',') && w[1].rsplit(',').next().is_some_and(|cents| cents.len() == 2)
                });
                assert!(dutch, "amounts read as € 1.234,56 in Dutch: {cash}");
                shot(c, "30-firefox-dashboard-nl").await;
                accessible(c, "30-firefox-dashboard-nl").await;
                click(c, ".mainnav a[href='/reconciliation']").await;
                wait_for(c, "#recent").await;
                shot(c, "31-firefox-reconciliation-nl").await;
                click(c, ".mainnav a[href='/bank']").await;
                wait_for(c, "#transactions").await;
                fill(c, "#f-bank-q", "zzzz-no-such-thing").await;
                wait_for(c, "#transaction-list p.muted").await;
                shot(c, "32-firefox-bank-search-nl").await;
                // Upload the sample PDF and review it.
                click(c, ".mainnav a[href='/upload']").await;
                wait_for(c, "#f-files").await;
                let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                    .join("../billify-pdf/tests/fixtures/sample.pdf")
                    .canonicalize()
                    .unwrap();
                c.find(Locator::Css("#f-files")).await.unwrap().send_keys(&sample.display().to_string()).await.unwrap();
                wait_for(c, "#upload-list li.done a").await.click().await.unwrap();
                wait_for(c, "#f-due_date").await;
                assert_eq!(
                    c.find(Locator::Css("#f-invoice_number")).await.unwrap().prop("value").await.unwrap().as_deref(),
                    Some("INV-SO-2023-2812")
                );
                shot(c, "33-firefox-review-nl").await;
                accessible(c, "33-firefox-review-nl").await;
                js(c, &format!("document.getElementById('f-due_date').value = '{}'; return true", days_from_today(3))).await;
                click(c, "button[value=confirm]").await;
                wait_for(c, ".crumbs").await;
                assert!(path(c).await.starts_with("/invoices/"), "confirming shows the invoice");
                // Two-factor authentication: set up with the QR code's secret, then a sign-in
                // asks for the second factor (a recovery code here).
                c.goto(&format!("{base}/settings")).await.unwrap();
                wait_for(c, "#two-factor").await;
                click(c, "form[action='/settings/two-factor/start'] button").await;
                let secret = wait_for(c, ".notice.once code.secret").await.text().await.unwrap().replace(' ', "");
                let drawn = js(c, "const s = document.querySelector('.notice.once figure.qr svg'); return s ? s.getBoundingClientRect().width : 0").await;
                assert!(drawn.as_f64().unwrap() >= 150.0, "the QR code is drawn: {drawn}");
                shot(c, "34-firefox-two-factor-nl").await;
                let totp = totp_rs::Builder::new()
                    .with_algorithm(totp_rs::Algorithm::SHA1)
                    .with_digits(6)
                    .with_skew(0)
                    .with_step_duration(30)
                    .with_secret(totp_rs::Secret::try_from_base32(&secret).unwrap())
                    .build()
                    .unwrap();
                let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
                fill(c, "#f-code", &totp.generate(now).to_string()).await;
                click(c, "form[action='/settings/two-factor/confirm'] button").await;
                let recovery = wait_for(c, "ul.codes code.secret").await.text().await.unwrap();
                click(c, "form[action='/sign-out'] button").await;
                wait_for(c, "#f-email").await;
                fill(c, "#f-email", &email).await;
                fill(c, "#f-password", &password).await;
                click(c, "button[type=submit].primary").await;
                wait_for(c, "form[action='/sign-in/code'] #f-code").await;
                shot(c, "35-firefox-sign-in-code-nl").await;
                accessible(c, "35-firefox-sign-in-code-nl").await;
                fill(c, "#f-code", &recovery).await;
                click(c, "button[type=submit].primary").await;
                wait_for(c, "#cash").await;
                // The notifications and the integrations pages.
                click(c, "#nav-notifications").await;
                wait_for(c, "#preferences").await;
                shot(c, "36-firefox-notifications-nl").await;
                click(c, ".mainnav a[href='/integrations']").await;
                wait_for(c, "#yuki-status").await;
                assert!(text(c, "#yuki").await.contains("Domein"));
                shot(c, "37-firefox-integrations-nl").await;
            })
            .await
        })
        .await;
    let _ = c.close().await;
    drop(server);
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
