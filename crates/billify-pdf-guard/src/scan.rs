//! The scan of the raw bytes that runs before lopdf sees a file.
//!
//! lopdf decodes cross-reference streams while it reads the trailer, and parses every object of
//! the file body, before any hook of ours runs. So the raw file is scanned first:
//!
//! * every stream is decoded through the filters its dictionary names (every layer, counted
//!   against the budget, stored only one layer at a time), so no stream lopdf might decode can
//!   expand past the limits;
//! * the objects of the file body (everything outside stream data) are counted, so lopdf never
//!   parses more than [`Limits::max_objects`](crate::Limits::max_objects) of them;
//! * an `/Encrypt` entry, however its name is escaped, is found.
//!
//! Object streams are decoded again, for real, by [`crate::load`]'s hook, which counts the
//! objects inside them.

use billify_ports::intake::ExtractionError;

use crate::decode::{DecodeError, Params, decode_layers};
use crate::limits::Budget;

/// How far back from a `stream` keyword its dictionary is looked for.
const DICT_WINDOW: usize = 4096;

/// Scans the raw file; see the module documentation.
pub(crate) fn prescan(bytes: &[u8], budget: &mut Budget) -> Result<(), ExtractionError> {
    let mut pos = 0usize;
    let mut body_from = 0usize;
    while let Some(found) = find(&bytes[pos..], b"stream") {
        let at = pos + found;
        pos = at + 6;
        if at >= 3 && &bytes[at - 3..at] == b"end" {
            continue;
        }
        let start = match (bytes.get(pos), bytes.get(pos + 1)) {
            (Some(b'\r'), Some(b'\n')) => pos + 2,
            (Some(b'\r' | b'\n'), _) => pos + 1,
            _ => continue,
        };
        budget.add_objects(count_tokens(&bytes[body_from.min(at)..at]))?;
        let window = &bytes[body_from.max(at.saturating_sub(DICT_WINDOW)).min(at)..at];
        let dict = match rfind(window, b"obj") {
            Some(p) => &window[p..],
            None => window,
        };
        let dict = unescape_names(dict);
        // The data runs to the end of the file as far as decoders are concerned: Flate, LZW,
        // ASCII85 and run-length data end by themselves, whatever `/Length` or a stray
        // `endstream` inside the data say.
        let data = &bytes[start..];
        let (filters, parms) = match dict_filters(&dict) {
            Some(f) if !f.is_empty() => (f, vec![Some(dict_params(&dict))]),
            // No filter named: lopdf decodes nothing, but data that is plainly zlib is counted
            // anyway, in case the dictionary was not where this scan looked.
            _ if looks_like_zlib(data) => (vec![b"FlateDecode".to_vec()], Vec::new()),
            _ => (Vec::new(), Vec::new()),
        };
        if !filters.is_empty() {
            let layers: Vec<Option<Params>> = filters.iter().map(|_| parms.first().copied().flatten()).collect();
            match decode_layers(data, &filters, &layers, budget) {
                Ok(decoded) => {
                    if find(&dict, b"/XRef").is_some() {
                        // Each cross-reference entry becomes an entry in lopdf's table.
                        let width = xref_width(&dict).max(1);
                        budget.add_objects(decoded.len() / width)?;
                    }
                }
                Err(DecodeError::Limit(e)) => return Err(e),
                Err(DecodeError::Unsupported) => {}
            }
        }
        body_from = find(&bytes[start..], b"endstream").map_or(bytes.len(), |e| start + e + 9);
        pos = pos.max(body_from.min(bytes.len()));
        budget.check_time()?;
    }
    budget.add_objects(count_tokens(&bytes[body_from.min(bytes.len())..]))?;
    budget.check_time()
}

/// Whether data starts with a valid zlib header.
fn looks_like_zlib(data: &[u8]) -> bool {
    match data {
        [cmf, flg, ..] => cmf & 0x0f == 8 && (u16::from(*cmf) * 256 + u16::from(*flg)) % 31 == 0,
        _ => false,
    }
}

/// The filter names of the dictionary text (after its last `/Filter`): `/Name` or
/// `[/A /B]`. `None` when there is no `/Filter`, or it is not written as names (lopdf then
/// decodes nothing either).
fn dict_filters(dict: &[u8]) -> Option<Vec<Vec<u8>>> {
    let at = rfind(dict, b"/Filter")?;
    let rest = &dict[at + 7..];
    let rest = skip_white(rest);
    match rest.first() {
        Some(b'/') => Some(vec![name_at(rest)]),
        Some(b'[') => {
            let end = rest.iter().position(|b| *b == b']').unwrap_or(rest.len());
            let mut names = Vec::new();
            let mut inner = &rest[1..end];
            while let Some(p) = inner.iter().position(|b| *b == b'/') {
                inner = &inner[p..];
                let name = name_at(inner);
                inner = &inner[1 + name.len()..];
                names.push(name);
            }
            Some(names)
        }
        _ => None,
    }
}

/// The decode parameters written in the dictionary text (lopdf applies one `/DecodeParms`
/// dictionary to every layer).
fn dict_params(dict: &[u8]) -> Params {
    let d = Params::default();
    Params {
        predictor: int_after(dict, b"/Predictor").unwrap_or(d.predictor),
        colors: int_after(dict, b"/Colors").unwrap_or(d.colors),
        bits: int_after(dict, b"/BitsPerComponent").unwrap_or(d.bits),
        columns: int_after(dict, b"/Columns").unwrap_or(d.columns),
        early_change: int_after(dict, b"/EarlyChange").is_none_or(|v| v != 0),
    }
}

/// The sum of a cross-reference stream's `/W` widths (bytes per entry), or 1 when unreadable.
fn xref_width(dict: &[u8]) -> usize {
    let Some(at) = find(dict, b"/W") else { return 1 };
    let rest = skip_white(&dict[at + 2..]);
    let Some(rest) = rest.strip_prefix(b"[") else { return 1 };
    let end = rest.iter().position(|b| *b == b']').unwrap_or(rest.len());
    String::from_utf8_lossy(&rest[..end])
        .split_ascii_whitespace()
        .filter_map(|w| w.parse::<usize>().ok())
        .fold(0usize, |a, w| a.saturating_add(w.min(16)))
}

fn int_after(dict: &[u8], key: &[u8]) -> Option<i64> {
    let at = find(dict, key)?;
    let rest = skip_white(&dict[at + key.len()..]);
    let end = rest.iter().position(|b| !(b.is_ascii_digit() || *b == b'-')).unwrap_or(rest.len());
    std::str::from_utf8(&rest[..end]).ok()?.parse().ok()
}

fn skip_white(b: &[u8]) -> &[u8] {
    let n = b.iter().position(|c| !is_white(*c)).unwrap_or(b.len());
    &b[n..]
}

/// The name starting at the `/` at `b[0]`, without the slash.
fn name_at(b: &[u8]) -> Vec<u8> {
    b[1..].iter().take_while(|c| !is_white(**c) && !is_delim(**c)).copied().collect()
}

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delim(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

/// Counts the objects (tokens that become an [`lopdf::Object`] or part of one: numbers, names,
/// strings, keywords, array and dictionary openings) in PDF syntax. An upper bound of what
/// parsing it builds.
pub(crate) fn count_tokens(data: &[u8]) -> usize {
    let mut n = 0usize;
    let mut i = 0usize;
    while i < data.len() {
        let b = data[i];
        match b {
            _ if is_white(b) => i += 1,
            b'%' => {
                while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'(' => {
                n += 1;
                let mut depth = 0usize;
                while i < data.len() {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            b'<' if data.get(i + 1) == Some(&b'<') => {
                n += 1;
                i += 2;
            }
            b'<' => {
                n += 1;
                i += data[i..].iter().position(|c| *c == b'>').map_or(data.len() - i, |p| p + 1);
            }
            b'[' => {
                n += 1;
                i += 1;
            }
            b'>' | b']' | b')' | b'{' | b'}' => i += 1,
            b'/' => {
                n += 1;
                i += 1;
                while i < data.len() && !is_white(data[i]) && !is_delim(data[i]) {
                    i += 1;
                }
            }
            _ => {
                n += 1;
                while i < data.len() && !is_white(data[i]) && !is_delim(data[i]) {
                    i += 1;
                }
            }
        }
    }
    n
}

/// Where a dictionary in the file names an `/Encrypt` dictionary (by reference or inline),
/// however the name is escaped (`/Encr#79pt` is `/Encrypt`): the byte range of each such name,
/// without its slash. Empty for a file that is not encrypted.
///
/// lopdf must not see these entries: it would load the file with its own loader for encrypted
/// files, which decodes object streams without limits (see [`crate::decrypt`]).
pub(crate) fn encrypt_names(bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut found = Vec::new();
    let mut pos = 0;
    while let Some(i) = find(&bytes[pos..], b"/") {
        let at = pos + i;
        pos = at + 1;
        let raw = name_at(&bytes[at..]);
        if raw.len() < 7 || raw.len() > 24 || !matches!(raw[0], b'E' | b'#') {
            continue;
        }
        if unescape_names(&raw) != b"Encrypt" {
            continue;
        }
        let rest = skip_white(&bytes[at + 1 + raw.len()..]);
        if rest.first().is_some_and(u8::is_ascii_digit) || rest.starts_with(b"<<") {
            found.push(at + 1..at + 1 + raw.len());
        }
    }
    found
}

/// Resolves `#XX` escapes in names (`/Obj#53tm` is `/ObjStm`), so the scan sees what lopdf sees.
pub(crate) fn unescape_names(dict: &[u8]) -> Vec<u8> {
    let hex = |c: u8| char::from(c).to_digit(16);
    let mut out = Vec::with_capacity(dict.len());
    let mut i = 0;
    while i < dict.len() {
        if dict[i] == b'#'
            && let (Some(h), Some(l)) = (dict.get(i + 1).and_then(|c| hex(*c)), dict.get(i + 2).and_then(|c| hex(*c)))
        {
            out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
            i += 3;
            continue;
        }
        out.push(dict[i]);
        i += 1;
    }
    out
}

/// Position of `needle` in `hay`.
pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
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
mod tests {
    use super::*;

    #[test]
    fn tokens_are_counted_outside_strings_and_comments() {
        assert_eq!(count_tokens(b"1 0 obj << /Type /Page /Kids [3 0 R] >> endobj"), 12);
        assert_eq!(count_tokens(b"(a string (with) spaces) <48 65> % comment 1 2 3\n/N"), 3);
        assert_eq!(count_tokens(b""), 0);
    }

    #[test]
    fn filters_are_read_from_the_dictionary_text() {
        assert_eq!(dict_filters(b"<< /Filter /FlateDecode >>"), Some(vec![b"FlateDecode".to_vec()]));
        assert_eq!(
            dict_filters(b"<< /Filter [ /FlateDecode/FlateDecode ] /N 3 >>"),
            Some(vec![b"FlateDecode".to_vec(), b"FlateDecode".to_vec()])
        );
        assert_eq!(dict_filters(b"<< /Filter 5 0 R >>"), None);
        assert_eq!(dict_params(b"<< /DecodeParms << /Predictor 12 /Columns 5 >> >>").columns, 5);
        assert_eq!(xref_width(b"<< /Type /XRef /W [1 2 1] >>"), 4);
    }

    #[test]
    fn detects_encrypt_entries() {
        let found = encrypt_names(b"trailer << /Root 1 0 R /Encrypt 5 0 R >>");
        assert_eq!(found.iter().map(|r| (r.start, r.end)).collect::<Vec<_>>(), [(24, 31)]);
        assert_eq!(encrypt_names(b"<< /Type /XRef /Encrypt << /Filter /Standard >> >>").len(), 1);
        let found = encrypt_names(b"trailer << /Encr#79pt 5 0 R >>");
        assert_eq!(found.iter().map(|r| (r.start, r.end)).collect::<Vec<_>>(), [(12, 21)]);
        assert!(encrypt_names(b"BT (/Encrypt is a name) Tj ET").is_empty());
    }

    #[test]
    fn escaped_names_are_seen_through() {
        assert_eq!(
            unescape_names(b"/Type /Obj#53tm /Subtype /text#2Fxml #zz"),
            b"/Type /ObjStm /Subtype /text/xml #zz"
        );
    }
}
