//! Invoice lines from the table under a header row (description, quantity, unit price, VAT
//! rate, amount), checked against the subtotal, and the VAT breakdown per rate.
//!
//! The header's columns are in [`super::line_columns`], the header words in
//! [`super::line_headers`], lines printed as labelled blocks in [`super::line_blocks`] and lines
//! found by their sums in [`super::lines_summed`].

use bigdecimal::{BigDecimal, Zero};
use billify_ports::intake::{Extracted, ExtractedInvoice, InvoiceLine, VatBreakdown};

use super::labels::Kind;
use super::line_blocks::label_blocks;
use super::line_columns::{Basis, Head, is_table_header, with_wrapped_heads};
use super::line_headers::Col;
use super::line_rows::{Row, money, parse_plain};
use super::text::{find_amounts, find_percents, round2, skip_chars};
use super::{Cell, Ctx, pct};

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
    settle(ctx, super::lines_summed::summed_rows(ctx), None, true, per_rate, inv);
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
