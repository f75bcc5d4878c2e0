//! The benchmarks of issues 17 and 19: the accounting sync (Yuki) and SQLite's backup and
//! restore, each a section of `docs/benchmarks.md` that `cargo xtask bench yuki` and
//! `cargo xtask bench backup` rewrite alone (a full `cargo xtask bench` writes both).

use crate::bench_http::{commit, today};
use crate::{machine, replace_section, run_example};

/// The heading of the accounting sync's section.
pub(crate) const YUKI_HEADING: &str = "## Accounting sync (Yuki)";
/// The heading of the backup section.
pub(crate) const BACKUP_HEADING: &str = "## Backup and restore (SQLite)";

/// The machine's load average over the last minute, five and fifteen minutes.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into())
}

/// When, where and what was measured, for the top of a section.
fn stamp(task: &str) -> String {
    format!(
        "Written by `cargo xtask {task}` on {}, on {}, at commit {}; load average before the run: {}.",
        today(),
        machine(),
        commit(),
        load_average()
    )
}

/// The table rows of an example's output (the lines that start with `|`).
fn rows(output: &str) -> String {
    output.lines().filter(|l| l.starts_with('|')).map(|l| format!("{l}\n")).collect()
}

/// Runs an example once per argument list; a run that fails becomes a row saying why.
fn table(example: &str, runs: &[Vec<&str>], columns: usize) -> String {
    let mut out = String::new();
    for args in runs {
        match run_example("billify", example, args) {
            Ok(output) => out.push_str(&rows(&output)),
            // PostgreSQL may be absent on a developer machine: say so in the table.
            Err(e) => out.push_str(&format!(
                "| {} | not run: {}{} |\n",
                args.join(" "),
                e.to_string().lines().next().unwrap_or_default(),
                " |".repeat(columns.saturating_sub(2))
            )),
        }
    }
    out
}

/// The accounting sync section: 1,000 and 10,000 outstanding items, SQLite and PostgreSQL.
pub(crate) fn yuki_section() -> String {
    let pg = std::env::var("BILLIFY_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let stamp = stamp("bench yuki");
    let runs = [vec!["1000"], vec!["10000"], vec!["1000", pg.as_str()], vec!["10000", pg.as_str()]];
    let table = table("bench_yuki", &runs, 11);
    format!(
        "{YUKI_HEADING}\n\n\
         {stamp}\n\n\
         Target (issue 17): an administration of 10,000 outstanding items syncs within Yuki's call\n\
         budget (80 % of 1,000 calls a day per domain) and with flat memory. One organisation\n\
         connects the fake Yuki (`billify-testkit`, loopback, in the same process) with six in ten\n\
         sales and four in ten purchase items, through the real adapter (`billify-yuki`, which reads\n\
         each answer as a stream), the real sync engine (job queue, budget, run history) and a real\n\
         database (`cargo run --release -p billify --example bench_yuki -- ITEMS [URL]`). The *first*\n\
         sync creates an invoice of every item, each with its audit entry; the *second* finds nothing\n\
         changed; the *third* finds a tenth changed: one item in twenty paid in the books (gone from\n\
         the lists: its invoice is marked paid, audited) and one in twenty partly paid (a lower open\n\
         amount). Times are the sync job's alone (the reconciliation run it queues is left out).\n\
         *Calls* are the connection's (`Authenticate` and `Administrations`, checking the key) and\n\
         each sync's, as the fake counted them, then the integration's count for the budget day and\n\
         the scheduler's share. Peak memory is the whole process's high-water mark during each sync\n\
         (reset before each), the fake included, which builds each answer in memory: compare it\n\
         across item counts.\n\n\
         | database | items | first sync | items/s | second sync | third sync | calls (connect + 3 syncs) of the budget | peak, first | peak, second | peak, third | resident at end |\n\
         |---|---|---|---|---|---|---|---|---|---|---|\n\
         {table}\n\
         A sync is two calls (both lists) while the adapter keeps its session (20 hours), three when\n\
         it must authenticate again, four at most (a session renewed once on the \"session expired\"\n\
         fault): 10,000 items cost the same calls as 10. Unchanged items cost one comparison with the\n\
         digest remembered of them. New invoices are stored a batch of 500 per transaction, each with\n\
         its own `invoice.created` audit entry; changed and closed invoices one transaction each (the\n\
         invoice with its audit entry).\n"
    )
}

/// The backup section: SQLite with 10,000 and 100,000 invoices.
pub(crate) fn backup_section() -> String {
    let stamp = stamp("bench backup");
    let table = table("bench_backup", &[vec!["10000"], vec!["100000"]], 12);
    format!(
        "{BACKUP_HEADING}\n\n\
         {stamp}\n\n\
         `billify backup FILE` and `billify restore FILE` (the library functions they call) on the\n\
         embedded SQLite database of one organisation with 10,000 and 100,000 invoices, seeded as\n\
         `billify seed` does (with their events and audit entries); no documents\n\
         (`cargo run --release -p billify --example bench_backup -- INVOICES`). The backup copies the\n\
         database with `VACUUM INTO` while the store that wrote it is open, counts every table's rows\n\
         in the copy, hashes it and writes the gzip-compressed tar; the restore reads the whole file\n\
         into a staging directory, checks each entry's SHA-256, SQLite's integrity check and the rows\n\
         per table, then moves it into new, empty locations. Peak memory is the process's high-water\n\
         mark during each step (reset before each).\n\n\
         | database | invoices | rows | database file | its copy | backup | backup file | restore | restored file | peak, backup | peak, restore | seeding |\n\
         |---|---|---|---|---|---|---|---|---|---|---|---|\n\
         {table}"
    )
}

/// `cargo xtask bench yuki`: runs only the accounting sync benchmark and replaces its section.
pub(crate) fn bench_yuki_only() -> anyhow::Result<()> {
    replace_section(YUKI_HEADING, &yuki_section())
}

/// `cargo xtask bench backup`: runs only the backup benchmark and replaces its section.
pub(crate) fn bench_backup_only() -> anyhow::Result<()> {
    replace_section(BACKUP_HEADING, &backup_section())
}
