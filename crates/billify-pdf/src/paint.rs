//! What a person sees of the text on a page: its render mode, its colour and the areas painted
//! under it.
//!
//! Two kinds of text are drawn without being seen, and they are treated differently:
//!
//! * Text render mode 3 (and 7, clip only) draws no ink at all. OCR'd PDFs put their text layer
//!   this way over the scanned image: it is the only text such a page has, so it is read.
//! * Text filled in white (or near white) on an unpainted page or on a light area is ink a
//!   person cannot see. It is not read: a hidden line ("Invoice number: X", an IBAN, a total)
//!   must not override the fields a person reads on the page. White text on a dark or unknown
//!   background (a coloured header band, a totals box, an image, a shading) is seen and read.
//!
//! * Text filled fully transparent (an `ExtGState` with `/ca 0`) puts no ink on any
//!   background, and is not read either.
//!
//! Colours are reduced to a lightness from 0 (black) to 1 (white); a pattern, a spot colour or a
//! colour space we do not follow has none, and counts as visible ink and as a dark background.

/// Lightness at or above which text ink is white.
const WHITE_INK: f32 = 0.97;
/// Lightness at or above which a painted area is a light background.
const LIGHT_AREA: f32 = 0.85;
/// Most painted areas remembered per page; past it, white text counts as seen.
const MAX_AREAS: usize = 20_000;

/// A colour space, by what its colour operands mean.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Space {
    Gray,
    Rgb,
    Cmyk,
    /// Patterns, separations, indexed, Lab, ...: no lightness.
    Other,
}

impl Space {
    /// A device or calibrated colour space by name (`/DeviceRGB`, `/CalGray`, `/ICCBased` with
    /// its component count `n`).
    pub(crate) fn from_name(name: &[u8], n: Option<f32>) -> Space {
        match name {
            b"DeviceGray" | b"CalGray" | b"G" => Space::Gray,
            b"DeviceRGB" | b"CalRGB" | b"RGB" => Space::Rgb,
            b"DeviceCMYK" | b"CMYK" => Space::Cmyk,
            b"ICCBased" => match n {
                Some(1.0) => Space::Gray,
                Some(3.0) => Space::Rgb,
                Some(4.0) => Space::Cmyk,
                _ => Space::Other,
            },
            _ => Space::Other,
        }
    }

    /// The lightness of a colour given by its components in this space.
    fn lightness(self, c: &[f32]) -> Option<f32> {
        let l = match (self, c) {
            (Space::Gray, [g]) => *g,
            (Space::Rgb, [r, g, b]) => 0.2126 * r + 0.7152 * g + 0.0722 * b,
            (Space::Cmyk, [c, m, y, k]) => (1.0 - c.max(*m).max(*y)) * (1.0 - k),
            _ => return None,
        };
        l.is_finite().then_some(l.clamp(0.0, 1.0))
    }
}

/// The colours and the text render mode of a graphics state.
#[derive(Debug, Clone)]
pub(crate) struct Paint {
    fill: Option<f32>,
    stroke: Option<f32>,
    fill_space: Space,
    stroke_space: Space,
    /// Text render mode (`Tr`), 0 to 7.
    mode: u8,
    /// Line width (`w`), in user space.
    width: f32,
    /// Constant fill and stroke opacity (`ca`, `CA` of an `ExtGState` set by `gs`).
    fill_alpha: f32,
    stroke_alpha: f32,
}

impl Default for Paint {
    fn default() -> Self {
        Paint {
            fill: Some(0.0),
            stroke: Some(0.0),
            fill_space: Space::Gray,
            stroke_space: Space::Gray,
            mode: 0,
            width: 1.0,
            fill_alpha: 1.0,
            stroke_alpha: 1.0,
        }
    }
}

impl Paint {
    /// Applies a colour or render-mode operator; `nums` are its numeric operands, `pattern`
    /// whether a name came with them (`/P1 scn`), `space` the colour space a `cs`/`CS` names.
    pub(crate) fn apply(&mut self, op: &[u8], nums: &[f32], pattern: bool, space: Space) {
        match op {
            b"g" | b"rg" | b"k" => {
                self.fill_space = device(op);
                self.fill = self.fill_space.lightness(nums);
            }
            b"G" | b"RG" | b"K" => {
                self.stroke_space = device(&op.to_ascii_lowercase());
                self.stroke = self.stroke_space.lightness(nums);
            }
            b"cs" => {
                self.fill_space = space;
                // The initial colour of every space we follow is black.
                self.fill = (space != Space::Other).then_some(0.0);
            }
            b"CS" => {
                self.stroke_space = space;
                self.stroke = (space != Space::Other).then_some(0.0);
            }
            b"sc" | b"scn" => self.fill = if pattern { None } else { self.fill_space.lightness(nums) },
            b"SC" | b"SCN" => self.stroke = if pattern { None } else { self.stroke_space.lightness(nums) },
            b"w" => {
                if let Some(w) = nums.first().filter(|w| w.is_finite() && **w >= 0.0) {
                    self.width = *w;
                }
            }
            b"Tr" => {
                if let Some(m) = nums.first().filter(|m| (0.0..=7.0).contains(*m)) {
                    self.mode = *m as u8;
                }
            }
            _ => {}
        }
    }

    /// Sets the fill (`ca`) and stroke (`CA`) opacity an `ExtGState` gives, where it gives one.
    pub(crate) fn set_alpha(&mut self, fill: Option<f32>, stroke: Option<f32>) {
        let valid = |a: Option<f32>| a.filter(|a| (0.0..=1.0).contains(a));
        if let Some(a) = valid(fill) {
            self.fill_alpha = a;
        }
        if let Some(a) = valid(stroke) {
            self.stroke_alpha = a;
        }
    }

    /// Whether text shown now is fully transparent (`/ca 0`): no ink on any background.
    fn transparent_ink(&self) -> bool {
        let clear = |a: f32| a <= 0.03;
        match self.mode {
            0 | 4 => clear(self.fill_alpha),
            1 | 5 => clear(self.stroke_alpha),
            2 | 6 => clear(self.fill_alpha) && clear(self.stroke_alpha),
            _ => false,
        }
    }

    /// The lightness of the fill colour (what `f` paints).
    pub(crate) fn fill(&self) -> Option<f32> {
        self.fill
    }

    /// The line width and the lightness of the stroke colour (what `S` paints).
    pub(crate) fn stroke(&self) -> (f32, Option<f32>) {
        (self.width, self.stroke)
    }

    /// Whether text shown now puts white ink on the page: render modes 0 to 2 and 4 to 6 by
    /// their fill or stroke colour. Modes 3 and 7 put no ink, and are read (see the module).
    fn white_ink(&self) -> bool {
        let white = |l: Option<f32>| l.is_some_and(|l| l >= WHITE_INK);
        match self.mode {
            0 | 4 => white(self.fill),
            1 | 5 => white(self.stroke),
            2 | 6 => white(self.fill) && white(self.stroke),
            _ => false,
        }
    }
}

fn device(op: &[u8]) -> Space {
    match op {
        b"g" => Space::Gray,
        b"rg" => Space::Rgb,
        _ => Space::Cmyk,
    }
}

/// An area painted on the page, in default user space, with its lightness.
#[derive(Debug, Clone, Copy)]
struct Area {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
    light: Option<f32>,
}

/// The path being built and the areas painted so far on one page.
#[derive(Debug, Default)]
pub(crate) struct Canvas {
    path: Option<(f32, f32, f32, f32)>,
    areas: Vec<Area>,
    overflow: bool,
}

impl Canvas {
    /// Forgets everything: a new page.
    pub(crate) fn clear(&mut self) {
        *self = Canvas::default();
    }

    /// Adds a point (in default user space) to the current path's bounds.
    pub(crate) fn point(&mut self, x: f32, y: f32) {
        if !x.is_finite() || !y.is_finite() {
            return;
        }
        self.path = Some(match self.path {
            Some((x0, y0, x1, y1)) => (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
            None => (x, y, x, y),
        });
    }

    /// Ends the current path; `fill` is the lightness it is filled with, `None` when it is only
    /// stroked, clipped or dropped (`S`, `n`), `Some(None)` for an unknown colour.
    pub(crate) fn end_path(&mut self, fill: Option<Option<f32>>) {
        if let (Some((x0, y0, x1, y1)), Some(light)) = (self.path.take(), fill) {
            self.area(x0, y0, x1, y1, light);
        }
    }

    /// Ends the current path by stroking it `width` wide (in default user space): a rule as
    /// thick as a band ("20 w 40 700 m 555 700 l S") is a background too.
    pub(crate) fn stroke(&mut self, width: f32, light: Option<f32>) {
        if let Some((x0, y0, x1, y1)) = self.path.take()
            && width >= 4.0
        {
            let h = width / 2.0;
            self.area(x0 - h, y0 - h, x1 + h, y1 + h, light);
        }
    }

    /// Records a painted area: a filled path, an image (`None`: its lightness is unknown) or a
    /// shading.
    pub(crate) fn area(&mut self, x0: f32, y0: f32, x1: f32, y1: f32, light: Option<f32>) {
        // Hairlines and rules are no background.
        if x1 - x0 < 1.0 || y1 - y0 < 1.0 {
            return;
        }
        if self.areas.len() >= MAX_AREAS {
            self.overflow = true;
            return;
        }
        self.areas.push(Area { x0, y0, x1, y1, light });
    }

    /// Whether text drawn with `paint` at (x, y) is unseen: fully transparent ink, or white ink
    /// on the bare page or on the light area last painted under it.
    pub(crate) fn hides(&self, paint: &Paint, x: f32, y: f32) -> bool {
        if paint.transparent_ink() {
            return true;
        }
        if !paint.white_ink() || self.overflow {
            return false;
        }
        let under = self.areas.iter().rev().find(|a| a.x0 <= x && x <= a.x1 && a.y0 <= y && y <= a.y1);
        under.is_none_or(|a| a.light.is_some_and(|l| l >= LIGHT_AREA))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_ink_hides_on_light_areas_only() {
        let mut p = Paint::default();
        let mut canvas = Canvas::default();
        assert!(!canvas.hides(&p, 10.0, 10.0));
        p.apply(b"rg", &[1.0, 1.0, 1.0], false, Space::Other);
        assert!(canvas.hides(&p, 10.0, 10.0));
        // A band drawn as a thick line, then a dark filled band: seen on both.
        canvas.point(0.0, 50.0);
        canvas.point(100.0, 50.0);
        canvas.stroke(20.0, Some(0.1));
        assert!(!canvas.hides(&p, 10.0, 55.0));
        canvas.point(0.0, 0.0);
        canvas.point(100.0, 20.0);
        canvas.end_path(Some(Some(0.2)));
        assert!(canvas.hides(&p, 10.0, 30.0));
        assert!(!canvas.hides(&p, 10.0, 10.0));
        // Invisible text (render mode 3) is the text layer of a scan: read.
        p.apply(b"Tr", &[3.0], false, Space::Other);
        assert!(!canvas.hides(&p, 10.0, 30.0));
        // A CMYK white and a pattern.
        let mut p = Paint::default();
        p.apply(b"k", &[0.0, 0.0, 0.0, 0.0], false, Space::Other);
        assert!(canvas.hides(&p, 10.0, 30.0));
        p.apply(b"cs", &[], false, Space::Other);
        p.apply(b"scn", &[], true, Space::Other);
        assert!(!canvas.hides(&p, 10.0, 30.0));
    }

    #[test]
    fn fully_transparent_ink_hides_on_any_background() {
        let mut canvas = Canvas::default();
        canvas.point(0.0, 0.0);
        canvas.point(100.0, 20.0);
        canvas.end_path(Some(Some(0.1)));
        let mut p = Paint::default();
        p.set_alpha(Some(0.0), None);
        assert!(canvas.hides(&p, 10.0, 10.0));
        assert!(canvas.hides(&p, 10.0, 50.0));
        // Half transparent is seen; so is a transparent fill on stroked text (mode 1).
        p.set_alpha(Some(0.5), None);
        assert!(!canvas.hides(&p, 10.0, 50.0));
        p.set_alpha(Some(0.0), None);
        p.apply(b"Tr", &[1.0], false, Space::Other);
        assert!(!canvas.hides(&p, 10.0, 50.0));
        // An OCR text layer (mode 3) is read whatever its opacity.
        p.apply(b"Tr", &[3.0], false, Space::Other);
        assert!(!canvas.hides(&p, 10.0, 50.0));
    }
}
