//! Fonts as far as text extraction needs them: how to split a string into character codes, what
//! Unicode text each code stands for, and how wide each glyph is.
//!
//! Sources of Unicode, in order: the font's `/ToUnicode` CMap; for simple fonts, the `/Encoding`
//! (a base encoding plus `/Differences` glyph names); for Type0 fonts without a CMap, the
//! embedded TrueType program's own `cmap` inverted (Identity-H codes are glyph ids, mapped to
//! glyphs through `/CIDToGIDMap`; see [`crate::truetype`]), else nothing.

use std::collections::HashMap;

use billify_pdf_guard::lopdf::{Dictionary, Document, Object};
use billify_pdf_guard::{Budget, decode_stream, resolve, resolve_dict};

use crate::encoding::{BaseEncoding, glyph_name_to_unicode};

/// Most mappings read from one ToUnicode CMap; ranges count as one.
const MAX_CMAP_ENTRIES: usize = 100_000;

/// A ToUnicode CMap.
#[derive(Debug, Default, Clone)]
pub(crate) struct ToUnicode {
    /// Code space ranges: (byte length, low, high).
    codespace: Vec<(usize, u32, u32)>,
    single: HashMap<u32, String>,
    /// (low, high, first destination): destinations increment the last character.
    ranges: Vec<(u32, u32, Vec<u16>)>,
}

impl ToUnicode {
    fn lookup(&self, code: u32) -> Option<String> {
        if let Some(s) = self.single.get(&code) {
            return Some(s.clone());
        }
        for (lo, hi, dst) in &self.ranges {
            if (*lo..=*hi).contains(&code) {
                let mut units = dst.clone();
                if let Some(last) = units.last_mut() {
                    *last = last.wrapping_add((code - lo) as u16);
                }
                return Some(String::from_utf16_lossy(&units));
            }
        }
        None
    }

    /// The length in bytes of the code starting at `bytes`, from the code space ranges.
    fn code_len(&self, bytes: &[u8]) -> Option<usize> {
        for n in 1..=4usize {
            if bytes.len() < n {
                break;
            }
            let v = be(&bytes[..n]);
            if self.codespace.iter().any(|(len, lo, hi)| *len == n && (*lo..=*hi).contains(&v)) {
                return Some(n);
            }
        }
        None
    }
}

fn be(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b))
}

/// A token of a CMap file.
#[derive(Debug, PartialEq)]
enum CTok {
    Hex(Vec<u8>),
    Num(u32),
    Name(String),
    Word(Vec<u8>),
    ArrOpen,
    ArrClose,
}

fn cmap_tokens(data: &[u8]) -> Vec<CTok> {
    let mut toks = Vec::new();
    let mut i = 0;
    while i < data.len() && toks.len() < MAX_CMAP_ENTRIES * 4 {
        let b = data[i];
        match b {
            b'%' => {
                while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if data.get(i + 1) == Some(&b'<') => i += 2,
            b'>' if data.get(i + 1) == Some(&b'>') => i += 2,
            b'<' => {
                let start = i + 1;
                let end = data[start..].iter().position(|c| *c == b'>').map_or(data.len(), |p| start + p);
                let hex: Vec<u8> = data[start..end].iter().copied().filter(u8::is_ascii_hexdigit).collect();
                let mut bytes = Vec::with_capacity(hex.len() / 2 + 1);
                for pair in hex.chunks(2) {
                    let s = std::str::from_utf8(pair).unwrap_or("0");
                    let v = u8::from_str_radix(s, 16).unwrap_or(0);
                    bytes.push(if pair.len() == 1 { v << 4 } else { v });
                }
                toks.push(CTok::Hex(bytes));
                i = end + 1;
            }
            b'[' => {
                toks.push(CTok::ArrOpen);
                i += 1;
            }
            b']' => {
                toks.push(CTok::ArrClose);
                i += 1;
            }
            b'/' => {
                let start = i + 1;
                i = start;
                while i < data.len() && !is_delim(data[i]) {
                    i += 1;
                }
                toks.push(CTok::Name(String::from_utf8_lossy(&data[start..i]).into_owned()));
            }
            b'(' => {
                // Literal strings only appear in the CMap header; skip them.
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
            _ if b.is_ascii_whitespace() || b == b'{' || b == b'}' || b == b')' || b == b'>' => i += 1,
            _ => {
                let start = i;
                while i < data.len() && !is_delim(data[i]) {
                    i += 1;
                }
                if i == start {
                    i += 1;
                    continue;
                }
                let word = &data[start..i];
                match std::str::from_utf8(word).ok().and_then(|s| s.parse::<u32>().ok()) {
                    Some(n) => toks.push(CTok::Num(n)),
                    None => toks.push(CTok::Word(word.to_vec())),
                }
            }
        }
    }
    toks
}

fn is_delim(b: u8) -> bool {
    b.is_ascii_whitespace() || matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    bytes.chunks(2).map(|c| if c.len() == 2 { u16::from_be_bytes([c[0], c[1]]) } else { u16::from(c[0]) }).collect()
}

/// Parses a ToUnicode CMap (`begincodespacerange`, `beginbfchar`, `beginbfrange`).
pub(crate) fn parse_to_unicode(data: &[u8]) -> ToUnicode {
    let toks = cmap_tokens(data);
    let mut cmap = ToUnicode::default();
    let mut i = 0;
    let mut entries = 0usize;
    while i < toks.len() && entries < MAX_CMAP_ENTRIES {
        match &toks[i] {
            CTok::Word(w) if w == b"begincodespacerange" => {
                i += 1;
                while let (Some(CTok::Hex(lo)), Some(CTok::Hex(hi))) = (toks.get(i), toks.get(i + 1)) {
                    if (1..=4).contains(&lo.len()) {
                        cmap.codespace.push((lo.len(), be(lo), be(hi)));
                    }
                    i += 2;
                }
            }
            CTok::Word(w) if w == b"beginbfchar" => {
                i += 1;
                loop {
                    match (toks.get(i), toks.get(i + 1)) {
                        (Some(CTok::Hex(src)), Some(CTok::Hex(dst))) if src.len() <= 4 => {
                            cmap.single.insert(be(src), String::from_utf16_lossy(&utf16_units(dst)));
                        }
                        (Some(CTok::Hex(src)), Some(CTok::Name(name))) if src.len() <= 4 => {
                            if let Some(s) = glyph_name_to_unicode(name) {
                                cmap.single.insert(be(src), s);
                            }
                        }
                        (Some(CTok::Hex(_)), Some(_)) => {}
                        _ => break,
                    }
                    entries += 1;
                    i += 2;
                }
            }
            CTok::Word(w) if w == b"beginbfrange" => {
                i += 1;
                while let (Some(CTok::Hex(lo)), Some(CTok::Hex(hi))) = (toks.get(i), toks.get(i + 1)) {
                    let (lo, hi) = (be(lo), be(hi));
                    i += 2;
                    entries += 1;
                    match toks.get(i) {
                        Some(CTok::Hex(dst)) => {
                            if lo <= hi && hi - lo <= 0xffff {
                                cmap.ranges.push((lo, hi, utf16_units(dst)));
                            }
                            i += 1;
                        }
                        Some(CTok::ArrOpen) => {
                            i += 1;
                            let mut code = lo;
                            while let Some(CTok::Hex(dst)) = toks.get(i) {
                                if code <= hi && entries < MAX_CMAP_ENTRIES {
                                    cmap.single.insert(code, String::from_utf16_lossy(&utf16_units(dst)));
                                    entries += 1;
                                }
                                code = code.saturating_add(1);
                                i += 1;
                            }
                            if toks.get(i) == Some(&CTok::ArrClose) {
                                i += 1;
                            }
                        }
                        _ => break,
                    }
                }
            }
            _ => i += 1,
        }
    }
    cmap
}

/// How a font's strings split into codes and what they mean.
#[derive(Debug, Clone)]
pub(crate) struct Font {
    /// Type0 (composite) font: codes of 2 bytes unless a CMap says otherwise.
    composite: bool,
    to_unicode: Option<ToUnicode>,
    /// Simple fonts: code -> character.
    encoding: [char; 256],
    /// Simple fonts: code -> glyph-name text from /Differences (may be several characters).
    differences: HashMap<u8, String>,
    first_char: u32,
    widths: Vec<f32>,
    /// CID fonts: (first, last, width) runs.
    cid_widths: Vec<(u32, u32, f32)>,
    /// CID fonts without a ToUnicode CMap: CID -> character, from the embedded font's `cmap`.
    cid_chars: HashMap<u32, char>,
    default_width: f32,
    /// Scale from glyph units to text space (0.001, or FontMatrix[0] for Type3).
    pub(crate) units: f32,
    builtin: Builtin,
}

/// Metrics to fall back on for the standard 14 fonts, which often come without /Widths.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Builtin {
    Helvetica,
    Times,
    Courier,
    Other,
}

/// Helvetica advance widths for 0x20..=0x7E (AFM, 1/1000 em).
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556,
    556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334,
    260, 334, 584,
];

/// Times-Roman advance widths for 0x20..=0x7E.
const TIMES: [u16; 95] = [
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500, 500, 500, 500,
    500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889,
    722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500,
    444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480,
    200, 480, 541,
];

/// Helvetica and Times-Roman widths (AFM) of the WinAnsi punctuation that separators and
/// amounts use beyond ASCII: without them a footer's `·` or `•` counted 556 wide and ate the
/// space after it when a writer places words one by one (jsPDF, no `/Widths`).
const PUNCTUATION: &[(char, u16, u16)] = &[
    ('·', 278, 250),
    ('•', 350, 350),
    ('–', 556, 500),
    ('—', 1000, 1000),
    ('‘', 222, 333),
    ('’', 222, 333),
    ('“', 333, 444),
    ('”', 333, 444),
    ('…', 1000, 1000),
    ('°', 400, 400),
    ('€', 556, 500),
    ('£', 556, 500),
    ('§', 556, 500),
    ('«', 556, 500),
    ('»', 556, 500),
    ('×', 584, 564),
    ('¦', 260, 200),
    ('\u{a0}', 278, 250),
    ('ß', 611, 500),
];

impl Font {
    /// A font we know nothing about: one byte per code, Latin-1-ish, average widths.
    pub(crate) fn fallback() -> Self {
        Font {
            composite: false,
            to_unicode: None,
            encoding: BaseEncoding::WinAnsi.table(),
            differences: HashMap::new(),
            first_char: 0,
            widths: Vec::new(),
            cid_widths: Vec::new(),
            cid_chars: HashMap::new(),
            default_width: 500.0,
            units: 0.001,
            builtin: Builtin::Other,
        }
    }

    /// Reads a font dictionary.
    pub(crate) fn load(doc: &Document, dict: &Dictionary, budget: &mut Budget) -> Self {
        let mut font = Font::fallback();
        let subtype = dict.get(b"Subtype").ok().and_then(|o| o.as_name().ok()).unwrap_or(b"");
        let base_font = dict.get(b"BaseFont").ok().and_then(|o| o.as_name().ok()).unwrap_or(b"");
        let base_name = String::from_utf8_lossy(base_font).to_ascii_lowercase();
        font.builtin = if base_name.contains("courier") || base_name.contains("mono") {
            Builtin::Courier
        } else if base_name.contains("times") || base_name.contains("serif") && !base_name.contains("sans") {
            Builtin::Times
        } else if base_name.contains("helvetica") || base_name.contains("arial") {
            Builtin::Helvetica
        } else {
            Builtin::Other
        };

        if let Ok(obj) = dict.get(b"ToUnicode")
            && let Some(Object::Stream(s)) = resolve(doc, obj)
            && let Ok(data) = decode_stream(s, budget)
        {
            font.to_unicode = Some(parse_to_unicode(&data));
        }

        if subtype == b"Type0" {
            font.composite = true;
            font.default_width = 1000.0;
            let descendant = dict
                .get(b"DescendantFonts")
                .ok()
                .and_then(|o| resolve(doc, o))
                .and_then(|o| o.as_array().ok())
                .and_then(|a| a.first())
                .and_then(|o| resolve_dict(doc, o));
            if let Some(cid) = descendant {
                if let Some(dw) = cid.get(b"DW").ok().and_then(|o| num(doc, o)) {
                    font.default_width = dw;
                }
                if let Some(w) = cid.get(b"W").ok().and_then(|o| resolve(doc, o)).and_then(|o| o.as_array().ok()) {
                    font.cid_widths = parse_cid_widths(doc, w);
                }
                if font.to_unicode.is_none() {
                    font.cid_chars = cid_chars(doc, cid, budget);
                }
            }
            return font;
        }

        // Simple fonts: base encoding and /Differences.
        let symbolic = base_name.contains("symbol") || base_name.contains("dingbats");
        let mut base =
            if subtype == b"TrueType" || subtype == b"Type3" { BaseEncoding::WinAnsi } else { BaseEncoding::Standard };
        match dict.get(b"Encoding").ok().and_then(|o| resolve(doc, o)) {
            Some(Object::Name(n)) => {
                if let Some(b) = BaseEncoding::from_name(n) {
                    base = b;
                }
            }
            Some(Object::Dictionary(enc)) => {
                if let Some(b) =
                    enc.get(b"BaseEncoding").ok().and_then(|o| o.as_name().ok()).and_then(BaseEncoding::from_name)
                {
                    base = b;
                }
                if let Some(diffs) = enc.get(b"Differences").ok().and_then(|o| resolve(doc, o)) {
                    font.differences = parse_differences(diffs);
                }
            }
            _ => {}
        }
        // A Type 1 font with no /Encoding uses the one its program carries ("Builtin"): TeX's
        // math italic puts the comma and the period at ';' and ':' ("$1;034:00").
        if subtype == b"Type1"
            && dict.get(b"Encoding").is_err()
            && let Some(program) = dict
                .get(b"FontDescriptor")
                .ok()
                .and_then(|o| resolve_dict(doc, o))
                .and_then(|d| d.get(b"FontFile").ok())
                .and_then(|o| resolve(doc, o))
            && let Object::Stream(stream) = program
            && let Ok(data) = decode_stream(stream, budget)
        {
            font.differences = type1_builtin_encoding(&data);
        }
        // Symbol and ZapfDingbats have their own built-in encodings; their glyphs are not text
        // an invoice reader needs, so they map through /Differences only.
        font.encoding = if symbolic { ['\0'; 256] } else { base.table() };

        if subtype == b"Type3"
            && let Some(m) = dict.get(b"FontMatrix").ok().and_then(|o| resolve(doc, o)).and_then(|o| o.as_array().ok())
            && let Some(a) = m.first().and_then(|o| num(doc, o))
            && a.is_finite()
            && a != 0.0
        {
            font.units = a.abs().min(1.0);
        }
        font.first_char =
            dict.get(b"FirstChar").ok().and_then(|o| num(doc, o)).map_or(0, |v| v.clamp(0.0, 255.0) as u32);
        if let Some(w) = dict.get(b"Widths").ok().and_then(|o| resolve(doc, o)).and_then(|o| o.as_array().ok()) {
            font.widths = w.iter().take(256).map(|o| num(doc, o).unwrap_or(0.0)).collect();
        }
        let descriptor = dict.get(b"FontDescriptor").ok().and_then(|o| resolve_dict(doc, o));
        if let Some(mw) = descriptor.and_then(|d| d.get(b"MissingWidth").ok()).and_then(|o| num(doc, o))
            && mw > 0.0
        {
            font.default_width = mw;
        }
        font
    }

    /// Whether codes in this font are 1 byte long (so word spacing `Tw` applies to code 32).
    fn code_len(&self, bytes: &[u8]) -> usize {
        if let Some(tu) = &self.to_unicode
            && !tu.codespace.is_empty()
            && let Some(n) = tu.code_len(bytes)
        {
            return n;
        }
        if self.composite { 2 } else { 1 }
    }

    /// Splits a shown string into (code, code length).
    ///
    /// An iterator, so that a string of millions of codes costs nothing until its glyphs are
    /// counted against the budget one by one.
    pub(crate) fn codes<'a>(&'a self, bytes: &'a [u8]) -> impl Iterator<Item = (u32, usize)> + 'a {
        let mut i = 0;
        std::iter::from_fn(move || {
            if i >= bytes.len() {
                return None;
            }
            let n = self.code_len(&bytes[i..]).min(bytes.len() - i).max(1);
            let code = (be(&bytes[i..i + n]), n);
            i += n;
            Some(code)
        })
    }

    /// The text a code stands for; empty when unknown.
    pub(crate) fn text(&self, code: u32) -> String {
        if let Some(tu) = &self.to_unicode
            && let Some(s) = tu.lookup(code)
        {
            return s.chars().filter(|c| *c != '\0').collect();
        }
        if self.composite {
            return self.cid_chars.get(&code).map(char::to_string).unwrap_or_default();
        }
        let Ok(byte) = u8::try_from(code) else { return String::new() };
        if let Some(s) = self.differences.get(&byte) {
            return s.clone();
        }
        let c = self.encoding[usize::from(byte)];
        if c == '\0' { String::new() } else { c.to_string() }
    }

    /// The advance width of a code in glyph units (1/1000 em for non-Type3 fonts).
    pub(crate) fn width(&self, code: u32) -> f32 {
        if self.composite {
            for (first, last, w) in &self.cid_widths {
                if (*first..=*last).contains(&code) {
                    return *w;
                }
            }
            return self.default_width;
        }
        if !self.widths.is_empty() {
            if let Some(i) = code.checked_sub(self.first_char)
                && let Some(w) = self.widths.get(i as usize)
            {
                return *w;
            }
            return self.default_width;
        }
        let ascii = |table: &[u16; 95], times: bool| -> f32 {
            let c = self.text(code).chars().next().unwrap_or(' ');
            if let Some(&(_, h, t)) = PUNCTUATION.iter().find(|(p, _, _)| *p == c) {
                return f32::from(if times { t } else { h });
            }
            let base = crate::fold::fold_char(c);
            match u32::from(base) {
                0x20..=0x7e => f32::from(table[(u32::from(base) - 0x20) as usize]),
                _ => 556.0,
            }
        };
        match self.builtin {
            Builtin::Courier => 600.0,
            Builtin::Helvetica => ascii(&HELVETICA, false),
            Builtin::Times => ascii(&TIMES, true),
            Builtin::Other => {
                if self.default_width > 0.0 && self.default_width != 500.0 {
                    self.default_width
                } else {
                    ascii(&HELVETICA, false)
                }
            }
        }
    }

    /// Whether a code is the single-byte space to which word spacing applies.
    pub(crate) fn is_word_space(&self, code: u32, len: usize) -> bool {
        code == 32 && len == 1
    }
}

/// CID -> character for a CIDFontType2 without a ToUnicode CMap: the embedded TrueType
/// program's `cmap` inverted (glyph -> character), through `/CIDToGIDMap` (`/Identity`, or a
/// stream of two-byte glyph ids indexed by CID).
fn cid_chars(doc: &Document, cid: &Dictionary, budget: &mut Budget) -> HashMap<u32, char> {
    let program = cid
        .get(b"FontDescriptor")
        .ok()
        .and_then(|o| resolve_dict(doc, o))
        .and_then(|d| d.get(b"FontFile2").ok())
        .and_then(|o| resolve(doc, o));
    let Some(Object::Stream(program)) = program else { return HashMap::new() };
    let Ok(data) = decode_stream(program, budget) else { return HashMap::new() };
    let glyphs = crate::truetype::glyph_chars(&data);
    if glyphs.is_empty() {
        return HashMap::new();
    }
    match cid.get(b"CIDToGIDMap").ok().and_then(|o| resolve(doc, o)) {
        Some(Object::Stream(map)) => {
            let Ok(map) = decode_stream(map, budget) else { return HashMap::new() };
            map.chunks_exact(2)
                .enumerate()
                .filter_map(|(cid, g)| {
                    let c = glyphs.get(&u16::from_be_bytes([g[0], g[1]]))?;
                    Some((u32::try_from(cid).ok()?, *c))
                })
                .collect()
        }
        // `/Identity`, or no map at all (the default is the identity too).
        _ => glyphs.into_iter().map(|(g, c)| (u32::from(g), c)).collect(),
    }
}

fn num(doc: &Document, o: &Object) -> Option<f32> {
    match resolve(doc, o)? {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

fn parse_differences(obj: &Object) -> HashMap<u8, String> {
    let mut map = HashMap::new();
    let Ok(arr) = obj.as_array() else { return map };
    let mut code: i64 = 0;
    for item in arr.iter().take(4096) {
        match item {
            Object::Integer(i) => code = *i,
            Object::Real(r) => code = *r as i64,
            Object::Name(n) => {
                if let Ok(c) = u8::try_from(code)
                    && let Some(s) = glyph_name_to_unicode(&String::from_utf8_lossy(n))
                {
                    map.insert(c, s);
                }
                code += 1;
            }
            _ => {}
        }
    }
    map
}

/// The code -> character pairs of the `/Encoding` array in a Type 1 font program's clear-text
/// part (`dup 58 /period put`), or none when it uses `StandardEncoding`. Only the part before
/// `eexec` is read, and at most 64 KiB of it.
fn type1_builtin_encoding(program: &[u8]) -> HashMap<u8, String> {
    let mut map = HashMap::new();
    let clear = &program[..program.len().min(65_536)];
    let clear = clear.windows(5).position(|w| w == b"eexec").map_or(clear, |end| &clear[..end]);
    let text = String::from_utf8_lossy(clear);
    let Some(start) = text.find("/Encoding") else { return map };
    let tokens: Vec<&str> = text[start..].split_ascii_whitespace().take(8192).collect();
    if tokens.get(1) == Some(&"StandardEncoding") {
        return map;
    }
    for w in tokens.windows(4) {
        if w[0] == "dup"
            && w[3] == "put"
            && let Ok(code) = w[1].parse::<u8>()
            && let Some(name) = w[2].strip_prefix('/')
            && let Some(c) = glyph_name_to_unicode(name)
        {
            map.insert(code, c);
        }
        if w[0] == "readonly" || w[0] == "def" {
            break;
        }
    }
    map
}

fn parse_cid_widths(doc: &Document, w: &[Object]) -> Vec<(u32, u32, f32)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < w.len() && out.len() < 65_536 {
        let Some(first) = num(doc, &w[i]) else { break };
        let first = first.max(0.0) as u32;
        match w.get(i + 1).and_then(|o| resolve(doc, o)) {
            Some(Object::Array(list)) => {
                for (k, o) in list.iter().enumerate().take(65_536) {
                    if let Some(v) = num(doc, o) {
                        let c = first.saturating_add(k as u32);
                        out.push((c, c, v));
                    }
                }
                i += 2;
            }
            Some(o) => {
                let last = num(doc, o).map_or(first, |v| v.max(0.0) as u32);
                let width = w.get(i + 2).and_then(|o| num(doc, o)).unwrap_or(1000.0);
                out.push((first, last, width));
                i += 3;
            }
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_type1_programs_own_encoding_names_its_codes() {
        // TeX's math italic (CMMI10): the period and the comma at ':' and ';'.
        let program = b"%!PS-AdobeFont-1.0: CMMI10 003.002\n/FontName /XYLMEX+CMMI10 def\n\
            /Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\n\
            dup 48 /zero put\ndup 58 /period put\ndup 59 /comma put\nreadonly def\n\
            currentdict end\ncurrentfile eexec\n\xd9\xd6dup 60 /less put";
        let map = type1_builtin_encoding(program);
        assert_eq!(map.get(&58).map(String::as_str), Some("."));
        assert_eq!(map.get(&59).map(String::as_str), Some(","));
        assert_eq!(map.get(&48).map(String::as_str), Some("0"));
        // Nothing after `eexec` (the encrypted part) is read.
        assert_eq!(map.get(&60), None);
        let standard = b"/FontName /Foo def /Encoding StandardEncoding def dup 58 /comma put currentfile eexec";
        assert!(type1_builtin_encoding(standard).is_empty());
    }

    #[test]
    fn parses_bfchar_and_bfrange_forms() {
        let cmap = br"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
            1 begincodespacerange <0000> <FFFF> endcodespacerange
            2 beginbfchar <0003> <0041> <0004> <00660069> endbfchar
            2 beginbfrange <0010> <0012> <0061> <0020> <0021> [<20AC> <00E9>] endbfrange
            endcmap";
        let tu = parse_to_unicode(cmap);
        assert_eq!(tu.lookup(3).as_deref(), Some("A"));
        assert_eq!(tu.lookup(4).as_deref(), Some("fi"));
        assert_eq!(tu.lookup(0x11).as_deref(), Some("b"));
        assert_eq!(tu.lookup(0x20).as_deref(), Some("€"));
        assert_eq!(tu.lookup(0x21).as_deref(), Some("é"));
        assert_eq!(tu.code_len(&[0, 3]), Some(2));
        assert_eq!(tu.lookup(0x99), None);
    }

    #[test]
    fn standard_fonts_without_widths_measure_separators() {
        let mut helvetica = Font::fallback();
        helvetica.builtin = Builtin::Helvetica;
        assert_eq!(helvetica.width(0xb7), 278.0); // ·
        assert_eq!(helvetica.width(0x95), 350.0); // •
        assert_eq!(helvetica.width(0xe9), 556.0); // é as e
        let mut times = Font::fallback();
        times.builtin = Builtin::Times;
        assert_eq!(times.width(0xb7), 250.0);
        assert_eq!(times.width(0x80), 500.0); // €
    }

    #[test]
    fn hostile_cmaps_do_not_explode() {
        let cmap = b"1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange <<<<[[[[ beginbfchar <01";
        let tu = parse_to_unicode(cmap);
        assert!(tu.ranges.is_empty());
    }
}
