//! Fuzzes field extraction on arbitrary text, bypassing PDF parsing: the bytes become lines of
//! words on a page, so the label, amount, date and identifier parsers see hostile text.
#![no_main]

use billify_pdf::{TextDocument, TextLine, TextPage, TextWord, extract_fields};
use billify_ports::intake::OwnParty;
use libfuzzer_sys::fuzz_target;
use time::macros::date;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = Vec::new();
    for (i, line) in text.lines().take(200).enumerate() {
        let y = 800.0 - 12.0 * i as f32;
        let mut x = 50.0;
        let words = line
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| {
                let width = 5.0 * w.chars().count() as f32;
                let word = TextWord { text: w.to_string(), x, y, width, font_size: 10.0 };
                // A tab-like double space in the input opens a new column.
                x += width + 3.0;
                word
            })
            .collect();
        lines.push(TextLine { y, words });
    }
    let doc = TextDocument { pages: vec![TextPage { number: 1, width: 595.0, height: 842.0, lines }] };
    let _ = extract_fields(&doc, &OwnParty::default(), date!(2024 - 01 - 01));
});
