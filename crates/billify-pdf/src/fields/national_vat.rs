//! VAT numbers printed without their country prefix under a national label: an Italian
//! "P.IVA 01234567890", a Polish "NIP 521-301-72-28", a Spanish "CIF B12345678", a Portuguese
//! "NIF 501234567" or "Contribuinte", a Danish "CVR-nr. 12345678". The label names the country.

use billify_domain::VatNumber;

use super::labels::Kind;
use super::text::{norm, skip_chars, trim_sep};
use super::{Cell, Ctx};

/// The VAT number in cell `i` when it is the value of a national VAT label (in the cell itself
/// or in the cell to its left) and carries no country prefix.
pub(super) fn national_vat(ctx: &Ctx, i: usize) -> Option<VatNumber> {
    let c = &ctx.cells[i];
    if let Some((Kind::VatId, n)) = c.label {
        let label = label_of(c, n);
        let value = trim_sep(skip_chars(&c.text, n));
        return from_label(&label, value).or_else(|| irish(&label, value)).or_else(|| british(ctx, &label, value));
    }
    let left = ctx.lines[c.line].iter().rev().map(|&j| &ctx.cells[j]).find(|o| o.x1 <= c.x0 && o.page == c.page);
    if let Some(left) = left
        && let Some((Kind::VatId, n)) = left.label
        && trim_sep(skip_chars(&left.text, n)).is_empty()
    {
        let label = label_of(left, n);
        return from_label(&label, trim_sep(&c.text)).or_else(|| british(ctx, &label, trim_sep(&c.text)));
    }
    inside(c).or_else(|| british_inside(ctx, c))
}

/// An English VAT label inside a cell of other things ("United Kingdom (and Isle of Man) VAT
/// Number: 857765174"), a British number after it.
fn british_inside(ctx: &Ctx, c: &Cell) -> Option<VatNumber> {
    let at = c.norm.find(" vat number").or_else(|| c.norm.find(" vat reg"))? + 1;
    let chars = c.norm[..at].chars().count();
    let rest = skip_chars(&c.text, chars);
    let value = rest.split_once(':').map(|(_, v)| v)?;
    british(ctx, "vat", trim_sep(value))
}

/// A national label inside a cell of other things ("Rossi S.r.l. - P.IVA 01234567890").
fn inside(c: &Cell) -> Option<VatNumber> {
    for label in ITALY.iter().chain(SPAIN_OR_PORTUGAL).chain(PORTUGAL).chain(POLAND).chain(DENMARK).chain(CROATIA) {
        for (at, _) in c.norm.match_indices(label) {
            let before = c.norm[..at].chars().next_back();
            let after = c.norm[at + label.len()..].chars().next();
            if before.is_none_or(|ch| !ch.is_alphanumeric()) && after.is_some_and(|ch| matches!(ch, ':' | '.' | ' ')) {
                let chars = c.norm[..at + label.len()].chars().count();
                if let Some(v) = from_label(label, trim_sep(skip_chars(&c.text, chars))) {
                    return Some(v);
                }
            }
        }
    }
    None
}

/// VAT labels as they end just before a number in running text ("IČ: 54265797 DIČ: CZ…",
/// "Org.nr: 552565-7143 Momsreg.nr: SE…"), lower case, folded, without their closing dot or
/// colon.
const LABEL_ENDS: &[&str] = &[
    "vat",
    "vat no",
    "vat nr",
    "vat number",
    "vat id",
    "vat reg",
    "vat reg. no",
    "vat reg no",
    "vat registration no",
    "vat registration number",
    "tva",
    "n° tva",
    "no tva",
    "numero de tva",
    "matricule tva",
    "iva",
    "p.iva",
    "partita iva",
    "nif",
    "cif",
    "nip",
    "cvr",
    "cvr-nr",
    "momsreg.nr",
    "momsreg nr",
    "momsnr",
    "moms nr",
    "momsregistreringsnummer",
    "dic",
    "ic dph",
    "uid",
    "uid-nr",
    "mwst-nr",
    "mwst nr",
    "ust-idnr",
    "ust-id",
    "btw",
    "btw-nr",
    "btw nr",
    "btw-nummer",
    "alv-tunniste",
    "alv-rek",
    "alv-numero",
    "kozossegi adoszam",
    "eu adoszam",
    "adoszam",
    "cod fiscal",
    "cui",
    "id za ddv",
    "ddv id",
    "pdv id",
    "oib",
    "pvm moketojo kodas",
    "pvm kodas",
    "pvn reg. nr",
    "pvn maksataja nr",
    "pvn nr",
    "kmkr",
    "kmkr nr",
];

/// Whether a VAT number is labelled by the words just before it in its cell, or by the Swiss
/// suffix after it ("CHE-123.456.789 MWST").
pub(super) fn label_around(before: &str, after: &str) -> bool {
    let b = norm(before);
    let b = b.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '.' | '#'));
    let ends = LABEL_ENDS
        .iter()
        .any(|l| b.strip_suffix(l).is_some_and(|rest| rest.chars().next_back().is_none_or(|c| !c.is_alphanumeric())));
    let a = after.trim_start();
    ends || ["MWST", "TVA", "IVA"]
        .iter()
        .any(|w| a.strip_prefix(w).is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_alphanumeric())))
}

const ITALY: &[&str] = &["partita iva", "p.iva", "p. iva", "p iva", "piva", "part. iva"];
const SPAIN_OR_PORTUGAL: &[&str] = &["nif", "cif", "nif/cif", "cif/nif", "n.i.f", "c.i.f", "nif-iva", "nif iva"];
const PORTUGAL: &[&str] = &["nipc", "contribuinte", "n.º contribuinte", "nº contribuinte", "numero de contribuinte"];
const POLAND: &[&str] = &["nip", "nip ue", "nip/vat"];
const DENMARK: &[&str] = &["cvr", "cvr-nr", "cvr nr", "cvr-nummer", "se-nr"];
const CROATIA: &[&str] = &["oib"];
const HUNGARY: &[&str] = &["adoszam", "kozossegi adoszam", "eu adoszam"];
const ROMANIA: &[&str] = &["cui", "cod fiscal", "c.u.i"];

fn label_of(c: &Cell, chars: usize) -> String {
    c.norm.chars().take(chars).collect::<String>().trim().trim_end_matches(['.', ':']).to_owned()
}

/// The number after `label`, with the country its label names.
fn from_label(label: &str, value: &str) -> Option<VatNumber> {
    // "Contribuinte n.º 504 666 673": the number word after the label.
    let value = ["n.º", "nº", "n°", "no.", "nr.", "n."]
        .iter()
        .find_map(|w| value.strip_prefix(w))
        .map_or(value, |rest| rest.trim_start_matches([':', ' ']));
    // The first token, with the separators national formats put between digits
    // ("521-301-72-28", "12 34 56 78").
    let chars: Vec<char> = value.chars().collect();
    let mut token = String::new();
    for (k, &ch) in chars.iter().enumerate() {
        if ch.is_ascii_alphanumeric() {
            token.push(ch.to_ascii_uppercase());
        } else if matches!(ch, '-' | '.' | ' ')
            && k > 0
            && chars[k - 1].is_ascii_alphanumeric()
            && chars.get(k + 1).is_some_and(char::is_ascii_digit)
        {
            continue;
        } else {
            break;
        }
    }
    let digits = token.bytes().all(|b| b.is_ascii_digit());
    let country = if CROATIA.contains(&label) && digits && token.len() == 11 {
        "HR"
    } else if HUNGARY.contains(&label) && digits && (token.len() == 8 || token.len() == 11) {
        // "12345678-2-41": the tax number's first eight digits are the VAT number's.
        return VatNumber::parse(&format!("HU{}", &token[..8])).ok();
    } else if ROMANIA.contains(&label) && digits && (2..=10).contains(&token.len()) {
        "RO"
    } else if ITALY.contains(&label) && digits && token.len() == 11 {
        "IT"
    } else if POLAND.contains(&label) && digits && token.len() == 10 {
        "PL"
    } else if DENMARK.contains(&label) && digits && token.len() == 8 {
        "DK"
    } else if (PORTUGAL.contains(&label) || SPAIN_OR_PORTUGAL.contains(&label)) && digits && token.len() == 9 {
        "PT"
    } else if SPAIN_OR_PORTUGAL.contains(&label) && spanish(&token) {
        "ES"
    } else {
        return None;
    };
    VatNumber::parse(&format!("{country}{token}")).ok()
}

/// An Irish VAT number printed without its prefix under an English VAT label ("VAT Reg. No.:
/// 2332818A"): seven digits and one or two letters, or a digit, a letter or sign, five digits
/// and a letter. No other country's numbers have that shape.
fn irish(label: &str, value: &str) -> Option<VatNumber> {
    if !label.starts_with("vat") {
        return None;
    }
    let token = value
        .split_whitespace()
        .take(3)
        .map(|t| t.trim_matches(|c: char| matches!(c, ':' | '.' | ',')))
        .find(|t| t.chars().any(|c| c.is_ascii_digit()))?;
    let b = token.as_bytes();
    let letter = |c: &u8| c.is_ascii_uppercase();
    let new_form = (8..=9).contains(&b.len()) && b[..7].iter().all(u8::is_ascii_digit) && b[7..].iter().all(letter);
    let old_form = b.len() == 8
        && b[0].is_ascii_digit()
        && (letter(&b[1]) || matches!(b[1], b'+' | b'*'))
        && b[2..7].iter().all(u8::is_ascii_digit)
        && letter(&b[7]);
    (new_form || old_form).then(|| VatNumber::parse(&format!("IE{token}")).ok()).flatten()
}

/// A British VAT number printed without its prefix under an English VAT label ("VAT Number:
/// 119010318", "VAT Reg No: 123 4567 89"), as UK invoices often print it: nine digits (or twelve,
/// with a branch) that pass the British check (weights 8 to 2 on the first seven digits, plus
/// the last two, a multiple of 97 with or without 55 added), on a page that names the United
/// Kingdom or pounds.
fn british(ctx: &Ctx, label: &str, value: &str) -> Option<VatNumber> {
    if !label.starts_with("vat") {
        return None;
    }
    let digits: String =
        value.split_whitespace().take_while(|t| t.chars().all(|c| c.is_ascii_digit())).take(3).collect();
    if !(digits.len() == 9 || digits.len() == 12) {
        return None;
    }
    let d: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = d[..7].iter().zip((2..=8).rev()).map(|(x, w)| x * w).sum::<u32>() + d[7] * 10 + d[8];
    let uk =
        ctx.cells.iter().any(|c| c.norm.contains("united kingdom") || c.text.contains('£') || c.text.contains("GBP"));
    (uk && (sum.is_multiple_of(97) || (sum + 55).is_multiple_of(97)))
        .then(|| VatNumber::parse(&format!("GB{digits}")).ok())
        .flatten()
}

/// A Spanish NIF or CIF: a letter, seven digits and a digit or letter, or eight digits and a
/// letter.
fn spanish(token: &str) -> bool {
    let b = token.as_bytes();
    b.len() == 9
        && (b[0].is_ascii_uppercase() && b[1..8].iter().all(u8::is_ascii_digit) && b[8].is_ascii_alphanumeric()
            || b[..8].iter().all(u8::is_ascii_digit) && b[8].is_ascii_uppercase())
}

/// Whether cell `i` is only a VAT-shaped token ("GB887357941", "ESA79935607": a prefix, maybe
/// one letter, digits) on its own, not the value of another label ("Numero de Orden
/// ES9812110233").
pub(super) fn alone_vat_token(ctx: &Ctx, i: usize) -> bool {
    let c = &ctx.cells[i];
    let t = c.text.trim();
    let value_of_other = ctx.lines[c.line]
        .iter()
        .any(|&j| ctx.cells[j].x1 <= c.x0 && ctx.cells[j].label.is_some_and(|(k, _)| k == Kind::Other));
    (10..=14).contains(&t.len())
        && t.chars().take(2).all(|ch| ch.is_ascii_uppercase())
        && t.chars().skip(2).enumerate().all(|(k, ch)| ch.is_ascii_digit() || k == 0 && ch.is_ascii_uppercase())
        && !value_of_other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_label_names_the_country() {
        let vat = |label: &str, value: &str| from_label(label, value).map(|v| v.as_str().to_owned());
        assert_eq!(vat("p.iva", "01234567890").as_deref(), Some("IT01234567890"));
        assert_eq!(vat("partita iva", "01234567890 - C.F. 01234567890").as_deref(), Some("IT01234567890"));
        assert_eq!(vat("nip", "521-301-72-28").as_deref(), Some("PL5213017228"));
        assert_eq!(vat("cif", "B12345678").as_deref(), Some("ESB12345678"));
        assert_eq!(vat("nif", "12345678Z").as_deref(), Some("ES12345678Z"));
        assert_eq!(vat("nif", "501234567").as_deref(), Some("PT501234567"));
        assert_eq!(vat("contribuinte", "501 234 567").as_deref(), Some("PT501234567"));
        assert_eq!(vat("cvr-nr", "12 34 56 78").as_deref(), Some("DK12345678"));
        assert_eq!(vat("n.i.f", "B-94023702").as_deref(), Some("ESB94023702"));
        assert_eq!(vat("contribuinte", "n.º 504 666 673").as_deref(), Some("PT504666673"));
        assert_eq!(vat("oib", "57364128840").as_deref(), Some("HR57364128840"));
        assert_eq!(vat("adoszam", "12345678-2-41").as_deref(), Some("HU12345678"));
        assert_eq!(vat("cui", "47650301").as_deref(), Some("RO47650301"));
        // Wrong lengths and other labels give nothing.
        assert_eq!(vat("p.iva", "0123456789"), None);
        assert_eq!(vat("nip", "521-301-72"), None);
        assert_eq!(vat("cvr", "1234567"), None);
        assert_eq!(vat("vat number", "01234567890"), None);
        assert_eq!(irish("vat reg", "No.: 2332818A").map(|v| v.as_str().to_owned()).as_deref(), Some("IE2332818A"));
        assert_eq!(irish("vat reg", "No.: 1867847LH").map(|v| v.as_str().to_owned()).as_deref(), Some("IE1867847LH"));
        assert_eq!(irish("vat reg", "No.: 123 4567 89"), None);
        assert_eq!(irish("btw", "2332818A"), None);
    }

    #[test]
    fn a_label_just_before_or_a_swiss_suffix_after_labels_a_number() {
        assert!(label_around("IČ: 54265797 DIČ: ", ""));
        assert!(label_around("Org.nr: 552565-7143 Momsreg.nr: ", ""));
        assert!(label_around("", " MWST"));
        assert!(label_around("Matricule TVA: ", ""));
        assert!(!label_around("Kundnummer: ", ""));
        assert!(!label_around("Privat: ", ""));
    }
}
