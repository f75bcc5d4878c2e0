//! Hostile documents: the time and peak memory of reading each file of the hostile set (issue
//! 22) the way an upload or `billify extract` reads it, each in a fresh process, and the peak
//! memory of one process reading twenty of them at once through one reader.
//!
//! `cargo run --release -p billify --example bench_hostile` prints Markdown: one table row per
//! file, then a summary line. Peak memory is the process's peak resident set (`VmHWM`), which
//! includes the file itself and the program (about 5 MiB).

#![allow(clippy::print_stdout, reason = "a benchmark prints its result")]

#[path = "../../billify-pdf-guard/tests/support/hostile.rs"]
mod hostile;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context as _, bail};
use billify_app::{DocumentReader, ReadError};
use billify_einvoice::EinvoiceExtractor;
use billify_pdf::{Limits, PdfExtractor};
use billify_ports::intake::{ExtractionError, OwnParty};

/// The reader the server and `billify extract` build (see `src/extract.rs`), with the default
/// settings: 2 s and 256 MiB per read.
fn reader(at_once: usize) -> DocumentReader {
    let limits = Limits::default();
    let einvoice = billify_einvoice::Limits { pdf: limits.clone(), ..billify_einvoice::Limits::default() };
    DocumentReader::new(
        Arc::new(EinvoiceExtractor::with_limits(einvoice)),
        Arc::new(PdfExtractor::new(limits)),
        10 * 1024 * 1024,
        at_once,
    )
}

fn outcome(r: &Result<billify_ports::intake::ExtractedInvoice, ReadError>) -> String {
    match r {
        Ok(_) => "read".into(),
        Err(ReadError::Extraction(ExtractionError::TooLarge(m))) => format!("too complex: {m}"),
        Err(ReadError::Extraction(ExtractionError::Timeout)) => "too complex: time budget".into(),
        Err(ReadError::Busy { .. }) => "busy".into(),
        Err(e) => format!("refused: {e}"),
    }
}

fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| l.strip_prefix("VmHWM:").and_then(|v| v.trim().trim_end_matches(" kB").parse().ok()))
        })
        .unwrap_or(0)
}

/// Child: reads one file, prints `millis peak_kib outcome`.
fn one(path: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(path)?;
    let reader = reader(1);
    let today = time::OffsetDateTime::now_utc().date();
    let start = Instant::now();
    let r = reader.read(&bytes, &OwnParty::default(), today);
    let millis = start.elapsed().as_secs_f64() * 1000.0;
    println!("{millis:.1} {} {}", peak_kib(), outcome(&r));
    Ok(())
}

/// Child: twenty threads read the files at once through one reader, as twenty uploads would.
fn parallel(paths: &[PathBuf]) -> anyhow::Result<()> {
    let files: Vec<Vec<u8>> = paths.iter().map(std::fs::read).collect::<Result<_, _>>()?;
    let reader = Arc::new(reader(2));
    let today = time::OffsetDateTime::now_utc().date();
    let start = Instant::now();
    let handles: Vec<_> = (0..20)
        .map(|i| {
            let reader = reader.clone();
            let bytes = files[i % files.len()].clone();
            std::thread::spawn(move || outcome(&reader.read(&bytes, &OwnParty::default(), today)))
        })
        .collect();
    let mut busy = 0;
    let mut refused = 0;
    for h in handles {
        match h.join().map_err(|_| anyhow::anyhow!("a reader thread panicked"))?.as_str() {
            "busy" => busy += 1,
            _ => refused += 1,
        }
    }
    println!("{:.1} {} {refused} {busy}", start.elapsed().as_secs_f64() * 1000.0, peak_kib());
    Ok(())
}

fn child(args: &[&str]) -> anyhow::Result<String> {
    let out = Command::new(std::env::current_exe()?).args(args).output().context("starting a child")?;
    if !out.status.success() {
        bail!("child {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8(out.stdout)?.trim().to_owned())
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--one") => return one(Path::new(&args[1])),
        Some("--parallel") => return parallel(&args[1..].iter().map(PathBuf::from).collect::<Vec<_>>()),
        _ => {}
    }
    let dir = std::env::temp_dir().join(format!("billify-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut paths = Vec::new();
    println!("| file | size | what it does | time | peak memory | outcome |");
    println!("|---|---|---|---|---|---|");
    let (mut worst_ms, mut worst_kib) = (0f64, 0u64);
    for h in hostile::hostile_set() {
        let path = dir.join(h.name);
        std::fs::write(&path, &h.bytes)?;
        let line = child(&["--one", &path.to_string_lossy()])?;
        let mut parts = line.splitn(3, ' ');
        let millis: f64 = parts.next().unwrap_or_default().parse().unwrap_or(f64::NAN);
        let kib: u64 = parts.next().unwrap_or_default().parse().unwrap_or(0);
        let outcome = parts.next().unwrap_or_default();
        worst_ms = worst_ms.max(millis);
        worst_kib = worst_kib.max(kib);
        println!(
            "| `{}` | {} KiB | {} | {millis:.0} ms | {:.0} MiB | {outcome} |",
            h.name,
            h.bytes.len().div_ceil(1024),
            h.what,
            kib as f64 / 1024.0
        );
        paths.push(path.to_string_lossy().into_owned());
    }
    let mut args = vec!["--parallel"];
    args.extend(paths.iter().map(String::as_str));
    let line = child(&args)?;
    let p: Vec<&str> = line.split(' ').collect();
    let parallel_kib: u64 = p.get(1).and_then(|v| v.parse().ok()).unwrap_or(0);
    println!(
        "\nWorst over the set: **{worst_ms:.0} ms** and **{:.0} MiB** peak for one read. Twenty reads at once \
         through one reader (2 at a time): {} refused as too complex, {} refused as busy, {:.0} ms, \
         **{:.0} MiB** peak for the process.",
        worst_kib as f64 / 1024.0,
        p.get(2).unwrap_or(&"?"),
        p.get(3).unwrap_or(&"?"),
        p.first().and_then(|v| v.parse::<f64>().ok()).unwrap_or(f64::NAN),
        parallel_kib as f64 / 1024.0,
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
