//! The currency of a page when its total names none: the symbols and codes anywhere on it,
//! the crown its IBANs or its words point to, the euro of euro-area IBANs.

use billify_domain::Currency;

use super::Ctx;
use super::text::find_amounts;

/// The crown a page's own words point to: Norwegian `MVA`, `forfallsdato`, `å betale`; Danish
/// `CVR`, `forfaldsdato`, `at betale`; Swedish `att betala`, `förfallodatum`, `bankgiro`.
fn crowns_by_words(ctx: &Ctx) -> Option<Currency> {
    const CUES: &[(&str, &str)] = &[
        ("mva", "NOK"),
        ("forfallsdato", "NOK"),
        ("a betale", "NOK"),
        ("cvr", "DKK"),
        ("forfaldsdato", "DKK"),
        ("at betale", "DKK"),
        ("att betala", "SEK"),
        ("forfallodatum", "SEK"),
        ("bankgiro", "SEK"),
        ("plusgiro", "SEK"),
    ];
    let mut counts = [0usize; 3];
    let codes = ["NOK", "DKK", "SEK"];
    for c in &ctx.cells {
        let words: Vec<&str> = c.norm.split(|ch: char| !ch.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
        for (cue, code) in CUES {
            let cue_words: Vec<&str> = cue.split(' ').collect();
            if words.windows(cue_words.len()).any(|w| w == cue_words.as_slice())
                && let Some(k) = codes.iter().position(|c| c == code)
            {
                counts[k] += 1;
            }
        }
    }
    let (k, n) = counts.iter().enumerate().max_by_key(|(_, n)| **n)?;
    (*n > 0 && counts.iter().filter(|m| *m == n).count() == 1).then(|| Currency::parse(codes[k]).ok()).flatten()
}

/// The most common currency symbol or code anywhere on the page ("All amounts in USD", "€").
pub(super) fn currency_anywhere(ctx: &Ctx) -> Option<Currency> {
    // "kr" is the Danish, Norwegian or Swedish crown: the country of the page's IBANs says which,
    // else its words.
    let crowns = ctx
        .cells
        .iter()
        .flat_map(|c| super::parties::ibans_in(&c.text))
        .find_map(|(i, _)| match i.country() {
            "DK" => Currency::parse("DKK").ok(),
            "NO" => Currency::parse("NOK").ok(),
            "SE" => Currency::parse("SEK").ok(),
            _ => None,
        })
        .or_else(|| crowns_by_words(ctx));
    let mut counts: Vec<(Currency, usize)> = Vec::new();
    let mut add = |cur: Currency| match counts.iter_mut().find(|(k, _)| *k == cur) {
        Some((_, n)) => *n += 1,
        None => counts.push((cur, 1)),
    };
    for c in &ctx.cells {
        for a in find_amounts(&c.text) {
            if let Some(cur) = a.currency {
                add(cur);
            }
        }
        for w in c.text.split(|ch: char| !ch.is_alphanumeric() && !matches!(ch, '€' | '$' | '£' | '₹')) {
            let cur = match w {
                "€" | "EUR" | "EURO" => Some(Currency::EUR),
                "R$" | "BRL" => Currency::parse("BRL").ok(),
                "zł" | "ZŁ" => Currency::parse("PLN").ok(),
                "Kč" | "KČ" => Currency::parse("CZK").ok(),
                "kr" | "Kr" | "KR" => crowns.or_else(|| Currency::parse("SEK").ok()),
                "SEK" | "DKK" | "NOK" | "PLN" | "CZK" | "HUF" | "AUD" | "NZD" | "SGD" | "HKD" | "ZAR" | "AED"
                | "CAD" => Currency::parse(w).ok(),
                "Dhs" => Currency::parse("AED").ok(),
                "SFr" => Currency::parse("CHF").ok(),
                "$" | "USD" | "GBP" | "£" | "CHF" | "INR" | "₹" => {
                    let code = match w {
                        "$" => "USD",
                        "£" => "GBP",
                        "₹" => "INR",
                        w => w,
                    };
                    Currency::parse(code).ok()
                }
                _ => None,
            };
            if let Some(cur) = cur {
                add(cur);
            }
            for ch in w.chars().filter(|ch| matches!(ch, '€' | '$' | '£' | '₹')).take(1) {
                let code = match ch {
                    '€' => "EUR",
                    '$' => "USD",
                    '£' => "GBP",
                    _ => "INR",
                };
                if w.chars().count() > 1
                    && let Ok(cur) = Currency::parse(code)
                {
                    add(cur);
                }
            }
        }
    }
    counts.into_iter().max_by_key(|(_, n)| *n).map(|(c, _)| c)
}

/// The euro when the page shows only euro-area IBANs and no currency at all.
pub(super) fn currency_of_country(ctx: &Ctx) -> Option<Currency> {
    const EURO: &[&str] = &["BE", "NL", "LU", "DE", "FR", "AT", "IE", "IT", "ES", "PT", "FI"];
    let mut countries = ctx.cells.iter().flat_map(|c| super::parties::ibans_in(&c.text)).map(|(i, _)| i);
    let first = countries.next()?;
    let euro = |i: &billify_domain::Iban| EURO.contains(&i.country());
    (euro(&first) && countries.all(|i| euro(&i))).then_some(Currency::EUR)
}
