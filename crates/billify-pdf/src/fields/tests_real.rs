//! Unit tests of kinds first seen in real invoices and in the samples of real e-invoicing
//! software (see "Real invoices" in `docs/benchmarks.md`): an attention line and a bracketed
//! note around a name, a seller over its tax number or registered office, a legal line in a
//! French footer, a number set right-aligned under its label, a document-type code in a title,
//! a name wrapped before its legal form, salutations and location codes over a name, and the
//! totals of German insurance premiums.

use super::tests::doc;
use super::*;
use std::str::FromStr;

use bigdecimal::BigDecimal;
use billify_ports::intake::ExtractedParty;
use time::macros::date;

fn amount(s: &str) -> BigDecimal {
    BigDecimal::from_str(s).unwrap()
}

fn read(lines: &[&[(&str, f32)]], own: &[&str]) -> ExtractedInvoice {
    let own = OwnParty { names: own.iter().map(|s| s.to_string()).collect(), ..OwnParty::default() };
    extract_fields(&doc(lines), &own, Date::MIN)
}

fn name(p: &ExtractedParty) -> Option<String> {
    p.name.as_ref().map(|e| e.value.clone())
}

#[test]
fn an_attention_line_and_a_note_in_brackets_around_names() {
    let inv = read(
        &[
            &[("Amazon Web Services Invoice", 300.0)],
            &[("Invoice Number:", 300.0), ("42183017", 480.0)],
            &[("Invoice Date:", 300.0), ("August 3 , 2014", 480.0)],
            &[("Bill to Address:", 50.0)],
            &[("ATTN: iViveLabs Limited", 50.0)],
            &[("93B Sai Yu Chung", 50.0)],
            &[("Yuen Long, N.T., 0000, HK", 50.0)],
            &[("Total for this invoice", 50.0), ("$4.11", 480.0)],
            &[("Service Provider:", 400.0)],
            &[("(Not to be used for payment remittance)", 400.0)],
            &[("Amazon Web Services, Inc.", 400.0)],
            &[("410 Terry Ave North", 400.0)],
        ],
        &[],
    );
    assert_eq!(inv.issue_date.unwrap().value, date!(2014 - 08 - 03));
    assert_eq!(name(&inv.buyer).as_deref(), Some("iViveLabs Limited"));
    assert_eq!(name(&inv.seller).as_deref(), Some("Amazon Web Services, Inc"));
}

#[test]
fn a_seller_over_its_tax_number_and_dollars_said_american() {
    let inv = read(
        &[
            &[("Tax Invoice", 50.0)],
            &[("Envato", 50.0)],
            &[("ABN: 11 119 159 741", 50.0), ("PO Box 16122", 450.0)],
            &[("Collins Street West, VIC 8007", 400.0)],
            &[("To: iViveLabs Ltd", 50.0), ("Order date: 28 Jan 15", 400.0)],
            &[("Invoice No. 12429647", 400.0)],
            &[("Handling fee $0.00", 50.0)],
            &[("Buyer fee $20.20", 50.0)],
            &[("Invoice Total: $101.00", 50.0)],
            &[("All prices are in US dollars. Credits expire on 28 Jan 2016.", 50.0)],
        ],
        &["iViveLabs Ltd"],
    );
    assert_eq!(name(&inv.seller).as_deref(), Some("Envato"));
    assert_eq!(name(&inv.buyer).as_deref(), Some("iViveLabs Ltd"));
    assert_eq!(inv.currency.unwrap().value.code(), "USD");
    assert_eq!(inv.issue_date.unwrap().value, date!(2015 - 01 - 28));
}

#[test]
fn a_footer_name_over_its_registered_office_and_a_guest() {
    let inv = read(
        &[
            &[("PAYMENT RECEIPT", 200.0)],
            &[("Guest Name: Sanjay", 50.0), ("Date: 31/12/2017", 400.0)],
            &[("Hotel Details", 50.0), ("Check In", 250.0), ("Check Out", 330.0), ("Rooms", 420.0)],
            &[("OYO 4189 Resort Nanganallur,", 50.0), ("31/12/2017", 250.0), ("01/01/2018", 330.0), ("1", 420.0)],
            &[("DESCRIPTION", 50.0), ("RATE", 350.0), ("AMOUNT", 450.0)],
            &[("Room Charges", 50.0), ("Rs 1939", 450.0)],
            &[("Grand Total", 50.0), ("Rs 1939", 450.0)],
            &[("Oravel Stays Private Limited", 200.0)],
            &[("Registered Office: Delhi Rectangle Regus, Level 4, Saket, New Delhi - 110017", 60.0)],
        ],
        &[],
    );
    assert_eq!(name(&inv.seller).as_deref(), Some("Oravel Stays Private Limited"));
    assert_eq!(name(&inv.buyer).as_deref(), Some("Sanjay"));
}

#[test]
fn a_french_legal_line_joined_by_minus_signs() {
    let inv = read(
        &[
            &[("Free Service Abonné", 50.0)],
            &[("75371 Paris Cedex 08", 50.0)],
            &[("de Lattre Alexis", 350.0)],
            &[("35 RUE du logiciel libre", 350.0)],
            &[("Facture n°562044387 du 02 Juillet 2015", 50.0)],
            &[("Total facture", 50.0), ("24.99", 300.0), ("5.00", 380.0), ("29.99", 450.0)],
            &[(
                "Free SAS au capital de 3.441.812 Euros − B 421 938 861 RCS Paris − Siège social: 8 rue de la Ville l’Évèque 75008 Paris − N° de TVA intra communautaire: FR 604 219 388 61",
                50.0,
            )],
        ],
        &["de Lattre Alexis"],
    );
    assert_eq!(name(&inv.seller).as_deref(), Some("Free SAS"));
    assert_eq!(inv.seller.vat_number.unwrap().value.as_str(), "FR60421938861");
    assert_eq!(name(&inv.buyer).as_deref(), Some("de Lattre Alexis"));
}

#[test]
fn a_number_right_aligned_under_its_label_and_invoice_sums() {
    let inv = read(
        &[
            &[("Lieferant GmbH", 53.0)],
            &[("Lieferantenstraße 20", 53.0), ("RECHNUNG", 364.0)],
            &[("Rechnungsnummer", 364.0)],
            &[("80333 München", 53.0), ("471102", 537.0)],
            &[("Rechnungsempfänger", 40.0)],
            &[("GLN 4304171000002", 53.0)],
            &[("MUSTER-KUNDE GMBH", 53.0)],
            &[("KUNDENWEG 88", 53.0)],
            &[("40235 DUESSELDORF", 53.0)],
            &[("Rechnungssumme Netto (excl. USt.)", 100.0), ("198,00", 500.0)],
            &[("Steuerbasisbetrag USt. 19%", 100.0), ("198,00", 440.0), ("37,62", 500.0)],
            &[("Rechnungssumme Brutto (inkl. USt.)", 100.0), ("235,62", 500.0)],
        ],
        &[],
    );
    assert_eq!(inv.invoice_number.unwrap().value, "471102");
    assert_eq!(inv.subtotal.unwrap().value, amount("198.00"));
    assert_eq!(inv.total.unwrap().value, amount("235.62"));
    assert_eq!(name(&inv.buyer).as_deref(), Some("MUSTER-KUNDE GMBH"));
}

#[test]
fn a_type_code_in_the_title_and_a_party_number_under_its_heading() {
    let inv = read(
        &[
            &[("Handelsrechnung (380) Nr. 47110819 vom 15.11.2024", 40.0)],
            &[("Verkäufer", 40.0)],
            &[("Name:", 40.0), ("Groß und Breit Bau AG", 300.0)],
            &[("Käufer/Leistungsempfänger", 40.0)],
            &[("Nummer:", 40.0), ("D75969813", 300.0)],
            &[("Name:", 40.0), ("Metallbau Leipzig GmbH & Co. KG", 300.0)],
            &[("Rechnungssumme ohne USt.", 100.0), ("20.000,00", 480.0)],
            &[("Steuerbetrag", 100.0), ("3.800,00", 480.0)],
            &[("Bruttosumme", 100.0), ("23.800,00", 480.0)],
        ],
        &[],
    );
    assert_eq!(inv.invoice_number.unwrap().value, "47110819");
    assert_eq!(inv.vat_amount.unwrap().value, amount("3800.00"));
    assert_eq!(inv.total.unwrap().value, amount("23800.00"));
    assert_eq!(name(&inv.buyer).as_deref(), Some("Metallbau Leipzig GmbH & Co. KG"));
}

#[test]
fn an_insurance_premium_from_a_name_wrapped_before_its_form() {
    let inv = read(
        &[
            &[("MVM Musterhafter", 50.0)],
            &[("Versicherungsverein Musterstadt a.G.", 50.0)],
            &[],
            &[("Herrn", 50.0)],
            &[("Max Mustermann", 50.0)],
            &[("Musterstr. 11", 50.0)],
            &[("12346 Bad Musterhausen", 50.0)],
            &[("Beitragsrechnung", 50.0), ("24. Januar 2014", 400.0)],
            &[("Privathaftpflicht", 50.0), ("50,00 €", 300.0)],
            &[("Gesamtbeitrag", 50.0), ("50,00 €", 300.0)],
            &[("Versicherungsteuer 19 %", 50.0), ("9,50 €", 300.0)],
            &[("Rechnungsbeitrag", 50.0), ("59,50 €", 300.0)],
            &[("Fälligkeitstag: 01.04.2014", 50.0)],
        ],
        &[],
    );
    assert_eq!(name(&inv.seller).as_deref(), Some("MVM Musterhafter Versicherungsverein Musterstadt a.G."));
    assert_eq!(name(&inv.buyer).as_deref(), Some("Max Mustermann"));
    assert_eq!(inv.subtotal.unwrap().value, amount("50.00"));
    assert_eq!(inv.vat_amount.unwrap().value, amount("9.50"));
    assert_eq!(inv.total.unwrap().value, amount("59.50"));
    assert_eq!(inv.due_date.unwrap().value, date!(2014 - 04 - 01));
}

#[test]
fn a_number_sign_under_a_large_title() {
    use crate::{TextDocument, TextLine, TextPage, TextWord};
    let word = |text: &str, x: f32, y: f32, size: f32| TextWord {
        text: text.into(),
        x,
        y,
        width: 0.55 * size * text.chars().count() as f32,
        font_size: size,
    };
    let lines = vec![
        TextLine { y: 758.0, words: vec![word("Sammy", 48.0, 758.0, 10.0), word("Maystone", 87.0, 758.0, 10.0)] },
        TextLine { y: 745.0, words: vec![word("INVOICE", 458.0, 745.0, 28.4)] },
        TextLine { y: 723.0, words: vec![word("#", 460.0, 723.0, 12.3), word("2022-0117", 470.0, 723.0, 12.3)] },
        TextLine { y: 672.0, words: vec![word("Date:", 435.0, 672.0, 10.0), word("Jan 1, 2022", 514.0, 672.0, 10.0)] },
    ];
    let doc = TextDocument { pages: vec![TextPage { number: 1, width: 612.0, height: 792.0, lines }] };
    let inv = extract_fields(&doc, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.invoice_number.unwrap().value, "2022-0117");
}

#[test]
fn a_one_rate_tax_table_repeated_further_down_and_a_vat_label_over_a_vat_number() {
    let inv = read(
        &[
            &[("TVA : FR11999999998 - SIRET : 99999999800010 - APE : 4778C - SARL au capital de 120 000,00 €", 50.0)],
            &[("Facture FA-2017-0010", 50.0)],
            &[("DATE DE DEBUT DE PRESTATION : 01/01/2026", 50.0), ("Date : 31/01/2026", 400.0)],
            &[
                ("Warenwert", 50.0),
                ("Nettobetrag", 200.0),
                ("MwSt-Betrag", 300.0),
                ("MwSt-%", 380.0),
                ("Endbetrag", 450.0),
            ],
            &[("1062,60", 50.0), ("1056,05", 200.0), ("200,65", 300.0), ("19,0", 380.0), ("1256,70", 450.0)],
            &[],
            &[("1062,60", 50.0), ("1056,05", 200.0), ("200,65", 300.0), ("EUR", 380.0), ("1256,70", 450.0)],
        ],
        &[],
    );
    assert_eq!(inv.issue_date.unwrap().value, date!(2026 - 01 - 31));
    assert_eq!(inv.subtotal.unwrap().value, amount("1056.05"));
    assert_eq!(inv.vat_amount.unwrap().value, amount("200.65"));
    assert_eq!(inv.total.unwrap().value, amount("1256.70"));
}

#[test]
fn a_flush_right_seller_block_and_an_item_joined_by_dashes() {
    use crate::{TextDocument, TextLine, TextPage, TextWord};
    // Each line's words, laid from `x` (or ending at `right` when `x` is negative).
    let line = |y: f32, parts: &[(&str, f32)]| TextLine {
        y,
        words: parts
            .iter()
            .map(|(text, x)| {
                let width = 4.5 * text.chars().count() as f32;
                let x = if *x < 0.0 { -x - width } else { *x };
                TextWord { text: (*text).into(), x, y, width, font_size: 9.0 }
            })
            .collect(),
    };
    let lines = vec![
        line(774.0, &[("FACTURA", 37.0)]),
        line(748.0, &[("DECATHLON ESPANA SAU", -558.0)]),
        line(744.0, &[("Numero de Orden", 37.0), ("ES9812110233", 117.0)]),
        line(735.0, &[("C/ SALVADOR DE MADARIAGA S/N", -558.0)]),
        line(721.0, &[("28702 SAN SEBASTIAN DELOS REYES", -558.0)]),
        line(708.0, &[("ESA79935607", -558.0)]),
        line(677.0, &[("Factura", 37.0), ("1 24 0005 0001201345", 117.0)]),
        line(650.0, &[("DIRECCIÓN DE FACTURACIÓN", 37.0)]),
        line(638.0, &[("Josep GUARDIOLA", 37.0)]),
        line(626.0, &[("C/ Saleretes Nº10", 37.0)]),
        line(560.0, &[("Aislante - 195 x 55 cm - 1 persona", 37.0), ("21,99", 500.0)]),
    ];
    let doc = TextDocument { pages: vec![TextPage { number: 1, width: 595.0, height: 842.0, lines }] };
    let inv = extract_fields(&doc, &OwnParty::default(), Date::MIN);
    assert_eq!(name(&inv.seller).as_deref(), Some("DECATHLON ESPANA SAU"));
    assert_eq!(name(&inv.buyer).as_deref(), Some("Josep GUARDIOLA"));
    assert_eq!(inv.invoice_number.unwrap().value, "1 24 0005 0001201345");
}

#[test]
fn a_brazilian_service_invoice_in_reais() {
    let inv = read(
        &[
            &[("Prestador de Serviços", 200.0)],
            &[("Nome/Razão Social: NORTEL SUPRIMENTOS INDUSTRIAIS LTDA", 60.0)],
            &[("Tomador de Serviços", 200.0)],
            &[("Nome/Razão Social: ANGLO AMERICAN MINERIO DE FERRO BRASIL S/A", 60.0)],
            &[("Valor Total da Nota(R$)", 30.0), ("ISS Retido(R$)", 250.0)],
            &[("59.594,48", 60.0), ("1.787,83", 260.0)],
            &[("Valor Líquido:", 380.0), ("R$ 57.806,65", 450.0)],
        ],
        &[],
    );
    assert_eq!(inv.currency.unwrap().value.code(), "BRL");
    assert_eq!(inv.amount_due.unwrap().value, amount("57806.65"));
    assert_eq!(name(&inv.seller).as_deref(), Some("NORTEL SUPRIMENTOS INDUSTRIAIS LTDA"));
    assert_eq!(name(&inv.buyer).as_deref(), Some("ANGLO AMERICAN MINERIO DE FERRO BRASIL S/A"));
}

#[test]
fn the_sum_row_of_the_lines_under_wrapped_descriptions() {
    let inv = read(
        &[
            &[("Invoice No : # BLR_WFLD20151000982590", 300.0)],
            &[
                ("Product", 40.0),
                ("Title", 120.0),
                ("Qty", 300.0),
                ("Price", 340.0),
                ("Tax(%)", 400.0),
                ("Tax", 450.0),
                ("Total", 500.0),
            ],
            &[
                ("Memory cards", 40.0),
                ("SanDisk Ultra 16 GB", 120.0),
                ("1", 300.0),
                ("278.61", 340.0),
                ("14.50%", 400.0),
                ("40.39", 450.0),
                ("319.00", 500.0),
            ],
            &[("FSN:", 40.0), ("10 48 MB/s Memory Card", 120.0)],
            &[("WID: VM72516", 40.0)],
            &[("Total", 250.0), ("1", 300.0), ("278.61", 340.0), ("40.39", 450.0), ("319.00", 500.0)],
            &[("Grand Total", 400.0), ("319.00", 500.0)],
        ],
        &[],
    );
    assert_eq!(inv.subtotal.unwrap().value, amount("278.61"));
    assert_eq!(inv.vat_amount.unwrap().value, amount("40.39"));
    assert_eq!(inv.total.unwrap().value, amount("319.00"));
}

#[test]
fn a_printed_vat_number_failing_its_check_digits_is_left_out_with_a_note() {
    let inv = read(
        &[
            &[("Lieferant GmbH", 50.0)],
            &[("Lieferantenstraße 20", 50.0)],
            &[("80333 München", 50.0)],
            &[("Rechnungsnummer", 300.0), ("471102", 450.0)],
            &[("Gesamtbetrag", 300.0), ("235,62", 450.0)],
            &[("USt.-Identnr.:", 300.0), ("DE123456789", 400.0)],
        ],
        &[],
    );
    assert!(inv.seller.vat_number.is_none());
    let notes: Vec<&str> = inv.rule_violations.iter().map(|r| r.message.as_str()).collect();
    assert_eq!(notes, ["the printed VAT number DE123456789 fails its check digits; it was left out"]);
}

#[test]
fn a_centred_till_receipt_letterhead() {
    use crate::{TextDocument, TextLine, TextPage, TextWord};
    // Lines centred on x = 110, as a till prints them.
    let centred = |y: f32, text: &str| {
        let width = 4.8 * text.chars().count() as f32;
        TextLine { y, words: vec![TextWord { text: text.into(), x: 110.0 - width / 2.0, y, width, font_size: 8.0 }] }
    };
    let left = |y: f32, text: &str, amount: &str| TextLine {
        y,
        words: vec![
            TextWord { text: text.into(), x: 11.0, y, width: 4.8 * text.chars().count() as f32, font_size: 8.0 },
            TextWord { text: amount.into(), x: 185.0, y, width: 24.0, font_size: 8.0 },
        ],
    };
    let lines = vec![
        centred(354.0, "TANKSTATION A12"),
        centred(343.0, "Tankstation A12 NV"),
        centred(332.0, "Schoolstraat 23"),
        centred(321.0, "5000 Namur"),
        centred(310.0, "BTW BE 1967.364.886"),
        TextLine {
            y: 299.0,
            words: vec![TextWord { text: "-".repeat(42), x: 11.0, y: 299.0, width: 202.0, font_size: 8.0 }],
        },
        left(288.0, "Diesel B7", "69,41"),
        left(244.0, "TOTAAL EUR", "72,21"),
    ];
    let doc = TextDocument { pages: vec![TextPage { number: 1, width: 226.0, height: 370.0, lines }] };
    let inv = extract_fields(&doc, &OwnParty::default(), Date::MIN);
    assert_eq!(name(&inv.seller).as_deref(), Some("Tankstation A12 NV"));
    assert_eq!(inv.seller.address.map(|a| a.value).as_deref(), Some("Schoolstraat 23, 5000 Namur"));
}

#[test]
fn a_trade_name_over_its_owner_and_an_attention_word_alone() {
    let inv = read(
        &[
            &[("Dubois Design", 50.0)],
            &[("Camille Dubois", 50.0)],
            &[("Rue de la Station 18", 50.0)],
            &[("3000 Leuven", 50.0)],
            &[],
            &[("T.a.v.", 300.0)],
            &[("Fietsenmakerij De Spaak", 300.0)],
            &[("Dorpsstraat 77", 300.0)],
            &[("2511 CV Den Haag", 300.0)],
            &[("Betreft: factuur 2024-049", 50.0)],
            &[("Nettobetrag", 300.0), ("€ 2.160,00", 450.0)],
        ],
        &[],
    );
    assert_eq!(name(&inv.seller).as_deref(), Some("Dubois Design"));
    assert_eq!(name(&inv.buyer).as_deref(), Some("Fietsenmakerij De Spaak"));
}

#[test]
fn a_test_files_bracketed_placeholder_heads_its_block() {
    let inv = read(
        &[
            &[("[Seller name]", 50.0)],
            &[("[Seller address line 1]", 50.0)],
            &[("12345 [Seller city]", 50.0)],
            &[],
            &[("Rechnung PRG1502112", 50.0)],
            &[("Gesamt", 300.0), ("10.555,30 €", 450.0)],
        ],
        &[],
    );
    assert_eq!(name(&inv.seller).as_deref(), Some("[Seller name]"));
}

#[test]
fn vat_rates_of_an_example_on_another_page_are_not_summed() {
    let page = |number: usize, lines: &[&[(&str, f32)]]| {
        let mut p = doc(lines).pages.remove(0);
        p.number = number;
        p
    };
    let doc = crate::TextDocument {
        pages: vec![
            page(
                1,
                &[
                    &[("Facture n° 11608848301659", 50.0)],
                    &[("Montant de la facture soumis à TVA", 50.0), ("10,83", 400.0), ("12,99", 480.0)],
                    &[("TVA 20,00 % payée sur les débits", 50.0), ("2,17", 480.0)],
                    &[("Total TTC", 50.0), ("12,99", 480.0)],
                ],
            ),
            page(
                2,
                &[
                    &[("MIEUX COMPRENDRE LE MONTANT DE VOTRE FACTURE", 50.0)],
                    &[("TVA 10,00 % payée sur les débits", 50.0), ("1,27", 480.0)],
                ],
            ),
        ],
    };
    let inv = extract_fields(&doc, &OwnParty::default(), Date::MIN);
    assert_eq!(inv.vat_amount.unwrap().value, amount("2.17"));
}

#[test]
fn a_spanish_vat_number_alone_and_an_order_number_of_the_same_shape() {
    let inv = read(
        &[
            &[("FACTURA", 40.0)],
            &[("Numero de Orden", 40.0), ("ES9812110233", 120.0), ("DECATHLON ESPANA SAU", 400.0)],
            &[("C/ SALVADOR DE MADARIAGA S/N", 400.0)],
            &[("28702 SAN SEBASTIAN DELOS REYES", 400.0)],
            &[("ESA79935607", 400.0)],
            &[("Factura", 40.0), ("1 24 0005 0001201345", 120.0)],
        ],
        &[],
    );
    assert_eq!(inv.seller.vat_number.unwrap().value.as_str(), "ESA79935607");
}

#[test]
fn an_odoo_contact_after_its_company() {
    let inv = read(
        &[
            &[("Global Wholesaler", 50.0)],
            &[("4557 De Silva St", 50.0)],
            &[("YourCompany, Mitchell Admin", 330.0)],
            &[("215 Vine St", 330.0)],
            &[("Scranton PA 18503", 330.0)],
            &[("Invoice INV/2023/03/0008", 50.0)],
            &[("Total", 330.0), ("$ 1,000.00", 450.0)],
        ],
        &[],
    );
    assert_eq!(name(&inv.buyer).as_deref(), Some("YourCompany"));
}

#[test]
fn a_platform_invoicing_on_behalf_of_its_supplier_and_an_issued_by_label() {
    let inv = read(
        &[
            &[("Btw-factuur", 50.0)],
            &[("Factuurnummer 2666452584", 50.0)],
            &[("Uitgegeven door", 50.0), ("Gefactureerd aan", 300.0)],
            &[("Nestly Ireland UC", 50.0), ("Gîtes Ardennais SRL", 300.0)],
            &[("87 Sir John Rogerson's Quay", 50.0), ("119 Avenue Louise", 300.0)],
            &[("D02 X285 Dublin 2", 50.0), ("3500 Hasselt", 300.0)],
            &[("Totaal", 300.0), ("12,96 €", 450.0)],
        ],
        &[],
    );
    assert_eq!(name(&inv.seller).as_deref(), Some("Nestly Ireland UC"));
    let inv = read(
        &[
            &[("Tax invoice", 50.0)],
            &[("Swiftride B.V. on behalf of Taxibedrijf Yilmaz", 50.0)],
            &[("Kerkstraat 12", 50.0)],
            &[("1017 GC Amsterdam", 50.0)],
            &[("Total", 300.0), ("€ 24,50", 450.0)],
        ],
        &[],
    );
    assert_eq!(name(&inv.seller).as_deref(), Some("Taxibedrijf Yilmaz"));
}

#[test]
fn a_tills_legal_line_under_the_last_amount_and_a_guest_column() {
    let inv = read(
        &[
            &[("DISCOUNTIA", 60.0)],
            &[("Vestdijk 212", 60.0)],
            &[("Reservation", 40.0), ("Guest name", 120.0), ("Arrival", 220.0), ("Departure", 290.0)],
            &[("FRUITMAND", 10.0), ("9,38", 180.0)],
            &[("KAAS JONG BLOK", 10.0), ("4,52", 180.0)],
            &[("TE BETALEN EUR", 10.0), ("13,90", 180.0)],
            &[],
            &[("Discountia Nederland B.V.", 50.0)],
            &[("BTW NL2201.45.192.B01", 60.0)],
            &[("BEDANKT EN TOT ZIENS", 65.0)],
        ],
        &[],
    );
    assert_eq!(name(&inv.seller).as_deref(), Some("Discountia Nederland B.V."));
    assert_eq!(inv.seller.vat_number.unwrap().value.as_str(), "NL220145192B01");
    assert_ne!(name(&inv.buyer).as_deref(), Some("Arrival"));
}

#[test]
fn a_norwegian_invoice_in_crowns_with_its_vat_base_and_a_deadline() {
    let inv = read(
        &[
            &[("Faktura", 400.0)],
            &[("Rik Rikmansen og sønner", 50.0), ("Fakturanummer: 38", 300.0)],
            &[("Pengeveien 342", 50.0), ("Fakturadato: 2. november 2017", 300.0)],
            &[("9876 Gokk", 50.0), ("Forfallsdato: 16. november 2017", 300.0)],
            &[("MVA-grunnlag:", 300.0), ("23 000.00 kr", 450.0)],
            &[("MVA:", 300.0), ("4 600.00 kr", 450.0)],
            &[("Å betale:", 300.0), ("27 600.00 kr", 450.0)],
        ],
        &[],
    );
    assert_eq!(inv.currency.unwrap().value.code(), "NOK");
    assert_eq!(inv.subtotal.unwrap().value, amount("23000.00"));
    assert_eq!(inv.vat_amount.unwrap().value, amount("4600.00"));
    let inv = read(
        &[
            &[("Invoice number: 42", 300.0)],
            &[("Invoice date: April 1, 2017", 300.0)],
            &[("Deadline: November 23, 2017", 300.0)],
            &[("Total:", 300.0), ("650 USD", 450.0)],
        ],
        &[],
    );
    assert_eq!(inv.due_date.unwrap().value, date!(2017 - 11 - 23));
}

#[test]
fn a_venezuelan_factura_in_bolivars_with_a_company_name_over_a_dot_leader() {
    let inv = read(
        &[
            &[("Lázaro de la Vega y San Román", 200.0)],
            &[("Av. Garcilaso de la Vega, Qta. San Román, Caracas, Venezuela.", 120.0)],
            &[("FACTURA Nº 000001", 50.0), ("Fecha de emisión: 02-07-2022", 400.0)],
            &[("Datos del cliente", 250.0)],
            &[("Razón social: Ayala San Vicente Usureros . . . . . . . . R.I.F.: Y-12.345.678-9", 50.0)],
            &[("Persona de contacto: Jacinto de Ayala", 50.0)],
            &[("IVA R (8%)", 380.0), ("Bs.65,60", 480.0)],
            &[("IVA G (16%)", 380.0), ("Bs.131,20", 480.0)],
            &[("TOTAL", 380.0), ("Bs.1.836,80", 480.0)],
        ],
        &[],
    );
    assert_eq!(inv.total.unwrap().value, amount("1836.80"));
    assert_eq!(inv.currency.unwrap().value.code(), "VES");
    assert_eq!(name(&inv.buyer).as_deref(), Some("Ayala San Vicente Usureros"));
    // The letterhead, a name alone at the top, is the seller when nothing else names one.
    assert_eq!(name(&inv.seller).as_deref(), Some("Lázaro de la Vega y San Román"));
}

#[test]
fn a_payment_schedule_of_one_instalment_gives_the_due_date() {
    let schedule = |rows: &[&[(&str, f32)]]| {
        let mut lines: Vec<&[(&str, f32)]> = vec![
            &[("Invoice N°: INV-0007", 200.0)],
            &[("Date: 06/28/2023", 50.0)],
            &[("Total:", 400.0), ("$ 303.25", 480.0)],
            &[("Payment Term", 380.0)],
            &[("Date", 300.0), ("Amount", 450.0)],
        ];
        lines.extend_from_slice(rows);
        read(&lines, &[]).due_date.map(|d| d.value)
    };
    assert_eq!(schedule(&[&[("07/28/2023", 300.0), ("$ 303.25", 450.0)]]), Some(date!(2023 - 07 - 28)));
    // Two instalments name no one due date.
    let two: &[&[(&str, f32)]] =
        &[&[("07/28/2023", 300.0), ("$ 150.00", 450.0)], &[("08/28/2023", 300.0), ("$ 153.25", 450.0)]];
    assert_eq!(schedule(two), None);
}
