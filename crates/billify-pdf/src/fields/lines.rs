//! Invoice lines from the table under a header row (description, quantity, unit price, VAT
//! rate, amount), checked against the subtotal, and the VAT breakdown per rate.
//!
//! **Why this file is long:** it is one subject, reading a table of lines: the header's columns,
//! the rows under it (followed across pages and page footers), labelled per-line blocks and the
//! check against the subtotal all work on one column model (`Head`, `Table`). The header words
//! and their column recognition are in [`super::line_headers`].

use std::str::FromStr;

use bigdecimal::{BigDecimal, Zero};
use billify_ports::intake::{Extracted, ExtractedInvoice, InvoiceLine, VatBreakdown};

use super::labels::Kind;
use super::line_headers::{Col, GROSS, NET, TAX_WORDS, header_start};
use super::text::{find_amounts, find_percents, round2, skip_chars};
use super::{Cell, Ctx, pct};

/// Whether a money column's values include VAT, as its header says ("Total (excl. VAT)",
/// "Item subtotal (incl. VAT)", "Montant HT").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Basis {
    Unknown,
    Net,
    Gross,
}

/// One column header of a table of lines.
#[derive(Debug, Clone, Copy)]
struct Head {
    x0: f32,
    x1: f32,
    col: Col,
    basis: Basis,
    /// A description only when the row names no other ("Position", which elsewhere heads the
    /// line numbers beside a "Bezeichnung").
    fallback: bool,
    /// Headed only by its VAT basis ("Excl. btw", "HT"), which may qualify the header set a
    /// word space after it in a cell of its own ("Nettó" / "egységár").
    bare_basis: bool,
}

/// The bare word: lower case, without brackets and trailing dots or colons.
fn bare(w: &str) -> &str {
    w.trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']' | ':' | ',')).trim_end_matches('.')
}

/// "Position" over the items' names (pretix's German invoices), when nothing else heads them.
const POSITION: &[&str] = &["position", "positionen"];

/// Splits one header cell's words into column headers: a word that starts a known header
/// starts a column; words in brackets, a VAT qualifier ("excl. VAT", "HT", "incl.") and words
/// that start no header belong to the column before them.
/// Returns how many words started no header and qualified none.
fn split_headers(words: &[String], spans: &[(f32, f32)], size: f32, out: &mut Vec<Head>) -> usize {
    let mut unknown = 0;
    let first = out.len();
    let mut depth = 0i32;
    let mut qualified = false;
    let mut k = 0;
    while k < words.len() {
        let w = words[k].as_str();
        let b = bare(w);
        let in_brackets = depth > 0 || w.starts_with('(');
        depth = (depth + w.matches('(').count() as i32 - w.matches(')').count() as i32).max(0);
        let current = out.len() > first;
        // "Excl. btw", "HT", "TTC" heading a column of their own (a cell's first word, or one a
        // column gap of one and a half ems away from the word before): the line amount on that
        // basis.
        let starts_column = !current || k > 0 && spans[k].0 - spans[k - 1].1 >= 1.5 * size;
        if starts_column
            && depth == 0
            && let Some((basis, end)) = basis_header(words, spans, size, k)
        {
            out.push(Head {
                x0: spans[k].0,
                x1: spans[end].1,
                col: Col::Amount,
                basis,
                fallback: false,
                bare_basis: true,
            });
            k = end + 1;
            continue;
        }
        let net = NET.contains(&b) && (!matches!(b, "net" | "netto") || current);
        let gross = GROSS.contains(&b);
        if current && (in_brackets || net || gross || qualified && TAX_WORDS.contains(&b)) {
            if let Some(h) = out.last_mut() {
                h.x1 = h.x1.max(spans[k].1);
                if gross {
                    h.basis = Basis::Gross;
                } else if net && h.basis == Basis::Unknown {
                    h.basis = Basis::Net;
                }
            }
            // "excl. VAT": the tax word after a qualifier; a closing bracket ends it.
            qualified = (net || gross) && depth == 0 && !in_brackets;
            k += 1;
            continue;
        }
        qualified = false;
        let close = spans.get(k + 1).is_some_and(|n| n.0 - spans[k].1 < 0.5 * size);
        match header_start(words, k, close) {
            Some((col, n)) => {
                let end = (k + n).min(words.len()) - 1;
                out.push(Head {
                    x0: spans[k].0,
                    x1: spans[end].1,
                    col,
                    basis: Basis::Unknown,
                    fallback: false,
                    bare_basis: false,
                });
                k = end + 1;
            }
            None if !current && POSITION.contains(&b) => {
                let (x0, x1) = spans[k];
                out.push(Head {
                    x0,
                    x1,
                    col: Col::Description,
                    basis: Basis::Unknown,
                    fallback: true,
                    bare_basis: false,
                });
                k += 1;
            }
            None => {
                unknown += 1;
                match out.last_mut() {
                    Some(h) if current => h.x1 = h.x1.max(spans[k].1),
                    _ => out.push(Head {
                        x0: spans[k].0,
                        x1: spans[k].1,
                        col: Col::Other,
                        basis: Basis::Unknown,
                        fallback: false,
                        bare_basis: false,
                    }),
                }
                k += 1;
            }
        }
    }
    unknown
}

/// A column headed only by whether its amounts include VAT: a qualifier and the tax's name
/// ("Excl. btw", "Incl. VAT", "Hors TVA") or "HT", "HTVA", "TTC", "TVAC", "Netto", "Brutto"
/// alone, with no other word after it short of a column gap. Returns the basis and the header's last word.
fn basis_header(words: &[String], spans: &[(f32, f32)], size: f32, k: usize) -> Option<(Basis, usize)> {
    let b = bare(&words[k]);
    let taxed = words.get(k + 1).is_some_and(|n| TAX_WORDS.contains(&bare(n)));
    let (basis, end) = match b {
        "ht" | "h.t" | "htva" | "netto" | "net" => (Basis::Net, k),
        "ttc" | "tvac" | "brutto" | "gross" => (Basis::Gross, k),
        _ if taxed && NET.contains(&b) => (Basis::Net, k + 1),
        _ if taxed && GROSS.contains(&b) => (Basis::Gross, k + 1),
        _ => return None,
    };
    // "Netto Betrag", "Nettó egységár", "Excl. BTW bedrag": another word follows in the cell;
    // the basis qualifies it.
    let alone = spans.get(end + 1).is_none_or(|next| next.0 - spans[end].1 >= 1.5 * size);
    alone.then_some((basis, end))
}

/// The column headers of line `l`, left to right, and how many of its words are no header
/// words.
fn header_columns(ctx: &Ctx, l: usize) -> (Vec<Head>, usize) {
    let mut out: Vec<Head> = Vec::new();
    let mut unknown = 0;
    for &j in &ctx.lines[l] {
        let c = &ctx.cells[j];
        let words: Vec<String> = c.norm.split(' ').filter(|w| !w.is_empty()).map(str::to_string).collect();
        if words.len() == c.words.len() {
            unknown += split_headers(&words, &c.words, c.size, &mut out);
        } else {
            // Word positions unknown: the cell is one header.
            let spans = vec![(c.x0, c.x1); words.len()];
            let mut one = Vec::new();
            unknown += split_headers(&words, &spans, c.size, &mut one);
            if let Some(h) = one.first() {
                out.push(*h);
            }
        }
    }
    out.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    // "Nettó" / "egységár" in two cells a word space apart: the basis qualifies the next header.
    let size = ctx.lines[l].first().map_or(10.0, |&j| ctx.cells[j].size);
    let mut k = 0;
    while k + 1 < out.len() {
        if out[k].bare_basis && out[k + 1].x0 - out[k].x1 < 1.5 * size {
            let (x0, basis) = (out[k].x0, out[k].basis);
            out.remove(k);
            out[k].x0 = x0;
            if out[k].basis == Basis::Unknown {
                out[k].basis = basis;
            }
            continue;
        }
        k += 1;
    }
    if out.iter().any(|h| h.col == Col::Description && !h.fallback) {
        for h in out.iter_mut().filter(|h| h.fallback) {
            h.col = Col::Other;
        }
    }
    (out, unknown)
}

/// Whether global line `l` is the header row of a table of invoice lines (worked out once per
/// document, see [`header_row`]).
pub(super) fn is_table_header(ctx: &Ctx, l: usize) -> bool {
    ctx.table_headers.get(l).copied().unwrap_or(false)
}

/// Whether global line `l` reads as the header row of a table of invoice lines.
pub(super) fn header_row(ctx: &Ctx, l: usize) -> bool {
    let line = &ctx.lines[l];
    // A header row is a few short cells; long lines are text, and skipping them keeps the
    // work linear on hostile pages.
    if line.is_empty() || line.len() > 16 || line.iter().any(|&j| ctx.cells[j].words.len() > 24) {
        return false;
    }
    // "Bank details: Lloyds Bank   Credit Note Total   £2,656.44": a header row holds no amount.
    let amount_cell = |j: usize| {
        let t = &ctx.cells[j].text;
        t.chars().any(|c| c.is_ascii_digit())
            && t.contains(['.', ','])
            && !t.chars().any(char::is_alphabetic)
            && !find_amounts(t).is_empty()
    };
    if line.iter().any(|&j| amount_cell(j)) {
        return false;
    }
    let (heads, unknown) = header_columns(ctx, l);
    // Headers set close together make one cell: then every word must be a header's.
    (line.len() >= 2 || heads.len() >= 3 && unknown == 0)
        && heads.iter().any(|h| h.col == Col::Description)
        && heads.iter().any(|h| matches!(h.col, Col::Quantity | Col::UnitPrice | Col::Amount))
}

fn parse_plain(text: &str) -> Option<BigDecimal> {
    // "-4": a credit note's quantity.
    let (sign, t) = match text.trim().strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.trim()),
    };
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',')) {
        return None;
    }
    let t = match t.matches([',', '.']).count() {
        0 => t.to_string(),
        1 => t.replace(',', "."),
        _ => return None,
    };
    BigDecimal::from_str(&format!("{sign}{t}")).ok()
}

/// The last amount in a column's text.
fn money(t: &str) -> Option<BigDecimal> {
    find_amounts(t).last().map(|a| a.value.clone()).or_else(|| t.split(' ').next_back().and_then(parse_plain))
}

/// Lines that carry a page's sum over to the next page ("Übertrag", "carried forward"): not
/// invoice lines.
const CARRIED: &[&str] = &[
    "ubertrag",
    "uebertrag",
    "seitensumme",
    "zwischensumme ubertrag",
    "carried forward",
    "carried over",
    "brought forward",
    "carry forward",
    "balance forward",
    "page total",
    "subtotal this page",
    "c/f",
    "b/f",
    "a reporter",
    "report de la page",
    "reporte",
    "sous-total page",
    "transport van vorige",
    "transport naar volgende",
    "van vorige pagina",
    "naar volgende pagina",
];

/// Whether a row read under the descriptions is the totals block: a totals label first, with
/// no quantity or no unit price ("Gesamt netto  80.948,58"; "Total excl. VAT  €19,440.57" whose
/// amount sits under the quantity or price column, as LibreOffice sets a totals table at the
/// left). A prepaid label only when nothing but numbers follows it: "Voorschot juni 2025 –
/// Elektriciteit" and "Acompte décembre" name the lines of an advance invoice.
fn totals_row(f: &Cell, r: &Row) -> bool {
    match f.label {
        Some((Kind::Subtotal | Kind::Total | Kind::Due | Kind::Refund | Kind::Vat, _)) => {
            r.quantity.is_none() || r.unit_price.is_none()
        }
        Some((Kind::Prepaid, n)) => {
            r.quantity.is_none() && r.unit_price.is_none() && !skip_chars(&f.norm, n).chars().any(char::is_alphabetic)
        }
        _ => false,
    }
}

fn carried(norm: &str) -> bool {
    let n = norm.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '/');
    CARRIED.iter().any(|w| n.strip_prefix(w).is_some_and(|r| r.chars().next().is_none_or(|c| !c.is_alphabetic())))
}

/// Shipping charged in the totals block rather than as a line of the table.
const SHIPPING: &[&str] = &[
    "shipping",
    "delivery",
    "versand",
    "versandkosten",
    "lieferkosten",
    "verzending",
    "verzendkosten",
    "frais de port",
    "frais de livraison",
    "livraison",
    "porto",
];

/// One table of lines: its columns and where the description and the numbers start.
struct Table {
    heads: Vec<Head>,
    /// Where the first number column after the description starts.
    first_numeric: f32,
    /// The column read as the line's net amount, and whether it is a price column standing
    /// in for a missing amount column ("Product  Quantity  Price").
    amount: Option<usize>,
    price_only: bool,
    quantity: Option<usize>,
    unit_price: Option<usize>,
    rate: Option<usize>,
}

impl Table {
    fn new(heads: Vec<Head>) -> Option<Table> {
        let desc = heads.iter().position(|h| h.col == Col::Description)?;
        let desc_x = heads[desc].x0;
        let first_numeric =
            heads.iter().filter(|h| h.col != Col::Description && h.x0 > desc_x).map(|h| h.x0).reduce(f32::min)?;
        let pick = |col: Col| -> Option<usize> {
            // Net before unmarked before gross; the rightmost of equals.
            let rank = |b: Basis| match b {
                Basis::Net => 2,
                Basis::Unknown => 1,
                Basis::Gross => 0,
            };
            (0..heads.len()).filter(|&i| heads[i].col == col).max_by_key(|&i| (rank(heads[i].basis), i))
        };
        let mut amount = pick(Col::Amount);
        let mut unit_price = pick(Col::UnitPrice);
        let mut price_only = false;
        if amount.is_none() {
            // "Product  Quantity  Price": the only price column holds the line's amount.
            amount = (0..heads.len()).rev().find(|&i| heads[i].col == Col::UnitPrice);
            price_only = amount.is_some();
            unit_price = None;
        }
        Some(Table {
            first_numeric,
            amount,
            price_only,
            quantity: pick(Col::Quantity),
            unit_price,
            rate: pick(Col::Rate),
            heads,
        })
    }

    /// The column of a word spanning `x0..x1`: left of the numbers by overlap with the
    /// headers (the description, or a number or date column before it); among the numbers by
    /// its right edge, which falls between its header's start and the next header's start
    /// whether the headers are set left, right or centred over right-aligned values.
    fn column(&self, x0: f32, x1: f32, size: f32) -> usize {
        if x1 < self.first_numeric - 0.3 * size {
            let dist = |h: &Head| {
                if x1 < h.x0 {
                    h.x0 - x1
                } else if x0 > h.x1 {
                    x0 - h.x1
                } else {
                    -(x1.min(h.x1) - x0.max(h.x0))
                }
            };
            return (0..self.heads.len())
                .filter(|&i| self.heads[i].x0 < self.first_numeric)
                .min_by(|&a, &b| dist(&self.heads[a]).total_cmp(&dist(&self.heads[b])))
                .unwrap_or(0);
        }
        let mut best = None;
        for (i, h) in self.heads.iter().enumerate() {
            if h.x0 >= self.first_numeric && h.x0 < x1 {
                best = Some(i);
            }
        }
        best.or_else(|| self.heads.iter().position(|h| h.x0 >= self.first_numeric)).unwrap_or(0)
    }
}

/// A row read from the table, before its description is settled.
struct Row {
    description: String,
    quantity: Option<BigDecimal>,
    unit_price: Option<BigDecimal>,
    amount: BigDecimal,
    vat_rate: Option<BigDecimal>,
    /// Quantity × price, for a price-only table whose price turns out to be per unit.
    extended: Option<BigDecimal>,
}

/// What one line of the table holds.
enum Read {
    Row(Row),
    /// Only description text: a wrapped description (of the row before or after it).
    Text(String),
    /// Text in the number columns but no amount (a note, a sub-heading).
    Other,
}

/// Whether `w` is a currency sign or an ISO currency code ("€", "CHF").
fn currency_word(w: &str) -> bool {
    matches!(w, "€" | "$" | "£" | "¥" | "₹")
        || w.len() == 3 && w.bytes().all(|b| b.is_ascii_uppercase()) && billify_domain::Currency::parse(w).is_ok()
}

/// Whether `word` is the first group of a number grouped by spaces ("1", "443"), or that
/// group after its currency ("€ 1").
fn first_group(word: &str) -> bool {
    let small = |d: &str| !d.is_empty() && d.len() <= 3 && d.bytes().all(|b| b.is_ascii_digit());
    match word.split_once(' ') {
        None => small(word),
        Some((currency, digits)) => currency_word(currency) && small(digits),
    }
}

/// The words of a cell, with a number grouped by spaces ("1 443,71", "11 549,68") kept as one
/// word, so that its first group is not taken for a column of its own, and an amount kept
/// with its currency ("43,54 CHF", "€ 12,00"): a right-aligned column's amount reaches its
/// header only with the code after it.
fn group_digits(words: &[&str], spans: &[(f32, f32)], size: f32) -> Vec<(String, (f32, f32))> {
    let mut out: Vec<(String, (f32, f32))> = Vec::with_capacity(words.len());
    for (w, &(x0, x1)) in words.iter().zip(spans) {
        if let Some((prev, span)) = out.last_mut()
            && x0 - span.1 < 0.6 * size
            && (currency_word(w) && prev.ends_with(|c: char| c.is_ascii_digit())
                || currency_word(prev) && w.starts_with(|c: char| c.is_ascii_digit() || c == '-'))
        {
            prev.push(' ');
            prev.push_str(w);
            span.1 = x1;
            continue;
        }
        let group = w.len() == 3 && w.bytes().all(|b| b.is_ascii_digit())
            || w.len() > 3
                && w.as_bytes()[..3].iter().all(u8::is_ascii_digit)
                && matches!(w.as_bytes()[3], b',' | b'.');
        if group
            && let Some((prev, span)) = out.last_mut()
            && first_group(prev)
            && x0 - span.1 < 0.5 * size
        {
            prev.push(' ');
            prev.push_str(w);
            span.1 = x1;
            continue;
        }
        out.push(((*w).to_string(), (x0, x1)));
    }
    out
}

fn read_line(ctx: &Ctx, t: &Table, line: &[usize]) -> Read {
    let mut texts: Vec<String> = vec![String::new(); t.heads.len()];
    for &j in line {
        let c = &ctx.cells[j];
        let words: Vec<&str> = c.text.split(' ').collect();
        let items: Vec<(String, (f32, f32))> = if words.len() == c.words.len() {
            group_digits(&words, &c.words, c.size)
        } else {
            vec![(c.text.clone(), (c.x0, c.x1))]
        };
        for (w, (x0, x1)) in items {
            let t = &mut texts[t.column(x0, x1, c.size)];
            if !t.is_empty() {
                t.push(' ');
            }
            t.push_str(&w);
        }
    }
    let description = t
        .heads
        .iter()
        .zip(&texts)
        .filter(|(h, _)| h.col == Col::Description)
        .map(|(_, s)| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let text_of = |i: Option<usize>| i.map_or("", |i| texts[i].as_str());
    let Some(amount) = money(text_of(t.amount)) else {
        let numbers = t.heads.iter().zip(&texts).any(|(h, s)| h.x0 >= t.first_numeric && !s.trim().is_empty());
        return if numbers || description.is_empty() { Read::Other } else { Read::Text(description) };
    };
    let quantity = text_of(t.quantity).split(' ').find_map(parse_plain);
    let unit_price = t.unit_price.and_then(|i| money(&texts[i]));
    let vat_rate = t.rate.and_then(|i| find_percents(&texts[i]).into_iter().next());
    let gross = t.amount.is_some_and(|i| t.heads[i].basis == Basis::Gross);
    let net_unit = t.unit_price.is_some_and(|i| t.heads[i].basis != Basis::Gross);
    let (amount, extended) = match (&quantity, &unit_price) {
        // A gross line amount ("Item subtotal (incl. VAT)"): the net amount is quantity × the
        // net unit price.
        (Some(q), Some(u)) if gross && net_unit => (round2(&(q * u)), None),
        (Some(q), None) if t.price_only => (amount.clone(), Some(round2(&(q * &amount)))),
        _ => (amount, None),
    };
    Read::Row(Row { description, quantity, unit_price, amount, vat_rate, extended })
}

/// The column headers of the header row at line `h`, with the price and amount headers of the
/// line right over it when the row names none: a header whose cells wrapped, set bottom-aligned
/// ("Unit price excl.  Total excl." / "Description  Period  Qty" / "VAT  VAT").
fn with_wrapped_heads(ctx: &Ctx, h: usize) -> Vec<Head> {
    let mut heads = header_columns(ctx, h).0;
    let money = |x: &Head| matches!(x.col, Col::Amount | Col::UnitPrice);
    if heads.iter().any(money) || h == 0 {
        return heads;
    }
    let (Some(&first), Some(&above)) = (ctx.lines[h].first(), ctx.lines[h - 1].first()) else { return heads };
    let (c, a) = (&ctx.cells[first], &ctx.cells[above]);
    let digits = ctx.lines[h - 1].iter().any(|&j| ctx.cells[j].text.chars().any(|ch| ch.is_ascii_digit()));
    if a.page != c.page || a.y - c.y > 1.6 * c.size.max(a.size) || digits {
        return heads;
    }
    let overlaps = |x: &Head, o: &Head| x.x0 < o.x1 && o.x0 < x.x1;
    for more in header_columns(ctx, h - 1).0.into_iter().filter(money) {
        if !heads.iter().any(|x| overlaps(x, &more)) {
            heads.push(more);
        }
    }
    heads.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    heads
}

/// Reads the rows under the header at line `h`, on its page and, when the table runs on
/// without a header of its own, on the next pages. Returns the rows and the last line read.
fn read_table(ctx: &Ctx, h: usize, headers: &[usize], rows: &mut Vec<Row>) -> Option<usize> {
    let t = Table::new(with_wrapped_heads(ctx, h))?;
    let head = &ctx.cells[*ctx.lines[h].first()?];
    let mut page = head.page;
    let mut last_y = head.y;
    let mut last_line = None;
    // Description lines not yet given to a row, and whether they may still belong to the row
    // before them (nothing else came between).
    let mut pending: Vec<String> = Vec::new();
    let mut attach_prev = false;
    // The row before lacked a description: the lines under it give one.
    let mut needs_text = false;
    // Skipping the top of a continuation page until the table's rows resume.
    let mut resuming = false;
    // How far the first row stands under the header.
    let mut first_gap: Option<f32> = None;
    let mut l = h + 1;
    // A header wrapped in its cells ("Unit price (excl." / "VAT)"): lines close under it,
    // in the number columns only and without a digit, are part of it.
    while let Some(&j) = ctx.lines.get(l).and_then(|line| line.first()) {
        let c = &ctx.cells[j];
        let digits = ctx.lines[l].iter().any(|&k| ctx.cells[k].text.chars().any(|ch| ch.is_ascii_digit()));
        let numbers_only = ctx.lines[l].iter().all(|&k| ctx.cells[k].x0 >= t.first_numeric - c.size);
        if c.page != page || last_y - c.y > 1.6 * head.size.max(c.size) || digits || !numbers_only {
            break;
        }
        last_y = c.y;
        l += 1;
    }
    while l < ctx.lines.len() {
        let line = &ctx.lines[l];
        let Some(&first) = line.first() else {
            l += 1;
            continue;
        };
        let f = &ctx.cells[first];
        if headers.contains(&l) {
            break;
        }
        if f.page != page {
            // The table runs on over the page break (the totals did not come on this page); a
            // header repeated on the next page starts a table of its own.
            if f.page != page + 1 {
                break;
            }
            page = f.page;
            resuming = true;
            needs_text = false;
        }
        let stop = line.iter().any(|&j| {
            let c = &ctx.cells[j];
            c.label.is_some_and(|(k, _)| {
                matches!(k, Kind::Subtotal | Kind::Total | Kind::Due | Kind::Prepaid | Kind::Refund | Kind::Vat)
                    && c.x0 >= t.first_numeric - 2.0 * f.size
                    // A heading of the next section ("VAT breakdown") ends the table too, and
                    // so do payment details starting a line.
                    || k == Kind::Section
                    || j == first && matches!(k, Kind::Terms | Kind::Iban | Kind::Bic)
                    // "Remittance advice   Subtotal  24.365,20": a totals label after other
                    // text on its line, where a footer block sits beside the totals.
                    || j != first && matches!(k, Kind::Subtotal | Kind::Total | Kind::Due) && c.x0 > f.x1
            }) && !carried(&c.norm)
        });
        if resuming {
            // The top of a continuation page: a letterhead, a page number; the rows resume
            // with the first line that reads as one.
            if stop {
                break;
            }
            match read_line(ctx, &t, line) {
                Read::Row(r) if !r.description.is_empty() || carried(&f.norm) => {
                    resuming = false;
                    last_y = f.y + 2.0 * f.size;
                }
                _ => {
                    if f.height_share() < 0.4 {
                        break;
                    }
                    l += 1;
                    continue;
                }
            }
        }
        // A footer line joined by separators ("Acme SAS - capital 37 000 € - SIRET …") ends
        // the page's part of the table, as a gap before it does.
        let footer = line.iter().any(|&j| ctx.cells[j].joined);
        // The first row may stand further under a padded header cell, and the rows of a
        // padded table as far apart as it (xhtml2pdf's tables).
        let limit = match first_gap {
            None => 6.0 * f.size.max(head.size),
            Some(g) => (4.0 * f.size.max(head.size)).max(1.2 * g),
        };
        if stop || footer || last_y - f.y > limit {
            if stop || !runs_on(ctx, l, page) {
                break;
            }
            // A page footer between the rows and the page break: skip to the next page.
            while l < ctx.lines.len() && ctx.lines[l].first().is_some_and(|&c| ctx.cells[c].page == page) {
                l += 1;
            }
            continue;
        }
        if first_gap.is_none() && f.page == head.page {
            first_gap = Some(last_y - f.y);
        }
        last_y = f.y;
        last_line = Some(l);
        if line.iter().any(|&j| carried(&ctx.cells[j].norm)) {
            l += 1;
            continue;
        }
        match read_line(ctx, &t, line) {
            // "Gesamt netto  80.948,58" set under the descriptions: the totals, not a line.
            Read::Row(r) if totals_row(f, &r) => {
                break;
            }
            // A totals label under the descriptions whose amount fits no column.
            Read::Other
                if matches!(
                    f.label,
                    Some((Kind::Subtotal | Kind::Total | Kind::Due | Kind::Refund | Kind::Vat, _))
                ) =>
            {
                break;
            }
            Read::Row(mut r) => {
                if r.description.is_empty() {
                    r.description = pending.join(" ");
                    needs_text = r.description.is_empty();
                } else {
                    if attach_prev && let Some(prev) = rows.last_mut() {
                        for p in &pending {
                            prev.description.push(' ');
                            prev.description.push_str(p);
                        }
                    }
                    needs_text = false;
                }
                pending.clear();
                attach_prev = true;
                rows.push(r);
            }
            Read::Text(text) => {
                if needs_text && let Some(prev) = rows.last_mut() {
                    prev.description = text;
                    needs_text = false;
                } else {
                    pending.push(text);
                }
            }
            Read::Other => {
                if attach_prev && let Some(prev) = rows.last_mut() {
                    for p in &pending {
                        prev.description.push(' ');
                        prev.description.push_str(p);
                    }
                }
                pending.clear();
                attach_prev = false;
            }
        }
        l += 1;
    }
    // Description lines after the last row, with nothing between, wrap from it.
    if attach_prev && let Some(prev) = rows.last_mut() {
        for p in &pending {
            prev.description.push(' ');
            prev.description.push_str(p);
        }
    }
    last_line
}

/// Whether the table broken off at line `l` (after a gap) runs on over the page break: the
/// rest of its page holds no totals, and the document has a next page.
fn runs_on(ctx: &Ctx, l: usize, page: usize) -> bool {
    let mut next_page = false;
    for line in &ctx.lines[l..] {
        let Some(&first) = line.first() else { continue };
        if ctx.cells[first].page != page {
            next_page = true;
            break;
        }
        let totals = line.iter().any(|&j| {
            ctx.cells[j].label.is_some_and(|(k, _)| {
                matches!(k, Kind::Subtotal | Kind::Total | Kind::Due | Kind::Refund | Kind::Vat | Kind::Section)
            })
        });
        if totals {
            return false;
        }
    }
    next_page
}

/// Shipping set in the totals block after the table ("Shipping  13,48 EUR"), as a line.
fn shipping_after(ctx: &Ctx, after: usize, rows: &[Row]) -> Option<Row> {
    // The label alone, or with "costs" ("Shipping", "Versandkosten", "Frais de port HT").
    let is_shipping = |n: &str| {
        SHIPPING.iter().any(|w| n.strip_prefix(w).is_some_and(|r| r.chars().next().is_none_or(|c| !c.is_alphabetic())))
            && n.split_whitespace().count() <= 3
            && !["address", "adresse", "adres", "date", "datum", "note"].iter().any(|w| n.contains(w))
    };
    // A line of the table is the shipping already ("Shipping", not "Shipping materials").
    let shipping_row = |d: &str| {
        let n = super::text::norm(d);
        SHIPPING.iter().any(|w| n.trim_end_matches(|c: char| !c.is_alphabetic()) == *w)
    };
    if rows.iter().any(|r| shipping_row(&r.description)) {
        return None;
    }
    let page = ctx.cells[*ctx.lines.get(after)?.first()?].page;
    for line in ctx.lines.iter().skip(after + 1).take(12) {
        let Some(pos) = line.iter().position(|&j| is_shipping(ctx.cells[j].norm.trim())) else { continue };
        let c = &ctx.cells[line[pos]];
        if c.page != page {
            return None;
        }
        let mut amounts: Vec<BigDecimal> =
            line.iter().skip(pos).flat_map(|&j| find_amounts(&ctx.cells[j].text)).map(|a| a.value).collect();
        if amounts.len() != 1 {
            return None;
        }
        let label: String =
            c.text.split(|ch: char| ch.is_ascii_digit()).next().unwrap_or("").trim().trim_end_matches(':').to_string();
        let amount = amounts.pop()?;
        return Some(Row {
            description: label,
            quantity: None,
            unit_price: None,
            amount,
            vat_rate: None,
            extended: None,
        });
    }
    None
}

/// What a label of a line block names ("Artikelname:", "Menge:", "Gesamtpreis (netto):").
const BLOCK_LABELS: &[(&str, Col)] = &[
    ("artikelname", Col::Description),
    ("item name", Col::Description),
    ("bezeichnung", Col::Description),
    ("description", Col::Description),
    ("designation", Col::Description),
    ("menge", Col::Quantity),
    ("quantity", Col::Quantity),
    ("invoiced quantity", Col::Quantity),
    ("quantite", Col::Quantity),
    ("aantal", Col::Quantity),
    ("preis pro einheit", Col::UnitPrice),
    ("einzelpreis", Col::UnitPrice),
    // ERP abbreviations: "E-Preis" (Einzelpreis), "G-Preis" (Gesamtpreis), "ME" (Mengeneinheit).
    ("e-preis", Col::UnitPrice),
    ("g-preis", Col::Amount),
    ("me", Col::Other),
    ("unit price", Col::UnitPrice),
    ("item net price", Col::UnitPrice),
    ("prix unitaire", Col::UnitPrice),
    ("umsatzsteuersatz", Col::Rate),
    ("steuersatz", Col::Rate),
    ("vat rate", Col::Rate),
    ("taux de tva", Col::Rate),
    ("gesamtpreis", Col::Amount),
    ("nettobetrag", Col::Amount),
    ("line net amount", Col::Amount),
    ("line total", Col::Amount),
    ("montant net", Col::Amount),
];

/// The values of one line block read so far.
#[derive(Default)]
struct Block {
    /// Opened by "Position:  1" (the KoSIT visualisation), whose blocks hold sub-headings
    /// ("Preiseinzelheiten") and label/value rows without colons ("Menge  20").
    sectioned: bool,
    description: Option<String>,
    quantity: Option<BigDecimal>,
    unit_price: Option<BigDecimal>,
    vat_rate: Option<BigDecimal>,
    amount: Option<BigDecimal>,
}

impl Block {
    fn into_row(self) -> Option<Row> {
        Some(Row {
            description: self.description?,
            quantity: self.quantity,
            unit_price: self.unit_price,
            amount: self.amount?,
            vat_rate: self.vat_rate,
            extended: None,
        })
    }
}

/// The label/value pairs of a line of cells: "Label:" and its value in the next cell, "Label:
/// value" in one cell, or a label without a colon and its value in the next cell ("Menge  20").
fn cell_pairs(ctx: &Ctx, line: &[usize]) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut k = 0;
    while k < line.len() {
        let t = ctx.cells[line[k]].text.as_str();
        let next = line.get(k + 1).map(|&j| ctx.cells[j].text.clone());
        match t.split_once(':') {
            Some((label, rest)) if !rest.trim().is_empty() => {
                pairs.push((label.to_string(), rest.to_string()));
                k += 1;
            }
            _ => {
                let Some(value) = next else { break };
                pairs.push((t.trim_end_matches(':').to_string(), value));
                k += 2;
            }
        }
    }
    pairs
}

/// Lines printed as blocks of labelled values rather than a table/// Lines printed as blocks of labelled values rather than a table, as e-invoice viewers print
/// them: "Position 1" / "Artikelname:  Seminar" / "Menge:  5" / … / "Gesamtpreis (netto):
/// 6.700,00". A block without a line amount gives no line.
fn label_blocks(ctx: &Ctx) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    let mut current: Option<Block> = None;
    for line in &ctx.lines {
        let Some(&first) = line.first() else { continue };
        let c = &ctx.cells[first];
        let n = c.norm.trim();
        if (n.starts_with("position ") || n == "position") && line.len() == 1 {
            rows.extend(current.take().and_then(Block::into_row));
            current = Some(Block::default());
            continue;
        }
        // "Position:  1": the number in the label's cell or the next.
        let numbered = |t: &str| t.trim().chars().all(|ch| ch.is_ascii_digit()) && !t.trim().is_empty();
        let number_cell = line.get(1).map(|&j| ctx.cells[j].text.as_str());
        if let Some(rest) = n.strip_prefix("position:")
            && (numbered(rest) || rest.trim().is_empty() && number_cell.is_some_and(numbered))
        {
            rows.extend(current.take().and_then(Block::into_row));
            current = Some(Block { sectioned: true, ..Block::default() });
            continue;
        }
        let Some(block) = current.as_mut() else { continue };
        // "Label:  value", in one cell or two; in a sectioned block "Menge  20" too, and as
        // many pairs as the line holds side by side.
        let pairs = if block.sectioned {
            cell_pairs(ctx, line)
        } else {
            let text: String = line.iter().map(|&j| ctx.cells[j].text.as_str()).collect::<Vec<_>>().join(" ");
            text.split_once(':').map(|(l, v)| vec![(l.to_string(), v.to_string())]).unwrap_or_default()
        };
        if pairs.is_empty() {
            // A sub-heading ("Preiseinzelheiten") inside a sectioned block; any other line
            // without a label ends the block.
            if !block.sectioned {
                rows.extend(current.take().and_then(Block::into_row));
            }
            continue;
        }
        for (k, (label, value)) in pairs.iter().enumerate() {
            let label = super::text::norm(label.trim());
            let value = value.trim();
            let Some(col) = BLOCK_LABELS.iter().find(|(w, _)| label.starts_with(w)).map(|(_, c)| *c) else {
                if k == 0 && c.label.is_some_and(|(k, _)| k == Kind::Section) {
                    rows.extend(current.take().and_then(Block::into_row));
                    break;
                }
                continue;
            };
            let number = || money(value).or_else(|| value.split(' ').find_map(parse_plain));
            match col {
                Col::Description => block.description = Some(value.to_string()).filter(|v| !v.is_empty()),
                Col::Quantity => block.quantity = value.split(' ').find_map(parse_plain),
                Col::UnitPrice => block.unit_price = number(),
                Col::Rate => {
                    block.vat_rate = find_percents(value)
                        .into_iter()
                        .next()
                        .or_else(|| value.split(' ').find_map(parse_plain))
                        .map(|r| r.normalized());
                }
                Col::Amount => block.amount = number(),
                Col::Other => {}
            }
        }
    }
    rows.extend(current.and_then(Block::into_row));
    rows
}

pub(super) fn lines(ctx: &Ctx, per_rate: &[(BigDecimal, BigDecimal)], inv: &mut ExtractedInvoice) {
    let mut rows: Vec<Row> = Vec::new();
    let headers: Vec<usize> = (0..ctx.lines.len()).filter(|&l| is_table_header(ctx, l)).collect();
    let mut done = 0;
    let mut last = None;
    for &h in &headers {
        if h < done {
            continue;
        }
        if let Some(end) = read_table(ctx, h, &headers, &mut rows) {
            done = end;
            last = Some(end);
        }
    }
    // Rows without a description are kept only where no row has one and they are whole lines:
    // quantity, price and amount (a credit note printing no item names, as django-silver's).
    if rows.iter().all(|r| r.description.is_empty()) {
        rows.retain(|r| r.quantity.is_some() && r.unit_price.is_some());
    } else {
        rows.retain(|r| !r.description.is_empty());
    }
    if rows.is_empty() {
        rows = label_blocks(ctx);
    }
    settle(ctx, rows, last, false, per_rate, inv);
}

/// Lines set without a header the reader knows, found by their sums (see
/// [`super::lines_summed`]), where neither a table nor a till receipt's items gave any.
pub(super) fn summed_lines(ctx: &Ctx, per_rate: &[(BigDecimal, BigDecimal)], inv: &mut ExtractedInvoice) {
    if !inv.lines.is_empty() {
        return;
    }
    let rows = super::lines_summed::summed_rows(ctx)
        .into_iter()
        .map(|r| Row {
            description: r.description,
            quantity: None,
            unit_price: None,
            amount: r.amount,
            vat_rate: None,
            extended: None,
        })
        .collect();
    settle(ctx, rows, None, true, per_rate, inv);
}

/// Checks the rows read against the subtotal and sets them as the invoice's lines. `last`: the
/// last line of the table, after which shipping may follow; `summed`: each group of rows added
/// up to a total printed under it, so the subtotal read stands.
fn settle(
    ctx: &Ctx,
    mut rows: Vec<Row>,
    last: Option<usize>,
    summed: bool,
    per_rate: &[(BigDecimal, BigDecimal)],
    inv: &mut ExtractedInvoice,
) {
    if rows.is_empty() {
        return;
    }
    let subtotal = inv.subtotal.as_ref().map(|s| s.value.clone());
    if let Some(end) = last
        && let Some(ship) = shipping_after(ctx, end, &rows)
    {
        rows.push(ship);
    }
    let sum = |rows: &[Row]| rows.iter().fold(BigDecimal::zero(), |acc, r| acc + &r.amount);
    // A price-only table whose prices are per unit: quantity × price adds up to the subtotal.
    if rows.iter().any(|r| r.extended.is_some()) && subtotal.as_ref().is_some_and(|s| *s != sum(&rows)) {
        let extended: Vec<Row> = rows
            .iter()
            .map(|r| Row {
                description: r.description.clone(),
                quantity: r.quantity.clone(),
                unit_price: r.extended.as_ref().map(|_| r.amount.clone()),
                amount: r.extended.clone().unwrap_or_else(|| r.amount.clone()),
                vat_rate: r.vat_rate.clone(),
                extended: None,
            })
            .collect();
        if subtotal.as_ref() == Some(&sum(&extended)) {
            rows = extended;
        }
    }
    let out: Vec<InvoiceLine> = rows
        .into_iter()
        .map(|r| InvoiceLine {
            description: r.description,
            quantity: r.quantity,
            unit_price: r.unit_price,
            line_total: r.amount,
            vat_rate: r.vat_rate,
        })
        .collect();
    let sum = out.iter().fold(BigDecimal::zero(), |acc, l| acc + &l.line_total);
    let mut matches = subtotal.as_ref().is_some_and(|s| *s == sum);
    // A subtotal of the goods before shipping or fees was read: the lines (with the shipping)
    // and the VAT add up to the total, the subtotal read does not.
    if !matches
        && !summed
        && let (Some(vat), Some(total)) = (&inv.vat_amount, &inv.total)
        && &sum + &vat.value == total.value
        && subtotal.as_ref().is_none_or(|s| s + &vat.value != total.value)
    {
        inv.subtotal = Some(Extracted::new(sum.clone(), pct(80)));
        matches = true;
    }
    inv.line_total = Some(Extracted::new(sum, pct(if matches { 90 } else { 50 })));
    if matches {
        inv.vat_breakdown = breakdown(&out, per_rate, inv);
    }
    inv.lines = out;
}

/// The VAT per rate: the lines' totals per rate as taxable amounts, with the VAT printed for
/// that rate (or computed from it).
fn breakdown(
    lines: &[InvoiceLine],
    per_rate: &[(BigDecimal, BigDecimal)],
    inv: &ExtractedInvoice,
) -> Vec<VatBreakdown> {
    let category = |rate: &BigDecimal| if rate.is_zero() { "Z" } else { "S" }.to_string();
    if lines.iter().all(|l| l.vat_rate.is_some()) {
        let mut groups: Vec<(BigDecimal, BigDecimal)> = Vec::new();
        for l in lines {
            let Some(rate) = l.vat_rate.clone() else { continue };
            match groups.iter_mut().find(|(r, _)| *r == rate) {
                Some((_, base)) => *base += &l.line_total,
                None => groups.push((rate, l.line_total.clone())),
            }
        }
        let single = groups.len() == 1;
        return groups
            .into_iter()
            .map(|(rate, base)| {
                let printed = per_rate.iter().find(|(r, _)| *r == rate).map(|(_, v)| v.clone());
                let tax = printed
                    .or_else(|| single.then(|| inv.vat_amount.as_ref().map(|v| v.value.clone())).flatten())
                    .unwrap_or_else(|| round2(&(&base * &rate / BigDecimal::from(100))));
                VatBreakdown { category: category(&rate), rate: Some(rate), taxable_amount: base, tax_amount: tax }
            })
            .collect();
    }
    match (per_rate, &inv.subtotal, &inv.vat_amount) {
        ([(rate, tax)], Some(s), _) => vec![VatBreakdown {
            category: category(rate),
            rate: Some(rate.clone()),
            taxable_amount: s.value.clone(),
            tax_amount: tax.clone(),
        }],
        _ => Vec::new(),
    }
}
