//! Unit tests of kinds first seen in invoices made by invoice libraries' built-in layouts
//! (`corpus/libraries.py`): a contact's name over the company's, a small total label over a large
//! amount, an amount wrapped above its currency code, and a title date of another document.

use super::style_tests::doc_sized;
use super::tests::doc;
use super::*;
use std::str::FromStr;

use bigdecimal::BigDecimal;

fn read(lines: &[&[(&str, f32)]], own: &OwnParty) -> ExtractedInvoice {
    extract_fields(&doc(lines), own, Date::MIN)
}

fn value(f: &Option<Extracted<BigDecimal>>) -> Option<BigDecimal> {
    f.as_ref().map(|e| e.value.clone())
}

fn amount(s: &str) -> Option<BigDecimal> {
    BigDecimal::from_str(s).ok()
}

fn buyer(inv: &ExtractedInvoice) -> Option<String> {
    inv.buyer.name.as_ref().map(|e| e.value.clone())
}

#[test]
fn a_contact_over_the_company_in_a_wider_block_is_no_wrapped_name() {
    let lines: &[&[(&str, f32)]] = &[
        &[("Rivier Design V.O.F.", 50.0), ("FACTUUR", 420.0)],
        &[("Lange Voorhout 184", 50.0), ("Factuurnummer: INV-20240609", 380.0)],
        &[("5611 EM Eindhoven", 50.0), ("Factuurdatum: 27-10-2024", 380.0)],
        &[("Btw: NL515520688B10", 50.0)],
        &[("Factuur aan", 50.0)],
        &[("Anna Jansen", 50.0)],
        &[("Falcon Group BV", 50.0)],
        &[("Oudegracht 189, 3011 AD Rotterdam", 50.0)],
        &[("Totaal", 380.0), ("€ 121,00", 450.0)],
    ];
    assert_eq!(buyer(&read(lines, &OwnParty::default())).as_deref(), Some("Falcon Group BV"));
    // In a narrow box, with no wider line below, the same lines are one wrapped name.
    let narrow: Vec<&[(&str, f32)]> = lines.iter().copied().filter(|l| !l[0].0.starts_with("Oudegracht")).collect();
    assert_eq!(buyer(&read(&narrow, &OwnParty::default())).as_deref(), Some("Anna Jansen Falcon Group BV"));
}

#[test]
fn our_name_under_a_contact_under_the_buyer_label_is_the_buyer() {
    let own = OwnParty { names: vec!["Atlas Labs SARL".into()], ..OwnParty::default() };
    let inv = read(
        &[
            &[("Granit Software S.A.", 50.0), ("AVOIR", 420.0)],
            &[("135 rue du Fort Wallis", 50.0), ("N° de facture: 52216", 380.0)],
            &[("L-4010 Esch-sur-Alzette", 50.0), ("Date: 18/02/2025", 380.0)],
            &[("TVA : LU45968503", 50.0)],
            &[("Facturé à", 50.0)],
            &[("Lotte Visser", 50.0)],
            &[("Atlas Labs SARL", 50.0)],
            &[("110 rue du Fort Wallis, L-4010 Esch-sur-Alzette", 50.0)],
            &[("Total", 380.0), ("1.210,00 €", 450.0)],
        ],
        &own,
    );
    assert_eq!(buyer(&inv).as_deref(), Some("Atlas Labs SARL"));
    assert_eq!(inv.seller.name.map(|e| e.value).as_deref(), Some("Granit Software S.A."));
}

#[test]
fn the_date_of_the_invoice_a_title_refers_to_is_not_the_issue_date() {
    let inv = read(
        &[
            &[("Zenith Partners GmbH – Hauptstraße 10 – 10115 Berlin", 50.0)],
            &[("Vector Digital BVBA", 50.0), ("Datum:", 380.0), ("03.06.2025", 450.0)],
            &[("Rue de la Loi 213", 50.0), ("Rechnungsnr.:", 380.0), ("2025-701", 450.0)],
            &[("2000 Antwerpen", 50.0)],
            &[("Gutschrift Nr. 2025-701", 50.0)],
            &[("Gesamtbetrag (Brutto):", 380.0), ("1.190,00 EUR", 480.0)],
            &[("Gutschrift zu Rechnung 2025-947 vom 21.05.2025. Sämtliche Beträge mit umgekehrtem Vorzeichen.", 50.0)],
        ],
        &OwnParty::default(),
    );
    assert_eq!(inv.issue_date.map(|e| e.value.to_string()).as_deref(), Some("2025-06-03"));
}

#[test]
fn a_large_amount_set_under_a_small_total_label() {
    let d = doc_sized(&[
        (800.0, 10.0, &[("Invoice INV-2025-0150", 50.0)]),
        (500.0, 12.0, &[("Base", 300.0), ("VAT", 420.0)]),
        (486.0, 7.0, &[("30468.66 USD", 350.0), ("6398.42 USD", 420.0)]),
        (470.0, 12.0, &[("Total", 305.0)]),
        (458.0, 7.0, &[("Total due", 305.0)]),
        (439.0, 20.0, &[("36867.08 USD", 352.0)]),
    ]);
    let inv = extract_fields(&d, &OwnParty::default(), Date::MIN);
    assert_eq!(value(&inv.amount_due), amount("36867.08"));
    assert_eq!(value(&inv.total), amount("36867.08"));
}

#[test]
fn an_amount_wrapped_above_its_currency_code() {
    let inv = read(
        &[
            &[("Bloc Bouw NV", 300.0)],
            &[("Rechnung 67556", 50.0)],
            &[("1", 50.0), ("Supportstunden", 80.0), ("12,00", 400.0), ("1.239,72 EUR", 480.0)],
            &[("60.166,59", 482.0)],
            &[("Summe (netto)", 340.0), ("EUR", 505.0)],
            &[("3.272,00", 487.0)],
            &[("+6,00% USt", 340.0), ("EUR", 505.0)],
            &[("64.621,56", 482.0)],
            &[("Summe (brutto)", 340.0), ("EUR", 505.0)],
        ],
        &OwnParty::default(),
    );
    assert_eq!(value(&inv.subtotal), amount("60166.59"));
    assert_eq!(value(&inv.total), amount("64621.56"));
}

#[test]
fn dinbriefs_english_sums() {
    let inv = read(
        &[
            &[("Invoice F25/0379", 50.0)],
            &[("Sum (net)", 340.0), ("28603.39 €", 450.0)],
            &[("+21% VAT", 340.0), ("6006.71 €", 450.0)],
            &[("Sum (gross)", 340.0), ("34610.10 €", 450.0)],
        ],
        &OwnParty::default(),
    );
    assert_eq!(value(&inv.subtotal), amount("28603.39"));
    assert_eq!(value(&inv.vat_amount), amount("6006.71"));
    assert_eq!(value(&inv.total), amount("34610.10"));
}

#[test]
fn the_part_totals_of_the_invoice_package_over_its_bare_total() {
    let inv = read(
        &[
            &[("Factuur 2025.0584", 50.0)],
            &[("Subtotaal Honorarium", 80.0), ("5758,40", 450.0)],
            &[("BTW (21%)", 80.0), ("1209,26", 450.0)],
            &[("Subtotaal Onderhoud", 80.0), ("6967,66", 450.0)],
            &[("Subtotaal Honorarium", 80.0), ("536,70", 450.0)],
            &[("BTW (21%)", 80.0), ("112,70", 450.0)],
            &[("Subtotaal Nieuwe website", 80.0), ("649,40", 450.0)],
            &[("Totaal Honorarium", 80.0), ("6295,10", 450.0)],
            &[("Totaal BTW", 80.0), ("1321,97", 450.0)],
            &[("Totaal", 80.0), ("7617,07", 450.0)],
        ],
        &OwnParty::default(),
    );
    assert_eq!(value(&inv.subtotal), amount("6295.10"));
    assert_eq!(value(&inv.vat_amount), amount("1321.97"));
    assert_eq!(value(&inv.total), amount("7617.07"));
}

#[test]
fn a_reverse_charged_invoice_with_only_its_total() {
    let inv = read(
        &[
            &[("Schelde Consult BV", 50.0)],
            &[("Rechnung #", 50.0), ("Datum", 200.0)],
            &[("2025-0101", 50.0), ("03/03/2025", 200.0)],
            &[("1", 50.0), ("Advies en begeleiding", 100.0), ("12", 350.0), ("3.840,00", 450.0)],
            &[("Gesamtsumme", 350.0), ("3.840,00", 450.0)],
            &[("dreitausendachthundertVierzig ***** 00/100", 50.0), ("All prices in EUR.", 400.0)],
            &[("Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge).", 50.0)],
        ],
        &OwnParty::default(),
    );
    assert_eq!(value(&inv.total), amount("3840.00"));
    assert_eq!(value(&inv.subtotal), amount("3840.00"));
    assert_eq!(value(&inv.vat_amount), amount("0"));
}

#[test]
fn due_dates_in_letters_asking_to_settle_or_transfer() {
    for (sentence, due) in [
        ("Bitte begleichen Sie den Rechnungsbetrag bis spätestens 5. März 2025 unter Angabe der Rech-", "2025-03-05"),
        ("Wij verzoeken u vriendelijk het bedrag van € 27.849,97 vóór 7 juli 2025 over te maken onder", "2025-07-07"),
    ] {
        let inv = read(
            &[
                &[("Rechnung 20250856", 50.0), ("3. Februar 2025", 400.0)],
                &[("Endbetrag", 350.0), ("2.749,00 Euro", 450.0)],
                &[(sentence, 50.0)],
            ],
            &OwnParty::default(),
        );
        assert_eq!(inv.due_date.map(|e| e.value.to_string()).as_deref(), Some(due), "{sentence}");
    }
}

#[test]
fn invoice2s_gross_total() {
    let inv = read(
        &[
            &[("Subject: Invoice no. INV-4699", 50.0)],
            &[("Net Total (GBP)", 300.0), ("364.90", 450.0)],
            &[("VAT", 300.0), ("31.50", 450.0)],
            &[("Gross Total (GBP)", 300.0), ("396.40", 450.0)],
        ],
        &OwnParty::default(),
    );
    assert_eq!(value(&inv.total), amount("396.40"));
    assert_eq!(value(&inv.subtotal), amount("364.90"));
}

#[test]
fn vat_payable_is_no_amount_due() {
    let inv = read(
        &[
            &[("Factuur #", 50.0), ("Datum", 200.0)],
            &[("F25004", 50.0), ("09-09-2025", 200.0)],
            &[("Subtotaal", 300.0), ("161,25", 480.0)],
            &[("Te betalen BTW hoog on 161,25", 250.0), ("33,86", 480.0)],
            &[("Totaal", 300.0), ("195,11", 480.0)],
        ],
        &OwnParty::default(),
    );
    assert_eq!(value(&inv.vat_amount), amount("33.86"));
    assert_eq!(value(&inv.amount_due), amount("195.11"));
}

#[test]
fn a_letter_spaced_credit_invoice_title() {
    let titles: [&[(&str, f32)]; 3] =
        [&[("C R E D I T", 50.0), ("I N V O I C E", 150.0)], &[("CREDIT INVOICE", 50.0)], &[("A V O I R", 50.0)]];
    for title in titles {
        let inv = read(
            &[
                &[("Atlas Digital EURL", 50.0)],
                title,
                &[("Invoice Number NC2025-001", 350.0)],
                &[("Total", 350.0), ("120,00", 450.0)],
            ],
            &OwnParty::default(),
        );
        assert_eq!(inv.kind.map(|k| k.value), Some(DocumentKind::CreditNote), "{title:?}");
    }
    let inv = read(&[&[("F A C T U R E", 50.0)], &[("Total", 350.0), ("120,00", 450.0)]], &OwnParty::default());
    assert_eq!(inv.kind.map(|k| k.value), Some(DocumentKind::Invoice));
}
