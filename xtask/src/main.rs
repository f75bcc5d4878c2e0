//! Workspace tasks for developers and operators, run as `cargo xtask <task>`.
//!
//! - `tidy`: checks the architecture rules (dependency directions, migration parity, the columns
//!   both backends' migrations create against the shared Diesel schema, crate docs);
//! - `migrate`: applies pending migrations to `BILLIFY_DATABASE_URL`;
//! - `seed --org NAME --invoices N`: creates a demo organisation with realistic invoices;
//! - `ci`: format check, clippy with warnings denied, tidy and every test;
//! - `bench`: performance benchmarks, written to `docs/benchmarks.md` (`bench pdf`: only the
//!   document benchmarks).
//!
//! Tasks that touch the database delegate to the `billify` binary, so this crate stays small;
//! only tidy's schema check links the two store crates, to migrate fresh databases.

#![allow(clippy::print_stdout, reason = "a command-line tool reports on stdout")]

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
        "bench" => bench(rest.first().map(String::as_str) == Some("pdf")),
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
    let today = Command::new("date")
        .arg("-u")
        .arg("+%Y-%m-%d")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let pdf = pdf_section(&extraction, hostile.trim_end());
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
{}",
            sync_section()?,
            reconcile_section(),
            cashflow_section()
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

/// The document sections: extraction speed and the hostile set.
fn pdf_section(extraction: &str, hostile: &str) -> String {
    format!(
        "## PDF invoice extraction\n\n\
         Target: under 10 ms per typical single-page invoice on one core.\n\
         Median over 200 runs per document of text extraction alone and of full field extraction,\n\
         single-threaded (`cargo run --release -p billify-pdf --example bench_extract -- 200`):\n\n\
         ```\n{extraction}```\n\n\
         The guard's scan of the raw file before lopdf parses it decodes every stream once more; run\n\
         back to back with the code before it (commit b75a49b) on a loaded machine, the medians were\n\
         within 10 % of each other either way.\n\n\
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

/// Runs the cash position benchmark on PostgreSQL and returns its section.
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
         kept by statement triggers in the statement that writes the transactions) and subtracts the\n\
         range's own transfers through `bank_transactions_by_counterparty`. Indexes (migration\n\
         `000018_add_cashflow_indexes`): open items and the next N by due date\n\
         read the partial index `invoices_open (organisation_id, direction, due_date, id) INCLUDE (...)\n\
         WHERE status <> 'paid'`, credit notes `invoices_by_corrected`, VAT `invoices_by_issue`. Every\n\
         statement's plan was checked with EXPLAIN ANALYZE (index-only scans, no heap fetches). The cost\n\
         follows the open invoices and the transactions in the range, not the tables' sizes.\n"
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
