//! Object streams: unpacked within the budget, for plain and decrypted files alike.
//!
//! Each object stream is decoded with [`decode_stream`] (every layer counted), the objects of its
//! index are counted against the budget before any is parsed, and each object is parsed from its
//! own byte range only; lopdf's unbounded decoder never runs on one.

use billify_ports::intake::ExtractionError;
use lopdf::xref::XrefEntry;
use lopdf::{Document, Object, ObjectId, ObjectStream, Stream, dictionary};

use crate::decode::{DecodeError, decode_stream};
use crate::limits::Budget;
use crate::scan::count_tokens;

/// Unpacks an object stream into `unpacked` and leaves it empty, for lopdf to find nothing in
/// it.
pub(crate) fn unpack(
    container: u32,
    stream: &mut Stream,
    budget: &mut Budget,
    unpacked: &mut Vec<(u32, ObjectId, Object)>,
) -> Result<(), ExtractionError> {
    let content = match decode_stream(stream, budget) {
        Ok(c) => c,
        Err(DecodeError::Limit(e)) => return Err(e),
        Err(DecodeError::Unsupported) => Vec::new(),
    };
    let first = stream.dict.get(b"First").ok().and_then(|o| o.as_i64().ok()).and_then(|f| usize::try_from(f).ok());
    stream.set_plain_content(Vec::new());
    let Some(first) = first.filter(|f| *f <= content.len()) else { return Ok(()) };
    let index = &content[..first];
    let numbers: Vec<Option<u32>> =
        String::from_utf8_lossy(index).split_ascii_whitespace().map(|w| w.parse::<u32>().ok()).collect();
    budget.add_objects(numbers.len())?;
    let pairs: Vec<(u32, usize)> = numbers
        .chunks_exact(2)
        .filter_map(|p| Some((p[0]?, first.checked_add(usize::try_from(p[1]?).ok()?)?)))
        .filter(|(_, at)| *at < content.len())
        .collect();
    let mut starts: Vec<usize> = pairs.iter().map(|(_, at)| *at).collect();
    starts.sort_unstable();
    starts.dedup();
    for (n, (number, at)) in pairs.into_iter().enumerate() {
        // Each object is parsed from its own range only: up to the next object's start.
        let next = starts.partition_point(|s| *s <= at);
        let end = starts.get(next).copied().unwrap_or(content.len());
        let body = &content[at..end];
        budget.add_objects(count_tokens(body))?;
        if n % 256 == 0 {
            budget.check_time()?;
        }
        let header = format!("{number} 0 ");
        let mut one = header.as_bytes().to_vec();
        one.extend_from_slice(body);
        let single = Stream::new(dictionary! { "Type" => "ObjStm", "N" => 1, "First" => header.len() as i64 }, one);
        if let Ok(parsed) = ObjectStream::new(&single) {
            unpacked.extend(parsed.objects.into_iter().map(|(id, o)| (container, id, o)));
        }
    }
    Ok(())
}

/// Adds objects unpacked from object streams to the document, by lopdf's rule: the
/// cross-reference table names the object stream that holds an object (stale copies elsewhere
/// are ignored), and an object in the body wins.
pub(crate) fn merge_unpacked(doc: &mut Document, unpacked: Vec<(u32, ObjectId, Object)>) {
    for (container, id, object) in unpacked {
        let listed_elsewhere = matches!(
            doc.reference_table.entries.get(&id.0),
            Some(XrefEntry::Compressed { container: c, .. }) if *c != container
        );
        if !listed_elsewhere {
            doc.objects.entry(id).or_insert(object);
        }
    }
}
