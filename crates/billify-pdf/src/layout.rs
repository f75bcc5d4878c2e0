//! Rebuilding words and lines from positioned glyphs.

use unicode_normalization::UnicodeNormalization as _;

use crate::content::Glyph;

/// The text of a document, page by page, line by line, word by word, with positions.
///
/// Coordinates are PDF points in the page's default user space: `x` grows to the right from the
/// left edge, `y` grows upwards from the bottom edge and is the text baseline.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextDocument {
    /// The pages in document order.
    pub pages: Vec<TextPage>,
}

/// One page of text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextPage {
    /// The page number, from 1.
    pub number: usize,
    /// The media box width in points.
    pub width: f32,
    /// The media box height in points.
    pub height: f32,
    /// The lines from top to bottom.
    pub lines: Vec<TextLine>,
}

/// A line: words sharing a baseline, from left to right.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextLine {
    /// The baseline.
    pub y: f32,
    /// The words from left to right.
    pub words: Vec<TextWord>,
}

/// A word: glyphs without a space or gap between them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextWord {
    /// The text.
    pub text: String,
    /// The left edge.
    pub x: f32,
    /// The baseline.
    pub y: f32,
    /// The advance width.
    pub width: f32,
    /// The font size as rendered, in points.
    pub font_size: f32,
}

impl TextWord {
    /// The right edge.
    pub fn right(&self) -> f32 {
        self.x + self.width
    }
}

impl TextLine {
    /// The words joined by single spaces.
    pub fn text(&self) -> String {
        self.words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ")
    }
}

impl TextPage {
    /// The lines joined by newlines.
    pub fn text(&self) -> String {
        self.lines.iter().map(TextLine::text).collect::<Vec<_>>().join("\n")
    }

    /// The lines with words placed at their horizontal position (one column per 4 points,
    /// at least one space between words), so columns line up in a monospaced terminal.
    pub fn layout_text(&self) -> String {
        let mut out = Vec::with_capacity(self.lines.len());
        for line in &self.lines {
            let mut s = String::new();
            let mut col = 0usize;
            for w in &line.words {
                let want = (w.x.max(0.0) / 4.0).round() as usize;
                let want = want.min(400);
                if col > 0 || want > 0 {
                    let pad = if want > col { want - col } else { usize::from(col > 0) };
                    s.extend(std::iter::repeat_n(' ', pad));
                    col += pad;
                }
                s.push_str(&w.text);
                col += w.text.chars().count();
            }
            out.push(s);
        }
        out.join("\n")
    }
}

impl TextDocument {
    /// All text: lines joined by newlines, pages separated by a form feed.
    pub fn text(&self) -> String {
        self.pages.iter().map(TextPage::text).collect::<Vec<_>>().join("\n\x0c")
    }

    /// Like [`TextDocument::text`] but keeping columns, see [`TextPage::layout_text`].
    pub fn layout_text(&self) -> String {
        self.pages.iter().map(TextPage::layout_text).collect::<Vec<_>>().join("\n\x0c")
    }

    /// Whether any page has a word.
    pub fn is_empty(&self) -> bool {
        self.pages.iter().all(|p| p.lines.is_empty())
    }
}

/// Groups a page's glyphs into lines and words. Text turned by a quarter turn (a landscape
/// page drawn rotated, a vertical side note) is turned upright first: the orientation with the
/// most glyphs gives the page's lines, in its own upright frame; the lines of the other
/// orientations follow, placed below the page so that they stay apart from its layout.
pub(crate) fn build_lines(glyphs: Vec<Glyph>, width: f32, height: f32) -> Vec<TextLine> {
    let mut by_quarter: [Vec<Glyph>; 4] = Default::default();
    for g in glyphs {
        if let Some(q) = g.quarter
            && g.size >= 0.5
            && g.size < 2000.0
        {
            by_quarter[usize::from(q % 4)].push(turn_upright(g, q, width, height));
        }
    }
    let main = (0..4).max_by_key(|&q| (by_quarter[q].len(), usize::from(q == 0))).unwrap_or(0);
    let mut lines = upright_lines(std::mem::take(&mut by_quarter[main]));
    let mut floor = lines.iter().map(|l| l.y).fold(0.0f32, f32::min);
    for group in by_quarter {
        let extra = upright_lines(group);
        let Some(top) = extra.iter().map(|l| l.y).reduce(f32::max) else { continue };
        let shift = floor - 100.0 - top;
        for mut line in extra {
            line.y += shift;
            for w in &mut line.words {
                w.y += shift;
            }
            floor = floor.min(line.y);
            lines.push(line);
        }
    }
    lines
}

/// The glyph in the frame where its text reads left to right.
fn turn_upright(mut g: Glyph, quarter: u8, width: f32, height: f32) -> Glyph {
    let (x0, y0, (ex, ey)) = (g.x0, g.y, g.end);
    let (nx0, nx1, ny) = match quarter {
        1 => (y0, ey, width - x0),
        2 => (width - x0, width - ex, height - y0),
        3 => (height - y0, height - ey, x0),
        _ => return g,
    };
    g.x0 = nx0;
    g.x1 = nx1.max(nx0);
    g.y = ny;
    g.upright = true;
    g
}

fn upright_lines(mut glyphs: Vec<Glyph>) -> Vec<TextLine> {
    glyphs.retain(|g| g.upright && g.size >= 0.5 && g.size < 2000.0);
    if glyphs.is_empty() {
        return Vec::new();
    }
    // Top to bottom, then left to right.
    glyphs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x0.total_cmp(&b.x0)));
    let mut lines: Vec<Vec<Glyph>> = Vec::new();
    let mut line_y = f32::NAN;
    let mut line_size = 0.0f32;
    for g in glyphs {
        let tolerance = 0.4 * line_size.min(g.size).max(1.0);
        if lines.is_empty() || (line_y - g.y).abs() > tolerance {
            line_y = g.y;
            line_size = g.size;
            lines.push(vec![g]);
        } else if let Some(line) = lines.last_mut() {
            line_size = line_size.max(g.size);
            line.push(g);
        }
    }
    lines.into_iter().filter_map(words_of_line).collect()
}

/// The widest gap, in ems, that still joins two glyphs into one word on this line: 0.2 em, or
/// less on a line whose letters touch and whose spaces were squeezed below it (TeX shrinks a
/// justified line's spaces to 1/6 em: "5 februari 2025." must not read "5februari2025."). The
/// line must show the two kinds apart: at least two gaps between 0.12 and 0.2 em, none between
/// 0.05 and 0.12 em, where letter-spaced or loosely measured text would have some.
fn word_gap(glyphs: &[Glyph]) -> f32 {
    let (mut squeezed, mut between) = (0usize, 0usize);
    for pair in glyphs.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.text.trim().is_empty() || b.text.trim().is_empty() {
            continue;
        }
        let gap = (b.x0 - a.x1) / b.size.max(a.size);
        if (0.05..0.12).contains(&gap) {
            between += 1;
        } else if (0.12..=0.2).contains(&gap) {
            squeezed += 1;
        }
    }
    if squeezed >= 2 && between == 0 { 0.11 } else { 0.2 }
}

/// The widest gap, in ems, within a word that ends `word` and goes on with `next`: `joins`,
/// but always 0.2 em inside a number ("3 658,33", "1 030, 00": TeX's thin spaces after a
/// grouping digit and after a comma in math mode).
fn gap_within(word: &str, next: &str, joins: f32) -> f32 {
    let mut tail = word.chars().rev();
    let numeric = match (tail.next(), tail.next()) {
        (Some(c), _) if c.is_ascii_digit() => true,
        (Some(',' | '.'), Some(d)) => d.is_ascii_digit(),
        _ => false,
    };
    if numeric && next.starts_with(|c: char| c.is_ascii_digit()) { 0.2 } else { joins }
}

fn words_of_line(mut glyphs: Vec<Glyph>) -> Option<TextLine> {
    glyphs.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let joins = word_gap(&glyphs);
    let mut words: Vec<TextWord> = Vec::new();
    let mut cur: Option<TextWord> = None;
    let mut last: Option<(f32, String)> = None;
    let baseline = glyphs.iter().map(|g| g.y).sum::<f32>() / glyphs.len() as f32;
    for g in glyphs {
        // Fake bold: the same glyph drawn again almost on top of itself.
        if let Some((x, t)) = &last
            && *t == g.text
            && (g.x0 - x).abs() < 0.15 * g.size
        {
            continue;
        }
        last = Some((g.x0, g.text.clone()));
        let is_space = g.text.chars().all(char::is_whitespace);
        if is_space {
            if let Some(w) = cur.take() {
                words.push(w);
            }
            continue;
        }
        let text = normalize_glyph_text(&g.text);
        // "a" then "´" drawn over it (TeX draws accents as glyphs of their own): one "á".
        // An accent whose middle lies past the word's end stands over the next letter ("Nu" +
        // "´" over the "e" of "Numéro"): it waits for that letter (below).
        if let Some(w) = cur.as_mut()
            && g.x0 < w.right()
            && (g.x0 + g.x1) / 2.0 < w.right()
            && let Some(composed) = with_accent(&w.text, &text)
        {
            w.text = composed;
            continue;
        }
        // The accent drawn first, wider than its letter ("´" then "ı"): composed the same way.
        if let Some(w) = cur.as_mut()
            && g.x0 < w.right()
            && text.chars().count() == 1
            && let Some((at, accent)) = w.text.char_indices().last()
            && let Some(composed) = with_accent(&text.replace('ı', "i"), &accent.to_string())
        {
            w.text.truncate(at);
            w.text.push_str(&composed);
            w.width = (g.x1 - w.x).max(w.width);
            continue;
        }
        match cur.as_mut() {
            Some(w)
                if g.x0 - w.right() <= gap_within(&w.text, &text, joins) * g.size.max(w.font_size)
                    && g.x0 >= w.x - 0.5 * g.size =>
            {
                w.text.push_str(&text);
                w.width = (g.x1 - w.x).max(w.width);
                w.font_size = w.font_size.max(g.size);
            }
            _ => {
                if let Some(w) = cur.take() {
                    words.push(w);
                }
                cur = Some(TextWord { text, x: g.x0, y: baseline, width: g.x1 - g.x0, font_size: g.size });
            }
        }
    }
    if let Some(w) = cur.take() {
        words.push(w);
    }
    words.retain(|w| !w.text.is_empty());
    for w in &mut words {
        w.y = baseline;
    }
    (!words.is_empty()).then_some(TextLine { y: baseline, words })
}

/// `word` with its last letter composed with the spacing accent `accent` drawn over it, when
/// the two make one character ("La" + "´" = "Lá").
fn with_accent(word: &str, accent: &str) -> Option<String> {
    let mark = match accent {
        "´" | "\u{2b9}" | "\u{2ca}" => '\u{301}',
        // pdfLaTeX's OT1 grave accent comes out as a backtick.
        "\u{2cb}" | "`" => '\u{300}',
        "\u{2c6}" => '\u{302}',
        "¨" => '\u{308}',
        "\u{2dc}" => '\u{303}',
        "¸" => '\u{327}',
        "\u{2c7}" => '\u{30c}',
        "\u{2da}" => '\u{30a}',
        "\u{2dd}" => '\u{30b}',
        "¯" | "\u{2c9}" => '\u{304}',
        "\u{2d8}" => '\u{306}',
        "\u{2d9}" => '\u{307}',
        _ => return None,
    };
    let (at, base) = word.char_indices().last()?;
    if !base.is_alphabetic() {
        return None;
    }
    let composed: String = [base, mark].into_iter().nfc().collect();
    (composed.chars().count() == 1).then(|| format!("{}{composed}", &word[..at]))
}

/// Expands ligatures and drops control characters.
fn normalize_glyph_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'ﬀ' => out.push_str("ff"),
            'ﬁ' => out.push_str("fi"),
            'ﬂ' => out.push_str("fl"),
            'ﬃ' => out.push_str("ffi"),
            'ﬄ' => out.push_str("ffl"),
            '\u{00ad}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(text: &str, x0: f32, y: f32) -> Glyph {
        Glyph {
            text: text.into(),
            x0,
            x1: x0 + 6.0,
            y,
            size: 10.0,
            upright: true,
            quarter: Some(0),
            end: (x0 + 6.0, y),
        }
    }

    #[test]
    fn an_accent_over_the_next_letter_waits_for_it() {
        // pdfLaTeX's "Numéro": the acute starts inside the "m" but stands over the "e"; its
        // grave in "S.à r.l." is a backtick drawn before the "a".
        let mut glyphs: Vec<Glyph> =
            ["N", "u", "m"].iter().enumerate().map(|(i, t)| g(t, 100.0 + 6.0 * i as f32, 700.0)).collect();
        glyphs.extend([g("´", 117.5, 700.0), g("e", 118.0, 700.0), g("r", 124.0, 700.0), g("o", 130.0, 700.0)]);
        glyphs.extend([g("`", 199.0, 700.0), g("a", 200.0, 700.0)]);
        let lines = build_lines(glyphs, 595.0, 842.0);
        assert_eq!(lines[0].text(), "Numéro à");
    }

    /// Glyphs of `words`, 6 pt wide each with letters touching, the words `gap` pt apart.
    fn set(words: &[&str], gap: f32) -> Vec<Glyph> {
        let mut x = 100.0;
        let mut out = Vec::new();
        for w in words {
            for ch in w.chars() {
                out.push(g(&ch.to_string(), x, 700.0));
                x += 6.0;
            }
            x += gap;
        }
        out
    }

    #[test]
    fn spaces_squeezed_below_a_fifth_of_an_em_still_part_words() {
        // An overfull TeX line: 1/6 em between words, letters touching.
        let lines = build_lines(set(&["Vervaldatum:", "5", "februari", "2025."], 1.67), 595.0, 842.0);
        assert_eq!(lines[0].text(), "Vervaldatum: 5 februari 2025.");
        // Inside a number, TeX's thin spaces (grouping, a comma in math mode) join as before.
        let lines = build_lines(set(&["Gesamtbetrag", "3", "658,", "33"], 1.67), 595.0, 842.0);
        assert_eq!(lines[0].text(), "Gesamtbetrag 3658,33");
        // Letter-spaced text, where gaps between letters come near the words', stays as it was.
        let mut loose = set(&["Total", "due"], 0.87);
        for (i, glyph) in loose.iter_mut().enumerate() {
            glyph.x0 += 0.8 * i as f32;
            glyph.x1 += 0.8 * i as f32;
        }
        assert_eq!(build_lines(loose, 595.0, 842.0)[0].text(), "Totaldue");
    }

    #[test]
    fn glyphs_become_words_and_lines() {
        let glyphs = vec![
            g("b", 106.0, 700.0),
            g("a", 100.0, 700.0),
            g(" ", 112.0, 700.0),
            g("c", 115.0, 700.2),
            g("x", 300.0, 700.0),
            g("z", 100.0, 680.0),
        ];
        let lines = build_lines(glyphs, 595.0, 842.0);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].text(), "ab c x");
        assert_eq!(lines[0].words.len(), 3);
        assert_eq!(lines[1].text(), "z");
    }
}

#[cfg(test)]
mod accent_tests {
    use super::*;

    fn g(text: &str, x0: f32, x1: f32, y: f32) -> Glyph {
        Glyph { text: text.into(), x0, x1, y, size: 10.0, upright: true, quarter: Some(0), end: (x1, y) }
    }

    #[test]
    fn an_accent_drawn_over_its_letter_is_composed_with_it() {
        // TeX's "L\'azaro Rom\'an": the accent is a glyph of its own, over the letter.
        let glyphs = vec![
            g("L", 100.0, 106.0, 700.0),
            g("a", 106.0, 111.0, 700.0),
            g("´", 107.5, 110.5, 702.0),
            g("z", 111.0, 116.0, 700.0),
            g("o", 116.0, 121.0, 700.0),
            g("¸", 121.5, 124.0, 699.0),
            g("c", 121.0, 126.0, 700.0),
            g("´", 126.0, 130.0, 702.0),
            g("ı", 126.5, 128.5, 700.0),
        ];
        let lines = build_lines(glyphs, 595.0, 842.0);
        assert_eq!(lines[0].text(), "Lázoçí");
        // An accent standing apart, and one over no letter, stay as they are.
        let lines = build_lines(vec![g("a", 100.0, 105.0, 700.0), g("´", 105.5, 108.0, 700.0)], 595.0, 842.0);
        assert_eq!(lines[0].text(), "a´");
        let lines = build_lines(vec![g("5", 100.0, 105.0, 700.0), g("´", 101.0, 104.0, 700.0)], 595.0, 842.0);
        assert_eq!(lines[0].text(), "5´");
    }
}
