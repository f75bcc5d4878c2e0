//! A row of invoice lines as read, before it becomes the port's `InvoiceLine`, and the number
//! forms its columns hold.

use std::str::FromStr;

use bigdecimal::BigDecimal;

use super::text::find_amounts;

/// A row read from the table, before its description is settled.
pub(super) struct Row {
    pub(super) description: String,
    pub(super) quantity: Option<BigDecimal>,
    pub(super) unit_price: Option<BigDecimal>,
    pub(super) amount: BigDecimal,
    pub(super) vat_rate: Option<BigDecimal>,
    /// Quantity × price, for a price-only table whose price turns out to be per unit.
    pub(super) extended: Option<BigDecimal>,
}

/// A plain number ("4", "-4", "1,5", "12.50"): one decimal separator, no grouping.
pub(super) fn parse_plain(text: &str) -> Option<BigDecimal> {
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
pub(super) fn money(t: &str) -> Option<BigDecimal> {
    find_amounts(t).last().map(|a| a.value.clone()).or_else(|| t.split(' ').next_back().and_then(parse_plain))
}
