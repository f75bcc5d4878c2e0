//! Invoice lines under a header the reader does not know ("App Store … Price", a notary's
//! "Soumis à la TVA … Montant", a commission statement's "Reservation … Commission"): the rows
//! right above a totals line whose amounts, set in one column, add up to a total printed there.
//! Only a sum that comes out exactly is taken, so a block of text with amounts in it is not read
//! as lines.

use bigdecimal::{BigDecimal, Zero};

use super::Ctx;
use super::labels::Kind;
use super::line_rows::Row;
use super::text::find_amounts;

/// How many lines without an amount may stand between two rows: a wrapped description, a page
/// footer, the header repeated on the next page.
const MAX_TEXT_LINES: usize = 8;

/// How many lines of a totals block are compared with the rows' sum ("Subtotal", "VAT",
/// "Total" of gross prices).
const MAX_TOTALS_LINES: usize = 6;

/// Words that start a group's total when no totals label matches the rest ("Total débours",
/// "Totaal commissie", "Summe Auslagen").
const TOTAL_WORDS: &[&str] =
    &["total", "totaal", "totale", "summe", "gesamt", "zwischensumme", "subtotal", "sous-total", "subtotaal"];

/// Whether line `l` is a line of a totals block: a totals label, or a total word first.
fn totals_line(ctx: &Ctx, l: usize) -> bool {
    let labelled = ctx.lines[l].iter().any(|&j| {
        ctx.cells[j].label.is_some_and(|(k, _)| {
            matches!(k, Kind::Subtotal | Kind::Total | Kind::Due | Kind::Vat | Kind::Prepaid | Kind::Refund)
        })
    });
    labelled
        || ctx.lines[l]
            .first()
            .and_then(|&j| ctx.cells[j].norm.split(' ').next())
            .is_some_and(|w| TOTAL_WORDS.contains(&w))
}

/// Whether line `l` closes a group of lines of its own: a subtotal or total, not what is due.
fn group_total(ctx: &Ctx, l: usize) -> bool {
    let first = ctx.lines[l].first().map(|&j| &ctx.cells[j]);
    first.is_some_and(|c| {
        matches!(c.label, Some((Kind::Subtotal | Kind::Total, _)))
            || !matches!(c.label, Some((Kind::Due | Kind::Prepaid | Kind::Refund | Kind::Vat, _)))
                && c.norm.split(' ').next().is_some_and(|w| TOTAL_WORDS.contains(&w))
    })
}

/// The rightmost amount on line `l` (nothing but currency words or signs right of it): its
/// value, the right edge of its cell and the cell's index in the line.
fn last_amount(ctx: &Ctx, l: usize) -> Option<(BigDecimal, f32, usize)> {
    for (i, &j) in ctx.lines[l].iter().enumerate().rev() {
        let c = &ctx.cells[j];
        if let Some(a) = find_amounts(&c.text).pop() {
            return Some((a.value, c.x1, i));
        }
        if c.text.chars().any(|ch| ch.is_ascii_digit()) {
            return None;
        }
    }
    None
}

/// The rows above line `anchor` (walking up until a totals line, a table header or a row out of
/// the column) whose running sum equals, walking furthest up, one of `targets` (with
/// `either_sign`, in magnitude: a credit note prints its lines negative).
fn rows_above(ctx: &Ctx, anchor: usize, stop_at: usize, targets: &[BigDecimal], either_sign: bool) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    let mut best = 0;
    let mut sum = BigDecimal::zero();
    let mut column: Option<(f32, f32)> = None;
    let mut text_lines = 0;
    let mut l = anchor;
    while l > stop_at {
        l -= 1;
        if ctx.lines[l].is_empty() {
            continue;
        }
        if totals_line(ctx, l) || ctx.table_headers.get(l).copied().unwrap_or(false) {
            break;
        }
        let Some((amount, x1, i)) = last_amount(ctx, l) else {
            text_lines += 1;
            if text_lines > MAX_TEXT_LINES {
                break;
            }
            continue;
        };
        let first = &ctx.cells[ctx.lines[l][0]];
        // A row has text before its amount, and its amount in the column of the rows under it;
        // "Versand:  10,00" and "Sum of invoice line net amount  100.00" are labelled values,
        // "20%  100.00  20.00" a row of a VAT breakdown.
        let words = ctx.lines[l][..i].iter().any(|&j| ctx.cells[j].text.chars().any(char::is_alphabetic));
        if i == 0
            || !words
            || first.label.is_some()
            || first.text.trim_end().ends_with(':')
            || column.is_some_and(|(right, size)| (x1 - right).abs() > size)
        {
            break;
        }
        column.get_or_insert((x1, first.size));
        text_lines = 0;
        sum += &amount;
        let description = ctx.lines[l][..i].iter().map(|&j| ctx.cells[j].text.trim()).collect::<Vec<_>>().join(" ");
        rows.push(Row { description, quantity: None, unit_price: None, amount, vat_rate: None, extended: None });
        if targets.iter().any(|t| !t.is_zero() && (*t == sum || either_sign && *t == -sum.clone())) {
            best = rows.len();
        }
    }
    rows.truncate(best);
    rows.reverse();
    rows
}

/// The amounts of the totals block starting at line `l`.
fn block_amounts(ctx: &Ctx, l: usize) -> (Vec<BigDecimal>, usize) {
    let mut out = Vec::new();
    let mut end = l;
    for k in l..ctx.lines.len().min(l + MAX_TOTALS_LINES) {
        if !totals_line(ctx, k) {
            break;
        }
        // The VAT, a deposit or a refund is no sum of lines.
        let sum = group_total(ctx, k)
            || ctx.lines[k].iter().any(|&j| ctx.cells[j].label.is_some_and(|(kind, _)| kind == Kind::Due));
        if let Some((v, _, _)) = last_amount(ctx, k)
            && sum
        {
            out.push(v);
        }
        end = k;
    }
    (out, end)
}

/// Lines set above the totals without a header the reader knows: the first rows adding up to a
/// total of the block under them, and after that block, further groups that add up to a total
/// of their own ("Total débours").
pub(super) fn summed_rows(ctx: &Ctx) -> Vec<Row> {
    let mut out: Vec<Row> = Vec::new();
    let mut l = 0;
    let mut stop_at = 0;
    while l < ctx.lines.len() {
        if !totals_line(ctx, l) {
            l += 1;
            continue;
        }
        let (targets, end) = block_amounts(ctx, l);
        let rows = if out.is_empty() {
            rows_above(ctx, l, stop_at, &targets, true)
        } else if group_total(ctx, l) {
            // A later group must add up to its own total line, not to the document's.
            rows_above(ctx, l, stop_at, &targets[..targets.len().min(1)], false)
        } else {
            Vec::new()
        };
        out.extend(rows);
        if !out.is_empty() {
            stop_at = end;
        }
        l = end + 1;
    }
    out
}
