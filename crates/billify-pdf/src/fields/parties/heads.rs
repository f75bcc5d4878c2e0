//! What heads a party block and what does not: a name over its address or its tax number, a
//! company's name over its registered office in a footer, a joined seller line (not its
//! street-first address line, nor the rest of a wrapped one), a party label with a bracketed
//! note, and the cells that look like names but are not: a bank over its account details, a
//! labelled value.

use super::super::Ctx;
use super::super::labels::Kind;
use super::super::text::{find_amounts, skip_chars, trim_sep};
use super::{ATTENTION, address_like, has_legal_form, ibans_in, name_like, vats_in, word_prefix};

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

/// Particles that start a person's name in lower case ("de Lattre Alexis", "van Dijk").
pub(super) const NAME_PARTICLES: &[&str] =
    &["de", "van", "von", "di", "da", "du", "le", "la", "der", "den", "ter", "ten"];

/// The words that start a company-registration line under a name ("ABN: 11 119 159 741",
/// "KvK 12345678", "SIRET …"), which sits between a name and its street.
const REGISTRATION_WORDS: &[&str] =
    &["abn", "acn", "gst", "gstin", "uen", "nzbn", "kvk", "siret", "siren", "rcs", "cin", "company no", "reg"];

/// Whether cell `i` heads an unlabelled block: a name near the top of the first page whose
/// next line in the same column reads like an address. An attention line, a registration line
/// or, under a name in mixed case, a person's name may sit between them; a name straight over
/// its registration line heads a party too.
pub(super) fn heads_address(ctx: &Ctx, i: usize) -> bool {
    let c = &ctx.cells[i];
    let particle = NAME_PARTICLES.iter().any(|p| word_prefix(&c.text, p)) && c.text.split_whitespace().count() >= 2;
    // "[Seller name]": a test file's placeholder stands for a name.
    let first = c.text.trim_start_matches('[').chars().next();
    if c.page != 1 || c.height_share() < 0.6 || !(first.is_some_and(char::is_uppercase) || particle) {
        return false;
    }
    if c.text.chars().filter(|ch| ch.is_alphabetic()).all(char::is_uppercase) && c.text.split_whitespace().count() < 2 {
        // "INVOICE", "FACTURE": titles, not names; "LE CLIENT", "MUSTER GMBH" are names.
        return false;
    }
    let mut prev_y = c.y;
    let mut contact = false;
    for line in ctx.lines.iter().skip(c.line + 1).take(4) {
        for &j in line {
            let o = &ctx.cells[j];
            if o.page != c.page || prev_y - o.y > 2.5 * c.size {
                return false;
            }
            if (o.x0 - c.x0).abs() <= 0.8 * c.size {
                prev_y = o.y;
                // "t.a.v. de administratie", "ATTN: Accounts payable", "ABN: 11 119 159 741"
                // sit between a name and its street.
                let registration = o.label.is_some_and(|(k, _)| matches!(k, Kind::VatId | Kind::Vat))
                    || REGISTRATION_WORDS.iter().any(|w| word_prefix(o.norm.trim_start(), w));
                // A name alone on its line straight over its tax number ("Envato" / "ABN: …")
                // heads a party; a row label ("Hôte  Locations Provence SARL") does not.
                if registration && o.line == c.line + 1 && ctx.lines[c.line].len() == 1 {
                    return true;
                }
                if ATTENTION.iter().any(|w| o.norm.starts_with(w)) || registration {
                    break;
                }
                if address_like(&o.text) {
                    return true;
                }
                // "Dubois Design" / "Camille Dubois" / street: a trade name over its owner.
                if !contact && person_name(&o.text) && c.text.chars().any(char::is_lowercase) && title_case(&c.text) {
                    contact = true;
                    break;
                }
                return false;
            }
        }
    }
    false
}

/// Whether every word of `text` starts with a capital or is a name particle ("Dubois Design",
/// "Maison du Pain"; not "Uitgegeven door").
fn title_case(text: &str) -> bool {
    text.split_whitespace().all(|w| {
        w.chars().next().is_some_and(|c| !c.is_alphabetic() || c.is_uppercase()) || NAME_PARTICLES.contains(&w)
    })
}

/// Whether `text` reads like a person's name alone: two or three capitalised words (or a
/// particle), no digits, no legal form, no label.
pub(super) fn person_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (2..=3).contains(&words.len())
        && !has_legal_form(text)
        && !text.contains([':', '@', ','])
        && words.iter().all(|w| {
            w.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’'))
                && (w.chars().next().is_some_and(char::is_uppercase) || NAME_PARTICLES.contains(w))
        })
}

/// Words that start the registered office's line under a company's name in a footer.
const OFFICE_WORDS: &[&str] = &[
    "siege social",
    "siege",
    "registered office",
    "sitz",
    "maatschappelijke zetel",
    "zetel",
    "sede legale",
    "domicilio",
];

/// Whether cell `i` is a company's name alone on its line over its registered office
/// ("NETPRESSE" / "Siège social : 16 rue Mollien – …", "Oravel Stays Private Limited" /
/// "Registered Office: …"), over a joined address line (`Street · City · VAT …`), or over its
/// VAT number below every amount of the page.
pub(super) fn footer_name(ctx: &Ctx, i: usize) -> bool {
    let c = &ctx.cells[i];
    if ctx.lines[c.line].len() != 1 || c.text.split_whitespace().count() > 6 || address_like(&c.text) {
        return false;
    }
    let Some(line) = ctx.lines.get(c.line + 1) else { return false };
    let Some(&first) = line.first() else { return false };
    let o = &ctx.cells[first];
    // Footers set their lines apart: up to three line heights.
    if o.page != c.page || c.y - o.y > 3.0 * c.size {
        return false;
    }
    let office = OFFICE_WORDS.iter().any(|w| word_prefix(o.norm.trim_start(), w));
    // "Discountia Nederland B.V." / "BTW NL2201.45.192.B01" under the last amount of a till
    // receipt: the seller's legal line.
    let vat_under = has_legal_form(&c.text)
        && o.label.is_some_and(|(k, _)| matches!(k, Kind::Vat | Kind::VatId))
        && ctx.lines[c.line..]
            .iter()
            .flatten()
            .all(|&j| ctx.cells[j].page != c.page || find_amounts(&ctx.cells[j].text).is_empty());
    office || vat_under || o.joined && address_like(&o.text)
}

/// Whether the joined line of cell `i` names a party: a legal form, or a part with a VAT number,
/// an IBAN, a contact, their labels or a postcode and town. Among the invoice lines, "Aislante -
/// 195 x 55 cm - 1 persona" is an item, not a seller.
pub(super) fn joined_party_line(ctx: &Ctx, i: usize) -> bool {
    let c = &ctx.cells[i];
    has_legal_form(&c.text)
        || ctx.lines[c.line].iter().any(|&j| {
            let (t, n) = (&ctx.cells[j].text, &ctx.cells[j].norm);
            ctx.cells[j].joined
                && (t.contains('@')
                    || ["vat", "btw", "tva", "ust", "mwst", "tel", "www", "iban", "kvk"]
                        .iter()
                        .any(|w| n.split(|ch: char| !ch.is_alphanumeric()).any(|x| x == *w))
                    || !ibans_in(t).is_empty()
                    || !vats_in(t, true, &[]).is_empty()
                    || postcode_city(t))
        })
}

/// Whether `text` holds a postcode and its town ("75018 PARIS", "D-63571 Gelnhausen", "1000
/// Bruxelles").
fn postcode_city(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.windows(2).any(|w| {
        let code = w[0].rsplit('-').next().unwrap_or(w[0]);
        (4..=5).contains(&code.len())
            && code.chars().all(|c| c.is_ascii_digit())
            && w[1].chars().next().is_some_and(char::is_uppercase)
    })
}

/// The letterhead: the page's first line, when it is only a name set at the top of the first
/// page ("Saber" / "Westlake Village, CA", a centred "Lázaro de la Vega y San Román" over a
/// street without numbers). The seller of last resort, when no block and no payee named one.
pub(super) fn letterhead(ctx: &Ctx, taken: &[usize]) -> Option<usize> {
    let first_line = ctx.lines.iter().find(|l| l.first().is_some_and(|&j| ctx.cells[j].page == 1))?;
    let &[i] = first_line.as_slice() else { return None };
    let c = &ctx.cells[i];
    let words = c.text.split_whitespace().count();
    let name = c.text.trim();
    (c.height_share() > 0.8
        && c.label.is_none()
        && !taken.contains(&i)
        && (1..=7).contains(&words)
        && name.chars().next().is_some_and(char::is_uppercase)
        && !name.chars().any(|ch| ch.is_ascii_digit())
        && name_like(c)
        && !address_like(name))
    .then_some(i)
}

/// Closing salutations of a letter, folded: the name under one signs the letter.
const CLOSINGS: &[&str] = &[
    "met vriendelijke groet",
    "met vriendelijke groeten",
    "vriendelijke groeten",
    "hoogachtend",
    "kind regards",
    "best regards",
    "yours sincerely",
    "yours faithfully",
    "sincerely",
    "cordialement",
    "bien cordialement",
    "salutations distinguees",
    "mit freundlichen grussen",
    "freundliche grusse",
];

/// Whether cell `i` signs a letter: the line right above it is a closing salutation ("Met
/// vriendelijke groet," / "Bram Smit"). The signer is a person of the sender, not a party
/// block of its own.
pub(super) fn signature(ctx: &Ctx, i: usize) -> bool {
    let c = &ctx.cells[i];
    let Some(l) = c.line.checked_sub(1) else { return false };
    ctx.lines[l].iter().any(|&j| {
        let o = &ctx.cells[j];
        let n = o.norm.trim().trim_end_matches([',', '.', '!']);
        o.page == c.page && o.y - c.y <= 3.0 * c.size && CLOSINGS.iter().any(|w| n.ends_with(w))
    })
}

/// Two unlabelled parties side by side (heads within three lines of each other on one page):
/// the one printing its contact details (an e-mail address, a website) is the seller, as nobody
/// prints their customer's, unless the first one prints them too; an attention line ("Attn:
/// Sophie Martin") marks the buyer. `open` says which blocks may be taken. `None` when the
/// details do not tell.
pub(super) fn by_contact_details(ctx: &Ctx, blocks: &[super::Block], open: impl Fn(usize) -> bool) -> Option<usize> {
    let any_cell = |b: &super::Block, test: &dyn Fn(&str) -> bool| b.cells.iter().any(|&i| test(&ctx.cells[i].norm));
    let contact = |b: &super::Block| {
        any_cell(b, &|n| n.contains('@') || word_prefix(n.trim_start(), "www") || n.contains("http"))
    };
    let attention = |b: &super::Block| {
        any_cell(b, &|n| ATTENTION.iter().any(|w| word_prefix(n.trim_start(), w.trim_end().trim_end_matches('.'))))
    };
    let candidates: Vec<usize> = (0..blocks.len()).filter(|&bi| open(bi)).collect();
    let &first = candidates.first()?;
    let head = |bi: usize| &ctx.cells[blocks[bi].name_cell];
    let beside = |bi: usize| {
        let (a, b) = (head(first), head(bi));
        a.page == b.page && (a.y - b.y).abs() <= 3.0 * a.size.max(b.size) && (a.x0 - b.x0).abs() > 10.0 * a.size
    };
    if contact(&blocks[first]) && !attention(&blocks[first]) {
        return None;
    }
    candidates.into_iter().skip(1).find(|&bi| beside(bi) && contact(&blocks[bi]) && !attention(&blocks[bi]))
}

/// The party heading over a "Name:" row: "Verkäufer" / "Nummer: 549910" / "Name: Lieferant
/// GmbH", as e-invoice viewers and form-like layouts print each party as a section of
/// label/value rows. `head` is the value beside the name label; the heading stands alone on
/// its line, in the label's column, a few rows above, with no other name row in between.
pub(super) fn section_heading(ctx: &Ctx, head: usize) -> Option<Kind> {
    let h = &ctx.cells[head];
    let is_name = |o: &&super::super::Cell| o.label.is_some_and(|(k, _)| k == Kind::Name);
    // "Name: Lieferant GmbH" in one cell, or the label in a cell of its own to the left.
    let name_label = Some(h)
        .filter(is_name)
        .or_else(|| ctx.lines[h.line].iter().map(|&j| &ctx.cells[j]).find(|o| o.x1 < h.x0 && is_name(o)))?;
    heading_above(ctx, h.line, name_label.x0, 8, true)
}

/// The value of a "Name:" row under a party heading: a name whatever it looks like ("Name:
/// Test company", "Name: Franz Müller").
pub(super) fn section_name(ctx: &Ctx, i: usize) -> bool {
    let c = &ctx.cells[i];
    c.label.is_some_and(|(k, _)| k == Kind::Name)
        && trim_sep(skip_chars(&c.text, c.label.map_or(0, |l| l.1))).chars().any(char::is_alphabetic)
        && section_heading(ctx, i).is_some()
}

/// The party section a row of label/value pairs stands in ("USt.-Id.-Nr.:  ATU123456789"
/// under "Käufer/Leistungsempfänger"): the heading over the row's label column, at most a dozen
/// rows up.
pub(super) fn section_of(ctx: &Ctx, i: usize) -> Option<Kind> {
    let c = &ctx.cells[i];
    let left = ctx.lines[c.line].first().map(|&j| &ctx.cells[j])?;
    // Only a row of a label and its value: a value in the label's column is no form row.
    if left.x1 >= c.x0 && ctx.lines[c.line].len() > 1 {
        return None;
    }
    heading_above(ctx, c.line, left.x0, 12, false)
}

/// The party label standing alone on a line above `line`, left-aligned at `x0`, within `rows`
/// lines of the same page. With `one_name`, a name row between ends the search.
fn heading_above(ctx: &Ctx, line: usize, x0: f32, rows: usize, one_name: bool) -> Option<Kind> {
    let page = ctx.cells[*ctx.lines[line].first()?].page;
    for l in ctx.lines[..line].iter().rev().take(rows) {
        let &first = l.first()?;
        let o = &ctx.cells[first];
        if o.page != page {
            return None;
        }
        if one_name && l.iter().any(|&j| ctx.cells[j].label.is_some_and(|(k, _)| k == Kind::Name)) {
            return None;
        }
        // The heading alone on its line, or in a row of party headings side by side
        // ("Information about the buyer   Information about the seller").
        let party = |o: &super::super::Cell| {
            let (kind, n) = o.label?;
            let rest = skip_chars(&o.norm, n).trim().trim_start_matches(':').trim();
            let alone = rest.is_empty() || rest.starts_with('/') && !rest.contains(' ');
            (alone && matches!(kind, Kind::Seller | Kind::Buyer | Kind::To | Kind::Payee)).then_some(kind)
        };
        if l.len() > 1 && !l.iter().all(|&j| party(&ctx.cells[j]).is_some()) {
            continue;
        }
        let column = l.iter().map(|&j| &ctx.cells[j]).find(|o| (o.x0 - x0).abs() <= 1.5 * o.size);
        if let Some(kind) = column.and_then(party) {
            return Some(kind);
        }
    }
    None
}

/// The cell right above cell `i` in the same column, if any.
pub(in super::super) fn above_cell(ctx: &Ctx, i: usize) -> Option<usize> {
    let c = &ctx.cells[i];
    let line = c.line.checked_sub(1)?;
    for l in (line.saturating_sub(2)..=line).rev() {
        for &j in &ctx.lines[l] {
            let o = &ctx.cells[j];
            if o.page == c.page && o.y - c.y <= 3.0 * c.size && o.x0 < c.x1 && o.x1 > c.x0 {
                return Some(j);
            }
        }
    }
    None
}

pub(in super::super) fn above_label(ctx: &Ctx, i: usize, kinds: &[Kind]) -> bool {
    above_cell(ctx, i).is_some_and(|j| ctx.cells[j].label.is_some_and(|(k, _)| kinds.contains(&k)))
}

/// The town of a letter's dateline ("Leuven, 1 April 2024", "Köln, den 12. Juni 2025",
/// "Bordeaux, le 21 août 2024"), folded: the sender writes from there. Looked for on the first
/// page's top lines only.
pub(super) fn dateline_town(ctx: &Ctx) -> Option<String> {
    ctx.lines.iter().take(12).flatten().map(|&j| &ctx.cells[j]).filter(|c| c.page == 1).find_map(|c| {
        let (town, rest) = c.norm.split_once(", ")?;
        let words = town.split_whitespace().count();
        let date_only = rest.trim_start_matches("le ").trim_start_matches("den ").trim_start_matches("am ");
        ((1..=3).contains(&words)
            && town.chars().all(|ch| ch.is_alphabetic() || matches!(ch, ' ' | '-' | '\''))
            && super::super::text::find_date(date_only).is_some()
            && date_only.split_whitespace().count() <= 4)
            .then(|| town.to_string())
    })
}

/// Whether one of `cells` (a block's address) is a postcode and `town`: "3000 Leuven",
/// "L-1855 Luxembourg".
pub(super) fn in_town(ctx: &Ctx, cells: &[usize], town: &str) -> bool {
    cells.iter().any(|&j| {
        let n = ctx.cells[j].norm.trim();
        n.strip_suffix(town).is_some_and(|before| {
            before.ends_with(' ') && before.trim().chars().any(|ch| ch.is_ascii_digit()) && before.trim().len() <= 9
        })
    })
}

/// Whether cell `j` is the value of a label other than a name's, set in the cell to its left
/// in the column of the heading at `x0` ("Käuferreferenz:  SERVEXEC" under "Informationen zum
/// Käufer"; not "Reg. No.:" of the party beside it).
pub(super) fn other_labels_value(ctx: &Ctx, j: usize, x0: f32) -> bool {
    let c = &ctx.cells[j];
    let line = &ctx.lines[c.line];
    line.iter().position(|&k| k == j).and_then(|p| p.checked_sub(1)).is_some_and(|p| {
        let left = &ctx.cells[line[p]];
        left.text.trim_end().ends_with(':')
            && left.label.is_none_or(|(k, _)| k != Kind::Name)
            && (left.x0 - x0).abs() <= 1.5 * left.size
    })
}
