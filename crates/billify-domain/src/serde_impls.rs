//! Serde support for value objects, behind the `serde` feature.
//!
//! Text-like values serialise as their canonical string and deserialise through their parser,
//! so a deserialised value is as valid as a parsed one. `Money` is `{"amount": "382.06",
//! "currency": "EUR"}`, with the amount as a decimal string, never a float.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{
    Bic, Currency, EmailAddress, Iban, InvoiceNumber, Money, OrganisationName, PaymentReference, PersonName,
    StructuredReference, VatNumber,
};

macro_rules! text_serde {
    ($($ty:ty => $to:expr, $parse:expr;)*) => {
        $(
            impl Serialize for $ty {
                fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    let to: fn(&$ty) -> String = $to;
                    s.serialize_str(&to(self))
                }
            }

            impl<'de> Deserialize<'de> for $ty {
                fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    let text = String::deserialize(d)?;
                    let parse: fn(&str) -> Result<$ty, crate::ParseError> = $parse;
                    parse(&text).map_err(D::Error::custom)
                }
            }
        )*
    };
}

text_serde! {
    Iban => |v| v.as_str().to_owned(), Iban::parse;
    Bic => |v| v.as_str().to_owned(), Bic::parse;
    VatNumber => |v| v.as_str().to_owned(), VatNumber::parse;
    StructuredReference => |v| v.formatted(), StructuredReference::parse;
    PaymentReference => |v| v.to_display_string(), PaymentReference::parse;
    EmailAddress => |v| v.as_str().to_owned(), EmailAddress::parse;
    InvoiceNumber => |v| v.as_str().to_owned(), InvoiceNumber::parse;
    OrganisationName => |v| v.as_str().to_owned(), OrganisationName::parse;
    PersonName => |v| v.as_str().to_owned(), PersonName::parse;
    Currency => |v| v.code().to_owned(), Currency::parse;
}

#[derive(Serialize, Deserialize)]
struct MoneyRepr {
    amount: String,
    currency: Currency,
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        MoneyRepr { amount: self.to_plain_string(), currency: self.currency() }.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let repr = MoneyRepr::deserialize(d)?;
        Money::parse(&repr.amount, repr.currency).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_and_invalid_text_is_refused() {
        let iban = Iban::parse("BE71 0018 6092 2869").unwrap();
        let json = serde_json::to_string(&iban).unwrap();
        assert_eq!(json, "\"BE71001860922869\"");
        assert_eq!(serde_json::from_str::<Iban>(&json).unwrap(), iban);
        assert!(serde_json::from_str::<Iban>("\"BE71001860922868\"").is_err());
        let money = Money::parse("382.06", Currency::EUR).unwrap();
        let json = serde_json::to_string(&money).unwrap();
        assert_eq!(json, r#"{"amount":"382.06","currency":"EUR"}"#);
        assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), money);
        assert!(serde_json::from_str::<Money>(r#"{"amount":"1.005","currency":"EUR"}"#).is_err());
        let r = serde_json::from_str::<PaymentReference>("\"+++123/4567/89002+++\"").unwrap();
        assert!(r.structured().is_some());
    }
}
