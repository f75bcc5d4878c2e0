//! Workspace tasks for developers and operators, run as `cargo xtask <task>`.
//!
//! - `tidy`: checks the architecture rules (dependency directions, migration parity, the columns
//!   both backends' migrations create against the shared Diesel schema, crate docs);
//! - `migrate`: applies pending migrations to `BILLIFY_DATABASE_URL`;
//! - `seed --org NAME --invoices N`: creates a demo organisation with realistic invoices;
//! - `ci`: format check, clippy with warnings denied, tidy and every test;
//! - `bench`: performance benchmarks, written to `docs/benchmarks.md` (`bench pdf`: only the
//!   document benchmarks; `bench forecast`: only the forecast's section; `bench events`: only the
//!   live-event streams' section; `bench http`: only the HTTP request path, measured with `wrk`;
//!   `bench yuki`: only the accounting sync; `bench backup`: only SQLite's backup and restore);
//! - `corpus [--base REV]`: the PDF reader's regression guard: generates the accuracy corpora,
//!   scores them and compares with the reader at REV.
//!
//! Tasks that touch the database delegate to the `billify` binary, so this crate stays small;
//! only tidy's schema check links the two store crates, to migrate fresh databases.

#![allow(clippy::print_stdout, reason = "a command-line tool reports on stdout")]

mod bench_http;
mod bench_ops;
mod corpus;
mod schema;
mod source_rules;
mod tidy;

use std::process::{Command, ExitCode};

use anyhow::{Context as _, bail};

const HELP: &str = "\
cargo xtask <task>

tasks:
  tidy                          check dependency directions, migration parity and crate docs
  migrate                       apply pending migrations to BILLIFY_DATABASE_URL
  seed --org NAME --invoices N  create a demo organisation with N invoices in BILLIFY_DATABASE_URL
  ci                            fmt check, clippy -D warnings, tidy, all tests
  bench                         run the benchmarks (release builds) and write docs/benchmarks.md
  bench pdf                     only the document benchmarks (extraction speed, hostile set); keep
                                the bank sync figures of the last full run
  bench forecast                only the forecast benchmark (PostgreSQL); keep every other section
  bench events                  only the live-event streams' memory; replace that section alone
  bench http [--quick|--large] [--duration S] [--only postgres|sqlite]
                                only the HTTP request path (seeds, serves, drives it with wrk);
                                replace that section alone
  bench yuki                    only the accounting sync (Yuki, 1,000 and 10,000 items, SQLite and
                                PostgreSQL); replace that section alone
  bench backup                  only SQLite's backup and restore (10,000 and 100,000 invoices);
                                replace that section alone
  corpus [--base REV] [--only a,b] [--dir DIR] [--fixed]
                                generate the PDF accuracy corpora (once, in target/corpora), score
                                them and, with --base, list the fields fixed and lost since REV
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> anyhow::Result<()> {
    let Some((task, rest)) = args.split_first() else {
        print!("{HELP}");
        return Ok(());
    };
    match task.as_str() {
        "tidy" => {
            let problems = tidy::check(&tidy::workspace_root())?;
            if problems.is_empty() {
                println!("tidy: all architecture rules hold");
                Ok(())
            } else {
                for p in &problems {
                    eprintln!("tidy: {p}");
                }
                bail!("{} architecture rule(s) broken", problems.len())
            }
        }
        "migrate" => billify(&["migrate"]),
        "seed" => {
            let mut forwarded = vec!["seed"];
            forwarded.extend(rest.iter().map(String::as_str));
            billify(&forwarded)
        }
        "ci" => ci(),
        "bench" if rest.first().map(String::as_str) == Some("forecast") => bench_forecast_only(),
        "bench" if rest.first().map(String::as_str) == Some("events") => bench_events_only(),
        "bench" if rest.first().map(String::as_str) == Some("yuki") => bench_ops::bench_yuki_only(),
        "bench" if rest.first().map(String::as_str) == Some("backup") => bench_ops::bench_backup_only(),
        "bench" if rest.first().map(String::as_str) == Some("http") => {
            bench_http::bench_http_only(&bench_http::Options::parse(&rest[1..])?)
        }
        "bench" => bench(rest.first().map(String::as_str) == Some("pdf")),
        "corpus" => corpus::run(&corpus::Options::parse(rest)?),
        "help" | "--help" | "-h" => {
            print!("{HELP}");
            Ok(())
        }
        other => bail!("unknown task {other:?}\n\n{HELP}"),
    }
}

fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(tidy::workspace_root());
    command
}

fn run_step(name: &str, mut command: Command) -> anyhow::Result<()> {
    println!("==> {name}");
    let status = command.status().with_context(|| format!("starting {name}"))?;
    if !status.success() {
        bail!("{name} failed ({status})");
    }
    Ok(())
}

/// Runs the `billify` binary (release build) with arguments.
fn billify(args: &[&str]) -> anyhow::Result<()> {
    let mut command = cargo();
    command.args(["run", "--quiet", "--release", "--package", "billify", "--"]).args(args);
    run_step(&format!("billify {}", args.join(" ")), command)
}

fn ci() -> anyhow::Result<()> {
    let mut fmt = cargo();
    fmt.args(["fmt", "--all", "--", "--check"]);
    run_step("cargo fmt --check", fmt)?;
    let mut clippy = cargo();
    clippy.args(["clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"]);
    run_step("cargo clippy", clippy)?;
    let mut production = cargo();
    production.args(["clippy", "--locked", "--package", "billify", "--no-default-features", "--", "-D", "warnings"]);
    run_step("cargo clippy billify --no-default-features (a production build without demo mode)", production)?;
    let mut test = cargo();
    test.args(["test", "--workspace", "--locked"]);
    run_step("cargo test (includes tidy)", test)?;
    let mut serde = cargo();
    serde.args(["test", "--locked", "--package", "billify-domain", "--features", "serde"]);
    run_step("cargo test billify-domain --features serde", serde)?;
    println!("ci: all checks passed");
    Ok(())
}

/// Runs a release example and returns its standard output.
fn run_example(package: &str, example: &str, args: &[&str]) -> anyhow::Result<String> {
    println!("==> {package} {example}");
    let output = cargo()
        .args(["run", "--quiet", "--release", "--locked", "--package", package, "--example", example, "--"])
        .args(args)
        .output()
        .with_context(|| format!("running {example}"))?;
    if !output.status.success() {
        bail!("{example} failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let text = String::from_utf8(output.stdout).context("benchmark output is not UTF-8")?;
    print!("{text}");
    Ok(text)
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name").map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned()))
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(usize::from).unwrap_or(1);
    format!("{cpu}, {cores} cores")
}

/// Runs the benchmarks and rewrites `docs/benchmarks.md` with the figures. With `only_pdf`, the
/// bank sync section of the current file is kept as it is, with the date of its run.
fn bench(only_pdf: bool) -> anyhow::Result<()> {
    let path = tidy::workspace_root().join("docs/benchmarks.md");
    let extraction = run_example("billify-pdf", "bench_extract", &["200"])?;
    let hostile = run_example("billify", "bench_hostile", &[])?;
    let accuracy = accuracy_section()?;
    let today = Command::new("date")
        .arg("-u")
        .arg("+%Y-%m-%d")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let pdf = pdf_section(&extraction, &accuracy, hostile.trim_end());
    let sync = if only_pdf {
        let current = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let from = current.find("## Bank sync").context("docs/benchmarks.md has no bank sync section to keep")?;
        let run = current
            .lines()
            .find_map(|l| l.strip_prefix("Written by `cargo xtask bench` (release builds) on "))
            .and_then(|rest| rest.split(", on ").next())
            .unwrap_or("an earlier run")
            .to_owned();
        let kept = &current[from..];
        let note = if kept.contains("*Kept from the full run of") {
            String::new()
        } else {
            format!("*Kept from the full run of {run}: `cargo xtask bench pdf` ran only the sections above.*\n\n")
        };
        let (heading, body) = kept.split_once("\n\n").unwrap_or((kept, ""));
        format!("{heading}\n\n{note}{body}")
    } else {
        format!(
            "{}
{}
{}
{}
{}
{}
{}
{}",
            sync_section()?,
            bench_ops::yuki_section(),
            bench_ops::backup_section(),
            reconcile_section(),
            cashflow_section(),
            forecast_section(),
            events_section(),
            http_or_note()
        )
    };
    let doc = format!(
        "# Benchmarks\n\n\
         Written by `cargo xtask bench` (release builds) on {today}, on {machine}.\n\
         Targets are checked here, never in timed tests.\n\n\
         {pdf}\n{sync}",
        machine = machine(),
    );
    std::fs::write(&path, doc).with_context(|| format!("writing {}", path.display()))?;
    println!("bench: wrote {}", path.display());
    Ok(())
}

/// Field accuracy: the full generated corpus's figures as last recorded
/// (`crates/billify-pdf/corpus/accuracy.md`; regenerating the corpus needs Chromium and Python,
/// see the corpus README), then the committed sample's held-out half, scored now.
fn accuracy_section() -> anyhow::Result<String> {
    let recorded = tidy::workspace_root().join("crates/billify-pdf/corpus/accuracy.md");
    let full = std::fs::read_to_string(&recorded).with_context(|| format!("reading {}", recorded.display()))?;
    let sample = run_example("billify-pdf", "score_corpus", &["--split", "heldout", "--markdown"])?;
    Ok(format!(
        "{}

         The committed sample (`crates/billify-pdf/corpus/sample`: every ReportLab invoice, two
         Chromium invoices per family, three scans, four LibreOffice, four TeX and six printed
         e-invoices), held-out half, scored by this run
         (`cargo run --release -p billify-pdf --example score_corpus -- --split heldout`; without
         Tesseract the scans count as wrong):

{}
",
        full.trim_end(),
        sample.trim_end()
    ))
}

/// The HTTP section of a full run, or why it could not run (`wrk` missing, no database).
fn http_or_note() -> String {
    let options = bench_http::Options { seconds: 5, quick: false, large: false, only: None };
    bench_http::http_section(&options).unwrap_or_else(|e| format!("## HTTP request path\n\nNot run: {e:#}\n"))
}

/// Replaces the section starting with `heading` in `docs/benchmarks.md` (appended when absent),
/// keeping every other section as it is.
pub(crate) fn replace_section(heading: &str, section: &str) -> anyhow::Result<()> {
    let path = tidy::workspace_root().join("docs/benchmarks.md");
    let current = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let doc = match current.find(heading) {
        Some(from) => {
            let rest = &current[from + 2..];
            let end = rest.find("\n## ").map(|i| from + 2 + i + 1).unwrap_or(current.len());
            format!("{}{section}{}", &current[..from], &current[end..])
        }
        None => format!("{}\n{section}", current.trim_end_matches('\n').to_owned() + "\n"),
    };
    std::fs::write(&path, doc).with_context(|| format!("writing {}", path.display()))?;
    println!("bench: wrote the section {heading:?} of {}", path.display());
    Ok(())
}

/// The document sections: extraction speed, field accuracy and the hostile set.
fn pdf_section(extraction: &str, accuracy: &str, hostile: &str) -> String {
    format!(
        "## PDF invoice extraction\n\n\
         Target: under 10 ms per typical single-page invoice on one core.\n\
         Median over 200 runs per document of text extraction alone and of full field extraction,\n\
         single-threaded (`cargo run --release -p billify-pdf --example bench_extract -- 200`):\n\n\
         ```\n{extraction}```\n\n\
         The guard's scan of the raw file before lopdf parses it decodes every stream once more; run\n\
         back to back with the code before it (commit b75a49b) on a loaded machine, the medians were\n\
         within 10 % of each other either way.\n\n\
         {accuracy}\n\
         ## Hostile documents\n\n\
         Target: every document read, however hostile, ends within 2 s and 256 MiB of peak resident\n\
         memory (the default budget, `BILLIFY_EXTRACTION_SECONDS` and `BILLIFY_EXTRACTION_MEMORY_MIB`),\n\
         with a typed answer. Each file of the hostile set (`crates/billify-pdf-guard/tests/support/hostile.rs`)\n\
         is read as an upload reads it (the Factur-X reader, then the text reader), in a fresh process;\n\
         peak memory is that process's peak resident set, program included. Then one process reads\n\
         twenty of them at once through one reader, as twenty parallel uploads would be read\n\
         (`cargo run --release -p billify --example bench_hostile`):\n\n\
         {hostile}\n\n\
         Ceiling: a server reads at most `BILLIFY_EXTRACTIONS_AT_ONCE` (2) documents at once; uploads\n\
         past that get 503 with `Retry-After`. Reading therefore adds at most two budgets, 2 × 256 MiB\n\
         with the defaults, to a server's memory; the last line above measures twenty hostile reads at\n\
         once. Through the real server (release build, SQLite, `POST /api/v1/invoices/uploads` with\n\
         curl), twenty hostile uploads in parallel raised its peak resident memory from 62 MiB to\n\
         143-160 MiB (the set round robin, or twenty copies of one glyph flood); 2 to 6 were answered\n\
         422 `document-too-complex`, the rest 503 `busy`, and the server went on answering. Before\n\
         the guard (commit b75a49b), `billify extract` took 40 s and 10.2 GiB on\n\
         `bomb_10g_objstm_double.pdf` and 7.9 s and 2.8 GiB on `content_many_glyphs.pdf`, and four\n\
         glyph floods uploaded at once ended the server (issue 22).\n"
    )
}

/// `cargo xtask bench forecast`: runs only the forecast benchmark and replaces its section of
/// `docs/benchmarks.md` (appended when absent), keeping every other section as it is.
fn bench_forecast_only() -> anyhow::Result<()> {
    let path = tidy::workspace_root().join("docs/benchmarks.md");
    let current = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let section = forecast_section();
    let doc = match current.find("## Cash forecast") {
        Some(from) => {
            let rest = &current[from + 2..];
            let end = rest.find("\n## ").map(|i| from + 2 + i + 1).unwrap_or(current.len());
            format!("{}{section}{}", &current[..from], &current[end..])
        }
        None => format!("{}\n{section}", current.trim_end_matches('\n').to_owned() + "\n"),
    };
    std::fs::write(&path, doc).with_context(|| format!("writing {}", path.display()))?;
    println!("bench: wrote the forecast section of {}", path.display());
    Ok(())
}

/// Runs the forecast benchmark on PostgreSQL (latency, then the backtest on the synthetic
/// history) and returns its section.
fn forecast_section() -> String {
    let pg = std::env::var("BILLIFY_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let output = match run_example("billify", "bench_forecast", &["100000", "1000000", pg.as_str()]) {
        Ok(rows) => rows,
        Err(e) => format!("| not run: {} |\n", e.to_string().lines().next().unwrap_or_default()),
    };
    let latency: String = output.lines().filter(|l| !l.starts_with("| backtest")).map(|l| format!("{l}\n")).collect();
    let backtest: String = output.lines().filter(|l| l.starts_with("| backtest")).map(|l| format!("{l}\n")).collect();
    format!(
        "## Cash forecast\n\n\
         Target: `GET /cashflow/forecast?days=90` under 100 ms for one organisation with 100,000 invoices\n\
         and credit notes and 1,000,000 bank transactions on PostgreSQL (the cash position's data, plus\n\
         rent and salaries as recurring flows). *First of the day* is the first forecast of the\n\
         organisation's day, which detects the recurring series over 400 days of transactions and stores\n\
         them; the percentiles are 100 sequential calls of `ForecastService::forecast` (what the route\n\
         calls) after 10 warm-up calls\n\
         (`cargo run --release -p billify --example bench_forecast -- 100000 1000000 URL`).\n\n\
         | request | invoices | transactions | series | movements | first of the day | p50 | p95 | p99 | max |\n\
         |---|---|---|---|---|---|---|---|---|---|\n\
         {latency}\n\
         Backtest on the synthetic history (`billify::synthetic`: 18 months, rent, salaries, a weekly\n\
         subscription, quarterly insurance, five customers paying 0, 5, 12, 20 and 35 days late, suppliers\n\
         paid on time, card payments to one-off shops): 40 forecasts, one a week, each from a past day\n\
         with only what was known then, compared with the balance 7, 30, 60 and 90 days later. The test\n\
         `crates/billify/tests/forecast.rs` bounds the same figures on SQLite. Most of the error at 30\n\
         and 60 days is the invoices not yet issued on the forecast's day, which the forecast does not\n\
         extrapolate.\n\n\
         | run | history | horizon (days) | forecasts | MAPE | mean absolute error | actual inside the band | backtest time |\n\
         |---|---|---|---|---|---|---|---|\n\
         {backtest}"
    )
}

/// Runs the cash position benchmark on PostgreSQL and returns its section.
/// `cargo xtask bench events`: runs only the live-event section and replaces it in
/// `docs/benchmarks.md` (appending it when missing), leaving the other sections as they are.
fn bench_events_only() -> anyhow::Result<()> {
    let path = tidy::workspace_root().join("docs/benchmarks.md");
    let current = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let section = events_section();
    let doc = match current.find(EVENTS_HEADING) {
        Some(start) => {
            let rest = &current[start + EVENTS_HEADING.len()..];
            let end = rest.find("\n## ").map_or(current.len(), |i| start + EVENTS_HEADING.len() + i + 1);
            format!("{}{section}{}", &current[..start], &current[end..])
        }
        None => format!("{}\n{section}", current.trim_end_matches('\n').to_owned() + "\n"),
    };
    std::fs::write(&path, doc).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

const EVENTS_HEADING: &str = "## Live event streams";

/// The live-event section: 1,000 idle `GET /api/v1/events` streams on PostgreSQL.
fn events_section() -> String {
    let pg = std::env::var("BILLIFY_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let row = match run_example("billify", "bench_events", &["1000", pg.as_str()]) {
        Ok(row) => row,
        Err(e) => format!(
            "| PostgreSQL | - | - | - | - | - | - | not run: {} |\n",
            e.to_string().lines().next().unwrap_or_default()
        ),
    };
    format!(
        "{EVENTS_HEADING}\n\n\
         Target: 1,000 idle Server-Sent Events streams (`GET /api/v1/events`) held in under 50 MiB of\n\
         extra resident memory. The example serves the API in its own process with the server's\n\
         wiring on PostgreSQL, opens the streams over loopback TCP (one organisation, one session),\n\
         lets them idle, and reads the process's resident set before and after; then it creates one\n\
         invoice and reads its event on every stream\n\
         (`cargo run --release -p billify --example bench_events -- STREAMS [URL]`). The client\n\
         sockets live in the same process, but hold no user-space buffers beyond a few bytes each.\n\n\
         | database | streams | resident before | resident after | extra | per stream | opening all | one event to all |\n\
         |---|---|---|---|---|---|---|---|\n\
         {row}\n\
         An idle stream is an actix connection with its buffers, a broadcast receiver and a timer: no\n\
         database connection, no thread. When its organisation has a new event, each of its streams\n\
         reads the log once through the blocking pool.\n"
    )
}

fn cashflow_section() -> String {
    let pg = std::env::var("BILLIFY_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let rows = match run_example("billify", "bench_cashflow", &["100000", "1000000", pg.as_str()]) {
        Ok(rows) => rows,
        // PostgreSQL may be absent on a developer machine: say so in the table.
        Err(e) => format!("| not run: {} |\n", e.to_string().lines().next().unwrap_or_default()),
    };
    format!(
        "## Cash position\n\n\
         Target: `GET /cashflow/summary` under 25 ms at the 99th percentile for one organisation with\n\
         100,000 invoices and credit notes and 1,000,000 bank transactions on PostgreSQL. Each row is 300\n\
         sequential calls of `CashflowService::summary` (what the route calls: the calendar, the six\n\
         statements in one read transaction, the shaping) after 20 warm-up calls, on data written through\n\
         the real repositories and then vacuumed and analysed\n\
         (`cargo run --release -p billify --example bench_cashflow -- 100000 1000000 URL`). The data spans\n\
         three years: about one invoice in ten is open, 3 % are credit notes, one transaction in twenty is\n\
         a transfer between the organisation's own accounts.\n\n\
         | request | invoices | transactions | open items | transactions in range | p50 | p95 | p99 | max |\n\
         |---|---|---|---|---|---|---|---|---|\n\
         {rows}\n\
         Money in and out reads `bank_daily_flows` (migration `000029`: one row per day and currency,\n\
         kept by statement triggers in the statement that writes the transactions) and subtracts\n\
         `bank_daily_own_transfers` (migration `000036`: transfers to the organisation's own IBANs per\n\
         day, kept by the same writes and recomputed when an account's IBAN comes or goes). Open items\n\
         read `invoice_open_amounts` (migration `000036`: open amounts net of payments and credit notes\n\
         per direction, currency, due date and manual urgency, recomputed by triggers for each family\n\
         of documents a statement writes), VAT `invoice_daily_vat` (per issue day and currency), and\n\
         the next N by due date the partial index `invoices_open` with `invoices_by_corrected`. The\n\
         contract tests check the kept sums against the domain rules after every kind of write on\n\
         both backends. The cost follows the days and due dates in play, not the number of documents.\n"
    )
}

/// Runs the bank sync benchmarks and returns their section.
fn sync_section() -> anyhow::Result<String> {
    let pg = std::env::var("BILLIFY_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let mut sync_rows = String::new();
    for (orgs, database) in [("500", None), ("2000", None), ("500", Some(pg.as_str())), ("2000", Some(pg.as_str()))] {
        let mut args = vec![orgs];
        args.extend(database);
        match run_example("billify", "bench_sync", &args) {
            Ok(row) => sync_rows.push_str(&row),
            // PostgreSQL may be absent on a developer machine: say so in the table.
            Err(e) if database.is_some() => sync_rows.push_str(&format!(
                "| PostgreSQL | {orgs} | - | not run: {} |\n",
                e.to_string().lines().next().unwrap_or_default()
            )),
            Err(e) => return Err(e),
        }
    }
    Ok(format!(
        "## Bank sync\n\n\
         Target: at least 10,000 organisations synced per minute against the fake Ponto with 20 ms of\n\
         latency per request, each organisation with 3 accounts and 201 new transactions (4 requests\n\
         per organisation), with memory flat as organisations grow. The original design managed 124\n\
         per minute. Real adapter, real sync engine, real database; the fake runs in the same process\n\
         and shares the 2 cores (`cargo run --release -p billify --example bench_sync -- ORGS [URL]`).\n\
         Then every organisation syncs again with nothing new at the bank (*re-syncs/min*): the\n\
         steady state of syncing every minute, where each run re-reads its newest page and finds it\n\
         all stored. *Time* and *requests* are the first round's. Peak memory is the whole process\n\
         (fake included) over both rounds; compare it across organisation counts.\n\n\
         | database | organisations | workers | time | organisations/min | failed syncs | requests | re-syncs/min | failed re-syncs | peak after setup | peak | resident at end |\n\
         |---|---|---|---|---|---|---|---|---|---|---|---|\n\
         {sync_rows}\n\
         An organisation's sync is three write transactions: the job's claim, the run's start (with\n\
         its accounts) and its end (with the transactions, watermarks, status and the job's\n\
         completion). On SQLite they queue for the process's one writer, which is busy for about\n\
         four fifths of the run, mostly inserting the rows into the table and its four indexes and\n\
         writing them to the log; the CPU is about half idle. On PostgreSQL the CPU is the limit: the\n\
         server takes about half of it (index maintenance, foreign-key checks, planning), and\n\
         loopback round trips to it and to the fake take much of the rest.\n\n\
         Figures depend on the machine as much as on the code. Compare them only within one run of\n\
         `cargo xtask bench`; the extraction figures above tell how fast the machine was. Commit\n\
         b9a3034 synced 4,700-6,300 organisations per minute (both databases) on an Intel Xeon\n\
         machine whose extraction managed 1,698 pages/s; the same sync code synced 11,700-13,900 on\n\
         an AMD EPYC machine whose extraction managed 3,890. Runs of the same code on the same\n\
         machine minutes apart can still differ by a fifth: compare several runs before believing a\n\
         change.\n"
    ))
}

/// The reconciliation section: a new batch of 1,000 transactions against 100,000 invoices.
fn reconcile_section() -> String {
    let pg = std::env::var("BILLIFY_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let row = match run_example("billify", "bench_reconcile", &["100000", "1000000", "5", pg.as_str()]) {
        Ok(row) => row,
        // PostgreSQL may be absent on a developer machine: say so in the table.
        Err(e) => {
            format!("| PostgreSQL | - | - | - | - | not run: {} |\n", e.to_string().lines().next().unwrap_or_default())
        }
    };
    format!(
        "## Reconciliation\n\n\
         Target: reconciling a new batch of 1,000 bank transactions in under 1 s, for one organisation\n\
         with 100,000 invoices (half of them open) and 1,000,000 bank transactions already reconciled,\n\
         on PostgreSQL. Each batch holds 250 credits quoting an open invoice's OGM, 250 quoting an\n\
         invoice number in free text (both applied), 100 that fit one invoice by amount and customer\n\
         (suggestions) and 400 that fit nothing. *Run* is the whole job: read the new transactions,\n\
         the open items and the exclusions, match, read the invoices to pay, and store matches,\n\
         suggestions, payments, events and audit entries in one transaction\n\
         (`cargo run --release -p billify --example bench_reconcile -- INVOICES HISTORY ROUNDS URL`).\n\
         *Re-run* runs again with nothing new. *Setup* is inserting the invoices, then the history,\n\
         then the first run.\n\n\
         | database | invoices | open | history | batches | run (median) | run (worst) | matches/batch | suggestions/batch | re-run | setup |\n\
         |---|---|---|---|---|---|---|---|---|---|---|\n\
         {row}\n\
         A run reads only the open items its batch may name (migration `000028`): the references and\n\
         normalised word runs of the batch looked up in the stored `invoices.number_key` and\n\
         `reference_key`, its amounts in `total_minor - paid_minor`, and the invoices credit notes\n\
         correct (partial indexes `invoices_open_by_number`, `_by_reference`, `_by_amount`), so its\n\
         cost follows the batch, not the number of open invoices. The history is never scanned: new\n\
         transactions are found through a partial index (`bank_transactions_to_reconcile`, `WHERE\n\
         reconciled_at IS NULL`), and the invoices stored since the last run through\n\
         `invoices_to_reconcile`; the third setup figure is the first run, which compares the\n\
         100,000 new invoices with the unmatched transactions of their window. The invoices a batch\n\
         pays are read in one query, their events inserted in one statement, and a\n\
         run is audited in one entry per hundred invoices.\n"
    )
}
