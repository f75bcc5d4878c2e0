//! A party's name as its cell prints it: the text after a label, cut before an address or a
//! marketplace ("… via Winkelplein.nl", "… via GlobalMart"), with the closing dot of its legal
//! form kept.

use super::super::Ctx;
use super::super::labels::LEGAL_FORMS;
use super::super::text::{norm, skip_chars, trim_sep};
use super::address_like;

/// Attention words that start a line of an address block before the name they address.
const ATTENTION_PREFIXES: &[&str] = &[
    "attn",
    "attention",
    "à l'attention de",
    "à l’attention de",
    "a l'attention de",
    "t.a.v.",
    "ter attentie van",
    "z. hd.",
    "z.hd.",
    "zu händen von",
    "zu händen",
];

/// `text` without a leading attention word ("ATTN: iViveLabs Limited", "t.a.v. Acme BV").
pub(in super::super) fn after_attention(text: &str) -> &str {
    let lower = text.to_lowercase();
    for w in ATTENTION_PREFIXES {
        if lower.starts_with(w) && text.is_char_boundary(w.len()) && text[w.len()..].starts_with([':', ' ', '.']) {
            let rest = trim_sep(&text[w.len()..]);
            if !rest.is_empty() {
                return rest;
            }
        }
    }
    text
}

pub(in super::super) fn name_text(ctx: &Ctx, i: usize) -> String {
    let c = &ctx.cells[i];
    let n = c.label.map_or(0, |l| l.1);
    let labelled = after_attention(trim_sep(skip_chars(&c.text, n)));
    let mut name = labelled.trim_end_matches(['.', ',']);
    // "Verkocht door: HomeOffice Direct VOF via Winkelplein.nl": the marketplace is no part of
    // the seller's name.
    if let Some(p) = name.find(" via ")
        && let rest = &name[p + 5..]
        && !rest.contains(' ')
        && (rest.contains('.') || rest.starts_with(char::is_uppercase))
    {
        name = &name[..p];
    }
    // "Sold by Acme S.à r.l., 12 rue du Fort, L-1855 Luxembourg": the name ends before its
    // address.
    for (p, _) in name.match_indices(", ") {
        let (head, rest) = (&name[..p], &name[p + 2..]);
        let first = rest.split([',', '·', '|']).next().unwrap_or(rest);
        if !head.chars().any(|ch| ch.is_ascii_digit()) && address_like(first) {
            return head.trim_end_matches(['.', ',']).to_string();
        }
    }
    // "Acme S.à r.l. 84 rue du Fort … VAT number …": a footer line whose separators were lost;
    // the name ends with the last legal form before the first word with a digit.
    let words: Vec<&str> = name.split_whitespace().collect();
    if let Some(first_digit) = words.iter().position(|w| w.chars().any(|ch| ch.is_ascii_digit()))
        && let Some(form) = (1..first_digit).rev().find(|&k| LEGAL_FORMS.contains(&norm(words[k]).as_str()))
        && words.len() > first_digit + 1
    {
        return words[..=form].join(" ");
    }
    with_form_dot(labelled, name)
}

/// `name` with the closing dot of its legal form put back ("Rossi S.r.l.", "Kowalski Sp. z
/// o.o."), where trimming the end of `text` took it off.
fn with_form_dot(text: &str, name: &str) -> String {
    let last = name.rsplit(' ').next().unwrap_or("");
    let dotted = format!("{}.", norm(last));
    if text.len() > name.len()
        && text[name.len()..].starts_with('.')
        && last.contains('.')
        && LEGAL_FORMS.contains(&dotted.as_str())
    {
        format!("{name}.")
    } else {
        name.to_string()
    }
}
