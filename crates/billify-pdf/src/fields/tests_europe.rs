//! Unit tests of invoices from suppliers elsewhere in Europe, in their own languages
//! ([`super::labels_europe`]).

use super::tests::doc;
use super::*;
use std::str::FromStr;

use bigdecimal::BigDecimal;
use time::macros::date;

fn amount(s: &str) -> BigDecimal {
    BigDecimal::from_str(s).unwrap()
}

fn read(lines: &[&[(&str, f32)]]) -> ExtractedInvoice {
    extract_fields(&doc(lines), &OwnParty { names: vec!["Vulcan Works BV".into()], ..OwnParty::default() }, Date::MIN)
}

#[test]
fn an_italian_fattura() {
    let inv = read(&[
        &[("Rossi Forniture S.r.l.", 50.0)],
        &[("Via Roma 12, 20121 Milano", 50.0)],
        &[("P.IVA 01234567890", 50.0)],
        &[("Fattura n. 2024/0153 del 05/03/2024", 50.0)],
        &[("Spett.le", 300.0)],
        &[("Vulcan Works BV", 300.0)],
        &[("Scadenza:", 50.0), ("04/04/2024", 150.0)],
        &[("Imponibile", 300.0), ("1.000,00", 450.0)],
        &[("IVA 22%", 300.0), ("220,00", 450.0)],
        &[("Totale documento", 300.0), ("1.220,00 €", 450.0)],
        &[("IBAN IT60 X054 2811 1010 0000 0123 456", 50.0)],
    ]);
    assert_eq!(inv.invoice_number.unwrap().value, "2024/0153");
    assert_eq!(inv.issue_date.unwrap().value, date!(2024 - 03 - 05));
    assert_eq!(inv.due_date.unwrap().value, date!(2024 - 04 - 04));
    assert_eq!(inv.subtotal.unwrap().value, amount("1000"));
    assert_eq!(inv.vat_amount.unwrap().value, amount("220"));
    assert_eq!(inv.total.unwrap().value, amount("1220"));
    assert_eq!(inv.currency.unwrap().value.code(), "EUR");
    assert_eq!(inv.seller.vat_number.unwrap().value.as_str(), "IT01234567890");
    assert_eq!(inv.seller.name.unwrap().value, "Rossi Forniture S.r.l.");
    assert_eq!(inv.seller.iban.unwrap().value.as_str(), "IT60X0542811101000000123456");
}

#[test]
fn a_spanish_factura_with_written_dates() {
    let inv = read(&[
        &[("Factura nº A-2024-77", 50.0)],
        &[("Fecha: 5 de marzo de 2024", 50.0)],
        &[("Vencimiento: 4 de abril de 2024", 50.0)],
        &[("Base imponible", 300.0), ("800,00", 450.0)],
        &[("IVA 21%", 300.0), ("168,00", 450.0)],
        &[("Total factura", 300.0), ("968,00 €", 450.0)],
        &[("Construcciones Ibéricas S.L. · CIF: B12345678", 50.0)],
    ]);
    assert_eq!(inv.invoice_number.unwrap().value, "A-2024-77");
    assert_eq!(inv.issue_date.unwrap().value, date!(2024 - 03 - 05));
    assert_eq!(inv.due_date.unwrap().value, date!(2024 - 04 - 04));
    assert_eq!(inv.subtotal.unwrap().value, amount("800"));
    assert_eq!(inv.total.unwrap().value, amount("968"));
    assert_eq!(inv.seller.vat_number.unwrap().value.as_str(), "ESB12345678");
}

#[test]
fn a_polish_faktura_in_zloty() {
    let inv = read(&[
        &[("Faktura VAT nr FV/12/03/2024", 50.0)],
        &[("Data wystawienia:", 50.0), ("2024-03-12", 200.0)],
        &[("Termin płatności:", 50.0), ("2024-03-26", 200.0)],
        &[("Sprzedawca:", 50.0), ("Nabywca:", 300.0)],
        &[("Kowalski Sp. z o.o.", 50.0), ("Vulcan Works BV", 300.0)],
        &[("NIP: 521-301-72-28", 50.0)],
        &[("Razem netto", 300.0), ("2 000,00", 450.0)],
        &[("Kwota VAT", 300.0), ("460,00", 450.0)],
        &[("Razem brutto", 300.0), ("2 460,00", 450.0)],
        &[("Do zapłaty:", 300.0), ("2 460,00 zł", 450.0)],
    ]);
    assert_eq!(inv.invoice_number.unwrap().value, "FV/12/03/2024");
    assert_eq!(inv.issue_date.unwrap().value, date!(2024 - 03 - 12));
    assert_eq!(inv.due_date.unwrap().value, date!(2024 - 03 - 26));
    assert_eq!(inv.subtotal.unwrap().value, amount("2000"));
    assert_eq!(inv.vat_amount.unwrap().value, amount("460"));
    assert_eq!(inv.amount_due.unwrap().value, amount("2460"));
    assert_eq!(inv.currency.unwrap().value.code(), "PLN");
    assert_eq!(inv.seller.vat_number.unwrap().value.as_str(), "PL5213017228");
    assert_eq!(inv.seller.name.unwrap().value, "Kowalski Sp. z o.o.");
    assert_eq!(inv.buyer.name.unwrap().value, "Vulcan Works BV");
}

#[test]
fn a_swedish_faktura_in_crowns() {
    let inv = read(&[
        &[("Nordvik Konsult AB", 50.0), ("Faktura", 400.0)],
        &[("Fakturanummer", 300.0), ("10234", 450.0)],
        &[("Fakturadatum", 300.0), ("2024-03-05", 450.0)],
        &[("Förfallodatum", 300.0), ("2024-04-04", 450.0)],
        &[("Summa exkl. moms", 300.0), ("10 000,00", 450.0)],
        &[("Moms 25%", 300.0), ("2 500,00", 450.0)],
        &[("Att betala", 300.0), ("12 500,00 kr", 450.0)],
        &[("IBAN SE45 5000 0000 0583 9825 7466", 50.0)],
    ]);
    assert_eq!(inv.invoice_number.unwrap().value, "10234");
    assert_eq!(inv.due_date.unwrap().value, date!(2024 - 04 - 04));
    assert_eq!(inv.subtotal.unwrap().value, amount("10000"));
    assert_eq!(inv.vat_amount.unwrap().value, amount("2500"));
    assert_eq!(inv.amount_due.unwrap().value, amount("12500"));
    assert_eq!(inv.currency.unwrap().value.code(), "SEK");
}

#[test]
fn a_czech_faktura_and_its_credit_note() {
    let lines: &[&[(&str, f32)]] = &[
        &[("Faktura - daňový doklad č. 2024001", 50.0)],
        &[("Datum vystavení:", 50.0), ("05.03.2024", 200.0)],
        &[("Datum zdanitelného plnění:", 50.0), ("01.03.2024", 200.0)],
        &[("Datum splatnosti:", 50.0), ("19.03.2024", 200.0)],
        &[("DIČ: CZ12345678", 50.0)],
        &[("Základ daně", 300.0), ("10 000,00", 450.0)],
        &[("DPH 21 %", 300.0), ("2 100,00", 450.0)],
        &[("Celkem k úhradě", 300.0), ("12 100,00 Kč", 450.0)],
    ];
    let inv = read(lines);
    assert_eq!(inv.invoice_number.unwrap().value, "2024001");
    assert_eq!(inv.issue_date.unwrap().value, date!(2024 - 03 - 05));
    assert_eq!(inv.due_date.unwrap().value, date!(2024 - 03 - 19));
    assert_eq!(inv.subtotal.unwrap().value, amount("10000"));
    assert_eq!(inv.amount_due.unwrap().value, amount("12100"));
    assert_eq!(inv.currency.unwrap().value.code(), "CZK");
    assert_eq!(inv.seller.vat_number.unwrap().value.as_str(), "CZ12345678");
    assert_eq!(inv.kind.unwrap().value, DocumentKind::Invoice);
    let credit = read(&[&[("Opravný daňový doklad č. 2024009", 50.0)], lines[5], lines[6], lines[7]]);
    assert_eq!(credit.kind.unwrap().value, DocumentKind::CreditNote);
}

#[test]
fn payment_terms_in_days_in_other_languages() {
    for (terms, due) in [
        ("Pagamento: bonifico bancario a 30 giorni data fattura", date!(2024 - 04 - 04)),
        ("Forma de pago: transferencia a 30 días", date!(2024 - 04 - 04)),
        ("Betalingsbetingelser: netto 14 dage", date!(2024 - 03 - 19)),
        ("Termin płatności: 14 dni", date!(2024 - 03 - 19)),
    ] {
        let inv = read(&[&[("Fecha:", 50.0), ("05/03/2024", 200.0)], &[(terms, 50.0)]]);
        assert_eq!(inv.due_date.map(|d| d.value), Some(due), "{terms}");
    }
}

#[test]
fn a_rounding_line_between_vat_and_total_keeps_the_printed_total() {
    let inv = read(&[
        &[("CHE-123.456.788 MWST", 50.0)],
        &[("Total exkl. MWST", 300.0), ("2'921.49 CHF", 450.0)],
        &[("MWST 8.1 %", 300.0), ("236.64 CHF", 450.0)],
        &[("Rundungsdifferenz", 300.0), ("0.02 CHF", 450.0)],
        &[("Total inkl. MWST", 300.0), ("3'158.15 CHF", 450.0)],
    ]);
    assert_eq!(inv.subtotal.unwrap().value, amount("2921.49"));
    assert_eq!(inv.vat_amount.unwrap().value, amount("236.64"));
    assert_eq!(inv.total.unwrap().value, amount("3158.15"));
    assert_eq!(inv.rounding_amount.unwrap().value, amount("0.02"));
    assert_eq!(inv.currency.unwrap().value.code(), "CHF");
    assert_eq!(inv.seller.vat_number.unwrap().value.as_str(), "CHE123456788");
}

#[test]
fn a_vat_summary_with_a_row_per_rate_is_not_the_totals() {
    let inv = read(&[
        &[("Imponibile", 300.0), ("29.523,02 €", 450.0)],
        &[("IVA 22%", 300.0), ("4.628,87 €", 450.0)],
        &[("IVA 10%", 300.0), ("848,27 €", 450.0)],
        &[("Totale documento", 300.0), ("35.000,16 €", 450.0)],
        &[("Aliquota", 50.0), ("Imponibile", 150.0), ("Imposta", 250.0), ("Totale", 350.0)],
        &[("22 %", 50.0), ("21.040,30", 150.0), ("4.628,87", 250.0), ("25.669,17", 350.0)],
        &[("10 %", 50.0), ("8.482,72", 150.0), ("848,27", 250.0), ("9.330,99", 350.0)],
    ]);
    assert_eq!(inv.subtotal.unwrap().value, amount("29523.02"));
    assert_eq!(inv.vat_amount.unwrap().value, amount("5477.14"));
    assert_eq!(inv.total.unwrap().value, amount("35000.16"));
}

#[test]
fn series_codes_spaced_dates_and_labels_before_numbers() {
    let inv = read(&[
        &[("Fatura n.º FT A2025/1227", 50.0)],
        &[("Datum vystavení:", 50.0), ("14. 8. 2025", 200.0)],
        &[("Due date:", 300.0), ("13-May-2025", 400.0)],
        &[("IČ: 54265797 DIČ: CZ54265797", 50.0)],
    ]);
    assert_eq!(inv.invoice_number.unwrap().value, "FT A2025/1227");
    assert_eq!(inv.issue_date.unwrap().value, date!(2025 - 08 - 14));
    assert_eq!(inv.due_date.unwrap().value, date!(2025 - 05 - 13));
    assert_eq!(inv.seller.vat_number.unwrap().value.as_str(), "CZ54265797");
    // A currency code before an amount is no series.
    let inv = read(&[&[("Invoice no: EUR 1/2", 50.0)]]);
    assert!(inv.invoice_number.is_none_or(|n| n.value != "EUR 1/2"));
}

#[test]
fn a_credit_note_that_pays_back_its_whole_total_keeps_its_net_and_vat() {
    let inv = read(&[
        &[("Credit Note", 300.0)],
        &[("Subtotal", 300.0), ("-11,907.99 EUR", 450.0)],
        &[("VAT @ 23%", 300.0), ("-2,334.08 EUR", 450.0)],
        &[("VAT @ 13.5%", 300.0), ("-237.58 EUR", 450.0)],
        &[("Total", 300.0), ("-14,479.65 EUR", 450.0)],
        &[("Amount to be refunded", 300.0), ("14,479.65 EUR", 450.0)],
    ]);
    assert_eq!(inv.kind.unwrap().value, DocumentKind::CreditNote);
    assert_eq!(inv.total.unwrap().value, amount("14479.65"));
    assert_eq!(inv.subtotal.unwrap().value, amount("11907.99"));
    assert_eq!(inv.vat_amount.unwrap().value, amount("2571.66"));
}

#[test]
fn a_hungarian_szamla_with_bilingual_labels_and_year_first_dates() {
    let inv = read(&[
        &[("Balaton Bútor Kft.", 50.0), ("Számla sorszáma / Invoice No.:", 300.0), ("2025/01535", 470.0)],
        &[("Közösségi adószám: HU25187168", 50.0), ("Számla kelte:", 300.0), ("2025. január 5.", 470.0)],
        &[("Vevő / Bill To", 50.0), ("Fizetési határidő:", 300.0), ("2025. 02. 04.", 470.0)],
        &[("Vulcan Works BV", 50.0)],
        &[("Nettó összesen", 300.0), ("2 962,24 EUR", 470.0)],
        &[("ÁFA 27%", 300.0), ("799,81 EUR", 470.0)],
        &[("Bruttó összesen", 300.0), ("3 762,05 EUR", 470.0)],
    ]);
    assert_eq!(inv.invoice_number.unwrap().value, "2025/01535");
    assert_eq!(inv.issue_date.unwrap().value, date!(2025 - 01 - 05));
    assert_eq!(inv.due_date.unwrap().value, date!(2025 - 02 - 04));
    assert_eq!(inv.total.unwrap().value, amount("3762.05"));
    assert_eq!(inv.vat_amount.unwrap().value, amount("799.81"));
    assert_eq!(inv.seller.vat_number.unwrap().value.as_str(), "HU25187168");
    assert_eq!(inv.buyer.name.unwrap().value, "Vulcan Works BV");
}

#[test]
fn croatian_finnish_and_romanian_labels() {
    let inv = read(&[
        &[("OIB: 57364128840", 50.0)],
        &[("Osnovica", 300.0), ("2.302,16 €", 470.0)],
        &[("PDV 25%", 300.0), ("575,54 €", 470.0)],
        &[("Za platiti", 300.0), ("2.877,70 €", 470.0)],
        &[("Molimo uplatite 2.877,70 € do 5.4.2025", 50.0)],
    ]);
    assert_eq!(inv.seller.vat_number.unwrap().value.as_str(), "HR57364128840");
    assert_eq!(inv.amount_due.unwrap().value, amount("2877.70"));
    assert_eq!(inv.due_date.unwrap().value, date!(2025 - 04 - 05));
    let inv = read(&[
        &[("Laskun numero", 300.0), ("10452", 470.0)],
        &[("Eräpäivä", 300.0), ("14.03.2025", 470.0)],
        &[("Veroton yhteensä", 300.0), ("1 039,65 €", 470.0)],
        &[("ALV 25,5 %", 300.0), ("265,11 €", 470.0)],
        &[("Yhteensä", 300.0), ("1 304,76 €", 470.0)],
    ]);
    assert_eq!(inv.invoice_number.unwrap().value, "10452");
    assert_eq!(inv.due_date.unwrap().value, date!(2025 - 03 - 14));
    assert_eq!(inv.subtotal.unwrap().value, amount("1039.65"));
    assert_eq!(inv.total.unwrap().value, amount("1304.76"));
    let inv = read(&[&[("Total de plată", 300.0), ("868,14 lei", 470.0)]]);
    assert_eq!(inv.currency.unwrap().value.code(), "RON");
}
