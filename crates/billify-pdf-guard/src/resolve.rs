//! Following indirect references, with a bound on the hops (reference chains and cycles).

use lopdf::{Dictionary, Document, Object};

/// Most indirect references followed to reach one object.
pub const MAX_REF_HOPS: usize = 32;

/// Follows indirect references (at most [`MAX_REF_HOPS`]) to a direct object; `None` for a
/// dangling reference, a cycle or a longer chain.
pub fn resolve<'a>(doc: &'a Document, mut obj: &'a Object) -> Option<&'a Object> {
    for _ in 0..MAX_REF_HOPS {
        match obj {
            Object::Reference(id) => obj = doc.objects.get(id)?,
            other => return Some(other),
        }
    }
    None
}

/// Follows references to a dictionary (or a stream's dictionary).
pub fn resolve_dict<'a>(doc: &'a Document, obj: &'a Object) -> Option<&'a Dictionary> {
    match resolve(doc, obj)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_end() {
        let mut doc = Document::with_version("1.5");
        doc.objects.insert((1, 0), Object::Reference((2, 0)));
        doc.objects.insert((2, 0), Object::Reference((1, 0)));
        doc.objects.insert((3, 0), Object::Integer(7));
        assert_eq!(resolve(&doc, &Object::Reference((1, 0))), None);
        assert_eq!(resolve(&doc, &Object::Reference((3, 0))), Some(&Object::Integer(7)));
        assert_eq!(resolve(&doc, &Object::Reference((9, 0))), None);
    }
}
