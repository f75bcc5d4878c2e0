//! Builds the PDF fixtures with lopdf: a one-page PDF/A-3 style document with embedded files
//! listed in the catalog's `/AF` array and/or the `/Names /EmbeddedFiles` name tree.
//!
//! Used by the tests and by `cargo run -p billify-einvoice --example generate_pdf_fixtures`,
//! which writes the committed files under `tests/fixtures/`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat, dictionary};

/// One embedded file.
pub struct Attachment<'a> {
    pub name: &'a str,
    pub mime: &'a str,
    pub data: &'a [u8],
    /// `Data`, `Alternative`, `Source`, `Supplement` or `Unspecified`.
    pub relationship: &'a str,
    /// Listed in the catalog's `/AF` array (PDF/A-3).
    pub in_af: bool,
}

/// How the `/EmbeddedFiles` name tree is shaped.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum NameTree {
    /// No name tree: the files are reachable through `/AF` only.
    None,
    /// One root node with a `/Names` array.
    Flat,
    /// A root with `/Kids`, one leaf per file.
    Kids,
}

/// The PDF bytes of a one-page document showing `title`, with the attachments.
pub fn build(title: &str, attachments: &[Attachment<'_>], tree: NameTree) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
    });
    let content = format!("BT /F1 14 Tf 72 770 Td ({}) Tj ET", title.replace(['(', ')', '\\'], ""));
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Contents" => content_id,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
        }),
    );

    let mut specs: Vec<(String, ObjectId, bool)> = Vec::new();
    for a in attachments {
        let mut file = Stream::new(
            dictionary! {
                "Type" => "EmbeddedFile",
                "Subtype" => Object::Name(a.mime.as_bytes().to_vec()),
                "Params" => dictionary! {
                    "Size" => i64::try_from(a.data.len()).unwrap(),
                    "ModDate" => text("D:20260305120000+01'00'"),
                },
            },
            a.data.to_vec(),
        );
        file.compress().unwrap();
        let file_id = doc.add_object(file);
        let spec_id = doc.add_object(dictionary! {
            "Type" => "Filespec",
            "F" => text(a.name),
            "UF" => text(a.name),
            "Desc" => text(&format!("Attachment {}", a.name)),
            "AFRelationship" => Object::Name(a.relationship.as_bytes().to_vec()),
            "EF" => dictionary! { "F" => file_id, "UF" => file_id },
        });
        specs.push((a.name.to_owned(), spec_id, a.in_af));
    }

    let mut catalog = dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
        "Metadata" => doc.add_object(xmp(title)),
    };
    let af: Vec<Object> = specs.iter().filter(|s| s.2).map(|s| s.1.into()).collect();
    if !af.is_empty() {
        catalog.set("AF", Object::Array(af));
    }
    let mut sorted = specs.clone();
    // Name trees are sorted by key.
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let leaf = |entries: &[(String, ObjectId, bool)]| -> Dictionary {
        let names: Vec<Object> = entries.iter().flat_map(|(n, id, _)| [text(n), (*id).into()]).collect();
        let mut d = dictionary! { "Names" => names };
        if let (Some(first), Some(last)) = (entries.first(), entries.last()) {
            d.set("Limits", vec![text(&first.0), text(&last.0)]);
        }
        d
    };
    match tree {
        NameTree::None => {}
        NameTree::Flat => {
            let root = doc.add_object(leaf(&sorted));
            catalog.set("Names", dictionary! { "EmbeddedFiles" => root });
        }
        NameTree::Kids => {
            let kids: Vec<Object> =
                sorted.chunks(1).map(|chunk| Object::Reference(doc.add_object(leaf(chunk)))).collect();
            let root = doc.add_object(dictionary! { "Kids" => kids });
            catalog.set("Names", dictionary! { "EmbeddedFiles" => root });
        }
    }
    let catalog_id = doc.add_object(catalog);
    doc.trailer.set("Root", catalog_id);
    doc.trailer.set("ID", vec![hex("b1771f7e1d0000000000000000000001"), hex("b1771f7e1d0000000000000000000001")]);

    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn text(s: &str) -> Object {
    Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
}

fn hex(s: &str) -> Object {
    let bytes = (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect();
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// A minimal XMP packet declaring PDF/A-3B and, as Factur-X requires, the Factur-X fields.
fn xmp(title: &str) -> Stream {
    let xmp = format!(
        r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>3</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#">
   <fx:DocumentType>INVOICE</fx:DocumentType>
   <fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>
   <fx:Version>1.0</fx:Version>
   <fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#
    );
    Stream::new(dictionary! { "Type" => "Metadata", "Subtype" => "XML" }, xmp.into_bytes()).with_compression(false)
}

/// The fixture files: (file name, bytes), built from the XML fixtures in `dir`.
pub fn fixtures(dir: &std::path::Path) -> Vec<(&'static str, Vec<u8>)> {
    let read = |name: &str| std::fs::read(dir.join(name)).unwrap();
    let cii = read("cii-facturx-en16931.xml");
    let cii_credit = read("cii-default-namespace-credit-note.xml");
    let ubl = read("ubl-invoice.xml");
    let csv = b"date;hours;task\n2026-03-02;7.5;workshop\n".to_vec();
    let delivery =
        br#"<?xml version="1.0"?><DeliveryNote xmlns="urn:example:delivery"><ID>DN-1</ID></DeliveryNote>"#.to_vec();
    let att = |name, mime, data, relationship, in_af| Attachment { name, mime, data, relationship, in_af };
    vec![
        (
            "facturx-invoice.pdf",
            build(
                "Rechnung RE-2026-1001",
                &[
                    att("timesheet.csv", "text/csv", &csv, "Supplement", true),
                    att("factur-x.xml", "text/xml", &cii, "Data", true),
                ],
                NameTree::Flat,
            ),
        ),
        (
            "zugferd-name-tree-kids.pdf",
            build(
                "Avoir AV-2026-0003",
                &[
                    att("a-readme.txt", "text/plain", b"see attached", "Unspecified", false),
                    att("ZUGFeRD-invoice.xml", "text/xml", &cii_credit, "Alternative", false),
                ],
                NameTree::Kids,
            ),
        ),
        (
            "ubl-attached-under-other-name.pdf",
            build(
                "Invoice INV-2026-0042",
                &[att("invoice-INV-2026-0042.xml", "application/xml", &ubl, "Source", true)],
                NameTree::None,
            ),
        ),
        (
            "pdfa3-unrelated-attachment.pdf",
            build(
                "Delivery note DN-1",
                &[
                    att("delivery-note.xml", "text/xml", &delivery, "Data", true),
                    att("timesheet.csv", "text/csv", &csv, "Supplement", true),
                ],
                NameTree::Flat,
            ),
        ),
        ("plain.pdf", build("Invoice without attachments", &[], NameTree::None)),
    ]
}
