//! Loading a PDF with lopdf safely, and walking its page tree within the limits.

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

use billify_ports::intake::ExtractionError;
use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::decode::{find, prescan_streams};
use crate::limits::Budget;

/// Most indirect references followed to reach one object.
const MAX_REF_HOPS: usize = 32;

/// Follows indirect references (at most [`MAX_REF_HOPS`]) to a direct object.
pub(crate) fn resolve<'a>(doc: &'a Document, mut obj: &'a Object) -> Option<&'a Object> {
    for _ in 0..MAX_REF_HOPS {
        match obj {
            Object::Reference(id) => obj = doc.objects.get(id)?,
            other => return Some(other),
        }
    }
    None
}

/// Follows references to a dictionary (or a stream's dictionary).
pub(crate) fn resolve_dict<'a>(doc: &'a Document, obj: &'a Object) -> Option<&'a Dictionary> {
    match resolve(doc, obj)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

/// Checks the bytes and loads them with lopdf.
///
/// lopdf can panic on some malformed input (e.g. an inline image without a colour space, or an
/// arithmetic overflow in an xref entry); the call is wrapped in [`catch_unwind`] as a last line
/// of defence, and such a panic becomes [`ExtractionError::Malformed`]. Known panic paths are
/// avoided instead: content streams are tokenised by this crate, not by lopdf.
pub(crate) fn load(bytes: &[u8], budget: &Budget<'_>) -> Result<Document, ExtractionError> {
    let limits = budget.limits;
    if bytes.is_empty() {
        return Err(ExtractionError::UnsupportedType("the document is empty".into()));
    }
    if bytes.len() > limits.max_input_bytes {
        return Err(ExtractionError::TooLarge(format!(
            "the document has {} bytes; at most {} are accepted",
            bytes.len(),
            limits.max_input_bytes
        )));
    }
    let head = &bytes[..bytes.len().min(1024)];
    if find(head, b"%PDF-").is_none() {
        return Err(ExtractionError::UnsupportedType("not a PDF (no %PDF- header)".into()));
    }
    if is_encrypted(bytes) {
        return Err(ExtractionError::Encrypted);
    }
    prescan_streams(bytes, budget)?;
    budget.check_time()?;
    let parse = |data: &[u8]| {
        if cfg!(feature = "fuzzing") {
            Ok(Document::load_mem(data))
        } else {
            catch_unwind(AssertUnwindSafe(|| Document::load_mem(data)))
        }
    };
    let mut loaded = parse(bytes);
    budget.check_time()?;
    if !matches!(loaded, Ok(Ok(_)))
        && let Some(repaired) = rebuild_xref(bytes)
    {
        // A truncated file or one with a broken cross-reference table: read what is there.
        if let Ok(Ok(doc)) = parse(&repaired) {
            loaded = Ok(Ok(doc));
        }
        budget.check_time()?;
    }
    match loaded {
        Ok(Ok(doc)) => {
            if doc.trailer.get(b"Encrypt").is_ok() || doc.encryption_state.is_some() {
                return Err(ExtractionError::Encrypted);
            }
            Ok(doc)
        }
        Ok(Err(e)) => Err(ExtractionError::Malformed(truncate(&e.to_string(), 200))),
        Err(_) => Err(ExtractionError::Malformed("the PDF structure could not be parsed".into())),
    }
}

/// Rebuilds the cross-reference table of a damaged file (truncated, or with wrong offsets) by
/// scanning for `N G obj` headers, and appends it with a trailer naming the catalog.
///
/// Returns `None` when no catalog object is found.
fn rebuild_xref(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut objects: Vec<(u32, u16, usize)> = Vec::new();
    let mut root: Option<(u32, u16)> = None;
    let mut pos = 0;
    while let Some(i) = find(&bytes[pos..], b" obj") {
        let at = pos + i;
        pos = at + 4;
        // Walk back over "N G".
        let head = &bytes[at.saturating_sub(24)..at];
        let text = String::from_utf8_lossy(head);
        let mut parts = text.rsplit(|c: char| c.is_ascii_whitespace());
        let (Some(generation), Some(num)) = (parts.next(), parts.next()) else { continue };
        let (Ok(g), Ok(n)) = (generation.parse::<u16>(), num.parse::<u32>()) else { continue };
        if n == 0 || n > 10_000_000 {
            continue;
        }
        let start = at - generation.len() - 1 - num.len();
        if start > 0 && !bytes[start - 1].is_ascii_whitespace() {
            continue;
        }
        let body_end = find(&bytes[pos..], b"endobj").map_or(bytes.len(), |e| pos + e).min(pos + 4096);
        let body = &bytes[pos..body_end];
        if root.is_none() && find(body, b"/Catalog").is_some() {
            root = Some((n, g));
        }
        objects.push((n, g, start));
        if objects.len() > 5_000_000 {
            return None;
        }
    }
    let (root_n, root_g) = root?;
    // Later definitions (incremental updates) win.
    let latest: std::collections::BTreeMap<u32, (u16, usize)> =
        objects.into_iter().map(|(n, g, off)| (n, (g, off))).collect();
    let size = latest.keys().next_back().map_or(1, |n| n + 1);
    let mut out = bytes.to_vec();
    out.extend_from_slice(b"\n");
    let xref = out.len();
    out.extend_from_slice(b"xref\n0 1\n0000000000 65535 f \n");
    for (n, (g, off)) in &latest {
        out.extend_from_slice(format!("{n} 1\n{off:010} {g:05} n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {size} /Root {root_n} {root_g} R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    Some(out)
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// Whether a trailer or cross-reference stream dictionary names an `/Encrypt` dictionary.
///
/// Encrypted documents are refused before lopdf sees them: lopdf would try the empty password
/// and then inflate object streams without limits.
fn is_encrypted(bytes: &[u8]) -> bool {
    let mut pos = 0;
    while let Some(i) = find(&bytes[pos..], b"/Encrypt") {
        let after = &bytes[pos + i + 8..];
        let rest: Vec<u8> = after.iter().take(32).copied().skip_while(u8::is_ascii_whitespace).collect();
        if rest.first().is_some_and(u8::is_ascii_digit) || rest.starts_with(b"<<") {
            return true;
        }
        pos += i + 8;
    }
    false
}

/// One page to read: its id, inherited resources and media box.
#[derive(Debug, Clone)]
pub(crate) struct PageRef {
    pub(crate) id: ObjectId,
    pub(crate) resources: Option<Dictionary>,
    pub(crate) media_box: [f32; 4],
}

/// Walks the page tree depth-first, with inheritance of /Resources and /MediaBox, guarding
/// against cycles, excessive depth and more pages than the limit.
pub(crate) fn pages(doc: &Document, budget: &Budget<'_>) -> Result<Vec<PageRef>, ExtractionError> {
    let root = doc
        .trailer
        .get(b"Root")
        .ok()
        .and_then(|o| resolve_dict(doc, o))
        .ok_or_else(|| ExtractionError::Malformed("the trailer has no document catalog (/Root)".into()))?;
    let pages_obj = root
        .get(b"Pages")
        .map_err(|_| ExtractionError::Malformed("the document catalog has no page tree (/Pages)".into()))?;
    let max = budget.limits.max_pages;
    if let Some(count) = resolve_dict(doc, pages_obj).and_then(|d| d.get(b"Count").ok()).and_then(|o| o.as_i64().ok())
        && count > max as i64
    {
        return Err(too_many_pages(max));
    }
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    walk(doc, pages_obj, None, [0.0, 0.0, 612.0, 792.0], 0, &mut seen, &mut out, budget)?;
    Ok(out)
}

fn too_many_pages(max: usize) -> ExtractionError {
    ExtractionError::TooLarge(format!("the document has more than {max} pages"))
}

#[allow(clippy::too_many_arguments)]
fn walk(
    doc: &Document,
    node: &Object,
    resources: Option<&Dictionary>,
    media_box: [f32; 4],
    depth: usize,
    seen: &mut HashSet<ObjectId>,
    out: &mut Vec<PageRef>,
    budget: &Budget<'_>,
) -> Result<(), ExtractionError> {
    if depth > budget.limits.max_depth {
        return Err(ExtractionError::TooLarge(format!(
            "the page tree is nested more than {} levels deep",
            budget.limits.max_depth
        )));
    }
    let id = match node {
        Object::Reference(id) => *id,
        _ => return Ok(()),
    };
    if !seen.insert(id) {
        return Ok(());
    }
    let Some(dict) = resolve_dict(doc, node) else { return Ok(()) };
    let own_resources = dict.get(b"Resources").ok().and_then(|o| resolve_dict(doc, o));
    let resources = own_resources.or(resources);
    let media_box = dict.get(b"MediaBox").ok().and_then(|o| rect(doc, o)).unwrap_or(media_box);
    let is_pages = dict.get(b"Type").ok().and_then(|o| o.as_name().ok()) == Some(b"Pages") || dict.has(b"Kids");
    if is_pages {
        let kids = dict.get(b"Kids").ok().and_then(|o| resolve(doc, o)).and_then(|o| o.as_array().ok());
        for kid in kids.map(|k| k.as_slice()).unwrap_or(&[]) {
            walk(doc, kid, resources, media_box, depth + 1, seen, out, budget)?;
        }
    } else {
        if out.len() >= budget.limits.max_pages {
            return Err(too_many_pages(budget.limits.max_pages));
        }
        out.push(PageRef { id, resources: resources.cloned(), media_box });
    }
    Ok(())
}

/// Reads a rectangle `[llx lly urx ury]`.
pub(crate) fn rect(doc: &Document, obj: &Object) -> Option<[f32; 4]> {
    let arr = resolve(doc, obj)?.as_array().ok()?;
    if arr.len() != 4 {
        return None;
    }
    let mut r = [0f32; 4];
    for (slot, o) in r.iter_mut().zip(arr) {
        *slot = match resolve(doc, o)? {
            Object::Integer(i) => *i as f32,
            Object::Real(f) => *f,
            _ => return None,
        };
        if !slot.is_finite() {
            return None;
        }
    }
    Some([r[0].min(r[2]), r[1].min(r[3]), r[0].max(r[2]), r[1].max(r[3])])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rebuilds_a_lost_xref() {
        let body = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n";
        let fixed = rebuild_xref(body).unwrap();
        let doc = Document::load_mem(&fixed).unwrap();
        assert!(doc.objects.contains_key(&(2, 0)));
        assert!(rebuild_xref(b"%PDF-1.4\n1 0 obj << >> endobj").is_none());
    }

    #[test]
    fn detects_encrypt_entries() {
        assert!(is_encrypted(b"trailer << /Root 1 0 R /Encrypt 5 0 R >>"));
        assert!(is_encrypted(b"<< /Type /XRef /Encrypt << /Filter /Standard >> >>"));
        assert!(!is_encrypted(b"BT (/Encrypt is a name) Tj ET"));
    }
}
