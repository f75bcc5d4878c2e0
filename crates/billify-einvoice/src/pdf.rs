//! Finding the e-invoice embedded in a PDF (Factur-X, ZUGFeRD 2.x, XRechnung in PDF/A-3).
//!
//! Candidates are the file specifications in the catalog's associated files (`/AF`, PDF/A-3)
//! and in the `/Names /EmbeddedFiles` name tree. Those named like an e-invoice (`factur-x.xml`,
//! `zugferd-invoice.xml`, `xrechnung.xml`, ...) are tried first, then every other one; the first
//! whose XML root is a UBL or CII invoice wins.
//!
//! The PDF is loaded, and the embedded files decoded, by `billify-pdf-guard`, the bounded lopdf
//! layer shared with the PDF text reader: one budget ([`Limits::pdf`]) covers the whole read.

use std::collections::HashSet;
use std::time::Duration;

use billify_pdf_guard::lopdf::{Dictionary, Document, Object, ObjectId};
use billify_pdf_guard::{Budget, DecodeError, decode_stream, guarded, peek_stream, resolve, resolve_dict};
use billify_ports::intake::ExtractionError;

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
    spent: Duration,
) -> Result<Option<Vec<u8>>, ExtractionError> {
    guarded(|| {
        let mut budget = Budget::after(&limits.pdf, spent);
        let doc = billify_pdf_guard::load(pdf, &mut budget)?;
        find_in(&doc, limits, &mut budget)
    })
}

fn find_in(doc: &Document, limits: &Limits, budget: &mut Budget) -> Result<Option<Vec<u8>>, ExtractionError> {
    let catalog = doc
        .trailer
        .get(b"Root")
        .ok()
        .and_then(|o| resolve_dict(doc, o))
        .ok_or_else(|| ExtractionError::Malformed("the PDF has no readable catalog (/Root)".into()))?;

    let mut candidates: Vec<Candidate> = Vec::new();
    if let Some(af) = catalog.get(b"AF").ok().and_then(|o| resolve(doc, o)).and_then(|o| o.as_array().ok()) {
        for spec in af.iter().take(MAX_CANDIDATES) {
            if let Some(c) = candidate(doc, None, spec) {
                candidates.push(c);
            }
        }
    }
    if let Some(tree) =
        catalog.get(b"Names").ok().and_then(|o| resolve_dict(doc, o)).and_then(|names| names.get(b"EmbeddedFiles").ok())
    {
        let mut visited = HashSet::new();
        let mut nodes = MAX_TREE_NODES;
        walk_name_tree(doc, tree, 0, &mut visited, &mut nodes, &mut candidates);
    }

    // Known names first, then other XML files, then the rest; each stream tried once.
    candidates.sort_by_key(|c| c.rank());
    let mut tried = HashSet::new();
    for c in candidates.iter().take(MAX_CANDIDATES) {
        if !tried.insert(c.stream) {
            continue;
        }
        budget.check_time()?;
        // A file named like an e-invoice but past the limits is an error; any other large
        // attachment is just not the e-invoice.
        match embedded_bytes(doc, c.stream, limits, budget) {
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

/// A file specification (`/Type /Filespec`) to a candidate, if it has an embedded file stream.
fn candidate(doc: &Document, tree_name: Option<String>, spec: &Object) -> Option<Candidate> {
    let spec = resolve_dict(doc, spec)?;
    let ef = spec.get(b"EF").ok().and_then(|o| resolve_dict(doc, o))?;
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
    if let Object::Reference(id) = node
        && !visited.insert(*id)
    {
        return;
    }
    let Some(dict) = resolve_dict(doc, node) else {
        return;
    };
    if let Some(names) = dict.get(b"Names").ok().and_then(|o| resolve(doc, o)).and_then(|o| o.as_array().ok()) {
        for pair in names.chunks(2) {
            if let [key, spec] = pair {
                let key = resolve(doc, key).and_then(|k| k.as_str().ok()).map(decode_text_string);
                if let Some(c) = candidate(doc, key, spec) {
                    out.push(c);
                }
            }
        }
    }
    if let Some(kids) = dict.get(b"Kids").ok().and_then(|o| resolve(doc, o)).and_then(|o| o.as_array().ok()) {
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

/// The decoded bytes of an embedded file stream, or `None` when it is not XML or uses a filter
/// that is not decoded. Only what starts like XML is decoded whole.
fn embedded_bytes(
    doc: &Document,
    id: ObjectId,
    limits: &Limits,
    budget: &mut Budget,
) -> Result<Option<Vec<u8>>, ExtractionError> {
    let Some(Object::Stream(stream)) = doc.objects.get(&id) else {
        return Ok(None);
    };
    // Peek first, so large attachments of other kinds are not decoded in full.
    match peek_stream(stream, 256, budget)? {
        Some(head) if !looks_like_xml(&head) => return Ok(None),
        _ => {}
    }
    let bytes = match decode_stream(stream, budget) {
        Ok(b) => b,
        Err(DecodeError::Unsupported) => return Ok(None),
        Err(DecodeError::Limit(e)) => return Err(e),
    };
    if !looks_like_xml(&bytes) {
        return Ok(None);
    }
    if bytes.len() > limits.max_xml_bytes {
        return Err(ExtractionError::TooLarge(format!(
            "an embedded file is larger than {} bytes",
            limits.max_xml_bytes
        )));
    }
    Ok(Some(bytes))
}

/// Whether bytes start like an XML document: optional byte order mark and white space, then `<`.
fn looks_like_xml(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    b.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'<')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_xml_looking_data_is_sniffed() {
        assert!(looks_like_xml(b"\xEF\xBB\xBF  <?xml version=\"1.0\"?>"));
        assert!(looks_like_xml(b"\n<Invoice/>"));
        assert!(!looks_like_xml(b"date;hours"));
        assert!(!looks_like_xml(b""));
    }

    #[test]
    fn text_strings_decode() {
        assert_eq!(decode_text_string(b"factur-x.xml"), "factur-x.xml");
        assert_eq!(decode_text_string(&[0xFE, 0xFF, 0, b'a', 0, b'b']), "ab");
    }
}
