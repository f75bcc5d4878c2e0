//! The `billify` command: parses the command line and runs the chosen command through the
//! composition root in the `billify` library.

use std::process::ExitCode;

use billify::config::Config;
use billify::{extract, secret_key, wiring};
use clap::{Parser, Subcommand};

/// jemalloc instead of the C library's allocator. glibc kept the 19 MiB an argon2id password
/// hash allocates in its heap after the first login (freeing a large mapped block raises its
/// mmap threshold to that size, so the next hash came from the heap and stayed there): a server
/// that had served one login stayed about 19 MiB larger for good. jemalloc is configured at
/// build time (`.cargo/config.toml`) to give freed pages back within about a second. Same load,
/// same run: 34-35 MiB before the load and 47-51 MiB after it, against 53-54 and 68-69 MiB with
/// glibc (`docs/benchmarks.md`).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Billify: cash-flow visibility for small businesses.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server (the default).
    Serve {
        /// Demo mode: a fake Ponto in this process and a demo organisation ("Demo BV") linked to
        /// it; prints `demo login: EMAIL PASSWORD` once. Also `BILLIFY_DEMO=true`.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Read invoice documents (PDF, Peppol UBL, CII, Factur-X) and print one JSON object per
    /// file on stdout: the fields with their confidences.
    Extract {
        /// The files to read.
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
        /// Also print the raw text of PDFs, line by line.
        #[arg(long)]
        text: bool,
        /// Our own organisation's name, so the other party is taken as the counterparty.
        #[arg(long)]
        own_name: Vec<String>,
    },
    /// Create a demo organisation with realistic invoices (migrates first). The invoices are
    /// written as one transaction (the kept sums are brought up to date at its end), the bank
    /// transactions in transactions of 10,000; a progress bar shows on a terminal.
    Seed {
        /// The organisation's name.
        #[arg(long, default_value = "Demo BV")]
        org: String,
        /// How many invoices to create.
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(0..=1_000_000))]
        invoices: u32,
        /// How many bank transactions to create on one account (benchmarks list 1,000,000).
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=10_000_000))]
        bank_transactions: u32,
    },
    /// Print a fresh random secret key as one `KEY_ID:BASE64` line, for `BILLIFY_SECRET_KEY`
    /// or a key file.
    GenerateKey,
    /// Re-seal every stored integration secret under the current secret key (after a new key
    /// was made current and the old one kept in `BILLIFY_OLD_SECRET_KEYS`).
    RotateKey,
    /// Replay each organisation's history through the forecast, forecasting from past days with
    /// only what was known then, and print the error at 7, 30, 60 and 90 days (MAPE, mean
    /// absolute error, how often the actual balance fell inside the band).
    ForecastBacktest {
        /// Only this organisation (its id); every organisation when absent.
        #[arg(long)]
        org: Option<String>,
    },
    /// Print how well uploaded documents were read over every organisation, from what people
    /// confirmed: the JSON of GET /api/v1/invoices/reading-accuracy, counts only (no
    /// organisation, document or value is named), for an operator to look at or share.
    ReadingAccuracy {
        /// Count documents uploaded in the last this many days.
        #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..=3650))]
        days: u32,
    },
    /// Exit 0 when this configuration's server answers GET /api/v1/health (container health
    /// checks).
    Probe,
    /// Print the OpenAPI 3.1 document of the API (the one served at /api/v1/openapi.json).
    Openapi,
    /// Write a backup to FILE (a new file): a consistent copy of the SQLite database taken
    /// while the server runs, the documents and a manifest, without the secret key unless asked.
    /// On PostgreSQL: the documents and a manifest only (dump the database with pg_dump).
    Backup {
        /// The backup file to create (never overwritten).
        file: std::path::PathBuf,
        /// Also put the secret key file in the backup (whoever holds the file can then open
        /// every stored credential).
        #[arg(long)]
        include_key: bool,
    },
    /// Restore a backup made by `billify backup` into the configured locations, which must be
    /// empty; the whole file is checked before anything is written.
    Restore {
        /// The backup file.
        file: std::path::PathBuf,
    },
    /// The audit trail.
    Audit {
        /// What to do with it.
        #[command(subcommand)]
        action: AuditCommand,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk every hash chain of the audit log and recompute every hash; exit non-zero naming the
    /// first broken entry.
    Verify,
}

/// `BILLIFY_DEMO=true` (or `1`) turns on demo mode like `serve --demo`.
fn demo_from_env() -> bool {
    std::env::var("BILLIFY_DEMO").is_ok_and(|v| matches!(v.trim(), "1" | "true"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Extract { files, text, own_name }) = &cli.command {
        // Needs no database and no server configuration.
        return extract::run(files, *text, own_name);
    }
    if let Some(Command::Openapi) = &cli.command {
        // Generated from the code: needs no configuration.
        #[allow(clippy::print_stdout, reason = "the document is the command's output")]
        {
            println!("{}", billify_web::openapi::document_json());
        }
        return ExitCode::SUCCESS;
    }
    if let Some(Command::GenerateKey) = &cli.command {
        // Needs no configuration either.
        return match secret_key::generate_key_command() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("billify: {e:#}");
                ExitCode::FAILURE
            }
        };
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("billify: {e}");
            eprintln!("billify: see .env.example for every variable and its default");
            return ExitCode::from(2);
        }
    };
    billify::logging::init(&config.log_filter, config.log_json);
    let result = match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => wiring::serve(&config, demo || demo_from_env()),
        Command::Migrate => wiring::migrate(&config),
        Command::Seed { org, invoices, bank_transactions } => {
            billify::seed::run(&config, &org, invoices, bank_transactions)
        }
        Command::RotateKey => wiring::rotate_key(&config),
        Command::ForecastBacktest { org } => billify::backtest::run(&config, org.as_deref()),
        Command::Audit { action: AuditCommand::Verify } => wiring::audit_verify(&config),
        Command::Backup { file, include_key } => billify::backup::run_backup(&config, &file, include_key),
        Command::Restore { file } => billify::backup::run_restore(&config, &file),
        Command::ReadingAccuracy { days } => billify::reading_report::run(&config, days),
        Command::Probe => billify::probe::healthy(config.bind, std::time::Duration::from_secs(3)),
        Command::Extract { .. } | Command::GenerateKey | Command::Openapi => Ok(()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            log::error!("{e:#}");
            eprintln!("billify: {e:#}");
            ExitCode::FAILURE
        }
    }
}
