//! Unit tests of kinds first seen in the invoices of an ERP (`corpus/lino.py`, Lino Così): a VAT
//! summary closed by a "Totals" row, the company named with its address and commas in the page
//! footer, courtesy titles before a buyer's name, "Date of payment" as the due date and a terms
//! label whose value is a date.

use super::style_tests::{Cells, doc_sized};
use super::tests::{decimal as amount, read_lines as read, text_of as text, value_of as value};
use super::*;

fn day(f: &Option<Extracted<Date>>) -> Option<String> {
    f.as_ref().map(|e| e.value.to_string())
}

/// An invoice as Lino prints it: the recipient top right, the lines, a VAT summary with a row
/// per rate, and the company's name and address in the footer, read by `own`.
fn lino_invoice(recipient: &str, own: &[&str]) -> ExtractedInvoice {
    let recipient_row = [(recipient, 330.0)];
    let top: Vec<(f32, f32, Cells<'_>)> = vec![
        (800.0, 10.0, &[("Recipient:", 330.0)]),
        (786.0, 10.0, &recipient_row),
        (772.0, 10.0, &[("avenue John F. Kennedy 47", 330.0)]),
        (758.0, 10.0, &[("L-2226 Luxembourg", 330.0)]),
        (700.0, 10.0, &[("Date: 20 April 2026", 400.0)]),
        (670.0, 12.0, &[("Invoice 1/2026", 50.0)]),
        (640.0, 10.0, &[("Designation", 50.0), ("Quantity", 200.0), ("Unit price", 280.0), ("Price excl. VAT", 380.0)]),
        (626.0, 10.0, &[("Laptop stand", 50.0), ("1,50", 200.0), ("383,00", 280.0), ("574,50", 380.0)]),
        (612.0, 10.0, &[("Office chairs", 50.0), ("2,50", 200.0), ("43,00", 280.0), ("107,50", 380.0)]),
        (
            580.0,
            10.0,
            &[("Due date : 19/06/2026", 50.0), ("VAT", 300.0), ("Total excl.", 380.0), ("Total incl.", 480.0)],
        ),
        (566.0, 10.0, &[("category", 300.0), ("VAT", 380.0), ("VAT", 430.0), ("VAT", 480.0)]),
        (552.0, 10.0, &[("S (9%)", 300.0), ("574,50", 380.0), ("51,71", 430.0), ("626,21", 480.0)]),
        (538.0, 10.0, &[("S (21%)", 300.0), ("107,50", 380.0), ("22,58", 430.0), ("130,08", 480.0)]),
        (524.0, 10.0, &[("Totals", 300.0), ("682,00", 380.0), ("74,29", 430.0), ("756,29", 480.0)]),
        (60.0, 8.0, &[("Atlas Systems B.V., Lange Voorhout 97, 3011 AD Rotterdam", 50.0), ("Invoice 1/2026", 480.0)]),
        (50.0, 8.0, &[("Page 1 of 1", 480.0)]),
    ];
    let own = OwnParty { names: own.iter().map(|s| s.to_string()).collect(), ..OwnParty::default() };
    extract_fields(&doc_sized(&top), &own, Date::MIN)
}

#[test]
fn a_vat_summary_closed_by_a_totals_row_gives_the_documents_amounts() {
    let inv = lino_invoice("Mr Bram Becker", &[]);
    assert_eq!(value(&inv.subtotal), amount("682.00"));
    assert_eq!(value(&inv.vat_amount), amount("74.29"));
    assert_eq!(value(&inv.total), amount("756.29"));
    // German: "Summen".
    let inv = read(&[
        &[("Rechnung 400/2024", 50.0)],
        &[("MwSt.", 300.0), ("Total ohne MwSt.", 380.0), ("Total inkl. MwSt.", 480.0)],
        &[("S (17%)", 300.0), ("92,00 15,64", 380.0), ("107,64", 480.0)],
        &[("S (3%)", 300.0), ("6 320,62 189,62", 380.0), ("6 510,24", 480.0)],
        &[("Summen", 300.0), ("6 412,62 205,26", 380.0), ("6 617,88", 480.0)],
    ]);
    assert_eq!(value(&inv.subtotal), amount("6412.62"));
    assert_eq!(value(&inv.total), amount("6617.88"));
    // Under a total labelled on its own, a VAT summary's "Totaal" row is a part: a hotel's
    // leaves out the city tax.
    let inv = read(&[
        &[("Factuur", 50.0)],
        &[("Datum", 50.0), ("Omschrijving", 150.0), ("Btw", 350.0), ("Bedrag", 450.0)],
        &[("28/11/2024", 50.0), ("Overnachting Kamer 154", 150.0), ("9%", 350.0), ("€ 89,00", 450.0)],
        &[("28/11/2024", 50.0), ("Stadstaks (3 x 2,50)", 150.0), ("–", 350.0), ("€ 7,50", 450.0)],
        &[("Totaal", 150.0), ("€ 96,50", 450.0)],
        &[("Btw %", 50.0), ("Basis", 150.0), ("Btw", 250.0), ("Totaal", 350.0)],
        &[("9%", 50.0), ("€ 81,65", 150.0), ("€ 7,35", 250.0), ("€ 89,00", 350.0)],
        &[("Totaal", 50.0), ("€ 81,65", 150.0), ("€ 7,35", 250.0), ("€ 89,00", 350.0)],
    ]);
    assert_eq!(value(&inv.total), amount("96.50"));
}

#[test]
fn the_company_named_with_commas_in_the_footer_is_the_seller_even_when_it_is_us() {
    let inv = lino_invoice("Mr Bram Becker", &["Bram Becker"]);
    assert_eq!(text(&inv.seller.name), Some("Atlas Systems B.V."));
    assert_eq!(text(&inv.buyer.name), Some("Bram Becker"));
    // Read by the seller itself.
    let inv = lino_invoice("Mr Bram Becker", &["Atlas Systems B.V."]);
    assert_eq!(inv.seller.name.map(|n| n.value).as_deref(), Some("Atlas Systems B.V."));
    assert_eq!(inv.buyer.name.map(|n| n.value).as_deref(), Some("Bram Becker"));
}

#[test]
fn a_courtesy_title_is_no_part_of_a_persons_name() {
    for (printed, name) in [
        ("Mme Sofie Laurent", "Sofie Laurent"),
        ("M. Bram Lambert", "Bram Lambert"),
        ("Mevr. Anna van Dijk", "Anna van Dijk"),
        // German titles stay, as e-invoices name the buyer; before one word, or a company, any
        // title stays.
        ("Herrn Thomas Jansen", "Herrn Thomas Jansen"),
        ("Mr Jansen", "Mr Jansen"),
        ("Mr Cooper Ltd", "Mr Cooper Ltd"),
    ] {
        let inv = lino_invoice(printed, &[]);
        assert_eq!(inv.buyer.name.map(|n| n.value).as_deref(), Some(name), "{printed}");
    }
}

#[test]
fn the_date_of_payment_and_a_dated_payment_target_are_the_due_date() {
    let inv = read(&[
        &[("Kortrijk, 6 February 2025", 350.0)],
        &[("Product", 50.0), ("Description", 150.0), ("Qty", 300.0), ("Amount", 400.0)],
        &[("Consulting", 50.0), ("Consulting", 150.0), ("1", 300.0), ("28,50", 400.0)],
        &[("Total excl. VAT", 300.0), ("28.50", 450.0)],
        &[("Date of payment : 16/02/2025", 50.0)],
        &[("Payment terms : Payment ten days after invoice date", 50.0)],
    ]);
    assert_eq!(day(&inv.issue_date).as_deref(), Some("2025-02-06"));
    assert_eq!(day(&inv.due_date).as_deref(), Some("2025-02-16"));
    let inv = read(&[
        &[("Datum: 24. September 2026", 350.0)],
        &[("Rechnung 17/2026", 50.0)],
        &[("Zahlungsziel : 24.10.26", 50.0), ("Total ohne MwSt.", 300.0), ("3 630,63", 450.0)],
        &[("Zahlungsbedingungen : Zahlung 30 Tage nach Rechnungsdatum", 50.0)],
    ]);
    assert_eq!(day(&inv.due_date).as_deref(), Some("2026-10-24"));
}

#[test]
fn two_unlabelled_address_blocks_the_one_in_the_datelines_town_is_the_sender() {
    let letter = |dateline: &'static str| {
        read(&[
            &[(dateline, 380.0)],
            &[("Vector Bouw SA", 50.0)],
            &[("Bijlokevest 168", 50.0), ("Rivier Partners SRL", 250.0)],
            &[("3000 Leuven", 50.0), ("Meir 151", 250.0)],
            &[("4000 Liège", 250.0)],
            &[("Product", 50.0), ("Description", 150.0), ("Qty", 300.0), ("Amount", 400.0)],
            &[("Consulting", 50.0), ("Consulting", 150.0), ("1", 300.0), ("28,50", 400.0)],
            &[("Total excl. VAT", 300.0), ("28.50", 450.0)],
        ])
    };
    let inv = letter("Leuven, 1 April 2024");
    assert_eq!(text(&inv.seller.name), Some("Vector Bouw SA"));
    assert_eq!(text(&inv.buyer.name), Some("Rivier Partners SRL"));
    let inv = letter("Liège, le 1 avril 2024");
    assert_eq!(text(&inv.seller.name), Some("Rivier Partners SRL"));
    assert_eq!(text(&inv.buyer.name), Some("Vector Bouw SA"));
}

#[test]
fn a_legal_form_wrapped_after_its_ampersand_is_one_name() {
    let inv = read(&[
        &[("Berlin, 18 augustus 2024", 380.0)],
        &[("Nimbus Media GmbH &", 50.0)],
        &[("Co. KG", 50.0), ("Kobalt Services V.O.F.", 250.0)],
        &[("Bahnhofstraße 136", 50.0), ("Hoofdstraat 49", 250.0)],
        &[("10115 Berlin", 50.0), ("5611 EM Eindhoven", 250.0)],
        &[("Product", 50.0), ("Description", 150.0), ("Qty", 300.0), ("Amount", 400.0)],
        &[("Consulting", 50.0), ("Consulting", 150.0), ("1", 300.0), ("28,50", 400.0)],
        &[("Total excl. VAT", 300.0), ("28.50", 450.0)],
    ]);
    assert_eq!(text(&inv.seller.name), Some("Nimbus Media GmbH & Co. KG"));
}
