//! Content streams: a tolerant tokeniser and a text-state interpreter that turns text-showing
//! operators into positioned glyphs.
//!
//! This is written here rather than using `lopdf::content::Content::decode` because lopdf's
//! content parser can panic on malformed inline images and builds every operation in memory
//! first; this tokeniser streams, never panics and counts operators against the budget.

use std::collections::{HashMap, HashSet};

use billify_pdf_guard::lopdf::{Dictionary, Document, Object, ObjectId};
use billify_pdf_guard::{Budget, DecodeError, decode_stream, resolve, resolve_dict};
use billify_ports::intake::ExtractionError;

use crate::font::Font;

/// Most operands kept on the stack; more are dropped (valid content never comes close).
const MAX_OPERANDS: usize = 1024;
/// Most saved graphics states.
const MAX_GSTATE_STACK: usize = 256;
/// Most elements kept in one array operand.
const MAX_ARRAY: usize = 65_536;

/// An affine matrix `[a b c d e f]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Matrix([f32; 6]);

impl Matrix {
    pub(crate) const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// `self × other` (apply self first, then other).
    fn mul(&self, o: &Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [oa, ob, oc, od, oe, of] = o.0;
        Matrix([
            a * oa + b * oc,
            a * ob + b * od,
            c * oa + d * oc,
            c * ob + d * od,
            e * oa + f * oc + oe,
            e * ob + f * od + of,
        ])
    }

    fn translate(x: f32, y: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }

    fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }

    fn is_finite(&self) -> bool {
        self.0.iter().all(|v| v.is_finite())
    }
}

/// A glyph placed on the page, in default user space (points, origin bottom left).
#[derive(Debug, Clone)]
pub(crate) struct Glyph {
    pub(crate) text: String,
    pub(crate) x0: f32,
    pub(crate) x1: f32,
    pub(crate) y: f32,
    pub(crate) size: f32,
    /// Text that is not horizontal (rotated or vertical) is kept apart from the lines.
    pub(crate) upright: bool,
    /// Quarter turns counter-clockwise of the text direction (0 upright, 1 reading upwards,
    /// 2 upside down, 3 reading downwards); `None` for other angles.
    pub(crate) quarter: Option<u8>,
    /// Where the glyph ends on the page (x, y).
    pub(crate) end: (f32, f32),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f32),
    Name(Vec<u8>),
    Str(Vec<u8>),
    ArrOpen,
    ArrClose,
    DictOpen,
    DictClose,
    Op(Vec<u8>),
}

/// A streaming tokeniser over content-stream bytes.
struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delim(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

impl<'a> Lexer<'a> {
    fn new(data: &'a [u8]) -> Self {
        Lexer { data, pos: 0 }
    }

    fn next(&mut self) -> Option<Tok> {
        loop {
            if let Some(t) = self.next_inner() {
                return t;
            }
        }
    }

    /// One step: `None` to skip a stray byte, `Some(None)` at the end, `Some(tok)` otherwise.
    fn next_inner(&mut self) -> Option<Option<Tok>> {
        let d = self.data;
        loop {
            while self.pos < d.len() && is_white(d[self.pos]) {
                self.pos += 1;
            }
            if self.pos >= d.len() {
                return Some(None);
            }
            if d[self.pos] == b'%' {
                while self.pos < d.len() && d[self.pos] != b'\n' && d[self.pos] != b'\r' {
                    self.pos += 1;
                }
                continue;
            }
            break;
        }
        let b = d[self.pos];
        match b {
            b'(' => Some(Some(Tok::Str(self.literal()))),
            b'<' if d.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                Some(Some(Tok::DictOpen))
            }
            b'>' if d.get(self.pos + 1) == Some(&b'>') => {
                self.pos += 2;
                Some(Some(Tok::DictClose))
            }
            b'<' => Some(Some(Tok::Str(self.hex()))),
            b'[' => {
                self.pos += 1;
                Some(Some(Tok::ArrOpen))
            }
            b']' => {
                self.pos += 1;
                Some(Some(Tok::ArrClose))
            }
            b'/' => {
                self.pos += 1;
                let start = self.pos;
                while self.pos < d.len() && !is_white(d[self.pos]) && !is_delim(d[self.pos]) {
                    self.pos += 1;
                }
                Some(Some(Tok::Name(unescape_name(&d[start..self.pos]))))
            }
            b')' | b'>' | b'{' | b'}' => {
                self.pos += 1;
                None
            }
            _ => {
                let start = self.pos;
                while self.pos < d.len() && !is_white(d[self.pos]) && !is_delim(d[self.pos]) {
                    self.pos += 1;
                }
                let word = &d[start..self.pos];
                if word.is_empty() {
                    self.pos += 1;
                    return None;
                }
                if word[0].is_ascii_digit() || matches!(word[0], b'-' | b'+' | b'.') {
                    Some(Some(Tok::Num(parse_number(word))))
                } else {
                    Some(Some(Tok::Op(word.to_vec())))
                }
            }
        }
    }

    fn literal(&mut self) -> Vec<u8> {
        let d = self.data;
        let mut out = Vec::new();
        let mut depth = 0usize;
        while self.pos < d.len() {
            let b = d[self.pos];
            self.pos += 1;
            match b {
                b'(' => {
                    if depth > 0 {
                        out.push(b);
                    }
                    depth += 1;
                }
                b')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return out;
                    }
                    out.push(b);
                }
                b'\\' => {
                    let Some(&e) = d.get(self.pos) else { break };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if d.get(self.pos) == Some(&b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match d.get(self.pos) {
                                    Some(c @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(c - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((v & 0xff) as u8);
                        }
                        other => out.push(other),
                    }
                }
                _ => out.push(b),
            }
        }
        out
    }

    fn hex(&mut self) -> Vec<u8> {
        let d = self.data;
        self.pos += 1;
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        while self.pos < d.len() {
            let b = d[self.pos];
            self.pos += 1;
            let v = match b {
                b'>' => break,
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => continue,
            };
            match high.take() {
                Some(h) => out.push(h << 4 | v),
                None => high = Some(v),
            }
        }
        if let Some(h) = high {
            out.push(h << 4);
        }
        out
    }

    /// Skips inline image data after `ID`, up to and including `EI`.
    fn skip_inline_image(&mut self) {
        let d = self.data;
        let mut i = self.pos + 1;
        while i + 2 <= d.len() {
            if d[i] == b'E'
                && d.get(i + 1) == Some(&b'I')
                && i > 0
                && is_white(d[i - 1])
                && d.get(i + 2).is_none_or(|c| is_white(*c))
            {
                self.pos = i + 2;
                return;
            }
            i += 1;
        }
        self.pos = d.len();
    }
}

fn unescape_name(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'#'
            && i + 2 < raw.len() + 1
            && let Some(h) = raw.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(std::str::from_utf8(h).unwrap_or("x"), 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(raw[i]);
        i += 1;
    }
    out
}

fn parse_number(word: &[u8]) -> f32 {
    let s = std::str::from_utf8(word).unwrap_or("0");
    if let Ok(v) = s.parse::<f32>() {
        return if v.is_finite() { v } else { 0.0 };
    }
    // Tolerate "--5", "5-", "1.2.3" as producers sometimes write them.
    let cleaned: String = s.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
    let mut parts = cleaned.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac: String = parts.next().unwrap_or("").chars().filter(char::is_ascii_digit).collect();
    let v = format!("{}.{}", if int.is_empty() { "0" } else { int }, if frac.is_empty() { "0" } else { &frac })
        .parse::<f32>()
        .unwrap_or(0.0);
    let v = if s.starts_with('-') { -v } else { v };
    if v.is_finite() { v } else { 0.0 }
}

#[derive(Debug, Clone)]
enum Operand {
    Num(f32),
    Name(Vec<u8>),
    Str(Vec<u8>),
    Array(Vec<Operand>),
    Other,
}

impl Operand {
    fn num(&self) -> Option<f32> {
        match self {
            Operand::Num(n) => Some(*n),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
struct TextState {
    char_spacing: f32,
    word_spacing: f32,
    scale: f32,
    leading: f32,
    rise: f32,
    font: Option<Vec<u8>>,
    size: f32,
}

#[derive(Debug, Clone)]
struct GState {
    ctm: Matrix,
    text: TextState,
}

/// Interprets the content streams of pages and form XObjects.
pub(crate) struct Interpreter<'d, 'b> {
    doc: &'d Document,
    budget: &'b mut Budget,
    fonts: HashMap<ObjectId, Font>,
    inline_fonts: HashMap<Vec<u8>, Font>,
    pub(crate) glyphs: Vec<Glyph>,
}

impl<'d, 'b> Interpreter<'d, 'b> {
    pub(crate) fn new(doc: &'d Document, budget: &'b mut Budget) -> Self {
        Interpreter { doc, budget, fonts: HashMap::new(), inline_fonts: HashMap::new(), glyphs: Vec::new() }
    }

    /// Reads one page's content streams.
    pub(crate) fn run_page(
        &mut self,
        page_id: ObjectId,
        resources: Option<&Dictionary>,
    ) -> Result<(), ExtractionError> {
        self.glyphs.clear();
        let doc = self.doc;
        let Some(page) = doc.objects.get(&page_id).and_then(|o| resolve_dict(doc, o)) else { return Ok(()) };
        let contents = match page.get(b"Contents").ok().and_then(|o| resolve(doc, o)) {
            Some(Object::Array(a)) => a.iter().collect::<Vec<_>>(),
            Some(o) => vec![o],
            None => Vec::new(),
        };
        let mut data = Vec::new();
        for c in contents {
            if let Some(Object::Stream(s)) = resolve(doc, c) {
                match decode_stream(s, self.budget) {
                    Ok(bytes) => {
                        data.extend_from_slice(&bytes);
                        data.push(b'\n');
                    }
                    Err(DecodeError::Limit(e)) => return Err(e),
                    Err(DecodeError::Unsupported) => {}
                }
            }
        }
        let gs = GState {
            ctm: Matrix::IDENTITY,
            text: TextState {
                char_spacing: 0.0,
                word_spacing: 0.0,
                scale: 1.0,
                leading: 0.0,
                rise: 0.0,
                font: None,
                size: 0.0,
            },
        };
        let mut visiting = HashSet::new();
        self.run(&data, resources, gs, 0, &mut visiting)
    }

    fn font_for(&mut self, resources: Option<&Dictionary>, name: &[u8]) -> Option<FontKey> {
        let doc = self.doc;
        let fonts = resources.and_then(|r| r.get(b"Font").ok()).and_then(|o| resolve_dict(doc, o));
        let entry = fonts.and_then(|f| f.get(name).ok());
        match entry {
            Some(Object::Reference(id)) => {
                if !self.fonts.contains_key(id) {
                    let font = match resolve_dict(doc, &Object::Reference(*id)) {
                        Some(d) => Font::load(doc, d, self.budget),
                        None => Font::fallback(),
                    };
                    self.fonts.insert(*id, font);
                }
                Some(FontKey::Id(*id))
            }
            Some(Object::Dictionary(d)) => {
                if !self.inline_fonts.contains_key(name) {
                    let font = Font::load(doc, d, self.budget);
                    self.inline_fonts.insert(name.to_vec(), font);
                }
                Some(FontKey::Inline(name.to_vec()))
            }
            _ => None,
        }
    }

    fn run(
        &mut self,
        data: &[u8],
        resources: Option<&Dictionary>,
        initial: GState,
        depth: usize,
        visiting: &mut HashSet<ObjectId>,
    ) -> Result<(), ExtractionError> {
        let mut lexer = Lexer::new(data);
        let mut operands: Vec<Operand> = Vec::new();
        let mut stack: Vec<GState> = Vec::new();
        let mut gs = initial;
        let mut tm = Matrix::IDENTITY;
        let mut tlm = Matrix::IDENTITY;
        let mut current_font: Option<FontKey> = None;
        // Array and dictionary nesting while collecting operands.
        let mut arrays: Vec<Vec<Operand>> = Vec::new();
        let mut dict_depth = 0usize;

        while let Some(tok) = lexer.next() {
            let operand = match tok {
                Tok::DictOpen => {
                    dict_depth += 1;
                    continue;
                }
                Tok::DictClose => {
                    if dict_depth > 0 {
                        dict_depth -= 1;
                        if dict_depth == 0 {
                            operands.push(Operand::Other);
                        }
                    }
                    continue;
                }
                _ if dict_depth > 0 => continue,
                Tok::ArrOpen => {
                    if arrays.len() < 32 {
                        arrays.push(Vec::new());
                    }
                    continue;
                }
                Tok::ArrClose => {
                    if let Some(done) = arrays.pop() {
                        let op = Operand::Array(done);
                        match arrays.last_mut() {
                            Some(outer) if outer.len() < MAX_ARRAY => outer.push(op),
                            Some(_) => {}
                            None => operands.push(op),
                        }
                    }
                    continue;
                }
                Tok::Num(n) => Operand::Num(n),
                Tok::Name(n) => Operand::Name(n),
                Tok::Str(s) => Operand::Str(s),
                Tok::Op(op) => {
                    if !arrays.is_empty() {
                        // An operator inside an array: the array was not closed. Drop it.
                        arrays.clear();
                    }
                    self.budget.add_operation()?;
                    match op.as_slice() {
                        b"true" | b"false" | b"null" => {
                            operands.push(Operand::Other);
                            continue;
                        }
                        b"BI" => {
                            // Inline image: skip its dictionary and data.
                            while let Some(t) = lexer.next() {
                                if t == Tok::Op(b"ID".to_vec()) {
                                    lexer.skip_inline_image();
                                    break;
                                }
                            }
                        }
                        b"q" if stack.len() < MAX_GSTATE_STACK => stack.push(gs.clone()),
                        b"Q" => {
                            if let Some(saved) = stack.pop() {
                                gs = saved;
                                current_font = gs.text.font.clone().and_then(|name| self.font_for(resources, &name));
                            }
                        }
                        b"cm" => {
                            if let Some(m) = matrix(&operands) {
                                let ctm = m.mul(&gs.ctm);
                                if ctm.is_finite() {
                                    gs.ctm = ctm;
                                }
                            }
                        }
                        b"BT" => {
                            tm = Matrix::IDENTITY;
                            tlm = Matrix::IDENTITY;
                        }
                        b"ET" => {}
                        b"Tf" => {
                            if let (Some(Operand::Name(name)), Some(size)) =
                                (operands.first(), operands.get(1).and_then(Operand::num))
                            {
                                gs.text.font = Some(name.clone());
                                gs.text.size = size;
                                current_font = self.font_for(resources, name);
                            }
                        }
                        b"Tc" => set(&operands, &mut gs.text.char_spacing),
                        b"Tw" => set(&operands, &mut gs.text.word_spacing),
                        b"Tz" => {
                            if let Some(v) = operands.first().and_then(Operand::num) {
                                gs.text.scale = v / 100.0;
                            }
                        }
                        b"TL" => set(&operands, &mut gs.text.leading),
                        b"Ts" => set(&operands, &mut gs.text.rise),
                        b"Td" | b"TD" => {
                            if let (Some(x), Some(y)) =
                                (operands.first().and_then(Operand::num), operands.get(1).and_then(Operand::num))
                            {
                                if op == b"TD" {
                                    gs.text.leading = -y;
                                }
                                tlm = Matrix::translate(x, y).mul(&tlm);
                                tm = tlm;
                            }
                        }
                        b"Tm" => {
                            if let Some(m) = matrix(&operands) {
                                tlm = m;
                                tm = m;
                            }
                        }
                        b"T*" => {
                            tlm = Matrix::translate(0.0, -gs.text.leading).mul(&tlm);
                            tm = tlm;
                        }
                        b"Tj" | b"'" | b"\"" | b"TJ" => {
                            if op == b"'" || op == b"\"" {
                                if op == b"\"" && operands.len() >= 3 {
                                    if let Some(w) = operands[0].num() {
                                        gs.text.word_spacing = w;
                                    }
                                    if let Some(c) = operands[1].num() {
                                        gs.text.char_spacing = c;
                                    }
                                }
                                tlm = Matrix::translate(0.0, -gs.text.leading).mul(&tlm);
                                tm = tlm;
                            }
                            let items: Vec<Operand> = match operands.pop() {
                                Some(Operand::Array(a)) if op == b"TJ" => a,
                                Some(s @ Operand::Str(_)) => vec![s],
                                _ => Vec::new(),
                            };
                            let font = current_font.clone();
                            for item in items {
                                match item {
                                    Operand::Str(bytes) => {
                                        tm = self.show(&bytes, font.as_ref(), &gs, tm)?;
                                    }
                                    Operand::Num(n) => {
                                        let tx = -n / 1000.0 * gs.text.size * gs.text.scale;
                                        tm = Matrix::translate(tx, 0.0).mul(&tm);
                                    }
                                    _ => {}
                                }
                            }
                        }
                        b"Do" => {
                            if let Some(Operand::Name(name)) = operands.first() {
                                self.form(name, resources, &gs, depth, visiting)?;
                            }
                        }
                        _ => {}
                    }
                    operands.clear();
                    continue;
                }
            };
            if let Some(arr) = arrays.last_mut() {
                if arr.len() < MAX_ARRAY {
                    arr.push(operand);
                }
            } else if operands.len() < MAX_OPERANDS {
                operands.push(operand);
            }
        }
        Ok(())
    }

    /// Shows one string; returns the text matrix after it.
    fn show(
        &mut self,
        bytes: &[u8],
        font: Option<&FontKey>,
        gs: &GState,
        mut tm: Matrix,
    ) -> Result<Matrix, ExtractionError> {
        let fallback;
        let font: &Font = match font.and_then(|k| match k {
            FontKey::Id(id) => self.fonts.get(id),
            FontKey::Inline(n) => self.inline_fonts.get(n),
        }) {
            Some(f) => f,
            None => {
                fallback = Font::fallback();
                &fallback
            }
        };
        let ts = &gs.text;
        for (code, len) in font.codes(bytes) {
            let text = font.text(code);
            let w0 = font.width(code) * font.units;
            let mut advance = w0 * ts.size + ts.char_spacing;
            if font.is_word_space(code, len) {
                advance += ts.word_spacing;
            }
            let advance = advance * ts.scale;
            let trm = Matrix([ts.size * ts.scale, 0.0, 0.0, ts.size, 0.0, ts.rise]).mul(&tm).mul(&gs.ctm);
            let end = Matrix::translate(advance, 0.0).mul(&tm).mul(&gs.ctm);
            let (x0, y0) = trm.apply(0.0, 0.0);
            let (x1, y1) = end.apply(0.0, ts.rise);
            let [a, b, c, d, ..] = trm.0;
            let size = (c * c + d * d).sqrt();
            let quarter = crate::orientation::quarter_turns(a, b, c, d);
            let upright = quarter == Some(0);
            if !text.is_empty() && x0.is_finite() && y0.is_finite() && x1.is_finite() && size.is_finite() {
                // Counted before it is stored: nothing past the limit is ever kept.
                self.budget.add_glyph()?;
                self.glyphs.push(Glyph { text, x0, x1: x1.max(x0), y: y0, size, upright, quarter, end: (x1, y1) });
            }
            tm = Matrix::translate(advance, 0.0).mul(&tm);
        }
        Ok(tm)
    }

    /// Runs a form XObject.
    fn form(
        &mut self,
        name: &[u8],
        resources: Option<&Dictionary>,
        gs: &GState,
        depth: usize,
        visiting: &mut HashSet<ObjectId>,
    ) -> Result<(), ExtractionError> {
        let doc = self.doc;
        let xobjects = resources.and_then(|r| r.get(b"XObject").ok()).and_then(|o| resolve_dict(doc, o));
        let Some(Object::Reference(id)) = xobjects.and_then(|x| x.get(name).ok()) else { return Ok(()) };
        let id = *id;
        let Some(Object::Stream(stream)) = doc.objects.get(&id) else { return Ok(()) };
        if stream.dict.get(b"Subtype").ok().and_then(|o| o.as_name().ok()) != Some(b"Form") {
            return Ok(());
        }
        if depth + 1 > self.budget.limits().max_depth {
            return Err(ExtractionError::TooLarge(format!(
                "form XObjects are nested more than {} levels deep",
                self.budget.limits().max_depth
            )));
        }
        if !visiting.insert(id) {
            return Ok(());
        }
        let data = match decode_stream(stream, self.budget) {
            Ok(d) => d,
            Err(DecodeError::Limit(e)) => return Err(e),
            Err(DecodeError::Unsupported) => {
                visiting.remove(&id);
                return Ok(());
            }
        };
        let mut inner = gs.clone();
        if let Some(m) =
            stream.dict.get(b"Matrix").ok().and_then(|o| resolve(doc, o)).and_then(|o| o.as_array().ok()).and_then(
                |a| {
                    let v: Vec<f32> = a.iter().filter_map(|o| resolve(doc, o).and_then(obj_num)).collect();
                    (v.len() == 6).then(|| Matrix([v[0], v[1], v[2], v[3], v[4], v[5]]))
                },
            )
        {
            let ctm = m.mul(&gs.ctm);
            if ctm.is_finite() {
                inner.ctm = ctm;
            }
        }
        let own = stream.dict.get(b"Resources").ok().and_then(|o| resolve_dict(doc, o));
        let result = self.run(&data, own.or(resources), inner, depth + 1, visiting);
        visiting.remove(&id);
        result
    }
}

#[derive(Debug, Clone)]
enum FontKey {
    Id(ObjectId),
    Inline(Vec<u8>),
}

fn obj_num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

fn set(operands: &[Operand], slot: &mut f32) {
    if let Some(v) = operands.first().and_then(Operand::num) {
        *slot = v;
    }
}

fn matrix(operands: &[Operand]) -> Option<Matrix> {
    if operands.len() < 6 {
        return None;
    }
    let v: Vec<f32> = operands[operands.len() - 6..].iter().filter_map(Operand::num).collect();
    if v.len() != 6 {
        return None;
    }
    let m = Matrix([v[0], v[1], v[2], v[3], v[4], v[5]]);
    m.is_finite().then_some(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexer_handles_strings_names_and_numbers() {
        let mut lx = Lexer::new(b"/F1 12 Tf (a\\(b\\)c\\101) Tj <48 69> Tj [ (x) -250 (y) ] TJ /A#42 .5 -3. %c\n");
        let mut toks = Vec::new();
        while let Some(t) = lx.next() {
            toks.push(t);
        }
        assert_eq!(toks[0], Tok::Name(b"F1".to_vec()));
        assert_eq!(toks[1], Tok::Num(12.0));
        assert_eq!(toks[3], Tok::Str(b"a(b)cA".to_vec()));
        assert_eq!(toks[5], Tok::Str(b"Hi".to_vec()));
        assert!(toks.contains(&Tok::Name(b"AB".to_vec())));
        assert!(toks.contains(&Tok::Num(0.5)));
        assert!(toks.contains(&Tok::Num(-3.0)));
    }

    #[test]
    fn lexer_survives_garbage() {
        for input in [&b"((((((("[..], b"<<<<<<", b">>>>]]]]", b"\\", b"(\\", b"<4", b"/", b"BI ID", b"1e999 --- .."] {
            let mut lx = Lexer::new(input);
            let mut n = 0;
            while lx.next().is_some() {
                n += 1;
                assert!(n < 100);
            }
        }
    }
}
