//! Unit tests of English-language invoices from outside Europe: their dollars, rand and
//! dirham, GST, HST and sales tax, year-first dates and payment lines.

use super::tests::doc;
use super::*;
use std::str::FromStr;

use bigdecimal::BigDecimal;
use time::macros::date;

fn amount(s: &str) -> BigDecimal {
    BigDecimal::from_str(s).unwrap()
}

fn read(lines: &[&[(&str, f32)]]) -> ExtractedInvoice {
    extract_fields(&doc(lines), &OwnParty::default(), Date::MIN)
}

#[test]
fn an_australian_tax_invoice_in_bare_dollars() {
    let inv = read(&[
        &[("Wattle Digital Pty Ltd", 50.0), ("Tax Invoice", 400.0)],
        &[("ABN 51 824 753 556", 50.0), ("Invoice No.", 300.0), ("INV-2041", 450.0)],
        &[("Date:", 300.0), ("07/11/2025", 450.0)],
        &[("Total ex. GST", 300.0), ("$1,300.71", 450.0)],
        &[("GST (10%)", 300.0), ("$130.07", 450.0)],
        &[("Total inc. GST", 300.0), ("$1,430.78", 450.0)],
        &[("Balance Owing", 300.0), ("$1,430.78", 450.0)],
    ]);
    assert_eq!(inv.currency.unwrap().value.code(), "AUD");
    assert_eq!(inv.issue_date.unwrap().value, date!(2025 - 11 - 07));
    assert_eq!(inv.subtotal.unwrap().value, amount("1300.71"));
    assert_eq!(inv.vat_amount.unwrap().value, amount("130.07"));
    assert_eq!(inv.total.unwrap().value, amount("1430.78"));
    assert_eq!(inv.amount_due.unwrap().value, amount("1430.78"));
}

#[test]
fn rand_amounts_and_year_first_dates() {
    let inv = read(&[
        &[("Issue Date:", 300.0), ("2024/08/09", 450.0)],
        &[("Subtotal", 300.0), ("R11,948.12", 450.0)],
        &[("VAT @ 15%", 300.0), ("R1,792.22", 450.0)],
        &[("Total", 300.0), ("R13,740.34", 450.0)],
    ]);
    assert_eq!(inv.issue_date.unwrap().value, date!(2024 - 08 - 09));
    assert_eq!(inv.total.unwrap().value, amount("13740.34"));
    assert_eq!(inv.vat_amount.unwrap().value, amount("1792.22"));
    assert_eq!(inv.currency.unwrap().value.code(), "ZAR");
    // An "R" without cents is no amount ("Ref R 12").
    assert!(text::find_amounts("Room R 12").is_empty());
}

#[test]
fn canadian_taxes_add_up_and_a_paid_invoice_owes_nothing() {
    let inv = read(&[
        &[("Subtotal", 300.0), ("C$34,289.62", 450.0)],
        &[("GST (5%)", 300.0), ("C$1,714.48", 450.0)],
        &[("QST (9.975%)", 300.0), ("C$3,420.39", 450.0)],
        &[("TOTAL", 300.0), ("C$39,424.49", 450.0)],
        &[("Payments", 300.0), ("(C$39,424.49)", 450.0)],
        &[("Amount Due", 300.0), ("C$0.00", 450.0)],
    ]);
    assert_eq!(inv.currency.unwrap().value.code(), "CAD");
    assert_eq!(inv.vat_amount.unwrap().value, amount("5134.87"));
    assert_eq!(inv.amount_due.unwrap().value, amount("0.00"));
}

#[test]
fn an_american_dollar_said_so_stays_american() {
    let inv = read(&[&[("18 Harcourt Road, Hong Kong", 50.0)], &[("Total", 300.0), ("US$35,077.34", 450.0)]]);
    assert_eq!(inv.currency.unwrap().value.code(), "USD");
    let inv = read(&[&[("Singapore 018956", 50.0)], &[("Total", 300.0), ("$3,704.55", 450.0)]]);
    assert_eq!(inv.currency.unwrap().value.code(), "SGD");
}

#[test]
fn a_separator_inside_brackets_joins_nothing() {
    let inv = read(&[
        &[("Thistle Software Ltd", 50.0), ("Bill to", 300.0)],
        &[("2 Whitworth Street", 50.0), ("Groenhuis Hoveniers B.V.", 300.0)],
        &[("Description", 50.0), ("Qty", 300.0), ("Amount", 450.0)],
        &[("Team plan - 5 seats (Apr 1 - Apr 28, 2024)", 50.0), ("7.5", 300.0), ("274.50", 450.0)],
        &[("Total", 300.0), ("£274.50", 450.0)],
    ]);
    assert_eq!(inv.seller.name.unwrap().value, "Thistle Software Ltd");
}
