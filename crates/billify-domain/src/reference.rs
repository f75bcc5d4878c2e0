//! Payment references: the Belgian structured communication (OGM/VCS), the ISO 11649 creditor
//! reference (RF) and free text.

use std::fmt;
use std::str::FromStr;

use crate::ParseError;

/// A Belgian structured communication (`+++DDD/DDDD/DDDCC+++`, "OGM" or "VCS").
///
/// Its twelve digits end in a check number CC = (first ten digits) mod 97, where a remainder of
/// 0 becomes 97. Stored as the twelve bare digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StructuredReference(String);

impl StructuredReference {
    /// Parses `+++123/4567/89002+++`, `***123/4567/89002***` or the bare twelve digits.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let t = text.trim();
        let inner = t
            .strip_prefix("+++")
            .and_then(|r| r.strip_suffix("+++"))
            .or_else(|| t.strip_prefix("***").and_then(|r| r.strip_suffix("***")))
            .unwrap_or(t);
        let digits: String = inner.chars().filter(|c| !matches!(c, '/' | ' ' | '.')).collect();
        if digits.len() != 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ParseError::new(
                "structured reference",
                "a structured reference has 12 digits, as +++DDD/DDDD/DDDCC+++",
            ));
        }
        let check: u32 = digits[10..].parse().unwrap_or(u32::MAX);
        if Self::check_digits(&digits[..10]) != check {
            return Err(ParseError::new(
                "structured reference",
                "the structured reference check digits do not match (mod 97)",
            ));
        }
        Ok(StructuredReference(digits))
    }

    /// Builds the reference for a number of at most ten digits, computing the check digits.
    pub fn from_number(number: u64) -> Result<Self, ParseError> {
        if number > 9_999_999_999 {
            return Err(ParseError::new(
                "structured reference",
                "the payload of a structured reference has at most 10 digits",
            ));
        }
        let payload = format!("{number:010}");
        let check = Self::check_digits(&payload);
        Ok(StructuredReference(format!("{payload}{check:02}")))
    }

    fn check_digits(payload: &str) -> u32 {
        match crate::mod97(payload) {
            0 => 97,
            r => r,
        }
    }

    /// The twelve bare digits, e.g. `123456789002`.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// The printed form, e.g. `+++123/4567/89002+++`.
    pub fn formatted(&self) -> String {
        format!("+++{}/{}/{}+++", &self.0[..3], &self.0[3..7], &self.0[7..])
    }
}

impl fmt::Display for StructuredReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.formatted())
    }
}

impl fmt::Debug for StructuredReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StructuredReference({})", self.formatted())
    }
}

impl FromStr for StructuredReference {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// The reference a payer must quote, as printed on an invoice.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum PaymentReference {
    /// A Belgian structured communication (OGM/VCS).
    Structured(StructuredReference),
    /// An ISO 11649 creditor reference (`RF18 5390 0754 7034`), stored compact and upper case.
    Creditor(String),
    /// Free text (at most 140 characters, the SEPA remittance limit).
    Free(String),
}

impl PaymentReference {
    /// Parses a reference: text shaped like an OGM or an RF reference must carry valid check
    /// digits (a mistyped structured reference is an error, not free text); anything else is
    /// free text of 1 to 140 characters.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(ParseError::new("payment reference", "the payment reference is empty"));
        }
        if looks_like_ogm(t) {
            return StructuredReference::parse(t).map(PaymentReference::Structured);
        }
        let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        if compact.starts_with("RF")
            && compact.len() >= 5
            && compact.len() <= 25
            && compact[2..4].chars().all(|c| c.is_ascii_digit())
            && compact.chars().all(|c| c.is_ascii_alphanumeric())
        {
            let rearranged = format!("{}{}", &compact[4..], &compact[..4]);
            let digits: String =
                rearranged.chars().map(|c| c.to_digit(36).map(|v| v.to_string()).unwrap_or_default()).collect();
            if crate::mod97(&digits) != 1 {
                return Err(ParseError::new(
                    "payment reference",
                    "the RF creditor reference check digits do not match (mod 97)",
                ));
            }
            return Ok(PaymentReference::Creditor(compact));
        }
        if t.chars().count() > 140 {
            return Err(ParseError::new("payment reference", "a payment reference has at most 140 characters"));
        }
        if t.chars().any(char::is_control) {
            return Err(ParseError::new("payment reference", "a payment reference cannot contain control characters"));
        }
        Ok(PaymentReference::Free(t.to_owned()))
    }

    /// The reference as printed (`+++123/4567/89002+++` for an OGM).
    pub fn to_display_string(&self) -> String {
        match self {
            PaymentReference::Structured(s) => s.formatted(),
            PaymentReference::Creditor(s) | PaymentReference::Free(s) => s.clone(),
        }
    }

    /// The structured reference, if this is one.
    pub fn structured(&self) -> Option<&StructuredReference> {
        match self {
            PaymentReference::Structured(s) => Some(s),
            _ => None,
        }
    }
}

impl fmt::Display for PaymentReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_display_string())
    }
}

/// Whether text is meant as an OGM: wrapped in `+++`/`***`, or twelve digits with the OGM's
/// slashes, or exactly twelve bare digits.
fn looks_like_ogm(t: &str) -> bool {
    if (t.starts_with("+++") && t.ends_with("+++")) || (t.starts_with("***") && t.ends_with("***")) {
        return true;
    }
    let digits = t.chars().filter(char::is_ascii_digit).count();
    digits == 12 && t.chars().all(|c| c.is_ascii_digit() || c == '/') && (t.len() == 12 || t.matches('/').count() == 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example_is_valid() {
        let r = StructuredReference::parse("+++123/4567/89002+++").unwrap();
        assert_eq!(r.digits(), "123456789002");
        assert_eq!(r.formatted(), "+++123/4567/89002+++");
        assert_eq!(StructuredReference::parse("***123/4567/89002***").unwrap(), r);
        assert_eq!(StructuredReference::parse("123456789002").unwrap(), r);
    }

    #[test]
    fn remainder_zero_becomes_97() {
        let r = StructuredReference::from_number(0).unwrap();
        assert_eq!(r.formatted(), "+++000/0000/00097+++");
        assert!(StructuredReference::parse("+++000/0000/00000+++").is_err());
        assert_eq!(StructuredReference::from_number(1_234_567_890).unwrap().digits(), "123456789002");
    }

    #[test]
    fn wrong_check_digits_are_rejected() {
        assert!(StructuredReference::parse("+++123/4567/89003+++").is_err());
        assert!(StructuredReference::parse("+++123/4567/8900+++").is_err());
    }

    #[test]
    fn payment_references_classify_and_validate() {
        assert!(matches!(PaymentReference::parse("+++123/4567/89002+++"), Ok(PaymentReference::Structured(_))));
        assert!(PaymentReference::parse("+++123/4567/89003+++").is_err());
        assert!(
            matches!(PaymentReference::parse("RF18 5390 0754 7034"), Ok(PaymentReference::Creditor(ref s)) if s == "RF18539007547034")
        );
        assert!(PaymentReference::parse("RF19 5390 0754 7034").is_err());
        assert_eq!(
            PaymentReference::parse("INV-SO-2023-2812").unwrap(),
            PaymentReference::Free("INV-SO-2023-2812".into())
        );
        assert!(PaymentReference::parse("   ").is_err());
        assert!(PaymentReference::parse(&"x".repeat(141)).is_err());
    }
}
