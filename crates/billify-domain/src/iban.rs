//! International Bank Account Numbers (ISO 13616), checked by length per country and mod 97.

use std::fmt;
use std::str::FromStr;

use crate::ParseError;

/// IBAN lengths per country, from the SWIFT IBAN registry.
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BI", 27),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DJ", 27),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FK", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("LY", 25),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MN", 20),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NI", 28),
    ("NL", 18),
    ("NO", 15),
    ("OM", 23),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("RU", 33),
    ("SA", 24),
    ("SC", 31),
    ("SD", 18),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("SO", 23),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
    ("YE", 30),
];

/// A valid IBAN, stored in electronic form (upper case, no spaces).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Iban(String);

impl Iban {
    /// Parses an IBAN in electronic (`BE71001860922869`) or print form (`BE71 0018 6092 2869`).
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let compact: String =
            text.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_ascii_uppercase();
        if compact.len() < 5 || !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(ParseError::new(
                "IBAN",
                "an IBAN holds a country code, two check digits and the account number",
            ));
        }
        let country = &compact[..2];
        let expected = IBAN_LENGTHS
            .iter()
            .find(|(c, _)| *c == country)
            .map(|(_, len)| *len)
            .ok_or_else(|| ParseError::new("IBAN", format!("{country:?} is not a country that uses IBANs")))?;
        if compact.len() != expected {
            return Err(ParseError::new(
                "IBAN",
                format!("a {country} IBAN has {expected} characters, not {}", compact.len()),
            ));
        }
        if !compact[2..4].chars().all(|c| c.is_ascii_digit()) {
            return Err(ParseError::new("IBAN", "the check digits must be digits"));
        }
        // The account part, then the country and check digits, each letter as two digits
        // (A = 10 ... Z = 35), taken mod 97 as it goes: no string of digits is built (stored
        // IBANs are parsed again for every row read).
        let remainder = compact[4..].bytes().chain(compact[..4].bytes()).fold(0u32, |acc, b| {
            let value = u32::from(match b {
                b'0'..=b'9' => b - b'0',
                _ => b.to_ascii_uppercase() - b'A' + 10,
            });
            if value < 10 { (acc * 10 + value) % 97 } else { (acc * 100 + value) % 97 }
        });
        if remainder != 1 {
            return Err(ParseError::new("IBAN", "the IBAN check digits do not match (mod 97)"));
        }
        Ok(Iban(compact))
    }

    /// The electronic form, e.g. `BE71001860922869`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The two-letter country code.
    pub fn country(&self) -> &str {
        &self.0[..2]
    }

    /// The print form in groups of four, e.g. `BE71 0018 6092 2869`.
    pub fn to_print_form(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
    }
}

impl fmt::Display for Iban {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Iban {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Iban({})", self.0)
    }
}

impl FromStr for Iban {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_ibans_in_both_forms() {
        let iban = Iban::parse("BE71 0018 6092 2869").unwrap();
        assert_eq!(iban.as_str(), "BE71001860922869");
        assert_eq!(iban.to_print_form(), "BE71 0018 6092 2869");
        assert_eq!(iban.country(), "BE");
        for ok in ["NL91ABNA0417164300", "DE89370400440532013000", "be68539007547034", "GB29NWBK60161331926819"] {
            assert!(Iban::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejects_bad_checksum_length_and_country() {
        assert!(Iban::parse("BE71001860922868").is_err());
        // Letters in the account part count as two digits each (A = 10): one changed letter
        // or digit breaks the check.
        assert!(Iban::parse("NL91ABNB0417164300").is_err());
        assert!(Iban::parse("GB29NWBK60161331926818").is_err());
        assert!(Iban::parse("BE7100186092286").is_err());
        assert!(Iban::parse("ZZ71001860922869").is_err());
        assert!(Iban::parse("BE").is_err());
        assert!(Iban::parse("BE71 0018 6092 286!").is_err());
    }
}
