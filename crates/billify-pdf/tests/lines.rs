//! Invoice lines of tables that run over pages: every line is read once, the lines that carry
//! a page's sum over ("Übertrag") are not lines, and the lines of all pages are checked against
//! the subtotal, which fills the VAT breakdown and the confidence of the lines' sum.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support {
    pub mod generate;
}

use std::path::Path;
use std::str::FromStr;

use bigdecimal::BigDecimal;
use billify_pdf::{Limits, extract_invoice};
use billify_ports::intake::{Confidence, ExtractedInvoice, OwnParty};
use time::macros::date;

fn read(name: &str) -> ExtractedInvoice {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    let bytes = std::fs::read(path).unwrap();
    extract_invoice(&bytes, &OwnParty::default(), date!(2024 - 06 - 01), &Limits::default()).unwrap()
}

fn dec(s: &str) -> BigDecimal {
    BigDecimal::from_str(s).unwrap()
}

#[test]
fn a_table_carried_over_to_a_page_without_header() {
    let inv = read("de_carried_forward.pdf");
    let items = support::generate::CARRIED_ITEMS;
    let descriptions: Vec<&str> = inv.lines.iter().map(|l| l.description.as_str()).collect();
    assert_eq!(inv.lines.len(), items.len(), "{descriptions:#?}");
    assert!(!descriptions.iter().any(|d| d.contains("Übertrag")), "{descriptions:#?}");
    for (line, (what, qty, unit)) in inv.lines.iter().zip(items) {
        assert!(line.description.starts_with(what), "{} / {what}", line.description);
        assert_eq!(line.quantity, Some(BigDecimal::from(*qty)), "{what}");
        assert_eq!(line.unit_price, Some(BigDecimal::new((*unit).into(), 2)), "{what}");
        assert_eq!(line.line_total, BigDecimal::new((qty * unit).into(), 2), "{what}");
    }
    // The description wrapped onto a second line, on the page after the break.
    assert_eq!(inv.lines[16].description, "Prüfprotokoll nach DIN VDE 0100-600 (Erstprüfung der Anlage)");
    let net: i64 = items.iter().map(|(_, q, u)| q * u).sum();
    let net = BigDecimal::new(net.into(), 2);
    assert_eq!(inv.subtotal.as_ref().map(|s| &s.value), Some(&net));
    let sum = inv.line_total.as_ref().unwrap();
    assert_eq!(sum.value, net);
    assert!(sum.confidence >= Confidence::percent(90), "{sum:?}");
    assert_eq!(inv.vat_breakdown.len(), 1, "{:?}", inv.vat_breakdown);
    assert_eq!(inv.vat_breakdown[0].taxable_amount, net);
    assert_eq!(inv.vat_breakdown[0].rate, Some(dec("19")));
}

#[test]
fn lines_continued_after_a_page_footer() {
    let inv = read("en_multipage.pdf");
    let descriptions: Vec<&str> = inv.lines.iter().map(|l| l.description.as_str()).collect();
    assert_eq!(
        descriptions,
        [
            "Strategy workshop, 2 days",
            "Market analysis report",
            "Travel and accommodation",
            "Follow-up sessions (4 x 2h)",
            "Project management"
        ]
    );
    let sum = inv.line_total.unwrap();
    assert_eq!(sum.value, dec("6982.35"));
    assert!(sum.confidence >= Confidence::percent(90));
}
