//! Template-free field extraction from positioned text.
//!
//! The text is cut into *cells*: runs of words on one line without a wide gap. A cell that
//! starts with a known label (see [`labels`]) takes its value from the rest of the cell, from
//! the next cell to its right, or from the cell below it. Candidates are scored by where the
//! value was found and how specific the label is; amounts are then chosen as a set, preferring
//! subtotal + VAT = total exactly; identifiers must pass the domain types' checksums.

mod amount_labels;
mod amount_tables;
mod amounts;
mod countries;
mod currency;
mod dates;
mod document_kind;
mod kind;
mod labels;
mod labels_europe;
mod labels_europe_more;
mod labels_software;
mod legal_forms;
mod line_blocks;
mod line_columns;
mod line_headers;
mod line_rows;
mod lines;
mod lines_summed;
mod national_vat;
mod parties;
mod prose;
mod receipt;
mod references;
mod text;

use amounts::amounts;
use dates::{dates, debit_date, due_in_schedule, due_in_terms, fallback_issue_date, payment_terms, title_date};
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
    /// The width of the cell's page.
    page_width: f32,
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
    /// Whether each line is the header row of a table of lines (see [`line_columns::is_table_header`]).
    table_headers: Vec<bool>,
}

/// Separators that join the parts of a footer or sender line
/// (`Name · Street · VAT … · IBAN …`).
const JOINERS: &[&str] = &[" · ", " | ", " • ", " – ", " − ", " - ", " ¦ ", " / "];

/// Splits a cell whose text is three or more parts joined by one separator into one cell per
/// part, with x positions estimated from the character offsets.
fn split_joined(c: Cell) -> Vec<Cell> {
    let footer_commas = comma_footer(&c);
    for sep in JOINERS.iter().chain(footer_commas.then_some(&", ")) {
        // "Name a.G. · Musterstr. 12 ·" / "12345 Musterstadt": a sender line wrapped after a
        // dot, bar or bullet is joined parts too.
        let body = [" · ", " | ", " • "]
            .contains(sep)
            .then(|| c.text.trim_end().strip_suffix(sep.trim_end()))
            .flatten()
            .unwrap_or(&c.text);
        let wrapped = body.len() < c.text.len();
        let parts: Vec<&str> = body.split(sep).collect();
        // "Uitgegeven op 04-06-2024 · Vervalt op 18-06-2024": two labelled dates on one line.
        let two_dates = parts.len() == 2
            && [" · ", " | ", " • "].contains(sep)
            && parts.iter().all(|p| p.chars().any(char::is_alphabetic) && text::find_date(p).is_some());
        if parts.len() < if wrapped || two_dates { 2 } else { 3 } || parts.iter().any(|p| p.trim().is_empty()) {
            continue;
        }
        // A separator inside brackets joins nothing ("Team plan - 5 seats (Apr 1 - Apr 28)").
        if parts.iter().any(|p| p.matches('(').count() != p.matches(')').count()) {
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
            cell.joined = !two_dates;
            cell.words.clear();
            out.push(cell);
            offset += len + sep.chars().count();
        }
        return out;
    }
    vec![c]
}

/// A page footer naming the company and its address with commas ("Zenith Trading SRL,
/// Bijlokevest 24, 8500 Courtrai"): its first part a company with its legal form, its last a
/// postcode or house number with a town. Commas elsewhere join nothing.
fn comma_footer(c: &Cell) -> bool {
    let parts: Vec<&str> = c.text.split(", ").collect();
    c.height_share() < 0.12
        && parts.len() >= 3
        && parts.first().is_some_and(|p| parties::has_legal_form(p) && !p.chars().any(|ch| ch.is_ascii_digit()))
        && parts.last().is_some_and(|p| parties::address_like(p))
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
                    // A gap of over a space where the type size changes ("Acme S.L." in 14 pt,
                    // then the buyer's name in 8 pt on its baseline) parts two cells.
                    let parted = |c: &Cell| {
                        let small = w.font_size.min(c.size);
                        w.font_size.max(c.size) > 1.3 * small && w.x - c.x1 > 0.8 * small
                    };
                    match cur.as_mut() {
                        Some(c) if w.x - c.x1 <= 1.1 * w.font_size.max(c.size) && !parted(c) => {
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
                                page_width: page.width,
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
        // The body text's type size: the median of the cells'.
        let mut sizes: Vec<f32> = cells.iter().map(|c| c.size).collect();
        sizes.sort_by(f32::total_cmp);
        let body_size = sizes.get(sizes.len() / 2).copied().unwrap_or(0.0);
        for c in &mut cells {
            if let Some((Kind::To, n)) = c.label {
                let rest = skip_chars(&c.norm, n).trim_start();
                if !(rest.is_empty() || rest.starts_with(':')) {
                    c.label = None;
                }
            }
            // "Lieferant GmbH", "Client SA": a name that starts with a party word; so is one in a
            // letterhead's large type without a colon ("SUPPLIER DIRECT" over the address).
            if let Some((Kind::Seller | Kind::Buyer | Kind::To | Kind::Payee, n)) = c.label {
                let rest = skip_chars(&c.norm, n).trim();
                let letterhead = c.size >= 1.4 * body_size && !rest.is_empty() && !rest.starts_with(':');
                // "Lieferant GmbH & Co. KG": a compound legal form's joining words too.
                let form_word = |w: &str| labels::LEGAL_FORMS.contains(&w) || ["&", "co.", "co", "+"].contains(&w);
                if !rest.is_empty() && rest.split_whitespace().all(form_word) || letterhead {
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
        // An Australian, Canadian, ... dollar page writes its dates day first.
        let dollars = dollars && text::dollar_country(cells.iter().map(|c| c.norm.as_str())).is_none();
        let month_first = !df && (mf || dollars);
        let mut ctx = Ctx { cells, lines, month_first, table_headers: Vec::new() };
        ctx.table_headers = (0..ctx.lines.len()).map(|l| line_columns::header_row(&ctx, l)).collect();
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
        if out.is_empty()
            && !self.lines[c.line].iter().any(|&j| self.cells[j].x0 > c.x1)
            && let Some((text, j)) = self.straddling(i)
        {
            out.push((text, Place::Right, j));
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
                // "Rechnungsnummer" / "471102" set right-aligned at the block's right edge on the
                // next line: a label alone on its line, the one cell right of it just below.
                let party = c.label.is_some_and(|(k, _)| {
                    matches!(k, Kind::Seller | Kind::Buyer | Kind::To | Kind::Payee | Kind::Name)
                });
                if seen_lines == 1
                    && under.is_empty()
                    && next_x.is_infinite()
                    && !party
                    && rest.is_empty()
                    // A large amount under a small label ("Total due" / "36867.08 USD"): the
                    // gap is the larger type's.
                    && c.y - f.y <= 1.5 * c.size.max(f.size.min(3.0 * c.size))
                {
                    let right: Vec<usize> = line.iter().copied().filter(|&j| self.cells[j].x0 > c.x1).collect();
                    if let [j] = right[..]
                        && self.cells[j].label.is_none()
                    {
                        out.push((trim_sep(&self.cells[j].text).to_string(), Place::Below, j));
                    }
                }
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

    /// A value wrapped over two lines beside its label, the label set at their middle (a table
    /// cell centred vertically: "Date de facture :" beside "15 décembre" / "2009"): the lines
    /// just above and below the label's, right of it and starting in one column, joined.
    fn straddling(&self, i: usize) -> Option<(String, usize)> {
        let c = &self.cells[i];
        let near = |l: usize| {
            self.lines.get(l)?.iter().copied().find(|&j| {
                let o = &self.cells[j];
                o.page == c.page
                    && o.x0 > c.x1
                    && o.x0 - c.x1 < 12.0 * c.size
                    && (o.y - c.y).abs() <= 0.9 * c.size
                    && o.label.is_none()
            })
        };
        let above = (c.line.saturating_sub(2)..c.line).rev().find_map(near)?;
        let below = (c.line + 1..c.line + 3).find_map(near)?;
        let (a, b) = (&self.cells[above], &self.cells[below]);
        ((a.x0 - b.x0).abs() < 0.5 * c.size && a.y > c.y && b.y < c.y)
            .then(|| (format!("{} {}", trim_sep(&a.text), trim_sep(&b.text)), above))
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
    recut(cells, lines, |li, c| {
        let aligned = |x: f32| starts.iter().skip(li + 1).take(3).any(|l| l.iter().any(|&s| (s - x).abs() < 1.0));
        label_pair_cut(c, aligned)
    })
}

/// Cuts every cell where `cuts` (given the cell's line index) says, and renumbers the lines'
/// cell indices to the cells that result.
fn recut(cells: Vec<Cell>, lines: &mut [Vec<usize>], mut cuts: impl FnMut(usize, &Cell) -> Vec<usize>) -> Vec<Cell> {
    let mut out: Vec<Cell> = Vec::with_capacity(cells.len());
    let mut slots: Vec<Option<Cell>> = cells.into_iter().map(Some).collect();
    for (li, line) in lines.iter_mut().enumerate() {
        let mut idx = Vec::with_capacity(line.len());
        for &j in line.iter() {
            let Some(c) = slots.get_mut(j).and_then(Option::take) else { continue };
            let at = cuts(li, &c);
            for part in cut_cell(c, &at) {
                idx.push(out.len());
                out.push(part);
            }
        }
        *line = idx;
    }
    out
}

/// Where a cell of labels is cut: after each label, when what follows is labels to the end
/// ("Invoice Date  Due Date", or a whole header row "Factuurnummer  Factuurdatum  Vervaldatum
/// Uw referentie", as LibreOffice sets a table's header cells closer than a cell gap) and each
/// stands apart (a gap wider than a word space, or values under it starting where it starts).
fn label_pair_cut(c: &Cell, aligned: impl Fn(f32) -> bool) -> Vec<usize> {
    if c.label.is_none() {
        return Vec::new();
    }
    let words: Vec<&str> = c.text.split(' ').collect();
    if words.len() != c.words.len() || words.len() < 2 {
        return Vec::new();
    }
    let mut cuts = Vec::new();
    let mut at = 0;
    loop {
        let rest_norm = norm(&words[at..].join(" "));
        let Some((_, n)) = match_label(&rest_norm) else { return Vec::new() };
        if at > 0 && n >= rest_norm.trim_end_matches(':').trim_end().chars().count() {
            // The rest is one label as a whole.
            return cuts;
        }
        // The label must end at a word's end (a colon, or the dot of "Nr.", may close it).
        let mut end = n;
        if matches!(rest_norm.chars().nth(end), Some(':' | '.')) {
            end += 1;
        }
        if rest_norm.chars().nth(end).is_some_and(|ch| ch != ' ') {
            return Vec::new();
        }
        let head: String = rest_norm.chars().take(end).collect();
        let m = head.split(' ').filter(|w| !w.is_empty()).count();
        let next = at + m;
        if m == 0 || next >= words.len() {
            return Vec::new();
        }
        let apart = c.words[next].0 - c.words[next - 1].1 >= 0.45 * c.size || aligned(c.words[next].0);
        if !apart {
            return Vec::new();
        }
        cuts.push(next);
        at = next;
    }
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
    recut(cells, lines, |li, c| {
        let words = c.text.split(' ').count();
        if words == c.words.len() && c.label.is_none() {
            (1..words)
                .filter(|&k| {
                    columns.iter().any(|&(page, line, x)| {
                        page == c.page && line < li && li <= line + 4 && (c.words[k].0 - x).abs() < 1.0
                    })
                })
                .collect()
        } else {
            Vec::new()
        }
    })
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

    inv.kind = Some(Extracted::new(document_kind::document_kind(&ctx), pct(70)));
    inv.invoice_number = invoice_number(&ctx);
    // A date labelled only by a generic "Date" (a column of a call detail on a later page, say)
    // gives way to the date in the title ("Factuur 1234567890 van 5 juni 2024").
    let credit_note = inv.kind.as_ref().is_some_and(|k| k.value == DocumentKind::CreditNote);
    let issue = match (dates(&ctx, &[Kind::IssueDate]), title_date(&ctx, credit_note)) {
        (Some(d), Some(t)) if d.confidence < pct(95) => Some(t),
        (None, t) => t,
        (d, _) => d,
    };
    inv.issue_date = issue.clone().or_else(|| fallback_issue_date(&ctx));
    inv.due_date = dates(&ctx, &[Kind::DueDate]);
    let issue_value = inv.issue_date.as_ref().map(|d| d.value);
    let (terms, due_from_terms) = payment_terms(&ctx, issue_value, today);
    inv.payment_terms = terms;
    if inv.due_date.is_none() {
        // A collection date is checked against a printed issue date only, not a guessed one (the
        // first date on the page may be the collection's own).
        let printed_issue = issue.as_ref().map(|d| d.value);
        inv.due_date = due_in_terms(&ctx)
            .or_else(|| dates::terms_label_date(&ctx))
            .or_else(|| due_in_schedule(&ctx))
            .or_else(|| debit_date(&ctx, printed_issue))
            .or(due_from_terms);
    }
    let per_rate = amounts(&ctx, &mut inv);
    // A document titled as an invoice whose total is negative credits the buyer: a credit note
    // (an e-invoice of type 381 printed under "Facture", django-silver's storno).
    if inv.kind.as_ref().is_some_and(|k| k.value == DocumentKind::Invoice)
        && inv.total.as_ref().is_some_and(|t| t.value.sign() == bigdecimal::num_bigint::Sign::Minus)
    {
        inv.kind = Some(Extracted::new(DocumentKind::CreditNote, pct(60)));
    }
    prose::net_plus_vat(&ctx, &mut inv);
    prose::paid_in_full(&ctx, &mut inv);
    lines::lines(&ctx, &per_rate, &mut inv);
    receipt::receipt_lines(&ctx, &mut inv);
    lines::summed_lines(&ctx, &per_rate, &mut inv);
    inv.payment_reference = payment_reference(&ctx);
    parties(&ctx, own, &mut inv);
    inv
}

#[cfg(test)]
mod style_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_erp;
#[cfg(test)]
mod tests_europe;
#[cfg(test)]
mod tests_letters;
#[cfg(test)]
mod tests_libraries;
#[cfg(test)]
mod tests_lines;
#[cfg(test)]
mod tests_real;
#[cfg(test)]
mod tests_shops;
#[cfg(test)]
mod tests_software;
#[cfg(test)]
mod tests_viewers;
#[cfg(test)]
mod tests_world;
