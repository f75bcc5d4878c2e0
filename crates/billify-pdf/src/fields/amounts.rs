//! Subtotal, VAT and total, chosen together so that subtotal + VAT = total where the page allows.

use std::str::FromStr;
use std::sync::LazyLock;

use bigdecimal::{BigDecimal, Zero};
use billify_domain::Currency;
use billify_ports::intake::{DocumentKind, Extracted, ExtractedInvoice};
use regex::Regex;

use super::amount_tables::{
    CURRENCY_WORDS, closed_by_sum, column_kind, column_total, heads_amount_table, per_rate_header, row_amounts,
};
use super::currency::{currency_anywhere, currency_of_country};
use super::labels::Kind;
use super::text::{
    AmountMatch, bare_amount, find_amounts, find_percents, label_currency, round2, skip_chars, trim_sep,
};
use super::{Cand, Ctx, Place, best, pct};

/// An amount candidate.
#[derive(Debug, Clone)]
pub(super) struct Amount {
    value: BigDecimal,
    currency: Option<Currency>,
    rate: Option<BigDecimal>,
}

/// A consistent (score, subtotal, VAT, total) choice.
pub(super) type Triple<'a> = (i32, &'a Cand<Amount>, &'a Cand<Amount>, &'a Cand<Amount>);

/// Fills the amounts of `inv`; returns the VAT printed per rate, (rate, VAT), one per rate.
/// What is left of `total` once `paid` (a magnitude) is paid: less for an invoice, towards
/// zero for a credit note's negative total ("Total TTC -100,00", "Acompte reçu -10,00",
/// "Montant restant dû -90,00").
fn less_paid(total: &BigDecimal, paid: &BigDecimal) -> BigDecimal {
    if total.sign() == bigdecimal::num_bigint::Sign::Minus { total + paid } else { total - paid }
}

pub(super) fn amounts(ctx: &Ctx, inv: &mut ExtractedInvoice) -> Vec<(BigDecimal, BigDecimal)> {
    let mut subtotal: Vec<Cand<Amount>> = Vec::new();
    let mut vat: Vec<Cand<Amount>> = Vec::new();
    let mut total: Vec<Cand<Amount>> = Vec::new();
    let mut due: Vec<Cand<Amount>> = Vec::new();
    let mut prepaid: Vec<Cand<Amount>> = Vec::new();
    let mut refund: Vec<Cand<Amount>> = Vec::new();
    let mut rounding: Vec<BigDecimal> = Vec::new();
    static RATE_FIRST: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(r"^(\d{1,2}(?:[.,]\d{1,2})?)\s?%\s*(?:btw|vat|tva|mwst\.?|ust\.?|tax|umsatzsteuer)\b").ok()
    });
    for (i, c) in ctx.cells.iter().enumerate() {
        let mut kind = c.label.map(|l| l.0);
        // "plus 19% VAT", "zzgl. 7 % USt.": a rate first after an adding word.
        // "+21% VAT" (Kraft) too.
        let after_plus = ["plus ", "zzgl. ", "zzgl ", "zuzuglich ", "+"].iter().find_map(|p| c.norm.strip_prefix(p));
        let rate_first = RATE_FIRST.as_ref().and_then(|re| re.captures(after_plus.unwrap_or(&c.norm))).is_some();
        if rate_first {
            kind = Some(Kind::Vat);
        }
        // Kraft's English totals, "Net" and "Sum", each alone in its cell: as labels these words
        // would also start names ("Net & Clair SRL").
        match c.norm.trim().trim_end_matches(':') {
            "net" if kind.is_none() => kind = Some(Kind::Subtotal),
            "sum" if kind.is_none() => kind = Some(Kind::Total),
            _ => {}
        }
        let Some(kind) = kind else { continue };
        if !matches!(
            kind,
            Kind::Subtotal | Kind::Vat | Kind::Total | Kind::Due | Kind::Prepaid | Kind::Refund | Kind::Rounding
        ) {
            continue;
        }
        // A column header of the table of lines ("USt", "Montant HT") heads line values, and one
        // of a VAT summary with a row per rate heads each rate's amounts, not the totals.
        if super::line_columns::is_table_header(ctx, c.line)
            || per_rate_header(ctx, c.line) && !closed_by_sum(ctx, c.line)
        {
            continue;
        }
        let label_len = c.label.map_or(0, |l| l.1);
        let rest_norm = trim_sep(skip_chars(&c.norm, label_len));
        // "Payment" labels a payment only alone in its cell ("PAYMENT  720.91").
        if kind == Kind::Prepaid
            && label_len == "payment".len()
            && c.norm.starts_with("payment")
            && !rest_norm.is_empty()
        {
            continue;
        }
        if kind == Kind::Vat
            && ["number", "nummer", "nr", "no", "id", "n°", "reg", "identification", "registration"]
                .iter()
                .any(|w| rest_norm.starts_with(w))
        {
            continue;
        }
        // "TVA : FR11999999998 - SIRET … - SARL au capital de 120 000,00 €": a VAT label over a
        // VAT number labels no amount.
        if kind == Kind::Vat
            && super::parties::VAT_RE
                .as_ref()
                .is_some_and(|re| re.find(&rest_norm.to_ascii_uppercase()).is_some_and(|m| m.start() == 0))
        {
            continue;
        }
        let mut rate = find_percents(&c.text).into_iter().next();
        let mut kind = kind;
        // "Totaal Honorarium" / "Totaal BTW" / "Totaal": the total of one part, over the bare
        // grand total below it in the same column, is a partial sum (the CTAN invoice package's
        // fees, expenses and VAT totals).
        if kind == Kind::Total && rate.is_none() && partial_total(ctx, i, rest_norm) {
            kind = Kind::Subtotal;
        }
        // "Te betalen BTW hoog on 161,25  33,86" (LedgerSMB's Dutch chart): the VAT payable,
        // not the amount due.
        if kind == Kind::Due
            && ["btw", "vat", "tva", "mwst", "ust", "umsatzsteuer"]
                .iter()
                .any(|w| rest_norm.split_whitespace().next() == Some(*w))
        {
            kind = Kind::Vat;
        }
        if kind == Kind::Total && rate.is_some() {
            // "TOTAL 21%": the VAT of one rate.
            kind = Kind::Vat;
        }
        // "Sous-Total  5.436,65 €  541,76 €  5.978,41 €" under columns of net amounts, VAT and
        // line totals: the last three amounts on a subtotal row (after a discount
        // column's, if any), the first two adding up to the third, are the net amount, the VAT
        // and the total.
        // "Totals  682,00  74,29  756,29" closing a VAT summary with a row per rate reads the
        // same way where no other total is labelled: a hotel's VAT summary under its "Totaal"
        // leaves out the city tax.
        let priced = |line: usize| ctx.lines[line].iter().any(|&j| !find_amounts(&ctx.cells[j].text).is_empty());
        let sole_total = kind == Kind::Total
            && ctx.labelled(&[Kind::Total]).all(|(j, _)| ctx.cells[j].line == c.line || !priced(ctx.cells[j].line));
        let row = if kind == Kind::Subtotal || sole_total {
            row_amounts(ctx, i, &c.text, c.label.map_or(0, |l| l.1))
        } else {
            Vec::new()
        };
        if (3..=4).contains(&row.len())
            && let [.., (net, n), (tax, t), (gross, g)] = &row[..]
            && !net.value.is_zero()
            && &net.value + &tax.value == gross.value
        {
            let cand = |a: &AmountMatch, cell: usize| Cand {
                value: Amount { value: a.value.clone(), currency: a.currency, rate: None },
                score: 12,
                order: i,
                cell,
            };
            subtotal.push(cand(net, *n));
            vat.push(cand(tax, *t));
            // Scored below a total labelled on its own, which the choice prefers where the
            // amounts allow; where the row's three add up and the labelled total does not (a
            // hotel's VAT columns summing without the city tax), the row's gross still wins.
            total.push(Cand { score: 8, ..cand(gross, *g) });
            continue;
        }
        // "Total  €3.738,22  €617,17" closing a VAT summary table: each amount under its
        // column's header (net amount, VAT); the row is not the grand total.
        if kind == Kind::Total {
            let beside: Vec<(AmountMatch, usize)> = ctx
                .values(i, false)
                .into_iter()
                .filter(|(_, p, cell)| *p == Place::Right && *cell != i)
                .filter_map(|(t, _, cell)| find_amounts(&t).pop().map(|a| (a, cell)))
                .collect();
            if beside.len() >= 2 {
                let mut placed = false;
                for (a, cell) in beside {
                    let amount = Amount { value: a.value.clone(), currency: a.currency, rate: None };
                    let cand = Cand { value: amount, score: 9, order: i, cell };
                    match column_kind(ctx, cell) {
                        Some(Kind::Subtotal) => subtotal.push(cand),
                        Some(Kind::Vat) => vat.push(cand),
                        _ => continue,
                    }
                    placed = true;
                }
                if placed {
                    continue;
                }
            }
        }
        let mut found: Option<(Amount, Place, usize)> = None;
        for (text, place, cell) in ctx.values(i, true) {
            if place == Place::Below && found.is_some() {
                break;
            }
            if rate.is_none() && place != Place::Below {
                rate = find_percents(&text).into_iter().next();
            }
            let mut list = find_amounts(&text);
            if list.is_empty()
                && place != Place::Below
                && let Some(currency) = label_currency(rest_norm)
                && let Some(value) = bare_amount(&text)
            {
                list.push(AmountMatch { value, currency: Some(currency) });
            }
            // "14.602,56 EUR (enthält 1.882,28 EUR MwSt.)": a total with the VAT it includes
            // in brackets; the first amount is the total, the bracketed one the VAT.
            if kind == Kind::Total && list.len() >= 2 && includes_vat(&text) {
                let a = &list[0];
                found = Some((Amount { value: a.value.clone(), currency: a.currency, rate: None }, place, cell));
                if let Some(v) = list.last() {
                    let rate = find_percents(&text).into_iter().next();
                    let amount = Amount { value: v.value.clone(), currency: v.currency, rate };
                    vat.push(Cand { value: amount, score: 9 + place.bonus(), order: i, cell });
                }
                break;
            }
            // On the label's line the rightmost amount is the column total.
            if let Some(a) = list.last() {
                let amount = Amount { value: a.value.clone(), currency: a.currency, rate: None };
                found = Some((amount, place, cell));
                if place != Place::Below {
                    // Keep looking right for a later amount on the same line: "VAT 21% (on
                    // 1.000,00)  210,00" has its base in the label cell and the VAT at the end.
                    continue;
                }
                break;
            } else if found.is_none()
                && place == Place::Right
                && let Some(a) = wrapped_before_currency(ctx, cell)
            {
                found = Some((Amount { value: a.value, currency: a.currency, rate: None }, place, cell));
                break;
            } else if found.is_some()
                // "Btw 21% over 180,85  EUR  37,98": a currency column between base and VAT.
                && !(place == Place::Right && CURRENCY_WORDS.contains(&text.trim().to_ascii_uppercase().as_str()))
            {
                break;
            }
        }
        // A tax table's header ("Nettobetrag  MwSt-Betrag  Endbetrag") over a row per rate and
        // the rows' sum: the sum row is the document's amount, however far below it stands.
        let mut closed = false;
        if found.as_ref().is_none_or(|(_, p, _)| *p == Place::Below)
            && heads_amount_table(ctx, i)
            && let Some((a, cell, sum)) = column_total(ctx, i)
        {
            found = Some((Amount { value: a.value, currency: a.currency, rate: None }, Place::Below, cell));
            closed = sum;
        }
        let Some((mut amount, place, cell)) = found else { continue };
        // "Réservation  Client  Arrivée  Départ  Montant du" over rows of bookings: a label in a
        // row of column headers heads a column of several amounts with no sum, not a total.
        let header_row = ctx.lines[c.line].len() >= 4
            && ctx.lines[c.line].iter().all(|&j| !ctx.cells[j].text.chars().any(|ch| ch.is_ascii_digit()));
        if header_row && place == Place::Below && !closed && column_total(ctx, i).is_none() {
            continue;
        }
        if kind == Kind::Refund && !refund_label(rest_norm) {
            continue;
        }
        if kind == Kind::Vat {
            amount.rate = rate;
        }
        let generic = matches!(c.norm.as_str(), n if n == "total" || n.starts_with("total ") && kind == Kind::Total);
        let score = 10 + place.bonus() - i32::from(generic) + i32::from(closed);
        let cand = Cand { value: amount, score, order: i, cell };
        match kind {
            Kind::Subtotal => subtotal.push(cand),
            Kind::Vat => vat.push(cand),
            Kind::Total => total.push(cand),
            Kind::Due => due.push(cand),
            Kind::Refund => refund.push(cand),
            Kind::Rounding => rounding.push(cand.value.value),
            _ => prepaid.push(cand),
        }
    }

    // "Gesamtsumme  198,00" / "Summe Umsatzsteuer  37,62" / "Gesamtsumme  235,62" (the KoSIT
    // visualisation labels the amounts without and with VAT alike): a total, then a VAT amount,
    // then a total that is their sum. The first is the net total.
    let net_totals: Vec<usize> = (0..total.len())
        .filter(|&a| {
            total.iter().any(|t2| {
                t2.order > total[a].order
                    && vat.iter().any(|v| {
                        v.order > total[a].order
                            && v.order < t2.order
                            && &total[a].value.value + &v.value.value == t2.value.value
                    })
            })
        })
        .collect();
    for &a in net_totals.iter().rev() {
        let c = total.remove(a);
        subtotal.push(Cand { score: c.score.max(11), ..c });
    }

    // Several VAT rates: their sum is a VAT total candidate too. A rate printed twice (in the
    // totals and again in a VAT table) counts once.
    // Only the rates on the total's page: a telecom bill's explanatory example on another page
    // prints rates of its own.
    let total_page = best(&total).map(|t| ctx.cells[t.cell].page);
    let mut rated: Vec<&Cand<Amount>> = Vec::new();
    for c in vat.iter().filter(|c| c.value.rate.is_some() && total_page.is_none_or(|p| ctx.cells[c.cell].page == p)) {
        if !rated.iter().any(|r| r.value.rate == c.value.rate) {
            rated.push(c);
        }
    }
    let per_rate: Vec<(BigDecimal, BigDecimal)> =
        rated.iter().filter_map(|c| Some((c.value.rate.clone()?, c.value.value.clone()))).collect();
    let several_rates = rated.len() >= 2;
    if several_rates {
        let sum = rated.iter().fold(BigDecimal::zero(), |acc, c| acc + &c.value.value);
        let order = rated.iter().map(|c| c.order).max().unwrap_or(0);
        vat.push(Cand {
            value: Amount { value: sum, currency: rated[0].value.currency, rate: None },
            score: 8,
            order,
            cell: rated[0].cell,
        });
    }

    // The best consistent triple: subtotal + VAT = total (or amount due), with a rounding line
    // between them when one is printed.
    let mut triple: Option<Triple<'_>> = None;
    // Its sign is not always printed ("Arrondi 0,02"): either way, and less than a unit.
    let one = BigDecimal::from(1);
    rounding.retain(|r| r.abs() < one);
    let adds_up =
        |sum: BigDecimal, t: &BigDecimal| sum == *t || rounding.iter().any(|r| &sum + r == *t || &sum - r == *t);
    for t in total.iter().chain(due.iter()) {
        for s in &subtotal {
            for v in &vat {
                // No VAT is charged on a zero net amount: "0 + 3.273,00 = 3.273,00" is a blank
                // field beside the net amount read as VAT.
                let vat_on_nothing = s.value.value.is_zero() && !v.value.value.is_zero();
                if adds_up(&s.value.value + &v.value.value, &t.value.value)
                    && !t.value.value.is_zero()
                    && !vat_on_nothing
                {
                    let score = s.score + v.score + t.score;
                    let better = match &triple {
                        None => true,
                        Some((bs, _, _, bt)) => score > *bs || (score == *bs && t.order > bt.order),
                    };
                    if better {
                        triple = Some((score, s, v, t));
                    }
                }
            }
        }
    }

    let mut chosen_total: Option<&Cand<Amount>> = None;
    let triple_total = triple.map(|(_, _, _, t)| t.value.value.clone());
    if let Some((_, s, v, t)) = triple {
        let sum = &s.value.value + &v.value.value;
        if sum != t.value.value {
            inv.rounding_amount = Some(Extracted::new(&t.value.value - sum, pct(90)));
        }
        inv.subtotal = Some(Extracted::new(s.value.value.clone(), pct(95)));
        inv.vat_amount = Some(Extracted::new(v.value.value.clone(), pct(95)));
        // The total is the labelled total equal to t when there is one.
        let t = total.iter().filter(|c| c.value.value == t.value.value).max_by_key(|c| (c.score, c.order)).unwrap_or(t);
        inv.total = Some(Extracted::new(t.value.value.clone(), pct(95)));
        chosen_total = Some(t);
        if let Some(rate) = v.value.rate.clone().or_else(|| single_rate(&vat)) {
            let ok = rate_matches(&s.value.value, &rate, &v.value.value);
            inv.vat_rate = Some(Extracted::new(rate, pct(if ok { 95 } else { 70 })));
        } else if let Some(rate) = derive_rate(&s.value.value, &v.value.value) {
            inv.vat_rate = Some(Extracted::new(rate, pct(75)));
        }
    } else {
        // No consistent set. A zero total beside a non-zero amount is a blank field or a
        // line's value, not the document's total; a subtotal of the other sign than the total
        // belongs to something else (a credit line, a discount).
        let non_zero = |c: &Cand<Amount>| !c.value.value.is_zero();
        let t = best_where(&total, non_zero)
            .or_else(|| best_where(&due, non_zero))
            .or_else(|| best(&total))
            .or_else(|| best(&due));
        let s = best(&subtotal).filter(|s| {
            t.is_none_or(|t| {
                s.value.value.is_zero() || t.value.value.is_zero() || s.value.value.sign() == t.value.value.sign()
            })
        });
        // Several rates printed without a VAT total: the VAT is their sum, not one rate's.
        let v = if several_rates { best_where(&vat, |c| c.value.rate.is_none()) } else { best(&vat) };
        if let Some(t) = t {
            inv.total = Some(Extracted::new(t.value.value.clone(), pct(70)));
            chosen_total = Some(t);
        }
        // A derived amount must not change sign: a negative subtotal beside a positive total
        // says the candidates do not belong together.
        let same_sign = |a: &BigDecimal, b: &BigDecimal| a.is_zero() || (a.sign() == b.sign());
        match (s, v, t) {
            (Some(s), None, Some(t)) => {
                inv.subtotal = Some(Extracted::new(s.value.value.clone(), pct(60)));
                let v = &t.value.value - &s.value.value;
                if same_sign(&v, &t.value.value) {
                    inv.vat_amount = Some(Extracted::new(v, pct(45)));
                }
            }
            (None, Some(v), Some(t)) => {
                inv.vat_amount = Some(Extracted::new(v.value.value.clone(), pct(60)));
                let s = &t.value.value - &v.value.value;
                if same_sign(&s, &t.value.value) && !s.is_zero() {
                    inv.subtotal = Some(Extracted::new(s, pct(45)));
                }
            }
            (Some(s), Some(v), Some(t)) if &s.value.value + &v.value.value != t.value.value => {
                // A subtotal before shipping or a discount: the total less the VAT is the
                // taxable amount, when the VAT rate says so and not of the printed subtotal.
                let net = &t.value.value - &v.value.value;
                let rate = v.value.rate.clone().or_else(|| single_rate(&vat));
                let fits = rate.as_ref().is_some_and(|r| {
                    rate_matches(&net, r, &v.value.value) && !rate_matches(&s.value.value, r, &v.value.value)
                });
                let value =
                    if fits && same_sign(&net, &t.value.value) && !net.is_zero() { net } else { s.value.value.clone() };
                inv.subtotal = Some(Extracted::new(value, pct(50)));
                inv.vat_amount = Some(Extracted::new(v.value.value.clone(), pct(55)));
            }
            _ => {
                inv.subtotal = s.map(|s| Extracted::new(s.value.value.clone(), pct(55)));
                inv.vat_amount = v.map(|v| Extracted::new(v.value.value.clone(), pct(55)));
            }
        }
        if let Some(v) = v
            && let Some(rate) = v.value.rate.clone()
        {
            inv.vat_rate = Some(Extracted::new(rate, pct(60)));
        }
    }

    // Amount due: the "amount due" candidate that equals the total, or the total less what
    // was prepaid; else the best-placed, latest one.
    // A card or wallet names what was paid on a payment line, not on a row of the table of
    // lines ("Bancontact  107  € 0,39  € 41,73": transaction fees by payment method).
    let card_row = |p: &Cand<Amount>| {
        let label = &ctx.cells[p.order];
        let numbers = ctx.lines[label.line]
            .iter()
            .filter(|&&j| j != p.order && ctx.cells[j].text.chars().any(|ch| ch.is_ascii_digit()))
            .count();
        let card = PAYMENT_METHODS.iter().any(|w| label.norm.starts_with(w));
        (card, numbers >= 3)
    };
    let paid: Vec<BigDecimal> = prepaid
        .iter()
        .filter(|p| card_row(p) != (true, true))
        .map(|p| p.value.value.abs())
        .filter(|p| !p.is_zero())
        .collect();
    let total_value = inv.total.as_ref().map(|t| t.value.clone());
    let checks = |d: &Cand<Amount>| -> Option<Option<BigDecimal>> {
        let t = total_value.as_ref()?;
        if *t == d.value.value {
            return Some(None);
        }
        paid.iter().find(|p| less_paid(t, p) == d.value.value).map(|p| Some(p.clone()))
    };
    let consistent = due.iter().filter(|d| checks(d).is_some()).max_by(|a, b| a.order.cmp(&b.order));
    if let Some(d) = consistent {
        inv.amount_due = Some(Extracted::new(d.value.value.clone(), pct(95)));
        if let Some(Some(p)) = checks(d) {
            inv.prepaid = Some(Extracted::new(p, pct(90)));
        }
    } else if let Some(d) = due
        .iter()
        .filter(|d| !d.value.value.is_zero() || total_value.as_ref().is_none_or(Zero::is_zero))
        // An account statement ("Vorig saldo", "Previous balance"): a total to pay that is not
        // this bill's carries the previous bill's balance, and this bill's due is its total.
        .filter(|_| total_value.is_none() || !states_previous_balance(ctx))
        .max_by(|a, b| a.score.cmp(&b.score).then(a.order.cmp(&b.order)))
    {
        inv.amount_due = Some(Extracted::new(d.value.value.clone(), pct(75)));
        if inv.total.is_none() {
            // What was prepaid comes on top of the amount due.
            let p = paid.first().cloned().unwrap_or_default();
            inv.total = Some(Extracted::new(&d.value.value + p, pct(60)));
            chosen_total = Some(d);
        }
    } else if let Some(t) = &inv.total {
        let p = paid.first().cloned().unwrap_or_default();
        inv.amount_due =
            Some(Extracted::new(less_paid(&t.value, &p), if paid.is_empty() { t.confidence } else { pct(60) }));
    }
    if inv.prepaid.is_none()
        && let Some(p) = paid.first()
    {
        inv.prepaid = Some(Extracted::new(p.clone(), pct(70)));
    }
    // A till receipt: "TE BETALEN EUR  170,03", then "MAESTRO  170,03" under it: what was to
    // pay was paid at the till.
    if let Some(d) = inv.amount_due.as_ref().map(|d| d.value.clone())
        && !d.is_zero()
        && prepaid.iter().any(|p| {
            card_row(p) == (true, false)
                && p.value.value.abs() == d
                && due.iter().any(|x| x.order < p.order && x.value.value == d)
        })
    {
        inv.prepaid = Some(Extracted::new(d, pct(85)));
        inv.amount_due = Some(Extracted::new(BigDecimal::zero(), pct(85)));
    }
    if let Some(r) = refund_balance(&refund, &due) {
        // A settlement that ends in the customer's favour gives that balance back: a credit
        // note for it. The period's own totals are not what the document is worth (the
        // advances already invoiced are deducted), and the balance is printed without its
        // net amount and VAT.
        let value = r.value.value.abs();
        inv.kind = Some(Extracted::new(DocumentKind::CreditNote, pct(85)));
        // A credit note that pays back its whole total ("Total -14,479.65", "Amount to be
        // refunded 14,479.65") keeps its net amount and VAT.
        let whole = triple_total.is_some_and(|t| t.abs() == value);
        inv.total = Some(Extracted::new(value.clone(), pct(85)));
        inv.amount_due = Some(Extracted::new(value, pct(85)));
        if whole {
            for field in [&mut inv.subtotal, &mut inv.vat_amount] {
                if let Some(e) = field.as_mut() {
                    e.value = e.value.abs();
                }
            }
        } else {
            inv.subtotal = None;
            inv.vat_amount = None;
            inv.vat_rate = None;
        }
        inv.prepaid = None;
        chosen_total = Some(r);
    } else if vat.is_empty() && inv.vat_amount.is_none() && {
        let anchors: Vec<usize> = subtotal.iter().chain(&total).chain(&due).map(|c| c.order).collect();
        vat_exempt(ctx, &anchors)
    } {
        // "Vrijgesteld van btw", "Exonéré de TVA" (insurance premiums, medical care): no VAT,
        // and the net amount is the total (taxes that are not VAT are part of the price).
        if let Some(t) = inv.total.clone()
            && inv.subtotal.as_ref().is_none_or(|s| s.value == t.value)
        {
            inv.subtotal = Some(Extracted::new(t.value, pct(70)));
            inv.vat_amount = Some(Extracted::new(BigDecimal::zero(), pct(70)));
        }
    }

    // Currency: the one printed with the total, else the most common one.
    let mut counts: Vec<(Currency, usize)> = Vec::new();
    for c in subtotal.iter().chain(&vat).chain(&total).chain(&due) {
        if let Some(cur) = c.value.currency {
            match counts.iter_mut().find(|(k, _)| *k == cur) {
                Some((_, n)) => *n += 1,
                None => counts.push((cur, 1)),
            }
        }
    }
    if let Some(cur) = chosen_total.and_then(|t| t.value.currency) {
        inv.currency = Some(Extracted::new(cur, pct(95)));
    } else if let Some((cur, _)) = counts.iter().max_by_key(|(_, n)| *n) {
        inv.currency = Some(Extracted::new(*cur, pct(85)));
    } else if let Some(cur) = currency_anywhere(ctx) {
        inv.currency = Some(Extracted::new(cur, pct(75)));
    } else if let Some(cur) = currency_of_country(ctx) {
        inv.currency = Some(Extracted::new(cur, pct(55)));
    }
    // A bare "$" on a page that says which dollar it is (an ABN, an HST, "Singapore").
    if let Some(cur) = inv.currency.as_mut()
        && cur.value.code() == "USD"
        && let Some(dollar) = super::text::dollar_country(ctx.cells.iter().map(|c| c.norm.as_str()))
    {
        cur.value = dollar;
        cur.confidence = pct(70);
    }
    per_rate
}

/// Whether the total label `i`, with the words `rest` after its label word, totals one part:
/// `rest` is a word or two (no amount), and a bare total label (nothing after its word) stands
/// below it in its column within a few lines.
fn partial_total(ctx: &Ctx, i: usize, rest: &str) -> bool {
    let c = &ctx.cells[i];
    let words: Vec<&str> = rest.split_whitespace().collect();
    if words.is_empty() || words.len() > 2 || !words.iter().all(|w| w.chars().all(char::is_alphabetic)) {
        return false;
    }
    ctx.cells.iter().skip(i + 1).any(|o| {
        o.page == c.page
            && o.line > c.line
            && o.line <= c.line + 6
            && (o.x0 - c.x0).abs() <= c.size
            && o.label.is_some_and(|(k, n)| {
                k == Kind::Total && trim_sep(skip_chars(&o.norm, n)).trim_end_matches(':').trim().is_empty()
            })
    })
}

/// "60.166,59" / "Summe (netto)  EUR": an amount whose narrow cell wrapped its currency code
/// onto the label's line. `cell` (right of the label) is only the code; the amount is the cell
/// just above it, right-aligned with it and alone on its line.
fn wrapped_before_currency(ctx: &Ctx, cell: usize) -> Option<AmountMatch> {
    let c = &ctx.cells[cell];
    if !CURRENCY_WORDS.contains(&c.text.trim().to_ascii_uppercase().as_str()) || c.line == 0 {
        return None;
    }
    let above = &ctx.lines[c.line - 1];
    let [j] = above[..] else { return None };
    let o = &ctx.cells[j];
    let beside = o.page == c.page
        && (o.x1 - c.x1).abs() <= c.size
        && o.y > c.y
        && o.y - c.y <= 1.6 * c.size
        && o.label.is_none()
        && !o.text.chars().any(char::is_alphabetic);
    let mut list = find_amounts(&format!("{} {}", o.text.trim(), c.text.trim()));
    (beside && list.len() == 1).then(|| list.pop()).flatten()
}

/// Whether a total's value cell says in brackets which VAT it includes ("(includes €12.00
/// VAT)", "(enthält … MwSt.)", "(inclusief … btw)", "(dont TVA …)").
fn includes_vat(text: &str) -> bool {
    let n = super::text::norm(text);
    n.find('(').is_some_and(|p| {
        let inner = &n[p + 1..];
        ["incl", "inkl", "enthalt", "dont", "including", "davon"].iter().any(|w| inner.trim_start().starts_with(w))
    })
}

/// The balance in the customer's favour, when one is printed and nothing is left to pay.
fn refund_balance<'a>(refund: &'a [Cand<Amount>], due: &[Cand<Amount>]) -> Option<&'a Cand<Amount>> {
    if due.iter().any(|d| !d.value.value.is_zero()) {
        return None;
    }
    best_where(refund, |c| !c.value.value.is_zero())
}

/// Whether a refund label (`rest`: the label cell after the label) labels an amount: the label
/// and at most a few words ("Terug te betalen door ons", "Guthaben zu Ihren Gunsten") beside or
/// over its amount. A sentence that starts with the words ("Terug te betalen bedragen worden
/// binnen 14 dagen gestort", "Guthaben werden mit der nächsten Rechnung verrechnet, ab
/// 10,00 EUR erstattet") is no balance in the customer's favour.
fn refund_label(rest: &str) -> bool {
    const CURRENCY: &[&str] = &["eur", "euro", "euros", "usd", "gbp", "chf"];
    let words = rest
        .split_whitespace()
        .filter(|w| {
            w.chars().any(char::is_alphabetic) && !CURRENCY.contains(&w.trim_matches(|c: char| !c.is_alphabetic()))
        })
        .count();
    words <= 4
}

/// The first words of an account statement's previous balance.
const PREVIOUS_BALANCE: &[&str] = &[
    "vorig saldo",
    "saldo vorige factuur",
    "openstaand saldo vorige",
    "solde precedent",
    "solde anterieur",
    "vorheriger saldo",
    "alter saldo",
    "previous balance",
    "balance brought forward",
];

/// Whether the page holds an account statement: a previous balance with an amount beside it.
fn states_previous_balance(ctx: &Ctx) -> bool {
    ctx.cells.iter().enumerate().any(|(i, c)| {
        PREVIOUS_BALANCE.iter().any(|w| c.norm.starts_with(w))
            && ctx.values(i, false).iter().any(|(t, _, _)| !find_amounts(t).is_empty())
    })
}

/// Words that say the document carries no VAT: its supply is exempt, or the buyer accounts for
/// the VAT (reverse charge).
const EXEMPT: &[&str] = &[
    "vrijgesteld van btw",
    "vrijstelling van btw",
    "vrijgesteld van de btw",
    "vrijgesteld van omzetbelasting",
    "exonere de tva",
    "exoneree de tva",
    "exoneration de tva",
    "exempt from vat",
    "vat exempt",
    "exempt of vat",
    "von der mwst. befreit",
    "von der mwst befreit",
    "von der umsatzsteuer befreit",
    "umsatzsteuerfrei",
    // Reverse charge: the buyer accounts for the VAT, the invoice carries none.
    "reverse charge",
    "reverse-charge",
    "steuerschuldnerschaft",
    "btw verlegd",
    "verlegde btw",
    "autoliquidation",
];

/// Whether the document says that its supply is exempt from VAT, where that means something:
/// on a totals line ("Btw: vrijgesteld van btw"), in the few lines at the totals' labels
/// (`totals`, the label cells of the subtotal, total and amount-due candidates: "Vrijgesteld van
/// btw (art. 44 §3, 4° W.btw)" under "Totaal te betalen"), or in the title. A sentence elsewhere
/// on the page (a footer's "VAT exempt supplies are marked *", an item "Diensten van derden
/// (vrijgesteld van btw)" among the lines) says nothing about this document's total.
fn vat_exempt(ctx: &Ctx, totals: &[usize]) -> bool {
    ctx.cells.iter().any(|c| {
        if !EXEMPT.iter().any(|w| c.norm.contains(w)) {
            return false;
        }
        let labelled = ctx.lines[c.line].iter().any(|&j| {
            ctx.cells[j].label.is_some_and(|(k, _)| {
                matches!(
                    k,
                    Kind::Vat | Kind::Total | Kind::Subtotal | Kind::Due | Kind::InvoiceWord | Kind::InvoiceNumber
                )
            })
        });
        labelled
            || totals.iter().any(|&t| {
                let a = &ctx.cells[t];
                a.page == c.page
                    && c.line + 1 >= a.line
                    && c.line <= a.line + 3
                    && (a.y - c.y).abs() <= 7.0 * a.size.max(c.size)
            })
    })
}

/// The best candidate of those that pass `keep` (as [`best`]).
fn best_where(cands: &[Cand<Amount>], keep: impl Fn(&Cand<Amount>) -> bool) -> Option<&Cand<Amount>> {
    cands.iter().filter(|c| keep(c)).max_by(|a, b| a.score.cmp(&b.score).then(b.order.cmp(&a.order)))
}

/// Cards and wallets that label a till receipt's payment line (see [`super::amount_labels`]).
const PAYMENT_METHODS: &[&str] = &[
    "maestro",
    "bancontact",
    "mastercard",
    "visa",
    "amex",
    "american express",
    "payconiq",
    "pin",
    "contant",
    "cash",
    "especes",
];

pub(super) fn single_rate(vat: &[Cand<Amount>]) -> Option<BigDecimal> {
    let mut rates: Vec<BigDecimal> = vat.iter().filter_map(|c| c.value.rate.clone()).collect();
    rates.sort();
    rates.dedup();
    if rates.len() == 1 { rates.pop() } else { None }
}

pub(super) fn rate_matches(subtotal: &BigDecimal, rate: &BigDecimal, vat: &BigDecimal) -> bool {
    let expected = round2(&(subtotal * rate / BigDecimal::from(100)));
    let diff = (&expected - vat).abs();
    diff <= BigDecimal::new(1.into(), 2)
}

/// The standard rate that explains `vat` on `subtotal`, if one does.
pub(super) fn derive_rate(subtotal: &BigDecimal, vat: &BigDecimal) -> Option<BigDecimal> {
    const RATES: &[&str] = &[
        "0", "5.5", "6", "7", "9", "10", "12", "19", "20", "21", // Benelux, France, Germany, UK
        "2.6", "3.8", "4", "5", "8", "8.1", "13", "14", "15", "16", "17", "22", "23", "24", "25", "27",
    ];
    if subtotal.is_zero() {
        return None;
    }
    RATES.iter().filter_map(|r| BigDecimal::from_str(r).ok()).find(|r| rate_matches(subtotal, r, vat))
}
