//! Tables of amounts around the totals: which column an amount stands in (net amount or VAT,
//! by its header), the amounts on a totals row, a column closed by its sum, and a VAT summary
//! with a row per rate.

use bigdecimal::{BigDecimal, Zero};

use super::labels::Kind;
use super::text::{AmountMatch, find_amounts, skip_chars};
use super::{Cell, Ctx, Place, line_columns};

/// Currency codes that may stand beside an amount in a table's row.
pub(super) const CURRENCY_WORDS: &[&str] = &["EUR", "EURO", "USD", "GBP", "CHF"];

/// The amounts on label cell `i`'s row, left to right: those after the label in its own cell,
/// then those of the cells to its right, each with its cell.
pub(super) fn row_amounts(ctx: &Ctx, i: usize, text: &str, label_len: usize) -> Vec<(AmountMatch, usize)> {
    let own = find_amounts(skip_chars(text, label_len)).into_iter().map(|a| (a, i));
    let right = ctx
        .values(i, false)
        .into_iter()
        .filter(|(_, p, cell)| *p == Place::Right && *cell != i)
        .flat_map(|(t, _, cell)| find_amounts(&t).into_iter().map(move |a| (a, cell)));
    own.chain(right).collect()
}

/// What the column of cell `i` holds, by its header (the first line above without amounts;
/// the header cell is the rightmost one starting left of the value's right edge, as headers
/// sit left- or right-aligned over right-aligned numbers): a net amount or a VAT amount.
pub(super) fn column_kind(ctx: &Ctx, i: usize) -> Option<Kind> {
    let c = &ctx.cells[i];
    for l in (c.line.saturating_sub(40)..c.line).rev() {
        let line = &ctx.lines[l];
        if line.iter().any(|&j| ctx.cells[j].page != c.page) {
            return None;
        }
        if line.iter().any(|&j| !find_amounts(&ctx.cells[j].text).is_empty()) {
            continue;
        }
        // The sum row of the table of lines ("Total  1  278.61  40.39  319.00") under item
        // lines whose wrapped descriptions hold no amounts: its columns are the lines' header's.
        return header_kind(ctx, l, c).or_else(|| {
            (c.line.saturating_sub(40)..l)
                .rev()
                .take_while(|&h| ctx.lines[h].iter().all(|&j| ctx.cells[j].page == c.page))
                .find(|&h| line_columns::is_table_header(ctx, h))
                .and_then(|h| header_kind(ctx, h, c))
        });
    }
    None
}

/// What the header cell of `line` over the value cell `c` names: a net amount or a VAT amount.
fn header_kind(ctx: &Ctx, line: usize, c: &Cell) -> Option<Kind> {
    let head =
        ctx.lines[line].iter().map(|&j| &ctx.cells[j]).filter(|o| o.x0 <= c.x1).max_by(|a, b| a.x0.total_cmp(&b.x0))?;
    let n = &head.norm;
    let has = |ws: &[&str]| ws.iter().any(|w| n.contains(w));
    if has(&[
        "excl",
        "exkl",
        "net",
        "ohne",
        "hors",
        "sans",
        "zonder",
        "(ht)",
        " ht",
        "subtotal",
        "base",
        "grondslag",
        "taxable",
        "maatstaf",
    ]) {
        return Some(Kind::Subtotal);
    }
    has(&["vat", "tva", "btw", "ust", "mwst", "tax"]).then_some(Kind::Vat)
}

/// Whether cell `i` heads a column of a table of amounts: another amount label on its line.
pub(super) fn heads_amount_table(ctx: &Ctx, i: usize) -> bool {
    let amount_label = |j: usize| {
        ctx.cells[j].label.is_some_and(|(k, _)| matches!(k, Kind::Subtotal | Kind::Vat | Kind::Total | Kind::Due))
    };
    ctx.lines[ctx.cells[i].line].iter().any(|&j| j != i && amount_label(j))
}

/// The amount closing the column under the header cell `i`, with its cell, and whether it is
/// the sum of the amounts above it: the rows below the header are followed while each holds an
/// amount somewhere and stands within a few lines of the last ("160,00 / 336,00 / 496,00"
/// under "Nettobetrag"; "571,04" alone under "Endbetrag" on the sum row). A column of one
/// amount gives it; of several, only a last one that is the sum of the others.
pub(super) fn column_total(ctx: &Ctx, i: usize) -> Option<(AmountMatch, usize, bool)> {
    let c = &ctx.cells[i];
    let heads: Vec<&Cell> = ctx.lines[c.line]
        .iter()
        .map(|&j| &ctx.cells[j])
        .filter(|h| h.label.is_some_and(|(k, _)| matches!(k, Kind::Subtotal | Kind::Vat | Kind::Total | Kind::Due)))
        .collect();
    let mut column: Vec<(AmountMatch, usize)> = Vec::new();
    let mut prev_y = c.y;
    for line in ctx.lines.iter().skip(c.line + 1).take(12) {
        let Some(&first) = line.first() else { continue };
        let f = &ctx.cells[first];
        if f.page != c.page || prev_y - f.y > 2.5 * c.size {
            break;
        }
        // A row holds amounts, and words only outside the amount columns ("./. Anzahlung"
        // under the VAT column is a line of the totals after the table).
        let worded = |j: usize| {
            let o = &ctx.cells[j];
            // "SOM  217,95  30,67  248,62": a till's sum row, its word no label of ours, is no
            // line of words. (A labelled "Total" row closes the table as before.)
            if o.label.is_none() && ["som", "sum"].contains(&o.norm.trim()) {
                return false;
            }
            let letters =
                o.text.split_whitespace().filter(|w| !CURRENCY_WORDS.contains(&w.to_ascii_uppercase().as_str()));
            letters.map(|w| w.chars().filter(|ch| ch.is_alphabetic()).count()).sum::<usize>() >= 3
                && heads.iter().any(|h| o.x0 < h.x1 && o.x1 > h.x0)
        };
        if line.iter().all(|&j| find_amounts(&ctx.cells[j].text).is_empty()) || line.iter().any(|&j| worded(j)) {
            break;
        }
        prev_y = f.y;
        let under = line.iter().find(|&&j| {
            let o = &ctx.cells[j];
            o.x0 < c.x1 + c.size && o.x1 > c.x0 - c.size
        });
        if let Some(&j) = under
            && let Some(a) = find_amounts(&ctx.cells[j].text).pop()
        {
            column.push((a, j));
        }
    }
    let (last, rest) = column.split_last()?;
    if rest.is_empty() {
        return Some((last.0.clone(), last.1, false));
    }
    let sum = rest.iter().fold(BigDecimal::zero(), |acc, (a, _)| acc + &a.value);
    (sum == last.0.value).then(|| (last.0.clone(), last.1, true))
}

/// Whether `line` heads a VAT summary with a row per rate ("Aliquota  Imponibile  Imposta
/// Totale", "Stawka  Netto  VAT  Brutto" over two or more rows of amounts): three or more amount
/// labels and no amount on the line, two or more of the lines under it holding two or more
/// amounts each.
pub(super) fn per_rate_header(ctx: &Ctx, line: usize) -> bool {
    let cells = &ctx.lines[line];
    let labels = cells
        .iter()
        .filter(|&&j| ctx.cells[j].label.is_some_and(|(k, _)| matches!(k, Kind::Subtotal | Kind::Vat | Kind::Total)))
        .count();
    if labels < 3 || cells.iter().any(|&j| !find_amounts(&ctx.cells[j].text).is_empty()) {
        return false;
    }
    let page = cells.first().map(|&j| ctx.cells[j].page);
    // The rows set right under the header, one under the other: a repeat of the sum further
    // down ("1056,05 … EUR … 1256,70" under a one-rate table) is no second rate.
    let (mut prev_y, size) = cells.first().map_or((0.0, 0.0), |&j| (ctx.cells[j].y, ctx.cells[j].size));
    let rows = ctx.lines[line + 1..]
        .iter()
        .take(4)
        .take_while(|l| l.first().map(|&j| ctx.cells[j].page) == page)
        .take_while(|l| {
            let y = l.first().map_or(prev_y, |&j| ctx.cells[j].y);
            let near = prev_y - y <= 2.5 * size;
            prev_y = y;
            near
        })
        .filter(|l| l.iter().map(|&j| find_amounts(&ctx.cells[j].text).len()).sum::<usize>() >= 2)
        .count();
    rows >= 2
}

/// Whether a column under one of the amount labels of `line` ends in the sum of the rows above
/// it: the table's sum row gives the totals (see [`column_total`]).
pub(super) fn closed_by_sum(ctx: &Ctx, line: usize) -> bool {
    ctx.lines[line].iter().any(|&j| {
        ctx.cells[j].label.is_some_and(|(k, _)| matches!(k, Kind::Subtotal | Kind::Vat | Kind::Total))
            && column_total(ctx, j).is_some_and(|(_, _, sum)| sum)
    })
}
