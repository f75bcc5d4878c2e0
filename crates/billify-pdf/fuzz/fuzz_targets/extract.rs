//! Fuzzes the whole extractor: PDF parsing, text extraction and field extraction.
#![no_main]

use std::time::Duration;

use billify_pdf::{Limits, extract_invoice};
use billify_ports::intake::OwnParty;
use libfuzzer_sys::fuzz_target;
use time::macros::date;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_input_bytes: 4 * 1024 * 1024,
        max_stream_bytes: 8 * 1024 * 1024,
        max_total_decompressed_bytes: 32 * 1024 * 1024,
        time_budget: Duration::from_secs(5),
        ..Limits::default()
    };
    let _ = extract_invoice(data, &OwnParty::default(), date!(2024 - 01 - 01), &limits);
});
