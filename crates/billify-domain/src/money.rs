//! Exact money: a `BigDecimal` amount in an ISO 4217 currency, never a float.

use bigdecimal::{BigDecimal, Signed, Zero};
use std::fmt;
use std::str::FromStr;

use crate::ParseError;

/// Active ISO 4217 currency codes with their number of minor-unit digits.
///
/// Source: the ISO 4217 list (table A.1); funds codes and precious metals are left out because
/// no invoice is denominated in them.
const CURRENCIES: &[(&str, u8)] = &[
    ("AED", 2),
    ("AFN", 2),
    ("ALL", 2),
    ("AMD", 2),
    ("ANG", 2),
    ("AOA", 2),
    ("ARS", 2),
    ("AUD", 2),
    ("AWG", 2),
    ("AZN", 2),
    ("BAM", 2),
    ("BBD", 2),
    ("BDT", 2),
    ("BGN", 2),
    ("BHD", 3),
    ("BIF", 0),
    ("BMD", 2),
    ("BND", 2),
    ("BOB", 2),
    ("BRL", 2),
    ("BSD", 2),
    ("BTN", 2),
    ("BWP", 2),
    ("BYN", 2),
    ("BZD", 2),
    ("CAD", 2),
    ("CDF", 2),
    ("CHF", 2),
    ("CLP", 0),
    ("CNY", 2),
    ("COP", 2),
    ("CRC", 2),
    ("CUP", 2),
    ("CVE", 2),
    ("CZK", 2),
    ("DJF", 0),
    ("DKK", 2),
    ("DOP", 2),
    ("DZD", 2),
    ("EGP", 2),
    ("ERN", 2),
    ("ETB", 2),
    ("EUR", 2),
    ("FJD", 2),
    ("FKP", 2),
    ("GBP", 2),
    ("GEL", 2),
    ("GHS", 2),
    ("GIP", 2),
    ("GMD", 2),
    ("GNF", 0),
    ("GTQ", 2),
    ("GYD", 2),
    ("HKD", 2),
    ("HNL", 2),
    ("HTG", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("IQD", 3),
    ("IRR", 2),
    ("ISK", 0),
    ("JMD", 2),
    ("JOD", 3),
    ("JPY", 0),
    ("KES", 2),
    ("KGS", 2),
    ("KHR", 2),
    ("KMF", 0),
    ("KPW", 2),
    ("KRW", 0),
    ("KWD", 3),
    ("KYD", 2),
    ("KZT", 2),
    ("LAK", 2),
    ("LBP", 2),
    ("LKR", 2),
    ("LRD", 2),
    ("LSL", 2),
    ("LYD", 3),
    ("MAD", 2),
    ("MDL", 2),
    ("MGA", 2),
    ("MKD", 2),
    ("MMK", 2),
    ("MNT", 2),
    ("MOP", 2),
    ("MRU", 2),
    ("MUR", 2),
    ("MVR", 2),
    ("MWK", 2),
    ("MXN", 2),
    ("MYR", 2),
    ("MZN", 2),
    ("NAD", 2),
    ("NGN", 2),
    ("NIO", 2),
    ("NOK", 2),
    ("NPR", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PAB", 2),
    ("PEN", 2),
    ("PGK", 2),
    ("PHP", 2),
    ("PKR", 2),
    ("PLN", 2),
    ("PYG", 0),
    ("QAR", 2),
    ("RON", 2),
    ("RSD", 2),
    ("RUB", 2),
    ("RWF", 0),
    ("SAR", 2),
    ("SBD", 2),
    ("SCR", 2),
    ("SDG", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("SHP", 2),
    ("SLE", 2),
    ("SOS", 2),
    ("SRD", 2),
    ("SSP", 2),
    ("STN", 2),
    ("SVC", 2),
    ("SYP", 2),
    ("SZL", 2),
    ("THB", 2),
    ("TJS", 2),
    ("TMT", 2),
    ("TND", 3),
    ("TOP", 2),
    ("TRY", 2),
    ("TTD", 2),
    ("TWD", 2),
    ("TZS", 2),
    ("UAH", 2),
    ("UGX", 0),
    ("USD", 2),
    ("UYU", 2),
    ("UZS", 2),
    ("VES", 2),
    ("VND", 0),
    ("VUV", 0),
    ("WST", 2),
    ("XAF", 0),
    ("XCD", 2),
    ("XOF", 0),
    ("XPF", 0),
    ("YER", 2),
    ("ZAR", 2),
    ("ZMW", 2),
    ("ZWG", 2),
];

/// An ISO 4217 currency that invoices can be denominated in.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency {
    code: [u8; 3],
    minor_digits: u8,
}

impl Currency {
    /// The euro, Billify's home currency.
    pub const EUR: Currency = Currency { code: *b"EUR", minor_digits: 2 };

    /// Parses a three-letter ISO 4217 code; lower case is accepted and normalised.
    pub fn parse(code: &str) -> Result<Self, ParseError> {
        let upper = code.trim().to_ascii_uppercase();
        CURRENCIES
            .iter()
            .find(|(c, _)| *c == upper)
            .map(|(c, digits)| {
                let b = c.as_bytes();
                Currency { code: [b[0], b[1], b[2]], minor_digits: *digits }
            })
            .ok_or_else(|| ParseError::new("currency", format!("unknown ISO 4217 currency code {upper:?}")))
    }

    /// The three-letter code, e.g. `"EUR"`.
    pub fn code(&self) -> &str {
        // The code bytes always come from the ASCII table above.
        std::str::from_utf8(&self.code).unwrap_or("XXX")
    }

    /// How many digits the currency has after the decimal point (2 for EUR, 0 for JPY).
    pub fn minor_digits(&self) -> u8 {
        self.minor_digits
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Why an amount of money was rejected or an operation on money failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// The text is not a plain decimal number.
    #[error("not a decimal amount: {0:?}")]
    NotADecimal(String),
    /// The amount has more fractional digits than the currency allows.
    #[error("{currency} amounts have at most {digits} decimal places")]
    TooPrecise {
        /// The currency concerned.
        currency: Currency,
        /// Its number of minor-unit digits.
        digits: u8,
    },
    /// The amount does not fit the storage range (about ±92 thousand billion units).
    #[error("amount is out of range")]
    OutOfRange,
    /// Two amounts in different currencies were combined.
    #[error("cannot combine {0} and {1}")]
    CurrencyMismatch(Currency, Currency),
}

/// An exact amount of money in one currency.
///
/// The amount is always normalised to the currency's minor units (`382.06 EUR`, `1000 JPY`), so
/// equal amounts compare equal and convert losslessly to integer minor units for storage.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Money {
    amount: BigDecimal,
    currency: Currency,
}

/// Largest absolute number of minor units we accept, so every amount fits an `i64` with room
/// for sums of many amounts.
const MAX_MINOR_UNITS: i64 = 100_000_000_000_000_000; // 10^17 minor units = 10^15 EUR

impl Money {
    /// Builds an amount, rejecting more decimal places than the currency has.
    pub fn new(amount: BigDecimal, currency: Currency) -> Result<Self, MoneyError> {
        let digits = i64::from(currency.minor_digits);
        let normalized = amount.normalized();
        if normalized.fractional_digit_count() > digits {
            return Err(MoneyError::TooPrecise { currency, digits: currency.minor_digits });
        }
        let scaled = normalized.with_scale(digits);
        let money = Money { amount: scaled, currency };
        money.to_minor_units()?;
        Ok(money)
    }

    /// Parses a decimal string such as `"382.06"` or `"-12.5"`: an optional minus sign, digits and
    /// an optional fraction; no spaces, no plus sign, no thousands separators, no exponent.
    pub fn parse(text: &str, currency: Currency) -> Result<Self, MoneyError> {
        let t = text;
        let body = t.strip_prefix('-').unwrap_or(t);
        let valid = !body.is_empty()
            && body.split('.').count() <= 2
            && body.chars().all(|c| c.is_ascii_digit() || c == '.')
            && body.chars().any(|c| c.is_ascii_digit())
            && !body.starts_with('.')
            && !body.ends_with('.');
        if !valid || body.len() > 40 {
            return Err(MoneyError::NotADecimal(text.chars().take(40).collect()));
        }
        let amount = BigDecimal::from_str(t).map_err(|_| MoneyError::NotADecimal(text.chars().take(40).collect()))?;
        Self::new(amount, currency)
    }

    /// Zero in the given currency.
    pub fn zero(currency: Currency) -> Self {
        Money { amount: BigDecimal::zero().with_scale(i64::from(currency.minor_digits)), currency }
    }

    /// Builds an amount from integer minor units (cents for EUR).
    pub fn from_minor_units(units: i64, currency: Currency) -> Result<Self, MoneyError> {
        if units.unsigned_abs() > MAX_MINOR_UNITS.unsigned_abs() {
            return Err(MoneyError::OutOfRange);
        }
        let amount = BigDecimal::new(units.into(), i64::from(currency.minor_digits));
        Ok(Money { amount, currency })
    }

    /// The amount as integer minor units (cents for EUR), exact.
    pub fn to_minor_units(&self) -> Result<i64, MoneyError> {
        let (digits, scale) = self.amount.with_scale(i64::from(self.currency.minor_digits)).into_bigint_and_exponent();
        debug_assert_eq!(scale, i64::from(self.currency.minor_digits));
        let units = i64::try_from(digits).map_err(|_| MoneyError::OutOfRange)?;
        if units.unsigned_abs() > MAX_MINOR_UNITS.unsigned_abs() {
            return Err(MoneyError::OutOfRange);
        }
        Ok(units)
    }

    /// The amount as a plain decimal string with exactly the currency's minor digits:
    /// `"382.06"`, `"0.00"`, `"-5.10"`, `"1000"` for JPY. This is the API's wire format.
    pub fn to_plain_string(&self) -> String {
        use std::fmt::Write as _;
        let digits = u32::from(self.currency.minor_digits);
        let units = self.to_minor_units().unwrap_or(0);
        // One allocation: five amounts a row of every invoice listed.
        let mut text = String::with_capacity(24);
        if units < 0 {
            text.push('-');
        }
        let abs = units.unsigned_abs();
        let Some(scale) = 10_u64.checked_pow(digits) else {
            let _ = write!(text, "{abs}");
            return text;
        };
        let _ = write!(text, "{}", abs / scale);
        if digits > 0 {
            let _ = write!(text, ".{:0width$}", abs % scale, width = digits as usize);
        }
        text
    }

    /// The exact decimal amount.
    pub fn amount(&self) -> &BigDecimal {
        &self.amount
    }

    /// The currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// Whether the amount is strictly greater than zero.
    pub fn is_positive(&self) -> bool {
        self.amount.is_positive()
    }

    /// Whether the amount is strictly less than zero.
    pub fn is_negative(&self) -> bool {
        self.amount.is_negative()
    }

    /// Whether the amount is zero.
    pub fn is_zero(&self) -> bool {
        self.amount.is_zero()
    }

    /// Adds two amounts of the same currency.
    pub fn checked_add(&self, other: &Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        Money::new(&self.amount + &other.amount, self.currency)
    }

    /// The same amount with the opposite sign.
    pub fn negated(&self) -> Money {
        Money { amount: -self.amount.clone(), currency: self.currency }
    }

    /// Subtracts an amount of the same currency.
    pub fn checked_sub(&self, other: &Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        Money::new(&self.amount - &other.amount, self.currency)
    }

    fn same_currency(&self, other: &Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch(self.currency, other.currency))
        }
    }
}

impl PartialOrd for Money {
    /// Amounts compare only within one currency.
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        (self.currency == other.currency).then(|| self.amount.cmp(&other.amount))
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(s: &str) -> Money {
        Money::parse(s, Currency::EUR).unwrap()
    }

    #[test]
    fn parses_and_normalises_to_minor_units() {
        assert_eq!(eur("382.06").amount().to_string(), "382.06");
        assert_eq!(eur("382.6").amount().to_string(), "382.60");
        assert_eq!(eur("382").to_minor_units().unwrap(), 38200);
        assert_eq!(eur("0.10"), eur("0.1"));
    }

    #[test]
    fn plain_strings_have_exactly_the_minor_digits() {
        assert_eq!(eur("0").to_plain_string(), "0.00");
        assert_eq!(eur("382.6").to_plain_string(), "382.60");
        assert_eq!(eur("-0.05").to_plain_string(), "-0.05");
        assert_eq!(eur("-5.1").to_plain_string(), "-5.10");
        assert_eq!(Money::parse("1000", Currency::parse("JPY").unwrap()).unwrap().to_plain_string(), "1000");
        assert_eq!(Money::parse("1.5", Currency::parse("KWD").unwrap()).unwrap().to_plain_string(), "1.500");
    }

    #[test]
    fn decimal_arithmetic_is_exact() {
        let sum = eur("0.1").checked_add(&eur("0.2")).unwrap();
        assert_eq!(sum, eur("0.3"));
        let big = eur("12345678901234.56");
        assert_eq!(Money::from_minor_units(big.to_minor_units().unwrap(), Currency::EUR).unwrap(), big);
    }

    #[test]
    fn rejects_excess_precision_garbage_and_overflow() {
        assert!(matches!(Money::parse("1.005", Currency::EUR), Err(MoneyError::TooPrecise { .. })));
        assert!(matches!(Money::parse("1.5", Currency::parse("JPY").unwrap()), Err(MoneyError::TooPrecise { .. })));
        for bad in
            ["", "abc", "1,50", "1e5", "1.2.3", ".5", "5.", "--1", "NaN", " 1.00", "1.00 ", "+1.00", "- 1", "-+1"]
        {
            assert!(Money::parse(bad, Currency::EUR).is_err(), "{bad} should be rejected");
        }
        assert_eq!(Money::parse("99999999999999999999", Currency::EUR), Err(MoneyError::OutOfRange));
    }

    #[test]
    fn currencies_are_iso_4217() {
        assert_eq!(Currency::parse("eur").unwrap(), Currency::EUR);
        assert_eq!(Currency::parse("KWD").unwrap().minor_digits(), 3);
        assert!(Currency::parse("EURO").is_err());
        assert!(Currency::parse("XXX").is_err());
    }

    #[test]
    fn mixing_currencies_is_an_error() {
        let usd = Money::parse("1", Currency::parse("USD").unwrap()).unwrap();
        assert!(matches!(eur("1").checked_add(&usd), Err(MoneyError::CurrencyMismatch(..))));
        assert_eq!(eur("1").partial_cmp(&usd), None);
    }
}
