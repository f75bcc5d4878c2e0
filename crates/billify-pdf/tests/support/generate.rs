//! Generates the fixture corpus in `tests/fixtures/` with lopdf.
//!
//! Shared by `examples/generate_fixtures.rs` (which writes the files) and `tests/corpus.rs`
//! (which checks that the committed files are what this code generates). Each fixture covers
//! a layout, a language and a font encoding; the expected fields are written out by hand in
//! `tests/corpus.rs`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use lopdf::{Dictionary, Document, Object, Stream, dictionary};

/// How a font encodes text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FontKind {
    /// Helvetica, WinAnsiEncoding, with /Widths.
    WinAnsi,
    /// Helvetica-Bold, WinAnsiEncoding, with /Widths.
    WinAnsiBold,
    /// Helvetica, MacRomanEncoding, no /Widths (standard 14 metrics).
    MacRoman,
    /// Helvetica, WinAnsi base plus /Differences putting accented letters and the euro at codes 1..=8.
    Differences,
    /// A Type0 font, Identity-H, two-byte CIDs that are not Unicode, with a ToUnicode CMap.
    Type0,
}

/// How text-showing operators are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `x y Td (..) Tj`.
    Td,
    /// `1 0 0 1 x y Tm (..) Tj`.
    Tm,
    /// `x y Td [(word) -280 (word)] TJ`: no space glyphs, gaps by kerning.
    TjGaps,
}

struct Item {
    page: usize,
    font: usize,
    size: f32,
    x: f32,
    y: f32,
    text: String,
}

/// A document under construction.
pub struct Pdf {
    fonts: Vec<FontKind>,
    items: Vec<Item>,
    pages: usize,
    style: Style,
    /// A flipped coordinate system like wkhtmltopdf's (`1 0 0 -1 0 842 cm`).
    flipped: bool,
    /// The whole page drawn turned a quarter (`0 1 -1 0 595 0 cm`), as landscape pages are.
    rotated: bool,
}

const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556,
    556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334,
    260, 334, 584,
];

fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ç' => 'c',
        'Ä' => 'A',
        'Ö' => 'O',
        'Ü' => 'U',
        'É' => 'E',
        c => c,
    }
}

/// Helvetica advance width in 1/1000 em.
pub fn width(c: char) -> f32 {
    let c = fold(c);
    match u32::from(c) {
        0x20..=0x7e => f32::from(HELVETICA[(u32::from(c) - 0x20) as usize]),
        _ => 556.0,
    }
}

fn text_width(s: &str, size: f32) -> f32 {
    s.chars().map(width).sum::<f32>() * size / 1000.0
}

const DIFFERENCES: [(char, &str); 8] = [
    ('é', "eacute"),
    ('è', "egrave"),
    ('à', "agrave"),
    ('ç', "ccedilla"),
    ('€', "Euro"),
    ('ê', "ecircumflex"),
    ('ô', "ocircumflex"),
    ('û', "ucircumflex"),
];

fn mac_roman(c: char) -> u8 {
    match c {
        'Ä' => 0x80,
        'É' => 0x83,
        'Ö' => 0x85,
        'Ü' => 0x86,
        'à' => 0x88,
        'ä' => 0x8a,
        'é' => 0x8e,
        'è' => 0x8f,
        'ö' => 0x9a,
        'ü' => 0x9f,
        'ß' => 0xa7,
        c if (c as u32) < 0x7f => c as u8,
        _ => b'?',
    }
}

fn win_ansi(c: char) -> u8 {
    match c {
        '€' => 0x80,
        c if (c as u32) <= 0xff => c as u32 as u8,
        _ => b'?',
    }
}

impl Pdf {
    /// A document with the given fonts (`/F0`, `/F1`, ...).
    pub fn new(fonts: &[FontKind], style: Style) -> Self {
        Pdf { fonts: fonts.to_vec(), items: Vec::new(), pages: 1, style, flipped: false, rotated: false }
    }

    /// Draws in a flipped coordinate system (y down), as HTML-to-PDF converters do.
    pub fn flipped(mut self) -> Self {
        self.flipped = true;
        self
    }

    /// Draws the page turned a quarter counter-clockwise (a landscape layout on a portrait
    /// media box): the text reads upwards on the page.
    pub fn rotated(mut self) -> Self {
        self.rotated = true;
        self
    }

    /// Starts a new page; later text goes there.
    pub fn new_page(&mut self) {
        self.pages += 1;
    }

    /// Left-aligned text at (x, y), y from the bottom of an A4 page.
    pub fn text(&mut self, font: usize, size: f32, x: f32, y: f32, text: &str) -> &mut Self {
        self.items.push(Item { page: self.pages - 1, font, size, x, y, text: text.to_string() });
        self
    }

    /// Right-aligned text ending at `right`.
    pub fn right(&mut self, font: usize, size: f32, right: f32, y: f32, text: &str) -> &mut Self {
        let x = right - text_width(text, size);
        self.text(font, size, x, y, text)
    }

    fn encode(&self, kind: FontKind, cids: &[char], s: &str) -> Vec<u8> {
        match kind {
            FontKind::WinAnsi | FontKind::WinAnsiBold => s.chars().map(win_ansi).collect(),
            FontKind::MacRoman => s.chars().map(mac_roman).collect(),
            FontKind::Differences => s
                .chars()
                .map(|c| match DIFFERENCES.iter().position(|(d, _)| *d == c) {
                    Some(i) => i as u8 + 1,
                    None => win_ansi(c),
                })
                .collect(),
            FontKind::Type0 => s
                .chars()
                .flat_map(|c| {
                    let cid = cids.iter().position(|x| *x == c).unwrap() as u16 + 3;
                    cid.to_be_bytes()
                })
                .collect(),
        }
    }

    /// The PDF bytes.
    pub fn build(&self) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let cids: Vec<char> = {
            let set: BTreeSet<char> = self
                .items
                .iter()
                .filter(|i| self.fonts[i.font] == FontKind::Type0)
                .flat_map(|i| i.text.chars())
                .collect();
            set.into_iter().collect()
        };
        let mut font_dict = Dictionary::new();
        for (i, kind) in self.fonts.iter().enumerate() {
            let id = font(&mut doc, *kind, &cids);
            font_dict.set(format!("F{i}"), id);
        }
        let resources = doc.add_object(dictionary! { "Font" => font_dict });
        let mut kids = Vec::new();
        for page in 0..self.pages {
            let mut content = String::new();
            if self.rotated {
                content.push_str("q 0 1 -1 0 595 0 cm\n");
            }
            if self.flipped {
                content.push_str("q 1 0 0 -1 0 842 cm\n");
            }
            for item in self.items.iter().filter(|i| i.page == page) {
                let kind = self.fonts[item.font];
                let y = if self.flipped { 842.0 - item.y } else { item.y };
                let flip = if self.flipped { "1 0 0 -1" } else { "1 0 0 1" };
                let hex = |s: &str| -> String {
                    self.encode(kind, &cids, s).iter().map(|b| format!("{b:02X}")).collect::<String>()
                };
                let show = match self.style {
                    Style::TjGaps => {
                        let words: Vec<String> = item.text.split(' ').map(|w| format!("<{}>", hex(w))).collect();
                        format!("[{}] TJ", words.join(" -280 "))
                    }
                    _ => format!("<{}> Tj", hex(&item.text)),
                };
                let place = match (self.style, self.flipped) {
                    (Style::Tm, _) | (_, true) => format!("{flip} {:.2} {:.2} Tm", item.x, y),
                    _ => format!("{:.2} {:.2} Td", item.x, y),
                };
                content.push_str(&format!("BT /F{} {} Tf {place} {show} ET\n", item.font, item.size));
            }
            if self.flipped {
                content.push_str("Q\n");
            }
            if self.rotated {
                content.push_str("Q\n");
            }
            let mut stream = Stream::new(Dictionary::new(), content.into_bytes());
            stream.compress().unwrap();
            let content_id = doc.add_object(stream);
            let page_id = doc.add_object(dictionary! {
                "Type" => "Page",
                "Parent" => pages_id,
                "Contents" => content_id,
                "Resources" => resources,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            });
            kids.push(Object::Reference(page_id));
        }
        let count = kids.len() as i64;
        doc.objects
            .insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }));
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }
}

fn font(doc: &mut Document, kind: FontKind, cids: &[char]) -> lopdf::ObjectId {
    let widths = || -> Vec<Object> {
        (32u8..=255)
            .map(|b| {
                let c = match b {
                    0x80 => '€',
                    _ => char::from(b),
                };
                Object::Integer(width(c) as i64)
            })
            .collect()
    };
    match kind {
        FontKind::WinAnsi | FontKind::WinAnsiBold => doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => if kind == FontKind::WinAnsi { "Helvetica" } else { "Helvetica-Bold" },
            "Encoding" => "WinAnsiEncoding",
            "FirstChar" => 32,
            "LastChar" => 255,
            "Widths" => widths(),
        }),
        FontKind::MacRoman => doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => "Helvetica",
            "Encoding" => "MacRomanEncoding",
        }),
        FontKind::Differences => {
            let mut diffs: Vec<Object> = vec![1.into()];
            diffs.extend(DIFFERENCES.iter().map(|(_, n)| Object::Name(n.as_bytes().to_vec())));
            let mut w: Vec<Object> = DIFFERENCES.iter().map(|(c, _)| Object::Integer(width(*c) as i64)).collect();
            w.extend(vec![Object::Integer(0); 23]);
            w.extend(widths());
            doc.add_object(dictionary! {
                "Type" => "Font",
                "Subtype" => "Type1",
                "BaseFont" => "Helvetica",
                "Encoding" => dictionary! { "Type" => "Encoding", "BaseEncoding" => "WinAnsiEncoding", "Differences" => diffs },
                "FirstChar" => 1,
                "LastChar" => 255,
                "Widths" => w,
            })
        }
        FontKind::Type0 => {
            let mut cmap = String::from(
                "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
            );
            for chunk in cids.chunks(50).enumerate() {
                let (n, chars) = chunk;
                cmap.push_str(&format!("{} beginbfchar\n", chars.len()));
                for (k, c) in chars.iter().enumerate() {
                    let cid = 3 + n * 50 + k;
                    let mut units = [0u16; 2];
                    let utf16: String = c.encode_utf16(&mut units).iter().map(|u| format!("{u:04X}")).collect();
                    cmap.push_str(&format!("<{cid:04X}> <{utf16}>\n"));
                }
                cmap.push_str("endbfchar\n");
            }
            cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
            let mut tu = Stream::new(Dictionary::new(), cmap.into_bytes());
            tu.compress().unwrap();
            let tu_id = doc.add_object(tu);
            let descriptor = doc.add_object(dictionary! {
                "Type" => "FontDescriptor",
                "FontName" => "ABCDEF+NotoSans",
                "Flags" => 32,
                "FontBBox" => vec![0.into(), (-200).into(), 1000.into(), 900.into()],
                "ItalicAngle" => 0,
                "Ascent" => 900,
                "Descent" => -200,
                "CapHeight" => 700,
                "StemV" => 80,
            });
            let w: Vec<Object> = cids.iter().map(|c| Object::Integer(width(*c) as i64)).collect();
            let cid_font = doc.add_object(dictionary! {
                "Type" => "Font",
                "Subtype" => "CIDFontType2",
                "BaseFont" => "ABCDEF+NotoSans",
                "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
                "FontDescriptor" => descriptor,
                "DW" => 1000,
                "W" => vec![3.into(), Object::Array(w)],
                "CIDToGIDMap" => "Identity",
            });
            doc.add_object(dictionary! {
                "Type" => "Font",
                "Subtype" => "Type0",
                "BaseFont" => "ABCDEF+NotoSans",
                "Encoding" => "Identity-H",
                "DescendantFonts" => vec![cid_font.into()],
                "ToUnicode" => tu_id,
            })
        }
    }
}

/// Dutch: labels left with colons, `1.234,56` with a € prefix, right-aligned totals, an OGM,
/// payment terms instead of a due date, a "Factuur aan" buyer block, WinAnsi fonts.
fn nl_labels_left() -> Vec<u8> {
    let mut p = Pdf::new(&[FontKind::WinAnsi, FontKind::WinAnsiBold], Style::Td);
    p.text(1, 16.0, 50.0, 790.0, "Schilderwerken Peeters BV");
    p.text(0, 9.0, 50.0, 776.0, "Kerkstraat 12");
    p.text(0, 9.0, 50.0, 765.0, "9000 Gent");
    p.text(0, 9.0, 50.0, 754.0, "BTW BE0403.170.701");
    p.text(1, 20.0, 380.0, 790.0, "FACTUUR");
    p.text(1, 9.0, 330.0, 700.0, "Factuur aan:");
    p.text(0, 9.0, 330.0, 688.0, "Bakkerij De Zon NV");
    p.text(0, 9.0, 330.0, 677.0, "Marktplein 3");
    p.text(0, 9.0, 330.0, 666.0, "2800 Mechelen");
    p.text(0, 9.0, 330.0, 655.0, "BTW: BE 0897.054.515");
    p.text(0, 9.0, 50.0, 700.0, "Factuurnummer: F2024-0042");
    p.text(0, 9.0, 50.0, 688.0, "Factuurdatum: 15-03-2024");
    p.text(0, 9.0, 50.0, 676.0, "Betalingstermijn: 30 dagen");
    p.text(1, 9.0, 50.0, 620.0, "Omschrijving");
    p.right(1, 9.0, 545.0, 620.0, "Bedrag");
    p.text(0, 9.0, 50.0, 605.0, "Schilderen gevel, 3 dagen");
    p.right(0, 9.0, 545.0, 605.0, "€ 1.850,00");
    p.text(0, 9.0, 50.0, 592.0, "Verf en materiaal");
    p.right(0, 9.0, 545.0, 592.0, "€ 384,50");
    p.text(0, 9.0, 360.0, 560.0, "Totaal excl. btw");
    p.right(0, 9.0, 545.0, 560.0, "€ 2.234,50");
    p.text(0, 9.0, 360.0, 547.0, "Btw 21%");
    p.right(0, 9.0, 545.0, 547.0, "€ 469,25");
    p.text(1, 10.0, 360.0, 532.0, "Te betalen");
    p.right(1, 10.0, 545.0, 532.0, "€ 2.703,75");
    p.text(0, 9.0, 50.0, 480.0, "Gelieve te betalen op rekening BE68 5390 0754 7034 (BIC TRIOBEBB)");
    p.text(0, 9.0, 50.0, 468.0, "met gestructureerde mededeling +++090/9337/55493+++");
    p.build()
}

/// French: labels above their values, month names, `1 234,56 €`, a /Differences font for
/// accents and the euro, Tm positioning.
fn fr_labels_above() -> Vec<u8> {
    let mut p = Pdf::new(&[FontKind::Differences, FontKind::WinAnsiBold], Style::Tm);
    p.text(1, 14.0, 50.0, 790.0, "Atelier Lumière SRL");
    p.text(0, 9.0, 50.0, 776.0, "Rue de la Loi 155");
    p.text(0, 9.0, 50.0, 765.0, "1040 Bruxelles");
    p.text(0, 9.0, 50.0, 754.0, "TVA BE0477.775.676");
    p.text(1, 9.0, 330.0, 720.0, "Facturé à");
    p.text(0, 9.0, 330.0, 708.0, "Café du Commerce SPRL");
    p.text(0, 9.0, 330.0, 697.0, "Place du Marché 7");
    p.text(0, 9.0, 330.0, 686.0, "5000 Namur");
    p.text(1, 9.0, 50.0, 650.0, "Facture n°");
    p.text(1, 9.0, 170.0, 650.0, "Date de facture");
    p.text(1, 9.0, 300.0, 650.0, "Date d'échéance");
    p.text(0, 9.0, 50.0, 638.0, "FAC-2024-118");
    p.text(0, 9.0, 170.0, 638.0, "15 mars 2024");
    p.text(0, 9.0, 300.0, 638.0, "14 avril 2024");
    p.text(1, 9.0, 50.0, 600.0, "Désignation");
    p.right(1, 9.0, 545.0, 600.0, "Montant");
    p.text(0, 9.0, 50.0, 585.0, "Création d'un éclairage sur mesure");
    p.right(0, 9.0, 545.0, 585.0, "1 150,00 €");
    p.text(0, 9.0, 50.0, 572.0, "Installation (à 2 techniciens)");
    p.right(0, 9.0, 545.0, 572.0, "84,56 €");
    p.text(0, 9.0, 380.0, 540.0, "Total HTVA");
    p.right(0, 9.0, 545.0, 540.0, "1 234,56 €");
    p.text(0, 9.0, 380.0, 527.0, "TVA 21 %");
    p.right(0, 9.0, 545.0, 527.0, "259,26 €");
    p.text(0, 9.0, 380.0, 514.0, "Total TVAC");
    p.right(0, 9.0, 545.0, 514.0, "1 493,82 €");
    p.text(1, 10.0, 380.0, 499.0, "Net à payer");
    p.right(1, 10.0, 545.0, 499.0, "1 493,82 €");
    p.text(0, 9.0, 50.0, 460.0, "IBAN : BE71 0961 2345 6769");
    p.text(0, 9.0, 50.0, 448.0, "BIC : GKCCBEBB");
    p.text(0, 9.0, 50.0, 436.0, "Communication : FAC-2024-118");
    p.build()
}

/// German: a Type0 Identity-H font with ToUnicode, words separated by TJ kerning instead of
/// spaces, `DD.MM.YYYY` dates, `1.234,56 €`.
fn de_type0() -> Vec<u8> {
    let mut p = Pdf::new(&[FontKind::Type0], Style::TjGaps);
    p.text(0, 14.0, 50.0, 790.0, "Müller & Söhne GmbH");
    p.text(0, 9.0, 50.0, 776.0, "Hauptstraße 5, 10115 Berlin");
    p.text(0, 9.0, 50.0, 765.0, "USt-IdNr.: DE136695976");
    p.text(0, 9.0, 50.0, 720.0, "Rechnung an:");
    p.text(0, 9.0, 50.0, 708.0, "Schreinerei Köhler KG");
    p.text(0, 9.0, 50.0, 697.0, "Lindenallee 9");
    p.text(0, 9.0, 50.0, 686.0, "50667 Köln");
    p.text(0, 9.0, 330.0, 720.0, "Rechnungsnummer:");
    p.text(0, 9.0, 440.0, 720.0, "RE-2024-0815");
    p.text(0, 9.0, 330.0, 708.0, "Rechnungsdatum:");
    p.text(0, 9.0, 440.0, 708.0, "02.05.2024");
    p.text(0, 9.0, 330.0, 696.0, "Fälligkeitsdatum:");
    p.text(0, 9.0, 440.0, 696.0, "16.05.2024");
    p.text(0, 9.0, 50.0, 640.0, "Pos. Beschreibung");
    p.right(0, 9.0, 545.0, 640.0, "Betrag");
    p.text(0, 9.0, 50.0, 625.0, "1 Eichenholz, 12 m²");
    p.right(0, 9.0, 545.0, 625.0, "1.100,00 €");
    p.text(0, 9.0, 50.0, 612.0, "2 Lieferung am 30.04.2024");
    p.right(0, 9.0, 545.0, 612.0, "134,56 €");
    p.text(0, 9.0, 380.0, 580.0, "Zwischensumme");
    p.right(0, 9.0, 545.0, 580.0, "1.234,56 €");
    p.text(0, 9.0, 380.0, 567.0, "MwSt. 19 %");
    p.right(0, 9.0, 545.0, 567.0, "234,57 €");
    p.text(0, 10.0, 380.0, 552.0, "Gesamtbetrag");
    p.right(0, 10.0, 545.0, 552.0, "1.469,13 €");
    p.text(0, 9.0, 50.0, 500.0, "Bankverbindung: Commerzbank");
    p.text(0, 9.0, 50.0, 488.0, "IBAN: DE89 3704 0044 0532 0130 00");
    p.text(0, 9.0, 50.0, 476.0, "BIC: COBADEFFXXX");
    p.text(0, 9.0, 50.0, 464.0, "Verwendungszweck: RE-2024-0815");
    p.build()
}

/// English over two pages, `1,234.56` with a £ sign, month-name dates, "net 30" terms, a
/// flipped coordinate system, seller labelled "From".
fn en_multipage() -> Vec<u8> {
    let mut p = Pdf::new(&[FontKind::WinAnsi, FontKind::WinAnsiBold], Style::Td).flipped();
    p.text(1, 20.0, 50.0, 790.0, "INVOICE");
    p.text(1, 9.0, 50.0, 750.0, "From");
    p.text(0, 9.0, 50.0, 738.0, "Brightside Consulting Ltd");
    p.text(0, 9.0, 50.0, 727.0, "221 Baker Street, London NW1 6XE");
    p.text(0, 9.0, 50.0, 716.0, "VAT No: GB123456789");
    p.text(1, 9.0, 320.0, 750.0, "Bill to");
    p.text(0, 9.0, 320.0, 738.0, "Northwind Traders Limited");
    p.text(0, 9.0, 320.0, 727.0, "1 Canada Square, London E14 5AB");
    p.text(0, 9.0, 50.0, 680.0, "Invoice No.: BC-1042");
    p.text(0, 9.0, 50.0, 668.0, "Invoice date: March 5, 2025");
    p.text(0, 9.0, 50.0, 656.0, "Payment terms: net 30");
    p.text(1, 9.0, 50.0, 620.0, "Description");
    p.right(1, 9.0, 545.0, 620.0, "Amount");
    for (i, (what, amount)) in [
        ("Strategy workshop, 2 days", "£2,400.00"),
        ("Market analysis report", "£1,850.00"),
        ("Travel and accommodation", "£412.35"),
        ("Follow-up sessions (4 x 2h)", "£1,320.00"),
    ]
    .iter()
    .enumerate()
    {
        let y = 605.0 - 13.0 * i as f32;
        p.text(0, 9.0, 50.0, y, what);
        p.right(0, 9.0, 545.0, y, amount);
    }
    p.text(0, 8.0, 260.0, 40.0, "Page 1 of 2");
    p.new_page();
    p.text(0, 9.0, 50.0, 790.0, "Invoice BC-1042 (continued)");
    p.text(0, 9.0, 50.0, 770.0, "Project management");
    p.right(0, 9.0, 545.0, 770.0, "£1,000.00");
    p.text(0, 9.0, 380.0, 730.0, "Subtotal");
    p.right(0, 9.0, 545.0, 730.0, "£6,982.35");
    p.text(0, 9.0, 380.0, 717.0, "VAT 20%");
    p.right(0, 9.0, 545.0, 717.0, "£1,396.47");
    p.text(0, 9.0, 380.0, 704.0, "Total");
    p.right(0, 9.0, 545.0, 704.0, "£8,378.82");
    p.text(0, 9.0, 380.0, 691.0, "Paid");
    p.right(0, 9.0, 545.0, 691.0, "£1,000.00");
    p.text(1, 10.0, 380.0, 676.0, "Amount due");
    p.right(1, 10.0, 545.0, 676.0, "£7,378.82");
    p.text(0, 9.0, 50.0, 620.0, "Please pay to account GB29 NWBK 6016 1331 9268 19, BIC NWBKGB2L");
    p.text(0, 9.0, 50.0, 608.0, "Payment reference: BC-1042");
    p.text(0, 8.0, 260.0, 40.0, "Page 2 of 2");
    p.build()
}

/// Dutch with a MacRoman font and no widths, ISO dates, amounts with an `EUR` suffix, two VAT
/// rates, labels without colons, and the buyer's own bank account printed for direct debit.
fn nl_two_rates() -> Vec<u8> {
    nl_two_rates_on(Pdf::new(&[FontKind::MacRoman], Style::Td))
}

/// `nl_two_rates.pdf` drawn turned a quarter, as a landscape page.
#[allow(dead_code)]
pub fn nl_two_rates_rotated() -> Vec<u8> {
    nl_two_rates_on(Pdf::new(&[FontKind::MacRoman], Style::Td).rotated())
}

fn nl_two_rates_on(mut p: Pdf) -> Vec<u8> {
    p.text(0, 14.0, 50.0, 790.0, "Groenhandel Vermeulen BVBA");
    p.text(0, 9.0, 50.0, 776.0, "Veldstraat 88, 3000 Leuven");
    p.text(0, 9.0, 50.0, 765.0, "Ondernemingsnummer 0897.054.515");
    p.text(0, 9.0, 330.0, 740.0, "Klant");
    p.text(0, 9.0, 330.0, 728.0, "Brasserie 't Hoekske VOF");
    p.text(0, 9.0, 330.0, 717.0, "Oude Markt 1, 3000 Leuven");
    p.text(0, 9.0, 330.0, 706.0, "BTW klant BE0403.170.701");
    p.text(0, 9.0, 50.0, 700.0, "Factuurnr");
    p.text(0, 9.0, 150.0, 700.0, "2024/0311");
    p.text(0, 9.0, 50.0, 688.0, "Datum");
    p.text(0, 9.0, 150.0, 688.0, "2024-05-01");
    p.text(0, 9.0, 50.0, 676.0, "Vervaldatum");
    p.text(0, 9.0, 150.0, 676.0, "2024-05-31");
    p.text(0, 9.0, 50.0, 630.0, "Groenten (6%)");
    p.right(0, 9.0, 545.0, 630.0, "500,00 EUR");
    p.text(0, 9.0, 50.0, 617.0, "Bloemen en décoratie (21%)");
    p.right(0, 9.0, 545.0, 617.0, "200,00 EUR");
    p.text(0, 9.0, 380.0, 590.0, "Subtotaal");
    p.right(0, 9.0, 545.0, 590.0, "700,00 EUR");
    p.text(0, 9.0, 380.0, 577.0, "BTW 6%");
    p.right(0, 9.0, 545.0, 577.0, "30,00 EUR");
    p.text(0, 9.0, 380.0, 564.0, "BTW 21%");
    p.right(0, 9.0, 545.0, 564.0, "42,00 EUR");
    p.text(0, 9.0, 380.0, 551.0, "Totaal");
    p.right(0, 9.0, 545.0, 551.0, "772,00 EUR");
    p.text(0, 9.0, 50.0, 510.0, "Dit bedrag wordt gedomicilieerd van uw rekening BE71 0961 2345 6769.");
    p.text(0, 9.0, 50.0, 498.0, "Onze rekening: IBAN BE68 5390 0754 7034 - BIC TRIOBEBB");
    p.build()
}

/// A page with no text at all (as a scan without OCR would be).
fn image_only() -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let image = doc.add_object(Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 2, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
        vec![0, 255, 255, 0],
    ));
    let content = doc.add_object(Stream::new(Dictionary::new(), b"q 500 0 0 700 40 70 cm /Im0 Do Q".to_vec()));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content,
        "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => image } },
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

/// A document whose trailer names an encryption dictionary (user password required).
fn encrypted() -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let content = doc.add_object(Stream::new(Dictionary::new(), b"BT /F0 12 Tf 50 700 Td <8f3a21> Tj ET".to_vec()));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    let encrypt = doc.add_object(dictionary! {
        "Filter" => "Standard", "V" => 2, "R" => 3, "Length" => 128, "P" => -3904,
        "O" => Object::string_literal(vec![0x11u8; 32]), "U" => Object::string_literal(vec![0x22u8; 32]),
    });
    doc.trailer.set("Root", catalog);
    doc.trailer.set("Encrypt", encrypt);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// German cents as `1.234,56`.
fn de_amount(cents: i64) -> String {
    let euros = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in euros.chars().enumerate() {
        if i > 0 && (euros.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    format!("{grouped},{:02}", cents % 100)
}

/// The items of `de_carried_forward.pdf`: (description, quantity, unit price in cents).
pub const CARRIED_ITEMS: &[(&str, i64, i64)] = &[
    ("Kabelkanal 40x60 mm", 12, 845),
    ("Steckdose UP weiß", 24, 690),
    ("Lichtschalter UP", 10, 780),
    ("Installationskabel NYM-J 3x1,5", 100, 119),
    ("Verteilerdose AP", 8, 450),
    ("FI-Schutzschalter 40A", 2, 8990),
    ("LS-Schalter B16", 12, 540),
    ("Montagestunden Geselle", 16, 5800),
    ("Montagestunden Meister", 4, 7200),
    ("Bohrarbeiten Beton", 6, 2500),
    ("Anfahrt", 3, 3500),
    ("Kleinmaterial", 1, 4750),
    ("LED-Panel 60x60", 6, 8900),
    ("Bewegungsmelder", 2, 3490),
    ("Zählerschrank 3-reihig", 1, 48900),
    ("Hauptleitung NYY-J 5x16", 15, 1290),
    ("Prüfprotokoll nach DIN VDE 0100-600", 1, 18500),
    ("Entsorgung Altmaterial", 1, 3900),
];

/// German over two pages: a table of lines with a position column, "Übertrag" at the foot
/// of page 1 and the head of page 2, the rows running on without a repeated header, a page
/// footer joined by separators between, a description wrapped onto a second line, and the
/// totals on page 2.
fn de_carried_forward() -> Vec<u8> {
    let mut p = Pdf::new(&[FontKind::WinAnsi, FontKind::WinAnsiBold], Style::Td);
    p.text(1, 16.0, 50.0, 790.0, "Muster Elektro GmbH");
    p.text(0, 9.0, 50.0, 776.0, "Hauptstraße 5, 10115 Berlin");
    p.text(0, 9.0, 50.0, 765.0, "USt-IdNr.: DE136695976");
    p.text(1, 9.0, 50.0, 730.0, "Rechnung an:");
    p.text(0, 9.0, 50.0, 718.0, "Schreinerei Köhler KG");
    p.text(0, 9.0, 50.0, 707.0, "Werkstraße 2");
    p.text(0, 9.0, 50.0, 696.0, "80331 München");
    p.text(0, 9.0, 360.0, 730.0, "Rechnungsnummer: RE-2024-0816");
    p.text(0, 9.0, 360.0, 718.0, "Rechnungsdatum: 02.05.2024");
    p.text(0, 9.0, 360.0, 707.0, "Fälligkeitsdatum: 16.05.2024");
    p.text(1, 14.0, 50.0, 650.0, "Rechnung");
    let header = |p: &mut Pdf, y: f32| {
        p.text(1, 9.0, 50.0, y, "Pos.");
        p.text(1, 9.0, 80.0, y, "Bezeichnung");
        p.right(1, 9.0, 380.0, y, "Menge");
        p.right(1, 9.0, 460.0, y, "Einzelpreis");
        p.right(1, 9.0, 545.0, y, "Gesamt");
    };
    header(&mut p, 620.0);
    let mut carried = 0;
    let mut y = 605.0;
    for (i, (what, qty, unit)) in CARRIED_ITEMS.iter().enumerate() {
        if i == 14 {
            p.text(1, 9.0, 360.0, y - 4.0, "Übertrag");
            p.right(1, 9.0, 545.0, y - 4.0, &de_amount(carried));
            p.text(
                0,
                7.0,
                50.0,
                60.0,
                "Muster Elektro GmbH · Hauptstraße 5 · 10115 Berlin · Geschäftsführer: M. Muster",
            );
            p.text(0, 7.0, 270.0, 45.0, "Seite 1 von 2");
            p.new_page();
            p.text(0, 9.0, 50.0, 790.0, "Rechnung RE-2024-0816 vom 02.05.2024, Seite 2");
            p.text(1, 9.0, 80.0, 765.0, "Übertrag");
            p.right(1, 9.0, 545.0, 765.0, &de_amount(carried));
            y = 750.0;
        }
        let line = qty * unit;
        carried += line;
        p.text(0, 9.0, 50.0, y, &(i + 1).to_string());
        p.text(0, 9.0, 80.0, y, what);
        p.right(0, 9.0, 380.0, y, &qty.to_string());
        p.right(0, 9.0, 460.0, y, &de_amount(*unit));
        p.right(0, 9.0, 545.0, y, &de_amount(line));
        y -= 13.0;
        if what.starts_with("Prüfprotokoll") {
            p.text(0, 9.0, 80.0, y, "(Erstprüfung der Anlage)");
            y -= 13.0;
        }
    }
    let vat = (carried * 19 + 50) / 100;
    y -= 12.0;
    for (label, cents) in [("Summe netto", carried), ("zzgl. 19 % USt.", vat), ("Gesamtbetrag", carried + vat)] {
        p.text(0, 9.0, 360.0, y, label);
        p.right(0, 9.0, 545.0, y, &format!("{} EUR", de_amount(cents)));
        y -= 13.0;
    }
    p.text(
        0,
        9.0,
        50.0,
        y - 20.0,
        "Bitte überweisen Sie den Betrag auf IBAN DE89 3704 0044 0532 0130 00 (BIC COBADEFFXXX).",
    );
    p.text(0, 7.0, 50.0, 60.0, "Muster Elektro GmbH · Hauptstraße 5 · 10115 Berlin · Geschäftsführer: M. Muster");
    p.text(0, 7.0, 270.0, 45.0, "Seite 2 von 2");
    p.build()
}

/// Every generated fixture: (file name, bytes).
pub fn fixtures() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("nl_labels_left.pdf", nl_labels_left()),
        ("fr_labels_above.pdf", fr_labels_above()),
        ("de_type0.pdf", de_type0()),
        ("en_multipage.pdf", en_multipage()),
        ("de_carried_forward.pdf", de_carried_forward()),
        ("nl_two_rates.pdf", nl_two_rates()),
        ("image_only.pdf", image_only()),
        ("encrypted.pdf", encrypted()),
    ]
}
