//! Identifiers printed under their label that fail their check digits (a typo on the invoice,
//! or a test file's placeholder like `DE123456789`): left out of the draft, as the e-invoice
//! reader leaves them out, and named in a note so the reviewer knows why the field is empty.

use billify_domain::{Iban, VatNumber};
use billify_ports::intake::{ExtractedInvoice, ExtractedParty, RuleViolation};

use super::{IBAN_RE, VAT_RE};

/// The first VAT number in `text` shaped like a Belgian, Dutch, German or French one (the
/// countries whose check digits are verified) that fails its check, compacted.
pub(super) fn failing_vat(text: &str) -> Option<String> {
    let upper = text.to_ascii_uppercase();
    VAT_RE.as_ref()?.captures_iter(&upper).find_map(|m| {
        let body: String = m[2].chars().filter(char::is_ascii_alphanumeric).collect();
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let shaped = match &m[1] {
            "DE" => body.len() == 9 && digits(&body),
            "FR" => body.len() == 11 && digits(&body[2..]),
            "NL" => body.len() == 12 && digits(&body[..9]) && &body[9..10] == "B" && digits(&body[10..]),
            "BE" => (9..=10).contains(&body.len()) && digits(&body),
            _ => false,
        };
        let number = format!("{}{body}", &m[1]);
        (shaped && VatNumber::parse(&number).is_err()).then_some(number)
    })
}

/// The first IBAN-shaped run in `text` (a country, check digits and 11 to 30 more characters)
/// of which no prefix validates, compacted.
pub(super) fn failing_iban(text: &str) -> Option<String> {
    let upper = text.to_ascii_uppercase();
    IBAN_RE.as_ref()?.find_iter(&upper).find_map(|m| {
        let compact: String = m.as_str().chars().filter(|c| !c.is_whitespace()).collect();
        let valid = (15..=compact.len().min(34)).any(|len| Iban::parse(&compact[..len]).is_ok());
        (compact.len() >= 15 && !valid).then_some(compact)
    })
}

/// Notes the seller's VAT number or IBAN that was printed under its label (cells `vats`,
/// `ibans`, outside the buyer's `buyer_cells`) but left out for failing its check digits.
pub(super) fn note(
    inv: &mut ExtractedInvoice,
    seller: &ExtractedParty,
    vats: &[(usize, String)],
    ibans: &[(usize, String)],
    buyer_cells: &[usize],
) {
    let failed = |list: &[(usize, String)]| list.iter().find(|(i, _)| !buyer_cells.contains(i)).map(|(_, v)| v.clone());
    for (missing, list, what) in
        [(seller.vat_number.is_none(), vats, "VAT number"), (seller.iban.is_none(), ibans, "IBAN")]
    {
        if let Some(v) = failed(list).filter(|_| missing) {
            let message = format!("the printed {what} {v} fails its check digits; it was left out");
            inv.rule_violations.push(RuleViolation { rule: "pdf-check-digits".into(), message });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_fail_and_real_numbers_pass() {
        assert_eq!(failing_vat("USt-IdNr.: DE123456789").as_deref(), Some("DE123456789"));
        assert_eq!(failing_vat("USt-IdNr.: DE 232 446 240"), None);
        assert_eq!(failing_vat("VAT GB123456789"), None);
        assert_eq!(failing_iban("IBAN DE75123456780000001234").as_deref(), Some("DE75123456780000001234"));
        assert_eq!(failing_iban("IBAN DE30507500940000048567"), None);
    }
}
