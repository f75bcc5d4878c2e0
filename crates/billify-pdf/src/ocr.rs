//! OCR for pages without a text layer (scans): the page is rendered by poppler's `pdftoppm`
//! and read by Tesseract, both run as subprocesses with a timeout, into the same positioned
//! [`TextDocument`] the text path builds, so the same field extraction applies.
//!
//! OCR is optional at run time: [`OcrSetting::detect`] finds the programs on `PATH`; without
//! them a scan gives a draft that says OCR is unavailable instead of its fields.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use billify_ports::intake::{
    Confidence, Extracted, ExtractedInvoice, ExtractionError, ExtractionMethod, RuleViolation,
};

use crate::layout::{TextDocument, TextLine, TextPage, TextWord};

/// Whether and how scans are read.
#[derive(Debug, Clone, Default)]
pub enum OcrSetting {
    /// Scans are refused with [`ExtractionError::NoText`].
    #[default]
    Off,
    /// Scans are read with these programs.
    On(Ocr),
    /// OCR was asked for but cannot run (the reason); scans give a draft that says so.
    Unavailable(String),
}

impl OcrSetting {
    /// OCR with `tesseract` and `pdftoppm` from `PATH` when both are there, else
    /// [`OcrSetting::Unavailable`].
    pub fn detect() -> Self {
        match (find_program("tesseract"), find_program("pdftoppm")) {
            (Some(tesseract), Some(pdftoppm)) => OcrSetting::On(Ocr { tesseract, pdftoppm, ..Ocr::default() }),
            (None, _) => OcrSetting::Unavailable("Tesseract is not installed (Debian: tesseract-ocr)".into()),
            (_, None) => OcrSetting::Unavailable("pdftoppm is not installed (Debian: poppler-utils)".into()),
        }
    }
}

/// How Tesseract turns a page's grey levels into black and white.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binarization {
    /// One threshold for the whole page (Otsu): best for flat scans.
    Global,
    /// A threshold per neighbourhood (Sauvola), for photos with shadows and a dark table around
    /// the paper, and the page's orientation detected first, for a page scanned sideways.
    Adaptive,
}

/// The OCR programs and their bounds.
#[derive(Debug, Clone)]
pub struct Ocr {
    /// The `tesseract` program.
    pub tesseract: PathBuf,
    /// Poppler's `pdftoppm`, which renders pages to images.
    pub pdftoppm: PathBuf,
    /// Tesseract languages, e.g. `nld+fra+deu+eng`; those not installed are left out.
    pub languages: String,
    /// Rendering resolution.
    pub dpi: u32,
    /// At most this many pages are read.
    pub max_pages: usize,
    /// Each subprocess is killed after this long. OCR is not bound by the text reader's time
    /// budget: one page takes seconds, not milliseconds.
    pub timeout: Duration,
}

impl Default for Ocr {
    fn default() -> Self {
        Ocr {
            tesseract: PathBuf::from("tesseract"),
            pdftoppm: PathBuf::from("pdftoppm"),
            languages: "nld+fra+deu+eng".into(),
            dpi: 200,
            max_pages: 3,
            timeout: Duration::from_secs(60),
        }
    }
}

fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| p.is_file())
}

/// A scratch directory removed when dropped.
#[derive(Debug)]
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Self, ExtractionError> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("billify-ocr-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| ocr_failed(&format!("no scratch directory: {e}")))?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn ocr_failed(why: &str) -> ExtractionError {
    ExtractionError::Malformed(format!("the scanned page could not be read by OCR: {why}"))
}

/// Runs `cmd`, killing it past `timeout`.
fn run(mut cmd: Command, timeout: Duration) -> Result<(), ExtractionError> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| ocr_failed(&e.to_string()))?;
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => return Err(ocr_failed(&format!("a helper program failed ({status})"))),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ExtractionError::Timeout);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(ocr_failed(&e.to_string())),
        }
    }
}

impl Ocr {
    /// The languages asked for that Tesseract has data for (all of them when it cannot say).
    fn installed_languages(&self) -> String {
        let listed = Command::new(&self.tesseract).arg("--list-langs").stderr(Stdio::null()).output();
        let Ok(out) = listed else { return self.languages.clone() };
        let have: Vec<String> = String::from_utf8_lossy(&out.stdout).lines().map(|l| l.trim().to_string()).collect();
        let keep: Vec<&str> = self.languages.split('+').filter(|l| have.iter().any(|h| h == l)).collect();
        if keep.is_empty() { "eng".into() } else { keep.join("+") }
    }

    /// How many degrees clockwise `image` must turn to stand upright, by Tesseract's orientation
    /// detection (0 when it cannot tell).
    fn orientation(&self, image: &Path, base: &Path) -> u32 {
        let mut osd = Command::new(&self.tesseract);
        osd.env("OMP_THREAD_LIMIT", "1").arg(image).arg(base).args(["--psm", "0"]);
        if run(osd, self.timeout).is_err() {
            return 0;
        }
        let report = std::fs::read_to_string(base.with_extension("osd")).unwrap_or_default();
        report
            .lines()
            .find_map(|l| l.strip_prefix("Rotate:"))
            .and_then(|r| r.trim().parse().ok())
            .filter(|r| [90, 180, 270].contains(r))
            .unwrap_or(0)
    }

    /// Renders and reads the pages of `pdf` with Tesseract's global (Otsu) binarization.
    pub fn read(&self, pdf: &[u8]) -> Result<TextDocument, ExtractionError> {
        self.recognise(&self.render(pdf)?, Binarization::Global)
    }

    /// Renders the pages of `pdf` to images, once for every read of them.
    pub fn render(&self, pdf: &[u8]) -> Result<RenderedPages, ExtractionError> {
        let scratch = Scratch::new()?;
        let input = scratch.0.join("in.pdf");
        std::fs::write(&input, pdf).map_err(|e| ocr_failed(&e.to_string()))?;
        let mut render = Command::new(&self.pdftoppm);
        render
            .args(["-r", &self.dpi.to_string(), "-gray", "-png", "-f", "1", "-l", &self.max_pages.to_string()])
            .arg(&input)
            .arg(scratch.0.join("page"));
        run(render, self.timeout)?;
        let mut images: Vec<PathBuf> = std::fs::read_dir(&scratch.0)
            .map_err(|e| ocr_failed(&e.to_string()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "png"))
            .collect();
        images.sort();
        Ok(RenderedPages { scratch, images, languages: self.installed_languages() })
    }

    /// Reads rendered pages with the given binarization.
    pub fn recognise(
        &self,
        pages: &RenderedPages,
        binarization: Binarization,
    ) -> Result<TextDocument, ExtractionError> {
        let pass = match binarization {
            Binarization::Global => "global",
            Binarization::Adaptive => "adaptive",
        };
        let mut doc = TextDocument::default();
        for (i, image) in pages.images.iter().enumerate() {
            let base = pages.scratch.0.join(format!("ocr-{pass}-{i}"));
            let mut tess = Command::new(&self.tesseract);
            // One thread: reads already run side by side, and OpenMP oversubscribes the cores.
            tess.env("OMP_THREAD_LIMIT", "1").arg(image).arg(&base).args(["-l", &pages.languages]);
            let rotate = match binarization {
                Binarization::Global => {
                    tess.args(["--psm", "3"]);
                    0
                }
                // Orientation detected first (page segmentation mode 1): a page scanned sideways.
                Binarization::Adaptive => {
                    tess.args(["--psm", "1", "-c", "thresholding_method=2"]);
                    self.orientation(image, &pages.scratch.0.join(format!("osd-{i}")))
                }
            };
            tess.arg("tsv");
            run(tess, self.timeout)?;
            let tsv = std::fs::read_to_string(base.with_extension("tsv")).map_err(|e| ocr_failed(&e.to_string()))?;
            doc.pages.push(page_from_tsv(&tsv, i + 1, self.dpi, rotate));
        }
        Ok(doc)
    }
}

/// A document's pages rendered to images in a scratch directory (removed when dropped), with
/// the Tesseract languages to read them in.
#[derive(Debug)]
pub struct RenderedPages {
    scratch: Scratch,
    images: Vec<PathBuf>,
    languages: String,
}

/// Builds a page from Tesseract's TSV output (one row per page, block, paragraph, line and
/// word, with pixel boxes), in PDF points with y growing upwards. The image must turn `rotate`
/// degrees clockwise to stand upright (Tesseract's orientation detection, "Rotate: 90"; 0 for
/// an upright page): its boxes are turned with it.
pub(crate) fn page_from_tsv(tsv: &str, number: usize, dpi: u32, rotate: u32) -> TextPage {
    let scale = 72.0 / dpi.max(1) as f32;
    let mut page = TextPage { number, ..TextPage::default() };
    let mut height_px = 0.0f32;
    let (mut image_w, mut image_h) = (0.0f32, 0.0f32);
    // A box (left, top, width, height) of the image as it stands upright.
    let turn = |(l, t, w, h): (f32, f32, f32, f32), (iw, ih): (f32, f32)| match rotate {
        90 => (ih - t - h, l, h, w),
        180 => (iw - l - w, ih - t - h, w, h),
        270 => (t, iw - l - w, h, w),
        _ => (l, t, w, h),
    };
    // (block, paragraph, line) -> words as (left, top, width, height, text).
    type Word = (f32, f32, f32, f32, String);
    let mut lines: Vec<((u32, u32, u32), Vec<Word>)> = Vec::new();
    for row in tsv.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        if cols.len() < 12 {
            continue;
        }
        let num = |i: usize| cols[i].trim().parse::<f32>().unwrap_or(0.0);
        let level = num(0) as u32;
        if level == 1 {
            (image_w, image_h) = (num(8), num(9));
            let (_, _, w, h) = turn((0.0, 0.0, image_w, image_h), (image_w, image_h));
            page.width = w * scale;
            height_px = h;
            page.height = height_px * scale;
            continue;
        }
        let text = cols[11].trim();
        if level != 5 || text.is_empty() || num(10) < 0.0 {
            continue;
        }
        let key = (num(2) as u32, num(3) as u32, num(4) as u32);
        let (l, t, w, h) = turn((num(6), num(7), num(8), num(9)), (image_w, image_h));
        let word = (l, t, w, h, text.to_string());
        match lines.iter_mut().find(|(k, _)| *k == key) {
            Some((_, words)) => words.push(word),
            None => lines.push((key, vec![word])),
        }
    }
    let mut out: Vec<TextLine> = lines
        .into_iter()
        .map(|(_, words)| {
            let bottom = words.iter().map(|w| w.1 + w.3).fold(0.0f32, f32::max);
            let size = words.iter().map(|w| w.3).fold(0.0f32, f32::max) * scale;
            let y = (height_px - bottom) * scale;
            let words = words
                .into_iter()
                .map(|(left, _, width, _, text)| TextWord {
                    text,
                    x: left * scale,
                    y,
                    width: width * scale,
                    font_size: size,
                })
                .collect();
            TextLine { y, words }
        })
        .collect();
    out.sort_by(|a, b| b.y.total_cmp(&a.y));
    page.lines = merge_side_by_side(out);
    page
}

/// Joins lines that Tesseract put in different blocks but that stand on one baseline: a label
/// in the left column and its amount far right ("Tax *" … "$0.00"), read as two blocks.
fn merge_side_by_side(lines: Vec<TextLine>) -> Vec<TextLine> {
    let mut out: Vec<TextLine> = Vec::with_capacity(lines.len());
    for line in lines {
        let size = line.words.iter().map(|w| w.font_size).fold(0.0f32, f32::max);
        let overlaps = |a: &TextLine, b: &TextLine| {
            a.words.iter().any(|w| b.words.iter().any(|o| w.x < o.x + o.width && o.x < w.x + w.width))
        };
        let near = out.iter_mut().rev().take(3).find(|o| {
            let o_size = o.words.iter().map(|w| w.font_size).fold(0.0f32, f32::max);
            (o.y - line.y).abs() <= 0.4 * size.max(o_size) && !overlaps(o, &line)
        });
        match near {
            Some(o) => {
                o.words.extend(line.words);
                o.words.sort_by(|a, b| a.x.total_cmp(&b.x));
                let y = o.y;
                for w in &mut o.words {
                    w.y = y;
                }
            }
            None => out.push(line),
        }
    }
    out
}

/// Lowers every confidence of an OCR read: characters may be misread.
pub(crate) fn lower_confidences(inv: &mut ExtractedInvoice) {
    fn low<T>(e: &mut Option<Extracted<T>>) {
        if let Some(e) = e {
            e.confidence = Confidence::percent(e.confidence.as_percent().saturating_mul(3) / 4);
        }
    }
    low(&mut inv.kind);
    low(&mut inv.invoice_number);
    low(&mut inv.issue_date);
    low(&mut inv.due_date);
    low(&mut inv.payment_terms);
    low(&mut inv.currency);
    low(&mut inv.subtotal);
    low(&mut inv.line_total);
    low(&mut inv.allowance_total);
    low(&mut inv.charge_total);
    low(&mut inv.vat_amount);
    low(&mut inv.vat_rate);
    low(&mut inv.total);
    low(&mut inv.prepaid);
    low(&mut inv.rounding_amount);
    low(&mut inv.amount_due);
    low(&mut inv.payment_reference);
    for p in [&mut inv.seller, &mut inv.buyer] {
        low(&mut p.name);
        low(&mut p.vat_number);
        low(&mut p.legal_id);
        low(&mut p.address);
        low(&mut p.iban);
        low(&mut p.bic);
    }
}

/// Whether an OCR read misses the core of an invoice: its number, its date or its total, or
/// amounts that do not add up.
pub(crate) fn read_is_weak(inv: &ExtractedInvoice) -> bool {
    inv.invoice_number.is_none() || inv.issue_date.is_none() || inv.total.is_none() || !adds_up(inv)
}

/// How much an OCR read found: its header fields, and two more when its amounts add up.
pub(crate) fn read_score(inv: &ExtractedInvoice) -> usize {
    let found = [
        inv.invoice_number.is_some(),
        inv.issue_date.is_some(),
        inv.due_date.is_some(),
        inv.currency.is_some(),
        inv.subtotal.is_some(),
        inv.vat_amount.is_some(),
        inv.total.is_some(),
        inv.amount_due.is_some(),
        inv.seller.name.is_some(),
        inv.seller.vat_number.is_some(),
        inv.seller.iban.is_some(),
        inv.buyer.name.is_some(),
    ];
    found.iter().filter(|f| **f).count() + if adds_up(inv) && inv.total.is_some() { 2 } else { 0 }
}

/// Whether subtotal plus VAT is the total, when all three were read.
fn adds_up(inv: &ExtractedInvoice) -> bool {
    match (&inv.subtotal, &inv.vat_amount, &inv.total) {
        (Some(s), Some(v), Some(t)) => &s.value + &v.value == t.value,
        _ => true,
    }
}

/// The draft of a scan when OCR cannot run: no fields, and a note saying why.
pub(crate) fn unavailable(why: &str) -> ExtractedInvoice {
    let mut inv = ExtractedInvoice::empty(ExtractionMethod::PdfOcr);
    inv.rule_violations.push(RuleViolation {
        rule: "ocr-unavailable".into(),
        message: format!("the document is a scan without text and OCR is unavailable: {why}"),
    });
    inv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_without_its_total_or_with_sums_that_do_not_add_up_is_weak() {
        use bigdecimal::BigDecimal;
        use std::str::FromStr;
        let amount = |s: &str| Some(Extracted::new(BigDecimal::from_str(s).unwrap(), Confidence::percent(60)));
        let mut inv = ExtractedInvoice::empty(ExtractionMethod::PdfOcr);
        inv.invoice_number = Some(Extracted::new("T2-126653".into(), Confidence::percent(60)));
        inv.issue_date = Some(Extracted::new(time::macros::date!(2023 - 05 - 31), Confidence::percent(60)));
        assert!(read_is_weak(&inv), "no total");
        let bare = read_score(&inv);
        inv.subtotal = amount("530.00");
        inv.vat_amount = amount("26.50");
        inv.total = amount("5557.00");
        assert!(read_is_weak(&inv), "530.00 + 26.50 is not 5557.00");
        let misread = read_score(&inv);
        inv.total = amount("556.50");
        assert!(!read_is_weak(&inv));
        assert!(read_score(&inv) == misread + 2 && misread == bare + 3);
    }

    #[test]
    fn tsv_words_become_lines_in_points() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t300\t300\t200\t40\t95.1\tInvoice\n\
                   5\t1\t1\t1\t1\t2\t520\t300\t100\t40\t93.0\t#12\n\
                   5\t1\t2\t1\t1\t1\t300\t600\t150\t40\t90.0\tTotal\n";
        let page = page_from_tsv(tsv, 1, 300, 0);
        assert_eq!(page.lines.len(), 2);
        assert_eq!(page.lines[0].text(), "Invoice #12");
        assert_eq!(page.lines[1].text(), "Total");
        assert!((page.width - 595.2).abs() < 0.1);
        assert!(page.lines[0].y > page.lines[1].y, "top line first, y grows upwards");
        assert!((page.lines[0].words[0].x - 72.0).abs() < 0.01);
    }

    #[test]
    fn the_boxes_of_a_page_read_sideways_are_turned_upright() {
        // Tesseract's boxes of "Granit Print" on an image that must turn 90° clockwise: the
        // words run up the image.
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t2339\t1654\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t130\t1426\t24\t95\t91.9\tGranit\n\
                   5\t1\t1\t1\t1\t2\t130\t1344\t24\t72\t96.6\tPrint\n";
        let page = page_from_tsv(tsv, 1, 200, 90);
        assert_eq!(page.lines.len(), 1);
        assert_eq!(page.lines[0].text(), "Granit Print");
        assert!(page.height > page.width, "the upright page is portrait");
        assert!(page.lines[0].words[0].x < page.lines[0].words[1].x);
    }

    #[test]
    fn a_label_and_its_amount_read_as_two_blocks_make_one_line() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t300\t600\t80\t40\t95.0\tTax\n\
                   5\t1\t1\t1\t2\t1\t300\t700\t150\t40\t95.0\tTotal\n\
                   5\t1\t2\t1\t1\t1\t2000\t603\t120\t40\t93.0\t$0.00\n\
                   5\t1\t2\t1\t2\t1\t2000\t702\t120\t40\t93.0\t$4.11\n";
        let page = page_from_tsv(tsv, 1, 300, 0);
        let lines: Vec<String> = page.lines.iter().map(|l| l.text()).collect();
        assert_eq!(lines, ["Tax $0.00", "Total $4.11"]);
    }
}
