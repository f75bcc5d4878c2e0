//! Which party is which: supplier and customer names, addresses, VAT numbers, IBANs and BICs,
//! with our own party (names, VAT numbers, IBANs) recognised and set aside.

use std::sync::LazyLock;

use billify_domain::{Iban, VatNumber};
use billify_ports::intake::{Extracted, ExtractedInvoice, ExtractedParty, OwnParty};
use regex::Regex;

use super::labels::{Kind, LEGAL_FORMS};
use super::text::{find_amounts, find_date, norm, skip_chars, trim_sep};
use super::{Cell, Ctx, Place, pct};
use bic::bic;
use heads::{
    NAME_PARTICLES, bank_details, bracketed_note, footer_name, heads_address, heads_joined, joined_party_line,
    labelled_value, letterhead, names_bank, section_name, signature,
};
pub(super) use heads::{above_cell, above_label};
use names::full_name;
pub(super) use names::name_text;

mod bic;
mod failing;
mod heads;
mod names;

pub(super) static IBAN_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\b([A-Z]{2}\d{2}(?: ?[A-Z0-9]){10,30})").ok());
/// The start of an IBAN ending a cell: the country, the check digits and maybe some groups.
static IBAN_HEAD: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){0,8}$").ok());
pub(super) static VAT_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"\b(AT|BE|BG|CH|CY|CZ|DE|DK|EE|EL|GR|ES|FI|FR|GB|HR|HU|IE|IT|LT|LU|LV|MT|NL|NO|PL|PT|RO|SE|SI|SK|XI)[ .\-]?([0-9][0-9A-Z .\-]{1,18}|[0-9A-Z]{2}[0-9 .]{9,12}|U[0-9]{8}|[A-Z][0-9]{7}[0-9A-Z]|E[ .\-]?[0-9]{3}[ .]?[0-9]{3}[ .]?[0-9]{3})").ok()
});
pub(super) static BE_ENTERPRISE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\b([01]\d{3}[. ]?\d{3}[. ]?\d{3})\b").ok());

/// Words before an IBAN that make it the account to pay to.
pub(super) const IBAN_WORDS: &[&str] = &["iban", "rekening", "account", "compte", "konto", "bank"];

/// Words before an IBAN that make it the payer's account (direct debit), not the payee's.
pub(super) const PAYER_ACCOUNT: &[&str] = &[
    "uw rekening",
    "your account",
    "votre compte",
    "ihrem konto",
    "ihr konto",
    "gedomicilieerd",
    "domiciliering",
    "domiciliation",
    "direct debit",
    "lastschrift",
    "prelevement",
];

/// Valid IBANs in a cell, with their byte ranges.
pub(super) fn ibans_in(text: &str) -> Vec<(Iban, std::ops::Range<usize>)> {
    let Some(re) = IBAN_RE.as_ref() else { return Vec::new() };
    let upper = text.to_ascii_uppercase();
    let mut out = Vec::new();
    for m in re.find_iter(&upper) {
        let compact: String = m.as_str().chars().filter(|c| !c.is_whitespace()).collect();
        for len in (15..=compact.len().min(34)).rev() {
            if let Ok(iban) = Iban::parse(&compact[..len]) {
                out.push((iban, m.range()));
                break;
            }
        }
    }
    out
}

/// Valid VAT numbers in a cell. Countries checked for shape only need a VAT label nearby.
pub(super) fn vats_in(text: &str, labelled: bool, ibans: &[(Iban, std::ops::Range<usize>)]) -> Vec<VatNumber> {
    let mut out = Vec::new();
    let upper = text.to_ascii_uppercase();
    if let Some(re) = VAT_RE.as_ref() {
        let mut at = 0;
        while let Some(m) = re.captures_at(&upper, at) {
            let Some(whole) = m.get(0) else { break };
            at = whole.end();
            // Digits after "IBAN" are an account (maybe cut off), not a VAT number.
            if upper[..whole.start()].trim_end().trim_end_matches(':').ends_with("IBAN") {
                continue;
            }
            // "VAT Reg No GB 123 4567 89": the "NO" of the label is no Norwegian prefix.
            if &m[1] == "NO" && m[2].starts_with(|c: char| c.is_ascii_alphabetic()) {
                at = whole.start() + 2;
                continue;
            }
            if ibans.iter().any(|(_, r)| r.start < whole.end() && whole.start() < r.end) {
                continue;
            }
            let country = &m[1];
            let checked = matches!(country, "BE" | "NL" | "DE" | "FR");
            if !checked && !labelled && !super::national_vat::label_around(&text[..whole.start()], &text[whole.end()..])
            {
                continue;
            }
            // A word after a space ("LU46223544 IBAN …") ends the number.
            let mut body: Vec<char> = m[2].chars().collect();
            if let Some(p) = (1..body.len().saturating_sub(1))
                .find(|&p| body[p - 1] == ' ' && body[p].is_ascii_alphabetic() && body[p + 1].is_ascii_alphabetic())
            {
                body.truncate(p);
            }
            for end in (1..=body.len()).rev() {
                if !body[end - 1].is_ascii_alphanumeric() {
                    continue;
                }
                let candidate: String = body[..end].iter().collect();
                if let Ok(v) = VatNumber::parse(&format!("{country}{candidate}")) {
                    if !out.contains(&v) {
                        out.push(v);
                    }
                    break;
                }
            }
        }
    }
    if out.is_empty()
        && labelled
        && let Some(re) = BE_ENTERPRISE.as_ref()
    {
        for m in re.find_iter(text) {
            if let Ok(v) = VatNumber::parse(&format!("BE{}", m.as_str())) {
                out.push(v);
            }
        }
    }
    out
}

pub(super) fn compact_name(s: &str) -> String {
    norm(s).chars().filter(|c| c.is_alphanumeric()).collect()
}

pub(super) fn has_legal_form(text: &str) -> bool {
    let n = norm(text);
    let words: Vec<&str> = n.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
    // "1 kg" is a quantity, not a Kommanditgesellschaft; "Tankstation A12 NV" is a company.
    let quantity = |w: &str| w.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ','));
    words.iter().enumerate().any(|(i, w)| LEGAL_FORMS.contains(w) && i > 0 && !quantity(words[i - 1]))
}

/// Whether a line reads like part of an address: a house number or postcode beside words.
pub(super) fn address_like(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    (1..=10).contains(&digits) && letters >= 3 && find_amounts(text).is_empty() && find_date(text).is_none()
}

/// A party as found: a name cell and the cells of its block (address, VAT, ...).
#[derive(Debug, Clone)]
pub(super) struct Block {
    pub(super) name_cell: usize,
    pub(super) cells: Vec<usize>,
    pub(super) label: Option<Kind>,
    /// Headed by a name over the registered office or a joined address line (a footer's
    /// company line), which is the seller's.
    footer: bool,
}

pub(super) fn name_like(c: &Cell) -> bool {
    let letters = c.text.chars().filter(|ch| ch.is_alphabetic()).count();
    // "ATTN: iViveLabs Limited": the name after an attention word.
    let t = names::after_attention(c.text.trim_end());
    // "(Not to be used for payment remittance)": a note in brackets is no name.
    let note = t.starts_with('(') && t.ends_with(')');
    // "Herrn" / "Max Mustermann": a salutation (or "T.a.v.") alone on its line of an address.
    let alone = c.norm.trim().trim_end_matches([':', '.']);
    let salutation = SALUTATIONS.contains(&c.norm.trim()) || ATTENTION.iter().any(|w| w.trim_end() == alone);
    // "GLN 4304171000002", "Kunden-Nr 339420": an identifier, letters only for its label.
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let code = digits >= 6 && letters <= 4;
    // "Name: Acme BV" (a viewer's party block) is a name with its label.
    let unlabelled = match c.label {
        None => true,
        Some((Kind::Name, n)) => !trim_sep(skip_chars(&c.text, n)).is_empty(),
        Some(_) => false,
    };
    letters >= 2
        && unlabelled
        && !note
        && !salutation
        && !code
        // "Nederland" alone: an address's country line.
        && !super::countries::is_country(&c.norm)
        && !t.ends_with(':')
        && !t.contains('@')
        && !t.starts_with("www")
        && find_date(&c.text).is_none()
        && find_amounts(&c.text).is_empty()
        && (c.label.is_some() || !labelled_value(t))
        // One token of several digits is a code (an invoice or customer number), not a name.
        && !(t.split_whitespace().count() == 1 && t.chars().filter(char::is_ascii_digit).count() >= 3)
        && (t.chars().filter(char::is_ascii_digit).count() < 8 || ibans_in(&c.text).is_empty())
}

/// Salutations set alone on the line over a person's name in an address window.
const SALUTATIONS: &[&str] = &[
    "herrn", "herr", "frau", "firma", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "monsieur", "madame", "mme", "m.",
    "dhr.", "mevr.", "de heer", "mevrouw", "sig.", "sig.ra", "spett.le",
];

/// Words that start an attention line in an address.
pub(super) const ATTENTION: &[&str] =
    &["t.a.v", "tav ", "attn", "attention", "z.hd", "z. hd", "zhd", "a l'attention", "c/o"];

/// The table of invoice lines starts at its header row.
pub(super) fn table_start(ctx: &Ctx) -> Option<usize> {
    (0..ctx.lines.len()).find(|&l| super::line_columns::is_table_header(ctx, l))
}

/// Blocks of left-aligned cells on consecutive lines, each headed by a name.
pub(super) fn blocks(ctx: &Ctx, own_names: &[String]) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut used = vec![false; ctx.cells.len()];
    let table = table_start(ctx);
    for (i, c) in ctx.cells.iter().enumerate() {
        if used[i] {
            continue;
        }
        // Inside the table of lines, "1 kg" or "Cable CAT6" are no parties.
        let in_table =
            table.is_some_and(|t| c.line >= t && c.page == ctx.cells[ctx.lines[t][0]].page) && c.height_share() > 0.12;
        // A joined seller line (`Name · Street · VAT …`) may follow the totals in the flow
        // (word processors put the footer there), not only at the bottom of the page.
        if in_table && !(heads_joined(ctx, i) && joined_party_line(ctx, i)) && !footer_name(ctx, i) {
            continue;
        }
        // The head: a party label alone ("Bill to"), or a name.
        let mut label = None;
        let mut head = i;
        let inline_label = c.label.filter(|(k, _)| matches!(k, Kind::Seller | Kind::Buyer | Kind::To | Kind::Payee));
        if let Some((k, n)) = inline_label {
            // "Reservation  Guest name  Arrival  Departure …": a column header, not a party.
            let row = &ctx.lines[c.line];
            if row.len() >= 4 && row.iter().all(|&j| !ctx.cells[j].text.chars().any(|ch| ch.is_ascii_digit())) {
                continue;
            }
            let rest = trim_sep(skip_chars(&c.text, n));
            // "Käufer/Leistungsempfänger": a second label word after a slash is no name.
            let rest = if rest.starts_with('/') && !rest.contains(' ') { "" } else { rest };
            label = Some(k);
            // "Caisse 4  Vendeur Marc": on a till receipt the seller word names the clerk, one
            // first name and no company.
            let label_text: String = c.norm.chars().take(n).collect();
            if k == Kind::Seller
                && ["vendeur", "verkoper", "verkaufer", "seller"].contains(&label_text.trim())
                && !rest.is_empty()
                && !rest.contains(char::is_whitespace)
                && !has_legal_form(rest)
            {
                continue;
            }
            // "Buyer fee $20.20": a label word starting a line of amounts, or followed by a word
            // in lower case, names no party.
            let lower_word = rest
                .split_whitespace()
                .next()
                .is_some_and(|w| w.chars().all(char::is_lowercase) && !NAME_PARTICLES.contains(&w));
            if (lower_word || !find_amounts(rest).is_empty()) && !has_legal_form(rest) {
                continue;
            }
            // "Client : 8883": a customer number, not a name.
            if !rest.chars().any(char::is_alphabetic) && rest.chars().any(|ch| ch.is_ascii_digit()) {
                continue;
            }
            // "Payee bank account: IBAN …" names an account, not a party.
            if rest.chars().filter(char::is_ascii_digit).count() >= 8
                && !ibans_in(rest).is_empty()
                && !has_legal_form(rest)
            {
                continue;
            }
            // "DESTINATAIRE (STRUCTURE PUBLIQUE)": a bracketed note on the label is no name.
            let note = bracketed_note(rest);
            if rest.is_empty() || note {
                // The name is the next cell below; else the next to the right.
                let values: Vec<_> =
                    ctx.values(i, true).into_iter().filter(|(_, p, _)| !(note && *p == Place::Same)).collect();
                // "Customer  1072": a customer number beside the label; the party is elsewhere.
                let code_beside =
                    values.iter().find(|(t, p, _)| *p != Place::Below && !t.is_empty()).is_some_and(|(t, _, _)| {
                        !t.chars().any(char::is_alphabetic) && t.chars().any(|ch| ch.is_ascii_digit())
                    });
                if rest.is_empty() && code_beside {
                    continue;
                }
                // "Customer Name:  Acme Ltd": a name label has its value beside it.
                let label_text: String = c.norm.chars().take(n).collect();
                let beside = |(t, p, _): &&(String, Place, usize)| *p != Place::Below && !t.is_empty();
                // "Käuferreferenz:  SERVEXEC" under "Informationen zum Käufer": another label's
                // value is no name.
                let below = |(t, p, j): &&(String, Place, usize)| {
                    *p == Place::Below
                        && !t.is_empty()
                        && name_like(&ctx.cells[*j])
                        && !heads::other_labels_value(ctx, *j, c.x0)
                };
                let next =
                    if label_text.ends_with("name") || label_text.ends_with("naam") || label_text.starts_with("nom ") {
                        values.iter().find(beside).or_else(|| values.iter().find(below))
                    } else {
                        values.iter().find(below).or_else(|| values.iter().find(beside))
                    };
                match next {
                    Some((_, _, j)) if name_like(&ctx.cells[*j]) => head = *j,
                    _ => continue,
                }
            }
        } else if !section_name(ctx, i) && !((name_like(c)
            // "Free SAS au capital de 3.441.812 Euros − …": a company's legal line in a footer.
            || heads_joined(ctx, i) && has_legal_form(&c.text))
            && (has_legal_form(&c.text)
                // Our own name, which Billify knows, heads our block wherever it stands.
                || own_names.iter().any(|o| o.len() >= 3 && compact_name(&name_text(ctx, i)) == *o)
                || footer_name(ctx, i)
                // A street line ("Stationsplein 163") heads no party, even when the lines of
                // its block are set further apart than usual.
                || heads_address(ctx, i) && !address_like(&c.text)
                || heads_joined(ctx, i)))
            // "Bankverbindung" / "Commerzbank AG" / "IBAN …": the bank, not a party.
            || names_bank(ctx, i)
            || signature(ctx, i)
        {
            continue;
        }
        if label.is_none() {
            label = heads::section_heading(ctx, head);
        }
        let footer = label.is_none() && footer_name(ctx, head);
        let mut cells = vec![head];
        used[head] = true;
        if ctx.cells[head].joined {
            // The other parts of a joined footer line: its address, VAT number and IBAN.
            for &j in &ctx.lines[ctx.cells[head].line] {
                if j != head && ctx.cells[j].joined && !used[j] {
                    used[j] = true;
                    cells.push(j);
                }
            }
        }
        let mut last = head;
        // A joined line holds the whole party; the lines under a sender line are the buyer's.
        let below = if ctx.cells[head].joined { ctx.lines.len() } else { ctx.cells[head].line + 1 };
        for line in ctx.lines.iter().skip(below) {
            let l = &ctx.cells[last];
            let Some(&first) = line.first() else { continue };
            if ctx.cells[first].page != l.page || l.y - ctx.cells[first].y > 2.2 * l.size {
                break;
            }
            // Lines under the head in its column: left-aligned with it, or right-aligned with it
            // when it is set flush right ("DECATHLON ESPANA SAU" / "C/ SALVADOR DE …").
            let h = &ctx.cells[head];
            let flush_right = h.x0 > 0.5 * h.page_width;
            let next = line.iter().copied().find(|&j| {
                let o = &ctx.cells[j];
                (o.x0 - h.x0).abs() <= 0.8 * l.size
                    || flush_right && (o.x1 - h.x1).abs() <= 0.5 * l.size
                    // A centred letterhead (till receipts, folios): lines centred on the head's.
                    || ((o.x0 + o.x1) - (h.x0 + h.x1)).abs() <= l.size
            });
            // Lines of another column in between are skipped.
            if let Some(j) = next {
                let stops = ctx.cells[j].label.is_some_and(|(k, _)| {
                    matches!(
                        k,
                        Kind::Seller
                            | Kind::Buyer
                            | Kind::To
                            | Kind::Payee
                            | Kind::InvoiceNumber
                            | Kind::InvoiceWord
                            | Kind::IssueDate
                            | Kind::DueDate
                    )
                });
                // "-----": a rule under the block ends it.
                let rule = !ctx.cells[j].text.chars().any(char::is_alphanumeric);
                // Our own name starts our block, even set straight under the sender's, and so
                // does a whole party on one line (`Name · Street · VAT …`).
                let ours = own_names.iter().any(|o| o.len() >= 3 && compact_name(&name_text(ctx, j)) == *o);
                let party_line = heads_joined(ctx, j) && joined_party_line(ctx, j);
                // "Facturé à" / "Lotte Visser" / "Atlas Labs SARL": under a buyer label, our own
                // name after the first line is the buyer's, and the line above it a contact's.
                if ours && !used[j] && cells.len() == 1 && matches!(label, Some(Kind::Buyer | Kind::To)) {
                    used[j] = true;
                    cells[0] = j;
                    head = j;
                    last = j;
                    continue;
                }
                if used[j] || cells.len() >= 8 || stops || rule || ours || party_line {
                    break;
                }
                used[j] = true;
                cells.push(j);
                last = j;
            }
        }
        // "Commerzbank AG" / "IBAN: …" / "BIC: …", "Sparkasse KölnBonn · IBAN … · BIC …": a
        // bank named over its account details is no party.
        if label.is_none() && bank_details(ctx, &cells) {
            continue;
        }
        out.push(Block { name_cell: head, cells, label, footer });
    }
    out
}

pub(super) fn address_of(ctx: &Ctx, b: &Block) -> Option<String> {
    let parts: Vec<String> = b
        .cells
        .iter()
        .skip(1)
        .map(|&i| &ctx.cells[i])
        .filter(|c| c.label.is_none())
        .filter(|c| !c.text.contains('@') && !c.norm.starts_with("tel") && !c.norm.starts_with("www"))
        .filter(|c| {
            let ib = ibans_in(&c.text);
            ib.is_empty() && vats_in(&c.text, true, &ib).is_empty()
        })
        .map(|c| c.text.trim_end_matches(['.', ',']).to_string())
        .take(4)
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// An IBAN cut by a line wrap: the cell ends with its start ("IBAN FR20 1254 … 5874", or only
/// "IBAN FR20") and the next left-aligned line starts with the rest ("698").
fn wrapped_iban(ctx: &Ctx, i: usize) -> Option<(Iban, std::ops::Range<usize>)> {
    let re = IBAN_RE.as_ref()?;
    let c = &ctx.cells[i];
    let upper = c.text.to_ascii_uppercase();
    // "… · IBAN FR20" / "1254 2547 …": cut right after its country and check digits, the start
    // is too short for an IBAN's shape, but the label before it says what it is.
    let short = || {
        let m = IBAN_HEAD.as_ref()?.find(upper.trim_end())?;
        upper[..m.start()].trim_end().trim_end_matches(':').trim_end().ends_with("IBAN").then_some(m)
    };
    let m = re.find_iter(&upper).last().filter(|m| upper[m.end()..].trim().is_empty()).or_else(short)?;
    let head: String = m.as_str().chars().filter(|c| !c.is_whitespace()).collect();
    let left = ctx.lines[c.line].iter().map(|&j| ctx.cells[j].x0).fold(f32::INFINITY, f32::min);
    let right = ctx.lines[c.line].iter().map(|&j| ctx.cells[j].x1).fold(f32::NEG_INFINITY, f32::max);
    for line in ctx.lines.iter().skip(c.line + 1).take(3) {
        let Some(&first) = line.first() else { continue };
        let f = &ctx.cells[first];
        if f.page != c.page || c.y - f.y > 3.0 * c.size {
            return None;
        }
        // The rest starts the next line, under the line's left edge or, in a centred footer,
        // centred under it.
        let last_x1 = line.last().map_or(f.x1, |&j| ctx.cells[j].x1);
        let centred = ((f.x0 + last_x1) - (left + right)).abs() <= 4.0 * c.size;
        if (f.x0 - left).abs() > 2.0 * c.size && !centred {
            // A line of another column in between.
            continue;
        }
        let mut tail = String::new();
        for tok in f.text.split_whitespace().take(8) {
            if tok.len() > 4 || !tok.chars().all(|ch| ch.is_ascii_alphanumeric()) {
                break;
            }
            tail.push_str(&tok.to_ascii_uppercase());
            if let Ok(iban) = Iban::parse(&format!("{head}{tail}")) {
                return Some((iban, m.range()));
            }
        }
        return None;
    }
    None
}

/// The first part of a VAT number label ending a line ("… · VAT", "… · VAT Registration").
const VAT_LABEL_HEADS: &[&str] =
    &["vat", "vat registration", "vat reg", "vat identification", "btw", "tva", "ust", "ust-id", "mwst", "tax"];
/// The rest of the label starting the next line ("Registration Number:", "Number:", "No.").
const VAT_LABEL_TAILS: &[&str] =
    &["registration", "reg", "identification", "number", "no", "nr", "nummer", "numero", "id", "n°", "-id", "-idnr"];

/// Whether `text` starts with the word `w` (followed by no letter).
pub(super) fn word_prefix(text: &str, w: &str) -> bool {
    text.strip_prefix(w).is_some_and(|r| r.chars().next().is_none_or(|c| !c.is_alphabetic()))
}

/// Whether `text` ends with the word `w` (after no letter or digit).
fn word_suffix(text: &str, w: &str) -> bool {
    text.strip_suffix(w).is_some_and(|r| r.chars().next_back().is_none_or(|c| !c.is_alphanumeric()))
}

pub(super) fn parties(ctx: &Ctx, own: &OwnParty, inv: &mut ExtractedInvoice) {
    // Identifiers anywhere, with their cells.
    let mut ibans: Vec<(usize, Iban, bool)> = Vec::new();
    let mut payer_ibans: Vec<Iban> = Vec::new();
    let mut vats: Vec<(usize, VatNumber, bool)> = Vec::new();
    // Labelled numbers that fail their check digits, with their cells.
    let (mut failed_vats, mut failed_ibans) = (Vec::<(usize, String)>::new(), Vec::<(usize, String)>::new());
    for (i, c) in ctx.cells.iter().enumerate() {
        let mut found = ibans_in(&c.text);
        if found.is_empty() && c.text.len() >= 8 {
            found.extend(wrapped_iban(ctx, i));
        }
        let left_label = |kinds: &[Kind]| {
            c.label.is_some_and(|(k, _)| kinds.contains(&k))
                || ctx.lines[c.line].iter().any(|&j| {
                    j != i && ctx.cells[j].x1 <= c.x0 && ctx.cells[j].label.is_some_and(|(k, _)| kinds.contains(&k))
                })
                || above_label(ctx, i, kinds)
        };
        for (iban, range) in &found {
            if !ibans.iter().any(|(_, x, _)| x == iban) {
                // The words before the IBAN in its cell say whose account it is.
                let before = norm(c.text.get(..range.start).unwrap_or(""));
                let payer_side = PAYER_ACCOUNT.iter().any(|w| before.contains(w));
                let labelled =
                    !payer_side && (left_label(&[Kind::Iban]) || IBAN_WORDS.iter().any(|w| before.contains(w)));
                if payer_side {
                    payer_ibans.push(iban.clone());
                }
                ibans.push((i, iban.clone(), labelled));
            }
        }
        // "Bank details: … · VAT No. GB688077668": a VAT label inside a cell of other things.
        // "… · VAT Registration Number:" ending a line, its number wrapped to the next line.
        let wrapped_label = c.line > 0
            && ctx.lines[c.line].first() == Some(&i)
            && ctx.lines[c.line - 1].last().is_some_and(|&j| {
                let o = &ctx.cells[j];
                let n = o.norm.trim_end();
                o.page == c.page
                    && o.y - c.y <= 2.0 * c.size
                    && n.ends_with(':')
                    && ["vat", "btw", "tva", "ust", "mwst"].iter().any(|w| n.contains(w))
            });
        // "… · VAT" / "Registration Number: LU…", "… · VAT Registration" / "Number: LU…": the
        // label itself broken over two lines, the number after its second part.
        let broken_label = c.line > 0
            && ctx.lines[c.line].first() == Some(&i)
            && VAT_LABEL_TAILS.iter().any(|w| word_prefix(c.norm.trim_start(), w))
            && ctx.lines[c.line - 1].last().is_some_and(|&j| {
                let o = &ctx.cells[j];
                o.page == c.page
                    && o.y - c.y <= 2.0 * c.size
                    && VAT_LABEL_HEADS.iter().any(|w| word_suffix(o.norm.trim_end().trim_end_matches('.'), w))
            });
        // A cell that is only a VAT-shaped token ("GB887357941" on its own line of an address
        // block) reads as a VAT number even unlabelled.
        let alone = super::national_vat::alone_vat_token(ctx, i);
        let labelled = wrapped_label
            || broken_label
            || alone
            || left_label(&[Kind::VatId, Kind::Vat])
            || ["vat no", "vat number", "vat reg", "btw-n", "btw n", "n° tva", "ust-id"]
                .iter()
                .any(|w| c.norm.contains(w));
        let mut in_cell = vats_in(&c.text, labelled, &found);
        if in_cell.is_empty() {
            in_cell.extend(super::national_vat::national_vat(ctx, i));
        }
        if in_cell.is_empty() && labelled {
            failed_vats.extend(failing::failing_vat(&c.text).map(|v| (i, v)));
        }
        if found.is_empty() && left_label(&[Kind::Iban]) {
            failed_ibans.extend(failing::failing_iban(&c.text).map(|v| (i, v)));
        }
        for v in in_cell {
            if !vats.iter().any(|(_, x, _)| *x == v) {
                vats.push((i, v, labelled));
            }
        }
    }

    // Payee names ("To:" in payment details, "Beneficiary", "t.n.v.").
    let mut payees: Vec<String> = Vec::new();
    for (i, kind) in ctx.labelled(&[Kind::Payee, Kind::To]) {
        let c = &ctx.cells[i];
        let near_iban = ibans.iter().any(|(j, _, _)| {
            let o = &ctx.cells[*j];
            o.page == c.page && (o.line as isize - c.line as isize).abs() <= 5
        });
        if kind == Kind::To && !near_iban {
            continue;
        }
        if let Some((text, _, _)) = ctx.values(i, false).into_iter().next()
            && text.chars().filter(|ch| ch.is_alphabetic()).count() >= 2
        {
            payees.push(text.trim_end_matches(['.', ',']).to_string());
        }
    }

    let own_names: Vec<String> = own.names.iter().map(|n| compact_name(n)).filter(|n| !n.is_empty()).collect();
    let mut blocks = blocks(ctx, &own_names);
    // A "To:" block next to bank details is the payee line, not the buyer.
    blocks.retain(|b| {
        !(b.label == Some(Kind::To) && payees.iter().any(|p| compact_name(p) == compact_name(&full_name(ctx, b))))
    });
    let is_own = |b: &Block| {
        let name = compact_name(&full_name(ctx, b));
        own_names
            .iter()
            .any(|o| !name.is_empty() && (name == *o || name.starts_with(o.as_str()) || o.starts_with(name.as_str())))
            || b.cells.iter().any(|&i| {
                vats.iter().any(|(j, v, _)| *j == i && own.vat_numbers.contains(v))
                    || ibans.iter().any(|(j, x, _)| *j == i && own.ibans.contains(x))
            })
    };
    let payment_iban = ibans
        .iter()
        .filter(|(_, x, _)| !payer_ibans.contains(x))
        .max_by_key(|(i, _, labelled)| (*labelled, std::cmp::Reverse(*i)))
        .map(|(_, x, _)| x.clone());
    let own_is_payee = payment_iban.as_ref().is_some_and(|i| own.ibans.contains(i));

    // Roles.
    let mut seller: Option<(usize, u8)> = None;
    let mut buyer: Option<(usize, u8)> = None;
    for (bi, b) in blocks.iter().enumerate() {
        match b.label {
            Some(Kind::Seller) if seller.is_none() => seller = Some((bi, 90)),
            Some(Kind::Buyer) | Some(Kind::To) if buyer.is_none() => buyer = Some((bi, 90)),
            _ => {}
        }
    }
    if seller.is_none() {
        let name_of = |b: &Block| compact_name(&full_name(ctx, b));
        if let Some(bi) = blocks.iter().position(|b| payees.iter().any(|p| compact_name(p) == name_of(b)))
            && buyer.is_none_or(|(x, _)| x != bi)
        {
            seller = Some((bi, 90));
        }
    }
    // A line of joined parts (a footer, or the sender line above the address window) is the
    // seller's: nobody prints the buyer that way. Our own name there makes us the seller when
    // it is the page's footer; a sender line may be a form's.
    if seller.is_none()
        && let Some(bi) = blocks.iter().enumerate().position(|(bi, b)| {
            (ctx.cells[b.name_cell].joined && joined_party_line(ctx, b.name_cell) || b.footer)
                && (!is_own(b) || ctx.cells[b.name_cell].height_share() < 0.12)
                && buyer.is_none_or(|(x, _)| x != bi)
        })
    {
        seller = Some((bi, 80));
    }
    // Two address blocks and no label: the letter is written from the sender's town.
    if seller.is_none()
        && let Some(town) = heads::dateline_town(ctx)
        && let [bi] = (0..blocks.len())
            .filter(|&bi| buyer.is_none_or(|(x, _)| x != bi) && heads::in_town(ctx, &blocks[bi].cells, &town))
            .collect::<Vec<_>>()[..]
    {
        seller = Some((bi, 75));
    }
    if let Some(bi) = blocks.iter().position(&is_own) {
        let taken = seller.is_some_and(|(x, _)| x == bi) || buyer.is_some_and(|(x, _)| x == bi);
        if !taken {
            if own_is_payee {
                if seller.is_none() {
                    seller = Some((bi, 85));
                }
            } else if buyer.is_none() {
                buyer = Some((bi, 85));
            }
        }
    }
    // The same party printed twice (a header block and a footer line) is one party.
    let block_name = |bi: usize| compact_name(&full_name(ctx, &blocks[bi]));
    let same = |a: usize, b: usize| a == b || !block_name(a).is_empty() && block_name(a) == block_name(b);
    let free = |s: &Option<(usize, u8)>, b: &Option<(usize, u8)>, bi: usize| {
        s.is_none_or(|(x, _)| !same(x, bi)) && b.is_none_or(|(x, _)| !same(x, bi))
    };
    // Prefer blocks that hold the payment IBAN as the seller.
    if seller.is_none()
        && let Some(bi) = blocks.iter().enumerate().position(|(bi, b)| {
            free(&seller, &buyer, bi)
                && b.cells.iter().any(|&i| ibans.iter().any(|(j, x, _)| *j == i && Some(x) == payment_iban.as_ref()))
        })
    {
        seller = Some((bi, 75));
    }
    if seller.is_none() {
        seller = heads::by_contact_details(ctx, &blocks, |bi| {
            free(&seller, &buyer, bi) && !is_own(&blocks[bi]) && blocks[bi].label.is_none()
        })
        .map(|bi| (bi, 70));
    }
    if seller.is_none()
        && let Some(bi) = (0..blocks.len()).find(|&bi| free(&seller, &buyer, bi) && !is_own(&blocks[bi]))
    {
        seller = Some((bi, if buyer.is_some() { 75 } else { 55 }));
    }
    if buyer.is_none()
        && let Some(bi) = (0..blocks.len()).find(|&bi| free(&seller, &buyer, bi))
    {
        buyer = Some((bi, if seller.is_some_and(|(_, c)| c >= 75) { 75 } else { 55 }));
    }

    let mut seller_party = ExtractedParty::default();
    let mut buyer_party = ExtractedParty::default();
    let mut seller_cells: Vec<usize> = Vec::new();
    let mut buyer_cells: Vec<usize> = Vec::new();
    if let Some((bi, conf)) = seller {
        let b = &blocks[bi];
        // "Julie Janssens – Copywriting" heading the page, "Julie Janssens – Copywriting –
        // Molenstraat 31 – …" in the footer, cut at its dashes: the whole trade name.
        let name = full_name(ctx, b);
        let longer = (0..blocks.len())
            .filter(|&o| o != bi && buyer.is_none_or(|(x, _)| x != o) && !is_own(&blocks[o]))
            .map(|o| full_name(ctx, &blocks[o]))
            .filter(|n| compact_name(n).len() > compact_name(&name).len())
            .find(|n| !name.is_empty() && compact_name(n).starts_with(&compact_name(&name)));
        let name = if ctx.cells[b.name_cell].joined { longer.unwrap_or(name) } else { name };
        seller_party.name = Some(Extracted::new(name, pct(conf)));
        seller_party.address = address_of(ctx, b).map(|a| Extracted::new(a, pct(conf.saturating_sub(10))));
        seller_cells = (0..blocks.len()).filter(|&o| same(bi, o)).flat_map(|o| blocks[o].cells.clone()).collect();
    } else if let Some(p) = payees.first() {
        seller_party.name = Some(Extracted::new(p.clone(), pct(70)));
    }
    if let Some((bi, conf)) = buyer {
        let b = &blocks[bi];
        buyer_party.name = Some(Extracted::new(full_name(ctx, b), pct(conf)));
        buyer_party.address = address_of(ctx, b).map(|a| Extracted::new(a, pct(conf.saturating_sub(10))));
        buyer_cells = (0..blocks.len()).filter(|&o| same(bi, o)).flat_map(|o| blocks[o].cells.clone()).collect();
    }
    if seller_party.name.is_none()
        && let Some(i) = letterhead(ctx, &buyer_cells)
        && !own_names.contains(&compact_name(&name_text(ctx, i)))
    {
        seller_party.name = Some(Extracted::new(name_text(ctx, i), pct(40)));
    }
    let seller_is_own = seller.is_some_and(|(bi, _)| is_own(&blocks[bi]));

    // VAT numbers: inside a block, the block's; otherwise by labels and the own party.
    const BUYER_WORDS: &[&str] =
        &["client", "customer", "klant", "kunde", "acheteur", "buyer", "your", "uw ", "votre", "ihre"];
    let mut seller_vats: Vec<(VatNumber, u8)> = Vec::new();
    let mut buyer_vats: Vec<(VatNumber, u8)> = Vec::new();
    for (i, v, labelled) in &vats {
        let context: String = ctx.lines[ctx.cells[*i].line]
            .iter()
            .map(|&j| ctx.cells[j].norm.as_str())
            // The line above as a heading ("Uw gegevens"), not a sentence of the letter ("Dit
            // bedrag wordt verrekend met uw volgende factuur.").
            .chain(
                above_cell(ctx, *i)
                    .map(|j| ctx.cells[j].norm.as_str())
                    .filter(|t| !t.trim_end().ends_with('.') || t.split_whitespace().count() <= 4),
            )
            .collect::<Vec<_>>()
            .join(" ");
        let is_own_vat = own.vat_numbers.contains(v);
        if seller_cells.contains(i) {
            seller_vats.push((v.clone(), 90));
        } else if buyer_cells.contains(i) {
            buyer_vats.push((v.clone(), 90));
        } else if let Some(kind) = heads::section_of(ctx, *i).filter(|_| !is_own_vat) {
            match kind {
                Kind::Seller => seller_vats.push((v.clone(), 88)),
                Kind::Buyer | Kind::To => buyer_vats.push((v.clone(), 88)),
                _ => {}
            }
        } else if is_own_vat {
            if seller_is_own { seller_vats.push((v.clone(), 85)) } else { buyer_vats.push((v.clone(), 85)) }
        } else if BUYER_WORDS.iter().any(|w| context.contains(w)) {
            buyer_vats.push((v.clone(), 75));
        } else {
            seller_vats.push((v.clone(), if *labelled { 85 } else { 70 }));
        }
    }
    if let Some((v, c)) = seller_vats.into_iter().max_by_key(|(_, c)| *c) {
        seller_party.vat_number = Some(Extracted::new(v, pct(c)));
    }
    if let Some((v, c)) = buyer_vats.into_iter().max_by_key(|(_, c)| *c) {
        buyer_party.vat_number = Some(Extracted::new(v, pct(c)));
    }
    if buyer_party.name.is_none()
        && let Some(name) = names::form_name(ctx)
    {
        buyer_party.name = Some(Extracted::new(name, pct(60)));
    }

    // The IBAN to pay to is the seller's: not in the buyer's block, not ours unless we sell.
    let seller_iban = ibans
        .iter()
        .filter(|(i, x, _)| !buyer_cells.contains(i) && !payer_ibans.contains(x))
        .filter(|(_, x, _)| seller_is_own || !own.ibans.contains(x) || own.ibans.is_empty())
        .max_by_key(|(i, _, labelled)| (*labelled, seller_cells.contains(i), std::cmp::Reverse(*i)));
    if let Some((cell, iban, labelled)) = seller_iban {
        seller_party.iban = Some(Extracted::new(iban.clone(), pct(if *labelled { 95 } else { 80 })));
        seller_party.bic = bic(ctx, Some((*cell, iban)));
    } else {
        seller_party.bic = bic(ctx, None);
    }

    failing::note(inv, &seller_party, &failed_vats, &failed_ibans, &buyer_cells);
    inv.seller = seller_party;
    inv.buyer = buyer_party;
}
