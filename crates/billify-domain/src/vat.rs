//! VAT identification numbers, with check-digit validation where the algorithm is public.

use std::fmt;
use std::str::FromStr;

use crate::ParseError;

/// Countries whose VAT numbers we accept; those with a checksum below are verified, the others are
/// checked for shape only.
const VAT_COUNTRIES: &[&str] = &[
    "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "GB", "HR", "HU", "IE", "IT", "LT",
    "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK", "XI",
];

/// A VAT identification number with its country prefix, normalised to upper case without
/// spaces or dots (`BE0662970353`, `NL004495445B01`).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VatNumber(String);

impl VatNumber {
    /// Parses a VAT number such as `BE 0662.970.353`, `BE662970353` (the old 9-digit Belgian
    /// form) or `NL004495445B01`.
    ///
    /// Belgian, Dutch, German and French numbers are verified by their check digits; numbers of
    /// other European countries are checked for shape only.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let mut compact = String::with_capacity(text.len());
        compact.extend(
            text.chars()
                .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-' | '/'))
                .map(|c| c.to_ascii_uppercase()),
        );
        if compact.len() < 4 || !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(ParseError::new("VAT number", "a VAT number is a country prefix followed by digits"));
        }
        if compact.starts_with("GR") {
            compact.replace_range(..2, "EL");
        }
        let (country, body) = compact.split_at(2);
        if !VAT_COUNTRIES.contains(&country) {
            return Err(ParseError::new("VAT number", format!("{country:?} is not a supported VAT country prefix")));
        }
        let body = match country {
            "BE" => check_be(body)?,
            "NL" => check_nl(body)?,
            "DE" => check_de(body)?,
            "FR" => check_fr(body)?,
            _ => {
                if !(2..=13).contains(&body.len()) {
                    return Err(ParseError::new(
                        "VAT number",
                        format!("a {country} VAT number has 2 to 13 characters after the prefix"),
                    ));
                }
                body.to_owned()
            }
        };
        Ok(VatNumber(format!("{country}{body}")))
    }

    /// The normalised number, e.g. `BE0662970353`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The country prefix (`EL` for Greece, as VIES uses).
    pub fn country(&self) -> &str {
        &self.0[..2]
    }
}

fn digits_only(body: &str, len: usize, what: &str) -> Result<(), ParseError> {
    if body.len() == len && body.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(ParseError::new("VAT number", format!("{what} VAT number has {len} digits after the prefix")))
    }
}

/// Belgian enterprise number: 10 digits starting with 0 or 1; the last two digits are
/// 97 - (first eight mod 97). The old 9-digit form gets a leading 0.
fn check_be(body: &str) -> Result<String, ParseError> {
    let body = if body.len() == 9 { format!("0{body}") } else { body.to_owned() };
    digits_only(&body, 10, "a Belgian")?;
    if !body.starts_with('0') && !body.starts_with('1') {
        return Err(ParseError::new("VAT number", "a Belgian VAT number starts with 0 or 1"));
    }
    let check: u32 = body[8..].parse().unwrap_or(u32::MAX);
    if 97 - crate::mod97(&body[..8]) != check {
        return Err(ParseError::new("VAT number", "the Belgian VAT check digits do not match (mod 97)"));
    }
    Ok(body)
}

/// Dutch BTW-id: 9 digits, `B`, 2 digits. Valid under the old 11-test of the first nine digits,
/// or under the mod-97 test used for sole proprietors' numbers since 2020.
fn check_nl(body: &str) -> Result<String, ParseError> {
    let b = body.as_bytes();
    let shape = b.len() == 12
        && b[..9].iter().all(u8::is_ascii_digit)
        && b[9] == b'B'
        && b[10..].iter().all(u8::is_ascii_digit);
    if !shape {
        return Err(ParseError::new("VAT number", "a Dutch VAT number is 9 digits, the letter B and 2 digits"));
    }
    let d: Vec<u32> = b[..9].iter().map(|c| u32::from(c - b'0')).collect();
    let weighted: i64 = (0..8).map(|i| i64::from(d[i]) * (9 - i as i64)).sum::<i64>() - i64::from(d[8]);
    if weighted % 11 == 0 {
        return Ok(body.to_owned());
    }
    // "NL" + body with letters as numbers (A=10 ... Z=35), the whole mod 97 must be 1.
    let numeric: String =
        format!("NL{body}").chars().map(|c| c.to_digit(36).map(|v| v.to_string()).unwrap_or_default()).collect();
    if crate::mod97(&numeric) == 1 {
        Ok(body.to_owned())
    } else {
        Err(ParseError::new("VAT number", "the Dutch VAT check digit does not match"))
    }
}

/// German USt-IdNr: 9 digits, the last one an ISO 7064 MOD 11,10 check digit.
fn check_de(body: &str) -> Result<String, ParseError> {
    digits_only(body, 9, "a German")?;
    let d: Vec<u32> = body.bytes().map(|c| u32::from(c - b'0')).collect();
    let mut product = 10;
    for digit in &d[..8] {
        let mut sum = (digit + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = (2 * sum) % 11;
    }
    let check = (11 - product) % 10;
    if check == d[8] {
        Ok(body.to_owned())
    } else {
        Err(ParseError::new("VAT number", "the German VAT check digit does not match"))
    }
}

/// French TVA: a 2-character key and the 9-digit SIREN; a numeric key must equal
/// (12 + 3 * (SIREN mod 97)) mod 97.
fn check_fr(body: &str) -> Result<String, ParseError> {
    let b = body.as_bytes();
    if b.len() != 11 || !b[2..].iter().all(u8::is_ascii_digit) || !b[..2].iter().all(u8::is_ascii_alphanumeric) {
        return Err(ParseError::new("VAT number", "a French VAT number is a 2-character key and a 9-digit SIREN"));
    }
    if b[..2].iter().all(u8::is_ascii_digit) {
        let key: u32 = body[..2].parse().unwrap_or(u32::MAX);
        if (12 + 3 * crate::mod97(&body[2..])) % 97 != key {
            return Err(ParseError::new("VAT number", "the French VAT key does not match the SIREN"));
        }
    }
    Ok(body.to_owned())
}

impl fmt::Display for VatNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for VatNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VatNumber({})", self.0)
    }
}

impl FromStr for VatNumber {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn belgian_numbers_are_checked_by_mod_97() {
        assert_eq!(VatNumber::parse("BE0662970353").unwrap().as_str(), "BE0662970353");
        assert_eq!(VatNumber::parse("BE 0628.719.851").unwrap().as_str(), "BE0628719851");
        assert_eq!(VatNumber::parse("be662970353").unwrap().as_str(), "BE0662970353");
        assert!(VatNumber::parse("BE0662970354").is_err());
        assert!(VatNumber::parse("BE2662970353").is_err());
    }

    #[test]
    fn dutch_numbers_are_checked() {
        assert_eq!(VatNumber::parse("NL004495445B01").unwrap().country(), "NL");
        assert!(VatNumber::parse("NL004495446B01").is_err());
        assert!(VatNumber::parse("NL004495445X01").is_err());
        // A sole proprietor's number (since 2020): fails the 11-test, passes mod 97.
        assert_eq!(VatNumber::parse("NL000099998B57").unwrap().as_str(), "NL000099998B57");
        assert!(VatNumber::parse("NL000099998B58").is_err());
    }

    #[test]
    fn german_and_french_numbers_are_checked() {
        assert!(VatNumber::parse("DE136695976").is_ok());
        assert!(VatNumber::parse("DE136695977").is_err());
        assert!(VatNumber::parse("FR40303265045").is_ok());
        assert!(VatNumber::parse("FR41303265045").is_err());
    }

    #[test]
    fn other_countries_are_shape_checked_and_unknown_prefixes_rejected() {
        assert!(VatNumber::parse("ATU12345678").is_ok());
        assert_eq!(VatNumber::parse("GR123456789").unwrap().country(), "EL");
        assert!(VatNumber::parse("US123456789").is_err());
        assert!(VatNumber::parse("BE").is_err());
    }
}
