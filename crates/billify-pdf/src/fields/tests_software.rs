//! Unit tests of kinds first seen in invoices printed by real accounting software and invoice
//! libraries run with generated data (`corpus/gnucash.py`, `corpus/templates.py`): a subtotal
//! row under net, tax and gross columns, the seller told from the buyer by its contact details,
//! and the labels of GnuCash's translated reports. (GnuCash's French "Taxe" is no label: Belgian
//! insurers print their premium tax as "Taxe 9,25%".)

use super::tests::doc;
use super::*;
use std::str::FromStr;

use bigdecimal::BigDecimal;
use billify_ports::intake::ExtractedParty;

fn amount(s: &str) -> BigDecimal {
    BigDecimal::from_str(s).unwrap()
}

fn read(lines: &[&[(&str, f32)]]) -> ExtractedInvoice {
    extract_fields(&doc(lines), &OwnParty::default(), Date::MIN)
}

fn value(f: &Option<Extracted<BigDecimal>>) -> Option<BigDecimal> {
    f.as_ref().map(|e| e.value.clone())
}

fn name(p: &ExtractedParty) -> Option<String> {
    p.name.as_ref().map(|e| e.value.clone())
}

#[test]
fn a_subtotal_row_under_net_tax_and_gross_columns() {
    let inv = read(&[
        &[("Atlas Group GmbH", 50.0), ("Rechnung", 450.0)],
        &[("Bahnhofstr. 115", 50.0)],
        &[("50667 Köln", 50.0)],
        &[("Rechnungsnummer: 2026-0002", 350.0)],
        &[
            ("Beschreibung", 50.0),
            ("Anzahl", 150.0),
            ("Diskontbetrag", 220.0),
            ("Nettobetrag", 300.0),
            ("Steuern", 380.0),
            ("Gesamtbetrag", 450.0),
        ],
        &[
            ("Softwarelizenz", 50.0),
            ("40", 150.0),
            ("0,00 €", 220.0),
            ("697,20 €", 300.0),
            ("48,80 €", 380.0),
            ("746,00 €", 450.0),
        ],
        &[
            ("Supportstunden", 50.0),
            ("1", 150.0),
            ("39,00 €", 220.0),
            ("351,00 €", 300.0),
            ("66,69 €", 380.0),
            ("417,69 €", 450.0),
        ],
        &[
            ("Beratungsleistungen", 50.0),
            ("12", 150.0),
            ("0,00 €", 220.0),
            ("381,48 €", 300.0),
            ("72,48 €", 380.0),
            ("453,96 €", 450.0),
        ],
        &[
            ("Zwischensumme", 50.0),
            ("39,00 €", 220.0),
            ("1.429,68 €", 300.0),
            ("187,97 €", 380.0),
            ("1.617,65 €", 450.0),
        ],
        &[("Noch zu zahlen, EUR", 50.0), ("1.617,65 €", 450.0)],
    ]);
    assert_eq!(value(&inv.subtotal), Some(amount("1429.68")));
    assert_eq!(value(&inv.vat_amount), Some(amount("187.97")));
    assert_eq!(value(&inv.total), Some(amount("1617.65")));
    assert_eq!(value(&inv.amount_due), Some(amount("1617.65")));
}

#[test]
fn a_payment_under_a_subtotal_row_of_three_columns() {
    let inv = read(&[
        &[("Quartz Partners SRL", 50.0), ("Facture de la taxe", 400.0)],
        &[("N° de facture :", 300.0), ("FA00405", 450.0)],
        &[("Description", 50.0), ("Prix net", 200.0), ("Montant de taxe", 300.0), ("Prix total", 450.0)],
        &[("Contrat de maintenance", 50.0), ("2.625,00 €", 200.0), ("315,00 €", 300.0), ("2.940,00 €", 450.0)],
        &[("Chaises de bureau", 50.0), ("2.811,65 €", 200.0), ("226,76 €", 300.0), ("3.038,41 €", 450.0)],
        &[("Sous-Total", 50.0), ("5.436,65 €", 200.0), ("541,76 €", 300.0), ("5.978,41 €", 450.0)],
        &[("Paiement reçu, merci !", 50.0), ("-1.900,00 €", 450.0)],
        &[("Montant brut dû, EUR", 50.0), ("4.078,41 €", 450.0)],
    ]);
    assert_eq!(value(&inv.subtotal), Some(amount("5436.65")));
    assert_eq!(value(&inv.vat_amount), Some(amount("541.76")));
    assert_eq!(value(&inv.total), Some(amount("5978.41")));
    assert_eq!(value(&inv.amount_due), Some(amount("4078.41")));
}

#[test]
fn contact_details_tell_the_seller_of_two_unlabelled_blocks() {
    let inv = read(&[
        &[("FACTUUR #RE-2024-356", 50.0)],
        &[("Datum:", 380.0), ("19/10/2024", 480.0)],
        &[("Quartz Trading S.à r.l.", 50.0), ("Kobalt Energy BV", 400.0)],
        &[("Attn: Sophie Martin", 50.0), ("Kortrijksesteenweg 204", 400.0)],
        &[("210 avenue John F. Kennedy", 50.0), ("1000 Bruxelles", 400.0)],
        &[("L-2226 Luxembourg", 50.0), ("09 906 79 21", 400.0)],
        &[("BTW-nr. LU39362703", 50.0), ("billing@kobalt.be", 400.0)],
        &[("Omschrijving", 50.0), ("Hoeveelheid", 250.0), ("Totaal", 450.0)],
        &[("Advieswerk", 50.0), ("2,25", 250.0), ("€ 116,89", 450.0)],
        &[("Totaalbedrag", 50.0), ("€ 116,89", 450.0)],
    ]);
    assert_eq!(name(&inv.seller).as_deref(), Some("Kobalt Energy BV"));
    assert_eq!(name(&inv.buyer).as_deref(), Some("Quartz Trading S.à r.l."));
    assert_eq!(inv.buyer.vat_number.map(|v| v.value.as_str().to_owned()).as_deref(), Some("LU39362703"));
}

#[test]
fn labels_of_translated_reports_and_invoice_libraries() {
    use super::labels::match_label;
    assert_eq!(match_label("taxe de sejour"), Some((Kind::Other, 14)));
    assert_eq!(match_label("prix total"), Some((Kind::Total, 10)));
    assert_eq!(match_label("prix net"), Some((Kind::Subtotal, 8)));
    assert_eq!(match_label("verkoopfactuur #f20240703"), Some((Kind::InvoiceWord, 14)));
    assert_eq!(match_label("montant brut du"), Some((Kind::Due, 15)));
    assert_eq!(match_label("noch zu zahlen, eur"), Some((Kind::Due, 14)));
    assert_eq!(match_label("paiement recu, merci !"), Some((Kind::Prepaid, 13)));
    assert_eq!(match_label("total without vat"), Some((Kind::Subtotal, 17)));
    assert_eq!(match_label("total with vat"), Some((Kind::Total, 14)));
    assert_eq!(match_label("invoice due date:"), Some((Kind::DueDate, 16)));
    // Tryton's invoice report.
    assert_eq!(match_label("total (sin impuestos): 16.292,42 €"), Some((Kind::Subtotal, 21)));
    assert_eq!(match_label("totaal (excl. belasting): £ 6 290,39-"), Some((Kind::Subtotal, 24)));
    assert_eq!(match_label("belastingen: £ 1 258,08-"), Some((Kind::Vat, 11)));
    assert_eq!(match_label("impuestos: 3.421,41 €"), Some((Kind::Vat, 9)));
}

#[test]
fn swiss_francs_as_swiss_german_prints_them() {
    let found = super::text::find_amounts("Gesamtbetrag  SFr. 4’702.68");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].value, amount("4702.68"));
    assert_eq!(found[0].currency.map(|c| c.code().to_owned()).as_deref(), Some("CHF"));
}

#[test]
fn thirty_days_to_the_end_of_the_month_in_german() {
    let inv = read(&[
        &[("Atlas Group GmbH", 50.0), ("Rechnung", 400.0)],
        &[("Rechnungsnummer: RE202600120", 300.0)],
        &[("Rechnungsdatum: 27.09.2025", 300.0)],
        &[("Beschreibung", 50.0), ("Betrag", 450.0)],
        &[("Datenmigration", 50.0), ("532,56 €", 450.0)],
        &[("Gesamtbetrag", 50.0), ("532,56 €", 450.0)],
        &[("Zahlbar 30 Tage zum Monatsende", 50.0)],
    ]);
    assert_eq!(inv.due_date.map(|d| d.value), Some(time::macros::date!(2025 - 10 - 31)));
}

#[test]
fn a_british_vat_number_without_its_prefix() {
    let inv = read(&[
        &[("Mosaic Solutions Facility Management Limited", 50.0)],
        &[("Unit 173, Riverside Park", 50.0)],
        &[("London EC1A 1BB", 50.0)],
        &[("United Kingdom", 50.0)],
        &[("VAT Number: 857765174", 50.0)],
        &[("Invoice N°: 2025/000020", 200.0)],
        &[("Description", 50.0), ("Amount", 450.0)],
        &[("Data migration", 50.0), ("£532.56", 450.0)],
        &[("Total:", 300.0), ("£532.56", 450.0)],
    ]);
    assert_eq!(inv.seller.vat_number.map(|v| v.value.as_str().to_owned()).as_deref(), Some("GB857765174"));
    // Tryton's "<country> VAT Number:" line.
    let inv = read(&[
        &[("Mosaic Solutions Facility Management Limited", 50.0)],
        &[("London EC1A 1BB", 50.0)],
        &[("United Kingdom (and Isle of Man) VAT Number: 857765174", 50.0)],
        &[("Invoice N°: 2025/000020", 200.0)],
        &[("Total:", 300.0), ("£532.56", 450.0)],
    ]);
    assert_eq!(inv.seller.vat_number.map(|v| v.value.as_str().to_owned()).as_deref(), Some("GB857765174"));
    // Nine digits that fail the British check are no VAT number.
    let inv = read(&[
        &[("Mosaic Solutions Facility Management Limited", 50.0)],
        &[("United Kingdom", 50.0)],
        &[("VAT Number: 857765175", 50.0)],
        &[("Total:", 300.0), ("£532.56", 450.0)],
    ]);
    assert_eq!(inv.seller.vat_number, None);
}

#[test]
fn long_names_wrapped_before_their_last_word() {
    let inv = read(&[
        &[("Faktura", 450.0)],
        &[("Northern Lights Creative Production", 300.0)],
        &[("Collective LLP", 300.0)],
        &[("215 High Street", 300.0)],
        &[("London EC1A 1BB, United Kingdom", 300.0)],
        &[("Atlas Partners Limited", 50.0), ("Fakturanummer: RE-2026-7290", 300.0)],
        &[("Unit 234, Riverside Park", 50.0), ("Fakturadato: 30. november 2026", 300.0)],
        &[("Sum", 50.0), ("490,85 GBP", 450.0)],
    ]);
    assert_eq!(name(&inv.seller).as_deref(), Some("Northern Lights Creative Production Collective LLP"));
    let inv = read(&[
        &[("Faktura", 450.0)],
        &[("Internationale Handels- und Beratungs-", 300.0)],
        &[("gesellschaft SARL", 300.0)],
        &[("12 rue du Fort", 300.0)],
        &[("L-1855 Luxembourg", 300.0)],
        &[("Fakturanummer: RE-2026-7291", 300.0)],
        &[("Sum", 50.0), ("490,85 EUR", 450.0)],
    ]);
    assert_eq!(name(&inv.seller).as_deref(), Some("Internationale Handels- und Beratungsgesellschaft SARL"));
}

#[test]
fn a_minus_after_the_amount_as_erp_systems_print_credits() {
    use super::text::find_amounts;
    let values = |t: &str| find_amounts(t).into_iter().map(|a| a.value).collect::<Vec<_>>();
    assert_eq!(values("Totaal:    £ 7 548,47-"), vec![amount("-7548.47")]);
    assert_eq!(values("€ 799,32-"), vec![amount("-799.32")]);
    assert_eq!(values("Gesamt 1.234,56- EUR"), vec![amount("-1234.56")]);
    // A range is no amount.
    assert!(values("10-20").is_empty());
}

#[test]
fn krafts_net_vat_and_sum_under_the_positions() {
    let inv = read(&[
        &[("Peinture Jan de Vries - Meirbrug 221 - 1000 Bruxelles", 50.0)],
        &[("Net & Clair SRL", 50.0)],
        &[("Kortrijksesteenweg 223", 50.0)],
        &[("Facture 260612-127", 50.0), ("12/06/2026", 450.0)],
        &[("No.", 50.0), ("Item", 80.0), ("Qty.", 250.0), ("Price", 350.0), ("Sum", 450.0)],
        &[("1.", 50.0), ("Conseil sur site", 80.0), ("3", 250.0), ("1 578,12 €", 350.0), ("4 734,36 €", 450.0)],
        &[("2.", 50.0), ("Frais de déplacement", 80.0), ("20", 250.0), ("161,70 €", 350.0), ("3 234,00 €", 450.0)],
        &[("Net", 350.0), ("7 968,36 €", 450.0)],
        &[("+21% VAT", 350.0), ("1 673,36 €", 450.0)],
        &[("Sum", 350.0), ("9 641,72 €", 450.0)],
    ]);
    assert_eq!(value(&inv.subtotal), Some(amount("7968.36")));
    assert_eq!(value(&inv.vat_amount), Some(amount("1673.36")));
    assert_eq!(value(&inv.total), Some(amount("9641.72")));
    assert_eq!(name(&inv.buyer).as_deref(), Some("Net & Clair SRL"), "a name that starts with Net");
}

#[test]
fn krafts_german_positions_number_the_lines_not_the_invoice() {
    let inv = read(&[
        &[("Nimbus Design SA - Rue du Rhône 89 - 8001 Zürich", 50.0)],
        &[("Vector Energy SA", 50.0)],
        &[("Rue du Rhône 165", 50.0), ("17. Juni 2026", 450.0)],
        &[("Rechnung RE-2026-26", 50.0)],
        &[("Nr.", 50.0), ("Posten", 80.0), ("Menge", 250.0), ("Einh.", 300.0), ("Preis", 350.0), ("Summe", 450.0)],
        &[
            ("1.", 50.0),
            ("Tapezieren Flur", 80.0),
            ("1", 250.0),
            ("qm", 300.0),
            ("CHF 260.39", 350.0),
            ("CHF 260.39", 450.0),
        ],
        &[("Netto", 350.0), ("CHF 260.39", 450.0)],
        &[("+8.1% MwSt.", 350.0), ("CHF 21.09", 450.0)],
        &[("Summe", 350.0), ("CHF 281.48", 450.0)],
    ]);
    assert_eq!(inv.invoice_number.map(|n| n.value).as_deref(), Some("RE-2026-26"));
    assert_eq!(value(&inv.vat_amount), Some(amount("21.09")));
    assert_eq!(value(&inv.total), Some(amount("281.48")));
}

#[test]
fn swiss_francs_named_once_for_the_page() {
    let inv = read(&[
        &[("Atlas International SA", 50.0), ("RECHNUNG Nr. 000598", 350.0)],
        &[("Alle Beträge in SFr.", 50.0)],
        &[("Beschreibung", 50.0), ("Anzahl", 250.0), ("Summe", 450.0)],
        &[("Reisekosten", 50.0), ("2", 250.0), ("1’298.41", 450.0)],
        &[("Gesamtbetrag", 300.0), ("1’298.41", 450.0)],
    ]);
    assert_eq!(inv.currency.map(|c| c.value.code().to_owned()).as_deref(), Some("CHF"));
}
