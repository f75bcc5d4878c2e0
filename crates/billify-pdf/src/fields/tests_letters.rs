//! Unit tests of the documents small businesses type or get at the till: letters with the
//! invoice in the subject and the total in a sentence, receipts, marketplace invoices.

use super::tests::doc;
use super::*;
use std::str::FromStr;

use bigdecimal::BigDecimal;
use time::macros::date;

fn amount(s: &str) -> BigDecimal {
    BigDecimal::from_str(s).unwrap()
}

fn read(lines: &[&[(&str, f32)]]) -> ExtractedInvoice {
    extract_fields(&doc(lines), &OwnParty::default(), Date::MIN)
}

#[test]
fn a_letter_names_its_invoice_in_the_subject_and_its_due_date_in_a_wrapped_sentence() {
    let inv = read(&[
        &[("Antwerpen, 22-09-2025", 300.0)],
        &[("Betreft: factuur 2025032", 50.0)],
        &[("Het totaal bedraagt € 181,50.", 50.0)],
        &[("Merci de verser la somme sur le compte BE22 9091 0874 3239 avant le 3 août", 50.0)],
        &[("2024 avec la communication 46.", 50.0)],
    ]);
    assert_eq!(inv.invoice_number.unwrap().value, "2025032");
    assert_eq!(inv.total.unwrap().value, amount("181.50"));
    assert_eq!(inv.due_date.unwrap().value, date!(2024 - 08 - 03));
    // A credit note's subject names the invoice it corrects: its own number wins.
    let inv = read(&[&[("Creditnota nr C2024-009", 50.0)], &[("Re: invoice F2024-117", 50.0)]]);
    assert_eq!(inv.invoice_number.unwrap().value, "C2024-009");
}

#[test]
fn a_till_receipt_is_paid_by_card_and_its_clerk_is_no_seller() {
    let inv = read(&[
        &[("Buurtsuper Van Gool NV", 100.0)],
        &[("Rue Haute 40", 110.0)],
        &[("5000 Namur", 115.0)],
        &[("TOTAL EUR", 50.0), ("EUR 46,64", 250.0)],
        &[("Maestro", 50.0), ("46,64", 250.0)],
        &[("Solde", 50.0), ("0,00", 250.0)],
        &[("03-08-2025 16:04:28", 50.0), ("Ticket 379902", 200.0)],
        &[("Caisse 4", 50.0), ("Vendeur Marc", 120.0)],
    ]);
    assert_eq!(inv.invoice_number.unwrap().value, "379902");
    assert_eq!(inv.total.unwrap().value, amount("46.64"));
    assert_eq!(inv.amount_due.unwrap().value, amount("0.00"));
    assert_ne!(inv.seller.name.map(|n| n.value).as_deref(), Some("Marc"));
}

#[test]
fn a_marketplace_seller_is_named_without_the_marketplace() {
    let inv = read(&[
        &[("Verkocht door: HomeOffice Direct VOF via Winkelplein.nl", 50.0)],
        &[("Totaal", 300.0), ("€ 121,00", 450.0)],
    ]);
    assert_eq!(inv.seller.name.unwrap().value, "HomeOffice Direct VOF");
    let inv = read(&[&[("Verkocht door: Équipements Martin SARL via GlobalMart", 50.0)]]);
    assert_eq!(inv.seller.name.unwrap().value, "Équipements Martin SARL");
}

#[test]
fn mileage_and_a_cash_discount_are_no_vat_and_no_payment() {
    // An exempt invoice with a mileage line: "km" (Estonian VAT) is no VAT label here.
    let inv = read(&[
        &[("Omschrijving", 50.0), ("Aantal", 250.0), ("Bedrag", 450.0)],
        &[("Advies", 50.0), ("2", 250.0), ("200,00", 450.0)],
        &[("km-vergoeding", 50.0), ("120", 250.0), ("50,40", 450.0)],
        &[("Vrijgesteld van btw (art. 44 WBTW)", 50.0)],
        &[("Totaal", 300.0), ("250,40", 450.0)],
    ]);
    assert_eq!(inv.subtotal.map(|s| s.value), Some(amount("250.40")));
    assert!(inv.vat_amount.is_none_or(|v| v.value == amount("0")));
    // A cash discount offered is no payment received.
    let inv = read(&[
        &[("Totaal", 300.0), ("302,98", 450.0)],
        &[("Cash discount 2%", 300.0), ("5,01", 450.0)],
        &[("Amount due", 300.0), ("297,97", 450.0)],
    ]);
    assert!(inv.prepaid.is_none(), "{:?}", inv.prepaid);
}

#[test]
fn a_net_amount_plus_vat_written_in_a_sentence() {
    let inv = extract_fields(
        &doc(&[
            &[("Maes Conseil", 50.0)],
            &[("Keizersgracht 120", 50.0)],
            &[("4000 Liège", 50.0)],
            &[("Betreft: factuur 2025-055", 50.0)],
            &[("Fotoreportage opening: EUR 75,00 + Btw 21% EUR 15,75.", 50.0)],
            &[("Het totaal bedraagt EUR 90,75.", 50.0)],
        ]),
        &OwnParty::default(),
        Date::MIN,
    );
    assert_eq!(inv.total.map(|t| t.value.to_string()).as_deref(), Some("90.75"));
    assert_eq!(inv.subtotal.map(|t| t.value.to_string()).as_deref(), Some("75.00"));
    assert_eq!(inv.vat_amount.map(|t| t.value.to_string()).as_deref(), Some("15.75"));
}

#[test]
fn an_invoice_said_to_be_paid_leaves_nothing_due() {
    let read = |extra: &[(&str, f32)]| {
        let mut lines: Vec<&[(&str, f32)]> = vec![
            &[("Coolblue B.V.", 50.0)],
            &[("Weena 664", 50.0)],
            &[("3012 CN Rotterdam", 50.0)],
            &[("Factuurnummer 2023-88123", 50.0)],
            &[("Totaal excl. btw", 300.0), ("€ 85,94", 450.0)],
            &[("Btw 21%", 300.0), ("€ 18,05", 450.0)],
            &[("Totaal", 300.0), ("€ 103,99", 450.0)],
        ];
        lines.push(extra);
        extract_fields(&doc(&lines), &OwnParty::default(), Date::MIN)
    };
    let paid = read(&[("Betaald met Bancontact op 16-03-2023. Je hoeft niets meer te betalen.", 50.0)]);
    assert_eq!(paid.amount_due.map(|d| d.value), Some(amount("0")));
    let card = read(&[("PAYÉE – prélevée sur la carte Visa •••• 3561 le 24/11/2023", 50.0)]);
    assert_eq!(card.amount_due.map(|d| d.value), Some(amount("0")));
    let settled = read(&[("Reeds verrekend", 300.0), ("- € 103,99", 450.0)]);
    assert_eq!(settled.amount_due.map(|d| d.value), Some(amount("0.00")));
    // A direct debit still to come, and a label of what was paid, say nothing of the kind.
    let later = read(&[("Het bedrag wordt verrekend met je uitbetaling.", 50.0)]);
    assert_eq!(later.amount_due.map(|d| d.value), Some(amount("103.99")));
    let denied = read(&[("Let op: deze factuur is nog niet betaald met Bancontact.", 50.0)]);
    assert_eq!(denied.amount_due.map(|d| d.value), Some(amount("103.99")));
    let label = read(&[("Reeds betaald", 300.0), ("€ 0,00", 450.0)]);
    assert_eq!(label.amount_due.map(|d| d.value), Some(amount("103.99")));
}

#[test]
fn a_printed_amount_due_outweighs_a_card_on_file() {
    let inv = extract_fields(
        &doc(&[
            &[("Invoice #2025-0412", 50.0)],
            &[("Subtotal", 300.0), ("$18.34", 450.0)],
            &[("TOTAL USD", 300.0), ("$18.34", 450.0)],
            &[("AMOUNT DUE USD", 300.0), ("$18.34", 450.0)],
            &[("Charged to Visa ending in 4242", 50.0)],
        ]),
        &OwnParty::default(),
        Date::MIN,
    );
    assert_eq!(inv.amount_due.map(|d| d.value), Some(amount("18.34")));
}

#[test]
fn our_own_name_set_straight_under_the_senders_block_starts_a_block_of_its_own() {
    let lines: &[&[(&str, f32)]] = &[
        &[("Waterbedrijf Oost N.V.", 50.0)],
        &[("Stationsweg 12", 50.0)],
        &[("1017 AB Amsterdam", 50.0)],
        &[("Btw NL4764.81.028.B01", 50.0)],
        &[("Tandartspraktijk Zuid B.V.", 50.0)],
        &[("Kerkstraat 3", 50.0)],
        &[("6811 KJ Arnhem", 50.0)],
        &[("Waterfactuur", 50.0)],
        &[("Nummer", 50.0), ("2024/08403", 200.0)],
        &[("Totaal te betalen", 50.0), ("181,15 €", 200.0)],
    ];
    let own = OwnParty { names: vec!["Tandartspraktijk Zuid B.V.".into()], ..OwnParty::default() };
    let inv = extract_fields(&doc(lines), &own, Date::MIN);
    assert_eq!(inv.seller.name.unwrap().value, "Waterbedrijf Oost N.V.");
    assert_eq!(inv.buyer.name.unwrap().value, "Tandartspraktijk Zuid B.V.");
}

#[test]
fn a_till_receipt_paid_by_card_owes_nothing_and_a_fee_per_card_brand_is_no_payment() {
    let till = read(&[
        &[("DISCOUNTIA", 120.0)],
        &[("FRUITMAND", 50.0), ("9,38 B", 250.0)],
        &[("TE BETALEN EUR", 50.0), ("248,62", 250.0)],
        &[("MASTERCARD", 50.0), ("248,62", 250.0)],
    ]);
    assert_eq!(till.amount_due.map(|d| d.value), Some(amount("0")));
    assert_eq!(till.prepaid.map(|d| d.value), Some(amount("248.62")));
    // Transaction fees listed per payment method are lines, not payments (they would leave
    // 19,96 due). A printed zero due alone does not say the invoice is paid: the total stays due.
    let fees = read(&[
        &[("Omschrijving", 50.0), ("Aantal", 250.0), ("Tarief", 330.0), ("Bedrag", 420.0)],
        &[("Terugbetalingen", 50.0), ("37", 250.0), ("€ 0,25", 330.0), ("€ 9,25", 420.0)],
        &[("Bancontact", 50.0), ("107", 250.0), ("€ 0,39", 330.0), ("€ 41,73", 420.0)],
        &[("Subtotaal", 330.0), ("€ 50,98", 420.0)],
        &[("Btw 21%", 330.0), ("€ 10,71", 420.0)],
        &[("Totaal", 330.0), ("€ 61,69", 420.0)],
        &[("Openstaand", 330.0), ("€ 0,00", 420.0)],
    ]);
    assert_eq!(fees.prepaid, None);
    assert_eq!(fees.amount_due.map(|d| d.value), Some(amount("61.69")));
    // "Bezahlt:" and "Factuurtotaal", "Credit total": a payment and totals by other names.
    let paid =
        read(&[&[("Rechnungsbetrag", 300.0), ("211,42 €", 450.0)], &[("Bezahlt: Maestro **** 8444 – 211,42 €", 50.0)]]);
    assert_eq!(paid.amount_due.map(|d| d.value), Some(amount("0.00")));
    let nl = read(&[&[("Factuurtotaal", 300.0), ("121,80 €", 450.0)]]);
    assert_eq!(nl.total.map(|d| d.value), Some(amount("121.80")));
    let credit = read(&[&[("Credit total", 300.0), ("-€542.42", 450.0)]]);
    assert_eq!(credit.total.map(|d| d.value.abs()), Some(amount("542.42")));
}

#[test]
fn vat_over_its_base_per_rate_in_an_exact_online_footer() {
    let inv = read(&[
        &[("Factuurnummer", 50.0), ("Factuurdatum", 200.0)],
        &[("25586", 50.0), ("16-07-2024", 200.0)],
        &[("Totaal excl. btw", 300.0), ("EUR", 420.0), ("347,46", 500.0)],
        &[("Btw 21% over 180,85", 300.0), ("EUR", 420.0), ("37,98", 500.0)],
        &[("Btw 9% over 159,00", 300.0), ("EUR", 420.0), ("14,31", 500.0)],
        &[("Btw 0% over 7,61", 300.0), ("EUR", 420.0), ("0,00", 500.0)],
        &[("Totaal incl. btw", 300.0), ("EUR", 420.0), ("399,75", 500.0)],
    ]);
    assert_eq!(inv.subtotal.map(|d| d.value), Some(amount("347.46")));
    assert_eq!(inv.vat_amount.map(|d| d.value), Some(amount("52.29")));
    assert_eq!(inv.total.map(|d| d.value), Some(amount("399.75")));
}

#[test]
fn a_customer_label_beside_its_number_names_no_party() {
    let twinfield = read(&[
        &[("Accountantskantoor Van Dam B.V.", 380.0)],
        &[("Dorpsstraat 104", 420.0)],
        &[("4811 MX Breda", 420.0)],
        &[("Fysiotherapie Centrum Oost B.V.", 50.0), ("Invoice number", 330.0), ("202401631", 430.0)],
        &[("Accounts Payable", 50.0), ("Invoice date", 330.0), ("10/07/2024", 430.0)],
        &[("Europalaan 37", 50.0), ("Due date", 330.0), ("09/08/2024", 430.0)],
        &[("9711 VV Groningen", 50.0), ("Customer", 330.0), ("1072", 430.0)],
        &[("Period", 330.0), ("2024/07", 430.0)],
        &[("Your VAT number", 330.0), ("NL357780309B01", 430.0)],
    ]);
    assert_eq!(twinfield.buyer.name.map(|n| n.value).as_deref(), Some("Fysiotherapie Centrum Oost B.V."));
    let winbooks = read(&[
        &[("FIDUCIAIRE DU CONDROZ SRL", 50.0)],
        &[("Rue de la Station 9", 50.0)],
        &[("6000 Charleroi", 50.0)],
        &[("Client : 8883", 400.0)],
        &[("Garage du Pont SA", 400.0)],
        &[("Rue Saint-Gilles 158", 400.0)],
        &[("6000 Charleroi", 400.0)],
        &[("FACTURE N° 2500721", 50.0), ("Date facture : 29/05/2025", 400.0)],
    ]);
    assert_eq!(winbooks.buyer.name.map(|n| n.value).as_deref(), Some("Garage du Pont SA"));
}

#[test]
fn benelux_invoicing_tools_print_their_dates_numbers_and_balances_so() {
    // Mollie: two labelled dates on one line, and a paid invoice said so in a sentence.
    let mollie = read(&[
        &[("Factuur INV-2025-0373", 50.0)],
        &[("Uitgegeven op 8 maart 2025 · Vervalt op 15 maart 2025", 50.0)],
        &[("Totaal", 300.0), ("€ 162,14", 450.0)],
        &[("Betaald op 14 maart 2025 via Apple Pay", 300.0)],
        &[("Openstaand bedrag", 300.0), ("€ 0,00", 450.0)],
    ]);
    assert_eq!(mollie.issue_date.map(|d| d.value), Some(date!(2025 - 03 - 08)));
    assert_eq!(mollie.due_date.map(|d| d.value), Some(date!(2025 - 03 - 15)));
    assert_eq!(mollie.amount_due.map(|d| d.value), Some(amount("0")));
    // Rompslomp: "Te voldoen vóór" is the due date, not an amount to pay.
    let rompslomp = read(&[
        &[("Factuur 2025-068", 50.0)],
        &[("Factuurdatum", 50.0), ("13 december 2025", 200.0)],
        &[("Te voldoen vóór", 50.0), ("12 januari 2026", 200.0)],
    ]);
    assert_eq!(rompslomp.due_date.map(|d| d.value), Some(date!(2026 - 01 - 12)));
    // A credit note's reference to the invoice it corrects does not date it; "Creditfactuur"
    // is a credit note.
    let credit = read(&[
        &[("Creditfactuur", 50.0)],
        &[("Nummer", 50.0), ("CN-20250138", 150.0)],
        &[("Datum", 50.0), ("04-10-2025", 150.0)],
        &[("Betreft factuur 2025/0395 van 06-09-2025", 60.0)],
    ]);
    assert_eq!(credit.kind.map(|k| k.value), Some(DocumentKind::CreditNote));
    assert_eq!(credit.issue_date.map(|d| d.value), Some(date!(2025 - 10 - 04)));
    // Visma: the title word heads a column of the header table, its number under it.
    let visma = read(&[&[("Creditnota", 300.0), ("Factuurdatum", 420.0)], &[("1312", 300.0), ("31-03-2025", 420.0)]]);
    assert_eq!(visma.invoice_number.map(|n| n.value).as_deref(), Some("1312"));
    // A final invoice: the balance to pay after the deposit.
    let balance = read(&[
        &[("Totaal incl. btw", 300.0), ("€ 2.655,87", 450.0)],
        &[("Reeds betaald voorschot (factuur 2023-0313 van 18/11/2023)", 300.0)],
        &[("Saldo te betalen", 300.0), ("€ 1.327,93", 450.0)],
    ]);
    assert_eq!(balance.amount_due.map(|d| d.value), Some(amount("1327.93")));
}

#[test]
fn a_letter_signed_under_its_closing_and_a_trade_name_cut_in_the_footer() {
    let kor = read(&[
        &[("Development Smit", 50.0)],
        &[("Havenstraat 164-A", 50.0)],
        &[("2311 ND Leiden", 50.0)],
        &[("Factuurnummer: 20250198", 300.0)],
        &[("Totaal", 300.0), ("€ 2333,50", 450.0)],
        &[("Met vriendelijke groet,", 50.0)],
        &[("Bram Smit", 50.0)],
        &[("KvK 84606968 | Btw-id NL236540406B75 | IBAN NL08KNAB8977061768", 100.0)],
    ]);
    assert_eq!(kor.seller.name.map(|n| n.value).as_deref(), Some("Development Smit"));
    let word = read(&[
        &[("Julie Janssens – Copywriting", 50.0)],
        &[("Molenstraat 31 – 8400 Oostende", 50.0)],
        &[("Factuur aan:", 50.0), ("Factuurnummer: 2024-0126", 300.0)],
        &[("Garage Vermeersch NV", 50.0)],
        &[("Industrieweg 207", 50.0)],
        &[("Totaal", 300.0), ("494,89 €", 450.0)],
        &[("Julie Janssens – Copywriting – Molenstraat 31, 8400 Oostende – IBAN BE13 7359 7913 2839", 60.0)],
    ]);
    assert_eq!(word.seller.name.map(|n| n.value).as_deref(), Some("Julie Janssens – Copywriting"));
}

#[test]
fn a_till_receipts_items_are_its_lines_net_of_the_vat_of_their_code() {
    let lines = |items: &[&[(&str, f32)]], total: &str| {
        let mut doc_lines: Vec<&[(&str, f32)]> = vec![
            &[("Tankstation A12 NV", 120.0)],
            &[("Schoolstraat 23", 120.0)],
            &[("------------------------------", 50.0)],
        ];
        doc_lines.extend_from_slice(items);
        let total_line = [("TOTAAL", 50.0), (total, 250.0)];
        doc_lines.push(&total_line);
        doc_lines.push(&[("BTW %", 50.0), ("Basis", 120.0), ("BTW", 180.0), ("Totaal", 250.0)]);
        doc_lines.push(&[("A 21%", 50.0), ("59,68", 120.0), ("12,53", 180.0), ("72,21", 250.0)]);
        read(&doc_lines).lines
    };
    let read_lines = lines(
        &[
            &[("Pomp 5 Diesel B7", 50.0), ("69,41 A", 250.0)],
            &[("37,68 L x 1,842 EUR/L", 60.0)],
            &[("Koffie to go", 50.0), ("2,80 A", 250.0)],
        ],
        "EUR 72,21",
    );
    assert_eq!(read_lines.len(), 2);
    assert_eq!(read_lines[0].description, "Pomp 5 Diesel B7");
    assert_eq!(read_lines[0].quantity, Some(amount("37.68")));
    assert_eq!(read_lines[0].unit_price, Some(amount("1.522")));
    assert_eq!(read_lines[0].line_total, amount("57.36"));
    assert_eq!(read_lines[1].vat_rate, Some(amount("21")));
    // A description over its quantity line, which carries the price.
    let wrapped = lines(
        &[
            &[("Afwasmiddel", 50.0)],
            &[("2 x 19,63", 60.0), ("39,26 A", 250.0)],
            &[("Koffie", 50.0), ("32,95 A", 250.0)],
        ],
        "EUR 72,21",
    );
    assert_eq!(wrapped.len(), 2);
    assert_eq!(wrapped[0].description, "Afwasmiddel");
    assert_eq!(wrapped[0].quantity, Some(amount("2")));
    // Prices that do not add up to the total are no items.
    let off = lines(&[&[("Koffie to go", 50.0), ("2,80 A", 250.0)]], "EUR 72,21");
    assert!(off.is_empty());
    // Nor are labelled amounts that happen to add up to it.
    let labelled = read(&[
        &[("Artikel:", 50.0), ("95,00", 250.0)],
        &[("Verpackung:", 50.0), ("5,00", 250.0)],
        &[("Versand:", 50.0), ("10,00", 250.0)],
        &[("Gesamtsumme brutto:", 50.0), ("110,00", 250.0)],
        &[("Umsatzsteuer 10 %:", 50.0), ("10,00", 250.0)],
    ]);
    assert!(labelled.lines.is_empty());
}

#[test]
fn a_totals_label_beside_bank_details_heads_no_table() {
    // Sage's footer: the bank on the left, the credit note's total on the right, one line.
    let inv = read(&[
        &[("CREDIT NOTE", 400.0)],
        &[("Total Net Amount", 300.0), ("2,656.44", 450.0)],
        &[("Total VAT Amount", 300.0), ("0.00", 450.0)],
        &[("Bank details: Lloyds Bank", 40.0), ("Credit Note Total", 300.0), ("£2,656.44", 450.0)],
    ]);
    assert_eq!(inv.total.map(|t| t.value), Some(amount("2656.44")));
    // Holded: the seller's name in large type and the buyer's in small type on one baseline are
    // two cells, and "TAX BASE" is the subtotal.
    let d = super::tests::doc(&[&[("Soluciones Digitales S.L.", 48.0)]]);
    let mut d = d;
    let line = &mut d.pages[0].lines[0];
    for w in &mut line.words {
        w.font_size = 14.0;
        w.width *= 1.4;
    }
    let mut x = line.words.last().map_or(0.0, |w| w.x + w.width) + 14.0;
    for t in ["Groendienst", "Peeters", "BV"] {
        let width = 4.0 * t.len() as f32;
        line.words.push(crate::TextWord { text: t.into(), x, y: line.y, width, font_size: 8.3 });
        x += width + 2.5;
    }
    let ctx = Ctx::new(&d);
    assert_eq!(ctx.cells.len(), 2);
    let base = read(&[&[("TAX BASE", 300.0), ("1,718.70€", 450.0)], &[("TOTAL", 300.0), ("1,718.70€", 450.0)]]);
    assert_eq!(base.subtotal.map(|t| t.value), Some(amount("1718.70")));
}

#[test]
fn saas_tools_name_payments_taxes_and_disbursements_their_own_way() {
    // QuickBooks: "PAYMENT" alone labels what was paid; the balance is nothing.
    let qb = read(&[
        &[("TOTAL", 300.0), ("720.91", 450.0)],
        &[("PAYMENT", 300.0), ("720.91", 450.0)],
        &[("BALANCE DUE", 300.0), ("$0.00", 450.0)],
    ]);
    assert_eq!(qb.amount_due.map(|d| d.value), Some(amount("0.00")));
    // Terms starting with the word are no payment.
    let terms = read(&[&[("TOTAL", 300.0), ("720.91", 450.0)], &[("Payment 30 days net", 50.0)]]);
    assert_eq!(terms.amount_due.map(|d| d.value), Some(amount("720.91")));
    // Zoho names its tax rates by code: "VAT21 (21%)", "VAT9 (9%)".
    let zoho = read(&[
        &[("Sub Total", 300.0), ("2,460.91", 450.0)],
        &[("Shipping charge", 300.0), ("37.00", 450.0)],
        &[("VAT21 (21%)", 300.0), ("519.96", 450.0)],
        &[("VAT9 (9%)", 300.0), ("1.97", 450.0)],
        &[("Total", 300.0), ("€3,019.84", 450.0)],
    ]);
    assert_eq!(zoho.vat_amount.map(|d| d.value), Some(amount("521.93")));
    // A notary's disbursements outside VAT are part of the total, not the total.
    let notary = read(&[
        &[("Totaal excl. btw", 300.0), ("1.515,87 €", 450.0)],
        &[("Btw 21%", 300.0), ("318,33 €", 450.0)],
        &[("Totaal voorgeschoten kosten", 300.0), ("362,91 €", 450.0)],
        &[("Totaal", 300.0), ("2.197,11 €", 450.0)],
    ]);
    assert_eq!(notary.total.map(|d| d.value), Some(amount("2197.11")));
    // "Betaal vóór <date>" in a sentence; "DOCUMENTNR." heading a header table's column.
    let apple = read(&[
        &[("ACCOUNT", 50.0), ("DATUM", 200.0), ("DOCUMENTNR.", 400.0)],
        &[("daan@example.nl", 50.0), ("14 apr 2023", 200.0), ("104706848589", 400.0)],
        &[("Totaal", 300.0), ("€ 449,99", 450.0)],
        &[("Betaal vóór 23-06-2024 op rekening BE13 1673 3641 1139 o.v.v. +++961/7536/00671+++.", 50.0)],
    ]);
    assert_eq!(apple.invoice_number.map(|n| n.value).as_deref(), Some("104706848589"));
    assert_eq!(apple.due_date.map(|d| d.value), Some(date!(2024 - 06 - 23)));
}

#[test]
fn a_due_label_heading_a_column_of_bookings_labels_no_total() {
    let booking = read(&[
        &[("Réservation", 50.0), ("Client", 150.0), ("Arrivée", 250.0), ("Départ", 330.0), ("Montant du", 410.0)],
        &[("4327175927", 50.0), ("P. Jansen", 150.0), ("05/03/2024", 250.0), ("07/03/2024", 330.0), ("221,26", 410.0)],
        &[("4089524894", 50.0), ("L. O'Brien", 150.0), ("19/03/2024", 250.0), ("20/03/2024", 330.0), ("134,58", 410.0)],
        &[("Total commission", 330.0), ("114,98 €", 480.0)],
        &[("Montant total dû", 330.0), ("114,98 €", 480.0)],
    ]);
    assert_eq!(booking.amount_due.map(|d| d.value), Some(amount("114.98")));
}

#[test]
fn a_tills_tax_table_closed_by_its_sum_row_gives_the_net_amount_and_the_vat() {
    let inv = read(&[
        &[("DISCOUNTIA", 120.0)],
        &[("FRUITMAND", 50.0), ("9,38 B", 250.0)],
        &[("TE BETALEN EUR", 50.0), ("248,62", 250.0)],
        &[("MASTERCARD", 50.0), ("248,62", 250.0)],
        &[("BTW%", 50.0), ("EXCL", 120.0), ("BTW", 180.0), ("INCL", 250.0)],
        &[("A 21%", 50.0), ("92,17", 120.0), ("19,35", 180.0), ("111,52", 250.0)],
        &[("B 9%", 50.0), ("125,78", 120.0), ("11,32", 180.0), ("137,10", 250.0)],
        &[("SOM", 50.0), ("217,95", 120.0), ("30,67", 180.0), ("248,62", 250.0)],
    ]);
    assert_eq!(inv.subtotal.map(|v| v.value), Some(amount("217.95")));
    assert_eq!(inv.vat_amount.map(|v| v.value), Some(amount("30.67")));
}

#[test]
fn a_din_reference_lines_order_date_is_not_the_invoice_date() {
    let inv = read(&[
        &[("Vulcan Systems AG, Lindenallee 50, 20095 Hamburg", 60.0)],
        &[("Rivier Digital e.K.", 60.0)],
        &[("Bahnhofstraße 73", 60.0)],
        &[("60311 Frankfurt am Main", 60.0)],
        &[
            ("Ihre Zeichen, Ihre Nachricht vom", 60.0),
            ("Unsere Zeichen", 230.0),
            ("Telefon", 360.0),
            ("Hamburg", 450.0),
        ],
        &[("Bestellung vom 11.12.2024", 60.0), ("10.01.2025", 450.0)],
        &[("Betrifft: Rechnung Nr. 1300", 60.0)],
        &[("Summe brutto", 300.0), ("2.193,37 €", 450.0)],
    ]);
    assert_eq!(inv.issue_date.map(|d| d.value), Some(date!(2025 - 01 - 10)));
    assert_eq!(inv.invoice_number.map(|n| n.value).as_deref(), Some("1300"));
}

#[test]
fn a_title_word_before_the_numbers_own_label() {
    let inv = read(&[
        &[("Pieter van Dijk", 448.0)],
        &[("Sirius Works B.V.", 70.0)],
        &[("Factuur – Factuur nr. F2024383", 70.0)],
        &[("Totaal", 300.0), ("1.210,00 €", 450.0)],
    ]);
    assert_eq!(inv.invoice_number.map(|n| n.value).as_deref(), Some("F2024383"));
}

#[test]
fn a_sole_traders_name_beside_a_one_word_trade() {
    let seller = |top: &str, second: &str, mail: &str| {
        let inv = read(&[
            &[(top, 400.0)],
            &[(second, 400.0)],
            &[("Keizersgracht 13", 400.0)],
            &[("2514 JH Den Haag", 400.0)],
            &[(mail, 400.0)],
            &[("Sirius Works B.V.", 70.0)],
            &[("Keizersgracht 52", 70.0)],
            &[("5611 AB Eindhoven", 70.0)],
            &[("Factuur nr. F2024383", 70.0)],
            &[("Totaal", 300.0), ("1.210,00 €", 450.0)],
        ]);
        inv.seller.name.map(|n| n.value)
    };
    assert_eq!(seller("Pieter van Dijk", "ICT-advies", "info@vandijk.nl").as_deref(), Some("Pieter van Dijk"));
    assert_eq!(seller("Übersetzungen", "Regula Keller", "mail@keller.ch").as_deref(), Some("Regula Keller"));
    // A one-word company over its contact, its address named after the company: the company.
    assert_eq!(seller("Coolblue", "Jan de Vries", "info@coolblue.nl").as_deref(), Some("Coolblue"));
}

#[test]
fn a_vat_number_under_a_sentence_naming_you_is_still_the_senders() {
    let own = OwnParty { names: vec!["Kobalt Works B.V.".into()], ..OwnParty::default() };
    let inv = extract_fields(
        &doc(&[
            &[("Mosaic Systems B.V.", 300.0)],
            &[("Hoofdstraat 138", 300.0)],
            &[("5611 AB Eindhoven", 300.0)],
            &[("Kobalt Works B.V.", 60.0)],
            &[("Stationsplein 132", 60.0)],
            &[("9711 LM Groningen", 60.0)],
            &[("Creditfactuur nr. F2024330", 100.0)],
            &[("Totaal creditnota", 100.0), ("€ 4.256,18", 400.0)],
            &[("Dit bedrag wordt verrekend met uw volgende factuur.", 100.0)],
            &[("Btw-id: NL395011796B09, KvK: 55479998", 100.0)],
        ]),
        &own,
        Date::MIN,
    );
    assert_eq!(inv.seller.vat_number.map(|v| v.value.as_str().to_string()).as_deref(), Some("NL395011796B09"));
}
