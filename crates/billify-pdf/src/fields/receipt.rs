//! The items of a till receipt, which has no table header: the lines between the rule under
//! the letterhead and the total, each an item and its price with VAT, often a VAT code letter
//! (`Koffie to go  2,80 A`), and a quantity line over or under it (`2 x 19,63`). The code's
//! rate comes from the receipt's VAT summary (`A 21% 59,68 12,53`, `TVA B 6% sur 29,68`), and
//! each item's amount without VAT is worked out from it, as the port's line total is net.
//! Items are kept only when their prices add up to the total exactly.

use std::str::FromStr;
use std::sync::LazyLock;

use bigdecimal::{BigDecimal, Zero};
use billify_ports::intake::{ExtractedInvoice, InvoiceLine};
use regex::Regex;

use super::Ctx;
use super::labels::Kind;
use super::text::{find_amounts, round2};

/// An item's line: its text, its price with VAT and the VAT code letter after it.
static ITEM: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^(?P<desc>.*?)\s*(?P<amount>-?\d{1,3}(?:[.,]\d{3})*[.,]\d{2})(?:\s+(?P<code>[A-H]))?$").ok()
});
/// A quantity line: `2 x 19,63`, `37,68 L x 1,842 EUR/L`.
static QUANTITY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^(?P<qty>\d+(?:[.,]\d+)?)\s*(?:[A-Za-z]{1,3}\s*)?[x×X]\s*(?:€\s*)?(?P<unit>\d+(?:[.,]\d+)?)(?:\s*(?:EUR|€)?(?:/\w+)?)?$")
        .ok()
});
/// A VAT code with its rate in the summary: `A 21%`, `TVA B 6%`, `BTW A: 21 %`.
static CODE_RATE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?:^|\s)(?P<code>[A-H])\s*:?\s+(?P<rate>\d{1,2}(?:[.,]\d{1,2})?)\s?%").ok());

/// One item as read: its description, price with VAT, code and quantity details.
struct Item {
    description: String,
    gross: BigDecimal,
    code: Option<char>,
    quantity: Option<(BigDecimal, BigDecimal)>,
}

fn number(text: &str) -> Option<BigDecimal> {
    BigDecimal::from_str(&text.replace(',', ".")).ok()
}

fn quantity_of(text: &str) -> Option<(BigDecimal, BigDecimal)> {
    let c = QUANTITY.as_ref()?.captures(text.trim())?;
    Some((number(&c["qty"])?, number(&c["unit"])?))
}

/// Whether a line is a rule (`-----`, `=====`, `*****`).
fn is_rule(text: &str) -> bool {
    let t = text.trim();
    t.chars().count() >= 10 && t.chars().all(|c| matches!(c, '-' | '=' | '_' | '*' | '—' | '─'))
}

/// Reads a till receipt's items into `inv.lines` when no table of lines was read.
pub(super) fn receipt_lines(ctx: &Ctx, inv: &mut ExtractedInvoice) {
    if !inv.lines.is_empty() {
        return;
    }
    let Some(total) = inv.total.as_ref().map(|t| t.value.clone()) else { return };
    let (Some(item_re), Some(code_re)) = (ITEM.as_ref(), CODE_RATE.as_ref()) else { return };
    let texts: Vec<String> =
        ctx.lines.iter().map(|l| l.iter().map(|&i| ctx.cells[i].text.as_str()).collect::<Vec<_>>().join(" ")).collect();
    // The items start under the rule below the letterhead or, where no rule sets them off,
    // with the first line that reads as one.
    let first_rule = texts.iter().position(|t| is_rule(t));
    let first_item = texts.iter().position(|t| {
        let t = t.trim();
        quantity_of(t).is_some() || item_re.captures(t).is_some_and(|c| c["desc"].chars().any(char::is_alphabetic))
    });
    let starts = [first_rule.map(|r| r + 1), first_item];
    let adds_up = |items: &[Item]| items.iter().fold(BigDecimal::zero(), |s, i| s + &i.gross) == total;
    let Some((items, end)) = starts
        .into_iter()
        .flatten()
        .find_map(|from| read_items(ctx, &texts, from, item_re).filter(|(items, _)| adds_up(items)))
    else {
        return;
    };
    // The rate of each code, from the summary under the items.
    let mut rates: Vec<(char, BigDecimal)> = Vec::new();
    for text in texts.iter().skip(end) {
        for c in code_re.captures_iter(text) {
            let code = c["code"].chars().next().unwrap_or('?');
            if let Some(rate) = number(&c["rate"])
                && !rates.iter().any(|(k, _)| *k == code)
            {
                rates.push((code, rate));
            }
        }
    }
    let single = inv.vat_rate.as_ref().map(|r| r.value.clone());
    let hundred = BigDecimal::from(100);
    let mut lines = Vec::with_capacity(items.len());
    for item in items {
        let rate = match item.code {
            Some(code) => rates.iter().find(|(k, _)| *k == code).map(|(_, r)| r.clone()),
            None if rates.is_empty() => single.clone(),
            None => None,
        };
        let Some(rate) = rate else { return };
        let net = |v: &BigDecimal| round2(&(v * &hundred / (&hundred + &rate)));
        let (quantity, unit_price) = match &item.quantity {
            // A fuel price keeps its third decimal ("1,842 EUR/L").
            Some((q, u)) => {
                let scale = u.fractional_digit_count().max(2);
                let unit =
                    (u * &hundred / (&hundred + &rate)).with_scale_round(scale, bigdecimal::RoundingMode::HalfUp);
                (Some(q.clone()), Some(unit))
            }
            None => (None, None),
        };
        lines.push(InvoiceLine {
            description: item.description,
            quantity,
            unit_price,
            line_total: net(&item.gross),
            vat_rate: Some(rate),
        });
    }
    inv.lines = lines;
}

/// The items from line `from` on, up to a rule, a totals label or the page's end, and the line
/// they end at; `None` when a line there reads as no item.
fn read_items(ctx: &Ctx, texts: &[String], from: usize, item_re: &Regex) -> Option<(Vec<Item>, usize)> {
    let page = ctx.lines.get(from)?.first().map(|&i| ctx.cells[i].page);

    let mut items: Vec<Item> = Vec::new();
    let mut pending_text: Option<String> = None;
    let mut pending_quantity: Option<(BigDecimal, BigDecimal)> = None;
    let mut end = from;
    for (l, text) in texts.iter().enumerate().skip(from) {
        end = l;
        let labelled = ctx.lines[l].iter().any(|&i| {
            ctx.cells[i]
                .label
                .is_some_and(|(k, _)| matches!(k, Kind::Subtotal | Kind::Vat | Kind::Total | Kind::Due | Kind::Prepaid))
        });
        let first_page = ctx.lines[l].first().map(|&i| ctx.cells[i].page);
        if is_rule(text) || labelled || first_page != page {
            break;
        }
        let text = text.trim();
        if let Some(q) = quantity_of(text) {
            // "37,68 L x 1,842 EUR/L" under the item it details, or "  3 x 12,82" over the
            // item it belongs to: the product says which.
            match items.last_mut() {
                Some(last) if last.quantity.is_none() && round2(&(&q.0 * &q.1)) == last.gross => {
                    last.quantity = Some(q);
                }
                _ => pending_quantity = Some(q),
            }
        } else if let Some(c) = item_re.captures(text)
            && let Some(gross) = find_amounts(&c["amount"]).pop().map(|a| a.value)
        {
            let desc = c["desc"].trim().to_string();
            // "Summe Nachlässe:  5,00": a labelled amount, not an item.
            if desc.ends_with(':') {
                return None;
            }
            let code = c.name("code").and_then(|m| m.as_str().chars().next());
            if let Some(q) = quantity_of(&desc) {
                // "  2 x 19,63   39,26 A" under its description.
                let description = pending_text.take()?;
                items.push(Item { description, gross, code, quantity: Some(q) });
            } else if desc.chars().any(char::is_alphabetic) {
                let description = match pending_text.take() {
                    Some(p) => format!("{p} {desc}"),
                    None => desc,
                };
                items.push(Item { description, gross, code, quantity: pending_quantity.take() });
            } else {
                return None;
            }
        } else if text.chars().any(char::is_alphabetic) && pending_text.is_none() {
            pending_text = Some(text.to_string());
        } else {
            return None;
        }
    }
    (!items.is_empty() && pending_text.is_none() && pending_quantity.is_none()).then_some((items, end))
}
