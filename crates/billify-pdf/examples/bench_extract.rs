//! Measures extraction speed on the bench corpus:
//! `cargo run --release -p billify-pdf --example bench_extract [-- ITERATIONS]`.
//!
//! Prints the median time per document (text only and full field extraction) and the overall
//! pages per second of full extraction.
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use billify_pdf::{Limits, bench::bench_corpus, extract_invoice, extract_text};
use billify_ports::intake::OwnParty;
use time::macros::date;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let iterations: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(200);
    let limits = Limits::default();
    let own = OwnParty::default();
    let today = date!(2024 - 01 - 01);
    let mut total_pages = 0usize;
    let mut total_time = Duration::ZERO;
    println!("{:<22} {:>5} {:>12} {:>12}", "document", "pages", "text (med)", "fields (med)");
    for (name, bytes) in bench_corpus() {
        let pages = extract_text(bytes, &limits)?.pages.len();
        let mut text_times = Vec::with_capacity(iterations);
        let mut field_times = Vec::with_capacity(iterations);
        for _ in 0..iterations {
            let t = Instant::now();
            std::hint::black_box(extract_text(bytes, &limits)?);
            text_times.push(t.elapsed());
            let t = Instant::now();
            std::hint::black_box(extract_invoice(bytes, &own, today, &limits)?);
            let e = t.elapsed();
            field_times.push(e);
            total_time += e;
            total_pages += pages;
        }
        println!("{name:<22} {pages:>5} {:>12.3?} {:>12.3?}", median(text_times), median(field_times));
    }
    println!(
        "full extraction: {:.0} pages/s ({} pages in {:.2?})",
        total_pages as f64 / total_time.as_secs_f64(),
        total_pages,
        total_time
    );
    Ok(())
}
