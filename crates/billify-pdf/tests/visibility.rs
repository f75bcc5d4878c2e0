//! What a person sees is what is read: the invisible text layer of an OCR'd scan (render mode
//! 3) is read, white text on a white page is not (it must not override what the page shows),
//! white text on a dark band is, fully transparent text (`/ca 0`) is not, and Type3 fonts read
//! through their ToUnicode map or their /Differences glyph names.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use billify_pdf::{Limits, extract_invoice, extract_text};
use billify_ports::intake::OwnParty;
use lopdf::{Dictionary, Document, Object, Stream, dictionary};
use time::macros::date;

/// A one-page A4 document with `content` and Helvetica as `/F0`; `extra` adds fonts (to the
/// first dictionary) and XObjects (to the second).
fn page(content: &str, extra: impl FnOnce(&mut Document, &mut Dictionary, &mut Dictionary)) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let content_id = doc.add_object(Stream::new(Dictionary::new(), content.as_bytes().to_vec()));
    let helvetica = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let mut font_dict = dictionary! { "F0" => helvetica };
    let mut xobjects = Dictionary::new();
    extra(&mut doc, &mut font_dict, &mut xobjects);
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        "Resources" => dictionary! { "Font" => font_dict, "XObject" => xobjects },
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// The text read (none when nothing is read).
fn text_of(pdf: &[u8]) -> String {
    extract_text(pdf, &Limits::default()).map(|d| d.text()).unwrap_or_default()
}

/// Shows `text` in Helvetica at (x, y) after the colour operator `colour`.
fn show(colour: &str, x: u32, y: u32, text: &str) -> String {
    format!("BT {colour} /F0 10 Tf {x} {y} Td ({text}) Tj ET\n")
}

#[test]
fn the_invisible_text_layer_of_a_scan_is_read() {
    // OCR writers put their text in render mode 3 over the page image.
    let pdf = page(
        "q 595 0 0 842 0 0 cm Q\nBT 3 Tr /F0 10 Tf 50 780 Td (Factuurnummer: 2024-0042) Tj ET\n\
         BT 3 Tr /F0 10 Tf 50 760 Td (Totaal te betalen 121,00 EUR) Tj ET\n",
        |_, _, _| {},
    );
    let text = text_of(&pdf);
    assert!(text.contains("Factuurnummer: 2024-0042"), "{text}");
    let inv = extract_invoice(&pdf, &OwnParty::default(), date!(2024 - 06 - 01), &Limits::default()).unwrap();
    assert_eq!(inv.invoice_number.unwrap().value, "2024-0042");
}

#[test]
fn white_text_on_a_white_page_does_not_override_what_the_page_shows() {
    let mut content = String::from("1 1 1 rg 0 0 595 842 re f\n");
    // Hidden lines first, in white on the white page (RGB, grey and CMYK white).
    content += &show("1 1 1 rg", 50, 800, "Invoice number: FAKE-0001");
    content += &show("1 g", 50, 786, "Total 9.999,00 EUR");
    content += &show("0 0 0 0 k", 50, 772, "IBAN: NL91 ABNA 0417 1643 00");
    // What a person reads.
    content += &show("0 0 0 rg", 50, 740, "Invoice number: INV-2024-0042");
    content += &show("0.2 g", 50, 726, "Invoice date: 04/03/2024");
    content += &show("0 g", 50, 700, "Subtotal 100,00 EUR");
    content += &show("0 g", 50, 686, "VAT 21% 21,00 EUR");
    // The total in white on a dark band: seen, and read.
    content += "0.1 0.2 0.5 rg 40 660 300 20 re f\n";
    content += &show("1 1 1 rg", 50, 666, "Total 121,00 EUR");
    // White inside q/Q does not outlive it.
    content += "0 g q 1 1 1 rg Q\n";
    content += "BT /F0 10 Tf 50 640 Td (Thank you for your business) Tj ET\n";
    let pdf = page(&content, |_, _, _| {});
    let text = text_of(&pdf);
    assert!(!text.contains("FAKE") && !text.contains("9.999") && !text.contains("NL91"), "{text}");
    assert!(text.contains("Total 121,00 EUR") && text.contains("Thank you"), "{text}");
    let inv = extract_invoice(&pdf, &OwnParty::default(), date!(2024 - 06 - 01), &Limits::default()).unwrap();
    assert_eq!(inv.invoice_number.unwrap().value, "INV-2024-0042");
    assert_eq!(inv.total.unwrap().value.to_string(), "121.00");
    assert!(inv.seller.iban.is_none());
}

#[test]
fn white_text_over_an_image_is_read() {
    // A letterhead or a scan drawn as an image: what is under the white text is not known, so
    // the text counts as seen.
    let content = format!(
        "1 1 1 rg 0 0 595 842 re f\nq 595 0 0 120 0 722 cm /Im0 Do Q\n{}",
        show("1 1 1 rg", 50, 780, "Invoice number: INV-7")
    );
    let pdf = page(&content, |doc, _, xobjects| {
        let image = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1,
                "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
            },
            vec![0x40],
        ));
        xobjects.set("Im0", image);
    });
    let text = text_of(&pdf);
    assert!(text.contains("Invoice number: INV-7"), "{text}");
    // Beside the image, on the white page, the same white text is not seen.
    let content = format!(
        "1 1 1 rg 0 0 595 842 re f\nq 595 0 0 120 0 722 cm /Im0 Do Q\n{}",
        show("1 1 1 rg", 50, 500, "Invoice number: INV-8")
    );
    let pdf = page(&content, |_, _, _| {});
    assert!(!text_of(&pdf).contains("INV-8"));
}

/// A Type3 font whose glyphs are named `names` for codes from 1 on, with a ToUnicode map of
/// `chars` when given.
fn type3(doc: &mut Document, names: &[&str], to_unicode: Option<&str>) -> lopdf::ObjectId {
    let mut procs = Dictionary::new();
    let mut differences: Vec<Object> = vec![1.into()];
    for n in names {
        let id = doc.add_object(Stream::new(Dictionary::new(), b"600 0 d0".to_vec()));
        if procs.get(n.as_bytes()).is_err() {
            procs.set(n.as_bytes().to_vec(), id);
        }
        differences.push(Object::Name(n.as_bytes().to_vec()));
    }
    let widths: Vec<Object> =
        names.iter().map(|n| if *n == "space" || *n == "g8" { 250.into() } else { 600.into() }).collect();
    let mut font = dictionary! {
        "Type" => "Font", "Subtype" => "Type3",
        "FontBBox" => vec![0.into(), 0.into(), 1000.into(), 1000.into()],
        "FontMatrix" => vec![0.001.into(), 0.into(), 0.into(), 0.001.into(), 0.into(), 0.into()],
        "CharProcs" => procs,
        "Encoding" => dictionary! { "Type" => "Encoding", "Differences" => differences },
        "FirstChar" => 1, "LastChar" => names.len() as i64, "Widths" => widths,
        "Resources" => Dictionary::new(),
    };
    if let Some(chars) = to_unicode {
        let mut cmap = String::from(
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n/CMapName /T3 def\n\
             1 begincodespacerange <00> <FF> endcodespacerange\n",
        );
        cmap += &format!("{} beginbfchar\n", chars.chars().count());
        for (i, c) in chars.chars().enumerate() {
            cmap += &format!("<{:02X}> <{:04X}>\n", i + 1, u32::from(c));
        }
        cmap += "endbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end\n";
        let id = doc.add_object(Stream::new(Dictionary::new(), cmap.into_bytes()));
        font.set("ToUnicode", id);
    }
    doc.add_object(font)
}

/// The codes 1.. of `s`'s characters in the order of `alphabet`, as a hex string.
fn codes(s: &str, alphabet: &str) -> String {
    let list: Vec<char> = alphabet.chars().collect();
    s.chars().map(|c| format!("{:02X}", list.iter().position(|a| *a == c).unwrap() + 1)).collect()
}

#[test]
fn type3_text_reads_through_its_to_unicode_map() {
    // Glyph names that say nothing (as TeX bitmap fonts and some printer drivers write them):
    // only the ToUnicode map gives the text.
    let alphabet = "Invoice umbr:T3-7";
    let names: Vec<String> = (0..alphabet.chars().count()).map(|i| format!("g{}", i + 1)).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let content = format!("BT /T3 10 Tf 50 780 Td <{}> Tj ET\n", codes("Invoice number: T3-77", alphabet));
    let pdf = page(&content, |doc, fonts, _| {
        let f = type3(doc, &names, Some(alphabet));
        fonts.set("T3", f);
    });
    let text = text_of(&pdf);
    assert!(text.contains("Invoice number: T3-77"), "{text}");
}

#[test]
fn type3_text_reads_through_its_differences_glyph_names() {
    let pairs = [
        ('I', "I"),
        ('n', "n"),
        ('v', "v"),
        ('o', "o"),
        ('i', "i"),
        ('c', "c"),
        ('e', "e"),
        (' ', "space"),
        ('u', "u"),
        ('m', "m"),
        ('b', "b"),
        ('r', "r"),
        (':', "colon"),
        ('T', "T"),
        ('3', "three"),
        ('-', "hyphen"),
        ('7', "seven"),
    ];
    let alphabet: String = pairs.iter().map(|p| p.0).collect();
    let names: Vec<&str> = pairs.iter().map(|p| p.1).collect();
    let content = format!("BT /T3 10 Tf 50 780 Td <{}> Tj ET\n", codes("Invoice number: T3-77", &alphabet));
    let pdf = page(&content, |doc, fonts, _| {
        let f = type3(doc, &names, None);
        fonts.set("T3", f);
    });
    let text = text_of(&pdf);
    assert!(text.contains("Invoice number: T3-77"), "{text}");
}

#[test]
fn fully_transparent_text_is_not_read() {
    let mut content = String::from("/Clear gs\n");
    content += &show("0 g", 50, 800, "Invoice number: FAKE-0001");
    content += "/Opaque gs\n";
    content += &show("0 g", 50, 740, "Invoice number: INV-2024-0042");
    let pdf = page(&content, |_, _, _| {});
    // Give the page the two graphics states: fill opacity 0, then 1.
    let mut doc = Document::load_mem(&pdf).unwrap();
    let page_id = *doc.get_pages().values().next().unwrap();
    let states = dictionary! {
        "Clear" => dictionary! { "Type" => "ExtGState", "ca" => 0 },
        "Opaque" => dictionary! { "Type" => "ExtGState", "ca" => 1 },
    };
    let page = doc.get_object_mut(page_id).unwrap().as_dict_mut().unwrap();
    page.get_mut(b"Resources").unwrap().as_dict_mut().unwrap().set("ExtGState", states);
    let mut pdf = Vec::new();
    doc.save_to(&mut pdf).unwrap();
    let text = text_of(&pdf);
    assert!(!text.contains("FAKE-0001"), "{text}");
    let inv = extract_invoice(&pdf, &OwnParty::default(), date!(2024 - 06 - 01), &Limits::default()).unwrap();
    assert_eq!(inv.invoice_number.unwrap().value, "INV-2024-0042");
}
