//! Shared test helpers: reading fixtures and building expected extractions.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod pdfgen;

use std::path::PathBuf;
use std::str::FromStr;

use bigdecimal::BigDecimal;
use billify_domain::{Bic, Iban, PaymentReference, VatNumber};
use billify_ports::intake::{Extracted, ExtractedParty, InvoiceLine, VatBreakdown};
use time::{Date, Month};

pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture_path(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

pub fn dec(s: &str) -> BigDecimal {
    BigDecimal::from_str(s).unwrap()
}

pub fn amount(s: &str) -> Option<Extracted<BigDecimal>> {
    Some(Extracted::certain(dec(s)))
}

pub fn text(s: &str) -> Option<Extracted<String>> {
    Some(Extracted::certain(s.to_owned()))
}

pub fn date(y: i32, m: u8, d: u8) -> Date {
    Date::from_calendar_date(y, Month::try_from(m).unwrap(), d).unwrap()
}

pub fn reference(s: &str) -> Option<Extracted<PaymentReference>> {
    Some(Extracted::certain(PaymentReference::parse(s).unwrap()))
}

pub struct Party<'a> {
    pub name: &'a str,
    pub vat: Option<&'a str>,
    pub legal_id: Option<&'a str>,
    pub address: Option<&'a str>,
    pub iban: Option<&'a str>,
    pub bic: Option<&'a str>,
}

pub fn party(p: Party<'_>) -> ExtractedParty {
    ExtractedParty {
        name: text(p.name),
        vat_number: p.vat.map(|v| Extracted::certain(VatNumber::parse(v).unwrap())),
        legal_id: p.legal_id.and_then(text),
        address: p.address.and_then(text),
        iban: p.iban.map(|v| Extracted::certain(Iban::parse(v).unwrap())),
        bic: p.bic.map(|v| Extracted::certain(Bic::parse(v).unwrap())),
    }
}

pub fn line(description: &str, quantity: &str, unit_price: &str, total: &str, rate: &str) -> InvoiceLine {
    InvoiceLine {
        description: description.to_owned(),
        quantity: Some(dec(quantity)),
        unit_price: Some(dec(unit_price)),
        line_total: dec(total),
        vat_rate: Some(dec(rate)),
    }
}

pub fn vat(category: &str, rate: &str, taxable: &str, tax: &str) -> VatBreakdown {
    VatBreakdown {
        category: category.to_owned(),
        rate: Some(dec(rate)),
        taxable_amount: dec(taxable),
        tax_amount: dec(tax),
    }
}
