//! What the UBL and CII readers share: required and optional fields with errors that name the
//! element, identifier validation, payment references and payment terms.

use bigdecimal::BigDecimal;
use billify_domain::{Bic, Iban, PaymentReference, VatNumber};
use billify_ports::intake::{Confidence, DocumentKind, Extracted, ExtractionError, RuleViolation, VatBreakdown};
use roxmltree::Node;
use time::{Date, Duration};

use crate::xml;

/// The confidence of a due date computed from payment terms rather than read (BT-9 absent).
pub(crate) const COMPUTED_DUE_DATE: u8 = 80;

/// Reads fields of one document, naming it (`Invoice`, `CreditNote`, `rsm:CrossIndustryInvoice`)
/// in error messages, and collecting the identifiers that had to be left out.
pub(crate) struct Reader {
    /// The document element's conventional name, for messages.
    pub(crate) doc: &'static str,
    /// Values that were present but invalid and left out.
    pub(crate) notes: Vec<RuleViolation>,
}

impl Reader {
    pub(crate) fn new(doc: &'static str) -> Self {
        Reader { doc, notes: Vec::new() }
    }

    fn missing(&self, path: &str, bt: &str) -> ExtractionError {
        ExtractionError::Malformed(format!("missing {path} ({bt}) in {}", self.doc))
    }

    fn invalid(&self, path: &str, bt: &str, what: &str, value: &str) -> ExtractionError {
        let shown: String = value.chars().take(60).collect();
        ExtractionError::Malformed(format!("{path} ({bt}) in {} is not {what}: {shown:?}", self.doc))
    }

    /// Text that must be present; `bt` reads like `"BT-1, invoice number"`.
    pub(crate) fn required_text(&self, node: Node<'_, '_>, path: &str, bt: &str) -> Result<String, ExtractionError> {
        xml::text(node, path).ok_or_else(|| self.missing(path, bt))
    }

    /// An amount, if present; an unreadable one is an error naming the element.
    pub(crate) fn amount(
        &self,
        node: Node<'_, '_>,
        path: &str,
        bt: &str,
    ) -> Result<Option<BigDecimal>, ExtractionError> {
        match xml::text(node, path) {
            None => Ok(None),
            Some(t) => xml::parse_decimal(&t).map(Some).ok_or_else(|| self.invalid(path, bt, "a decimal number", &t)),
        }
    }

    /// An amount that must be present.
    pub(crate) fn required_amount(
        &self,
        node: Node<'_, '_>,
        path: &str,
        bt: &str,
    ) -> Result<BigDecimal, ExtractionError> {
        self.amount(node, path, bt)?.ok_or_else(|| self.missing(path, bt))
    }

    /// The amount of an element already found (e.g. one of several `TaxAmount`s).
    pub(crate) fn amount_of(&self, node: Node<'_, '_>, path: &str, bt: &str) -> Result<BigDecimal, ExtractionError> {
        let t = xml::text_of(node).ok_or_else(|| self.missing(path, bt))?;
        xml::parse_decimal(&t).ok_or_else(|| self.invalid(path, bt, "a decimal number", &t))
    }

    /// A date, if present, parsed by `parse`; an unreadable one is an error naming the element.
    pub(crate) fn date(
        &self,
        node: Node<'_, '_>,
        path: &str,
        bt: &str,
        parse: fn(&str) -> Option<Date>,
    ) -> Result<Option<Date>, ExtractionError> {
        match xml::text(node, path) {
            None => Ok(None),
            Some(t) => parse(&t).map(Some).ok_or_else(|| self.invalid(path, bt, "a valid date", &t)),
        }
    }

    /// A VAT number, left out with a note when its checksum or shape is wrong.
    pub(crate) fn vat_number(&mut self, text: Option<String>, bt: &str, whose: &str) -> Option<Extracted<VatNumber>> {
        let t = text?;
        match VatNumber::parse(&t) {
            Ok(v) => Some(Extracted::certain(v)),
            Err(e) => {
                self.note(bt, format!("the {whose} VAT identifier {t:?} is not valid ({e}); it was left out"));
                None
            }
        }
    }

    /// An IBAN, left out with a note when it does not validate.
    pub(crate) fn iban(&mut self, text: Option<String>, bt: &str) -> Option<Extracted<Iban>> {
        let t = text?;
        match Iban::parse(&t) {
            Ok(v) => Some(Extracted::certain(v)),
            Err(e) => {
                self.note(bt, format!("the payment account {t:?} is not a valid IBAN ({e}); it was left out"));
                None
            }
        }
    }

    /// A BIC, left out with a note when it is malformed.
    pub(crate) fn bic(&mut self, text: Option<String>, bt: &str) -> Option<Extracted<Bic>> {
        let t = text?;
        match Bic::parse(&t) {
            Ok(v) => Some(Extracted::certain(v)),
            Err(e) => {
                self.note(
                    bt,
                    format!("the payment service provider id {t:?} is not a valid BIC ({e}); it was left out"),
                );
                None
            }
        }
    }

    fn note(&mut self, rule: &str, message: String) {
        self.notes.push(RuleViolation { rule: rule.to_owned(), message });
    }
}

/// Whether a UNTDID 1001 document type code denotes a credit note.
pub(crate) fn kind_of_type_code(code: &str) -> DocumentKind {
    match code.trim() {
        "81" | "83" | "261" | "262" | "296" | "308" | "381" | "396" | "420" | "458" | "532" => DocumentKind::CreditNote,
        _ => DocumentKind::Invoice,
    }
}

/// The remittance information (BT-83): a Belgian OGM or RF creditor reference when one
/// validates, else the text as free text (cut to the SEPA limit of 140 characters).
pub(crate) fn payment_reference(text: &str) -> Option<PaymentReference> {
    let cleaned: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let t = cleaned.trim();
    if t.is_empty() {
        return None;
    }
    Some(PaymentReference::parse(t).unwrap_or_else(|_| PaymentReference::Free(t.chars().take(140).collect())))
}

/// A due date computed from payment terms such as "30 days", "Net 30", "30 dagen", "30 jours",
/// "30 Tage" and the issue date; the largest number of days wins ("2% 10 days, net 30" is 30).
pub(crate) fn due_date_from_terms(terms: &str, issue: Date) -> Option<Extracted<Date>> {
    const DAY_WORDS: &[&str] =
        &["days", "day", "dagen", "dag", "jours", "jour", "j", "tage", "tagen", "tag", "giorni", "días", "dias", "d"];
    const NET_WORDS: &[&str] = &["net", "netto", "net:", "netto:"];
    let lower = terms.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '.').collect();
    let mut best: Option<i64> = None;
    for (i, w) in words.iter().enumerate() {
        // "30 days", "30days", "30j"
        let digits: String = w.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() && digits.len() <= 3 {
            let suffix = &w[digits.len()..];
            let next = words.get(i + 1).copied().unwrap_or("");
            let days_follow = DAY_WORDS.contains(&suffix) || (suffix.is_empty() && DAY_WORDS.contains(&next));
            let net_before = i > 0 && NET_WORDS.contains(&words[i - 1]) && suffix.is_empty();
            if days_follow || net_before {
                let n: i64 = digits.parse().ok()?;
                best = Some(best.map_or(n, |b| b.max(n)));
            }
        }
    }
    let days = best?;
    let date = issue.checked_add(Duration::days(days))?;
    Some(Extracted::new(date, Confidence::percent(COMPUTED_DUE_DATE)))
}

/// The single VAT rate of the breakdown, when all categories share one rate.
pub(crate) fn single_vat_rate(breakdown: &[VatBreakdown]) -> Option<BigDecimal> {
    let first = breakdown.first()?.rate.clone()?;
    breakdown.iter().all(|b| b.rate.as_ref() == Some(&first)).then_some(first)
}

/// Address parts joined with ", ", empty parts left out.
pub(crate) fn join_address(parts: &[Option<String>]) -> Option<String> {
    let joined = parts.iter().flatten().map(String::as_str).collect::<Vec<_>>().join(", ");
    (!joined.is_empty()).then_some(joined)
}

/// "postcode city", either part optional.
pub(crate) fn postcode_city(postcode: Option<String>, city: Option<String>) -> Option<String> {
    match (postcode, city) {
        (Some(p), Some(c)) => Some(format!("{p} {c}")),
        (p, c) => p.or(c),
    }
}

/// The price of one unit: the net price divided by its base quantity when that is not 1.
pub(crate) fn per_unit(price: BigDecimal, base: Option<BigDecimal>) -> BigDecimal {
    use bigdecimal::{One, Zero};
    match base {
        Some(b) if !b.is_zero() && !b.is_one() => (price / b).with_prec(20).normalized(),
        _ => price,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use time::Month;

    fn d(y: i32, m: Month, day: u8) -> Date {
        Date::from_calendar_date(y, m, day).unwrap()
    }

    #[test]
    fn payment_terms_give_a_due_date() {
        let issue = d(2026, Month::March, 1);
        for (terms, expected) in [
            ("30 days", Some(d(2026, Month::March, 31))),
            ("Net 30", Some(d(2026, Month::March, 31))),
            ("Betaling binnen 30 dagen na factuurdatum", Some(d(2026, Month::March, 31))),
            ("Paiement à 45 jours", Some(d(2026, Month::April, 15))),
            ("Zahlbar innerhalb 14 Tagen", Some(d(2026, Month::March, 15))),
            ("2% Skonto bei Zahlung innerhalb 10 Tagen, netto 30 Tage", Some(d(2026, Month::March, 31))),
            ("Payable on receipt", None),
            ("Order 12345 dated 2026", None),
        ] {
            assert_eq!(due_date_from_terms(terms, issue).map(|e| e.value), expected, "{terms}");
        }
        assert_eq!(due_date_from_terms("30 days", issue).unwrap().confidence, Confidence::percent(80));
    }

    #[test]
    fn references_fall_back_to_free_text() {
        assert!(matches!(payment_reference("+++123/4567/89002+++"), Some(PaymentReference::Structured(_))));
        assert_eq!(
            payment_reference("+++123/4567/89003+++"),
            Some(PaymentReference::Free("+++123/4567/89003+++".into()))
        );
        assert_eq!(payment_reference("  "), None);
        match payment_reference(&"x".repeat(200)) {
            Some(PaymentReference::Free(s)) => assert_eq!(s.len(), 140),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn credit_note_type_codes() {
        assert_eq!(kind_of_type_code("381"), DocumentKind::CreditNote);
        assert_eq!(kind_of_type_code("261"), DocumentKind::CreditNote);
        for code in ["380", "384", "389", "751", "386", "326", ""] {
            assert_eq!(kind_of_type_code(code), DocumentKind::Invoice, "{code}");
        }
    }
}
