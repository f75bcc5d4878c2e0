//! Safe XML reading: size, depth and node limits, no DTD, and namespace-aware navigation.
//!
//! Elements are matched by namespace URI and local name, never by the prefix a sender chose:
//! paths in this crate are written with the conventional prefixes (`cbc:`, `cac:`, `ram:`, ...)
//! which [`ns_uri`] maps to their URIs, and the same conventional spelling names elements in
//! error messages whatever prefixes the document used.

use std::borrow::Cow;
use std::str::FromStr;

use bigdecimal::BigDecimal;
use billify_ports::intake::ExtractionError;
use roxmltree::{Document, Node, ParsingOptions};
use time::{Date, Month};

use crate::Limits;

/// UBL 2.1 `Invoice` document namespace.
pub(crate) const NS_UBL_INVOICE: &str = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
/// UBL 2.1 `CreditNote` document namespace.
pub(crate) const NS_UBL_CREDIT_NOTE: &str = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
/// UBL common aggregate components.
pub(crate) const NS_CAC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
/// UBL common basic components.
pub(crate) const NS_CBC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
/// UN/CEFACT Cross Industry Invoice D16B root namespace.
pub(crate) const NS_RSM: &str = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";
/// UN/CEFACT reusable aggregate business information entities.
pub(crate) const NS_RAM: &str = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";
/// UN/CEFACT unqualified data types.
pub(crate) const NS_UDT: &str = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100";
/// UN/CEFACT qualified data types.
pub(crate) const NS_QDT: &str = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100";
/// The Peppol envelope (Standard Business Document Header) that may wrap a UBL document.
pub(crate) const NS_SBDH: &str = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader";

/// The namespace URI of a conventional prefix used in this crate's paths.
fn ns_uri(prefix: &str) -> Option<&'static str> {
    match prefix {
        "cac" => Some(NS_CAC),
        "cbc" => Some(NS_CBC),
        "rsm" => Some(NS_RSM),
        "ram" => Some(NS_RAM),
        "udt" => Some(NS_UDT),
        "qdt" => Some(NS_QDT),
        _ => None,
    }
}

/// Decodes the bytes of an XML document: UTF-8 (with or without a byte order mark), or
/// ISO-8859-1 when the XML declaration says so. Other encodings are refused.
pub(crate) fn decode<'i>(bytes: &'i [u8], limits: &Limits) -> Result<Cow<'i, str>, ExtractionError> {
    if bytes.len() > limits.max_xml_bytes {
        return Err(ExtractionError::TooLarge(format!(
            "the XML document has {} bytes, more than the limit of {}",
            bytes.len(),
            limits.max_xml_bytes
        )));
    }
    if bytes.starts_with(&[0xFE, 0xFF]) || bytes.starts_with(&[0xFF, 0xFE]) {
        return Err(ExtractionError::Malformed("the XML document is UTF-16; only UTF-8 is read".into()));
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match declared_encoding(bytes).map(|e| e.to_ascii_uppercase()).as_deref() {
        None | Some("UTF-8" | "UTF8" | "US-ASCII" | "ASCII") => {
            std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|e| {
                ExtractionError::Malformed(format!("the XML document is not valid UTF-8 (at byte {})", e.valid_up_to()))
            })
        }
        Some("ISO-8859-1" | "LATIN1" | "ISO_8859-1" | "LATIN-1") => {
            Ok(Cow::Owned(bytes.iter().map(|b| char::from(*b)).collect()))
        }
        Some(other) => Err(ExtractionError::Malformed(format!(
            "the XML declaration announces encoding {other:?}; only UTF-8 and ISO-8859-1 are read"
        ))),
    }
}

/// Parses decoded XML text within the limits, rejecting any DOCTYPE.
pub(crate) fn parse<'i>(text: &'i str, limits: &Limits) -> Result<Document<'i>, ExtractionError> {
    check_depth(text, limits.max_depth)?;
    let options = ParsingOptions { allow_dtd: false, nodes_limit: limits.max_xml_nodes, entity_resolver: None };
    let doc = Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::DtdDetected => doctype_error(),
        roxmltree::Error::NodesLimitReached => {
            ExtractionError::TooLarge(format!("the XML document has more than {} nodes", limits.max_xml_nodes))
        }
        other => ExtractionError::Malformed(format!("invalid XML: {other}")),
    })?;
    // roxmltree accepts an empty `<!DOCTYPE x>`; we accept none at all.
    let root_start = doc.root_element().range().start;
    if text.get(..root_start).is_some_and(|prolog| prolog.contains("<!DOCTYPE")) {
        return Err(doctype_error());
    }
    Ok(doc)
}

fn doctype_error() -> ExtractionError {
    ExtractionError::Malformed(
        "the XML document has a DOCTYPE declaration; e-invoices must not use DTDs or entities".into(),
    )
}

/// The encoding named in the XML declaration, if any.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let rest = bytes.strip_prefix(b"<?xml")?;
    let end = rest.windows(2).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(&rest[..end]).ok()?;
    let (_, after) = decl.split_once("encoding")?;
    let value = after.trim_start().strip_prefix('=')?.trim_start();
    let quote = value.chars().next()?;
    let inner = value.get(1..)?;
    Some(inner.chars().take_while(|c| *c != quote).collect())
}

/// Rejects documents nested deeper than `max_depth` elements, before building the tree.
///
/// The scan counts start and end tags, skipping comments, CDATA sections, processing
/// instructions and quoted attribute values; a malformed document that fools it is rejected
/// by the parser afterwards anyway.
fn check_depth(text: &str, max_depth: usize) -> Result<(), ExtractionError> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0usize;
    while let Some(off) = b[i..].iter().position(|c| *c == b'<') {
        i += off;
        let rest = &b[i..];
        if rest.starts_with(b"<!--") {
            i = find_after(b, i + 4, b"-->");
        } else if rest.starts_with(b"<![CDATA[") {
            i = find_after(b, i + 9, b"]]>");
        } else if rest.starts_with(b"<?") {
            i = find_after(b, i + 2, b"?>");
        } else if rest.starts_with(b"<!") {
            i = find_after(b, i + 2, b">");
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            i = find_after(b, i + 2, b">");
        } else {
            // A start tag: find its end outside quoted attribute values.
            let mut j = i + 1;
            let mut quote: Option<u8> = None;
            while j < b.len() {
                let c = b[j];
                match quote {
                    Some(q) if c == q => quote = None,
                    Some(_) => {}
                    None if c == b'"' || c == b'\'' => quote = Some(c),
                    None if c == b'>' => break,
                    None => {}
                }
                j += 1;
            }
            let self_closing = j > 0 && j < b.len() && b[j - 1] == b'/';
            if !self_closing {
                depth += 1;
                if depth > max_depth {
                    return Err(ExtractionError::TooLarge(format!(
                        "the XML document nests elements more than {max_depth} deep"
                    )));
                }
            }
            i = j.saturating_add(1);
        }
        if i >= b.len() {
            break;
        }
    }
    Ok(())
}

/// The index just after the first `needle` at or after `from`, or the end of `b`.
fn find_after(b: &[u8], from: usize, needle: &[u8]) -> usize {
    if from >= b.len() {
        return b.len();
    }
    b[from..].windows(needle.len()).position(|w| w == needle).map_or(b.len(), |p| from + p + needle.len())
}

/// Whether `node` is the element `{ns}local`.
pub(crate) fn is(node: Node<'_, '_>, ns: &str, local: &str) -> bool {
    node.is_element() && node.tag_name().name() == local && node.tag_name().namespace() == Some(ns)
}

/// Splits a `prefix:local` step into its namespace URI and local name.
fn step(s: &str) -> (Option<&'static str>, &str) {
    match s.split_once(':') {
        Some((prefix, local)) => (ns_uri(prefix), local),
        None => (None, s),
    }
}

/// The child elements of `node` named by one `prefix:local` step.
pub(crate) fn children<'a, 'i>(node: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    let (ns, local) = step(name);
    node.children().filter(move |c| ns.is_some_and(|ns| is(*c, ns, local)))
}

/// The first element reached from `node` by a `/`-separated path of `prefix:local` steps.
pub(crate) fn find<'a, 'i>(node: Node<'a, 'i>, path: &str) -> Option<Node<'a, 'i>> {
    let mut current = node;
    for s in path.split('/') {
        let (ns, local) = step(s);
        let ns = ns?;
        current = current.children().find(|c| is(*c, ns, local))?;
    }
    Some(current)
}

/// Every element reached from `node` by a path, following all matching children at each step.
pub(crate) fn find_all<'a, 'i>(node: Node<'a, 'i>, path: &str) -> Vec<Node<'a, 'i>> {
    let mut current = vec![node];
    for s in path.split('/') {
        let (ns, local) = step(s);
        let Some(ns) = ns else {
            return Vec::new();
        };
        current = current.iter().flat_map(|n| n.children().filter(|c| is(*c, ns, local))).collect();
    }
    current
}

/// The trimmed, non-empty text content of an element (all its text descendants).
pub(crate) fn text_of(node: Node<'_, '_>) -> Option<String> {
    let mut s = String::new();
    for d in node.descendants() {
        if d.is_text() {
            s.push_str(d.text().unwrap_or_default());
        }
    }
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// The trimmed, non-empty text at a path.
pub(crate) fn text(node: Node<'_, '_>, path: &str) -> Option<String> {
    find(node, path).and_then(text_of)
}

/// Parses an `xsd:decimal`: optional sign, digits with an optional decimal point; no exponent,
/// no thousands separators.
pub(crate) fn parse_decimal(value: &str) -> Option<BigDecimal> {
    let t = value.trim();
    let body = t.strip_prefix('-').or_else(|| t.strip_prefix('+')).unwrap_or(t);
    let valid = !body.is_empty()
        && body.len() <= 40
        && body.matches('.').count() <= 1
        && body.bytes().all(|c| c.is_ascii_digit() || c == b'.')
        && body.bytes().any(|c| c.is_ascii_digit());
    if !valid {
        return None;
    }
    BigDecimal::from_str(t.strip_prefix('+').unwrap_or(t)).ok()
}

/// Parses an ISO date `YYYY-MM-DD`, ignoring a time-zone suffix (`Z`, `+01:00`).
pub(crate) fn parse_iso_date(value: &str) -> Option<Date> {
    let t = value.trim();
    let (date, tz) = t.split_at_checked(10)?;
    if !(tz.is_empty() || tz == "Z" || tz.starts_with('+') || tz.starts_with('-')) {
        return None;
    }
    let b = date.as_bytes();
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    ymd(&date[..4], &date[5..7], &date[8..10])
}

/// Parses a UN/EDIFACT format 102 date, `YYYYMMDD`.
pub(crate) fn parse_102_date(value: &str) -> Option<Date> {
    let t = value.trim();
    if t.len() != 8 {
        return None;
    }
    ymd(t.get(..4)?, t.get(4..6)?, t.get(6..8)?)
}

fn ymd(y: &str, m: &str, d: &str) -> Option<Date> {
    let all_digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
    if !(all_digits(y) && all_digits(m) && all_digits(d)) {
        return None;
    }
    let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn decimals_follow_xsd_decimal() {
        assert_eq!(parse_decimal("100.50"), BigDecimal::from_str("100.50").ok());
        assert_eq!(parse_decimal(" -3 "), BigDecimal::from_str("-3").ok());
        assert_eq!(parse_decimal("+3.5"), BigDecimal::from_str("3.5").ok());
        for bad in ["", "1e5", "1,50", "1.2.3", "abc", "-", "."] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_in_both_formats() {
        let d = Date::from_calendar_date(2026, Month::March, 1).ok();
        assert_eq!(parse_iso_date("2026-03-01"), d);
        assert_eq!(parse_iso_date("2026-03-01+01:00"), d);
        assert_eq!(parse_102_date("20260301"), d);
        for bad in ["2026-13-01", "2026-02-30", "20260301", "01-03-2026", "2026-03-01T10"] {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
        assert_eq!(parse_102_date("2026-03-01"), None);
        assert_eq!(parse_102_date("20261301"), None);
    }

    #[test]
    fn depth_scan_ignores_comments_cdata_and_self_closing_tags() {
        let ok = "<?xml version=\"1.0\"?><!-- <a><a><a> --><a x=\"<b>\"><b/><![CDATA[<c><c><c>]]></a>";
        assert!(check_depth(ok, 2).is_ok());
        assert!(check_depth("<a><b><c></c></b></a>", 2).is_err());
    }

    #[test]
    fn utf8_and_latin1_are_decoded_other_encodings_refused() {
        let limits = Limits::default();
        let utf8 = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>\u{e9}</a>";
        assert_eq!(decode(utf8.as_bytes(), &limits).ok().as_deref(), Some(utf8));
        let bom = [&[0xEF, 0xBB, 0xBF][..], b"<a/>"].concat();
        assert_eq!(decode(&bom, &limits).ok().as_deref(), Some("<a/>"));
        let latin1 = b"<?xml version='1.0' encoding='ISO-8859-1'?><a>\xe9</a>";
        assert_eq!(
            decode(latin1, &limits).ok().as_deref(),
            Some("<?xml version='1.0' encoding='ISO-8859-1'?><a>\u{e9}</a>")
        );
        assert!(decode(b"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><a/>", &limits).is_err());
        assert!(decode(b"<a>\xe9</a>", &limits).is_err());
        assert!(decode(&[0xFF, 0xFE, b'<', 0], &limits).is_err());
    }
}
