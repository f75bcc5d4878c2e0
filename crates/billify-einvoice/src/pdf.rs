//! Finding the e-invoice embedded in a PDF (Factur-X, ZUGFeRD 2.x, XRechnung in PDF/A-3).
//!
//! Candidates are the file specifications in the catalog's associated files (`/AF`, PDF/A-3)
//! and in the `/Names /EmbeddedFiles` name tree. Those named like an e-invoice (`factur-x.xml`,
//! `zugferd-invoice.xml`, `xrechnung.xml`, ...) are tried first, then every other one; the first
//! whose XML root is a UBL or CII invoice wins.
//!
//! lopdf decompresses object and cross-reference streams while loading, with no output limit, so
//! every stream of the raw file is first inflated into a counter within [`Limits`]. Embedded
//! files are then decoded by this module with the same bound.

use std::collections::HashSet;
use std::io::Read;

use billify_ports::intake::ExtractionError;
use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::Limits;

/// File names that Factur-X, ZUGFeRD and XRechnung prescribe for the embedded invoice, lower case.
const EINVOICE_NAMES: &[&str] = &["factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml", "zugferd_invoice.xml"];

/// The most embedded-file candidates examined, and name-tree nodes visited.
const MAX_CANDIDATES: usize = 64;
const MAX_TREE_NODES: usize = 4096;
const MAX_TREE_DEPTH: usize = 32;

/// See [`crate::find_embedded_einvoice`].
pub(crate) fn find_embedded_einvoice_with_limits(
    pdf: &[u8],
    limits: &Limits,
) -> Result<Option<Vec<u8>>, ExtractionError> {
    if pdf.len() > limits.max_pdf_bytes {
        return Err(ExtractionError::TooLarge(format!(
            "the PDF has {} bytes, more than the limit of {}",
            pdf.len(),
            limits.max_pdf_bytes
        )));
    }
    if !crate::is_pdf(pdf) {
        return Err(ExtractionError::UnsupportedType("the document is not a PDF (no %PDF- header)".into()));
    }
    if prescan_streams(pdf, limits)? == Prescan::Decline {
        return Ok(None);
    }
    // lopdf is not hardened against every malformed file; a panic in it is a malformed PDF,
    // not a crashed request.
    let loaded = std::panic::catch_unwind(|| Document::load_mem(pdf))
        .map_err(|_| ExtractionError::Malformed("the PDF cannot be read (its structure is corrupt)".into()))?;
    let doc = loaded.map_err(|e| match e {
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => ExtractionError::Encrypted,
        other => ExtractionError::Malformed(format!("the PDF cannot be read: {other}")),
    })?;
    if doc.is_encrypted() {
        return Err(ExtractionError::Encrypted);
    }
    let catalog = doc
        .catalog()
        .map_err(|e| ExtractionError::Malformed(format!("the PDF has no readable catalog (/Root): {e}")))?;

    let mut candidates: Vec<Candidate> = Vec::new();
    if let Ok(af) = catalog.get(b"AF").and_then(|o| deref(&doc, o)).and_then(Object::as_array) {
        for spec in af.iter().take(MAX_CANDIDATES) {
            if let Some(c) = candidate(&doc, None, spec) {
                candidates.push(c);
            }
        }
    }
    if let Ok(tree) = catalog
        .get(b"Names")
        .and_then(|o| deref(&doc, o))
        .and_then(Object::as_dict)
        .and_then(|names| names.get(b"EmbeddedFiles"))
        .and_then(|o| deref(&doc, o))
    {
        let mut visited = HashSet::new();
        let mut budget = MAX_TREE_NODES;
        walk_name_tree(&doc, tree, 0, &mut visited, &mut budget, &mut candidates);
    }

    // Known names first, then other XML files, then the rest; each stream tried once.
    candidates.sort_by_key(|c| c.rank());
    let mut tried = HashSet::new();
    for c in candidates.iter().take(MAX_CANDIDATES) {
        if !tried.insert(c.stream) {
            continue;
        }
        // A file named like an e-invoice but past the limits is an error; any other large
        // attachment is just not the e-invoice.
        match embedded_bytes(&doc, c.stream, limits) {
            Ok(Some(bytes)) if crate::detect_syntax_with_limits(&bytes, limits).is_some() => return Ok(Some(bytes)),
            Ok(_) => {}
            Err(ExtractionError::TooLarge(_)) if c.rank() > 0 => {}
            Err(e) => return Err(e),
        }
    }
    Ok(None)
}

/// One embedded file: its name and the object id of its stream.
struct Candidate {
    name: Option<String>,
    stream: ObjectId,
}

impl Candidate {
    fn rank(&self) -> u8 {
        let lower = self.name.as_deref().map(str::to_lowercase).unwrap_or_default();
        if EINVOICE_NAMES.contains(&lower.as_str()) {
            0
        } else if lower.ends_with(".xml") {
            1
        } else {
            2
        }
    }
}

fn deref<'a>(doc: &'a Document, obj: &'a Object) -> lopdf::Result<&'a Object> {
    doc.dereference(obj).map(|(_, o)| o)
}

/// A file specification (`/Type /Filespec`) to a candidate, if it has an embedded file stream.
fn candidate(doc: &Document, tree_name: Option<String>, spec: &Object) -> Option<Candidate> {
    let spec = deref(doc, spec).ok()?.as_dict().ok()?;
    let ef = spec.get(b"EF").ok().and_then(|o| deref(doc, o).ok()).and_then(|o| o.as_dict().ok())?;
    let stream = ef.get(b"UF").or_else(|_| ef.get(b"F")).ok()?.as_reference().ok()?;
    let name = text_string(spec, b"UF").or_else(|| text_string(spec, b"F")).or(tree_name);
    Some(Candidate { name, stream })
}

/// Walks an `/EmbeddedFiles` name tree node: `/Names [key spec ...]` and `/Kids [...]`.
fn walk_name_tree(
    doc: &Document,
    node: &Object,
    depth: usize,
    visited: &mut HashSet<ObjectId>,
    budget: &mut usize,
    out: &mut Vec<Candidate>,
) {
    if depth > MAX_TREE_DEPTH || *budget == 0 || out.len() >= MAX_CANDIDATES {
        return;
    }
    *budget -= 1;
    if let Object::Reference(id) = node {
        if !visited.insert(*id) {
            return;
        }
    }
    let Ok(dict) = deref(doc, node).and_then(Object::as_dict) else {
        return;
    };
    if let Ok(names) = dict.get(b"Names").and_then(|o| deref(doc, o)).and_then(Object::as_array) {
        for pair in names.chunks(2) {
            if let [key, spec] = pair {
                let key = deref(doc, key).ok().and_then(|k| k.as_str().ok()).map(decode_text_string);
                if let Some(c) = candidate(doc, key, spec) {
                    out.push(c);
                }
            }
        }
    }
    if let Ok(kids) = dict.get(b"Kids").and_then(|o| deref(doc, o)).and_then(Object::as_array) {
        for kid in kids {
            walk_name_tree(doc, kid, depth + 1, visited, budget, out);
        }
    }
}

/// A PDF text string entry of a dictionary, decoded.
fn text_string(dict: &Dictionary, key: &[u8]) -> Option<String> {
    dict.get(key).ok()?.as_str().ok().map(decode_text_string)
}

/// Decodes a PDF text string: UTF-16BE with a byte order mark, UTF-8 with one (PDF 2.0), else
/// PDFDocEncoding, read as Latin-1 (they agree on the characters of file names).
fn decode_text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    } else if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        bytes.iter().map(|b| char::from(*b)).collect()
    }
}

/// The decoded bytes of an embedded file stream, or `None` when it uses a filter we do not
/// decode (only FlateDecode is used for embedded files in practice).
fn embedded_bytes(doc: &Document, id: ObjectId, limits: &Limits) -> Result<Option<Vec<u8>>, ExtractionError> {
    let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) else {
        return Ok(None);
    };
    let filters: Vec<Vec<u8>> = match stream.dict.get(b"Filter").and_then(|o| deref(doc, o)) {
        Err(_) => Vec::new(),
        Ok(Object::Name(n)) => vec![n.clone()],
        Ok(Object::Array(a)) => a.iter().filter_map(|o| o.as_name().ok().map(<[u8]>::to_vec)).collect(),
        Ok(_) => return Ok(None),
    };
    let has_predictor = stream
        .dict
        .get(b"DecodeParms")
        .and_then(|o| deref(doc, o))
        .and_then(Object::as_dict)
        .and_then(|p| p.get(b"Predictor"))
        .and_then(Object::as_i64)
        .is_ok_and(|p| p > 1);
    let too_large =
        || ExtractionError::TooLarge(format!("an embedded file is larger than {} bytes", limits.max_xml_bytes));
    match filters.as_slice() {
        [] if !looks_like_xml(&stream.content) => Ok(None),
        [] if stream.content.len() > limits.max_xml_bytes => Err(too_large()),
        [] => Ok(Some(stream.content.clone())),
        [f] if f.as_slice() == b"FlateDecode" && !has_predictor => {
            // Peek first, so large attachments of other kinds are not inflated in full.
            match inflate_prefix(&stream.content, 256) {
                Some(head) if looks_like_xml(&head) => inflate(&stream.content, limits.max_xml_bytes),
                _ => Ok(None),
            }
        }
        _ => Ok(None),
    }
}

/// Whether bytes start like an XML document: optional byte order mark and white space, then `<`.
fn looks_like_xml(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    b.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'<')
}

/// The first `n` inflated bytes of zlib data (fewer if it is shorter), or `None` if it is not zlib.
fn inflate_prefix(data: &[u8], n: usize) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let limit = u64::try_from(n).unwrap_or(u64::MAX);
    match flate2::read::ZlibDecoder::new(data).take(limit).read_to_end(&mut out) {
        Ok(_) => Some(out),
        // Data that ends early still gives a prefix; other errors mean it is not zlib.
        Err(_) if !out.is_empty() => Some(out),
        Err(_) => None,
    }
}

/// Inflates zlib data into at most `cap` bytes: `Ok(None)` when it is not zlib data, `TooLarge`
/// past the cap.
fn inflate(data: &[u8], cap: usize) -> Result<Option<Vec<u8>>, ExtractionError> {
    let mut out = Vec::new();
    let limit = u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1);
    match flate2::read::ZlibDecoder::new(data).take(limit).read_to_end(&mut out) {
        Ok(_) if out.len() > cap => {
            Err(ExtractionError::TooLarge(format!("an embedded file decompresses to more than {cap} bytes")))
        }
        Ok(_) => Ok(Some(out)),
        Err(_) => Ok(None),
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Prescan {
    /// Safe for lopdf to load.
    Load,
    /// An object or cross-reference stream uses a filter we do not dry-run (LZW, which PDF/A
    /// forbids, or ASCII85 chains): such a file is no Factur-X we read.
    Decline,
}

/// Dry-runs every stream of the raw file against the limits before lopdf parses it.
///
/// Each `stream` keyword's data is inflated into a counter (a zlib stream ends by itself, so a
/// lying `/Length` does not matter); one stream past `max_xml_bytes * 4` or all together past
/// `max_pdf_bytes * 4` is [`ExtractionError::TooLarge`].
fn prescan_streams(pdf: &[u8], limits: &Limits) -> Result<Prescan, ExtractionError> {
    let per_stream = limits.max_xml_bytes.saturating_mul(4).max(limits.max_pdf_bytes);
    let total_cap = limits.max_pdf_bytes.saturating_mul(4);
    let mut total = 0usize;
    let mut pos = 0usize;
    let mut prev_end = 0usize;
    while let Some(found) = find(&pdf[pos..], b"stream") {
        let at = pos + found;
        pos = at + 6;
        if at >= 3 && &pdf[at - 3..at] == b"end" {
            continue;
        }
        let start = match (pdf.get(pos), pdf.get(pos + 1)) {
            (Some(b'\r'), Some(b'\n')) => pos + 2,
            (Some(b'\r' | b'\n'), _) => pos + 1,
            _ => continue,
        };
        let window = &pdf[prev_end.max(at.saturating_sub(4096))..at];
        let dict = match rfind(window, b" obj") {
            Some(p) => &window[p..],
            None => window,
        };
        let dict = unescape_names(dict);
        let other_filter =
            ["LZW", "ASCII85", "ASCIIHex", "RunLength", "Crypt"].iter().any(|f| find(&dict, f.as_bytes()).is_some());
        let loaded_by_lopdf = find(&dict, b"ObjStm").is_some() || find(&dict, b"XRef").is_some();
        if other_filter && loaded_by_lopdf {
            return Ok(Prescan::Decline);
        }
        let n = inflated_len(&pdf[start..], per_stream)?;
        total = total.saturating_add(n);
        if total > total_cap {
            return Err(ExtractionError::TooLarge(format!(
                "the PDF's streams decompress to more than {total_cap} bytes in total"
            )));
        }
        prev_end = start;
    }
    Ok(Prescan::Load)
}

/// How many bytes zlib data inflates to, counting no further than `cap`; 0 when it is not zlib.
fn inflated_len(data: &[u8], cap: usize) -> Result<usize, ExtractionError> {
    let limit = u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1);
    let mut decoder = flate2::read::ZlibDecoder::new(data).take(limit);
    let mut buf = [0u8; 16 * 1024];
    let mut n = 0usize;
    loop {
        match decoder.read(&mut buf) {
            Ok(0) => break,
            Ok(k) => n += k,
            // Not zlib data, or data that ends early: lopdf fails on it the same way.
            Err(_) => break,
        }
    }
    if n > cap {
        return Err(ExtractionError::TooLarge(format!("a PDF stream decompresses to more than {cap} bytes")));
    }
    Ok(n)
}

/// Resolves `#XX` escapes in names (`/Obj#53tm` is `/ObjStm`), so the prescan sees what lopdf sees.
fn unescape_names(dict: &[u8]) -> Vec<u8> {
    let hex = |c: u8| char::from(c).to_digit(16);
    let mut out = Vec::with_capacity(dict.len());
    let mut i = 0;
    while i < dict.len() {
        if dict[i] == b'#' {
            if let (Some(h), Some(l)) = (dict.get(i + 1).and_then(|c| hex(*c)), dict.get(i + 2).and_then(|c| hex(*c))) {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                i += 3;
                continue;
            }
        }
        out.push(dict[i]);
        i += 1;
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn bombs_are_stopped_before_lopdf_loads() {
        let limits = Limits { max_pdf_bytes: 1024 * 1024, max_xml_bytes: 64 * 1024, ..Limits::default() };
        let mut file = b"%PDF-1.7\n1 0 obj\n<< /Type /ObjStm /Filter /FlateDecode >>\nstream\n".to_vec();
        file.extend_from_slice(&zlib(&vec![0u8; 8 * 1024 * 1024]));
        file.extend_from_slice(b"\nendstream\nendobj\n");
        assert!(matches!(find_embedded_einvoice_with_limits(&file, &limits), Err(ExtractionError::TooLarge(_))));
    }

    #[test]
    fn lzw_object_streams_are_declined() {
        let file = b"%PDF-1.7\n1 0 obj\n<< /Type /ObjStm /Filter /LZWDecode >>\nstream\nxx\nendstream\nendobj\n";
        assert_eq!(prescan_streams(file, &Limits::default()), Ok(Prescan::Decline));
    }

    #[test]
    fn escaped_names_are_seen_through() {
        assert_eq!(
            unescape_names(b"/Type /Obj#53tm /Subtype /text#2Fxml #zz"),
            b"/Type /ObjStm /Subtype /text/xml #zz"
        );
        let file = b"%PDF-1.7\n1 0 obj\n<< /Type /Obj#53tm /Filter /LZW#44ecode >>\nstream\nxx\nendstream\nendobj\n";
        assert_eq!(prescan_streams(file, &Limits::default()), Ok(Prescan::Decline));
    }

    #[test]
    fn inflate_is_bounded() {
        assert_eq!(inflate(&zlib(b"<a/>"), 10), Ok(Some(b"<a/>".to_vec())));
        assert!(matches!(inflate(&zlib(&[b'x'; 100]), 10), Err(ExtractionError::TooLarge(_))));
        assert_eq!(inflate(b"not zlib", 10), Ok(None));
    }

    #[test]
    fn only_xml_looking_data_is_sniffed() {
        assert!(looks_like_xml(b"\xEF\xBB\xBF  <?xml version=\"1.0\"?>"));
        assert!(looks_like_xml(b"\n<Invoice/>"));
        assert!(!looks_like_xml(b"date;hours"));
        assert!(!looks_like_xml(b""));
        assert_eq!(inflate_prefix(&zlib(&[b'<'; 1000]), 4), Some(b"<<<<".to_vec()));
        assert_eq!(inflate_prefix(b"not zlib", 4), None);
    }

    #[test]
    fn text_strings_decode() {
        assert_eq!(decode_text_string(b"factur-x.xml"), "factur-x.xml");
        assert_eq!(decode_text_string(&[0xFE, 0xFF, 0, b'a', 0, b'b']), "ab");
    }
}
