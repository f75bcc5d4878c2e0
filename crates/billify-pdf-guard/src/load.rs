//! Loading a PDF with lopdf inside the budget.
//!
//! 1. The raw bytes are checked (size, header, encryption) and scanned ([`crate::scan`]).
//! 2. lopdf parses the file with a load hook ([`lopdf::LoadOptions::filter`]) that sees each
//!    object of the file body before lopdf unpacks object streams. The hook unpacks every
//!    object stream itself: it decodes it with [`decode_stream`] (every layer counted), counts
//!    the objects inside against the budget before parsing any, parses each object from its own
//!    byte range only, and hands lopdf an empty stream in its place. lopdf's unbounded decoder
//!    never runs on an object stream.
//! 3. The unpacked objects are added to the document by lopdf's own rule (an object in the
//!    file body wins; the cross-reference table says which object stream holds an object).
//!
//! lopdf is called inside `catch_unwind` as a last line of defence; a panic in it becomes
//! [`ExtractionError::Malformed`].
//!
//! An encrypted file (owner password only, as invoicing software writes them) goes the same way,
//! with its `/Encrypt` entry hidden from lopdf ([`crate::decrypt`]): lopdf's own loader for
//! encrypted files decodes object streams without our limits. The hook then only sets object
//! streams aside; once the file is parsed, the objects are decrypted with the empty user
//! password, and the object streams unpacked within the budget, as above.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use billify_ports::intake::ExtractionError;
use lopdf::{Document, LoadOptions, Object, ObjectId, Stream};

use crate::decrypt::{decrypt, hide_encrypt};
use crate::limits::Budget;
use crate::objstm::{merge_unpacked, unpack};
use crate::scan::{find, prescan};

/// The state of the load in progress on this thread, for the load hook (lopdf takes a plain
/// function pointer, so the hook cannot capture it).
struct Loading {
    budget: Budget,
    failed: Option<ExtractionError>,
    /// (container object number, object id, object) unpacked from object streams.
    unpacked: Vec<(u32, ObjectId, Object)>,
    /// Whether the file is encrypted: object streams are then set aside in `sealed`, to be
    /// decrypted before they are unpacked.
    encrypted: bool,
    /// The object streams of an encrypted file, still encrypted: (object number, stream).
    sealed: Vec<(ObjectId, Stream)>,
}

/// What one parse produced: the document, and the object streams set aside (encrypted files).
pub(crate) struct Parsed {
    pub(crate) doc: Document,
    pub(crate) sealed: Vec<(ObjectId, Stream)>,
}

thread_local! {
    static LOADING: RefCell<Option<Loading>> = const { RefCell::new(None) };
}

/// Clears this thread's load state when dropped, also when lopdf panics.
struct ClearOnDrop;

impl Drop for ClearOnDrop {
    fn drop(&mut self) {
        LOADING.with(|l| l.borrow_mut().take());
    }
}

/// Checks the bytes and loads them with lopdf, within the budget.
///
/// A file encrypted with an empty user password (only an owner password, which restricts
/// printing or editing in viewers) is decrypted and read like any other.
///
/// Errors: [`ExtractionError::UnsupportedType`] when the bytes are empty or not a PDF,
/// [`ExtractionError::Encrypted`] when it needs a password to open (or another security
/// handler than the standard one), [`ExtractionError::TooLarge`] past a limit,
/// [`ExtractionError::Timeout`], [`ExtractionError::Malformed`] when lopdf cannot read it (a
/// file with a lost or damaged cross-reference table is repaired first, and so is one whose
/// table places objects where they are not).
pub fn load(bytes: &[u8], budget: &mut Budget) -> Result<Document, ExtractionError> {
    let limits = budget.limits().clone();
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
    if !is_pdf(bytes) {
        return Err(ExtractionError::UnsupportedType("not a PDF (no %PDF- header)".into()));
    }
    let hidden = hide_encrypt(bytes);
    let encrypted = hidden.is_some();
    let bytes = hidden.as_deref().unwrap_or(bytes);
    prescan(bytes, budget)?;
    let mut loaded = parse(bytes, budget, encrypted);
    if !encrypted
        && matches!(loaded, Err(ExtractionError::Malformed(_)))
        && let Some(repaired) = rebuild_xref(bytes)
    {
        // A truncated file or one with a broken cross-reference table: read what is there.
        // (Not for encrypted files: the rebuilt trailer would lose what decryption needs.)
        budget.check_time()?;
        if let Ok(parsed) = parse(&repaired, budget, false) {
            loaded = Ok(parsed);
        }
    }
    if !encrypted
        && loaded.as_ref().is_ok_and(|p| missing_objects(&p.doc) > 0)
        && let Some(repaired) = rebuild_xref(bytes)
    {
        // Offsets that miss their objects (PyPDF4 re-saving a file: the objects it appended
        // listed a byte or two off): the objects lopdf could not find there are read from a
        // table rebuilt from the `N G obj` headers, when that finds more of them.
        budget.check_time()?;
        if let Ok(parsed) = parse(&repaired, budget, false)
            && loaded.as_ref().is_ok_and(|p| parsed.doc.objects.len() > p.doc.objects.len())
        {
            loaded = Ok(parsed);
        }
    }
    let Parsed { mut doc, sealed } = loaded?;
    if encrypted {
        decrypt(&mut doc, sealed, budget)?;
    }
    if doc.trailer.get(b"Encrypt").is_ok() || doc.encryption_state.is_some() {
        return Err(ExtractionError::Encrypted);
    }
    budget.check_time()?;
    Ok(doc)
}

/// How many objects the cross-reference table places in the file body that lopdf did not load.
fn missing_objects(doc: &Document) -> usize {
    doc.reference_table
        .entries
        .iter()
        .filter(|(n, e)| match e {
            lopdf::xref::XrefEntry::Normal { generation, .. } => !doc.objects.contains_key(&(**n, *generation)),
            _ => false,
        })
        .count()
}

/// Whether the bytes look like a PDF (`%PDF-` within the first kilobyte, as readers allow).
pub fn is_pdf(bytes: &[u8]) -> bool {
    find(&bytes[..bytes.len().min(1024)], b"%PDF-").is_some()
}

/// One lopdf parse with the load hook installed.
fn parse(bytes: &[u8], budget: &mut Budget, encrypted: bool) -> Result<Parsed, ExtractionError> {
    let state = Loading { budget: budget.clone(), failed: None, unpacked: Vec::new(), encrypted, sealed: Vec::new() };
    LOADING.with(|l| *l.borrow_mut() = Some(state));
    let clear = ClearOnDrop;
    let options = LoadOptions { filter: Some(hook), ..LoadOptions::default() };
    let result = if cfg!(feature = "fuzzing") {
        Ok(Document::load_mem_with_options(bytes, options))
    } else {
        catch_unwind(AssertUnwindSafe(|| Document::load_mem_with_options(bytes, options)))
    };
    let state = LOADING.with(|l| l.borrow_mut().take());
    drop(clear);
    let Some(state) = state else {
        return Err(ExtractionError::Malformed("the PDF structure could not be parsed".into()));
    };
    *budget = state.budget;
    if let Some(e) = state.failed {
        return Err(e);
    }
    let mut doc = match result {
        Ok(Ok(doc)) => doc,
        Ok(Err(lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword)) => return Err(ExtractionError::Encrypted),
        Ok(Err(e)) => return Err(ExtractionError::Malformed(truncate(&e.to_string(), 200))),
        Err(_) => return Err(ExtractionError::Malformed("the PDF structure could not be parsed".into())),
    };
    merge_unpacked(&mut doc, state.unpacked);
    Ok(Parsed { doc, sealed: state.sealed })
}

/// The load hook: sees each object of the file body, unpacks object streams within the budget.
fn hook(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    LOADING.with(|l| {
        let mut slot = l.borrow_mut();
        let state = slot.as_mut()?;
        if state.failed.is_some() {
            return None;
        }
        if let Err(e) = state.budget.check_time() {
            state.failed = Some(e);
            return None;
        }
        if let Object::Stream(stream) = object
            && stream.dict.has_type(b"ObjStm")
        {
            if state.encrypted {
                // Encrypted: unpacked after decryption. lopdf gets an empty stream.
                let sealed = stream.clone();
                stream.set_plain_content(Vec::new());
                state.sealed.push((id, sealed));
            } else if let Err(e) = unpack(id.0, stream, &mut state.budget, &mut state.unpacked) {
                state.failed = Some(e);
                return None;
            }
        }
        // lopdf keeps the object it passed in (it only looks at whether this is `Some`); the
        // returned copy would only be used for objects inside object streams, and lopdf finds
        // none there.
        Some((id, Object::Null))
    })
}

/// Rebuilds the cross-reference table of a damaged file (truncated, or with wrong offsets) by
/// scanning for `N G obj` headers, and appends it with a trailer naming the catalog.
///
/// Returns `None` when no catalog object is found.
pub(crate) fn rebuild_xref(bytes: &[u8]) -> Option<Vec<u8>> {
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
        if find(body, b"/Catalog").is_some() {
            root = Some((n, g));
        }
        objects.push((n, g, start));
    }
    let (root_n, root_g) = root?;
    // Keep the last definition of each object number, as incremental updates do.
    let mut latest: BTreeMap<u32, (u16, usize)> = BTreeMap::new();
    for (n, g, off) in objects {
        latest.insert(n, (g, off));
    }
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

    /// A file whose table lists its last object a byte off (as PyPDF4 re-saved Factur-X files):
    /// the object is read all the same.
    #[test]
    fn reads_objects_the_table_lists_a_byte_off() {
        let objects = [
            "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n".to_string(),
            "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n".to_string(),
            "3 0 obj\n<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> >>\nendobj\n".to_string(),
            "4 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n".to_string(),
        ];
        let mut file = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for o in &objects {
            offsets.push(file.len());
            file.extend_from_slice(o.as_bytes());
        }
        let xref = file.len();
        file.extend_from_slice(b"xref\n0 5\n0000000000 65535 f \n");
        for (n, off) in offsets.iter().enumerate() {
            // The last object listed one byte past its header.
            let off = if n == 3 { off + 1 } else { *off };
            file.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
        }
        file.extend_from_slice(format!("trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes());
        let mut budget = Budget::new(&crate::Limits::default());
        let doc = load(&file, &mut budget).unwrap();
        assert!(doc.objects.contains_key(&(4, 0)));
        assert_eq!(missing_objects(&doc), 0);
    }
}
