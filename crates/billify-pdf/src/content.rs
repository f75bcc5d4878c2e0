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
use crate::lexer::{Lexer, Tok};
use crate::paint::{Canvas, Paint, Space};

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
    paint: Paint,
}

/// Interprets the content streams of pages and form XObjects.
pub(crate) struct Interpreter<'d, 'b> {
    doc: &'d Document,
    budget: &'b mut Budget,
    fonts: HashMap<ObjectId, Font>,
    inline_fonts: HashMap<Vec<u8>, Font>,
    pub(crate) glyphs: Vec<Glyph>,
    /// The areas painted on the page so far, to tell white text a person does not see.
    canvas: Canvas,
}

impl<'d, 'b> Interpreter<'d, 'b> {
    pub(crate) fn new(doc: &'d Document, budget: &'b mut Budget) -> Self {
        Interpreter {
            doc,
            budget,
            fonts: HashMap::new(),
            inline_fonts: HashMap::new(),
            glyphs: Vec::new(),
            canvas: Canvas::default(),
        }
    }

    /// Reads one page's content streams.
    pub(crate) fn run_page(
        &mut self,
        page_id: ObjectId,
        resources: Option<&Dictionary>,
    ) -> Result<(), ExtractionError> {
        self.glyphs.clear();
        self.canvas.clear();
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
            paint: Paint::default(),
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
                            // Inline image: a background of unknown lightness (see `paint`).
                            self.image_area(&gs.ctm);
                            // Skip its dictionary and data.
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
                        b"g" | b"G" | b"rg" | b"RG" | b"k" | b"K" | b"sc" | b"scn" | b"SC" | b"SCN" | b"Tr" | b"w" => {
                            let nums: Vec<f32> = operands.iter().filter_map(Operand::num).collect();
                            let pattern = operands.iter().any(|o| matches!(o, Operand::Name(_)));
                            gs.paint.apply(&op, &nums, pattern, Space::Other);
                        }
                        b"gs" => {
                            if let Some(Operand::Name(name)) = operands.first() {
                                let (fill, stroke) = self.opacity(resources, name);
                                gs.paint.set_alpha(fill, stroke);
                            }
                        }
                        b"cs" | b"CS" => {
                            if let Some(Operand::Name(name)) = operands.first() {
                                let space = self.colour_space(resources, name);
                                gs.paint.apply(&op, &[], false, space);
                            }
                        }
                        b"m" | b"l" | b"c" | b"v" | b"y" | b"re" => {
                            let nums: Vec<f32> = operands.iter().filter_map(Operand::num).collect();
                            let points: Vec<(f32, f32)> = match (op.as_slice(), nums.as_slice()) {
                                (b"re", [x, y, w, h]) => vec![(*x, *y), (x + w, y + h), (*x, y + h), (x + w, *y)],
                                (b"re", _) => Vec::new(),
                                _ => nums.chunks_exact(2).map(|p| (p[0], p[1])).collect(),
                            };
                            for (x, y) in points {
                                let (x, y) = gs.ctm.apply(x, y);
                                self.canvas.point(x, y);
                            }
                        }
                        b"f" | b"F" | b"f*" | b"B" | b"B*" | b"b" | b"b*" => {
                            self.canvas.end_path(Some(gs.paint.fill()))
                        }
                        b"S" | b"s" => {
                            let (width, light) = gs.paint.stroke();
                            // The width in default user space (the scale of the CTM).
                            let [a, b, c, d, ..] = gs.ctm.0;
                            self.canvas.stroke(width * (a * d - b * c).abs().sqrt(), light);
                        }
                        b"n" => self.canvas.end_path(None),
                        // A shading fills its clip, which is not followed: anything under it.
                        b"sh" => self.canvas.area(f32::MIN, f32::MIN, f32::MAX, f32::MAX, None),
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
            // White ink on a light background: not seen, not read (see `paint`).
            let hidden = self.canvas.hides(&gs.paint, (x0 + x1) / 2.0, y0 + 0.3 * size);
            if !text.is_empty() && !hidden && x0.is_finite() && y0.is_finite() && x1.is_finite() && size.is_finite() {
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
        let subtype = stream.dict.get(b"Subtype").ok().and_then(|o| o.as_name().ok());
        if subtype == Some(b"Image") {
            self.image_area(&gs.ctm);
        }
        if subtype != Some(b"Form") {
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

impl Interpreter<'_, '_> {
    /// Records an image (the unit square under `ctm`) as a background of unknown lightness.
    fn image_area(&mut self, ctm: &Matrix) {
        let corners = [ctm.apply(0.0, 0.0), ctm.apply(1.0, 0.0), ctm.apply(0.0, 1.0), ctm.apply(1.0, 1.0)];
        let (xs, ys): (Vec<f32>, Vec<f32>) = corners.into_iter().unzip();
        let min = |v: &[f32]| v.iter().copied().fold(f32::INFINITY, f32::min);
        let max = |v: &[f32]| v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        self.canvas.area(min(&xs), min(&ys), max(&xs), max(&ys), None);
    }

    /// The colour space `cs` names: a device space, or one of the resources' `/ColorSpace`.
    /// The fill (`/ca`) and stroke (`/CA`) opacity of the graphics state `name` in `resources`.
    fn opacity(&self, resources: Option<&Dictionary>, name: &[u8]) -> (Option<f32>, Option<f32>) {
        let doc = self.doc;
        let states = resources.and_then(|r| r.get(b"ExtGState").ok()).and_then(|o| resolve_dict(doc, o));
        let Some(state) = states.and_then(|d| d.get(name).ok()).and_then(|o| resolve_dict(doc, o)) else {
            return (None, None);
        };
        let get = |key: &[u8]| state.get(key).ok().and_then(|o| resolve(doc, o)).and_then(obj_num);
        (get(b"ca"), get(b"CA"))
    }

    fn colour_space(&self, resources: Option<&Dictionary>, name: &[u8]) -> Space {
        let device = Space::from_name(name, None);
        if device != Space::Other {
            return device;
        }
        let doc = self.doc;
        let spaces = resources.and_then(|r| r.get(b"ColorSpace").ok()).and_then(|o| resolve_dict(doc, o));
        match spaces.and_then(|d| d.get(name).ok()).and_then(|o| resolve(doc, o)) {
            Some(Object::Name(n)) => Space::from_name(n, None),
            Some(Object::Array(a)) => {
                let family = a.first().and_then(|o| o.as_name().ok()).unwrap_or(b"");
                let n = match a.get(1).and_then(|o| resolve(doc, o)) {
                    Some(Object::Stream(s)) => s.dict.get(b"N").ok().and_then(obj_num),
                    _ => None,
                };
                Space::from_name(family, n)
            }
            _ => Space::Other,
        }
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
