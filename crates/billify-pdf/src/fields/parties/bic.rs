//! The seller's BIC: labelled, or on the IBAN's line with the IBAN's country.

use billify_domain::{Bic, Iban};
use billify_ports::intake::Extracted;

use super::super::labels::Kind;
use super::super::{Cand, Ctx, best, pct};

/// The BIC that goes with `iban` (its cell and number), if the page prints one.
pub(super) fn bic(ctx: &Ctx, iban: Option<(usize, &Iban)>) -> Option<Extracted<Bic>> {
    let parse = |text: &str| {
        text.split(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | ';' | '(' | ')' | '/'))
            .filter(|t| t.len() == 8 || t.len() == 11)
            .filter(|t| t.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
            .find_map(|t| Bic::parse(t).ok())
    };
    let mut cands: Vec<Cand<Bic>> = Vec::new();
    for (i, _) in ctx.labelled(&[Kind::Bic]) {
        for (text, place, cell) in ctx.values(i, true) {
            if let Some(b) = parse(&text) {
                let matches_iban = iban.is_some_and(|(_, x)| x.country() == b.country());
                cands.push(Cand { value: b, score: 10 + place.bonus() + i32::from(matches_iban), order: i, cell });
                break;
            }
        }
    }
    if let Some(c) = best(&cands) {
        return Some(Extracted::new(c.value.clone(), pct(90)));
    }
    // Unlabelled: on the IBAN's line, with the IBAN's country.
    let (cell, iban) = iban?;
    let line = ctx.cells[cell].line;
    for &j in &ctx.lines[line] {
        if let Some(b) = parse(&ctx.cells[j].text)
            && b.country() == iban.country()
        {
            return Some(Extracted::new(b, pct(70)));
        }
    }
    None
}
