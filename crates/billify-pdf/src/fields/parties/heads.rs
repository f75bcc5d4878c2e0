//! What heads a party block and what does not: a joined seller line (not its street-first
//! address line, nor the rest of a wrapped one), a party label with a bracketed note, and the
//! cells that look like names but are not: a bank over its account details, a labelled value.

use super::super::Ctx;
use super::super::labels::Kind;
use super::super::text::skip_chars;
use super::{above_cell, address_like, has_legal_form, ibans_in};

/// Whether a cell is a value after a label of a few words and a colon ("Geschäftsführer: Hans
/// Muster", "SIRET : 301 806 939 66587"), not a name.
pub(super) fn labelled_value(t: &str) -> bool {
    t.split_once(':').is_some_and(|(head, rest)| {
        !rest.trim().is_empty()
            && head.chars().any(char::is_alphabetic)
            && (1..=3).contains(&head.split_whitespace().count())
    })
}

/// Whether cell `i` is the first part of a joined line whose other parts are an address, a
/// VAT number or an IBAN (`Name · Street · City · VAT … · IBAN …`), not its continuation
/// after a wrap. A line that starts with the street (`Ecke 12 · 12345 Stadthausen · Tel. …`
/// under a letterhead) is the address of the name above it, not a party of its own.
pub(super) fn heads_joined(ctx: &Ctx, i: usize) -> bool {
    let c = &ctx.cells[i];
    if !c.joined || address_like(&c.text) && !has_legal_form(&c.text) {
        return false;
    }
    // "… · Sparkasse Köln" / "Bonn · IBAN … · BIC …": the rest of a joined line wrapped from
    // the line above starts no party.
    let wrapped = c.line > 0
        && ctx.lines[c.line - 1].iter().any(|&j| {
            let o = &ctx.cells[j];
            o.joined && o.page == c.page && o.y - c.y <= 1.8 * c.size
        });
    if wrapped {
        return false;
    }
    let parts: Vec<usize> = ctx.lines[c.line].iter().copied().filter(|&j| ctx.cells[j].joined).collect();
    parts.first() == Some(&i)
        && parts.iter().skip(1).any(|&j| {
            let t = &ctx.cells[j].text;
            address_like(t) || !ibans_in(t).is_empty()
        })
}

/// Whether the rest of a party label is only a note in brackets ("(structure publique)",
/// "(Rechnungsempfänger)"), which says what the party is, not who.
pub(super) fn bracketed_note(rest: &str) -> bool {
    let t = rest.trim_end_matches(':').trim();
    t.starts_with('(') && t.ends_with(')') && t.matches('(').count() == 1 && t.chars().count() <= 40
}

/// Whether cell `i` stands under a bank-details label ("Bankverbindung", "Bank", "Banque"):
/// the name of the bank.
pub(super) fn names_bank(ctx: &Ctx, i: usize) -> bool {
    above_cell(ctx, i).is_some_and(|j| {
        let o = &ctx.cells[j];
        let head = o.norm.trim_end_matches(':').trim();
        o.label.is_some_and(|(k, _)| k == Kind::Iban) && skip_chars(head, o.label.map_or(0, |l| l.1)).trim().is_empty()
            || ["bank", "banque", "bankverbindung", "bankgegevens", "bank details"].contains(&head)
    })
}

/// Words of a bank's name.
const BANK_WORDS: &[&str] = &["bank", "sparkasse", "banque", "credit", "caisse", "kasse"];

/// Whether a block (`cells`, its head first) is a bank's name over account details only: the
/// head names a bank, and every other cell holds an IBAN, a BIC or their labels.
pub(super) fn bank_details(ctx: &Ctx, cells: &[usize]) -> bool {
    let Some((&head, rest)) = cells.split_first() else { return false };
    let detail = |j: usize| {
        let c = &ctx.cells[j];
        !ibans_in(&c.text).is_empty() || c.label.is_some_and(|(k, _)| matches!(k, Kind::Iban | Kind::Bic))
    };
    let words =
        ctx.cells[head].norm.split(|ch: char| !ch.is_alphanumeric()).any(|w| BANK_WORDS.iter().any(|b| w.ends_with(b)));
    words && !rest.is_empty() && rest.iter().all(|&j| detail(j))
}
