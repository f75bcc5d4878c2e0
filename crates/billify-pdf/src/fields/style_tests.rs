//! Unit tests of the field reader on the layouts of German and French invoicing software and
//! ERP prints (see `corpus/styles.py`), one per kind of layout or label.

use super::*;
use std::str::FromStr;

use bigdecimal::BigDecimal;

/// The cells of a line: `(text, x)`.
pub(super) type Cells<'a> = &'a [(&'a str, f32)];

/// A page of lines (`(text, x)` cells, words 5 pt wide per character at 10 pt), 14 pt apart.
fn doc(lines: &[&[(&str, f32)]]) -> TextDocument {
    let placed: Vec<(f32, &[(&str, f32)])> =
        lines.iter().enumerate().map(|(i, words)| (800.0 - 14.0 * i as f32, *words)).collect();
    doc_at(&placed)
}

/// A page of lines at the given heights.
fn doc_at(lines: &[(f32, &[(&str, f32)])]) -> TextDocument {
    let sized: Vec<(f32, f32, Cells<'_>)> = lines.iter().map(|&(y, words)| (y, 10.0, words)).collect();
    doc_sized(&sized)
}

/// A page of lines at the given heights and type sizes (words half an em wide per character).
pub(super) fn doc_sized(lines: &[(f32, f32, Cells<'_>)]) -> TextDocument {
    use crate::{TextLine, TextPage, TextWord};
    let lines = lines
        .iter()
        .map(|&(y, size, words)| {
            let words = words
                .iter()
                .flat_map(|(text, x)| {
                    let mut x = *x;
                    text.split(' ')
                        .map(|w| {
                            let width = 0.5 * size * w.chars().count() as f32;
                            let word = TextWord { text: w.into(), x, y, width, font_size: size };
                            x += width + 0.25 * size;
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

fn read(lines: &[&[(&str, f32)]]) -> ExtractedInvoice {
    extract_fields(&doc(lines), &OwnParty::default(), Date::MIN)
}

fn dec(s: &str) -> BigDecimal {
    BigDecimal::from_str(s).unwrap_or_default()
}

#[test]
fn a_letterhead_address_line_is_no_party_and_the_sender_line_names_the_seller() {
    let inv = read(&[
        &[("Bei Spiel GmbH", 400.0)],
        &[("Ecke 12 · 12345 Stadthausen · Tel. +49 17 8545763", 330.0)],
        &[],
        &[("Bei Spiel GmbH · Ecke 12 · 12345 Stadthausen", 50.0), ("Rechnungsnummer", 380.0), ("RE-2017/505", 480.0)],
        &[("Theodor Est", 50.0)],
        &[("Bahnstr. 42", 50.0), ("Rechnungsdatum", 380.0), ("09.05.2017", 480.0)],
        &[("88802 Spielkreis", 50.0)],
    ]);
    assert_eq!(inv.seller.name.map(|n| n.value).as_deref(), Some("Bei Spiel GmbH"));
    assert_eq!(inv.buyer.name.map(|n| n.value).as_deref(), Some("Theodor Est"));
    assert_eq!(inv.invoice_number.map(|n| n.value).as_deref(), Some("RE-2017/505"));
}

#[test]
fn a_party_label_with_a_bracketed_note_takes_the_name_below() {
    let inv = read(&[
        &[("FACTURE", 50.0)],
        &[("Numéro de facture :", 50.0), ("F124212", 170.0)],
        &[],
        &[("FOURNISSEUR", 50.0), ("DESTINATAIRE (STRUCTURE PUBLIQUE)", 300.0)],
        &[("Raison sociale : Au bon moulin", 50.0), ("Raison sociale : Ma jolie boutique SARL", 300.0)],
        &[("1242 chemin de l'olive", 50.0), ("35 rue de la République", 300.0)],
        &[("84340 Malaucène", 50.0), ("69001 Lyon", 300.0)],
    ]);
    assert_eq!(inv.seller.name.map(|n| n.value).as_deref(), Some("Au bon moulin"));
    assert_eq!(inv.buyer.name.map(|n| n.value).as_deref(), Some("Ma jolie boutique SARL"));
}

#[test]
fn a_tax_table_with_a_row_per_rate_is_closed_by_its_sum_row() {
    let inv = read(&[
        &[("RECHNUNG", 50.0)],
        &[
            ("St", 50.0),
            ("Warenwert", 100.0),
            ("Nettobetrag", 200.0),
            ("MwSt-%", 290.0),
            ("MwSt-Betrag", 350.0),
            ("Endbetrag", 470.0),
        ],
        &[("1", 50.0), ("160,00", 120.0), ("160,00", 220.0), ("7", 310.0), ("11,20", 370.0)],
        &[("2", 50.0), ("336,00", 120.0), ("336,00", 220.0), ("19", 305.0), ("63,84", 370.0)],
        &[("496,00", 120.0), ("496,00", 220.0), ("75,04", 370.0), ("571,04 EUR", 470.0)],
    ]);
    assert_eq!(inv.subtotal.map(|a| a.value), Some(dec("496.00")));
    assert_eq!(inv.vat_amount.map(|a| a.value), Some(dec("75.04")));
    assert_eq!(inv.total.map(|a| a.value), Some(dec("571.04")));
    assert_eq!(inv.amount_due.map(|a| a.value), Some(dec("571.04")));
}

#[test]
fn a_tax_table_ends_before_the_prepaid_lines_under_it() {
    let inv = read(&[
        &[
            ("St", 50.0),
            ("Warenwert", 100.0),
            ("Nettobetrag", 200.0),
            ("MwSt-%", 290.0),
            ("MwSt-Betrag", 350.0),
            ("Endbetrag", 470.0),
        ],
        &[("1", 50.0), ("15.387,08", 105.0), ("15.387,08", 205.0), ("19", 305.0), ("2.923,55", 355.0)],
        &[("15.387,08", 105.0), ("15.387,08", 205.0), ("2.923,55", 355.0), ("18.310,63 EUR", 460.0)],
        &[("./. Anzahlung", 340.0), ("17.808,00", 470.0)],
        &[("Restbetrag", 340.0), ("502,63 EUR", 470.0)],
    ]);
    assert_eq!(inv.subtotal.map(|a| a.value), Some(dec("15387.08")));
    assert_eq!(inv.total.map(|a| a.value), Some(dec("18310.63")));
    assert_eq!(inv.prepaid.map(|a| a.value), Some(dec("17808.00")));
    assert_eq!(inv.amount_due.map(|a| a.value), Some(dec("502.63")));
}

fn due(lines: &[&[(&str, f32)]]) -> Option<String> {
    read(lines).due_date.map(|d| d.value.to_string())
}

#[test]
fn the_due_date_is_the_net_term_not_the_cash_discounts() {
    let issue = [("Rechnungsdatum", 50.0), ("05.03.2018", 200.0)];
    // The days of a discount clause before the net term.
    assert_eq!(
        due(&[&issue, &[("Zahlungsbedingung: 2 % Skonto innerhalb 10 Tagen, 30 Tage netto", 50.0)]]).as_deref(),
        Some("2018-04-04")
    );
    // The date of a discount named after it.
    let text =
        "Bei Zahlung bis zum 15.03.2018 gewähren wir 3 % Skonto (15,90 EUR), ohne Abzug zahlbar bis zum 04.04.2018.";
    assert_eq!(due(&[&issue, &[(text, 50.0)]]).as_deref(), Some("2018-04-04"));
    // The same, wrapped after the discount's date, or before it.
    let wrapped: [&[(&str, f32)]; 3] = [
        &issue,
        &[("Bei Zahlung bis zum 15.03.2018 gewähren wir 3 %", 50.0)],
        &[("Skonto (15,90 EUR), ohne Abzug zahlbar bis zum 04.04.2018.", 50.0)],
    ];
    assert_eq!(due(&wrapped).as_deref(), Some("2018-04-04"));
    let wrapped: [&[(&str, f32)]; 3] = [
        &issue,
        &[("Zahlungsbedingungen: 3 % Skonto bei Zahlung", 50.0)],
        &[("bis zum 15.03.2018, ohne Abzug bis zum 04.04.2018.", 50.0)],
    ];
    assert_eq!(due(&wrapped).as_deref(), Some("2018-04-04"));
    // "Fälligkeit netto:" labels the due date; two-digit years.
    assert_eq!(
        due(&[
            &issue,
            &[("Zahlungsbedingung: 3 % Skonto innerhalb 10 Tagen", 50.0)],
            &[("Fälligkeit netto: 04.04.18", 50.0)]
        ])
        .as_deref(),
        Some("2018-04-04")
    );
    // A transfer asked for by a date.
    assert_eq!(
        due(&[&issue, &[("Bitte überweisen Sie den Rechnungsbetrag bis zum 16.03.2018.", 50.0)]]).as_deref(),
        Some("2018-03-16")
    );
    assert_eq!(
        due(&[&issue, &[("Merci de régler par virement avant le 16/03/2018.", 50.0)]]).as_deref(),
        Some("2018-03-16")
    );
    // The date wrapped after its "bis zum".
    assert_eq!(
        due(&[
            &issue,
            &[("3 % Skonto bis zum 15.03.2018, ohne Abzug zahlbar bis zum", 50.0)],
            &[("04.04.2018.", 50.0)]
        ])
        .as_deref(),
        Some("2018-04-04")
    );
    // A sentence about payment wrapped before its date.
    assert_eq!(
        due(&[
            &issue,
            &[("Die Zahlung ist monatlich fällig. Bitte überweisen Sie den", 50.0)],
            &[("Rechnungsbetrag bis zum 1. April 2018.", 50.0)]
        ])
        .as_deref(),
        Some("2018-04-01")
    );
}

fn number(lines: &[&[(&str, f32)]]) -> Option<String> {
    read(lines).invoice_number.map(|n| n.value)
}

#[test]
fn credit_note_and_compound_titles_and_labels_give_the_number() {
    let inv = read(&[&[("Rechnungskorrektur TOSL108", 50.0)], &[("Rechnungsdatum", 50.0), ("15.12.2009", 200.0)]]);
    assert_eq!(inv.invoice_number.map(|n| n.value).as_deref(), Some("TOSL108"));
    assert_eq!(inv.kind.map(|k| k.value), Some(DocumentKind::CreditNote));
    assert_eq!(number(&[&[("Rechnungskorrektur Nr. TOSL108", 50.0)]]).as_deref(), Some("TOSL108"));
    assert_eq!(number(&[&[("Belegnr.", 50.0), ("TOSL108", 200.0)]]).as_deref(), Some("TOSL108"));
    assert_eq!(
        number(&[&[("Gutschrift-Nr.", 50.0), ("Kunden-Nr.", 200.0)], &[("TOSL108", 50.0), ("83885", 200.0)]])
            .as_deref(),
        Some("TOSL108")
    );
    assert_eq!(
        number(&[&[("Versicherungsrechnung 00.123.456.7-2018-1", 50.0)]]).as_deref(),
        Some("00.123.456.7-2018-1")
    );
    assert_eq!(number(&[&[("Nebenkostenabrechnung 2024", 50.0)]]), None);
}

#[test]
fn a_number_wrapped_in_its_column_runs_on_past_a_line_of_another_column() {
    let page = doc_at(&[
        (768.0, &[("Facture n°", 400.0), ("00.123.456.7-", 470.0)]),
        (764.0, &[("Versicherungsverein", 50.0)]),
        (757.0, &[("2018-1", 470.0)]),
    ]);
    let inv = extract_fields(&page, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.invoice_number.map(|n| n.value).as_deref(), Some("00.123.456.7-2018-1"));
    // The label wrapped like its number: "Facture" / "n°".
    let page = doc_at(&[
        (768.0, &[("Facture", 400.0), ("00.123.456.7-", 470.0)]),
        (758.0, &[("n°", 400.0), ("2018-1", 470.0)]),
    ]);
    let inv = extract_fields(&page, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.invoice_number.map(|n| n.value).as_deref(), Some("00.123.456.7-2018-1"));
}

#[test]
fn a_bank_named_under_the_bank_details_label_is_no_party() {
    let inv = read(&[
        &[("Rechnung Nr. 4711", 50.0)],
        &[("Rechnungsdatum", 50.0), ("18.04.2018", 200.0)],
        &[("Gesamtbetrag", 300.0), ("1.163,40 €", 450.0)],
        &[],
        &[("MVM Musterhafter", 50.0), ("Tel. +49 70 1866878", 180.0), ("Bankverbindung", 430.0)],
        &[("Versicherungsverein", 50.0), ("USt-IdNr. DE136695976", 180.0), ("Commerzbank AG", 430.0)],
        &[("Musterstr. 12", 50.0), ("IBAN DE88 2008 0000 0970 3757 00", 430.0)],
    ]);
    assert_ne!(inv.seller.name.map(|n| n.value).as_deref(), Some("Commerzbank AG"));
    assert_eq!(inv.seller.iban.map(|i| i.value.as_str().to_string()).as_deref(), Some("DE88200800000970375700"));
}

#[test]
fn a_name_wrapped_before_its_legal_form_is_one_name() {
    let inv = read(&[
        &[("FOURNISSEUR", 50.0), ("DESTINATAIRE", 420.0)],
        &[("Raison sociale : MVM Musterhafter Verein", 50.0), ("Raison sociale : Kunden AG", 420.0)],
        &[("Musterstadt a.G.", 50.0), ("Kundenstraße 15", 420.0)],
        &[("Musterstr. 12", 50.0), ("69876 Frankfurt", 420.0)],
        &[("12345 Musterstadt", 50.0)],
    ]);
    assert_eq!(inv.seller.name.map(|n| n.value).as_deref(), Some("MVM Musterhafter Verein Musterstadt a.G."));
    assert_eq!(inv.buyer.name.map(|n| n.value).as_deref(), Some("Kunden AG"));
}

#[test]
fn a_sender_line_wrapped_after_a_separator_names_the_seller_not_the_buyer() {
    let inv = read(&[
        &[("MVM Versicherungsverein a.G. · Musterstr. 12 ·", 50.0)],
        &[("12345 Musterstadt", 50.0), ("Rechnungsnr.", 380.0), ("4711", 480.0)],
        &[("Herrn Max Mustermann", 50.0)],
        &[("Musterstr. 11", 50.0), ("Datum", 380.0), ("18.04.2018", 480.0)],
        &[("12346 Bad Musterhausen", 50.0)],
    ]);
    assert_eq!(inv.seller.name.map(|n| n.value).as_deref(), Some("MVM Versicherungsverein a.G."));
    assert_eq!(inv.buyer.name.map(|n| n.value).as_deref(), Some("Herrn Max Mustermann"));
}

#[test]
fn a_bank_over_its_account_details_is_no_party() {
    let lines: [&[(&str, f32)]; 8] = [
        &[("Rechnung", 50.0)],
        &[("Rechnungsnummer", 50.0), ("4711", 200.0)],
        &[("Gesamtbetrag", 300.0), ("1.163,40 €", 450.0)],
        &[],
        &[("Lieferant GmbH", 50.0), ("Geschäftsführer: Hans Muster", 200.0), ("Commerzbank AG", 400.0)],
        &[
            ("Lieferantenstraße 20", 50.0),
            ("USt-IdNr.: DE136695976", 200.0),
            ("IBAN: DE88 2008 0000 0970 3757 00", 400.0),
        ],
        &[("80333 München", 50.0), ("Steuernummer: 118/558/84075", 200.0), ("BIC: COBADEFFXXX", 400.0)],
        &[("Kunden AG · Sparkasse KölnBonn · IBAN DE88 2008 0000 0970 3757 00 · BIC COLSDE33XXX", 50.0)],
    ];
    let inv = read(&lines[..7]);
    assert_eq!(inv.seller.name.map(|n| n.value).as_deref(), Some("Lieferant GmbH"));
    assert_eq!(inv.buyer.name, None);
    assert_eq!(inv.seller.iban.map(|i| i.value.as_str().to_string()).as_deref(), Some("DE88200800000970375700"));
    let inv = read(&[
        lines[0],
        lines[1],
        lines[2],
        &[("Sparkasse KölnBonn · IBAN DE88 2008 0000 0970 3757 00 · BIC COLSDE33XXX", 50.0)],
    ]);
    assert_eq!(inv.seller.name, None);
    assert_eq!(inv.buyer.name, None);
    assert_eq!(inv.seller.iban.map(|i| i.value.as_str().to_string()).as_deref(), Some("DE88200800000970375700"));
}

#[test]
fn a_labelled_value_in_a_footer_or_a_box_is_no_party_name() {
    let inv = read(&[
        &[("FACTURE", 50.0)],
        &[("N° Facture", 50.0), ("F-2024-12", 200.0)],
        &[],
        &[("Le Fournisseur SARL", 50.0)],
        &[("1 rue du Fournisseur", 50.0)],
        &[("SIRET : 301 806 939 66587", 50.0)],
        &[],
        &[],
        &[("Geschäftsführer: Hans Muster", 300.0)],
        &[("Musterstraße 5", 300.0)],
    ]);
    assert_eq!(inv.seller.name.map(|n| n.value).as_deref(), Some("Le Fournisseur SARL"));
    assert_eq!(inv.buyer.name, None);
}

#[test]
fn an_erp_table_with_abbreviated_price_headers_gives_its_lines() {
    let inv = read(&[
        &[
            ("Pos", 50.0),
            ("Art.-Nr.", 75.0),
            ("Bezeichnung", 130.0),
            ("Menge", 330.0),
            ("ME", 365.0),
            ("E-Preis", 420.0),
            ("G-Preis", 490.0),
            ("St", 545.0),
        ],
        &[
            ("1", 50.0),
            ("KR3M", 75.0),
            ("Kunstrasen grün", 130.0),
            ("3", 350.0),
            ("Stk", 365.0),
            ("3,33", 430.0),
            ("10,00", 500.0),
            ("2", 545.0),
        ],
        &[
            ("2", 50.0),
            ("SFK5", 75.0),
            ("Schweinesteak", 130.0),
            ("5", 350.0),
            ("kg", 365.0),
            ("5,50", 430.0),
            ("27,50", 500.0),
            ("1", 545.0),
        ],
        &[("Nettobetrag", 400.0), ("37,50", 500.0)],
    ]);
    let amounts: Vec<BigDecimal> = inv.lines.iter().map(|l| l.line_total.clone()).collect();
    assert_eq!(amounts, [dec("10.00"), dec("27.50")]);
}

#[test]
fn an_iban_wrapped_after_its_check_digits_runs_on_the_next_line() {
    let inv = read(&[
        &[("Rechnung", 50.0)],
        &[("Rechnungsnummer", 50.0), ("4711", 200.0)],
        &[("Lieferant GmbH · Lieferantenstraße 20 · 80333 München · Sparkasse KölnBonn · IBAN FR20", 50.0)],
        &[("1254 2547 2569 8542 5874 698 · BIC COLSDE33XXX", 50.0)],
    ]);
    assert_eq!(inv.seller.iban.map(|i| i.value.as_str().to_string()).as_deref(), Some("FR2012542547256985425874698"));
}

#[test]
fn the_rest_of_a_wrapped_footer_line_starts_no_party() {
    let inv = read(&[
        &[("Rechnung", 50.0)],
        &[("Rechnungsnummer", 50.0), ("4711", 200.0)],
        &[("Kunden AG Mitte", 50.0)],
        &[("Kundenstraße 15", 50.0)],
        &[("69876 Frankfurt", 50.0)],
        &[],
        &[("Lieferant GmbH · Lieferantenstraße 20 · 80333 München · USt-IdNr. DE136695976 · Crédit", 50.0)],
        &[("Agricole · IBAN DE88 2008 0000 0970 3757 00 · BIC AGRIFRPPXXX", 50.0)],
    ]);
    assert_eq!(inv.seller.name.map(|n| n.value).as_deref(), Some("Lieferant GmbH"));
    assert_eq!(inv.buyer.name.map(|n| n.value).as_deref(), Some("Kunden AG Mitte"));
    assert_eq!(inv.seller.iban.map(|i| i.value.as_str().to_string()).as_deref(), Some("DE88200800000970375700"));
}

#[test]
fn a_value_wrapped_around_its_vertically_centred_label() {
    let page = doc_at(&[
        (768.4, &[("Numéro :", 370.0), ("TOSL108", 463.0)]),
        (754.9, &[("15 décembre", 463.0)]),
        (749.7, &[("Date de facture :", 370.0)]),
        (744.4, &[("2009", 463.0)]),
        (730.9, &[("12 décembre", 463.0)]),
        (725.7, &[("Date de livraison :", 370.0)]),
        (720.4, &[("2009", 463.0)]),
    ]);
    let inv = extract_fields(&page, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.issue_date.map(|d| d.value.to_string()).as_deref(), Some("2009-12-15"));
}

#[test]
fn a_letterhead_that_starts_with_a_party_word_is_a_name() {
    let page = doc_sized(&[
        (790.0, 20.0, &[("SUPPLIER DIRECT", 300.0)]),
        (760.0, 8.0, &[("Supplier Direct SARL · 35 rue d'ici · 75018 Paris", 50.0)]),
        (740.0, 10.0, &[("Le Client", 50.0), ("Facture n°", 350.0), ("F2022-24", 420.0)]),
        (726.0, 10.0, &[("58 rue de la mer", 50.0), ("Date", 350.0), ("31/01/2022", 420.0)]),
        (712.0, 10.0, &[("06000 Nice", 50.0)]),
        (680.0, 10.0, &[("Total HT", 350.0), ("100,00", 450.0)]),
        (666.0, 10.0, &[("TVA 20 %", 350.0), ("20,00", 450.0)]),
        (652.0, 10.0, &[("Total TTC", 350.0), ("120,00", 450.0)]),
    ]);
    let inv = extract_fields(&page, &OwnParty::default(), Date::MIN);
    assert_ne!(inv.seller.name.map(|n| n.value).as_deref(), Some("DIRECT"));
    assert_eq!(inv.buyer.name.map(|n| n.value).as_deref(), Some("Le Client"));
}
