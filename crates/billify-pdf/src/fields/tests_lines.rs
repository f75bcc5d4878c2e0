//! Unit tests of tables of lines whose header the reader does not know, read from their sum
//! (`lines_summed.rs`), and of amount columns headed only by their VAT basis ("Excl. btw", "HT",
//! "TVAC"), first seen in `corpus/vendors.py`'s app-store, notary, energy and ride invoices.

use super::tests::{decimal as amount, read_lines as read, value_of as value};
use super::*;

/// Where a one-word cell starts so that it ends at `edge` (5 pt per character, see
/// [`super::tests::doc`]): right-aligned amounts.
fn right(text: &str, edge: f32) -> (&str, f32) {
    (text, edge - 5.0 * text.chars().count() as f32)
}

fn amounts(inv: &ExtractedInvoice) -> Vec<String> {
    inv.lines.iter().map(|l| l.line_total.to_string()).collect()
}

#[test]
fn rows_under_an_unknown_header_that_add_up_to_the_total() {
    // A commission statement: dates and figures before each row's amount, the header repeated
    // after a page footer, and the rows' sum printed as the total.
    let inv = read(&[
        &[
            ("Reservation", 50.0),
            ("Guest name", 120.0),
            ("Arrival", 220.0),
            ("Room sales", 330.0),
            right("Commission", 500.0),
        ],
        &[("4481520344", 50.0), ("J. García", 120.0), ("2024-06-23", 220.0), ("243.48", 330.0), right("41.39", 500.0)],
        &[("4957889296", 50.0), ("A. Müller", 120.0), ("2024-06-18", 220.0), ("164.01", 330.0), right("27.88", 500.0)],
        &[("Page 1 of 2", 250.0)],
        &[
            ("Reservation", 50.0),
            ("Guest name", 120.0),
            ("Arrival", 220.0),
            ("Room sales", 330.0),
            right("Commission", 500.0),
        ],
        &[("4448420820", 50.0), ("P. Dupont", 120.0), ("2024-06-15", 220.0), ("435.87", 330.0), right("74.10", 500.0)],
        &[("Total commission", 300.0), right("EUR 143.37", 500.0)],
        &[("VAT reverse charged", 300.0), right("EUR 0.00", 500.0)],
        &[("Total due", 300.0), right("EUR 143.37", 500.0)],
    ]);
    assert_eq!(amounts(&inv), ["41.39", "27.88", "74.10"]);
    assert_eq!(inv.lines[2].description, "4448420820 P. Dupont 2024-06-15 435.87");
}

#[test]
fn rows_that_do_not_add_up_are_no_lines() {
    let inv = read(&[
        &[("Invoice", 50.0)],
        &[("Deposit received 12 May", 50.0), right("€40.00", 500.0)],
        &[("Late fee", 50.0), right("€5.00", 500.0)],
        &[("Subtotal", 350.0), right("€124.97", 500.0)],
        &[("VAT charged at 20%", 350.0), right("€25.00", 500.0)],
        &[("TOTAL", 350.0), right("€149.97", 500.0)],
    ]);
    assert!(inv.lines.is_empty(), "{:?}", amounts(&inv));
    // Nor is a row whose amount stands out of the column of the rows under it.
    let inv = read(&[
        &[("Commission for June", 50.0)],
        &[("4885588567", 50.0), ("S. Dupont", 150.0), right("100,00", 400.0)],
        &[("4994957442", 50.0), ("A. Jansen", 150.0), right("200,00", 500.0)],
        &[("Totaal commissie", 350.0), right("300,00 €", 500.0)],
    ]);
    assert!(inv.lines.is_empty(), "{:?}", amounts(&inv));
    // Nor a VAT breakdown's row and a labelled sum over the totals, which add up to the total;
    // nor a deposit's amount.
    let inv = read(&[
        &[("Line", 50.0), ("Item name", 100.0), ("Quantity", 250.0), ("Line net amount", 420.0)],
        &[("VAT rate", 50.0), ("Taxable amount", 250.0), ("VAT amount", 420.0)],
        &[("20%", 50.0), ("100.00", 250.0), right("20.00", 500.0)],
        &[("Sum of invoice line net amount", 300.0), right("100.00", 500.0)],
        &[("Invoice total amount without VAT", 300.0), right("100.00", 500.0)],
        &[("Invoice total VAT amount", 300.0), right("20.00", 500.0)],
        &[("Invoice total amount with VAT", 300.0), right("120.00", 500.0)],
    ]);
    assert!(inv.lines.is_empty(), "{:?}", amounts(&inv));
    let inv = read(&[
        &[("Désignation", 50.0), ("Qté", 200.0), ("Montant HT", 420.0)],
        &[("Frais de port", 300.0), right("10,00 €", 500.0)],
        &[("Total HT", 300.0), right("100,00 €", 500.0)],
        &[("TVA 10.00 %", 300.0), right("10,00 €", 500.0)],
        &[("Total TTC", 300.0), right("110,00 €", 500.0)],
        &[("Acompte versé", 300.0), right("-10,00 €", 500.0)],
        &[("Net à payer", 300.0), right("100,00 €", 500.0)],
    ]);
    assert!(inv.lines.is_empty(), "{:?}", amounts(&inv));
}

#[test]
fn a_statement_in_groups_with_totals_of_their_own() {
    // A notary's statement: fees subject to VAT, then disbursements under their own total; the
    // advance received is not a line.
    let inv = read(&[
        &[("Staat van kosten en erelonen", 50.0)],
        &[("Onderworpen aan btw", 50.0), right("Bedrag", 500.0)],
        &[("Ereloon akte: oprichting vennootschap", 50.0), right("1.048,76 €", 500.0)],
        &[("Schrijfkosten en kosten van het dossier", 50.0), right("294,19 €", 500.0)],
        &[("Opzoekingen en formaliteiten", 50.0), right("65,85 €", 500.0)],
        &[("Totaal excl. btw", 330.0), right("1.408,80 €", 500.0)],
        &[("Btw 21%", 330.0), right("295,85 €", 500.0)],
        &[("Niet onderworpen aan btw (voorgeschoten kosten)", 50.0), right("Bedrag", 500.0)],
        &[("Registratierechten", 50.0), right("50,00 €", 500.0)],
        &[("Publicatie Belgisch Staatsblad", 50.0), right("189,89 €", 500.0)],
        &[("Totaal voorgeschoten kosten", 330.0), right("239,89 €", 500.0)],
        &[("Totaal", 330.0), right("1.944,54 €", 500.0)],
        &[("Ontvangen provisie", 330.0), right("-944,54 €", 500.0)],
        &[("Te betalen", 330.0), right("1.000,00 €", 500.0)],
    ]);
    assert_eq!(amounts(&inv), ["1048.76", "294.19", "65.85", "50.00", "189.89"]);
    assert_eq!(value(&inv.subtotal), amount("1408.80"));
}

#[test]
fn amount_columns_headed_by_their_vat_basis() {
    let inv = read(&[
        &[("Voorschotfactuur", 50.0)],
        &[("Omschrijving", 50.0), ("Aansluiting", 170.0), ("Excl. btw", 330.0), ("Btw", 400.0), ("Incl. btw", 450.0)],
        &[
            ("Voorschot elektriciteit", 50.0),
            ("EAN 871945076657303688", 170.0),
            ("€ 62,81", 330.0),
            ("21%", 400.0),
            ("€ 76,00", 450.0),
        ],
        &[("Totaal excl. btw", 330.0), ("€ 62,81", 450.0)],
        &[("Btw 21%", 330.0), ("€ 13,19", 450.0)],
        &[("Totaal te betalen", 330.0), ("€ 76,00", 450.0)],
    ]);
    assert_eq!(amounts(&inv), ["62.81"]);
    let inv = read(&[
        &[("Facture", 50.0)],
        &[("Description", 50.0), ("HTVA", 300.0), ("TVA", 380.0), ("TVAC", 450.0)],
        &[("Acompte électricité", 50.0), ("346,93 €", 300.0), ("21%", 380.0), ("419,79 €", 450.0)],
        &[("Acompte gaz naturel", 50.0), ("247,98 €", 300.0), ("21%", 380.0), ("300,06 €", 450.0)],
        &[("Total HTVA", 330.0), ("594,91 €", 450.0)],
        &[("TVA 21 %", 330.0), ("124,93 €", 450.0)],
        &[("Total à payer", 330.0), ("719,84 €", 450.0)],
    ]);
    assert_eq!(amounts(&inv), ["346.93", "247.98"]);
    assert_eq!(inv.line_total.as_ref().map(|t| t.confidence), Some(pct(90)));
}

#[test]
fn a_header_whose_price_columns_wrapped_over_the_line_above() {
    // LibreOffice's table with wrapped header cells, bottom-aligned: the price and amount
    // headers stand on the line over the description's.
    let inv = read(&[
        &[("Invoice no. FR54182496", 50.0)],
        &[("Unit price excl.", 380.0), ("Total excl.", 460.0)],
        &[("Description", 50.0), ("Period", 250.0), ("Qty", 330.0)],
        &[("VAT", 400.0), ("VAT", 470.0)],
        &[("VPS Comfort 4 vCore 8 Go", 50.0), ("1", 330.0), ("€17.71", 400.0), ("€17.71", 470.0)],
        &[("Domain name .be - renewal", 50.0), ("2", 330.0), ("€9.85", 400.0), ("€19.70", 470.0)],
        &[("Total excl. VAT", 50.0), ("€37.41", 150.0)],
    ]);
    assert_eq!(amounts(&inv), ["17.71", "19.70"]);
    assert_eq!(inv.lines[1].unit_price, amount("9.85"));
    assert_eq!(inv.lines[1].quantity, amount("2"));
}

#[test]
fn a_vat_basis_set_a_word_space_before_the_next_header_qualifies_it() {
    // "Nettó" / "egységár" as two cells (a browser's text runs) a word space apart: a net unit
    // price, not an amount column headed "Nettó" beside a unit price column.
    use crate::{TextDocument, TextLine, TextPage, TextWord};
    let word = |text: &str, x: f32, y: f32, size: f32| TextWord {
        text: text.into(),
        x,
        y,
        width: 0.5 * size * text.chars().count() as f32,
        font_size: size,
    };
    let line = |y: f32, words: &[(&str, f32, f32)]| TextLine {
        y,
        words: words.iter().map(|&(t, x, size)| word(t, x, y, size)).collect(),
    };
    let lines = vec![
        line(800.0, &[("Számla", 50.0, 10.0)]),
        // "Nettó" ends at 325; "egységár", set larger, starts 9 pt later: two cells.
        line(
            780.0,
            &[
                ("Megnevezés", 50.0, 10.0),
                ("Mennyiség", 200.0, 10.0),
                ("Nettó", 300.0, 10.0),
                ("egységár", 334.0, 13.5),
                ("Nettó", 450.0, 10.0),
                ("érték", 478.0, 10.0),
            ],
        ),
        line(
            766.0,
            &[("Nyomtatás", 50.0, 10.0), ("24", 200.0, 10.0), ("65800,00", 334.0, 10.0), ("1579200,00", 450.0, 10.0)],
        ),
        line(740.0, &[("Nettó", 300.0, 10.0), ("összesen", 328.0, 10.0), ("1579200,00", 450.0, 10.0)]),
    ];
    let doc = TextDocument { pages: vec![TextPage { number: 1, width: 595.0, height: 842.0, lines }] };
    let inv = extract_fields(&doc, &OwnParty::default(), Date::MIN);
    assert_eq!(amounts(&inv), ["1579200.00"]);
    assert_eq!(inv.lines[0].unit_price, amount("65800.00"));
    assert_eq!(inv.lines[0].quantity, amount("24"));
}
