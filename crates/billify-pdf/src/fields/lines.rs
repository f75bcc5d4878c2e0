//! Invoice lines from the table under a header row (description, quantity, unit price, VAT
//! rate, amount), checked against the subtotal, and the VAT breakdown per rate.

use std::str::FromStr;

use bigdecimal::{BigDecimal, Zero};
use billify_ports::intake::{Extracted, ExtractedInvoice, InvoiceLine, VatBreakdown};

use super::labels::Kind;
use super::text::{find_amounts, find_percents, round2};
use super::{Ctx, pct};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Description,
    Quantity,
    UnitPrice,
    Rate,
    Amount,
    Other,
}

const DESCRIPTION: &[&str] =
    &["description", "omschrijving", "designation", "bezeichnung", "artikel", "item", "product", "produit", "libelle"];
const QUANTITY: &[&str] =
    &["qty", "quantity", "aantal", "qte", "quantite", "menge", "anzahl", "hours", "uren", "units"];
const UNIT_PRICE: &[&str] =
    &["unit", "prijs", "price", "prix", "einzelpreis", "eenheidsprijs", "rate", "tarif", "p.u", "pu ", "stuksprijs"];
const RATE: &[&str] = &["vat", "btw", "tva", "ust", "mwst", "tax", "gst", "taux"];
const AMOUNT: &[&str] =
    &["amount", "bedrag", "montant", "betrag", "gesamt", "total", "taxable value", "net", "line total", "summe"];

fn column_of(norm: &str) -> Col {
    let starts = |ws: &[&str]| ws.iter().any(|w| norm.starts_with(w));
    if starts(DESCRIPTION) {
        Col::Description
    } else if starts(QUANTITY) {
        Col::Quantity
    } else if norm.starts_with("taxable") || norm.starts_with("tax excl") {
        Col::Amount
    } else if norm.starts_with("vat %") || norm.starts_with("vat rate") || starts(RATE) && !norm.contains("amount") {
        Col::Rate
    } else if starts(UNIT_PRICE) {
        Col::UnitPrice
    } else if starts(AMOUNT) {
        Col::Amount
    } else {
        Col::Other
    }
}

/// Whether global line `l` is the header row of a table of invoice lines.
pub(super) fn is_table_header(ctx: &Ctx, l: usize) -> bool {
    let line = &ctx.lines[l];
    // A header row is a few short cells; long lines are text, and skipping them keeps the
    // work linear on hostile pages.
    if line.len() > 16 || line.iter().any(|&j| ctx.cells[j].words.len() > 12) {
        return false;
    }
    let cols: Vec<Col> = header_columns(ctx, l).into_iter().map(|c| c.2).collect();
    line.len() >= 2
        && cols.contains(&Col::Description)
        && cols.iter().any(|c| matches!(c, Col::Quantity | Col::UnitPrice | Col::Amount))
}

/// The header words of line `l` as (x0, x1, column).
fn header_columns(ctx: &Ctx, l: usize) -> Vec<(f32, f32, Col)> {
    let mut out: Vec<(f32, f32, Col)> = Vec::new();
    for &j in &ctx.lines[l] {
        let c = &ctx.cells[j];
        let words: Vec<&str> = c.text.split(' ').collect();
        if words.len() == c.words.len() && words.len() > 1 {
            // A cell may hold several headers ("Qty Unit price"): classify from each word on,
            // keeping multi-word headers ("Unit price") together.
            let mut k = 0;
            while k < words.len() {
                let rest = super::text::norm(&words[k..words.len().min(k + 3)].join(" "));
                let col = column_of(&rest);
                let (x0, mut x1) = c.words[k];
                let mut next = k + 1;
                // Words that start no new header belong to this one ("Unit price").
                while next < words.len()
                    && column_of(&super::text::norm(&words[next..words.len().min(next + 3)].join(" "))) == Col::Other
                {
                    x1 = c.words[next].1;
                    next += 1;
                }
                out.push((x0, x1, col));
                k = next;
            }
        } else {
            out.push((c.x0, c.x1, column_of(&c.norm)));
        }
    }
    out
}

fn parse_plain(text: &str) -> Option<BigDecimal> {
    let t = text.trim();
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',')) {
        return None;
    }
    let t = if t.matches([',', '.']).count() == 1 { t.replace(',', ".") } else { return None };
    BigDecimal::from_str(&t).ok()
}

pub(super) fn lines(ctx: &Ctx, per_rate: &[(BigDecimal, BigDecimal)], inv: &mut ExtractedInvoice) {
    let mut out: Vec<InvoiceLine> = Vec::new();
    let headers: Vec<usize> = (0..ctx.lines.len()).filter(|&l| is_table_header(ctx, l)).collect();
    for &h in &headers {
        let cols = header_columns(ctx, h);
        let Some(first_numeric) = cols
            .iter()
            .filter(|c| c.2 != Col::Description)
            .map(|c| c.0)
            .filter(|&x| x > cols.iter().find(|c| c.2 == Col::Description).map_or(0.0, |c| c.0))
            .reduce(f32::min)
        else {
            continue;
        };
        let head = &ctx.cells[ctx.lines[h][0]];
        let mut last_y = head.y;
        for l in h + 1..ctx.lines.len() {
            let line = &ctx.lines[l];
            let Some(&first) = line.first() else { continue };
            let f = &ctx.cells[first];
            if f.page != head.page || last_y - f.y > 4.0 * f.size.max(head.size) || headers.contains(&l) {
                break;
            }
            let stop = line.iter().any(|&j| {
                ctx.cells[j].label.is_some_and(|(k, _)| {
                    matches!(k, Kind::Subtotal | Kind::Total | Kind::Due | Kind::Prepaid | Kind::Vat)
                        && ctx.cells[j].x0 >= first_numeric - 2.0 * f.size
                        // A heading of the next section ("VAT breakdown") ends the table too.
                        || k == Kind::Section
                })
            });
            if stop {
                break;
            }
            last_y = f.y;
            // Each word goes to the description when it ends left of the first number column,
            // else to the nearest column.
            let mut texts: Vec<(Col, String)> = Vec::new();
            for &j in line {
                let c = &ctx.cells[j];
                let words: Vec<&str> = c.text.split(' ').collect();
                let spans: Vec<(f32, f32)> =
                    if words.len() == c.words.len() { c.words.clone() } else { vec![(c.x0, c.x1); words.len()] };
                let whole = words.len() != c.words.len();
                let items: Vec<(&str, (f32, f32))> =
                    if whole { vec![(c.text.as_str(), (c.x0, c.x1))] } else { words.into_iter().zip(spans).collect() };
                for (w, (x0, x1)) in items {
                    let col = if x1 < first_numeric - 0.3 * c.size {
                        Col::Description
                    } else {
                        let dist = |(a, b, _): &(f32, f32, Col)| {
                            if x1 < *a {
                                a - x1
                            } else if x0 > *b {
                                x0 - b
                            } else {
                                -(x1.min(*b) - x0.max(*a))
                            }
                        };
                        cols.iter()
                            .filter(|c| c.2 != Col::Description)
                            .min_by(|a, b| dist(a).total_cmp(&dist(b)))
                            .map_or(Col::Other, |c| c.2)
                    };
                    match texts.iter_mut().find(|(k, _)| *k == col) {
                        Some((_, t)) => {
                            t.push(' ');
                            t.push_str(w);
                        }
                        None => texts.push((col, w.to_string())),
                    }
                }
            }
            let get = |col: Col| texts.iter().find(|(k, _)| *k == col).map(|(_, t)| t.as_str());
            let description = get(Col::Description).unwrap_or("").trim().to_string();
            let amount = get(Col::Amount).and_then(|t| {
                find_amounts(t)
                    .last()
                    .map(|a| a.value.clone())
                    .or_else(|| t.split(' ').next_back().and_then(parse_plain))
            });
            match amount {
                Some(line_total) if !description.is_empty() => {
                    let quantity = get(Col::Quantity).and_then(|t| t.split(' ').find_map(parse_plain));
                    let unit_price = get(Col::UnitPrice).and_then(|t| {
                        find_amounts(t).last().map(|a| a.value.clone()).or_else(|| t.split(' ').find_map(parse_plain))
                    });
                    let vat_rate = get(Col::Rate).and_then(|t| find_percents(t).into_iter().next());
                    out.push(InvoiceLine { description, quantity, unit_price, line_total, vat_rate });
                }
                None if !description.is_empty() && texts.len() == 1 => {
                    // A description running onto a second line.
                    if let Some(prev) = out.last_mut() {
                        prev.description.push(' ');
                        prev.description.push_str(&description);
                    }
                }
                _ => {}
            }
        }
    }
    if out.is_empty() {
        return;
    }
    let sum = out.iter().fold(BigDecimal::zero(), |acc, l| acc + &l.line_total);
    let matches = inv.subtotal.as_ref().is_some_and(|s| s.value == sum);
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
