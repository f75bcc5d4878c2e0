//! Fuzzes the bounded lopdf layer alone: the raw-byte scan, lopdf's parse with the object-stream
//! hook, and stream decoding of every object, within tight limits.
#![no_main]

use std::time::Duration;

use billify_pdf_guard::lopdf::Object;
use billify_pdf_guard::{Budget, DecodeError, Limits, decode_stream, load};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_input_bytes: 4 * 1024 * 1024,
        max_stream_bytes: 4 * 1024 * 1024,
        max_total_decompressed_bytes: 16 * 1024 * 1024,
        max_objects: 200_000,
        time_budget: Duration::from_secs(5),
        ..Limits::default()
    };
    let mut budget = Budget::new(&limits);
    if let Ok(doc) = load(data, &mut budget) {
        for object in doc.objects.values() {
            if let Object::Stream(stream) = object
                && let Err(DecodeError::Limit(_)) = decode_stream(stream, &mut budget)
            {
                break;
            }
        }
    }
    let used = budget.usage();
    assert!(used.decompressed_bytes <= limits.max_total_decompressed_bytes);
    assert!(used.objects <= limits.max_objects);
});
