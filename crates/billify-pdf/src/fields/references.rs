//! The invoice number and the payment reference (Belgian structured OGM/VCS or RF creditor
//! reference), checked by the domain types.

use std::sync::LazyLock;

use billify_domain::{PaymentReference, StructuredReference};
use billify_ports::intake::Extracted;
use regex::Regex;

use super::labels::Kind;
use super::text::{find_amounts, find_date, skip_chars, trim_sep};
use super::{Cand, Ctx, Place, best, pct};

/// An invoice number: a token with a digit, of letters, digits and `-_/.`.
/// Currency codes that may stand before a number without being a series.
const CURRENCY_CODES: &[&str] = &["EUR", "USD", "GBP", "CHF", "SEK", "DKK", "NOK", "PLN", "CZK", "HUF"];

pub(super) fn parse_invoice_number(s: &str) -> Option<String> {
    let mut tokens = s.split_whitespace().filter(|t| {
        !matches!(
            *t,
            "#" | ":" | "no" | "No" | "nr" | "Nr" | "n°" | "N°" | "No." | "Nr." | "no." | "nr." | "Nº" | "n°:" | "N°:"
        )
    });
    let tok = tokens.next()?;
    // "FT A2025/1227", "FPR 1332/24", "FV 2024/06/1840": a series code of capitals before a
    // number with a slash is part of the number (Portuguese, Italian and Polish numbering).
    if (1..=4).contains(&tok.len())
        && tok.chars().all(|c| c.is_ascii_uppercase())
        && !CURRENCY_CODES.contains(&tok)
        && let Some(next) = tokens.clone().next()
        && next.contains('/')
        && let Some(rest) = parse_invoice_number(next)
        && rest == next.trim_end_matches(['.', ',', ';', ':', ')'])
    {
        return Some(format!("{tok} {rest}"));
    }
    let tok = tok.trim_start_matches(['#', ':']).trim_end_matches(['.', ',', ';', ':', ')']);
    if tok.is_empty() || tok.len() > 40 || !tok.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    // "2024:1337": a colon inside a number joins a year and a sequence (the TeX `zugferd`
    // package's numbering); "14:30" is a time.
    let colon_ok = tok.contains(':') && {
        let parts: Vec<&str> = tok.split(':').collect();
        let time = parts.len() <= 3 && parts.iter().all(|p| (1..=2).contains(&p.len()));
        !time && parts.iter().all(|p| !p.is_empty())
    };
    if !tok.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '/' | '.') || c == ':' && colon_ok) {
        return None;
    }
    // A date or an amount is no number; "00.123.456.7-2018-1" holds digit groups but is one,
    // and so is a date after a series ("FV/12/03/2024", as Polish invoices number them).
    let amount_like = tok.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '\''));
    let series = tok.chars().next().is_some_and(|c| c.is_alphabetic());
    if find_date(tok).is_some() && !series || amount_like && !find_amounts(tok).is_empty() {
        return None;
    }
    // "2025 / 3119": a year and a sequence number set apart by a spaced slash (Teamleader's
    // numbering) are one number.
    let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    // "1 24 0005 0001201345": a long number printed in groups of digits, alone in its cell.
    let groups: Vec<&str> = s.split_whitespace().skip_while(|t| *t != tok).collect();
    if (3..=6).contains(&groups.len())
        && groups.iter().all(|g| digits(g))
        && groups.iter().map(|g| g.len()).sum::<usize>() >= 10
        && groups.iter().skip(1).any(|g| g.len() >= 4)
    {
        return Some(groups.join(" "));
    }
    if digits(tok)
        && let (Some("/"), Some(seq)) = (tokens.next(), tokens.next())
    {
        let seq = seq.trim_end_matches(['.', ',', ';', ':', ')']);
        if digits(seq) {
            return Some(format!("{tok} / {seq}"));
        }
    }
    Some(tok.to_string())
}

pub(super) fn invoice_number(ctx: &Ctx) -> Option<Extracted<String>> {
    let mut cands = Vec::new();
    // The cells that end a wrapped number: no number of their own.
    let mut consumed: Vec<usize> = Vec::new();
    for (i, kind) in ctx.labelled(&[Kind::InvoiceNumber, Kind::InvoiceWord]) {
        let generic = kind == Kind::InvoiceWord;
        // "Nr." heading a column of the table of lines numbers the lines, not the invoice.
        if super::line_columns::is_table_header(ctx, ctx.cells[i].line) {
            continue;
        }
        if let Some((v, cell)) = wrapped_title_number(ctx, i) {
            let score = if generic { 4 } else { 10 } + Place::Same.bonus();
            cands.push(Cand { value: v, score, order: i, cell });
        }
        // "Creditnota  Factuurdatum" over "1312  31-03-2025": the title word heading a column
        // of a header table, its number under it.
        let heading = generic
            && ctx.lines[ctx.cells[i].line].iter().any(|&j| {
                j != i && ctx.cells[j].label.is_some_and(|(k, _)| matches!(k, Kind::IssueDate | Kind::DueDate))
            });
        for (text, place, cell) in ctx.values(i, !generic || heading) {
            if generic && place == Place::Right {
                // "INVOICE ... <far right cell>" is a title, not a label.
                let c = &ctx.cells[i];
                let o = &ctx.cells[cell];
                // A document number of letters and digits joined by dashes or slashes
                // ("Tax Invoice  SINV-24-06962") is the title's number even set far right.
                let document_like = o.text.trim().contains(['-', '/'])
                    && o.text.chars().any(|ch| ch.is_ascii_alphabetic())
                    && !o.text.trim().contains(' ');
                if o.x0 - c.x1 > 6.0 * c.size && !document_like {
                    continue;
                }
            }
            // "Factuur – Factuur nr. F2024383": a title word, then the number's own label.
            let text = match super::labels::match_label(&super::text::norm(&text)) {
                Some((Kind::InvoiceNumber, n)) if generic => trim_sep(skip_chars(&text, n)).to_string(),
                _ => text,
            };
            if let Some(v) = parse_invoice_number(&text) {
                let (v, rest) = continued_number(ctx, cell, v);
                // A bare "Number" / "Nr." is weaker than "Invoice number".
                let c = &ctx.cells[i];
                let bare = c.label.is_some_and(|(_, n)| {
                    matches!(
                        c.norm.chars().take(n).collect::<String>().as_str(),
                        "numero" | "nummer" | "number" | "no." | "nr." | "n°"
                    )
                });
                // "Käufer" / "Nummer: D75969813": a bare number right under a party's heading
                // is the party's (its customer or supplier number).
                if bare && under_party_heading(ctx, i) {
                    break;
                }
                consumed.extend(rest);
                let score = if generic && !(heading && place == Place::Below) {
                    4
                } else if bare || generic {
                    7
                } else {
                    10
                } + place.bonus();
                cands.push(Cand { value: v, score, order: i, cell });
                break;
            }
        }
    }
    // "Facture" / "n°" beside "00.123.456.7-" / "2018-1": a label wrapped like its number;
    // the second line's label has only the number's end.
    cands.retain(|c| !consumed.contains(&c.cell));
    best(&cands)
        .map(|c| Extracted::new(c.value.clone(), pct(if c.score >= 10 { 95 } else { 75 })))
        .or_else(|| labelled_reference(ctx, ORDER_LABELS, 50))
        .or_else(|| labelled_reference(ctx, OWN_REFERENCE_LABELS, 40))
}

/// Labels of a web shop's order number.
const ORDER_LABELS: &[&str] = &[
    "order id",
    "order number",
    "order no",
    "order #",
    "bestellnummer",
    "bestelnummer",
    "ordernummer",
    "n° de commande",
    "numero de commande",
];

/// The sender's own reference in a letter's reference line ("Your letter of  Your reference  Our
/// reference  Date", isodoc's and DIN letters' invoices): the only number some letters print.
const OWN_REFERENCE_LABELS: &[&str] =
    &["our reference", "unser zeichen", "unsere zeichen", "mein zeichen", "ons kenmerk", "notre reference"];

/// An invoice that prints no invoice number: its web shop's order number ("Order ID: 15081",
/// django-cartridge's) or its letter's own reference is the only reference it has, taken weakly
/// (confidence `conf`).
fn labelled_reference(ctx: &Ctx, labels: &[&str], conf: u8) -> Option<Extracted<String>> {
    let (i, _) = ctx.cells.iter().enumerate().find(|(_, c)| {
        c.label.is_some_and(|(k, n)| {
            k == Kind::Other
                && labels.iter().any(|l| c.norm.chars().take(n).collect::<String>().trim_end_matches([':', ' ']) == *l)
        })
    })?;
    ctx.values(i, true)
        .into_iter()
        .find_map(|(text, _, _)| parse_invoice_number(&text))
        .map(|v| Extracted::new(v, pct(conf)))
}

/// Whether cell `i` is one of the first two lines under a party heading ("Verkäufer",
/// "Käufer/Leistungsempfänger", "Bill to") in its column.
fn under_party_heading(ctx: &Ctx, i: usize) -> bool {
    let c = &ctx.cells[i];
    (c.line.saturating_sub(2)..c.line).any(|l| {
        ctx.lines[l].iter().any(|&j| {
            let o = &ctx.cells[j];
            o.page == c.page
                && (o.x0 - c.x0).abs() <= c.size
                && o.label.is_some_and(|(k, n)| {
                    matches!(k, Kind::Seller | Kind::Buyer | Kind::To) && trim_sep(skip_chars(&o.text, n)).len() <= 24
                })
        })
    })
}

/// A title wrapped after its number label ("Handelsrechnung Nr." / "F24-3332 vom 23.01.2024",
/// set right-aligned in half the page's width): nothing follows the label on its line, and the
/// next line in the same type size, under the label, starts with the number.
fn wrapped_title_number(ctx: &Ctx, i: usize) -> Option<(String, usize)> {
    let c = &ctx.cells[i];
    let (_, n) = c.label?;
    if !trim_sep(skip_chars(&c.text, n)).is_empty() {
        return None;
    }
    // The next lines within a line's height: a smaller address column beside the title may
    // set a line of its own between the two.
    ctx.lines.iter().skip(c.line + 1).take(3).flatten().find_map(|&j| {
        let o = &ctx.cells[j];
        let same_title = o.page == c.page
            && c.y - o.y <= 1.6 * c.size
            && (o.size - c.size).abs() <= 0.1 * c.size
            && o.x0 < c.x1
            && o.x1 > c.x0;
        // "INVOICE" / "# 2024-117" set smaller under a large title: the number sign says what
        // it is.
        let numbered = o.page == c.page
            && c.y - o.y <= 1.6 * c.size
            && o.x0 < c.x1
            && o.x1 > c.x0
            && o.text.trim_start().starts_with('#');
        if !(same_title || numbered) || o.label.is_some() {
            return None;
        }
        parse_invoice_number(&o.text).map(|v| (v, j))
    })
}

/// A number cut at a dash or slash by a narrow column ("WC-2025-" / "07237"): the single
/// token under it on the next line of its column ends it (returned with its cell).
fn continued_number(ctx: &Ctx, cell: usize, v: String) -> (String, Option<usize>) {
    if !v.ends_with(['-', '/']) {
        return (v, None);
    }
    let c = &ctx.cells[cell];
    // The next lines within a line's height: a line of another column (a letterhead in larger
    // type beside a narrow header table) may stand between the two.
    for &j in ctx.lines.iter().skip(c.line + 1).take(3).flatten() {
        let o = &ctx.cells[j];
        let t = o.text.trim();
        if o.page == c.page
            && c.y - o.y <= 1.6 * c.size
            && o.x0 >= c.x0 - c.size
            && o.x0 <= c.x1 + c.size
            && o.label.is_none()
            && !t.is_empty()
            && t.chars().all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '/' | '.'))
            && let Some(joined) = parse_invoice_number(&format!("{v}{t}"))
        {
            return (joined, Some(j));
        }
    }
    (v, None)
}

pub(super) static OGM: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?:\+{3}|\*{3})\s*(\d{3})\s*/\s*(\d{4})\s*/\s*(\d{5})\s*(?:\+{3}|\*{3})").ok());
pub(super) static OGM_BARE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\b(\d{3})/(\d{4})/(\d{5})\b").ok());

pub(super) fn payment_reference(ctx: &Ctx) -> Option<Extracted<PaymentReference>> {
    // A structured reference anywhere, with valid check digits.
    if let Some(re) = OGM.as_ref() {
        for c in &ctx.cells {
            for m in re.captures_iter(&c.text) {
                let digits = format!("{}{}{}", &m[1], &m[2], &m[3]);
                if let Ok(r) = StructuredReference::parse(&digits) {
                    return Some(Extracted::new(PaymentReference::Structured(r), pct(95)));
                }
            }
        }
    }
    let mut cands: Vec<Cand<PaymentReference>> = Vec::new();
    for (i, kind) in ctx.labelled(&[Kind::PaymentRef, Kind::Reference]) {
        for (text, place, cell) in ctx.values(i, true) {
            if place == Place::Below && kind == Kind::Reference {
                break;
            }
            if let Some(re) = OGM_BARE.as_ref()
                && let Some(m) = re.captures(&text)
                && let Ok(r) = StructuredReference::parse(&format!("{}{}{}", &m[1], &m[2], &m[3]))
            {
                cands.push(Cand { value: PaymentReference::Structured(r), score: 20, order: i, cell });
                break;
            }
            let t = text.trim();
            if t.chars().count() > 60 || t.split_whitespace().count() > 4 {
                continue;
            }
            if let Ok(r) = PaymentReference::parse(t) {
                let score = if kind == Kind::PaymentRef { 10 } else { 6 } + place.bonus();
                cands.push(Cand { value: r, score, order: i, cell });
                break;
            }
        }
    }
    best(&cands).map(|c| {
        let conf = match c.value {
            PaymentReference::Structured(_) => 90,
            PaymentReference::Creditor(_) => 90,
            PaymentReference::Free(_) => {
                if c.score >= 10 {
                    85
                } else {
                    70
                }
            }
        };
        Extracted::new(c.value.clone(), pct(conf))
    })
}
