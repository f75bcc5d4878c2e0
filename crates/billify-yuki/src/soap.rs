//! The SOAP 1.1 wire format of Yuki's ASMX services: request envelopes written with quick-xml's
//! writer (every value escaped by it; nothing is pasted into a string), and answers read as a
//! stream of events, so a 10,000-item answer never becomes one tree in memory.
//!
//! Reading follows apis.md §2.2's parser rule: match on local names and ignore namespaces
//! (the inner documents declare `xmlns=""`), compare names without case (Yuki spells
//! `sessionID` and `sessionId` on different services), and when `{Op}Result` has no element
//! children but its text starts with `<` (some operations return the inner XML escaped), read
//! that text as XML.

use std::io::BufRead;
use std::ops::ControlFlow;

use billify_ports::accounting::AccountingError;
use quick_xml::Reader;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesStart, BytesText, Event};

/// Yuki's target namespace.
pub(crate) const YUKI_NS: &str = "http://www.theyukicompany.com/";
/// The SOAP 1.1 envelope namespace.
const SOAP_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// The body of a SOAP 1.1 request for `operation` with its parameters in order (ASMX rejects
/// parameters out of order), each in Yuki's namespace.
pub(crate) fn envelope(operation: &str, parameters: &[(&str, &str)]) -> Result<Vec<u8>, AccountingError> {
    let mut w = Writer::new(Vec::new());
    let built = (|| -> std::io::Result<()> {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
        w.create_element("soap:Envelope").with_attribute(("xmlns:soap", SOAP_NS)).write_inner_content(|w| {
            w.create_element("soap:Body").write_inner_content(|w| {
                w.create_element(operation).with_attribute(("xmlns", YUKI_NS)).write_inner_content(|w| {
                    for (name, value) in parameters {
                        w.create_element(*name).write_text_content(BytesText::new(value))?;
                    }
                    Ok(())
                })?;
                Ok(())
            })?;
            Ok(())
        })?;
        Ok(())
    })();
    built.map_err(|e| AccountingError::Transport(format!("cannot write the request: {e}")))?;
    Ok(w.into_inner())
}

/// A SOAP fault: SOAP 1.1 `faultcode`/`faultstring`, or SOAP 1.2 `Code/Value`/`Reason/Text`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Fault {
    pub(crate) code: String,
    pub(crate) message: String,
    pub(crate) detail: String,
}

/// One repeated element of a result (an `Item`, an `Administration`): its attributes and its
/// child elements' text and attributes, names in lower case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Record {
    pub(crate) attributes: Vec<(String, String)>,
    pub(crate) fields: Vec<Field>,
}

/// A child element of a record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Field {
    pub(crate) name: String,
    pub(crate) text: String,
    pub(crate) attributes: Vec<(String, String)>,
}

impl Record {
    /// The first field with one of these (lower-case) names.
    pub(crate) fn field(&self, names: &[&str]) -> Option<&Field> {
        self.fields.iter().find(|f| names.contains(&f.name.as_str()))
    }

    /// The trimmed text of the first field with one of these names, `None` when absent or empty.
    pub(crate) fn text(&self, names: &[&str]) -> Option<String> {
        self.field(names).map(|f| f.text.trim().to_owned()).filter(|t| !t.is_empty())
    }

    /// An attribute by lower-case name.
    pub(crate) fn attribute(&self, name: &str) -> Option<String> {
        attribute(&self.attributes, name)
    }
}

/// An attribute by lower-case name, trimmed, `None` when empty.
pub(crate) fn attribute(attributes: &[(String, String)], name: &str) -> Option<String> {
    attributes.iter().find(|(n, _)| n == name).map(|(_, v)| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// What an answer held besides its records.
#[derive(Debug, Default)]
pub(crate) struct Answer {
    /// The fault, when the answer is one.
    pub(crate) fault: Option<Fault>,
    /// The result element's own text (for `AuthenticateResult`, `AdministrationIDResult`).
    pub(crate) result_text: String,
    /// Whether the result element was found.
    pub(crate) has_result: bool,
    /// Records delivered.
    pub(crate) records: usize,
}

/// How much of the result's own text is kept when it is not escaped XML.
const MAX_RESULT_TEXT: usize = 64 * 1024 * 1024;

fn lower_local(name: &[u8]) -> String {
    let local = match name.iter().rposition(|b| *b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    };
    String::from_utf8_lossy(local).to_ascii_lowercase()
}

fn attributes_of(e: &BytesStart<'_>) -> Vec<(String, String)> {
    e.attributes()
        .flatten()
        .filter(|a| !a.key.as_ref().starts_with(b"xmlns"))
        .map(|a| {
            let value = a.unescape_value().map(|v| v.into_owned()).unwrap_or_default();
            (lower_local(a.key.as_ref()), value)
        })
        .collect()
}

fn bad(e: impl std::fmt::Display) -> AccountingError {
    AccountingError::InvalidResponse(format!("malformed XML: {e}"))
}

/// Where the walker is.
#[derive(Default)]
struct Walk {
    depth: usize,
    /// Depth of the fault element, inside it.
    fault: Option<usize>,
    fault_field: Option<String>,
    /// Depth of the result element, inside it (`Some(0)` when the whole document is the result).
    result: Option<usize>,
    /// Depth of the record, inside one.
    record: Option<usize>,
    current: Record,
    /// The record's child being read.
    field: Option<Field>,
}

/// Reads an answer event by event: a fault, or `{result}` (lower case) with its records (elements
/// named `record`, lower case, at any depth in it) handed to `on_record` one at a time. With
/// `inner`, the document is the result's content itself (escaped XML read again).
pub(crate) fn read_answer<R: BufRead>(
    reader: R,
    result: &str,
    record: &str,
    inner: bool,
    on_record: &mut dyn FnMut(Record) -> ControlFlow<()>,
) -> Result<Answer, AccountingError> {
    let mut reader = Reader::from_reader(reader);
    reader.config_mut().expand_empty_elements = true;
    let mut buf = Vec::new();
    let mut w = Walk { result: inner.then_some(0), ..Walk::default() };
    let mut answer = Answer { has_result: inner, ..Answer::default() };
    let mut fault = Fault::default();
    let mut fault_seen = false;
    let mut direct_children = 0usize;
    let mut stopped = false;
    loop {
        let event = reader.read_event_into(&mut buf).map_err(bad)?;
        match event {
            Event::Start(e) => {
                w.depth += 1;
                let name = lower_local(e.name().as_ref());
                if w.fault.is_none() && w.result.is_none() && name == "fault" {
                    w.fault = Some(w.depth);
                    fault_seen = true;
                } else if w.fault.is_some() {
                    w.fault_field = Some(name);
                } else if w.result.is_none() && name == result {
                    w.result = Some(w.depth);
                    answer.has_result = true;
                } else if let Some(r) = w.result {
                    if w.depth == r + 1 {
                        direct_children += 1;
                    }
                    if w.record.is_none() && name == record {
                        w.record = Some(w.depth);
                        w.current = Record { attributes: attributes_of(&e), fields: Vec::new() };
                    } else if let Some(rec) = w.record
                        && w.depth == rec + 1
                    {
                        w.field = Some(Field { name, text: String::new(), attributes: attributes_of(&e) });
                    }
                }
            }
            Event::End(_) => {
                if let Some(rec) = w.record {
                    if w.depth == rec + 1 {
                        if let Some(f) = w.field.take() {
                            w.current.fields.push(f);
                        }
                    } else if w.depth == rec {
                        w.record = None;
                        answer.records += 1;
                        if !stopped && on_record(std::mem::take(&mut w.current)).is_break() {
                            stopped = true;
                        }
                    }
                }
                if w.fault == Some(w.depth) {
                    w.fault = None;
                }
                if !inner && w.result == Some(w.depth) {
                    w.result = None;
                }
                w.depth = w.depth.saturating_sub(1);
            }
            Event::Text(t) => {
                let text = t.unescape().map_err(bad)?;
                text_into(&mut w, &mut answer, &mut fault, &text);
            }
            Event::CData(t) => {
                let text = String::from_utf8_lossy(&t.into_inner()).into_owned();
                text_into(&mut w, &mut answer, &mut fault, &text);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if fault_seen {
        answer.fault = Some(fault);
        return Ok(answer);
    }
    // Escaped inner XML: the result has no element children and its text is a document.
    if !inner && answer.has_result && direct_children == 0 && answer.result_text.trim_start().starts_with('<') {
        let text = std::mem::take(&mut answer.result_text);
        let again = read_answer(text.as_bytes(), result, record, true, on_record)?;
        answer.records = again.records;
    }
    Ok(answer)
}

fn text_into(w: &mut Walk, answer: &mut Answer, fault: &mut Fault, text: &str) {
    if w.fault.is_some() {
        match w.fault_field.as_deref() {
            Some("faultcode") | Some("value") => fault.code.push_str(text.trim()),
            Some("faultstring") | Some("text") => fault.message.push_str(text.trim()),
            _ => {
                if !text.trim().is_empty() {
                    if !fault.detail.is_empty() {
                        fault.detail.push(' ');
                    }
                    fault.detail.push_str(text.trim());
                }
            }
        }
    } else if let Some(field) = w.field.as_mut() {
        field.text.push_str(text);
    } else if let Some(r) = w.result
        && w.depth == r
        && answer.result_text.len() + text.len() <= MAX_RESULT_TEXT
    {
        answer.result_text.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(xml: &str, result: &str, record: &str) -> (Answer, Vec<Record>) {
        let mut out = Vec::new();
        let answer = read_answer(xml.as_bytes(), result, record, false, &mut |r| {
            out.push(r);
            ControlFlow::Continue(())
        })
        .unwrap();
        (answer, out)
    }

    #[test]
    fn user_data_is_escaped_by_the_writer() {
        let body = envelope("Authenticate", &[("accessKey", "a<b>&\"c</accessKey><x>")]).unwrap();
        let text = String::from_utf8(body).unwrap();
        assert!(text.contains("<accessKey>a&lt;b&gt;&amp;&quot;c&lt;/accessKey&gt;&lt;x&gt;</accessKey>"), "{text}");
        assert!(text.contains(r#"<Authenticate xmlns="http://www.theyukicompany.com/">"#));
        let (answer, _) = records(&text, "authenticate", "none");
        assert!(answer.has_result, "the written envelope reads back");
    }

    #[test]
    fn soap_1_1_and_1_2_faults_are_read() {
        let v11 = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>
          <faultcode>soap:Server</faultcode><faultstring>Invalid access key</faultstring><detail/></soap:Fault></soap:Body></soap:Envelope>"#;
        let (answer, _) = records(v11, "authenticateresult", "x");
        let fault = answer.fault.unwrap();
        assert_eq!((fault.code.as_str(), fault.message.as_str()), ("soap:Server", "Invalid access key"));
        let v12 = r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault>
          <s:Code><s:Value>s:Receiver</s:Value></s:Code><s:Reason><s:Text xml:lang="en">Daily limit exceeded</s:Text></s:Reason>
          <s:Detail>Every domain has 1000 free webservice calls a day.</s:Detail></s:Fault></s:Body></s:Envelope>"#;
        let fault = records(v12, "x", "y").0.fault.unwrap();
        assert_eq!(fault.message, "Daily limit exceeded");
        assert!(fault.detail.contains("1000 free"));
    }

    #[test]
    fn escaped_inner_documents_are_read_as_xml() {
        let xml = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
          <AdministrationsResponse xmlns="http://www.theyukicompany.com/"><AdministrationsResult>&lt;Administrations xmlns=""&gt;&lt;Administration ID="a1"&gt;&lt;Name&gt;B &amp;amp; C&lt;/Name&gt;&lt;/Administration&gt;&lt;/Administrations&gt;</AdministrationsResult></AdministrationsResponse></soap:Body></soap:Envelope>"#;
        let (answer, recs) = records(xml, "administrationsresult", "administration");
        assert_eq!(answer.records, 1);
        assert_eq!(recs[0].attribute("id").as_deref(), Some("a1"));
        assert_eq!(recs[0].text(&["name"]).as_deref(), Some("B & C"));
    }

    #[test]
    fn names_match_without_namespace_prefix_or_case() {
        let xml = r#"<Envelope><Body><they:OUTSTANDINGDEBTORITEMSRESULT xmlns:they="x"><Items><ITEM Id="1"><they:Reference>R</they:Reference><Type ID=""/></ITEM></Items></they:OUTSTANDINGDEBTORITEMSRESULT></Body></Envelope>"#;
        let (_, recs) = records(xml, "outstandingdebtoritemsresult", "item");
        assert_eq!(recs.len(), 1);
        assert_eq!(recs[0].attribute("id").as_deref(), Some("1"));
        assert_eq!(recs[0].text(&["reference"]).as_deref(), Some("R"));
        assert_eq!(recs[0].field(&["type"]).map(|f| f.attributes.clone()), Some(vec![("id".into(), String::new())]));
    }
}
