//! Workspace tasks for developers and operators, run as `cargo xtask <task>`.
//!
//! - `tidy`: checks the architecture rules (dependency directions, migration parity, crate docs);
//! - `migrate`: applies pending migrations to `BILLIFY_DATABASE_URL`;
//! - `seed --org NAME --invoices N`: creates a demo organisation with realistic invoices;
//! - `ci`: format check, clippy with warnings denied, tidy and every test.
//!
//! Tasks that touch the database delegate to the `billify` binary, so this crate stays small.

#![allow(clippy::print_stdout, reason = "a command-line tool reports on stdout")]

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
    let mut test = cargo();
    test.args(["test", "--workspace", "--locked"]);
    run_step("cargo test (includes tidy)", test)?;
    let mut serde = cargo();
    serde.args(["test", "--locked", "--package", "billify-domain", "--features", "serde"]);
    run_step("cargo test billify-domain --features serde", serde)?;
    println!("ci: all checks passed");
    Ok(())
}
