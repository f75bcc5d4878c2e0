//! Unit tests of the field reader, one per kind of layout or label.

use super::parties::*;
use super::references::*;
use super::*;
use std::str::FromStr;

use bigdecimal::BigDecimal;
use billify_domain::Currency;

#[test]
fn ibans_and_vats_validate() {
    let ib = ibans_in("IBAN: BE71 0018 6092 2869 BIC GEBABEBB");
    assert_eq!(ib.len(), 1);
    assert_eq!(ib[0].0.as_str(), "BE71001860922869");
    assert!(ibans_in("BE71 0018 6092 2868").is_empty());
    let v = vats_in("BE 0628.719.851", false, &[]);
    assert_eq!(v[0].as_str(), "BE0628719851");
    assert!(vats_in("BE 0628.719.852", false, &[]).is_empty());
    assert_eq!(vats_in("BTW: 0662.970.353", true, &[])[0].as_str(), "BE0662970353");
    assert!(vats_in("IBAN BE71 0018 6092 2869", false, &ibans_in("IBAN BE71 0018 6092 2869")).is_empty());
}

/// The fields read from `lines` (see [`doc`]) by a reader that knows nothing of its own party.
pub(super) fn read_lines(lines: &[&[(&str, f32)]]) -> ExtractedInvoice {
    extract_fields(&doc(lines), &OwnParty::default(), Date::MIN)
}

/// The value of an amount field.
pub(super) fn value_of(f: &Option<Extracted<BigDecimal>>) -> Option<BigDecimal> {
    f.as_ref().map(|e| e.value.clone())
}

/// An amount written as a decimal string.
pub(super) fn decimal(s: &str) -> Option<BigDecimal> {
    BigDecimal::from_str(s).ok()
}

/// The value of a text field.
pub(super) fn text_of(f: &Option<Extracted<String>>) -> Option<&str> {
    f.as_ref().map(|e| e.value.as_str())
}

pub(super) fn doc(lines: &[&[(&str, f32)]]) -> TextDocument {
    use crate::{TextLine, TextPage, TextWord};
    let lines = lines
        .iter()
        .enumerate()
        .map(|(i, words)| {
            let y = 800.0 - 14.0 * i as f32;
            let words = words
                .iter()
                .flat_map(|(text, x)| {
                    let mut x = *x;
                    text.split(' ')
                        .map(|w| {
                            let width = 5.0 * w.chars().count() as f32;
                            let word = TextWord { text: w.into(), x, y, width, font_size: 10.0 };
                            x += width + 2.5;
                            word
                        })
                        .collect::<Vec<_>>()
                })
                .collect();
            TextLine { y, words }
        })
        .collect();
    TextDocument { pages: vec![TextPage { number: 1, width: 595.0, height: 842.0, lines }] }
}

#[test]
fn two_label_value_pairs_on_one_line_stay_apart() {
    let d = doc(&[
        &[("Subtotal", 50.0), ("100,00", 150.0), ("VAT 21%", 300.0), ("21,00", 400.0)],
        &[("Total", 300.0), ("121,00 EUR", 400.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.subtotal.unwrap().value, BigDecimal::from(100));
    assert_eq!(inv.vat_amount.unwrap().value, BigDecimal::from(21));
    assert_eq!(inv.total.unwrap().value, BigDecimal::from(121));
    assert_eq!(inv.currency.unwrap().value, Currency::EUR);
}

#[test]
fn a_total_with_its_vat_in_brackets_and_a_subtotal_before_shipping() {
    let d = doc(&[
        &[("Zwischensumme", 50.0), ("100,00 EUR", 300.0)],
        &[("Versand", 50.0), ("10,00 EUR", 300.0)],
        &[("Zwischensumme netto", 50.0), ("110,00 EUR", 300.0)],
        &[("Gesamtsumme", 50.0), ("130,90 EUR (enthält 20,90 EUR MwSt.)", 300.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.total.unwrap().value, BigDecimal::from_str("130.90").unwrap());
    assert_eq!(inv.vat_amount.unwrap().value, BigDecimal::from_str("20.90").unwrap());
    assert_eq!(inv.subtotal.unwrap().value, BigDecimal::from(110));
}

#[test]
fn the_total_row_of_a_vat_summary_gives_net_and_vat_by_column() {
    let d = doc(&[
        &[("VAT rate", 50.0), ("Item subtotal (excl. VAT)", 150.0), ("VAT", 400.0)],
        &[("20%", 50.0), ("100,00", 300.0), ("20,00", 420.0)],
        &[("Total", 50.0), ("100,00", 300.0), ("20,00", 420.0)],
        &[("Invoice total", 300.0), ("120,00 EUR", 420.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.subtotal.unwrap().value, BigDecimal::from(100));
    assert_eq!(inv.vat_amount.unwrap().value, BigDecimal::from(20));
    assert_eq!(inv.total.unwrap().value, BigDecimal::from(120));
}

#[test]
fn a_customer_number_label_is_no_buyer_name() {
    let d = doc(&[
        &[("Rechnung an", 50.0)],
        &[("Muster GmbH", 50.0)],
        &[("Hauptstraße 1", 50.0)],
        &[("10115 Berlin", 50.0)],
        &[("Kunde Nr. 4711", 50.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.buyer.name.unwrap().value, "Muster GmbH");
    let d = doc(&[&[("Kunde Nr. 4711", 50.0)], &[("Client no 12345", 50.0)]]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert!(inv.buyer.name.is_none(), "{:?}", inv.buyer.name);
}

#[test]
fn payment_terms_from_the_issue_date_or_today() {
    let d = doc(&[&[("Factuurdatum: 31/01/2024", 50.0)], &[("Betaling binnen 30 dagen einde maand", 50.0)]]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.payment_terms.unwrap().value, "30 dagen einde maand");
    assert_eq!(inv.due_date.unwrap().value, time::macros::date!(2024 - 03 - 31));
    let d = doc(&[&[("Paiement à 15 jours", 50.0)]]);
    let inv = extract_fields(&d, &OwnParty::default(), time::macros::date!(2024 - 06 - 01));
    assert_eq!(inv.due_date.unwrap().value, time::macros::date!(2024 - 06 - 16));
    assert_eq!(inv.payment_terms.unwrap().value, "à 15 jours");
}

#[test]
fn lines_that_do_not_add_up_to_the_subtotal_are_less_sure() {
    let table = |second: &str| {
        let d = doc(&[
            &[("Description", 50.0), ("Qty", 250.0), ("Unit price", 300.0), ("Amount", 420.0)],
            &[("Consulting", 50.0), ("2", 255.0), ("50,00", 300.0), ("100,00", 420.0)],
            &[("Travel", 50.0), ("1", 255.0), (second, 300.0), (second, 420.0)],
            &[("Subtotal", 300.0), ("150,00", 420.0)],
            &[("VAT 21%", 300.0), ("31,50", 420.0)],
            &[("Total", 300.0), ("181,50", 420.0)],
        ]);
        extract_fields(&d, &OwnParty::default(), Date::MIN)
    };
    let inv = table("50,00");
    assert_eq!(inv.lines.len(), 2);
    assert_eq!(inv.lines[0].quantity, Some(BigDecimal::from(2)));
    assert_eq!(inv.lines[0].unit_price, Some(BigDecimal::from(50)));
    let sum = inv.line_total.unwrap();
    assert_eq!((sum.value, sum.confidence), (BigDecimal::from(150), pct(90)));
    assert_eq!(inv.vat_breakdown.len(), 1);
    let inv = table("40,00");
    assert_eq!(inv.lines.len(), 2);
    let sum = inv.line_total.unwrap();
    assert_eq!((sum.value, sum.confidence), (BigDecimal::from(140), pct(50)));
    assert!(inv.vat_breakdown.is_empty());
}

#[test]
fn header_words_set_close_are_one_header_and_apart_two() {
    // "VAT amount" (a word space) is no line amount; "VAT" and "Amount" a column apart are
    // the rate and the amount. "Total (excl. tax)" is one header, not a total and a tax.
    let d = doc(&[
        &[("Item", 50.0), ("Qty", 250.0), ("VAT", 300.0), ("Amount", 340.0), ("VAT amount", 420.0)],
        &[("Widget", 50.0), ("3", 255.0), ("21%", 300.0), ("30,00", 340.0), ("6,30", 420.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.lines.len(), 1);
    assert_eq!(inv.lines[0].line_total, BigDecimal::from(30));
    assert_eq!(inv.lines[0].vat_rate, Some(BigDecimal::from(21)));
    let d = doc(&[
        &[("Description VAT", 50.0), ("Qty Total (excl. tax)", 250.0)],
        &[("Widget", 50.0), ("20%", 110.0), ("3", 250.0), ("30.00", 330.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.lines.len(), 1);
    assert_eq!(inv.lines[0].line_total, BigDecimal::from(30));
}

#[test]
fn a_line_amount_with_vat_gives_the_net_amount_from_the_unit_price() {
    let d = doc(&[
        &[
            ("Description", 50.0),
            ("Qty", 150.0),
            ("Unit price (excl. VAT)", 180.0),
            ("Item subtotal (incl. VAT)", 400.0),
        ],
        &[("USB-C dock", 50.0), ("4", 150.0), ("€613,14", 240.0), ("€2.869,50", 470.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.lines.len(), 1);
    assert_eq!(inv.lines[0].line_total, BigDecimal::from_str("2452.56").unwrap());
}

#[test]
fn a_price_column_alone_is_the_line_amount_and_shipping_below_a_line() {
    let d = doc(&[
        &[("Product", 50.0), ("Quantity", 250.0), ("Price", 400.0)],
        &[("Translation", 50.0), ("8", 260.0), ("8.252,00 EUR", 400.0)],
        &[("Workshop day", 50.0), ("4", 260.0), ("4.454,80 EUR", 400.0)],
        &[("Subtotal", 300.0), ("12.706,80 EUR", 400.0)],
        &[("Shipping", 300.0), ("13,48 EUR", 400.0)],
        &[("Total excl. VAT", 300.0), ("12.720,28 EUR", 400.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    let got: Vec<(&str, String)> =
        inv.lines.iter().map(|l| (l.description.as_str(), l.line_total.to_string())).collect();
    assert_eq!(
        got,
        [("Translation", "8252.00".into()), ("Workshop day", "4454.80".into()), ("Shipping", "13.48".into())]
    );
}

#[test]
fn two_address_headers_set_close_are_two_labels() {
    // Three columns: details, billing address, delivery address; the two address headers
    // closer than a cell gap.
    let d = doc(&[
        &[("Invoice details", 50.0), ("Billing address", 300.0), ("Delivery address", 380.0)],
        &[("Invoice date: 28/11/2024", 50.0), ("Vulcan Systems SRL", 300.0), ("Vulcan Systems SRL", 400.0)],
        &[("Invoice #: NL5CPJT38886", 50.0), ("Meirbrug 239", 300.0), ("Meirbrug 239", 400.0)],
        &[("1000 Bruxelles", 300.0), ("1000 Bruxelles", 400.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.buyer.name.map(|n| n.value).as_deref(), Some("Vulcan Systems SRL"));
}

#[test]
fn a_name_run_into_from_the_next_column_and_wrapped_in_its_own() {
    for (name, second, want) in [
        ("Vulcan Studio UG", "(haftungsbeschränkt)", "Vulcan Studio UG (haftungsbeschränkt)"),
        ("Bloc Digital GmbH & Co.", "KG", "Bloc Digital GmbH & Co. KG"),
    ] {
        // The date set right against the address column runs into the buyer's name.
        let d = doc(&[
            &[("Invoice details", 50.0), ("Billing address", 262.5), ("Delivery address", 400.0)],
            &[("Invoice date:", 50.0), ("07/01/2024", 210.0), (name, 262.5), (name, 400.0)],
            &[(second, 262.5), (second, 400.0)],
            &[("Invoice #: IT5ESGJ71545", 50.0), ("Lindenallee 161", 262.5), ("Lindenallee 161", 400.0)],
            &[("50667 Köln", 262.5), ("50667 Köln", 400.0)],
        ]);
        let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
        assert_eq!(inv.buyer.name.map(|n| n.value).as_deref(), Some(want));
    }
}

#[test]
fn address_headers_at_a_word_space_and_names_run_together() {
    // The two headers a word space apart, the values under the second starting where it
    // starts.
    let d = doc(&[
        &[("Invoice details", 50.0), ("Billing address Delivery address", 300.0)],
        &[("Invoice date: 28/11/2024", 50.0), ("Helix Partners SAS", 300.0), ("Helix Partners SAS", 375.0)],
        &[("Meirbrug 239", 300.0), ("Meirbrug 239", 375.0)],
        &[("1000 Bruxelles", 300.0), ("1000 Bruxelles", 375.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.buyer.name.map(|n| n.value).as_deref(), Some("Helix Partners SAS"));
    // A date, the billing name and the delivery name run together in one cell.
    let d = doc(&[
        &[("Invoice details", 50.0), ("Billing address", 262.5), ("Delivery address", 350.0)],
        &[("Invoice date:", 50.0), ("07/01/2024 Vulcan Systems SRL Vulcan Systems SRL", 210.0)],
        &[("Meirbrug 239", 262.5), ("Meirbrug 239", 350.0)],
        &[("1000 Bruxelles", 262.5), ("1000 Bruxelles", 350.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.buyer.name.map(|n| n.value).as_deref(), Some("Vulcan Systems SRL"));
}

#[test]
fn a_vat_label_broken_over_two_lines_labels_the_number() {
    // LU numbers are checked for shape only, so they need a label.
    for (first, second) in [
        (
            "Service provider: Tandem S.A., 50 avenue J. F. Kennedy, L-1855 Luxembourg · VAT",
            "Registration Number: LU25962778",
        ),
        (
            "Service provider: Tandem S.A., 50 avenue J. F. Kennedy, L-1855 Luxembourg · VAT Registration",
            "Number: LU25962778",
        ),
    ] {
        let d = doc(&[&[(first, 50.0)], &[(second, 50.0)]]);
        let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
        assert_eq!(inv.seller.vat_number.map(|v| v.value.as_str().to_string()).as_deref(), Some("LU25962778"));
    }
    let d = doc(&[&[("Tandem S.A., L-1855 Luxembourg", 50.0)], &[("Number: LU25962778", 50.0)]]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert!(inv.seller.vat_number.is_none());
}

#[test]
fn a_due_date_with_the_month_first_after_due_on() {
    let d = doc(&[&[("Invoice Date: Jul 24, 2024", 50.0)], &[("TOTAL AMOUNT DUE ON AUG 7, 2024", 300.0)]]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.due_date.unwrap().value, time::macros::date!(2024 - 08 - 07));
}

#[test]
fn a_price_column_alone_of_unit_prices() {
    // "Price" is per unit here: quantity × price adds up to the subtotal, the prices do not.
    let d = doc(&[
        &[("Product", 50.0), ("Quantity", 250.0), ("Price", 400.0)],
        &[("Desk", 50.0), ("2", 260.0), ("100,00", 400.0)],
        &[("Coffee", 50.0), ("3", 260.0), ("10,00", 400.0)],
        &[("Subtotal", 300.0), ("230,00", 400.0)],
        &[("VAT 21%", 300.0), ("48,30", 400.0)],
        &[("Total", 300.0), ("278,30", 400.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    let got: Vec<(String, String)> = inv
        .lines
        .iter()
        .map(|l| (l.unit_price.as_ref().map(ToString::to_string).unwrap_or_default(), l.line_total.to_string()))
        .collect();
    assert_eq!(got, [("100.00".into(), "200.00".into()), ("10.00".into(), "30.00".into())]);
    assert_eq!(inv.line_total.unwrap().confidence, pct(90));
}

#[test]
fn lines_with_the_shipping_correct_a_subtotal_of_the_goods() {
    let d = doc(&[
        &[("Product", 50.0), ("Quantity", 250.0), ("Price", 400.0)],
        &[("Desk", 50.0), ("1", 260.0), ("100,00", 400.0)],
        &[("Coffee", 50.0), ("1", 260.0), ("50,00", 400.0)],
        &[("Subtotal", 300.0), ("150,00", 400.0)],
        &[("Shipping", 300.0), ("10,00", 400.0)],
        &[("VAT 21%", 300.0), ("23,10", 400.0)],
        &[("VAT 6%", 300.0), ("3,00", 400.0)],
        &[("Total", 300.0), ("186,10", 400.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.lines.len(), 3);
    assert_eq!(inv.subtotal.unwrap().value, BigDecimal::from(160));
    assert_eq!(inv.line_total.unwrap().confidence, pct(90));
}

#[test]
fn lines_printed_as_blocks_of_labelled_values() {
    let d = doc(&[
        &[("Rechnungspositionen", 50.0)],
        &[("Position 1", 50.0)],
        &[("Artikelname:", 50.0), ("Seminar", 250.0)],
        &[("Menge:", 50.0), ("5", 250.0)],
        &[("Preis pro Einheit (netto):", 50.0), ("1.340,00", 250.0)],
        &[("Umsatzsteuersatz in %:", 50.0), ("19", 250.0)],
        &[("Gesamtpreis (netto):", 50.0), ("6.700,00", 250.0)],
        &[("Position 2", 50.0)],
        &[("Artikelname:", 50.0), ("Raumkosten", 250.0)],
        &[("Gesamtpreis (netto):", 50.0), ("1.500,00", 250.0)],
        &[("Gesamtbeträge der Rechnung", 50.0)],
        &[("Gesamtsumme netto:", 50.0), ("8.200,00", 250.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    let got: Vec<(&str, String)> =
        inv.lines.iter().map(|l| (l.description.as_str(), l.line_total.to_string())).collect();
    assert_eq!(got, [("Seminar", "6700.00".into()), ("Raumkosten", "1500.00".into())]);
    assert_eq!(inv.lines[0].quantity, Some(BigDecimal::from(5)));
    assert_eq!(inv.lines[0].vat_rate, Some(BigDecimal::from(19)));
    assert_eq!(inv.line_total.unwrap().confidence, pct(90));
}

#[test]
fn a_number_cut_at_a_dash_by_its_column_runs_on_below() {
    let d = doc(&[
        &[("RECHNUNG", 50.0)],
        &[("Willow Systems UG", 50.0), ("Rechnungsnummer:WC-2025-", 380.0)],
        &[("Bahnhofstr. 98", 50.0), ("07237", 460.0)],
        &[("Rechnungsdatum: 10. Mai 2025", 380.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.invoice_number.unwrap().value, "WC-2025-07237");
}

#[test]
fn an_item_named_shipping_something_is_no_shipping_line() {
    let d = doc(&[
        &[("Beschrijving", 50.0), ("Aantal", 250.0), ("Bedrag", 400.0)],
        &[("Shipping materials", 50.0), ("10", 260.0), ("91,10", 400.0)],
        &[("Subtotaal", 300.0), ("91,10", 400.0)],
        &[("Verzending", 300.0), ("4,90", 400.0)],
        &[("Totaal excl. btw", 300.0), ("96,00", 400.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    let got: Vec<&str> = inv.lines.iter().map(|l| l.description.as_str()).collect();
    assert_eq!(got, ["Shipping materials", "Verzending"]);
}

#[test]
fn invoice_numbers() {
    assert_eq!(parse_invoice_number("INV-SO-2023-2812").as_deref(), Some("INV-SO-2023-2812"));
    assert_eq!(parse_invoice_number("# 2024/0012").as_deref(), Some("2024/0012"));
    assert_eq!(parse_invoice_number("Date"), None);
    assert_eq!(parse_invoice_number("01/04/2023"), None);
    assert_eq!(parse_invoice_number("1.234,56"), None);
    assert_eq!(parse_invoice_number("00.123.456.7-2018-1").as_deref(), Some("00.123.456.7-2018-1"));
}

#[test]
fn a_header_row_set_as_one_cell_gives_each_label_its_value() {
    // LibreOffice sets the header cells of a table closer than a cell gap: one cell of labels.
    let d = doc(&[
        &[("Factuurnummer", 50.0), ("Factuurdatum", 123.0), ("Vervaldatum", 191.0), ("Uw referentie", 254.0)],
        &[("2025008982", 50.0), ("11-03-2025", 123.0), ("10-04-2025", 191.0), ("PO-40485", 254.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.invoice_number.unwrap().value, "2025008982");
    assert_eq!(inv.issue_date.unwrap().value.to_string(), "2025-03-11");
    assert_eq!(inv.due_date.unwrap().value.to_string(), "2025-04-10");
}

#[test]
fn the_date_of_a_direct_debit_is_the_due_date() {
    let d = doc(&[
        &[("Factuurnummer: 590362266511", 50.0)],
        &[("Factuurdatum: 04/09/2025", 50.0)],
        &[("Te betalen bedrag", 50.0), ("1.674,30 EUR", 300.0)],
        &[("Dit bedrag wordt via domiciliëring op 18/09/2025 van uw rekening BE71 0018 6092 2869 gedebiteerd.", 50.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.due_date.unwrap().value.to_string(), "2025-09-18");
}

/// A bill dated 01/03/2026 whose only due date is in its direct-debit note `note`.
fn debit_due(note: &str) -> String {
    let d = doc(&[
        &[("Factuurnummer: 590362266511", 50.0)],
        &[("Factuurdatum: 01/03/2026", 50.0)],
        &[("Te betalen bedrag", 50.0), ("1.674,30 EUR", 300.0)],
        &[(note, 50.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    inv.due_date.map(|d| d.value.to_string()).unwrap_or_default()
}

#[test]
fn the_debit_date_is_the_collection_date_not_the_mandates() {
    // The mandate's date after the collection date, in brackets or its own clause.
    assert_eq!(
        debit_due("Wij innen het bedrag op 15-03-2026 via domiciliëring (mandaat van 01-02-2019)."),
        "2026-03-15"
    );
    assert_eq!(debit_due("Prélèvement SEPA le 12/04/2026, mandat n° BE-4471 du 03/05/2020."), "2026-04-12");
    assert_eq!(
        debit_due(
            "Wir buchen den Betrag am 20.03.2026 per SEPA-Lastschrift ab (Mandatsreferenz M-123, erteilt am 01.02.2019)."
        ),
        "2026-03-20"
    );
    assert_eq!(
        debit_due("Collected by direct debit on 25/03/2026 under mandate reference GB-77 signed on 14/06/2021."),
        "2026-03-25"
    );
    // The mandate's date first, the collection date after it.
    assert_eq!(
        debit_due("Mandaat 2019-114 van 01-02-2019: wij innen het bedrag via domiciliëring op 18-03-2026."),
        "2026-03-18"
    );
    assert_eq!(debit_due("Lastschrift (Mandat M-1 vom 01.02.2019) am 16.03.2026 von Ihrem Konto."), "2026-03-16");
    assert_eq!(debit_due("Prélèvement (mandat du 03/05/2020) effectué le 12/04/2026."), "2026-04-12");
    // A mandate date alone is no due date; nor is any date before the issue date.
    assert_eq!(debit_due("Domiciliëring volgens mandaat van 01-02-2019."), "");
    assert_eq!(debit_due("Direct debit set up on 01/02/2019; we collect on 19/03/2026."), "2026-03-19");
    // No printed issue date: a date guessed from the page (here a later one) does not rule the
    // collection date out.
    let d = doc(&[
        &[("Verbruik tot 31/03/2026", 50.0)],
        &[("Te betalen bedrag", 50.0), ("74,30 EUR", 300.0)],
        &[("Wij innen het bedrag via domiciliëring op 15/03/2026.", 50.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.due_date.map(|d| d.value.to_string()).as_deref(), Some("2026-03-15"));
}

#[test]
fn a_settlement_in_the_customers_favour_is_a_credit_note_for_the_balance() {
    let d = doc(&[
        &[("Afrekeningsfactuur", 50.0)],
        &[("Totaal excl. btw", 50.0), ("743,80 EUR", 300.0)],
        &[("Btw 21%", 50.0), ("156,20 EUR", 300.0)],
        &[("Totaal incl. btw", 50.0), ("900,00 EUR", 300.0)],
        &[("Reeds aangerekende voorschotten", 50.0), ("-1.100,00 EUR", 300.0)],
        &[("Terug te betalen door ons", 50.0), ("200,00 EUR", 300.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.kind.unwrap().value, DocumentKind::CreditNote);
    assert_eq!(inv.total.unwrap().value, BigDecimal::from(200));
    assert_eq!(inv.amount_due.unwrap().value, BigDecimal::from(200));
    assert!(inv.subtotal.is_none() && inv.vat_amount.is_none());
    // With a balance to pay it stays an invoice for the period, the advances paid.
    let d = doc(&[
        &[("Totaal excl. btw", 50.0), ("743,80 EUR", 300.0)],
        &[("Btw 21%", 50.0), ("156,20 EUR", 300.0)],
        &[("Totaal incl. btw", 50.0), ("900,00 EUR", 300.0)],
        &[("Reeds aangerekende voorschotten", 50.0), ("-700,00 EUR", 300.0)],
        &[("Saldo te betalen", 50.0), ("200,00 EUR", 300.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.kind.unwrap().value, DocumentKind::Invoice);
    assert_eq!(inv.total.unwrap().value, BigDecimal::from(900));
    assert_eq!(inv.amount_due.unwrap().value, BigDecimal::from(200));
}

#[test]
fn an_exempt_premium_has_no_vat_and_its_net_amount_is_its_total() {
    let d = doc(&[
        &[("Notanummer: 2025/652177", 50.0)],
        &[("Nettopremie", 50.0), ("2.476,22 EUR", 300.0)],
        &[("Taks 9,25%", 50.0), ("229,05 EUR", 300.0)],
        &[("Totaal te betalen", 50.0), ("2.705,27 EUR", 300.0)],
        &[("Vrijgesteld van btw (art. 44 §3, 4° W.btw)", 50.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.invoice_number.unwrap().value, "2025/652177");
    assert_eq!(inv.vat_amount.unwrap().value, BigDecimal::from(0));
    assert_eq!(inv.subtotal.unwrap().value, BigDecimal::from_str("2705.27").unwrap());
    assert_eq!(inv.total.unwrap().value, BigDecimal::from_str("2705.27").unwrap());
}

#[test]
fn a_previous_balance_carried_into_the_total_to_pay_is_not_this_bills_due() {
    let d = doc(&[
        &[("Vorig saldo", 50.0), ("80,00 EUR", 300.0)],
        &[("Ontvangen betalingen", 50.0), ("0,00 EUR", 300.0)],
        &[("Deze factuur", 50.0), ("121,00 EUR", 300.0)],
        &[("Totaal te betalen", 50.0), ("201,00 EUR", 300.0)],
        &[("Totaal excl. btw", 50.0), ("100,00 EUR", 300.0)],
        &[("Btw 21%", 50.0), ("21,00 EUR", 300.0)],
        &[("Totaal incl. btw", 50.0), ("121,00 EUR", 300.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.total.unwrap().value, BigDecimal::from(121));
    assert_eq!(inv.amount_due.unwrap().value, BigDecimal::from(121));
}

#[test]
fn a_year_and_sequence_set_apart_by_a_slash_are_one_number() {
    assert_eq!(parse_invoice_number("2025 / 3119").as_deref(), Some("2025 / 3119"));
    assert_eq!(parse_invoice_number("2025/3119").as_deref(), Some("2025/3119"));
    assert_eq!(parse_invoice_number("2025 / Gent").as_deref(), Some("2025"));
}

#[test]
fn total_tva_comprise_is_the_total() {
    let d = doc(&[
        &[("Total hors TVA", 50.0), ("8 124,58 €", 300.0)],
        &[("TVA 21%", 50.0), ("1 706,16 €", 300.0)],
        &[("Total TVA comprise", 50.0), ("9 830,74 €", 300.0)],
        &[("Acomptes déjà facturés", 50.0), ("-8 110,41 €", 300.0)],
        &[("Solde à payer", 50.0), ("1 720,33 €", 300.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.total.unwrap().value, BigDecimal::from_str("9830.74").unwrap());
    assert_eq!(inv.amount_due.unwrap().value, BigDecimal::from_str("1720.33").unwrap());
}

#[test]
fn the_date_in_the_title_beats_a_generic_date_column() {
    // A call detail on the next page heads its column "Date"; the bill's date is in its title.
    let d = doc(&[
        &[("Facture T20249548088 du 05/06/2024", 50.0)],
        &[("Total à payer", 50.0), ("536,91 €", 300.0)],
        &[("Date", 50.0), ("Numéro", 150.0), ("Durée", 300.0)],
        &[("18/05/2024", 50.0), ("+32 486 71 15 47", 150.0), ("6:21", 300.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.issue_date.unwrap().value.to_string(), "2024-06-05");
    // A title without a date keeps the labelled one.
    let d = doc(&[&[("Invoice 687-1304726 of Acme", 50.0)], &[("Date:", 50.0), ("18/05/2024", 150.0)]]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.issue_date.unwrap().value.to_string(), "2024-05-18");
}

#[test]
fn a_header_row_with_a_label_ending_in_a_dot_gives_each_label_its_value() {
    // pdfmake sets table cells one em apart; "Gutschrift Nr." ends in a dot before the next label.
    let d = doc(&[
        &[
            ("Gutschrift Nr.", 40.0),
            ("Rechnungsdatum", 115.5),
            ("Kundennummer", 193.5),
            ("Zahlbar bis", 261.5),
            ("Ihre Bestellung", 326.5),
        ],
        &[("CN-2024-032", 40.0), ("26.07.2024", 115.5), ("65472", 193.5), ("25.08.2024", 261.5), ("ORD759262", 326.5)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.invoice_number.unwrap().value, "CN-2024-032");
    assert_eq!(inv.issue_date.unwrap().value.to_string(), "2024-07-26");
    assert_eq!(inv.due_date.unwrap().value.to_string(), "2024-08-25");
}

#[test]
fn a_title_wrapped_after_its_number_label_keeps_its_number() {
    // Typst sets "Handelsrechnung Nr. F24-3332 vom 23.01.2024" right-aligned in half the
    // page: the number starts the next line, left of the label.
    let d = doc(&[
        &[("ATLAS", 45.0), ("Handelsrechnung Nr.", 366.0)],
        &[("F24-3332 vom 23.01.2024", 315.0)],
        &[("Orion Works AG", 45.0)],
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.invoice_number.unwrap().value, "F24-3332");
}

#[test]
fn a_refund_sentence_in_the_footer_makes_no_credit_note() {
    let totals: &[&[(&str, f32)]] = &[
        &[("Rechnung Nr. 2024-102", 50.0)],
        &[("Rechnungsdatum: 04.03.2024", 50.0)],
        &[("Summe netto", 50.0), ("100,00 EUR", 300.0)],
        &[("MwSt. 19 %", 50.0), ("19,00 EUR", 300.0)],
        &[("Gesamtbetrag", 50.0), ("119,00 EUR", 300.0)],
    ];
    for footer in [
        "Guthaben werden mit der nächsten Rechnung verrechnet, Beträge ab 10,00 EUR erstattet.",
        "Credit balance refunds are processed within 14 days; balances under 5.00 EUR are carried forward.",
        "Terug te betalen bedragen boven 2,50 EUR worden binnen 14 dagen op uw rekening gestort.",
    ] {
        let mut lines = totals.to_vec();
        lines.push(&[("Vielen Dank für Ihren Auftrag.", 50.0)]);
        let foot: &[(&str, f32)] = &[(footer, 50.0)];
        lines.push(foot);
        let inv = extract_fields(&doc(&lines), &OwnParty::default(), Date::MIN);
        assert_eq!(inv.kind.unwrap().value, DocumentKind::Invoice, "{footer}");
        assert_eq!(inv.total.unwrap().value, BigDecimal::from(119), "{footer}");
        assert_eq!(inv.vat_amount.unwrap().value, BigDecimal::from(19), "{footer}");
    }
    // The balance in the customer's favour on the line of its amount still is one.
    let mut lines = totals.to_vec();
    lines.push(&[("Bereits berechnete Abschläge", 50.0), ("-300,00 EUR", 300.0)]);
    lines.push(&[("Guthaben zu Ihren Gunsten", 50.0), ("181,00 EUR", 300.0)]);
    let inv = extract_fields(&doc(&lines), &OwnParty::default(), Date::MIN);
    assert_eq!(inv.kind.unwrap().value, DocumentKind::CreditNote);
    assert_eq!(inv.total.unwrap().value, BigDecimal::from(181));
    // And over it.
    let mut lines = totals.to_vec();
    lines.push(&[("Bereits berechnete Abschläge", 50.0), ("-300,00 EUR", 300.0)]);
    lines.push(&[("Guthaben zu Ihren Gunsten", 50.0)]);
    lines.push(&[("181,00 EUR", 50.0)]);
    let inv = extract_fields(&doc(&lines), &OwnParty::default(), Date::MIN);
    assert_eq!(inv.kind.unwrap().value, DocumentKind::CreditNote);
    assert_eq!(inv.total.unwrap().value, BigDecimal::from(181));
}

#[test]
fn a_credit_note_word_makes_a_credit_note_as_a_title_not_in_a_sentence() {
    let kind = |first: &str| {
        let d = doc(&[
            &[(first, 50.0)],
            &[("Nummer: 2024-17", 50.0)],
            &[("Datum: 04.03.2024", 50.0)],
            &[("Gesamtbetrag", 50.0), ("119,00 EUR", 300.0)],
        ]);
        extract_fields(&d, &OwnParty::default(), Date::MIN).kind.unwrap().value
    };
    assert_eq!(kind("Gutschrift"), DocumentKind::CreditNote);
    assert_eq!(kind("Gutschrift Nr. 2024-17 zur Rechnung 2024-102"), DocumentKind::CreditNote);
    assert_eq!(kind("Credit note CN-12 for invoice INV-2024-0102"), DocumentKind::CreditNote);
    assert_eq!(kind("Gutschriften werden innerhalb von 14 Tagen ausgezahlt."), DocumentKind::Invoice);
    assert_eq!(kind("Credit note requests must reach us within 30 days of delivery."), DocumentKind::Invoice);
}

#[test]
fn a_vat_exemption_counts_at_the_totals_not_in_a_footer() {
    let premium: &[&[(&str, f32)]] = &[
        &[("Vervaldagbericht", 50.0)],
        &[("Documentnummer: 2024/11873", 50.0)],
        &[("Nettopremie", 50.0), ("412,50 EUR", 300.0)],
        &[("Taks 9,25%", 50.0), ("38,16 EUR", 300.0)],
        &[("Totaal te betalen", 50.0), ("450,66 EUR", 300.0)],
    ];
    // Under the totals: no VAT, the net amount is the total.
    let mut lines = premium.to_vec();
    lines.push(&[("Vrijgesteld van btw (art. 44 §3, 4° W.btw)", 50.0)]);
    let inv = extract_fields(&doc(&lines), &OwnParty::default(), Date::MIN);
    assert_eq!(inv.vat_amount.unwrap().value, BigDecimal::from(0));
    assert_eq!(inv.subtotal.unwrap().value, BigDecimal::from_str("450.66").unwrap());
    // On a totals line.
    let mut lines = premium.to_vec();
    lines.insert(4, &[("Btw: vrijgesteld van btw", 50.0), ("0,00 EUR", 300.0)]);
    let inv = extract_fields(&doc(&lines), &OwnParty::default(), Date::MIN);
    assert_eq!(inv.vat_amount.unwrap().value, BigDecimal::from(0));
    // A footer sentence far from the totals says nothing about this document.
    let mut lines = premium.to_vec();
    lines.extend_from_slice(&[
        &[("Gelieve te betalen voor 15/03/2024.", 50.0)],
        &[("Met vriendelijke groeten,", 50.0)],
        &[("Uw verzekeraar", 50.0)],
        &[("Voorwaarden", 50.0)],
        &[("Prestaties vrijgesteld van btw zijn gemerkt met *.", 50.0)],
    ]);
    let inv = extract_fields(&doc(&lines), &OwnParty::default(), Date::MIN);
    assert!(inv.vat_amount.is_none());
    assert_eq!(inv.total.unwrap().value, BigDecimal::from_str("450.66").unwrap());
}

#[test]
fn longest_label_wins_at_word_boundaries() {
    assert_eq!(super::labels::match_label("invoice number"), Some((Kind::InvoiceNumber, 14)));
    assert_eq!(super::labels::match_label("invoice date"), Some((Kind::IssueDate, 12)));
    assert_eq!(super::labels::match_label("total excl. vat 12,00"), Some((Kind::Subtotal, 15)));
    assert_eq!(super::labels::match_label("factuurdatum: 1/2/2024").map(|l| l.0), Some(Kind::IssueDate));
    assert_eq!(super::labels::match_label("totaal te betalen").map(|l| l.0), Some(Kind::Due));
    assert_eq!(super::labels::match_label("datumx"), None);
    assert_eq!(super::labels::match_label("btw-nummer be0662").map(|l| l.0), Some(Kind::VatId));
    // Longer labels of other things that start with a party or total label.
    assert_eq!(super::labels::match_label("buyer reference: 123").map(|l| l.0), Some(Kind::Other));
    assert_eq!(super::labels::match_label("handelsrechnung (380) nr. 47110819"), Some((Kind::InvoiceNumber, 24)));
    assert_eq!(super::labels::match_label("kauferreferenz: 123").map(|l| l.0), Some(Kind::Other));
    assert_eq!(super::labels::match_label("gesamtsumme ohne umsatzsteuer").map(|l| l.0), Some(Kind::Subtotal));
    assert_eq!(super::labels::match_label("invoice total vat amount").map(|l| l.0), Some(Kind::Vat));
    assert_eq!(super::labels::match_label("summe aller positionen").map(|l| l.0), Some(Kind::Other));
    assert_eq!(super::labels::match_label("gesamtsumme netto 1.234,00"), Some((Kind::Subtotal, 17)));
    assert_eq!(super::labels::match_label("gesamtsumme brutto").map(|l| l.0), Some(Kind::Total));
    assert_eq!(super::labels::match_label("zzgl. umsatzsteuer 19 % auf 64,40").map(|l| l.0), Some(Kind::Vat));
    assert_eq!(super::labels::match_label("zzgl. versandkosten").map(|l| l.0), Some(Kind::Other));
    assert_eq!(super::labels::match_label("abzgl. nachlass").map(|l| l.0), Some(Kind::Other));
    assert_eq!(super::labels::match_label("acheteur_bc001"), None);
    // A tax named by its code: "VAT21 (21%)"; not a word that starts like one.
    assert_eq!(super::labels::match_label("vat21 (21%)"), Some((Kind::Vat, 5)));
    assert_eq!(super::labels::match_label("vatican"), None);
    // A heading over a customer's numbers names nobody.
    assert_eq!(super::labels::match_label("uw gegevens").map(|l| l.0), Some(Kind::Other));
}
