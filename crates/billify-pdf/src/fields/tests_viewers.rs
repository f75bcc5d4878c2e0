//! Unit tests of kinds first seen on the official ZUGFeRD/Factur-X examples as the "Visualisierung
//! eRechnung" viewer prints them (`corpus/real/truth-einvoices.json`): each party as a section of
//! label/value rows under its heading, a payee that is not the seller, amounts printed as the XML
//! holds them ("285", not "285,00"), headlines naming the document type and its code, and
//! a few kinds seen beside them in the same batch of real documents (a colon inside a number,
//! German labels spelt without umlauts, a Spanish template's totals, a paid invoice's total).

use super::tests::{decimal as amount, read_lines as read, text_of as text, value_of as value};
use super::*;
use billify_ports::intake::ExtractedParty;

fn name(p: &ExtractedParty) -> Option<&str> {
    text(&p.name)
}

/// The viewer's header and party sections, `payee` adding a deviating payee's section.
fn sections(title: &str, payee: bool) -> Vec<Vec<(&str, f32)>> {
    let mut rows = vec![
        vec![(title, 66.0)],
        vec![("Währung:", 66.0), ("EUR", 305.0)],
        vec![],
        vec![("Verkäufer", 66.0)],
        vec![("Nummer:", 66.0), ("549910", 305.0)],
        vec![("Name:", 66.0), ("Lieferant GmbH & Co. KG", 305.0)],
        vec![("Anschrift:", 66.0), ("Lieferantenstraße 20", 305.0)],
        vec![("DE 80333 München", 305.0)],
        vec![("Telefon:", 66.0), ("0160 123456789", 305.0)],
        vec![("E-Mail:", 66.0), ("georg@lieferant.de", 305.0)],
        vec![("Steuernummer:", 66.0), ("201/113/40209", 305.0)],
        vec![("USt.-Id.-Nr.:", 66.0), ("DE136695976", 305.0)],
        vec![],
        vec![("Käufer/Leistungsempfänger", 66.0)],
        vec![("Nummer:", 66.0), ("GE2020211", 305.0)],
        vec![("Name:", 66.0), ("Kunden AG Mitte", 305.0)],
        vec![("Anschrift:", 66.0), ("Kundenstraße 15", 305.0)],
        vec![("DE 69876 Frankfurt", 305.0)],
        vec![("Telefon:", 66.0), ("0043 22222233333", 305.0)],
        vec![("E-Mail:", 66.0), ("einkauf@kunde.at", 305.0)],
        vec![("USt.-Id.-Nr.:", 66.0), ("DE106008386", 305.0)],
        vec![],
    ];
    if payee {
        rows.extend([
            vec![("Abweichender Zahlungsempfänger", 66.0)],
            vec![("Nummer:", 66.0), ("4711", 305.0)],
            vec![("Name:", 66.0), ("Factoring GmbH", 305.0)],
            vec![],
            vec![("Zahlungsart", 66.0)],
            vec![("Kontoname :", 66.0), ("Factoring GmbH", 305.0)],
            vec![("IBAN :", 66.0), ("DE89 3704 0044 0532 0130 00", 305.0)],
        ]);
    }
    rows
}

/// The fields read from rows built as vectors.
fn read_rows(rows: &[Vec<(&str, f32)>]) -> ExtractedInvoice {
    let refs: Vec<&[(&str, f32)]> = rows.iter().map(Vec::as_slice).collect();
    read(&refs)
}

#[test]
fn each_partys_section_of_label_value_rows_names_its_role() {
    let inv = read_rows(&sections("Handelsrechnung (380) Nr. 471102 vom 20.02.2026", true));
    assert_eq!(name(&inv.seller), Some("Lieferant GmbH & Co. KG"));
    assert_eq!(name(&inv.buyer), Some("Kunden AG Mitte"));
    // The VAT numbers of the sections: the buyer's is printed under its heading.
    assert_eq!(inv.seller.vat_number.as_ref().map(|v| v.value.as_str()), Some("DE136695976"));
    assert_eq!(inv.buyer.vat_number.as_ref().map(|v| v.value.as_str()), Some("DE106008386"));
    // The payee a factor: it holds the account, it did not sell.
    assert_eq!(inv.seller.iban.as_ref().map(|i| i.value.as_str()), Some("DE89370400440532013000"));
}

#[test]
fn a_viewers_headline_names_the_document_type_and_its_code_before_the_number() {
    for (title, number) in [
        ("Rechnung des Versicherers (575) Nr. 01.234.567.8-2026-1 vom 06.03.2026", "01.234.567.8-2026-1"),
        ("Mietrechnung (387) Nr. 600700800900 vom 01.03.2026 - DAUER_MIETRECHNUNG", "600700800900"),
        ("Schlussrechnung Bau (877) Nr. 210113 vom 30.06.2025", "210113"),
        ("Commercial invoice (380) No. INV-2026-17 of 2026-03-01", "INV-2026-17"),
        ("Gutschrift (Selbst ausgestellte Rechnung) (389) Nr. 471102 vom 05.03.2026", "471102"),
    ] {
        let inv = read_rows(&sections(title, false));
        assert_eq!(text(&inv.invoice_number), Some(number), "{title}");
    }
    // A code in brackets after other words labels no number.
    let inv = read(&[&[("Lieferbedingungen (123) Nr. 55 der AGB", 66.0)]]);
    assert_eq!(text(&inv.invoice_number), None);
}

#[test]
fn an_amount_without_cents_reads_when_its_label_names_the_currency() {
    let totals = |vat: &'static str| -> Vec<Vec<(&'static str, f32)>> {
        vec![
            vec![("Belegsummen", 66.0)],
            vec![("Positionssumme", 250.0), ("1.500,00", 500.0)],
            vec![("Gesamtbetrag der Abschläge", 250.0), ("-0,00", 500.0)],
            vec![("Rechnungssumme ohne USt.", 250.0), ("1.500,00", 500.0)],
            vec![("Steuerbetrag in EUR", 250.0), (vat, 500.0)],
            vec![("Bruttosumme", 250.0), ("1.785,00", 500.0)],
            vec![("Erhaltene Anzahlungen", 250.0), ("0,00", 500.0)],
            vec![("Zahlbetrag", 250.0), ("1.785,00", 500.0)],
        ]
    };
    let rows = totals("285");
    let inv = read_rows(&rows);
    assert_eq!(value(&inv.subtotal), amount("1500.00"));
    assert_eq!(value(&inv.vat_amount), amount("285"));
    assert_eq!(value(&inv.total), amount("1785.00"));
    // A bare number beside a label naming no currency stays no amount.
    let inv = read(&[&[("Steuerbetrag", 250.0), ("285", 500.0)], &[("Bruttosumme", 250.0), ("1.785,00", 500.0)]]);
    assert_eq!(value(&inv.vat_amount), None);
}

#[test]
fn no_vat_is_charged_on_a_zero_net_amount() {
    // A zero-rated supply: the VAT printed as "0", a blank allowance line of 0,00.
    let inv = read(&[
        &[("Gesamtbetrag der Zuschläge", 250.0), ("0,00", 500.0)],
        &[("Rechnungssumme ohne USt.", 250.0), ("3.273,00", 500.0)],
        &[("Steuerbetrag in EUR", 250.0), ("0", 500.0)],
        &[("Bruttosumme", 250.0), ("3.273,00", 500.0)],
        &[("Umsatzsteuer (Z)", 66.0), ("3.273,00", 300.0), ("0", 400.0), ("0,00", 500.0)],
    ]);
    assert_eq!(value(&inv.subtotal), amount("3273.00"));
    assert_eq!(value(&inv.vat_amount), amount("0"));
    assert_eq!(value(&inv.total), amount("3273.00"));
}

#[test]
fn a_colon_inside_a_number_joins_it_and_a_time_is_no_number() {
    let inv = read(&[
        &[("Rechnungsnummer", 60.0), ("Datum", 400.0)],
        &[("2024:1337", 60.0), ("2024-01-04", 400.0)],
        &[("Rechnung", 200.0)],
    ]);
    assert_eq!(text(&inv.invoice_number), Some("2024:1337"));
    let inv = read(&[&[("Rechnungsnummer", 60.0), ("Uhrzeit", 400.0)], &[("14:30", 60.0), ("2024-01-04", 400.0)]]);
    assert_eq!(text(&inv.invoice_number), None);
}

#[test]
fn german_labels_spelt_without_umlauts_read_as_with_them() {
    for label in ["Faellig bis:", "Fällig bis:", "Fällig:"] {
        let inv = read(&[
            &[("RECHNUNG", 60.0)],
            &[("Rechnungsnummer: R-4471", 60.0)],
            &[("Rechnungsdatum: 28.04.2026", 60.0)],
            &[(label, 60.0), ("12.05.2026", 160.0)],
        ]);
        assert_eq!(inv.due_date.as_ref().map(|d| d.value.to_string()).as_deref(), Some("2026-05-12"), "{label}");
    }
    let inv = read(&[&[("Rechnungsempfaenger:", 60.0), ("Weber Consulting GmbH", 200.0)]]);
    assert_eq!(name(&inv.buyer), Some("Weber Consulting GmbH"));
}

#[test]
fn spanish_part_totals_tax_totals_and_balances_due() {
    // A Google Docs template's Spanish invoice (OCA's PDF-template import test file).
    let inv = read(&[
        &[("FACTURA", 60.0)],
        &[("INV/2024/00005", 60.0)],
        &[("COBRAR A", 60.0), ("ENVIE A", 300.0)],
        &[("Anita Oliver", 60.0), ("Anita Oliver", 300.0)],
        &[("4557 De Silva St", 60.0), ("4557 De Silva St", 300.0)],
        &[("DESCRIPCIÓN", 120.0), ("CANTIDAD", 300.0), ("PRECIO UNITARIO", 380.0), ("TOTAL", 500.0)],
        &[("Bolígrafo", 60.0), ("100", 300.0), ("1.20", 380.0), ("120.00", 500.0)],
        &[("TOTAL PARCIAL", 400.0), ("1419.00", 500.0)],
        &[("TASA DE IMPUESTO", 400.0), ("15,00%", 500.0)],
        &[("TOTAL IMPUESTOS", 400.0), ("302.00", 500.0)],
        &[("Saldo adeudado", 400.0), ("1721.00", 500.0)],
    ]);
    assert_eq!(value(&inv.subtotal), amount("1419.00"));
    assert_eq!(value(&inv.vat_amount), amount("302.00"));
    assert_eq!(value(&inv.total), amount("1721.00"));
    assert_eq!(value(&inv.amount_due), amount("1721.00"));
    assert_eq!(name(&inv.buyer), Some("Anita Oliver"));
}

#[test]
fn a_total_paid_with_vat_is_the_gross_total_not_a_payment() {
    let inv = read(&[
        &[("Total without VAT", 300.0), ("43 EUR", 450.0)],
        &[("VAT Rate", 300.0), ("20%", 450.0)],
        &[("VAT Paid", 300.0), ("8.6 EUR", 450.0)],
        &[("Total paid with VAT", 300.0), ("51.6 EUR", 450.0)],
    ]);
    assert_eq!(value(&inv.subtotal), amount("43"));
    assert_eq!(value(&inv.total), amount("51.6"));
}

#[test]
fn a_name_row_under_a_party_heading_is_a_name_whatever_it_looks_like() {
    let inv = read(&[
        &[("Handelsrechnung (380) Nr. 123 vom 03.06.2026", 66.0)],
        &[],
        &[("Verkäufer", 66.0)],
        &[("Nummer:", 66.0), ("22 00 0 001 00001", 305.0)],
        &[("Name:", 66.0), ("Test company", 305.0)],
        &[("Anschrift:", 66.0), ("teststr", 305.0)],
        &[("DE 55232 teststadt", 305.0)],
        &[],
        &[("Käufer/Leistungsempfänger", 66.0)],
        &[("Name:", 66.0), ("Franz Müller", 305.0)],
        &[("Anschrift:", 66.0), ("teststr.12", 305.0)],
        &[],
        &[("Zahlungsart", 66.0)],
        &[("IBAN :", 66.0), ("DE89 3704 0044 0532 0130 00", 305.0)],
        &[("BIC :", 66.0), ("COBADEFFXXX", 305.0)],
    ]);
    assert_eq!(name(&inv.seller), Some("Test company"));
    assert_eq!(name(&inv.buyer), Some("Franz Müller"));
}

#[test]
fn a_letters_own_reference_is_the_number_when_nothing_else_is() {
    let reference_line = |ours: &'static str| -> Vec<Vec<(&'static str, f32)>> {
        vec![
            vec![("Kobalt Systems AG", 60.0)],
            vec![("Your letter of", 60.0), ("Your reference", 200.0), ("Our reference", 320.0), ("Date", 420.0)],
            vec![(ours, 320.0), ("9th October 2025", 420.0)],
            vec![("invoice", 60.0)],
            vec![("Total", 300.0), ("EUR 113.00", 450.0)],
        ]
    };
    let rows = reference_line("INV-20257540");
    let inv = read_rows(&rows);
    assert_eq!(text(&inv.invoice_number), Some("INV-20257540"));
    assert!(inv.invoice_number.as_ref().is_some_and(|n| n.confidence.as_percent() < 50));
    // A printed invoice number wins over it.
    let mut rows = reference_line("KS/2025/17");
    rows.insert(4, vec![("Invoice number: 2025-0042", 60.0)]);
    assert_eq!(text(&read_rows(&rows).invoice_number), Some("2025-0042"));
}

#[test]
fn the_kosit_visualisations_totals_and_party_sections() {
    // Its PDF labels the amounts without and with VAT alike; sums of allowances, charges and
    // third-party payments stand between.
    let inv = read(&[
        &[("Informationen zum Käufer", 50.0), ("Informationen zum Verkäufer", 330.0)],
        &[("Name:", 50.0), ("Kunden AG Mitte", 150.0), ("Firmenname:", 330.0), ("Lieferant GmbH", 430.0)],
        &[
            ("Adresszeile 1:", 50.0),
            ("Kundenstraße 15", 150.0),
            ("Adresszeile 1:", 330.0),
            ("Lieferantenstraße 20", 430.0),
        ],
        &[("Rechnungsdaten", 50.0)],
        &[("Rechnungsnummer:", 50.0), ("471102", 150.0), ("Rechnungsart:", 330.0), ("380", 430.0)],
        &[("Gesamtbeträge der Rechnung", 50.0)],
        &[("Summe aller Positionen", 50.0), ("198,00", 480.0)],
        &[("Summe Nachlässe", 50.0), ("0,00", 480.0)],
        &[("Summe Zuschläge", 50.0), ("0,00", 480.0)],
        &[("Gesamtsumme", 50.0), ("198,00", 480.0)],
        &[("Summe Umsatzsteuer", 50.0), ("37,62", 480.0)],
        &[("Gesamtsumme", 50.0), ("235,62", 480.0)],
        &[("Summe Fremdforderungen", 50.0), ("0,00", 480.0)],
        &[("Fälliger Betrag", 50.0), ("235,62", 480.0)],
    ]);
    assert_eq!(value(&inv.subtotal), amount("198.00"));
    assert_eq!(value(&inv.total), amount("235.62"));
    assert_eq!(text(&inv.seller.name), Some("Lieferant GmbH"));
    assert_eq!(text(&inv.buyer.name), Some("Kunden AG Mitte"));
    // The buyer's reference on the row under its heading is no name.
    let inv = read(&[
        &[("Informationen zum Käufer", 50.0)],
        &[("Käuferreferenz:", 50.0), ("SERVEXEC", 150.0), ("PLZ:", 330.0), ("06000", 430.0)],
        &[("Name:", 50.0), ("LE CLIENT", 150.0), ("Ort:", 330.0), ("MA VILLE", 430.0)],
        &[("Informationen zum Verkäufer", 50.0)],
        &[("Firmenname:", 50.0), ("LE FOURNISSEUR", 150.0)],
        &[("Rechnungsnummer:", 50.0), ("F20260023", 150.0)],
        &[("Gesamtsumme", 50.0), ("104,90", 480.0)],
    ]);
    assert_eq!(text(&inv.buyer.name), Some("LE CLIENT"));
    assert_eq!(text(&inv.seller.name), Some("LE FOURNISSEUR"));
}

#[test]
fn the_kosit_visualisations_line_blocks() {
    // "Position:  1" opens a block of sub-headings and label/value rows, some without colons.
    let position =
        |n: &'static str, qty: &'static str, price: &'static str, total: &'static str, name: &'static str| {
            vec![
                vec![("Position:", 50.0), (n, 150.0), ("Freitext:", 330.0), ("Wir erlauben uns", 430.0)],
                vec![("Preiseinzelheiten", 50.0)],
                vec![("Menge", 50.0), (qty, 280.0), ("Listenpreis (netto):", 330.0), (price, 430.0)],
                vec![("Einheit", 50.0), ("H87", 280.0)],
                vec![("Umsatzsteuer:", 330.0), ("S", 430.0)],
                vec![("Preis pro Einheit (netto)", 50.0), (price, 280.0)],
                vec![("Gesamtpreis (netto)", 50.0), (total, 280.0), ("Umsatzsteuersatz:", 330.0), ("7,00%", 430.0)],
                vec![("Artikelinformationen", 50.0)],
                vec![("Bezeichnung:", 50.0), (name, 150.0)],
            ]
        };
    let mut rows = vec![vec![("Details", 50.0)]];
    rows.extend(position("1", "5", "5,5", "27,50", "Schweinesteak"));
    rows.push(vec![("Seite 2 / 4", 280.0)]);
    rows.extend(position("2", "20", "5,49", "109,80", "Mineralwasser Medium 12 x 1,0l PET"));
    rows.push(vec![("Gesamtsumme", 50.0), ("137,30", 480.0)]);
    let slices: Vec<&[(&str, f32)]> = rows.iter().map(Vec::as_slice).collect();
    let inv = read(&slices);
    let lines: Vec<(String, String)> =
        inv.lines.iter().map(|l| (l.description.clone(), l.line_total.to_string())).collect();
    assert_eq!(
        lines,
        [
            ("Schweinesteak".to_string(), "27.50".to_string()),
            ("Mineralwasser Medium 12 x 1,0l PET".to_string(), "109.80".to_string())
        ]
    );
    assert_eq!(inv.lines[1].quantity, amount("20"));
    assert_eq!(inv.lines[1].vat_rate, amount("7"));
}
