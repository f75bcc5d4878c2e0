//! A party's name as its cell prints it: the text after a label or an attention word, cut
//! before an address, a contact person ("Acme, Jan Peeters") or a marketplace ("… via
//! Winkelplein.nl", "… via GlobalMart"), with the closing dot of its legal form kept; the
//! first part of a name wrapped before its form, and a block's whole name with a legal form
//! wrapped after it.

use super::super::Ctx;
use super::super::labels::LEGAL_FORMS;
use super::super::text::{norm, skip_chars, trim_sep};
use super::{ATTENTION, Block, above_cell, address_like, compact_name, has_legal_form, name_like};

/// Words by which a platform invoices in the name of its supplier (self-billing: ride-hailing,
/// marketplaces).
const ON_BEHALF_OF: &[&str] = &[
    " on behalf of ",
    " namens ",
    " in naam en voor rekening van ",
    " au nom et pour le compte de ",
    " au nom de ",
    " pour le compte de ",
    " im namen und für rechnung von ",
    " im namen von ",
    " im auftrag von ",
];

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
    // "Razón social: Ayala SA . . . . . R.I.F.: …": a dot leader ends the name.
    let labelled = [". . .", "..."]
        .iter()
        .filter_map(|leader| labelled.find(leader))
        .min()
        .filter(|&p| p > 0)
        .map_or(labelled, |p| labelled[..p].trim_end());
    let mut name = without_title(labelled.trim_end_matches(['.', ',']));
    // "Verkocht door: HomeOffice Direct VOF via Winkelplein.nl": the marketplace is no part of
    // the seller's name.
    if let Some(p) = name.find(" via ")
        && let rest = &name[p + 5..]
        && !rest.contains(' ')
        && (rest.contains('.') || rest.starts_with(char::is_uppercase))
    {
        name = &name[..p];
    }
    // "Swiftride B.V. namens Rijservice Amstel B.V.": a platform invoicing in the name of its
    // supplier; the supplier is the seller.
    let lower = name.to_lowercase();
    if let Some((at, len)) = ON_BEHALF_OF.iter().find_map(|w| lower.find(w).map(|at| (at, w.len())))
        && name.is_char_boundary(at + len)
        && !name[at + len..].trim().is_empty()
    {
        name = name[at + len..].trim();
    }
    // "Sold by Acme S.à r.l., 12 rue du Fort, L-1855 Luxembourg": the name ends before its
    // address.
    for (p, _) in name.match_indices(", ") {
        let (head, rest) = (&name[..p], &name[p + 2..]);
        let first = rest.split([',', '·', '|']).next().unwrap_or(rest);
        if !head.chars().any(|ch| ch.is_ascii_digit()) && address_like(first) {
            return head.trim_end_matches(['.', ',']).to_string();
        }
        // "YourCompany, Mitchell Admin": Odoo names a contact after its company.
        if !head.chars().any(|ch| ch.is_ascii_digit()) && super::heads::person_name(rest) {
            return head.to_string();
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

/// Courtesy titles before a person's name in an address ("Mr Bram Becker", "Mme Sofie Laurent").
/// German ones stay: e-invoices keep "Herrn Max Mustermann" as the buyer's name.
const TITLES: &[&str] = &[
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "miss",
    "m.",
    "mme",
    "mme.",
    "mlle",
    "mlle.",
    "monsieur",
    "madame",
    "mademoiselle",
    "dhr",
    "dhr.",
    "mevr",
    "mevr.",
];

/// `name` without a courtesy title before a given name and surname; a title before one word
/// ("Herr Müller") or before a company stays.
fn without_title(name: &str) -> &str {
    let Some((first, rest)) = name.split_once(' ') else { return name };
    let words: Vec<&str> = rest.split_whitespace().collect();
    let capital = |w: Option<&&str>| w.is_some_and(|w| w.starts_with(char::is_uppercase));
    // "Jan van Dijk": particles in between may be lower case.
    let person = words.len() >= 2 && capital(words.first()) && capital(words.last()) && !has_legal_form(rest);
    if person && TITLES.contains(&first.to_lowercase().as_str()) { rest.trim_start() } else { name }
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

/// The first part of a long name wrapped before its legal form ("MVM Musterhafter" /
/// "Versicherungsverein Musterstadt a.G."): the line just above the head `i` (the line with the
/// form), alone on its line, in the same type and column. Returns the whole name.
pub(in super::super) fn first_part_above(ctx: &Ctx, i: usize, name: &str) -> Option<String> {
    if !has_legal_form(name) {
        return None;
    }
    let j = above_cell(ctx, i)?;
    let (c, o) = (&ctx.cells[i], &ctx.cells[j]);
    // "Northern Lights Creative Production" / "Collective LLP": a long name wrapped before its
    // last word, which the legal form follows; the first part may be longer.
    let short = name.split_whitespace().count() <= 2;
    let first_part = (o.x0 - c.x0).abs() <= 0.5 * c.size
        && (o.size - c.size).abs() <= 0.1 * c.size
        && o.y - c.y <= 1.5 * c.size
        && ctx.lines[o.line].len() == 1
        && o.label.is_none()
        && name_like(o)
        && !has_legal_form(&o.text)
        && !address_like(&o.text)
        && !ATTENTION.iter().any(|w| o.norm.starts_with(w))
        && (o.text.split_whitespace().count() <= 3 || short && o.text.split_whitespace().count() <= 5)
        && o.text.chars().next().is_some_and(char::is_uppercase)
        && !o.text.trim_end().ends_with(['.', ':', ','])
        && o.text.chars().any(char::is_lowercase);
    let first = o.text.trim();
    // "Internationale Handels- und Beratungs-" / "gesellschaft SARL": a word broken at the wrap.
    let broken = first.ends_with('-') && name.chars().next().is_some_and(char::is_lowercase);
    first_part
        .then(|| if broken { format!("{}{name}", first.trim_end_matches('-')) } else { format!("{first} {name}") })
}

/// A block's party name, with its legal form when a narrow box wrapped it onto the next line
/// ("Nimbus Logistics" / "BVBA").
pub(super) fn full_name(ctx: &Ctx, b: &Block) -> String {
    if let Some(owner) = owner_beside_trade(ctx, b) {
        return owner;
    }
    let mut name = name_text(ctx, b.name_cell);
    if b.label.is_none()
        && let Some(whole) = first_part_above(ctx, b.name_cell, &name)
    {
        name = whole;
    }
    if let Some(&next) = b.cells.get(1) {
        let n = &ctx.cells[next];
        // "Vulcan Studio UG" / "(haftungsbeschränkt)": the bracketed rest of a legal form.
        // "… GmbH & Co." / "KG" and "… GmbH &" / "Co. KG" too.
        let rest_of_form = n.norm.trim() == "(haftungsbeschrankt)" && name.ends_with("UG")
            || LEGAL_FORMS.contains(&n.norm.trim()) && norm(&name).trim_end_matches('.').ends_with("& co")
            || name.ends_with(" &") && n.norm.trim_start().starts_with("co. ") && has_legal_form(&n.text);
        // "MVM Musterhafter Versicherungsverein" / "Musterstadt a.G.": a long name wrapped in a
        // narrow box, its legal form on the next line in the same type.
        let head = &ctx.cells[b.name_cell];
        let wrapped = !has_legal_form(&name)
            && has_legal_form(&n.text)
            && !address_like(&n.text)
            && n.text.split_whitespace().count() <= 4
            && (n.size - head.size).abs() <= 0.1 * head.size
            && !ATTENTION.iter().any(|w| n.norm.starts_with(w));
        if n.line > head.line && wrapped && !room_to_wrap(ctx, b, b.name_cell, next) {
            // "Anna Jansen" / "Falcon Group BV" over a wider address line: the name's line had
            // room for the next word, so nothing wrapped; a contact's name is set over the
            // company's, and the company is the party.
            return n.text.trim().to_string();
        }
        if n.line > head.line
            && (LEGAL_FORMS.contains(&n.norm.trim()) && !has_legal_form(&name) || rest_of_form || wrapped)
        {
            if name.ends_with("& Co") && ctx.cells[b.name_cell].text.trim_end().ends_with("& Co.") {
                name.push('.');
            }
            name.push(' ');
            name.push_str(n.text.trim());
        }
    }
    name
}

/// A sole trader's letterhead: the owner's name set right over or under a one-word trade that
/// heads the block ("Pieter van Dijk" / "ICT-advies", "Übersetzungen" / "Regula Keller"), and
/// the block's e-mail or web address named after the owner ("info@vandijk.nl"). The owner is
/// the party; the trade is no name.
fn owner_beside_trade(ctx: &Ctx, b: &Block) -> Option<String> {
    let head = &ctx.cells[b.name_cell];
    let trade = head.text.trim();
    if b.label.is_some()
        || trade.split_whitespace().count() != 1
        || has_legal_form(trade)
        || trade.contains(char::is_numeric)
    {
        return None;
    }
    let domain = b.cells.iter().find_map(|&i| {
        let t = ctx.cells[i].norm.trim();
        let host = t.split_once('@').map(|(_, h)| h).or_else(|| t.strip_prefix("www."))?;
        Some(compact_name(host.split('.').next().unwrap_or("")))
    })?;
    if domain.contains(&compact_name(trade)) {
        return None;
    }
    let close = |o: &super::super::Cell| {
        o.page == head.page
            && (o.x0 - head.x0).abs() <= head.size
            && (o.size - head.size).abs() <= 0.1 * head.size
            && (o.y - head.y).abs() <= 1.8 * head.size
            && o.label.is_none()
    };
    let above = head.line.checked_sub(1).and_then(|l| ctx.lines.get(l)).into_iter().flatten().copied();
    let under = b.cells.get(1).copied();
    above.chain(under).map(|j| &ctx.cells[j]).filter(|o| close(o)).find_map(|o| {
        let owner = o.text.trim();
        let surname = owner.split_whitespace().last().map(compact_name).unwrap_or_default();
        (super::heads::person_name(owner) && surname.len() >= 4 && domain.contains(&surname)).then(|| owner.to_string())
    })
}

/// Whether the line of `head` may have been wrapped before `next`: no other line of the block is
/// wider than `head` with `next`'s first word added. A box wraps a line only when the next word
/// does not fit, so a wider line below proves there was room.
fn room_to_wrap(ctx: &Ctx, b: &Block, head: usize, next: usize) -> bool {
    let (h, n) = (&ctx.cells[head], &ctx.cells[next]);
    let first_word = n.words.first().map_or_else(
        || {
            let chars = n.text.trim().chars().count().max(1) as f32;
            let word = n.text.split_whitespace().next().map_or(0, |w| w.chars().count()) as f32;
            (n.x1 - n.x0) * word / chars
        },
        |(x0, x1)| x1 - x0,
    );
    let room = (h.x1 - h.x0) + 0.25 * h.size + first_word;
    !b.cells.iter().filter(|&&j| j != head && j != next).map(|&j| &ctx.cells[j]).any(|o| {
        o.page == h.page
            && o.line > n.line
            && (o.size - h.size).abs() <= 0.1 * h.size
            && o.x1 - o.x0 > room + 0.5 * h.size
    })
}

/// A name filled into a web shop's form and printed as the form ("First name:  Anna" over
/// "Last name:  Jansen", the billing details first): the customer's, who fills the form.
pub(super) fn form_name(ctx: &Ctx) -> Option<String> {
    const FIRST: &[&str] = &["first name", "voornaam", "prenom", "vorname"];
    const LAST: &[&str] = &["last name", "achternaam", "nom", "nachname"];
    let starts = |c: &super::super::Cell, words: &[&str]| {
        c.label.is_some_and(|(_, n)| {
            let label: String = c.norm.chars().take(n).collect();
            words.contains(&label.trim_end_matches([':', ' ']))
        })
    };
    let value = |i: usize| ctx.values(i, false).into_iter().map(|(t, _, _)| t).find(|t| !t.is_empty());
    let first = ctx.lines.iter().flatten().copied().find(|&i| starts(&ctx.cells[i], FIRST))?;
    let c = &ctx.cells[first];
    let last = ctx.lines.get(c.line + 1)?.iter().copied().find(|&j| {
        let o = &ctx.cells[j];
        (o.x0 - c.x0).abs() <= c.size && starts(o, LAST)
    })?;
    Some(format!("{} {}", value(first)?, value(last)?))
}
