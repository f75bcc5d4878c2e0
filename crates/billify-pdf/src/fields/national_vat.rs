//! VAT numbers printed without their country prefix under a national label: an Italian
//! "P.IVA 01234567890", a Polish "NIP 521-301-72-28", a Spanish "CIF B12345678", a Portuguese
//! "NIF 501234567" or "Contribuinte", a Danish "CVR-nr. 12345678". The label names the country.

use billify_domain::VatNumber;

use super::labels::Kind;
use super::text::{skip_chars, trim_sep};
use super::{Cell, Ctx};

/// The VAT number in cell `i` when it is the value of a national VAT label (in the cell itself
/// or in the cell to its left) and carries no country prefix.
pub(super) fn national_vat(ctx: &Ctx, i: usize) -> Option<VatNumber> {
    let c = &ctx.cells[i];
    if let Some((Kind::VatId, n)) = c.label {
        return from_label(&label_of(c, n), trim_sep(skip_chars(&c.text, n)));
    }
    let left = ctx.lines[c.line].iter().rev().map(|&j| &ctx.cells[j]).find(|o| o.x1 <= c.x0 && o.page == c.page);
    if let Some(left) = left
        && let Some((Kind::VatId, n)) = left.label
        && trim_sep(skip_chars(&left.text, n)).is_empty()
    {
        return from_label(&label_of(left, n), trim_sep(&c.text));
    }
    inside(c)
}

/// A national label inside a cell of other things ("Rossi S.r.l. - P.IVA 01234567890").
fn inside(c: &Cell) -> Option<VatNumber> {
    for label in ITALY.iter().chain(SPAIN_OR_PORTUGAL).chain(PORTUGAL).chain(POLAND).chain(DENMARK) {
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

const ITALY: &[&str] = &["partita iva", "p.iva", "p. iva", "p iva", "piva", "part. iva"];
const SPAIN_OR_PORTUGAL: &[&str] = &["nif", "cif", "nif/cif", "cif/nif", "n.i.f", "c.i.f", "nif-iva", "nif iva"];
const PORTUGAL: &[&str] = &["nipc", "contribuinte", "n.º contribuinte", "nº contribuinte", "numero de contribuinte"];
const POLAND: &[&str] = &["nip", "nip ue", "nip/vat"];
const DENMARK: &[&str] = &["cvr", "cvr-nr", "cvr nr", "cvr-nummer", "se-nr"];

fn label_of(c: &Cell, chars: usize) -> String {
    c.norm.chars().take(chars).collect::<String>().trim().trim_end_matches(['.', ':']).to_owned()
}

/// The number after `label`, with the country its label names.
fn from_label(label: &str, value: &str) -> Option<VatNumber> {
    // The first token, with the separators national formats put between digits
    // ("521-301-72-28", "12 34 56 78").
    let chars: Vec<char> = value.chars().collect();
    let mut token = String::new();
    for (k, &ch) in chars.iter().enumerate() {
        if ch.is_ascii_alphanumeric() {
            token.push(ch.to_ascii_uppercase());
        } else if matches!(ch, '-' | '.' | ' ')
            && k > 0
            && chars[k - 1].is_ascii_digit()
            && chars.get(k + 1).is_some_and(char::is_ascii_digit)
        {
            continue;
        } else {
            break;
        }
    }
    let digits = token.bytes().all(|b| b.is_ascii_digit());
    let country = if ITALY.contains(&label) && digits && token.len() == 11 {
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

/// A Spanish NIF or CIF: a letter, seven digits and a digit or letter, or eight digits and a
/// letter.
fn spanish(token: &str) -> bool {
    let b = token.as_bytes();
    b.len() == 9
        && (b[0].is_ascii_uppercase() && b[1..8].iter().all(u8::is_ascii_digit) && b[8].is_ascii_alphanumeric()
            || b[..8].iter().all(u8::is_ascii_digit) && b[8].is_ascii_uppercase())
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
        // Wrong lengths and other labels give nothing.
        assert_eq!(vat("p.iva", "0123456789"), None);
        assert_eq!(vat("nip", "521-301-72"), None);
        assert_eq!(vat("cvr", "1234567"), None);
        assert_eq!(vat("vat number", "01234567890"), None);
    }
}
