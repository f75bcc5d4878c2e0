//! The hostile-input tests of the guard: every hostile file ends in a typed error, and the
//! counters show that the work stopped at the limits (no timings: CI machines vary).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/hostile.rs"]
mod hostile;

use std::path::Path;
use std::time::Duration;

use billify_pdf_guard::lopdf::Object;
use billify_pdf_guard::{Budget, DecodeError, Limits, Usage, decode_stream, load};
use billify_ports::intake::ExtractionError;
use hostile::{
    Cipher, encrypted_content_bomb, encrypted_hello, encrypted_objstm_double_flate_bomb, encrypted_objstm_many_objects,
    hostile_set, objstm_double_flate_bomb, objstm_many_objects, raw_pdf, stream_object, zlib,
};

/// The default limits without the time budget, so that the counters, not the speed of the
/// machine running the tests, decide every outcome.
fn untimed() -> Limits {
    Limits { time_budget: Duration::from_secs(600), ..Limits::default() }
}

fn within(usage: Usage, limits: &Limits) {
    assert!(usage.decompressed_bytes <= limits.max_total_decompressed_bytes, "{usage:?}");
    assert!(usage.objects <= limits.max_objects, "{usage:?}");
    assert!(usage.operations <= limits.max_operations, "{usage:?}");
    assert!(usage.glyphs <= limits.max_glyphs, "{usage:?}");
}

fn pdf_fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../billify-pdf/tests/fixtures").join(name)).unwrap()
}

#[test]
fn every_hostile_file_is_refused_or_loaded_within_the_limits() {
    let limits = untimed();
    for h in hostile_set() {
        let mut budget = Budget::new(&limits);
        let r = load(&h.bytes, &mut budget);
        let usage = budget.usage();
        within(usage, &limits);
        match h.name {
            // Their cost is in the content streams: loading them is cheap, the text
            // interpreter's glyph limit stops them (tested in billify-pdf).
            "glyphs_one_stream.pdf" | "glyphs_four_streams.pdf" | "glyphs_under_the_limit.pdf" => {
                assert!(r.is_ok(), "{}: {:?}", h.name, r.err());
            }
            _ => assert!(matches!(r, Err(ExtractionError::TooLarge(_))), "{}: {:?} {usage:?}", h.name, r.err()),
        }
    }
}

#[test]
fn a_two_layer_bomb_is_stopped_in_its_second_layer() {
    let limits = untimed();
    let pdf = objstm_double_flate_bomb(256 << 20);
    assert!(pdf.len() < 64 * 1024, "the bomb is small: {} bytes", pdf.len());
    let mut budget = Budget::new(&limits);
    let r = load(&pdf, &mut budget);
    assert!(matches!(r, Err(ExtractionError::TooLarge(ref m)) if m.contains("decompresses to more than")), "{r:?}");
    // The first layer (about 1 MB) was decoded and counted; the second stopped at the limit.
    let used = budget.usage().decompressed_bytes;
    assert!(used > 0 && used <= limits.max_stream_bytes, "{used}");
}

#[test]
fn object_streams_are_unpacked_by_the_guard_and_counted() {
    // The page tree and the page live in an object stream; the catalog points into it.
    let objects = [
        (6, "<< /Type /Pages /Kids [7 0 R] /Count 1 >>"),
        (7, "<< /Type /Page /Parent 6 0 R /MediaBox [0 0 595 842] /Contents 5 0 R >>"),
        (3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
    ];
    let mut index = String::new();
    let mut body = Vec::new();
    for (n, o) in objects {
        index.push_str(&format!("{n} {} ", body.len()));
        body.extend_from_slice(o.as_bytes());
        body.extend_from_slice(b"\n");
    }
    let mut data = index.clone().into_bytes();
    data.extend_from_slice(&body);
    let pdf = raw_pdf(&[
        b"<< /Type /Catalog /Pages 6 0 R >>".to_vec(),
        stream_object(&format!("/Type /ObjStm /N 3 /First {} /Filter /FlateDecode", index.len()), &zlib(&data)),
        b"null".to_vec(),
        b"null".to_vec(),
        stream_object("", b"BT /F0 12 Tf (Hi) Tj ET"),
    ]);
    let limits = untimed();
    let mut budget = Budget::new(&limits);
    let doc = load(&pdf, &mut budget).unwrap();
    // Object 3 is also `null` in the file body, and the body wins (lopdf's rule).
    assert_eq!(doc.objects.get(&(3, 0)), Some(&lopdf_null()));
    let pages = doc.objects.get(&(6, 0)).unwrap().as_dict().unwrap();
    assert_eq!(pages.get(b"Count").unwrap().as_i64().unwrap(), 1);
    assert!(doc.objects.get(&(7, 0)).unwrap().as_dict().is_ok());
    let usage = budget.usage();
    assert!(usage.objects >= 6 + 30, "index numbers and objects are counted: {usage:?}");
    assert!(usage.decompressed_bytes >= 2 * data.len(), "decoded by the scan and by the unpacking: {usage:?}");

    // With a tight object limit the same file is refused before the stream's objects are parsed.
    let tight = Limits { max_objects: usage.objects - 5, ..untimed() };
    let mut budget = Budget::new(&tight);
    assert!(matches!(load(&pdf, &mut budget), Err(ExtractionError::TooLarge(m)) if m.contains("objects")));
}

fn lopdf_null() -> billify_pdf_guard::lopdf::Object {
    billify_pdf_guard::lopdf::Object::Null
}

#[test]
fn objects_are_counted_before_they_are_parsed() {
    let limits = untimed();
    let pdf = objstm_many_objects(400_000);
    let mut budget = Budget::new(&limits);
    let r = load(&pdf, &mut budget);
    assert!(matches!(r, Err(ExtractionError::TooLarge(ref m)) if m.contains("objects")), "{r:?}");
    // The object stream's data passed the stream limits; its 800,000 index numbers did not fit.
    assert!(budget.usage().objects < 1000, "{:?}", budget.usage());
}

#[test]
fn normal_files_load_and_cost_little() {
    let limits = untimed();
    for name in ["sample.pdf", "de_type0.pdf", "en_multipage.pdf"] {
        let mut budget = Budget::new(&limits);
        let doc = load(&pdf_fixture(name), &mut budget).unwrap();
        assert!(!doc.objects.is_empty());
        let usage = budget.usage();
        assert!(usage.objects < limits.max_objects / 100, "{name}: {usage:?}");
        assert!(usage.decompressed_bytes < limits.max_total_decompressed_bytes / 100, "{name}: {usage:?}");
    }
}

#[test]
fn other_refusals_are_typed() {
    let limits = untimed();
    let mut budget = Budget::new(&limits);
    assert!(matches!(load(b"", &mut budget), Err(ExtractionError::UnsupportedType(_))));
    assert!(matches!(load(b"PK\x03\x04 a zip", &mut budget), Err(ExtractionError::UnsupportedType(_))));
    assert_eq!(load(&pdf_fixture("encrypted.pdf"), &mut budget).err(), Some(ExtractionError::Encrypted));
    let mut budget = Budget::new(&limits);
    assert_eq!(load(&pdf_fixture("user_password_aes256.pdf"), &mut budget).err(), Some(ExtractionError::Encrypted));
    let small = Limits { max_input_bytes: 1000, ..untimed() };
    assert!(matches!(load(&pdf_fixture("sample.pdf"), &mut Budget::new(&small)), Err(ExtractionError::TooLarge(_))));
    let no_time = Limits { time_budget: Duration::ZERO, ..untimed() };
    let mut budget = Budget::new(&no_time);
    std::thread::sleep(Duration::from_millis(2));
    assert_eq!(load(&pdf_fixture("sample.pdf"), &mut budget).err(), Some(ExtractionError::Timeout));
}

const CIPHERS: [Cipher; 3] = [Cipher::Rc4, Cipher::Aes128, Cipher::Aes256];

/// The decoded content streams of a loaded document, within the budget.
fn contents(pdf: &[u8], budget: &mut Budget) -> Result<Vec<Vec<u8>>, ExtractionError> {
    let doc = load(pdf, budget)?;
    let mut out = Vec::new();
    for object in doc.objects.values() {
        if let Object::Stream(stream) = object {
            match decode_stream(stream, budget) {
                Ok(data) => out.push(data),
                Err(DecodeError::Limit(e)) => return Err(e),
                Err(DecodeError::Unsupported) => {}
            }
        }
    }
    Ok(out)
}

#[test]
fn encrypted_files_open_with_the_empty_user_password() {
    let limits = untimed();
    for cipher in CIPHERS {
        let pdf = encrypted_hello(cipher);
        assert!(!pdf.windows(16).any(|w| w == b"Invoice 2024-001"), "{cipher:?}: the text is encrypted in the file");
        let mut budget = Budget::new(&limits);
        let doc = load(&pdf, &mut budget).unwrap();
        assert!(doc.trailer.get(b"Encrypt").is_err() && doc.encryption_state.is_none(), "{cipher:?}");
        let texts = contents(&pdf, &mut budget).unwrap();
        assert!(texts.iter().any(|t| t.windows(16).any(|w| w == b"Invoice 2024-001")), "{cipher:?}: {texts:?}");
    }
}

#[test]
fn encrypted_bombs_are_stopped_on_their_decrypted_content() {
    let limits = untimed();
    for cipher in CIPHERS {
        // An object stream: stopped while unpacking it, in its second Flate layer.
        let pdf = encrypted_objstm_double_flate_bomb(256 << 20, cipher);
        assert!(pdf.len() < 64 * 1024, "the bomb is small: {} bytes", pdf.len());
        let mut budget = Budget::new(&limits);
        let r = load(&pdf, &mut budget);
        assert!(
            matches!(r, Err(ExtractionError::TooLarge(ref m)) if m.contains("decompresses to more than")),
            "{cipher:?}: {r:?}"
        );
        let used = budget.usage().decompressed_bytes;
        assert!(used >= 1 << 20 && used <= limits.max_stream_bytes + (2 << 20), "{cipher:?}: {used}");

        // Its objects are counted before they are parsed, as in plain files.
        let mut budget = Budget::new(&limits);
        let r = load(&encrypted_objstm_many_objects(400_000, cipher), &mut budget);
        assert!(matches!(r, Err(ExtractionError::TooLarge(ref m)) if m.contains("objects")), "{cipher:?}: {r:?}");
        within(budget.usage(), &limits);

        // A content stream: loading is cheap, decoding it stops at the stream limit.
        let pdf = encrypted_content_bomb(64 << 20, cipher);
        let mut budget = Budget::new(&limits);
        assert!(load(&pdf, &mut budget).is_ok(), "{cipher:?}");
        assert!(budget.usage().decompressed_bytes < 1 << 20, "{cipher:?}: {:?}", budget.usage());
        let mut budget = Budget::new(&limits);
        let r = contents(&pdf, &mut budget);
        assert!(matches!(r, Err(ExtractionError::TooLarge(_))), "{cipher:?}: {r:?}");
        within(budget.usage(), &limits);
    }
}

#[test]
fn the_limits_hold_on_the_whole_of_an_encrypted_file() {
    // The input size limit applies to the file as uploaded; the time budget covers decryption.
    let pdf = encrypted_objstm_many_objects(1000, Cipher::Aes256);
    let small = Limits { max_input_bytes: pdf.len() - 1, ..untimed() };
    assert!(matches!(load(&pdf, &mut Budget::new(&small)), Err(ExtractionError::TooLarge(_))));
    let no_time = Limits { time_budget: Duration::ZERO, ..untimed() };
    let mut budget = Budget::new(&no_time);
    std::thread::sleep(Duration::from_millis(2));
    assert_eq!(load(&pdf, &mut budget).err(), Some(ExtractionError::Timeout));
    // A small object limit is reached by the objects of the decrypted object stream.
    let few = Limits { max_objects: 500, ..untimed() };
    assert!(
        matches!(load(&pdf, &mut Budget::new(&few)), Err(ExtractionError::TooLarge(ref m)) if m.contains("objects"))
    );
    assert!(load(&pdf, &mut Budget::new(&untimed())).is_ok());
}
