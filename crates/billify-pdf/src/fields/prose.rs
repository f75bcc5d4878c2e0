//! What a document says in sentences rather than labels: a net amount plus VAT ("Fotoreportage:
//! EUR 75,00 + Btw 21% EUR 15,75. Het totaal bedraagt EUR 90,75.") gives the subtotal and the
//! VAT when nothing labelled gave them and the two add up to the total; a statement that the
//! invoice is paid ("Betaald met Bancontact. Je hoeft niets meer te betalen.", "PAID – charged
//! to Mastercard") leaves nothing due.

use std::sync::LazyLock;

use bigdecimal::{BigDecimal, Zero};
use billify_ports::intake::{Extracted, ExtractedInvoice};
use regex::Regex;

use super::labels::Kind;
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

/// Sentences that say the invoice is paid or settled, normalised (lower case, no accents).
const PAID_IN_FULL: &[&str] = &[
    "paid in full",
    "has been paid",
    "already paid",
    "nothing to pay",
    "no payment is required",
    "no payment required",
    "paid with",
    "paid by card",
    "paid -",
    "paid –",
    "betaald -",
    "betaald –",
    "payee -",
    "payee –",
    "prelevee sur la carte",
    "preleve sur la carte",
    "bezahlt -",
    "bezahlt –",
    "charged to",
    "settled against",
    "deducted from your payout",
    "je hoeft niets meer te betalen",
    "u hoeft niets meer te betalen",
    "je hoeft niets te doen",
    "u hoeft niets te doen",
    "er staat geen bedrag meer open",
    "betaald met",
    "reeds betaald",
    "is betaald",
    "betaald op",
    "paid on",
    "paye le",
    "bezahlt am",
    "verrekend met je uitbetaling",
    "verrekend met uw uitbetaling",
    "deja paye",
    "paye par carte",
    "paye avec",
    "reglee par",
    "regle par",
    "rien a payer",
    "facture acquittee",
    "bereits bezahlt",
    "bezahlt mit",
    "bezahlt per",
    "nichts mehr zu zahlen",
    "verrechnet mit",
];

/// Words that put a payment in the future or deny it ("will be charged to", "wordt verrekend
/// met", "nog niet is betaald"), as whole words before the phrase.
const NOT_YET: &[&str] = &[
    "will", "wordt", "worden", "sera", "seront", "wird", "werden", "to", "not", "niet", "nicht", "pas", "non", "never",
    "nooit", "nie",
];

/// Leaves nothing due when the document says it is paid and no amount due was read other than
/// the total.
pub(super) fn paid_in_full(ctx: &Ctx, inv: &mut ExtractedInvoice) {
    let Some(total) = inv.total.as_ref().map(|t| t.value.clone()) else { return };
    if total.is_zero() || inv.amount_due.as_ref().is_some_and(|d| d.value != total) {
        return;
    }
    // "Amount due $18.34" printed beside "Charged to Visa …": the label says what is due.
    let due_printed = ctx.labelled(&[Kind::Due]).any(|(i, _)| {
        ctx.lines[ctx.cells[i].line]
            .iter()
            .any(|&j| find_amounts(&ctx.cells[j].text).iter().any(|a| !a.value.is_zero()))
    });
    if due_printed {
        return;
    }
    // A sentence, not a label: no amount on its line ("Reeds betaald  € 0,00", "Montant déjà
    // payé :" label what was paid, they do not say all was).
    let said = ctx.cells.iter().any(|c| {
        let n = &c.norm;
        !n.trim_end().ends_with(':')
            && PAID_IN_FULL.iter().any(|p| {
                n.find(p).is_some_and(|at| {
                    // Only the words of the phrase's own sentence count.
                    let sentence = n[..at].rsplit(['.', '!', '?']).next().unwrap_or_default();
                    !sentence.split(|ch: char| !ch.is_alphanumeric()).any(|w| NOT_YET.contains(&w))
                })
            })
            && !ctx.lines[c.line].iter().any(|&j| !find_amounts(&ctx.cells[j].text).is_empty())
    });
    if said {
        inv.amount_due = Some(Extracted::new(BigDecimal::zero(), pct(70)));
        if inv.prepaid.is_none() {
            inv.prepaid = Some(Extracted::new(total, pct(70)));
        }
    }
}
