//! Amounts written in a sentence, as people type invoices as letters: "Fotoreportage: EUR
//! 75,00 + Btw 21% EUR 15,75. Het totaal bedraagt EUR 90,75." A net amount, a VAT word and a
//! VAT amount joined by "+" give the subtotal and the VAT, when nothing labelled gave them and
//! the two add up to the total.

use std::sync::LazyLock;

use billify_ports::intake::{Extracted, ExtractedInvoice};
use regex::Regex;

use super::text::find_amounts;
use super::{Ctx, pct};

/// "<amount> + <VAT word> [rate %] <amount>", on a normalised cell.
static NET_PLUS_VAT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?P<net>(?:eur|€|chf|£|\$)?\s?\d[\d.,' ]*\d(?:\s?(?:eur|€|chf))?)\s*\+\s*(?:btw|vat|tva|mwst\.?|ust\.?|iva|moms|gst)\s*(?:\d{1,2}(?:[.,]\d{1,2})?\s?%)?\s*(?P<vat>(?:eur|€|chf|£|\$)?\s?\d[\d.,' ]*\d(?:\s?(?:eur|€|chf))?)",
    )
    .ok()
});

/// Fills the subtotal and the VAT from a sentence, when both are missing and they add up to
/// the total.
pub(super) fn net_plus_vat(ctx: &Ctx, inv: &mut ExtractedInvoice) {
    if inv.subtotal.is_some() || inv.vat_amount.is_some() {
        return;
    }
    let Some(total) = inv.total.as_ref().map(|t| t.value.clone()) else { return };
    let Some(re) = NET_PLUS_VAT.as_ref() else { return };
    for c in &ctx.cells {
        for m in re.captures_iter(&c.norm) {
            let net = find_amounts(&m["net"]).pop();
            let vat = find_amounts(&m["vat"]).pop();
            if let (Some(net), Some(vat)) = (net, vat)
                && &net.value + &vat.value == total
            {
                inv.subtotal = Some(Extracted::new(net.value, pct(70)));
                inv.vat_amount = Some(Extracted::new(vat.value, pct(70)));
                return;
            }
        }
    }
}
