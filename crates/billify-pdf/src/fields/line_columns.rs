//! The columns of a table of lines as its header row sets them out: which header word starts
//! which column and where ("Description  Qty  Unit price  Amount"), the VAT basis a header
//! names ("excl. VAT", "HT", "TTC"), headers wrapped over two lines, and whether a line is a
//! header row at all. The words themselves are in [`super::line_headers`].

use super::Ctx;
use super::line_headers::{Col, GROSS, NET, TAX_WORDS, header_start};
use super::text::find_amounts;

/// Whether a money column's values include VAT, as its header says ("Total (excl. VAT)",
/// "Item subtotal (incl. VAT)", "Montant HT").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Basis {
    Unknown,
    Net,
    Gross,
}

/// One column header of a table of lines.
#[derive(Debug, Clone, Copy)]
pub(super) struct Head {
    pub(super) x0: f32,
    pub(super) x1: f32,
    pub(super) col: Col,
    pub(super) basis: Basis,
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
/// alone, with no other word after it short of a column gap. Returns the basis and the header's
/// last word.
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
pub(super) fn header_columns(ctx: &Ctx, l: usize) -> (Vec<Head>, usize) {
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

/// The column headers of the header row at line `h`, with the price and amount headers of the
/// line right over it when the row names none: a header whose cells wrapped, set bottom-aligned
/// ("Unit price excl.  Total excl." / "Description  Period  Qty" / "VAT  VAT").
pub(super) fn with_wrapped_heads(ctx: &Ctx, h: usize) -> Vec<Head> {
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
