//! The kind of document, an invoice or a credit note, from its title ("Credit note", "Gutschrift
//! Nr. 17", "C R E D I T   I N V O I C E", "Avoir"), not from a sentence that starts with a
//! credit-note word.

use billify_ports::intake::DocumentKind;

use super::{Ctx, labels_europe, labels_europe_more};

/// Whether the document is a credit note, from a title in its first cells; an invoice otherwise.
pub(super) fn document_kind(ctx: &Ctx) -> DocumentKind {
    let credit = [
        "credit note",
        "creditnota",
        "creditfactuur",
        "note de credit",
        "gutschrift",
        "credit nota",
        "tax credit note",
        "credit memo",
        "adjustment note",
        "rechnungskorrektur",
        // SQL-Ledger's credit invoices.
        "credit invoice",
        // A cancelling document ("Storno of INV-1627", django-silver's).
        "storno",
        // A letter's subject line.
        "re: credit note",
        "betreft: creditnota",
        "objet : note de credit",
        "objet: note de credit",
        "betreff: gutschrift",
    ];
    let head = ctx.cells.iter().take(60);
    for c in head {
        if credit
            .iter()
            .chain(labels_europe::EUROPE_CREDIT_WORDS)
            .chain(labels_europe_more::MORE_EUROPE_CREDIT_WORDS)
            .any(|w| c.norm.strip_prefix(w).is_some_and(title_rest))
        {
            return DocumentKind::CreditNote;
        }
        // "C R E D I T   I N V O I C E": a title set letter-spaced, one letter per word, its
        // words perhaps in cells of their own.
        let letters: Vec<&str> = ctx.lines[c.line].iter().flat_map(|&j| ctx.cells[j].norm.split_whitespace()).collect();
        if letters.len() >= 5 && letters.iter().all(|l| l.chars().count() == 1) {
            let joined = letters.concat();
            if credit
                .iter()
                .chain(labels_europe::EUROPE_CREDIT_WORDS)
                .chain(labels_europe_more::MORE_EUROPE_CREDIT_WORDS)
                .chain(&["avoir"])
                .any(|w| w.replace(' ', "") == joined)
            {
                return DocumentKind::CreditNote;
            }
        }
        // "Avoir" (French) as a title or a number label, not the verb in a sentence.
        let n = c.norm.trim();
        if n == "avoir" || n.starts_with("avoir n") || n.starts_with("facture d'avoir") {
            return DocumentKind::CreditNote;
        }
    }
    DocumentKind::Invoice
}

/// Whether what follows a credit-note word makes it a title ("Credit note", "Gutschrift Nr.
/// 2024-17 zur Rechnung 2024-102", "Creditnota CN-12 van 03/02/2024"), not a sentence that
/// starts with it ("Gutschriften werden …", "Credit note requests must reach us within 30
/// days"): the word ends there and at most two other words follow beside numbers, dates and
/// the words of a title.
fn title_rest(rest: &str) -> bool {
    const TITLE_WORDS: &[&str] = &[
        "nr",
        "nr.",
        "no",
        "no.",
        "n°",
        "number",
        "nummer",
        "numero",
        "#",
        "for",
        "voor",
        "bij",
        "op",
        "zur",
        "zu",
        "fur",
        "rechnung",
        "invoice",
        "factuur",
        "facture",
        "de",
        "la",
        "van",
        "du",
        "of",
        "vom",
        "dated",
        "pour",
        "sur",
        "ref",
        "ref.",
        "reference",
        "referentie",
        "date",
        "datum",
        // Spanish, Italian, Portuguese, Polish, Nordic, Czech.
        "n.",
        "n.º",
        "nº",
        "nr.",
        "c.",
        "cislo",
        "numer",
        "del",
        "da",
        "z",
        "dnia",
        "ze",
        "dne",
        "fattura",
        "factura",
        "fatura",
        "faktura",
        "faktury",
        "fecha",
        "data",
        "dato",
    ];
    if rest.chars().next().is_some_and(char::is_alphanumeric) {
        return false;
    }
    let other = rest
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| matches!(c, ':' | ',' | '(' | ')')))
        .filter(|w| w.chars().all(char::is_alphabetic) && !w.is_empty() && !TITLE_WORDS.contains(w))
        .count();
    other <= 2
}
