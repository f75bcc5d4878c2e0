//! The standard single-byte text encodings of PDF (ISO 32000-1, Annex D) and the glyph names
//! that `/Differences` arrays use.

/// A base encoding of a simple font.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BaseEncoding {
    WinAnsi,
    MacRoman,
    Standard,
    PdfDoc,
}

impl BaseEncoding {
    pub(crate) fn from_name(name: &[u8]) -> Option<Self> {
        match name {
            b"WinAnsiEncoding" => Some(BaseEncoding::WinAnsi),
            b"MacRomanEncoding" => Some(BaseEncoding::MacRoman),
            b"StandardEncoding" => Some(BaseEncoding::Standard),
            b"PDFDocEncoding" => Some(BaseEncoding::PdfDoc),
            // MacExpert holds small caps and old-style figures; Standard is the closest useful guess.
            b"MacExpertEncoding" => Some(BaseEncoding::Standard),
            _ => None,
        }
    }

    /// The table of 256 characters; `'\0'` marks an unmapped code.
    pub(crate) fn table(self) -> [char; 256] {
        let mut t = ['\0'; 256];
        for (code, slot) in t.iter_mut().enumerate().take(0x7f).skip(0x20) {
            *slot = char::from(code as u8);
        }
        match self {
            BaseEncoding::WinAnsi => {
                // The PDF reference (Annex D, note 3): in WinAnsiEncoding every unused code above
                // 0o40 is the bullet. ReportLab (and so xhtml2pdf) writes `•` as `\177`.
                for (i, c) in WIN_ANSI_HIGH.chars().enumerate() {
                    t[0x80 + i] = if c == '\u{fffd}' { '•' } else { c };
                }
                t[0x7f] = '•';
                for code in 0xa0..=0xff_u32 {
                    t[code as usize] = char::from_u32(code).unwrap_or('\0');
                }
                t[0xa0] = ' ';
                t[0xad] = '-';
            }
            BaseEncoding::PdfDoc => {
                for (i, c) in PDF_DOC_HIGH.chars().enumerate() {
                    t[0x80 + i] = c;
                }
                for code in 0xa1..=0xff_u32 {
                    t[code as usize] = char::from_u32(code).unwrap_or('\0');
                }
                t[0xa0] = '€';
                t[0xad] = '\0';
            }
            BaseEncoding::MacRoman => {
                for (i, c) in MAC_ROMAN_HIGH.chars().enumerate() {
                    t[0x80 + i] = c;
                }
                t[0xca] = ' ';
            }
            BaseEncoding::Standard => {
                t[0x27] = '\u{2019}';
                t[0x60] = '\u{2018}';
                for &(code, c) in STANDARD_HIGH {
                    t[usize::from(code)] = c;
                }
            }
        }
        for slot in t.iter_mut() {
            if *slot == '\u{fffd}' {
                *slot = '\0';
            }
        }
        t
    }
}

/// WinAnsiEncoding 0x80..=0x9F (Windows-1252); U+FFFD marks unused codes.
const WIN_ANSI_HIGH: &str = "€\u{fffd}‚ƒ„…†‡ˆ‰Š‹Œ\u{fffd}Ž\u{fffd}\u{fffd}‘’“”•–—˜™š›œ\u{fffd}žŸ";

/// PDFDocEncoding 0x80..=0x9F.
const PDF_DOC_HIGH: &str = "•†‡…—–ƒ⁄‹›−‰„“”‘’‚™ﬁﬂŁŒŠŸŽıłœšž\u{fffd}";

/// MacRomanEncoding 0x80..=0xFF as PDF defines it (0xDB is the currency sign, not the euro).
const MAC_ROMAN_HIGH: &str = concat!(
    "ÄÅÇÉÑÖÜáàâäãåçéè",
    "êëíìîïñóòôöõúùûü",
    "†°¢£§•¶ß®©™´¨≠ÆØ",
    "∞±≤≥¥µ∂∑∏π∫ªºΩæø",
    "¿¡¬√ƒ≈∆«»… ÀÃÕŒœ",
    "–—“”‘’÷◊ÿŸ⁄¤‹›ﬁﬂ",
    "‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔ",
    "\u{fffd}ÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ",
);

/// StandardEncoding above 0x7F.
const STANDARD_HIGH: &[(u8, char)] = &[
    (0xa1, '¡'),
    (0xa2, '¢'),
    (0xa3, '£'),
    (0xa4, '⁄'),
    (0xa5, '¥'),
    (0xa6, 'ƒ'),
    (0xa7, '§'),
    (0xa8, '¤'),
    (0xa9, '\''),
    (0xaa, '“'),
    (0xab, '«'),
    (0xac, '‹'),
    (0xad, '›'),
    (0xae, 'ﬁ'),
    (0xaf, 'ﬂ'),
    (0xb1, '–'),
    (0xb2, '†'),
    (0xb3, '‡'),
    (0xb4, '·'),
    (0xb6, '¶'),
    (0xb7, '•'),
    (0xb8, '‚'),
    (0xb9, '„'),
    (0xba, '”'),
    (0xbb, '»'),
    (0xbc, '…'),
    (0xbd, '‰'),
    (0xbf, '¿'),
    (0xc1, '`'),
    (0xc2, '´'),
    (0xc3, 'ˆ'),
    (0xc4, '˜'),
    (0xc5, '¯'),
    (0xc6, '˘'),
    (0xc7, '˙'),
    (0xc8, '¨'),
    (0xca, '˚'),
    (0xcb, '¸'),
    (0xcd, '˝'),
    (0xce, '˛'),
    (0xcf, 'ˇ'),
    (0xd0, '—'),
    (0xe1, 'Æ'),
    (0xe3, 'ª'),
    (0xe8, 'Ł'),
    (0xe9, 'Ø'),
    (0xea, 'Œ'),
    (0xeb, 'º'),
    (0xf1, 'æ'),
    (0xf5, 'ı'),
    (0xf8, 'ł'),
    (0xf9, 'ø'),
    (0xfa, 'œ'),
    (0xfb, 'ß'),
];

/// Glyph names of the printable ASCII range 0x20..=0x7E, in code order.
const ASCII_NAMES: [&str; 95] = [
    "space",
    "exclam",
    "quotedbl",
    "numbersign",
    "dollar",
    "percent",
    "ampersand",
    "quotesingle",
    "parenleft",
    "parenright",
    "asterisk",
    "plus",
    "comma",
    "hyphen",
    "period",
    "slash",
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "colon",
    "semicolon",
    "less",
    "equal",
    "greater",
    "question",
    "at",
    "A",
    "B",
    "C",
    "D",
    "E",
    "F",
    "G",
    "H",
    "I",
    "J",
    "K",
    "L",
    "M",
    "N",
    "O",
    "P",
    "Q",
    "R",
    "S",
    "T",
    "U",
    "V",
    "W",
    "X",
    "Y",
    "Z",
    "bracketleft",
    "backslash",
    "bracketright",
    "asciicircum",
    "underscore",
    "grave",
    "a",
    "b",
    "c",
    "d",
    "e",
    "f",
    "g",
    "h",
    "i",
    "j",
    "k",
    "l",
    "m",
    "n",
    "o",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "v",
    "w",
    "x",
    "y",
    "z",
    "braceleft",
    "bar",
    "braceright",
    "asciitilde",
];

/// Glyph names of Latin-1 U+00A0..=U+00FF, in code order.
const LATIN1_NAMES: [&str; 96] = [
    "nbspace",
    "exclamdown",
    "cent",
    "sterling",
    "currency",
    "yen",
    "brokenbar",
    "section",
    "dieresis",
    "copyright",
    "ordfeminine",
    "guillemotleft",
    "logicalnot",
    "sfthyphen",
    "registered",
    "macron",
    "degree",
    "plusminus",
    "twosuperior",
    "threesuperior",
    "acute",
    "mu",
    "paragraph",
    "periodcentered",
    "cedilla",
    "onesuperior",
    "ordmasculine",
    "guillemotright",
    "onequarter",
    "onehalf",
    "threequarters",
    "questiondown",
    "Agrave",
    "Aacute",
    "Acircumflex",
    "Atilde",
    "Adieresis",
    "Aring",
    "AE",
    "Ccedilla",
    "Egrave",
    "Eacute",
    "Ecircumflex",
    "Edieresis",
    "Igrave",
    "Iacute",
    "Icircumflex",
    "Idieresis",
    "Eth",
    "Ntilde",
    "Ograve",
    "Oacute",
    "Ocircumflex",
    "Otilde",
    "Odieresis",
    "multiply",
    "Oslash",
    "Ugrave",
    "Uacute",
    "Ucircumflex",
    "Udieresis",
    "Yacute",
    "Thorn",
    "germandbls",
    "agrave",
    "aacute",
    "acircumflex",
    "atilde",
    "adieresis",
    "aring",
    "ae",
    "ccedilla",
    "egrave",
    "eacute",
    "ecircumflex",
    "edieresis",
    "igrave",
    "iacute",
    "icircumflex",
    "idieresis",
    "eth",
    "ntilde",
    "ograve",
    "oacute",
    "ocircumflex",
    "otilde",
    "odieresis",
    "divide",
    "oslash",
    "ugrave",
    "uacute",
    "ucircumflex",
    "udieresis",
    "yacute",
    "thorn",
    "ydieresis",
];

/// Other glyph names common in Western fonts.
const OTHER_NAMES: &[(&str, char)] = &[
    ("Euro", '€'),
    ("quotesinglbase", '‚'),
    ("florin", 'ƒ'),
    ("quotedblbase", '„'),
    ("ellipsis", '…'),
    ("dagger", '†'),
    ("daggerdbl", '‡'),
    ("circumflex", 'ˆ'),
    ("perthousand", '‰'),
    ("Scaron", 'Š'),
    ("guilsinglleft", '‹'),
    ("OE", 'Œ'),
    ("Zcaron", 'Ž'),
    ("quoteleft", '‘'),
    ("quoteright", '’'),
    ("quotedblleft", '“'),
    ("quotedblright", '”'),
    ("bullet", '•'),
    ("endash", '–'),
    ("emdash", '—'),
    ("tilde", '˜'),
    ("trademark", '™'),
    ("scaron", 'š'),
    ("guilsinglright", '›'),
    ("oe", 'œ'),
    ("zcaron", 'ž'),
    ("Ydieresis", 'Ÿ'),
    ("fi", 'ﬁ'),
    ("fl", 'ﬂ'),
    ("fraction", '⁄'),
    ("dotlessi", 'ı'),
    ("Lslash", 'Ł'),
    ("lslash", 'ł'),
    ("minus", '−'),
    ("space", ' '),
    ("nonbreakingspace", ' '),
    ("uni00A0", ' '),
    ("ring", '˚'),
    ("breve", '˘'),
    ("dotaccent", '˙'),
    ("hungarumlaut", '˝'),
    ("ogonek", '˛'),
    ("caron", 'ˇ'),
    ("notequal", '≠'),
    ("infinity", '∞'),
    ("lessequal", '≤'),
    ("greaterequal", '≥'),
    ("partialdiff", '∂'),
    ("summation", '∑'),
    ("product", '∏'),
    ("pi", 'π'),
    ("integral", '∫'),
    ("Omega", 'Ω'),
    ("radical", '√'),
    ("approxequal", '≈'),
    ("Delta", '∆'),
    ("lozenge", '◊'),
    ("hyphenminus", '-'),
    ("ff", 'ﬀ'),
    ("ffi", 'ﬃ'),
    ("ffl", 'ﬄ'),
];

/// The Unicode text of a glyph name: the Adobe Glyph List names of Western fonts, `uniXXXX`
/// (one or more code units), `uXXXX[XX]`, and `name.suffix` variants.
pub(crate) fn glyph_name_to_unicode(name: &str) -> Option<String> {
    let base = name.split('.').next().unwrap_or(name);
    let base = base.split('_').next().unwrap_or(base);
    if let Some(i) = ASCII_NAMES.iter().position(|n| *n == base) {
        return Some(char::from(0x20 + i as u8).to_string());
    }
    if let Some(i) = LATIN1_NAMES.iter().position(|n| *n == base) {
        return char::from_u32(0xa0 + i as u32).map(|c| c.to_string());
    }
    if let Some((_, c)) = OTHER_NAMES.iter().find(|(n, _)| *n == base) {
        return Some(c.to_string());
    }
    if let Some(hex) = base.strip_prefix("uni")
        && hex.len() >= 4
        && hex.len() % 4 == 0
        && hex.len() <= 32
    {
        let units: Option<Vec<u16>> = hex
            .as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).ok().and_then(|s| u16::from_str_radix(s, 16).ok()))
            .collect();
        return units.map(|u| String::from_utf16_lossy(&u));
    }
    if let Some(hex) = base.strip_prefix('u')
        && (4..=6).contains(&hex.len())
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return u32::from_str_radix(hex, 16).ok().and_then(char::from_u32).map(|c| c.to_string());
    }
    None
}

/// Decodes a PDF text string (document information, not content): UTF-16BE with a BOM, UTF-8
/// with a BOM, or PDFDocEncoding.
#[cfg(test)]
pub(crate) fn decode_text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    let table = BaseEncoding::PdfDoc.table();
    bytes.iter().map(|b| table[usize::from(*b)]).filter(|c| *c != '\0').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_map_the_euro_and_accents() {
        let win = BaseEncoding::WinAnsi.table();
        assert_eq!(win[0x80], '€');
        assert_eq!(win[0xe9], 'é');
        assert_eq!(win[0x41], 'A');
        // Unused WinAnsi codes (ReportLab's `\177`) are bullets, as the PDF reference says.
        assert_eq!(win[0x7f], '•');
        assert_eq!(win[0x81], '•');
        assert_eq!(win[0x95], '•');
        let mac = BaseEncoding::MacRoman.table();
        assert_eq!(mac[0x8a], 'ä');
        assert_eq!(mac[0xa7], 'ß');
        assert_eq!(mac[0x9f], 'ü');
        let std = BaseEncoding::Standard.table();
        assert_eq!(std[0x27], '’');
        assert_eq!(std[0xfb], 'ß');
        assert_eq!(decode_text_string(b"\xfe\xff\x00A\x00\xe9"), "Aé");
    }

    #[test]
    fn glyph_names_resolve() {
        assert_eq!(glyph_name_to_unicode("eacute").as_deref(), Some("é"));
        assert_eq!(glyph_name_to_unicode("Euro").as_deref(), Some("€"));
        assert_eq!(glyph_name_to_unicode("uni20AC").as_deref(), Some("€"));
        assert_eq!(glyph_name_to_unicode("u1F600").as_deref(), Some("😀"));
        assert_eq!(glyph_name_to_unicode("zero.osf").as_deref(), Some("0"));
        assert_eq!(glyph_name_to_unicode("g123"), None);
    }
}
