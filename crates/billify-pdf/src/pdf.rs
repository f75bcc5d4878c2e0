//! Walking the page tree within the limits.

use std::collections::HashSet;

use billify_pdf_guard::lopdf::{Dictionary, Document, Object, ObjectId};
use billify_pdf_guard::{Budget, resolve, resolve_dict};
use billify_ports::intake::ExtractionError;

/// One page to read: its id, inherited resources and media box.
#[derive(Debug, Clone)]
pub(crate) struct PageRef {
    pub(crate) id: ObjectId,
    pub(crate) resources: Option<Dictionary>,
    pub(crate) media_box: [f32; 4],
}

/// Walks the page tree depth-first, with inheritance of /Resources and /MediaBox, guarding
/// against cycles, excessive depth and more pages than the limit.
pub(crate) fn pages(doc: &Document, budget: &Budget) -> Result<Vec<PageRef>, ExtractionError> {
    let root = doc
        .trailer
        .get(b"Root")
        .ok()
        .and_then(|o| resolve_dict(doc, o))
        .ok_or_else(|| ExtractionError::Malformed("the trailer has no document catalog (/Root)".into()))?;
    let pages_obj = root
        .get(b"Pages")
        .map_err(|_| ExtractionError::Malformed("the document catalog has no page tree (/Pages)".into()))?;
    let max = budget.limits().max_pages;
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
    budget: &Budget,
) -> Result<(), ExtractionError> {
    if depth > budget.limits().max_depth {
        return Err(ExtractionError::TooLarge(format!(
            "the page tree is nested more than {} levels deep",
            budget.limits().max_depth
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
        if out.len() >= budget.limits().max_pages {
            return Err(too_many_pages(budget.limits().max_pages));
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
