//! Business Identifier Codes (ISO 9362, "SWIFT codes").

use std::fmt;
use std::str::FromStr;

use crate::ParseError;

/// A syntactically valid BIC of 8 or 11 characters, upper case.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Bic(String);

impl Bic {
    /// Parses `GEBABEBB` or `GEBABEBBXXX`: 4 letters or digits for the institution, 2 letters for
    /// the country, 2 letters or digits for the location, and an optional 3-character branch.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        if compact.len() != 8 && compact.len() != 11 {
            return Err(ParseError::new("BIC", "a BIC has 8 or 11 characters"));
        }
        let b = compact.as_bytes();
        let ok = b[..4].iter().all(u8::is_ascii_alphanumeric)
            && b[4..6].iter().all(u8::is_ascii_alphabetic)
            && b[6..].iter().all(u8::is_ascii_alphanumeric);
        if !ok {
            return Err(ParseError::new(
                "BIC",
                "a BIC is 4 bank characters, a 2-letter country code, 2 location characters and an optional 3-character branch",
            ));
        }
        Ok(Bic(compact))
    }

    /// The BIC text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The two-letter country code.
    pub fn country(&self) -> &str {
        &self.0[4..6]
    }
}

impl fmt::Display for Bic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Bic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bic({})", self.0)
    }
}

impl FromStr for Bic {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_8_and_11_character_codes() {
        assert_eq!(Bic::parse("gebabebb").unwrap().as_str(), "GEBABEBB");
        assert_eq!(Bic::parse("ABNANL2AXXX").unwrap().country(), "NL");
    }

    #[test]
    fn rejects_malformed_codes() {
        for bad in ["GEBABE", "GEBA1EBB", "GEBABEBBX", "GEBA-EBB", ""] {
            assert!(Bic::parse(bad).is_err(), "{bad}");
        }
    }
}
