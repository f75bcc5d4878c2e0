//! Bad input never panics, hangs or allocates without bound: each case ends in a typed error
//! (or, for harmless damage, a result) within the limits.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::Path;
use std::time::Duration;

#[path = "../../billify-pdf-guard/tests/support/hostile.rs"]
mod hostile_files;

use billify_pdf::{Budget, Limits, extract_invoice, extract_text, extract_text_within};
use billify_ports::intake::{ExtractionError, OwnParty};
use lopdf::{Dictionary, Document, Object, Stream, dictionary};
use time::macros::date;

/// The default limits without the time budget, so that the counters, not the speed of the
/// machine running the tests, decide every outcome.
fn untimed() -> Limits {
    Limits { time_budget: Duration::from_secs(600), ..Limits::default() }
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A one-page document around the given content stream (already encoded) and resources.
fn with_content(content: Stream, resources: Dictionary, extra: impl FnOnce(&mut Document)) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let content_id = doc.add_object(content);
    let font = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" });
    let mut res = resources;
    res.set("Font", dictionary! { "F0" => font });
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id, "Resources" => res,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    extra(&mut doc);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn text_stream(text: &str) -> Stream {
    Stream::new(Dictionary::new(), format!("BT /F0 12 Tf 50 700 Td ({text}) Tj ET").into_bytes())
}

fn run(bytes: &[u8], limits: &Limits) -> Result<(), ExtractionError> {
    extract_invoice(bytes, &OwnParty::default(), date!(2024 - 01 - 01), limits).map(|_| ())
}

#[test]
fn not_a_pdf_and_empty() {
    let limits = untimed();
    assert!(matches!(run(b"", &limits), Err(ExtractionError::UnsupportedType(_))));
    assert!(matches!(run(b"hello, world", &limits), Err(ExtractionError::UnsupportedType(_))));
    assert!(matches!(run(b"PK\x03\x04 a zip file", &limits), Err(ExtractionError::UnsupportedType(_))));
    assert!(run(b"%PDF-1.7", &limits).is_err());
    assert!(run(b"%PDF-1.7\n%%EOF", &limits).is_err());
}

#[test]
fn oversized_input_is_refused() {
    let limits = Limits { max_input_bytes: 1000, ..untimed() };
    assert!(matches!(run(&fixture("sample.pdf"), &limits), Err(ExtractionError::TooLarge(_))));
}

#[test]
fn truncated_and_corrupted_files_fail_cleanly() {
    let limits = untimed();
    for name in ["sample.pdf", "de_type0.pdf", "en_multipage.pdf"] {
        let bytes = fixture(name);
        for cut in (0..bytes.len()).step_by(bytes.len() / 40 + 1) {
            let _ = run(&bytes[..cut], &limits);
        }
        // Flip bytes all over the file.
        for step in [7usize, 13, 101] {
            let mut bad = bytes.clone();
            for i in (step..bad.len()).step_by(step * 37) {
                bad[i] ^= 0x5a;
            }
            let _ = run(&bad, &limits);
        }
    }
}

#[test]
fn zip_bomb_content_stream_is_too_large() {
    let bomb = zlib(&vec![b' '; 64 * 1024 * 1024]);
    let mut stream = Stream::new(dictionary! { "Filter" => "FlateDecode" }, bomb);
    stream.allows_compression = false;
    let pdf = with_content(stream, Dictionary::new(), |_| {});
    let limits = Limits { max_stream_bytes: 8 * 1024 * 1024, ..untimed() };
    assert!(matches!(run(&pdf, &limits), Err(ExtractionError::TooLarge(_))));
}

fn stream_object(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut o = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    o.extend_from_slice(data);
    o.extend_from_slice(b"\nendstream");
    o
}

#[test]
fn zip_bomb_in_an_object_stream_is_caught_before_lopdf_inflates_it() {
    let bomb = zlib(&vec![b'0'; 48 * 1024 * 1024]);
    let pdf = hostile_files::raw_pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /MediaBox [0 0 595 842] >>".to_vec(),
        stream_object("", b"BT /F0 12 Tf 50 700 Td (Hello) Tj ET"),
        stream_object("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", &bomb),
    ]);
    // The file itself parses: without the bomb limits it is read.
    let generous =
        Limits { max_stream_bytes: 64 * 1024 * 1024, max_total_decompressed_bytes: 256 * 1024 * 1024, ..untimed() };
    assert!(extract_text(&pdf, &generous).unwrap().text().contains("Hello"));
    let limits = Limits { max_stream_bytes: 8 * 1024 * 1024, ..untimed() };
    let r = run(&pdf, &limits);
    assert!(matches!(r, Err(ExtractionError::TooLarge(_))), "{r:?}");
    let total = Limits { max_total_decompressed_bytes: 16 * 1024 * 1024, ..untimed() };
    assert!(matches!(run(&pdf, &total), Err(ExtractionError::TooLarge(_))));
}

#[test]
fn ten_thousand_pages_are_too_many() {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let content = doc.add_object(text_stream("page"));
    let kids: Vec<Object> = (0..10_000)
        .map(|_| doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => content }).into())
        .collect();
    doc.objects
        .insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => 10_000 }));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    assert!(matches!(run(&out, &untimed()), Err(ExtractionError::TooLarge(_))));
    // A lying /Count does not help: the walk counts pages itself.
    let at = out.windows(12).position(|w| w == b"/Count 10000").unwrap();
    out[at..at + 12].copy_from_slice(b"/Count 00001");
    let r = run(&out, &untimed());
    assert!(matches!(r, Err(ExtractionError::TooLarge(_))), "{r:?}");
}

#[test]
fn deep_nesting_is_bounded() {
    // A page tree 200 levels deep.
    let mut doc = Document::with_version("1.5");
    let content = doc.add_object(text_stream("deep"));
    let mut node = doc.add_object(dictionary! { "Type" => "Page", "Contents" => content });
    for _ in 0..200 {
        node = doc.add_object(dictionary! { "Type" => "Pages", "Kids" => vec![node.into()], "Count" => 1 });
    }
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => node });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    assert!(matches!(run(&out, &untimed()), Err(ExtractionError::TooLarge(_))));

    // Form XObjects drawing each other in a cycle, and a long chain of them.
    let pdf = with_content(
        Stream::new(Dictionary::new(), b"/X0 Do BT /F0 12 Tf 50 700 Td (Hello) Tj ET".to_vec()),
        Dictionary::new(),
        |doc| {
            let ids: Vec<_> = (0..40).map(|_| doc.new_object_id()).collect();
            for (i, id) in ids.iter().enumerate() {
                let next = ids[(i + 1) % ids.len()];
                let res = dictionary! { "XObject" => dictionary! { "X0" => next } };
                doc.objects.insert(
                    *id,
                    Object::Stream(Stream::new(
                        dictionary! { "Type" => "XObject", "Subtype" => "Form", "Resources" => res },
                        b"/X0 Do".to_vec(),
                    )),
                );
            }
            // Point the page's /X0 at the first form.
            let page_res = doc
                .objects
                .values_mut()
                .filter_map(|o| o.as_dict_mut().ok())
                .find(|d| d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"Page"))
                .unwrap();
            let mut res = page_res.get(b"Resources").unwrap().as_dict().unwrap().clone();
            res.set("XObject", dictionary! { "X0" => ids[0] });
            page_res.set("Resources", res);
        },
    );
    assert!(matches!(run(&pdf, &untimed()), Err(ExtractionError::TooLarge(_))));
    let lenient = Limits { max_depth: 64, ..untimed() };
    // With room for the whole cycle, the cycle guard ends it and the text is read.
    assert!(extract_text(&pdf, &lenient).unwrap().text().contains("Hello"));

    // Deeply nested arrays and dictionaries in the file and in the content stream.
    let nested = format!("BT /F0 12 Tf 50 700 Td {}(x) Tj ET {}", "[".repeat(100_000), "<<".repeat(100_000));
    let pdf = with_content(Stream::new(Dictionary::new(), nested.into_bytes()), Dictionary::new(), |_| {});
    let _ = run(&pdf, &untimed());
    let mut raw = fixture("sample.pdf");
    let at = raw.len() / 2;
    raw.splice(at..at, std::iter::repeat_n(b'[', 200_000));
    let _ = run(&raw, &untimed());
}

#[test]
fn operator_and_glyph_floods_are_bounded() {
    let flood = "(x) Tj ".repeat(200_000);
    let pdf = with_content(
        Stream::new(Dictionary::new(), format!("BT /F0 12 Tf 50 700 Td {flood} ET").into_bytes()),
        Dictionary::new(),
        |_| {},
    );
    let limits = Limits { max_operations: 100_000, ..untimed() };
    assert!(matches!(run(&pdf, &limits), Err(ExtractionError::TooLarge(_))));
    let limits = Limits { max_glyphs: 50_000, ..untimed() };
    assert!(matches!(run(&pdf, &limits), Err(ExtractionError::TooLarge(_))));
}

#[test]
fn time_budget_gives_timeout() {
    let limits = Limits { time_budget: Duration::ZERO, ..Limits::default() };
    assert_eq!(run(&fixture("sample.pdf"), &limits), Err(ExtractionError::Timeout));
}

#[test]
fn garbage_operands_and_fonts_do_not_panic() {
    let content = b"q q q Q Q Q Q Q cm 1 0 0 1 1e38 1e38 cm BT /F0 1e30 Tf 3.4e38 0 Td (a) Tj /Nope 12 Tf (b) Tj \
        [ (c) 1e30 (d) ] TJ 0 0 0 0 0 0 Tm (e) Tj T* ' \" 1 2 (f) \" BI /W 1 /H 1 ID \x00\x01 EI ET \
        /X Do /F0 Tf Tf Td Tm TJ Tj <zz> Tj (unterminated";
    let pdf = with_content(Stream::new(Dictionary::new(), content.to_vec()), Dictionary::new(), |_| {});
    let _ = run(&pdf, &untimed());

    // A Type0 font with a broken ToUnicode CMap and a negative /W.
    let pdf = with_content(
        Stream::new(Dictionary::new(), b"BT /F1 12 Tf 50 700 Td <000100020003> Tj ET".to_vec()),
        Dictionary::new(),
        |doc| {
            let tu = doc.add_object(Stream::new(
                Dictionary::new(),
                b"begincmap 1 beginbfrange <0000> <FFFFFFFF> <0041> endbfrange beginbfchar <01".to_vec(),
            ));
            let cid = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "CIDFontType2", "W" => vec![(-5).into(), (-1).into(), 3.into()] });
            let f1 = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type0", "Encoding" => "Identity-H", "DescendantFonts" => vec![cid.into()], "ToUnicode" => tu });
            let page = doc
                .objects
                .values_mut()
                .filter_map(|o| o.as_dict_mut().ok())
                .find(|d| d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"Page"))
                .unwrap();
            let mut res = page.get(b"Resources").unwrap().as_dict().unwrap().clone();
            res.set("Font", dictionary! { "F1" => f1 });
            page.set("Resources", res);
        },
    );
    let _ = run(&pdf, &untimed());
}

#[test]
fn regression_inputs_from_fuzzing() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let Ok(entries) = std::fs::read_dir(&dir) else { return };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let _ = run(&bytes, &untimed());
        let _ = extract_text(&bytes, &untimed());
    }
}

#[test]
fn a_file_without_its_xref_table_is_recovered() {
    // Lost tail (an interrupted upload): the cross-reference table is rebuilt from the objects.
    let bytes = fixture("sample.pdf");
    let xref = bytes.windows(5).rposition(|w| w == b"xref\n").unwrap();
    let inv = extract_invoice(&bytes[..xref], &OwnParty::default(), date!(2024 - 01 - 01), &untimed()).unwrap();
    assert_eq!(inv.invoice_number.unwrap().value, "INV-SO-2023-2812");
    // Wrong offsets everywhere: insert bytes at the start so every xref entry points wrong.
    let mut shifted = b"%PDF-1.4\n%garbage garbage garbage\n".to_vec();
    shifted.extend_from_slice(&bytes);
    let inv = extract_invoice(&shifted, &OwnParty::default(), date!(2024 - 01 - 01), &untimed()).unwrap();
    assert_eq!(inv.total.unwrap().value.to_string(), "382.06");
}

#[test]
fn every_hostile_file_ends_in_a_typed_error_within_the_limits() {
    let limits = untimed();
    for h in hostile_files::hostile_set() {
        let mut budget = Budget::new(&limits);
        let r = extract_text_within(&h.bytes, &mut budget);
        let used = budget.usage();
        if h.name == "glyphs_under_the_limit.pdf" {
            assert!(r.is_ok(), "{}: {:?}", h.name, r.err());
            assert_eq!(used.glyphs, 490_000);
            let inv = extract_invoice(&h.bytes, &OwnParty::default(), date!(2024 - 01 - 01), &limits);
            assert!(inv.is_ok(), "the fields of one huge word are looked for, and not found: {inv:?}");
            continue;
        }
        assert!(matches!(r, Err(ExtractionError::TooLarge(_))), "{}: {:?} {used:?}", h.name, r.as_ref().err());
        assert!(used.decompressed_bytes <= limits.max_total_decompressed_bytes, "{}: {used:?}", h.name);
        assert!(used.objects <= limits.max_objects, "{}: {used:?}", h.name);
        assert!(used.operations <= limits.max_operations, "{}: {used:?}", h.name);
        assert!(used.glyphs <= limits.max_glyphs, "{}: {used:?}", h.name);
    }
}

#[test]
fn glyphs_are_counted_before_they_are_stored() {
    // One string of 200,000 glyphs: the read stops at the limit, inside the string.
    let pdf = hostile_files::glyph_flood(200_000, 1);
    let limits = Limits { max_glyphs: 50_000, ..untimed() };
    let mut budget = Budget::new(&limits);
    let r = extract_text_within(&pdf, &mut budget);
    assert!(matches!(r, Err(ExtractionError::TooLarge(ref m)) if m.contains("glyphs")), "{r:?}");
    assert_eq!(budget.usage().glyphs, 50_000);
    // Spread over four streams the limit is the same: it covers the document.
    let pdf = hostile_files::glyph_flood(20_000, 4);
    let mut budget = Budget::new(&limits);
    assert!(matches!(extract_text_within(&pdf, &mut budget), Err(ExtractionError::TooLarge(_))));
    assert_eq!(budget.usage().glyphs, 50_000);
    // Under the limit the same kind of file is read.
    let pdf = hostile_files::glyph_flood(10_000, 4);
    let mut budget = Budget::new(&limits);
    let doc = extract_text_within(&pdf, &mut budget).unwrap();
    assert!(doc.text().contains("xxxx"));
    assert_eq!(budget.usage().glyphs, 40_000);
}
