//! Template-free field extraction from positioned text.
//!
//! The text is cut into *cells*: runs of words on one line without a wide gap. A cell that
//! starts with a known label (see [`labels`]) takes its value from the rest of the cell, from
//! the next cell to its right, or from the cell below it. Candidates are scored by where the
//! value was found and how specific the label is; amounts are then chosen as a set, preferring
//! subtotal + VAT = total exactly; identifiers must pass the domain types' checksums.

mod amounts;
mod dates;
mod labels;
mod lines;
mod parties;
mod references;
mod text;

use amounts::amounts;
use dates::{dates, due_in_terms, fallback_issue_date, payment_terms};
use parties::parties;
use references::{invoice_number, payment_reference};

use billify_ports::intake::{Confidence, DocumentKind, Extracted, ExtractedInvoice, ExtractionMethod, OwnParty};
use time::Date;

use crate::TextDocument;
use labels::{Kind, match_label};
use text::{norm, skip_chars, trim_sep};

/// A run of words on one line, without a gap wider than about one em between them.
#[derive(Debug, Clone)]
struct Cell {
    page: usize,
    line: usize,
    text: String,
    norm: String,
    x0: f32,
    x1: f32,
    y: f32,
    size: f32,
    label: Option<(Kind, usize)>,
    /// One part of a line joined by separators (`Name · Street · VAT …`).
    joined: bool,
    /// The height of the cell's page.
    page_height: f32,
    /// The left and right edges of the words of `text` (split on spaces); empty when unknown.
    words: Vec<(f32, f32)>,
}

impl Cell {
    /// Where the cell sits on its page, from 0 (bottom) to 1 (top).
    fn height_share(&self) -> f32 {
        if self.page_height > 0.0 { self.y / self.page_height } else { 0.5 }
    }
}

/// Where a value was found relative to its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Same,
    Right,
    Below,
}

impl Place {
    fn bonus(self) -> i32 {
        match self {
            Place::Same => 3,
            Place::Right => 2,
            Place::Below => 1,
        }
    }
}

struct Ctx {
    cells: Vec<Cell>,
    /// Cell indices per global line.
    lines: Vec<Vec<usize>>,
    /// Ambiguous numeric dates are month first (a US document).
    month_first: bool,
    /// Whether each line is the header row of a table of lines (see [`lines::is_table_header`]).
    table_headers: Vec<bool>,
}

/// Separators that join the parts of a footer or sender line
/// (`Name · Street · VAT … · IBAN …`).
const JOINERS: &[&str] = &[" · ", " | ", " • ", " – ", " - ", " ¦ ", " / "];

/// Splits a cell whose text is three or more parts joined by one separator into one cell per
/// part, with x positions estimated from the character offsets.
fn split_joined(c: Cell) -> Vec<Cell> {
    for sep in JOINERS {
        let parts: Vec<&str> = c.text.split(sep).collect();
        if parts.len() < 3 || parts.iter().any(|p| p.trim().is_empty()) {
            continue;
        }
        let total = c.text.chars().count().max(1) as f32;
        let width = c.x1 - c.x0;
        let mut out = Vec::with_capacity(parts.len());
        let mut offset = 0usize;
        for p in parts {
            let len = p.chars().count();
            let mut cell = c.clone();
            cell.text = p.trim().to_string();
            cell.x0 = c.x0 + width * offset as f32 / total;
            cell.x1 = c.x0 + width * (offset + len) as f32 / total;
            cell.joined = true;
            cell.words.clear();
            out.push(cell);
            offset += len + sep.chars().count();
        }
        return out;
    }
    vec![c]
}

fn pct(v: u8) -> Confidence {
    Confidence::percent(v)
}

impl Ctx {
    fn new(doc: &TextDocument) -> Self {
        let mut cells = Vec::new();
        let mut lines = Vec::new();
        for page in &doc.pages {
            for line in &page.lines {
                let line_idx = lines.len();
                let mut idx = Vec::new();
                let mut cur: Option<Cell> = None;
                for w in &line.words {
                    match cur.as_mut() {
                        Some(c) if w.x - c.x1 <= 1.1 * w.font_size.max(c.size) => {
                            c.text.push(' ');
                            c.text.push_str(&w.text);
                            c.x1 = w.right();
                            c.size = c.size.max(w.font_size);
                            c.words.push((w.x, w.right()));
                        }
                        _ => {
                            if let Some(c) = cur.take() {
                                for c in split_joined(c) {
                                    idx.push(cells.len());
                                    cells.push(c);
                                }
                            }
                            cur = Some(Cell {
                                page: page.number,
                                line: line_idx,
                                text: w.text.clone(),
                                norm: String::new(),
                                x0: w.x,
                                x1: w.right(),
                                y: line.y,
                                size: w.font_size,
                                label: None,
                                joined: false,
                                page_height: page.height,
                                words: vec![(w.x, w.right())],
                            });
                        }
                    }
                }
                if let Some(c) = cur.take() {
                    for c in split_joined(c) {
                        idx.push(cells.len());
                        cells.push(c);
                    }
                }
                lines.push(idx);
            }
        }
        for c in &mut cells {
            c.norm = norm(&c.text);
            c.label = match_label(&c.norm);
        }
        let cells = split_label_pairs(cells, &mut lines);
        let mut cells = split_at_party_columns(cells, &mut lines);
        for c in &mut cells {
            if let Some((Kind::To, n)) = c.label {
                let rest = skip_chars(&c.norm, n).trim_start();
                if !(rest.is_empty() || rest.starts_with(':')) {
                    c.label = None;
                }
            }
            // "Lieferant GmbH", "Client SA": a name that starts with a party word.
            if let Some((Kind::Seller | Kind::Buyer | Kind::To | Kind::Payee, n)) = c.label {
                let rest = skip_chars(&c.norm, n).trim();
                if !rest.is_empty() && rest.split_whitespace().all(|w| labels::LEGAL_FORMS.contains(&w)) {
                    c.label = None;
                }
            }
        }
        join_name_labels(&mut cells, &mut lines);
        let (mut mf, mut df, mut dollars) = (false, false, false);
        for c in &cells {
            let (m, d) = text::date_order_hints(&c.text);
            mf |= m;
            df |= d;
            dollars |= c.text.contains('$') || c.text.contains("USD");
        }
        let month_first = !df && (mf || dollars);
        let mut ctx = Ctx { cells, lines, month_first, table_headers: Vec::new() };
        ctx.table_headers = (0..ctx.lines.len()).map(|l| lines::header_row(&ctx, l)).collect();
        ctx
    }

    /// The value candidates of the label cell `i`: the rest of the cell, the next cells on the
    /// line, and the cells below it.
    fn values(&self, i: usize, below: bool) -> Vec<(String, Place, usize)> {
        let c = &self.cells[i];
        let mut out = Vec::new();
        let label_len = c.label.map_or(0, |l| l.1);
        let rest = trim_sep(skip_chars(&c.text, label_len));
        if !rest.is_empty() {
            out.push((rest.to_string(), Place::Same, i));
        }
        for &j in &self.lines[c.line] {
            let o = &self.cells[j];
            if o.x0 > c.x1 {
                if o.label.is_some() {
                    // The next cell is another label: stop looking right.
                    break;
                }
                out.push((trim_sep(&o.text).to_string(), Place::Right, j));
            }
        }
        if below {
            // The next header to the right bounds this label's column.
            let next_x = self.lines[c.line]
                .iter()
                .map(|&j| &self.cells[j])
                .filter(|o| o.x0 > c.x1)
                .map(|o| o.x0)
                .fold(f32::INFINITY, f32::min);
            let mut seen_lines = 0;
            for line in self.lines.iter().skip(c.line + 1) {
                let Some(&first) = line.first() else { continue };
                let f = &self.cells[first];
                if f.page != c.page || c.y - f.y > 4.0 * c.size {
                    break;
                }
                seen_lines += 1;
                if seen_lines > 3 {
                    break;
                }
                // The cells under the label, best aligned first (a header table's value sits
                // under its own column, not under the neighbour's).
                let mut under: Vec<(f32, usize)> = line
                    .iter()
                    .map(|&j| (j, &self.cells[j]))
                    .filter(|(_, o)| o.x0 < c.x1 + c.size && o.x1 > c.x0 - c.size)
                    .map(|(j, o)| ((o.x0 - c.x0).abs().min((o.x1 - c.x1).abs()), j))
                    .collect();
                under.sort_by(|a, b| a.0.total_cmp(&b.0));
                for (_, j) in under {
                    let o = &self.cells[j];
                    if o.label.is_some_and(|(k, _)| k != Kind::Other && k != Kind::Name) {
                        return out;
                    }
                    let text = column_text(o, c, next_x).unwrap_or_else(|| trim_sep(&o.text).to_string());
                    out.push((text, Place::Below, j));
                }
            }
        }
        out
    }

    fn labelled(&self, kinds: &[Kind]) -> impl Iterator<Item = (usize, Kind)> + '_ {
        let kinds = kinds.to_vec();
        self.cells
            .iter()
            .enumerate()
            .filter_map(move |(i, c)| c.label.filter(|(k, _)| kinds.contains(k)).map(|(k, _)| (i, k)))
    }
}

/// The words of `o` that start under the label cell `label`, when `o` spans several columns
/// of a header table ("2025/0582 23-10-2025 06-11-2025" under "Number  Date  Due").
fn column_text(o: &Cell, label: &Cell, next_x: f32) -> Option<String> {
    let texts: Vec<&str> = o.text.split(' ').collect();
    if texts.len() != o.words.len() || texts.len() < 2 {
        return None;
    }
    let picked: Vec<&str> = texts
        .iter()
        .zip(&o.words)
        .filter(|(_, (x0, _))| {
            *x0 >= label.x0 - label.size && *x0 < (label.x1 + label.size).max(next_x - 0.5 * label.size)
        })
        .map(|(t, _)| *t)
        .collect();
    (!picked.is_empty() && picked.len() < texts.len()).then(|| picked.join(" "))
}

/// "Adresse de facturation  Adresse de livraison": two column headers set closer than a cell
/// gap make one cell; when the rest after the first label is a label as a whole, and a gap
/// wider than a word space stands before it, they are two cells.
fn split_label_pairs(cells: Vec<Cell>, lines: &mut [Vec<usize>]) -> Vec<Cell> {
    // Where cells start on each line: a second header set at a word space from the first is
    // still a column when the values under it start where it starts.
    let starts: Vec<Vec<f32>> = lines.iter().map(|l| l.iter().map(|&j| cells[j].x0).collect()).collect();
    let mut out: Vec<Cell> = Vec::with_capacity(cells.len());
    let mut slots: Vec<Option<Cell>> = cells.into_iter().map(Some).collect();
    for (li, line) in lines.iter_mut().enumerate() {
        let mut idx = Vec::with_capacity(line.len());
        for &j in line.iter() {
            let Some(c) = slots.get_mut(j).and_then(Option::take) else { continue };
            let aligned = |x: f32| starts.iter().skip(li + 1).take(3).any(|l| l.iter().any(|&s| (s - x).abs() < 1.0));
            let cuts: Vec<usize> = label_pair_cut(&c, aligned).into_iter().collect();
            for part in cut_cell(c, &cuts) {
                idx.push(out.len());
                out.push(part);
            }
        }
        *line = idx;
    }
    out
}

/// Where a cell of two labels is cut: after the first label, when the rest is a label as a
/// whole and stands apart (a gap wider than a word space, or values under it starting where it
/// starts).
fn label_pair_cut(c: &Cell, aligned: impl Fn(f32) -> bool) -> Option<usize> {
    let (_, n) = c.label?;
    let words: Vec<&str> = c.text.split(' ').collect();
    if words.len() != c.words.len() || words.len() < 2 {
        return None;
    }
    // The label must end at a word's end.
    if c.norm.chars().nth(n).is_some_and(|ch| ch != ' ') {
        return None;
    }
    let label_words: String = c.norm.chars().take(n).collect();
    let m = label_words.split(' ').filter(|w| !w.is_empty()).count();
    if m == 0 || m >= words.len() {
        return None;
    }
    let apart = c.words[m].0 - c.words[m - 1].1 >= 0.45 * c.size || aligned(c.words[m].0);
    let rest_norm = norm(&words[m..].join(" "));
    let (_, n2) = match_label(&rest_norm)?;
    (apart && n2 >= rest_norm.trim_end_matches(':').trim_end().chars().count()).then_some(m)
}

/// "07/01/2024 Vulcan Studio UG" under "Invoice date … | Billing address": a value set right
/// against the next column runs into that column's first line. A word that starts exactly
/// where a party label above starts (within a point) begins a cell of its own.
fn split_at_party_columns(cells: Vec<Cell>, lines: &mut [Vec<usize>]) -> Vec<Cell> {
    // Party labels, and the address headers beside them ("Delivery address", "Lieferadresse").
    let address = |n: &str| ["adres", "address", "livraison", "ship to", "deliver"].iter().any(|w| n.contains(w));
    let columns: Vec<(usize, usize, f32)> = cells
        .iter()
        .filter(|c| {
            c.label.is_some_and(|(k, _)| {
                matches!(k, Kind::Seller | Kind::Buyer | Kind::To | Kind::Payee) || k == Kind::Other && address(&c.norm)
            })
        })
        .map(|c| (c.page, c.line, c.x0))
        .collect();
    if columns.is_empty() {
        return cells;
    }
    let mut out: Vec<Cell> = Vec::with_capacity(cells.len());
    let mut slots: Vec<Option<Cell>> = cells.into_iter().map(Some).collect();
    for (li, line) in lines.iter_mut().enumerate() {
        let mut idx = Vec::with_capacity(line.len());
        for &j in line.iter() {
            let Some(c) = slots.get_mut(j).and_then(Option::take) else { continue };
            let words = c.text.split(' ').count();
            let cuts: Vec<usize> = if words == c.words.len() && c.label.is_none() {
                (1..words)
                    .filter(|&k| {
                        columns.iter().any(|&(page, line, x)| {
                            page == c.page && line < li && li <= line + 4 && (c.words[k].0 - x).abs() < 1.0
                        })
                    })
                    .collect()
            } else {
                Vec::new()
            };
            for part in cut_cell(c, &cuts) {
                idx.push(out.len());
                out.push(part);
            }
        }
        *line = idx;
    }
    out
}

/// Cuts a cell before each of the words `cuts` (ascending, within the cell, positions known).
fn cut_cell(c: Cell, cuts: &[usize]) -> Vec<Cell> {
    if cuts.is_empty() {
        return vec![c];
    }
    let words: Vec<&str> = c.text.split(' ').collect();
    let mut bounds = vec![0];
    bounds.extend_from_slice(cuts);
    bounds.push(words.len());
    bounds
        .windows(2)
        .map(|w| {
            let (from, to) = (w[0], w[1]);
            let mut part = c.clone();
            part.text = words[from..to].join(" ");
            part.norm = norm(&part.text);
            part.x0 = c.words[from].0;
            part.x1 = c.words[to - 1].1;
            part.words = c.words[from..to].to_vec();
            part.label = match_label(&part.norm);
            part
        })
        .collect()
}

/// "Firmenname (BT-27):  Acme GmbH" in two columns, as e-invoice viewers print a party: the
/// name label takes the value to its right into its own cell, as if printed "Name: Acme GmbH".
fn join_name_labels(cells: &mut [Cell], lines: &mut [Vec<usize>]) {
    for li in 0..lines.len() {
        let mut k = 0;
        while k + 1 < lines[li].len() {
            let (i, j) = (lines[li][k], lines[li][k + 1]);
            let Some((Kind::Name, n)) = cells[i].label else {
                k += 1;
                continue;
            };
            let rest = trim_sep(skip_chars(&cells[i].text, n));
            // Only a bracketed note (a business-term id) may stand between label and value.
            let bare = rest.is_empty()
                || rest.starts_with('(') && rest.trim_end_matches(':').trim_end().ends_with(')') && rest.len() <= 16;
            let o = &cells[j];
            if !bare || o.label.is_some() || o.text.trim().is_empty() || o.x0 - cells[i].x1 > 40.0 * cells[i].size {
                k += 1;
                continue;
            }
            let label: String = cells[i].text.chars().take(n).collect();
            let mut text = format!("{label}: {}", o.text);
            let (x0, mut x1, mut y, size) = (o.x0, o.x1, o.y, o.size);
            cells[j].text.clear();
            cells[j].norm.clear();
            lines[li].remove(k + 1);
            // A long name wraps in its column: the lines under the value, while nothing stands
            // in the label's column.
            for lj in li + 1..(li + 3).min(lines.len()) {
                let label_x = cells[i].x0;
                let Some(pos) = lines[lj].iter().position(|&m| (cells[m].x0 - x0).abs() < 0.6 * size) else { break };
                let m = lines[lj][pos];
                let c = &cells[m];
                let label_column_used =
                    lines[lj].iter().any(|&q| cells[q].x0 >= label_x - size && cells[q].x0 < x0 - size);
                // A wrapped name may hold a label word ("LE / FOURNISSEUR"); a label ends in ':'.
                let labelled = c.label.is_some()
                    && (c.text.trim_end().ends_with(':')
                        || c.label.is_some_and(|(_, n)| !trim_sep(skip_chars(&c.text, n)).is_empty()));
                if label_column_used || labelled || c.page != cells[i].page || y - c.y > 1.6 * size {
                    break;
                }
                text.push(' ');
                text.push_str(&c.text);
                x1 = x1.max(c.x1);
                y = c.y;
                cells[m].text.clear();
                cells[m].norm.clear();
                lines[lj].remove(pos);
            }
            let c = &mut cells[i];
            c.norm = norm(&text);
            c.text = text;
            c.x1 = x1;
            c.words.clear();
            k += 1;
        }
    }
}

/// A scored candidate.
#[derive(Debug, Clone)]
struct Cand<T> {
    value: T,
    score: i32,
    /// Reading order: larger is later in the document.
    order: usize,
    cell: usize,
}

fn best<T: Clone>(cands: &[Cand<T>]) -> Option<&Cand<T>> {
    cands.iter().max_by(|a, b| a.score.cmp(&b.score).then(b.order.cmp(&a.order)))
}

/// Extracts the invoice fields.
pub(crate) fn extract_fields(doc: &TextDocument, own: &OwnParty, today: Date) -> ExtractedInvoice {
    let ctx = Ctx::new(doc);
    let mut inv = ExtractedInvoice::empty(ExtractionMethod::PdfText);

    inv.kind = Some(Extracted::new(document_kind(&ctx), pct(70)));
    inv.invoice_number = invoice_number(&ctx);
    let issue = dates(&ctx, &[Kind::IssueDate]);
    inv.issue_date = issue.clone().or_else(|| fallback_issue_date(&ctx));
    inv.due_date = dates(&ctx, &[Kind::DueDate]);
    let (terms, due_from_terms) = payment_terms(&ctx, inv.issue_date.as_ref().map(|d| d.value), today);
    inv.payment_terms = terms;
    if inv.due_date.is_none() {
        inv.due_date = due_in_terms(&ctx).or(due_from_terms);
    }
    let per_rate = amounts(&ctx, &mut inv);
    lines::lines(&ctx, &per_rate, &mut inv);
    inv.payment_reference = payment_reference(&ctx);
    parties(&ctx, own, &mut inv);
    inv
}

fn document_kind(ctx: &Ctx) -> DocumentKind {
    let credit = ["credit note", "creditnota", "note de credit", "gutschrift", "credit nota"];
    let head = ctx.cells.iter().take(60);
    for c in head {
        if credit.iter().any(|w| c.norm.starts_with(w)) {
            return DocumentKind::CreditNote;
        }
        // "Avoir" (French) as a title or a number label, not the verb in a sentence.
        let n = c.norm.trim();
        if n == "avoir" || n.starts_with("avoir n") || n.starts_with("facture d'avoir") {
            return DocumentKind::CreditNote;
        }
    }
    DocumentKind::Invoice
}

#[cfg(test)]
mod tests {
    use super::parties::*;
    use super::references::*;
    use super::*;
    use std::str::FromStr;

    use bigdecimal::BigDecimal;
    use billify_domain::Currency;

    #[test]
    fn ibans_and_vats_validate() {
        let ib = ibans_in("IBAN: BE71 0018 6092 2869 BIC GEBABEBB");
        assert_eq!(ib.len(), 1);
        assert_eq!(ib[0].0.as_str(), "BE71001860922869");
        assert!(ibans_in("BE71 0018 6092 2868").is_empty());
        let v = vats_in("BE 0628.719.851", false, &[]);
        assert_eq!(v[0].as_str(), "BE0628719851");
        assert!(vats_in("BE 0628.719.852", false, &[]).is_empty());
        assert_eq!(vats_in("BTW: 0662.970.353", true, &[])[0].as_str(), "BE0662970353");
        assert!(vats_in("IBAN BE71 0018 6092 2869", false, &ibans_in("IBAN BE71 0018 6092 2869")).is_empty());
    }

    fn doc(lines: &[&[(&str, f32)]]) -> TextDocument {
        use crate::{TextLine, TextPage, TextWord};
        let lines = lines
            .iter()
            .enumerate()
            .map(|(i, words)| {
                let y = 800.0 - 14.0 * i as f32;
                let words = words
                    .iter()
                    .flat_map(|(text, x)| {
                        let mut x = *x;
                        text.split(' ')
                            .map(|w| {
                                let width = 5.0 * w.chars().count() as f32;
                                let word = TextWord { text: w.into(), x, y, width, font_size: 10.0 };
                                x += width + 2.5;
                                word
                            })
                            .collect::<Vec<_>>()
                    })
                    .collect();
                TextLine { y, words }
            })
            .collect();
        TextDocument { pages: vec![TextPage { number: 1, width: 595.0, height: 842.0, lines }] }
    }

    #[test]
    fn two_label_value_pairs_on_one_line_stay_apart() {
        let d = doc(&[
            &[("Subtotal", 50.0), ("100,00", 150.0), ("VAT 21%", 300.0), ("21,00", 400.0)],
            &[("Total", 300.0), ("121,00 EUR", 400.0)],
        ]);
        let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
        assert_eq!(inv.subtotal.unwrap().value, BigDecimal::from(100));
        assert_eq!(inv.vat_amount.unwrap().value, BigDecimal::from(21));
        assert_eq!(inv.total.unwrap().value, BigDecimal::from(121));
        assert_eq!(inv.currency.unwrap().value, Currency::EUR);
    }

    #[test]
    fn a_total_with_its_vat_in_brackets_and_a_subtotal_before_shipping() {
        let d = doc(&[
            &[("Zwischensumme", 50.0), ("100,00 EUR", 300.0)],
            &[("Versand", 50.0), ("10,00 EUR", 300.0)],
            &[("Zwischensumme netto", 50.0), ("110,00 EUR", 300.0)],
            &[("Gesamtsumme", 50.0), ("130,90 EUR (enthält 20,90 EUR MwSt.)", 300.0)],
        ]);
        let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
        assert_eq!(inv.total.unwrap().value, BigDecimal::from_str("130.90").unwrap());
        assert_eq!(inv.vat_amount.unwrap().value, BigDecimal::from_str("20.90").unwrap());
        assert_eq!(inv.subtotal.unwrap().value, BigDecimal::from(110));
    }

    #[test]
    fn the_total_row_of_a_vat_summary_gives_net_and_vat_by_column() {
        let d = doc(&[
            &[("VAT rate", 50.0), ("Item subtotal (excl. VAT)", 150.0), ("VAT", 400.0)],
            &[("20%", 50.0), ("100,00", 300.0), ("20,00", 420.0)],
            &[("Total", 50.0), ("100,00", 300.0), ("20,00", 420.0)],
            &[("Invoice total", 300.0), ("120,00 EUR", 420.0)],
        ]);
        let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
        assert_eq!(inv.subtotal.unwrap().value, BigDecimal::from(100));
        assert_eq!(inv.vat_amount.unwrap().value, BigDecimal::from(20));
        assert_eq!(inv.total.unwrap().value, BigDecimal::from(120));
    }

    #[test]
    fn a_customer_number_label_is_no_buyer_name() {
        let d = doc(&[
            &[("Rechnung an", 50.0)],
            &[("Muster GmbH", 50.0)],
            &[("Hauptstraße 1", 50.0)],
            &[("10115 Berlin", 50.0)],
            &[("Kunde Nr. 4711", 50.0)],
        ]);
        let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
        assert_eq!(inv.buyer.name.unwrap().value, "Muster GmbH");
        let d = doc(&[&[("Kunde Nr. 4711", 50.0)], &[("Client no 12345", 50.0)]]);
        let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
        assert!(inv.buyer.name.is_none(), "{:?}", inv.buyer.name);
    }

    #[test]
    fn payment_terms_from_the_issue_date_or_today() {
        let d = doc(&[&[("Factuurdatum: 31/01/2024", 50.0)], &[("Betaling binnen 30 dagen einde maand", 50.0)]]);
        let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
        assert_eq!(inv.payment_terms.unwrap().value, "30 dagen einde maand");
        assert_eq!(inv.due_date.unwrap().value, time::macros::date!(2024 - 03 - 31));
        let d = doc(&[&[("Paiement à 15 jours", 50.0)]]);
        let inv = extract_fields(&d, &OwnParty::default(), time::macros::date!(2024 - 06 - 01));
        assert_eq!(inv.due_date.unwrap().value, time::macros::date!(2024 - 06 - 16));
        assert_eq!(inv.payment_terms.unwrap().value, "à 15 jours");
    }

    #[test]
    fn lines_that_do_not_add_up_to_the_subtotal_are_less_sure() {
        let table = |second: &str| {
            let d = doc(&[
                &[("Description", 50.0), ("Qty", 250.0), ("Unit price", 300.0), ("Amount", 420.0)],
                &[("Consulting", 50.0), ("2", 255.0), ("50,00", 300.0), ("100,00", 420.0)],
                &[("Travel", 50.0), ("1", 255.0), (second, 300.0), (second, 420.0)],
                &[("Subtotal", 300.0), ("150,00", 420.0)],
                &[("VAT 21%", 300.0), ("31,50", 420.0)],
                &[("Total", 300.0), ("181,50", 420.0)],
            ]);
            extract_fields(&d, &OwnParty::default(), Date::MIN)
        };
        let inv = table("50,00");
        assert_eq!(inv.lines.len(), 2);
        assert_eq!(inv.lines[0].quantity, Some(BigDecimal::from(2)));
        assert_eq!(inv.lines[0].unit_price, Some(BigDecimal::from(50)));
        let sum = inv.line_total.unwrap();
        assert_eq!((sum.value, sum.confidence), (BigDecimal::from(150), pct(90)));
        assert_eq!(inv.vat_breakdown.len(), 1);
        let inv = table("40,00");
        assert_eq!(inv.lines.len(), 2);
        let sum = inv.line_total.unwrap();
        assert_eq!((sum.value, sum.confidence), (BigDecimal::from(140), pct(50)));
        assert!(inv.vat_breakdown.is_empty());
    }

    #[test]
    fn header_words_set_close_are_one_header_and_apart_two() {
        // "VAT amount" (a word space) is no line amount; "VAT" and "Amount" a column apart are
        // the rate and the amount. "Total (excl. tax)" is one header, not a total and a tax.
        let d = doc(&[
            &[("Item", 50.0), ("Qty", 250.0), ("VAT", 300.0), ("Amount", 340.0), ("VAT amount", 420.0)],
            &[("Widget", 50.0), ("3", 255.0), ("21%", 300.0), ("30,00", 340.0), ("6,30", 420.0)],
        ]);
        let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
        assert_eq!(inv.lines.len(), 1);
        assert_eq!(inv.lines[0].line_total, BigDecimal::from(30));
        assert_eq!(inv.lines[0].vat_rate, Some(BigDecimal::from(21)));
        let d = doc(&[
            &[("Description VAT", 50.0), ("Qty Total (excl. tax)", 250.0)],
            &[("Widget", 50.0), ("20%", 110.0), ("3", 250.0), ("30.00", 330.0)],
        ]);
        let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
        assert_eq!(inv.lines.len(), 1);
        assert_eq!(inv.lines[0].line_total, BigDecimal::from(30));
    }

    #[test]
    fn a_line_amount_with_vat_gives_the_net_amount_from_the_unit_price() {
        let d = doc(&[
            &[
                ("Description", 50.0),
                ("Qty", 150.0),
                ("Unit price (excl. VAT)", 180.0),
                ("Item subtotal (incl. VAT)", 400.0),
            ],
            &[("USB-C dock", 50.0), ("4", 150.0), ("€613,14", 240.0), ("€2.869,50", 470.0)],
        ]);
        let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
        assert_eq!(inv.lines.len(), 1);
        assert_eq!(inv.lines[0].line_total, BigDecimal::from_str("2452.56").unwrap());
    }

    #[test]
    fn a_price_column_alone_is_the_line_amount_and_shipping_below_a_line() {
        let d = doc(&[
            &[("Product", 50.0), ("Quantity", 250.0), ("Price", 400.0)],
            &[("Translation", 50.0), ("8", 260.0), ("8.252,00 EUR", 400.0)],
            &[("Workshop day", 50.0), ("4", 260.0), ("4.454,80 EUR", 400.0)],
            &[("Subtotal", 300.0), ("12.706,80 EUR", 400.0)],
            &[("Shipping", 300.0), ("13,48 EUR", 400.0)],
            &[("Total excl. VAT", 300.0), ("12.720,28 EUR", 400.0)],
        ]);
        let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
        let got: Vec<(&str, String)> =
            inv.lines.iter().map(|l| (l.description.as_str(), l.line_total.to_string())).collect();
        assert_eq!(
            got,
            [("Translation", "8252.00".into()), ("Workshop day", "4454.80".into()), ("Shipping", "13.48".into())]
        );
    }

    #[test]
    fn two_address_headers_set_close_are_two_labels() {
        // Three columns: details, billing address, delivery address; the two address headers
        // closer than a cell gap.
        let d = doc(&[
            &[("Invoice details", 50.0), ("Billing address", 300.0), ("Delivery address", 380.0)],
            &[("Invoice date: 28/11/2024", 50.0), ("Vulcan Systems SRL", 300.0), ("Vulcan Systems SRL", 400.0)],
            &[("Invoice #: NL5CPJT38886", 50.0), ("Meirbrug 239", 300.0), ("Meirbrug 239", 400.0)],
            &[("1000 Bruxelles", 300.0), ("1000 Bruxelles", 400.0)],
        ]);
        let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
        assert_eq!(inv.buyer.name.map(|n| n.value).as_deref(), Some("Vulcan Systems SRL"));
    }

    #[test]
    fn a_name_run_into_from_the_next_column_and_wrapped_in_its_own() {
        for (name, second, want) in [
            ("Vulcan Studio UG", "(haftungsbeschränkt)", "Vulcan Studio UG (haftungsbeschränkt)"),
            ("Bloc Digital GmbH & Co.", "KG", "Bloc Digital GmbH & Co. KG"),
        ] {
            // The date set right against the address column runs into the buyer's name.
            let d = doc(&[
                &[("Invoice details", 50.0), ("Billing address", 262.5), ("Delivery address", 400.0)],
                &[("Invoice date:", 50.0), ("07/01/2024", 210.0), (name, 262.5), (name, 400.0)],
                &[(second, 262.5), (second, 400.0)],
                &[("Invoice #: IT5ESGJ71545", 50.0), ("Lindenallee 161", 262.5), ("Lindenallee 161", 400.0)],
                &[("50667 Köln", 262.5), ("50667 Köln", 400.0)],
            ]);
            let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
            assert_eq!(inv.buyer.name.map(|n| n.value).as_deref(), Some(want));
        }
    }

    #[test]
    fn address_headers_at_a_word_space_and_names_run_together() {
        // The two headers a word space apart, the values under the second starting where it
        // starts.
        let d = doc(&[
            &[("Invoice details", 50.0), ("Billing address Delivery address", 300.0)],
            &[("Invoice date: 28/11/2024", 50.0), ("Helix Partners SAS", 300.0), ("Helix Partners SAS", 375.0)],
            &[("Meirbrug 239", 300.0), ("Meirbrug 239", 375.0)],
            &[("1000 Bruxelles", 300.0), ("1000 Bruxelles", 375.0)],
        ]);
        let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
        assert_eq!(inv.buyer.name.map(|n| n.value).as_deref(), Some("Helix Partners SAS"));
        // A date, the billing name and the delivery name run together in one cell.
        let d = doc(&[
            &[("Invoice details", 50.0), ("Billing address", 262.5), ("Delivery address", 350.0)],
            &[("Invoice date:", 50.0), ("07/01/2024 Vulcan Systems SRL Vulcan Systems SRL", 210.0)],
            &[("Meirbrug 239", 262.5), ("Meirbrug 239", 350.0)],
            &[("1000 Bruxelles", 262.5), ("1000 Bruxelles", 350.0)],
        ]);
        let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
        assert_eq!(inv.buyer.name.map(|n| n.value).as_deref(), Some("Vulcan Systems SRL"));
    }

    #[test]
    fn a_vat_label_broken_over_two_lines_labels_the_number() {
        // LU numbers are checked for shape only, so they need a label.
        for (first, second) in [
            (
                "Service provider: Tandem S.A., 50 avenue J. F. Kennedy, L-1855 Luxembourg · VAT",
                "Registration Number: LU25962778",
            ),
            (
                "Service provider: Tandem S.A., 50 avenue J. F. Kennedy, L-1855 Luxembourg · VAT Registration",
                "Number: LU25962778",
            ),
        ] {
            let d = doc(&[&[(first, 50.0)], &[(second, 50.0)]]);
            let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
            assert_eq!(inv.seller.vat_number.map(|v| v.value.as_str().to_string()).as_deref(), Some("LU25962778"));
        }
        let d = doc(&[&[("Tandem S.A., L-1855 Luxembourg", 50.0)], &[("Number: LU25962778", 50.0)]]);
        let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
        assert!(inv.seller.vat_number.is_none());
    }

    #[test]
    fn a_due_date_with_the_month_first_after_due_on() {
        let d = doc(&[&[("Invoice Date: Jul 24, 2024", 50.0)], &[("TOTAL AMOUNT DUE ON AUG 7, 2024", 300.0)]]);
        let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
        assert_eq!(inv.due_date.unwrap().value, time::macros::date!(2024 - 08 - 07));
    }

    #[test]
    fn a_price_column_alone_of_unit_prices() {
        // "Price" is per unit here: quantity × price adds up to the subtotal, the prices do not.
        let d = doc(&[
            &[("Product", 50.0), ("Quantity", 250.0), ("Price", 400.0)],
            &[("Desk", 50.0), ("2", 260.0), ("100,00", 400.0)],
            &[("Coffee", 50.0), ("3", 260.0), ("10,00", 400.0)],
            &[("Subtotal", 300.0), ("230,00", 400.0)],
            &[("VAT 21%", 300.0), ("48,30", 400.0)],
            &[("Total", 300.0), ("278,30", 400.0)],
        ]);
        let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
        let got: Vec<(String, String)> = inv
            .lines
            .iter()
            .map(|l| (l.unit_price.as_ref().map(ToString::to_string).unwrap_or_default(), l.line_total.to_string()))
            .collect();
        assert_eq!(got, [("100.00".into(), "200.00".into()), ("10.00".into(), "30.00".into())]);
        assert_eq!(inv.line_total.unwrap().confidence, pct(90));
    }

    #[test]
    fn lines_with_the_shipping_correct_a_subtotal_of_the_goods() {
        let d = doc(&[
            &[("Product", 50.0), ("Quantity", 250.0), ("Price", 400.0)],
            &[("Desk", 50.0), ("1", 260.0), ("100,00", 400.0)],
            &[("Coffee", 50.0), ("1", 260.0), ("50,00", 400.0)],
            &[("Subtotal", 300.0), ("150,00", 400.0)],
            &[("Shipping", 300.0), ("10,00", 400.0)],
            &[("VAT 21%", 300.0), ("23,10", 400.0)],
            &[("VAT 6%", 300.0), ("3,00", 400.0)],
            &[("Total", 300.0), ("186,10", 400.0)],
        ]);
        let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
        assert_eq!(inv.lines.len(), 3);
        assert_eq!(inv.subtotal.unwrap().value, BigDecimal::from(160));
        assert_eq!(inv.line_total.unwrap().confidence, pct(90));
    }

    #[test]
    fn lines_printed_as_blocks_of_labelled_values() {
        let d = doc(&[
            &[("Rechnungspositionen", 50.0)],
            &[("Position 1", 50.0)],
            &[("Artikelname:", 50.0), ("Seminar", 250.0)],
            &[("Menge:", 50.0), ("5", 250.0)],
            &[("Preis pro Einheit (netto):", 50.0), ("1.340,00", 250.0)],
            &[("Umsatzsteuersatz in %:", 50.0), ("19", 250.0)],
            &[("Gesamtpreis (netto):", 50.0), ("6.700,00", 250.0)],
            &[("Position 2", 50.0)],
            &[("Artikelname:", 50.0), ("Raumkosten", 250.0)],
            &[("Gesamtpreis (netto):", 50.0), ("1.500,00", 250.0)],
            &[("Gesamtbeträge der Rechnung", 50.0)],
            &[("Gesamtsumme netto:", 50.0), ("8.200,00", 250.0)],
        ]);
        let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
        let got: Vec<(&str, String)> =
            inv.lines.iter().map(|l| (l.description.as_str(), l.line_total.to_string())).collect();
        assert_eq!(got, [("Seminar", "6700.00".into()), ("Raumkosten", "1500.00".into())]);
        assert_eq!(inv.lines[0].quantity, Some(BigDecimal::from(5)));
        assert_eq!(inv.lines[0].vat_rate, Some(BigDecimal::from(19)));
        assert_eq!(inv.line_total.unwrap().confidence, pct(90));
    }

    #[test]
    fn a_number_cut_at_a_dash_by_its_column_runs_on_below() {
        let d = doc(&[
            &[("RECHNUNG", 50.0)],
            &[("Willow Systems UG", 50.0), ("Rechnungsnummer:WC-2025-", 380.0)],
            &[("Bahnhofstr. 98", 50.0), ("07237", 460.0)],
            &[("Rechnungsdatum: 10. Mai 2025", 380.0)],
        ]);
        let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
        assert_eq!(inv.invoice_number.unwrap().value, "WC-2025-07237");
    }

    #[test]
    fn an_item_named_shipping_something_is_no_shipping_line() {
        let d = doc(&[
            &[("Beschrijving", 50.0), ("Aantal", 250.0), ("Bedrag", 400.0)],
            &[("Shipping materials", 50.0), ("10", 260.0), ("91,10", 400.0)],
            &[("Subtotaal", 300.0), ("91,10", 400.0)],
            &[("Verzending", 300.0), ("4,90", 400.0)],
            &[("Totaal excl. btw", 300.0), ("96,00", 400.0)],
        ]);
        let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
        let got: Vec<&str> = inv.lines.iter().map(|l| l.description.as_str()).collect();
        assert_eq!(got, ["Shipping materials", "Verzending"]);
    }

    #[test]
    fn invoice_numbers() {
        assert_eq!(parse_invoice_number("INV-SO-2023-2812").as_deref(), Some("INV-SO-2023-2812"));
        assert_eq!(parse_invoice_number("# 2024/0012").as_deref(), Some("2024/0012"));
        assert_eq!(parse_invoice_number("Date"), None);
        assert_eq!(parse_invoice_number("01/04/2023"), None);
        assert_eq!(parse_invoice_number("1.234,56"), None);
        assert_eq!(parse_invoice_number("00.123.456.7-2018-1").as_deref(), Some("00.123.456.7-2018-1"));
    }
}
