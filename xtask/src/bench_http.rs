//! `cargo xtask bench http`: the request path measured from outside, as a client sees it.
//!
//! Builds the release binary, seeds 1,000 and 100,000 invoices (and, with the larger set,
//! 1,000,000 bank transactions) on PostgreSQL and on SQLite with `billify seed`, starts
//! `billify serve` as a separate process with the default configuration, and drives load over
//! loopback with `wrk` (keep-alive, 2 threads, 32 connections). Each endpoint is reported as
//! requests per second, median and 99th percentile latency, errors, and as a fraction of the
//! health endpoint's rate in the same run (the ceiling of the machine and the HTTP stack); with
//! each configuration's cold start (spawn to the first 200 of `/api/v1/health`) and the
//! server's peak resident memory (`VmHWM`) after its load.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};

use crate::{cargo, machine, run_step, tidy};

/// The load of every endpoint but uploads.
const THREADS: u32 = 2;
const CONNECTIONS: u32 = 32;
/// A server reads at most two documents at once (`BILLIFY_EXTRACTIONS_AT_ONCE`); more
/// connections only add `503 busy` answers.
const UPLOAD_CONNECTIONS: u32 = 2;
/// A counterparty name fragment that about one invoice in nineteen matches.
const SEARCH: &str = "klok";

/// What a run measures: database, invoices, bank transactions.
struct Setup {
    backend: Backend,
    invoices: u32,
    transactions: u32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    fn name(self) -> &'static str {
        match self {
            Backend::Postgres => "PostgreSQL",
            Backend::Sqlite => "SQLite",
        }
    }
}

/// One endpoint's figures.
struct Figures {
    endpoint: String,
    requests_per_second: f64,
    p50: String,
    p99: String,
    errors: u64,
    requests: u64,
}

/// One configuration's results.
struct RunResult {
    setup_name: String,
    seed_seconds: f64,
    /// How long the server's background jobs queued by the seed (its reconciliation run) took
    /// to finish before the load started.
    settle_seconds: f64,
    cold_start: Duration,
    /// Resident memory once the seed's background jobs were done, before the load.
    settled_rss_kib: u64,
    /// The peak during the load (VmHWM, reset once the jobs were done) and at its end.
    peak_rss_kib: u64,
    rss_kib: u64,
    rows: Vec<Figures>,
}

/// Options of `cargo xtask bench http`.
pub struct Options {
    /// Seconds per endpoint (`--duration`, 5 by default).
    pub seconds: u32,
    /// Only the small data set (`--quick`).
    pub quick: bool,
    /// Only the large data set (`--large`).
    pub large: bool,
    /// Only this backend (`--only postgres|sqlite`).
    pub only: Option<String>,
}

impl Options {
    /// Parses `bench http`'s arguments.
    pub fn parse(args: &[String]) -> anyhow::Result<Options> {
        let mut options = Options { seconds: 5, quick: false, large: false, only: None };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--quick" => options.quick = true,
                "--large" => options.large = true,
                "--duration" => {
                    options.seconds =
                        args.next().and_then(|s| s.parse().ok()).context("--duration takes a number of seconds")?;
                }
                "--only" => options.only = Some(args.next().context("--only takes postgres or sqlite")?.clone()),
                other => {
                    bail!(
                        "bench http: unknown argument {other:?} (--quick, --large, --duration S, --only postgres|sqlite)"
                    )
                }
            }
        }
        Ok(options)
    }
}

fn wrk_available() -> bool {
    Command::new("wrk").arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok()
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| tidy::workspace_root().join("target"), PathBuf::from)
}

/// `cargo xtask bench http`: measures and replaces the section of `docs/benchmarks.md`.
pub fn bench_http_only(options: &Options) -> anyhow::Result<()> {
    let section = http_section(options)?;
    crate::replace_section("## HTTP request path", &section)
}

/// Runs every configuration and returns the section.
pub fn http_section(options: &Options) -> anyhow::Result<String> {
    if !wrk_available() {
        bail!(
            "`wrk` is not installed: the HTTP benchmark drives its load with it.\n\
             Install it with `sudo apt-get install wrk` (Debian, Ubuntu), `brew install wrk` (macOS), \
             or build it from https://github.com/wg/wrk, then run `cargo xtask bench http` again."
        );
    }
    // `BILLIFY_BENCH_BINARY` names a release binary built already (by hand, or for another
    // commit); otherwise it is built here.
    let binary = match std::env::var_os("BILLIFY_BENCH_BINARY") {
        Some(path) => PathBuf::from(path),
        None => {
            let mut build = cargo();
            build.args(["build", "--release", "--locked", "--package", "billify"]);
            run_step("cargo build --release -p billify", build)?;
            target_dir().join("release/billify")
        }
    };
    let work = std::env::temp_dir().join(format!("billify-bench-http-{}", std::process::id()));
    std::fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
    let key = String::from_utf8(
        Command::new(&binary).arg("generate-key").output().context("running billify generate-key")?.stdout,
    )?
    .trim()
    .to_owned();
    let pg = std::env::var("BILLIFY_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let sizes: &[(u32, u32)] = match (options.quick, options.large) {
        (true, _) => &[(1_000, 0)],
        (false, true) => &[(100_000, 1_000_000)],
        (false, false) => &[(1_000, 0), (100_000, 1_000_000)],
    };
    let mut results = Vec::new();
    for backend in [Backend::Postgres, Backend::Sqlite] {
        let wanted = match options.only.as_deref() {
            None => true,
            Some("postgres") => backend == Backend::Postgres,
            Some("sqlite") => backend == Backend::Sqlite,
            Some(other) => bail!("--only {other:?}: use postgres or sqlite"),
        };
        if !wanted {
            continue;
        }
        for &(invoices, transactions) in sizes {
            let setup = Setup { backend, invoices, transactions };
            let result = run_setup(&binary, &work, &key, &pg, &setup, options.seconds);
            match result {
                Ok(r) => results.push(r),
                Err(e) => {
                    let _ = std::fs::remove_dir_all(&work);
                    return Err(e.context(format!("{} with {invoices} invoices", backend.name())));
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    Ok(render(&results, options))
}

/// The environment of `billify` for a setup: the database, a documents folder, the key, a
/// free port.
fn environment(work: &Path, key: &str, pg: &str, setup: &Setup, port: u16) -> Vec<(String, String)> {
    let name = format!("bench_http_{}", setup.invoices);
    let mut env = vec![
        ("BILLIFY_SECRET_KEY".to_owned(), key.to_owned()),
        ("BILLIFY_BIND".to_owned(), format!("127.0.0.1:{port}")),
        ("BILLIFY_DOCUMENTS_DIR".to_owned(), work.join(format!("documents-{name}")).display().to_string()),
    ];
    match setup.backend {
        Backend::Postgres => {
            env.push(("BILLIFY_DATABASE_URL".to_owned(), pg.to_owned()));
            env.push(("BILLIFY_DB_SCHEMA".to_owned(), name));
        }
        Backend::Sqlite => {
            let file = work.join(format!("{name}.db"));
            env.push(("BILLIFY_DATABASE_URL".to_owned(), format!("sqlite://{}", file.display())));
        }
    }
    env
}

fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}

fn run_setup(
    binary: &Path,
    work: &Path,
    key: &str,
    pg: &str,
    setup: &Setup,
    seconds: u32,
) -> anyhow::Result<RunResult> {
    let setup_name = format!(
        "{}, {} invoices{}",
        setup.backend.name(),
        thousands(u64::from(setup.invoices)),
        if setup.transactions > 0 {
            format!(", {} bank transactions", thousands(u64::from(setup.transactions)))
        } else {
            String::new()
        }
    );
    println!("==> {setup_name}");
    if setup.backend == Backend::Postgres {
        billify_store_postgres::PostgresStore::drop_schema(pg, &format!("bench_http_{}", setup.invoices))
            .context("dropping the previous benchmark schema")?;
    }
    let port = free_port()?;
    let env = environment(work, key, pg, setup, port);
    // Seed: a fresh organisation with its owner's login.
    let started = Instant::now();
    let seeded = Command::new(binary)
        .args(["seed", "--org", "Bench BV", "--invoices", &setup.invoices.to_string()])
        .args(["--bank-transactions", &setup.transactions.to_string()])
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("BILLIFY_LOG", "warn")
        .stderr(Stdio::inherit())
        .output()
        .context("running billify seed")?;
    let seed_seconds = started.elapsed().as_secs_f64();
    if !seeded.status.success() {
        bail!("billify seed failed ({})", seeded.status);
    }
    let stdout = String::from_utf8_lossy(&seeded.stdout);
    let login = stdout.lines().find_map(|l| l.strip_prefix("login: ")).context("billify seed printed no login")?;
    let (email, password) = login.split_once(' ').context("malformed login line")?;
    println!("    seeded in {seed_seconds:.1} s");
    // Serve, and time the first health answer.
    let log = std::fs::File::create(work.join(format!("server-{port}.log")))?;
    let spawned = Instant::now();
    let mut server = Command::new(binary)
        .arg("serve")
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .context("starting billify serve")?;
    let result = (|| {
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let cold_start = loop {
            if let Ok((200, _)) = http(address, "GET", "/api/v1/health", None, None) {
                break spawned.elapsed();
            }
            if spawned.elapsed() > Duration::from_secs(60) {
                bail!("the server did not answer /api/v1/health within 60 s");
            }
            if let Some(status) = server.try_wait()? {
                bail!("the server ended ({status}); see its log in {}", work.display());
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        // The seed queues a reconciliation run over its bank transactions; measuring while the
        // server's workers run it would measure that job too. Wait until the queue is empty.
        let settling = Instant::now();
        wait_for_idle_jobs(address)?;
        let settle_seconds = settling.elapsed().as_secs_f64();
        println!("    background jobs done after {settle_seconds:.1} s");
        let (rows, settled_rss_kib) = measure(address, work, email, password, setup, seconds, server.id())?;
        let (peak_rss_kib, rss_kib) = memory(server.id())?;
        Ok(RunResult {
            setup_name: setup_name.clone(),
            seed_seconds,
            settle_seconds,
            cold_start,
            settled_rss_kib,
            peak_rss_kib,
            rss_kib,
            rows,
        })
    })();
    stop(&mut server);
    result
}

/// Waits (at most 20 minutes) until `/metrics` shows no job due or running, twice in a row.
fn wait_for_idle_jobs(address: SocketAddr) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut idle_in_a_row = 0;
    while idle_in_a_row < 2 {
        let (status, body) = http(address, "GET", "/metrics", None, None)?;
        if status != 200 {
            bail!("GET /metrics answered {status}");
        }
        let busy: f64 = body
            .lines()
            .filter(|l| {
                l.starts_with("billify_job_queue_depth{")
                    && (l.contains("state=\"due\"") || l.contains("state=\"running\""))
            })
            .filter_map(|l| l.rsplit(' ').next().and_then(|v| v.parse::<f64>().ok()))
            .sum();
        idle_in_a_row = if busy == 0.0 { idle_in_a_row + 1 } else { 0 };
        if started.elapsed() > Duration::from_secs(20 * 60) {
            bail!("the server's background jobs were still busy after 20 minutes");
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    Ok(())
}

fn stop(server: &mut Child) {
    let _ = server.kill();
    let _ = server.wait();
}

/// The server's peak and current resident memory in KiB.
fn memory(server: u32) -> anyhow::Result<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{server}/status")).context("reading /proc status")?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or(0)
    };
    Ok((field("VmHWM:"), field("VmRSS:")))
}

/// A one-shot HTTP/1.1 request (`Connection: close`): the status and the body.
fn http(
    address: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> anyhow::Result<(u16, String)> {
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(120)))?;
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    if let Some(token) = token {
        request.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    if let Some(body) = body {
        request.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n", body.len()));
    }
    request.push_str("\r\n");
    request.push_str(body.unwrap_or(""));
    stream.write_all(request.as_bytes())?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let text = String::from_utf8_lossy(&response);
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).context("no HTTP status")?;
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let body =
        if head.to_ascii_lowercase().contains("transfer-encoding: chunked") { unchunk(body) } else { body.into() };
    Ok((status, body))
}

fn unchunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else { break };
        if n == 0 || after.len() < n {
            break;
        }
        out.push_str(&after[..n]);
        rest = after[n..].trim_start_matches("\r\n");
    }
    out
}

fn json(body: &str) -> anyhow::Result<serde_json::Value> {
    serde_json::from_str(body).with_context(|| format!("not JSON: {}", body.chars().take(200).collect::<String>()))
}

/// The open invoices a payment can go to: id and version, newest pages first.
fn open_invoices(address: SocketAddr, token: &str, want: usize) -> anyhow::Result<Vec<(String, i64)>> {
    let mut found = Vec::new();
    let mut path = "/api/v1/invoices?status=pending&limit=200".to_owned();
    while found.len() < want {
        let (status, body) = http(address, "GET", &path, Some(token), None)?;
        if status != 200 {
            bail!("listing open invoices: {status} {body}");
        }
        let page = json(&body)?;
        for item in page["items"].as_array().into_iter().flatten() {
            if let (Some(id), Some(version)) = (item["id"].as_str(), item["version"].as_i64()) {
                found.push((id.to_owned(), version));
            }
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/invoices?status=pending&limit=200&cursor={cursor}"),
            None => break,
        }
    }
    Ok(found)
}

/// Logs in, finds what the requests need, and measures every endpoint.
fn measure(
    address: SocketAddr,
    work: &Path,
    email: &str,
    password: &str,
    setup: &Setup,
    seconds: u32,
    server: u32,
) -> anyhow::Result<(Vec<Figures>, u64)> {
    let login = serde_json::json!({"email": email, "password": password}).to_string();
    let (status, body) = http(address, "POST", "/api/v1/auth/login", None, Some(&login))?;
    if status != 200 {
        bail!("login failed: {status} {body}");
    }
    let token = json(&body)?["token"].as_str().context("no token in the login answer")?.to_owned();
    let (_, body) = http(address, "GET", "/api/v1/invoices?limit=1", Some(&token), None)?;
    let first = json(&body)?["items"][0]["id"].as_str().context("no invoice to read")?.to_owned();
    // Open invoices to pay in turn (a few thousand: each is paid again only after the others).
    let payable = open_invoices(address, &token, (seconds as usize * 4_000).min(60_000))?;
    let payments_file = work.join("payments.txt");
    std::fs::write(&payments_file, payable.iter().map(|(id, v)| format!("{id} {v}\n")).collect::<String>())?;
    let scripts = Scripts::write(work, &payments_file)?;
    // The peak from here on is the load's, not the seed's reconciliation run's or the login's
    // password hash's (Linux: writing 5 to clear_refs resets VmHWM).
    let settled_rss_kib = memory(server)?.1;
    std::fs::write(format!("/proc/{server}/clear_refs"), "5").context("resetting the peak memory")?;
    let base = format!("http://{address}");
    let auth = format!("Authorization: Bearer {token}");
    let mut rows = Vec::new();
    let mut run = |endpoint: &str, path: &str, script: Option<&Path>, connections: u32| -> anyhow::Result<()> {
        let figures =
            wrk(&base, path, &auth, script, connections, seconds).with_context(|| format!("measuring {endpoint}"))?;
        println!(
            "    {endpoint:<48} {:>9.0} req/s  p50 {:>9}  p99 {:>9}  errors {}",
            figures.requests_per_second, figures.p50, figures.p99, figures.errors
        );
        rows.push(Figures { endpoint: endpoint.to_owned(), ..figures });
        // wrk stops at the deadline, but the server still answers what it had queued (a slow
        // endpoint's backlog): wait for it, so the next endpoint is not measured behind it. Each
        // one-shot request is a new connection, so the workers take them in turn.
        let drained = Instant::now();
        for _ in 0..8 {
            http(address, "GET", &format!("/api/v1/invoices/{first}"), Some(&token), None)?;
        }
        let waited = drained.elapsed();
        if waited > Duration::from_millis(500) {
            println!("    (the server finished the queued requests {:.1} s after the load)", waited.as_secs_f64());
        }
        Ok(())
    };
    run("`GET /api/v1/health` (ceiling)", "/api/v1/health", None, CONNECTIONS)?;
    run("`GET /auth/me`", "/api/v1/auth/me", None, CONNECTIONS)?;
    run("`GET /invoices/{id}`", &format!("/api/v1/invoices/{first}"), None, CONNECTIONS)?;
    run("`GET /invoices?limit=10`", "/api/v1/invoices?limit=10", None, CONNECTIONS)?;
    run("`GET /invoices` (default 50)", "/api/v1/invoices", None, CONNECTIONS)?;
    run(
        &format!("`GET /invoices?q={SEARCH}&limit=10`"),
        &format!("/api/v1/invoices?q={SEARCH}&limit=10"),
        None,
        CONNECTIONS,
    )?;
    run("`GET /invoices?status=overdue&limit=10`", "/api/v1/invoices?status=overdue&limit=10", None, CONNECTIONS)?;
    run(
        "`GET /invoices?status=pending,overdue&sort=due_date&limit=10`",
        "/api/v1/invoices?status=pending,overdue&sort=due_date&limit=10",
        None,
        CONNECTIONS,
    )?;
    if setup.transactions > 0 {
        run("`GET /bank/transactions`", "/api/v1/bank/transactions", None, CONNECTIONS)?;
    }
    run("`GET /cashflow/summary`", "/api/v1/cashflow/summary", None, CONNECTIONS)?;
    run("`GET /cashflow/forecast`", "/api/v1/cashflow/forecast", None, CONNECTIONS)?;
    run("`POST /invoices/{id}/payments`", "/api/v1/invoices", Some(&scripts.payment), CONNECTIONS)?;
    run("`POST /invoices`", "/api/v1/invoices", Some(&scripts.create), CONNECTIONS)?;
    run(
        &format!("`POST /invoices/uploads` (PDF, {UPLOAD_CONNECTIONS} connections)"),
        "/api/v1/invoices/uploads",
        Some(&scripts.upload),
        UPLOAD_CONNECTIONS,
    )?;
    Ok((rows, settled_rss_kib))
}

/// The wrk scripts of the requests with bodies, written to the work folder.
struct Scripts {
    payment: PathBuf,
    create: PathBuf,
    upload: PathBuf,
}

/// Numbers the threads, so that each takes its own share of the payments and invoice numbers.
/// `with(h)` adds the command line's headers (the bearer token): `wrk.format` sends only the
/// headers it is given.
const THREAD_SETUP: &str = r#"
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
function with(h)
  for k, v in pairs(wrk.headers) do h[k] = v end
  return h
end
"#;

impl Scripts {
    fn write(work: &Path, payments: &Path) -> anyhow::Result<Scripts> {
        let nonce =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        // Open invoices are paid a cent each in turn, with the version the last payment returned
        // (the listed one at first): a thread takes every THREADS-th line and reads each answer's
        // id and version. A thread's invoices outnumber its connections, so no two payments of one
        // invoice are in flight at once.
        let payment = format!(
            r#"{THREAD_SETUP}
local ids = {{}}
local versions = {{}}
local n = 0
function init(args)
  local i = 0
  for line in io.lines("{file}") do
    if i % {THREADS} == tid then
      local id, version = line:match("(%S+) (%S+)")
      table.insert(ids, {{id, version}})
    end
    i = i + 1
  end
end
function request()
  n = n + 1
  local pick = ids[((n - 1) % #ids) + 1]
  return wrk.format("POST", "/api/v1/invoices/" .. pick[1] .. "/payments",
    with({{["Content-Type"] = "application/json"}}),
    '{{"version":' .. (versions[pick[1]] or pick[2]) .. ',"amount":"0.01"}}')
end
function response(status, headers, body)
  if status == 200 then
    local id = body:match('"id":"([^"]+)"')
    local version = body:match('"version":(%d+)')
    if id and version then versions[id] = version end
  end
end
"#,
            file = payments.display()
        );
        let create = format!(
            r#"{THREAD_SETUP}
local n = 0
function request()
  n = n + 1
  local body = '{{"direction":"payable","invoice_number":"BENCH-{nonce}-' .. tid .. '-' .. n .. '",' ..
    '"counterparty":{{"name":"Bloc Group BV","vat_number":"BE0662970353","iban":"BE71 0018 6092 2869"}},' ..
    '"issue_date":"2026-11-01","due_date":"2026-12-10","subtotal":"315.75","vat_amount":"66.31","total":"382.06"}}'
  return wrk.format("POST", "/api/v1/invoices", with({{["Content-Type"] = "application/json"}}), body)
end
"#
        );
        let pdf = tidy::workspace_root().join("crates/billify-pdf/tests/fixtures/nl_labels_left.pdf");
        // Every upload differs (a comment after the end), so each is read, not found again.
        let upload = format!(
            r#"{THREAD_SETUP}
local n = 0
local pdf = ""
function init(args)
  local f = io.open("{pdf}", "rb")
  pdf = f:read("*all")
  f:close()
end
function request()
  n = n + 1
  local boundary = "billifybench"
  local body = "--" .. boundary .. "\r\n" ..
    'Content-Disposition: form-data; name="file"; filename="invoice.pdf"' .. "\r\n" ..
    "Content-Type: application/pdf\r\n\r\n" .. pdf .. "\n%bench {nonce} " .. tid .. " " .. n .. "\n\r\n" ..
    "--" .. boundary .. "--\r\n"
  return wrk.format("POST", "/api/v1/invoices/uploads",
    with({{["Content-Type"] = "multipart/form-data; boundary=" .. boundary}}), body)
end
"#,
            pdf = pdf.display()
        );
        let write = |name: &str, text: &str| -> anyhow::Result<PathBuf> {
            let path = work.join(name);
            std::fs::write(&path, text)?;
            Ok(path)
        };
        Ok(Scripts {
            payment: write("payment.lua", &payment)?,
            create: write("create.lua", &create)?,
            upload: write("upload.lua", &upload)?,
        })
    }
}

/// Runs wrk against one path and reads its report.
fn wrk(
    base: &str,
    path: &str,
    auth: &str,
    script: Option<&Path>,
    connections: u32,
    seconds: u32,
) -> anyhow::Result<Figures> {
    let mut command = Command::new("wrk");
    command.args(["-t", &THREADS.min(connections).to_string(), "-c", &connections.to_string()]).args([
        "-d",
        &format!("{seconds}s"),
        "--timeout",
        "10s",
        "--latency",
        "-H",
        auth,
    ]);
    if let Some(script) = script {
        command.arg("-s").arg(script);
    }
    let output = command.arg(format!("{base}{path}")).output().context("running wrk")?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        bail!("wrk failed: {text}{}", String::from_utf8_lossy(&output.stderr));
    }
    parse_wrk(&text)
}

/// Reads wrk's `--latency` report.
fn parse_wrk(text: &str) -> anyhow::Result<Figures> {
    let value = |prefix: &str| -> Option<String> {
        text.lines().find_map(|l| l.trim().strip_prefix(prefix).map(|v| v.trim().to_owned()))
    };
    let requests_per_second: f64 = value("Requests/sec:").and_then(|v| v.parse().ok()).context("no Requests/sec")?;
    let p50 = value("50%").context("no median latency")?;
    let p99 = value("99%").context("no 99th percentile")?;
    let requests: u64 = text
        .lines()
        .find(|l| l.contains(" requests in "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let non_2xx: u64 = value("Non-2xx or 3xx responses:").and_then(|v| v.parse().ok()).unwrap_or(0);
    let socket: u64 = value("Socket errors:")
        .map(|v| v.split(',').filter_map(|part| part.split_whitespace().last()?.parse::<u64>().ok()).sum())
        .unwrap_or(0);
    Ok(Figures { endpoint: String::new(), requests_per_second, p50, p99, errors: non_2xx + socket, requests })
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub(crate) fn commit() -> String {
    Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(tidy::workspace_root())
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".into())
}

pub(crate) fn today() -> String {
    Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

fn render(results: &[RunResult], options: &Options) -> String {
    let mut tables = String::new();
    for r in results {
        let ceiling = r.rows.first().map_or(1.0, |f| f.requests_per_second.max(1.0));
        tables.push_str(&format!(
            "**{}**: seeded in {:.1} s; background jobs after the seed {:.1} s (waited for before the load); cold start {:.0} ms; resident memory {:.1} MiB before the load (after the login), peak {:.1} MiB during it, {:.1} MiB at its end.\n\n\
             | endpoint | req/s | p50 | p99 | errors | of the ceiling |\n|---|---|---|---|---|---|\n",
            r.setup_name,
            r.seed_seconds,
            r.settle_seconds,
            r.cold_start.as_secs_f64() * 1000.0,
            r.settled_rss_kib as f64 / 1024.0,
            r.peak_rss_kib as f64 / 1024.0,
            r.rss_kib as f64 / 1024.0,
        ));
        for f in &r.rows {
            tables.push_str(&format!(
                "| {} | {} | {} | {} | {}{} | {:.1} % |\n",
                f.endpoint,
                thousands(f.requests_per_second.round() as u64),
                f.p50,
                f.p99,
                f.errors,
                if f.errors > 0 { format!(" of {}", thousands(f.requests)) } else { String::new() },
                f.requests_per_second / ceiling * 100.0,
            ));
        }
        tables.push('\n');
    }
    format!(
        "## HTTP request path\n\n\
         Written by `cargo xtask bench http` on {date}, on {machine}, at commit {commit}.\n\n\
         Targets (issue 18), on PostgreSQL with 100,000 invoices at 32 connections: `auth/me` at least\n\
         25,000 req/s; a single invoice at least 20,000 req/s; the list with the default limit at least\n\
         10,000 req/s with p99 under 10 ms; a filtered or searched list at least 5,000 req/s with p99\n\
         under 20 ms; resident memory under 50 MiB under that load; cold start under 100 ms; SQLite no\n\
         slower than PostgreSQL. Seeding 100,000 invoices under 20 s on either database.\n\n\
         How: a release build of `billify` serves with the default configuration (access log at\n\
         `info`, written to a file; 2 workers; pools of 10 PostgreSQL or 4 SQLite connections), in\n\
         its own process; `billify seed` filled a fresh schema or file first. `wrk -t{THREADS}\n\
         -c{CONNECTIONS} -d{seconds}s --latency` drives each endpoint over loopback with keep-alive and\n\
         one session's bearer token, from the same 2-core machine, so load generator, server and\n\
         database share the cores. *Of the ceiling* is the rate as a fraction of the health\n\
         endpoint's in the same run (no database, no session: the HTTP stack and the machine). A\n\
         payment pays one cent on an open invoice with the version its previous payment returned (open\n\
         invoices in turn); an invoice created has a new number each time; an upload is a one-page PDF\n\
         (`nl_labels_left.pdf`) made unique by a trailing comment, so each is read (at most\n\
         {UPLOAD_CONNECTIONS} at once: more connections only get `503 busy`). Cold start is from\n\
         spawning the process to the first 200 of `/api/v1/health` (migrations already applied);\n\
         the peak memory is the server's `VmHWM` during the load (reset with `clear_refs` after the\n\
         seed's background jobs and the login, so it is the requests' peak, not the reconciliation\n\
         run's or the login's password hash's).{quick}\n\n\
         {tables}\
         The original (gunicorn, 2 sync workers, PostgreSQL, the same kind of machine) for comparison:\n\
         the list at 100,000 invoices 10-13 req/s (p99 3.3 s), a single invoice 62-267 req/s,\n\
         `auth/me` 87-522 req/s, 210 MiB resident, cold start 1.2-1.9 s.\n\n",
        date = today(),
        machine = machine(),
        commit = commit(),
        seconds = options.seconds,
        quick = match (options.quick, options.large) {
            (true, _) => " (`--quick`: the small data set only.)",
            (false, true) => " (`--large`: the large data set only.)",
            (false, false) => "",
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_wrk_report() {
        let report = "Running 5s test @ http://127.0.0.1:8080/api/v1/health\n  2 threads and 32 connections\n  \
                      Thread Stats   Avg      Stdev     Max   +/- Stdev\n    Latency   1.00ms  200.00us   5.00ms   90.00%\n  \
                      Latency Distribution\n     50%  354.00us\n     75%  500.00us\n     90%  800.00us\n     99%    1.23ms\n  \
                      123456 requests in 5.00s, 20.00MB read\n  Socket errors: connect 0, read 2, write 0, timeout 5\n  \
                      Non-2xx or 3xx responses: 12\nRequests/sec:  24691.20\nTransfer/sec:      4.00MB\n";
        let f = parse_wrk(report).unwrap();
        assert_eq!(f.p50, "354.00us");
        assert_eq!(f.p99, "1.23ms");
        assert_eq!(f.errors, 19);
        assert_eq!(f.requests, 123_456);
        assert!((f.requests_per_second - 24_691.2).abs() < 0.01);
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(999), "999");
    }
}
