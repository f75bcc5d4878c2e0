//! Unit tests of kinds first seen in invoices of ticketing and web-shop software (`corpus/pretix.py`,
//! `corpus/billing.py`): cancellations with their own number and date beside the original
//! invoice's, received and outstanding payments, order totals, amounts with their currency code
//! in right-aligned columns, credit notes without item names, country lines and courtesy titles.

use super::style_tests::{Cells, doc_sized};
use super::tests::{decimal as amount, read_lines as read, text_of as text, value_of as value};
use super::*;

fn day(f: &Option<Extracted<Date>>) -> Option<String> {
    f.as_ref().map(|e| e.value.to_string())
}

#[test]
fn a_cancellations_number_and_date_beside_the_original_invoices() {
    // In a header table, labels over values.
    let inv = read(&[
        &[("Granit Digital BV", 50.0)],
        &[
            ("Bestellnummer", 50.0),
            ("Korrekturnummer", 200.0),
            ("Ursprüngl. Rechnung", 300.0),
            ("Korrekturdatum", 420.0),
        ],
        &[("FEST2585-RCNZR", 50.0), ("AV-00001", 200.0), ("2025-00331", 300.0), ("30. Juli 2025", 420.0)],
        &[("Rechnungskorrektur", 50.0)],
        &[("Rechnungsbetrag", 300.0), ("-91,27 €", 450.0)],
    ]);
    assert_eq!(text(&inv.invoice_number), Some("AV-00001"));
    assert_eq!(day(&inv.issue_date).as_deref(), Some("2025-07-30"));
    // Stacked in a column, each label over its value, the original's date last.
    let inv = read(&[
        &[("RECHNUNGSAUSSTELLER", 50.0), ("BESTELLNUMMER", 350.0)],
        &[("Willow Partners GmbH & Co. KG", 50.0), ("FEST2641-8TLUG", 350.0)],
        &[("KORREKTURNUMMER", 350.0)],
        &[("2025-00251", 350.0)],
        &[("URSPRÜNGL. RECHNUNG", 350.0)],
        &[("2025-00250", 350.0)],
        &[("KORREKTURDATUM", 350.0)],
        &[("10. Dezember 2025", 350.0)],
        &[("URSPRÜNGL. RECHNUNGSDATUM", 350.0)],
        &[("2. Dezember 2025", 350.0)],
        &[("Rechnungskorrektur", 50.0)],
        &[("Rechnungsbetrag", 300.0), ("-13,26 €", 450.0)],
    ]);
    assert_eq!(text(&inv.invoice_number), Some("2025-00251"));
    assert_eq!(day(&inv.issue_date).as_deref(), Some("2025-12-10"));
}

#[test]
fn received_and_outstanding_payments() {
    let inv = read(&[
        &[("Order code", 50.0), ("Invoice number", 250.0), ("Invoice date", 450.0)],
        &[("LIVE2553-UJAAG", 50.0), ("F2024/00297", 250.0), ("Oct. 14, 2024", 450.0)],
        &[("Invoice total", 50.0), ("€ 173,20", 450.0)],
        &[("Received payments", 50.0), ("€ -86,60", 450.0)],
        &[("Outstanding payments", 50.0), ("€ 86,60", 450.0)],
    ]);
    assert_eq!(value(&inv.total), amount("173.20"));
    assert_eq!(value(&inv.amount_due), amount("86.60"));
}

#[test]
fn pay_before_a_date_without_an_article() {
    let inv = read(&[
        &[("Numéro de facture", 50.0), ("Date de facturation", 300.0)],
        &[("2024-000304", 50.0), ("18 Octobre 2024", 300.0)],
        &[("Total de la facture", 50.0), ("826,46 €", 450.0)],
        &[("Veuillez terminer votre paiement avant 28/10/2024.", 50.0)],
    ]);
    assert_eq!(day(&inv.due_date).as_deref(), Some("2024-10-28"));
}

#[test]
fn a_country_alone_on_its_line_is_no_name() {
    // The sender line (8 pt) wraps its country under it, beside the seller's block; the buyer's
    // address window follows (as pretix prints them).
    let lines: &[(f32, f32, Cells<'_>)] = &[
        (696.0, 8.0, &[("Mosaic Trading V.O.F. · Hoofdstraat 171 · 3511 CE Utrecht ·", 70.9)]),
        (690.2, 10.0, &[("Mosaic Trading V.O.F.", 438.4)]),
        (686.0, 8.0, &[("Nederland", 70.9)]),
        (678.2, 10.0, &[("Hoofdstraat 171", 462.8)]),
        (667.1, 10.0, &[("Jan de Vries", 70.9), ("3511 CE Utrecht", 463.7)]),
        (655.5, 10.0, &[("Hoofdstraat 181", 70.9), ("Nederland", 489.3)]),
        (643.0, 10.0, &[("1017 AB Amsterdam", 70.9), ("Btw-nummer: NL035080930B04", 389.6)]),
        (632.3, 10.0, &[("Nederland", 70.9)]),
        (558.4, 8.0, &[("Bestelcode", 70.9), ("Factuurnummer", 269.3), ("Factuurdatum", 456.9)]),
        (544.0, 10.0, &[("FEST2628-GNVSA", 70.9), ("FEST2628-00063", 269.3), ("1 november 2025", 456.9)]),
        (500.0, 10.0, &[("Factuur", 70.9)]),
        (400.0, 10.0, &[("Factuurbedrag", 70.9), ("CHF 1.649,58", 480.0)]),
    ];
    let inv = extract_fields(&doc_sized(lines), &OwnParty::default(), Date::MIN);
    assert_eq!(inv.buyer.name.as_ref().map(|e| e.value.as_str()), Some("Jan de Vries"));
}

#[test]
fn an_amount_with_its_code_after_it_under_a_right_aligned_header() {
    // "43,54" alone ends left of the "Net" header; with its "CHF" it reaches it.
    let inv = read(&[
        &[("FACTURE DE", 50.0)],
        &[("Delta Energy SRL", 50.0)],
        &[("Description", 70.0), ("Qté", 304.0), ("Taux", 368.0), ("Net", 444.0), ("Brut", 516.0)],
        &[("Pass congrès 3 jours", 70.0), ("1", 310.0), ("21 %", 370.0), ("43,54 CHF", 415.0), ("52,68 CHF", 490.0)],
        &[("Entrée adulte", 70.0), ("1", 310.0), ("21 %", 370.0), ("82,30 CHF", 415.0), ("99,58 CHF", 490.0)],
        &[("Total de la facture", 70.0), ("152,26 CHF", 490.0)],
    ]);
    let totals: Vec<String> = inv.lines.iter().map(|l| l.line_total.to_string()).collect();
    assert_eq!(totals, ["43.54", "82.30"]);
}

#[test]
fn position_heads_the_items_when_nothing_else_does() {
    let inv = read(&[
        &[("Rechnungskorrektur", 50.0)],
        &[("Position", 50.0), ("Menge", 250.0), ("Steuersatz", 310.0), ("Netto", 390.0), ("Brutto", 460.0)],
        &[("Stofftasche", 50.0), ("1", 260.0), ("17 %", 320.0), ("-36,35 €", 390.0), ("-42,53 €", 460.0)],
        &[("Tagesticket", 50.0), ("1", 260.0), ("17 %", 320.0), ("-41,66 €", 390.0), ("-48,74 €", 460.0)],
        &[("Rechnungsbetrag", 50.0), ("-91,27 €", 460.0)],
    ]);
    let names: Vec<&str> = inv.lines.iter().map(|l| l.description.as_str()).collect();
    assert_eq!(names, ["Stofftasche", "Tagesticket"]);
    // Beside a "Bezeichnung", "Position" heads the line numbers.
    let inv = read(&[
        &[("Position", 50.0), ("Bezeichnung", 110.0), ("Menge", 260.0), ("Betrag", 460.0)],
        &[("1", 50.0), ("Beratung", 110.0), ("2", 270.0), ("200,00 €", 460.0)],
        &[("Summe", 300.0), ("200,00 €", 460.0)],
    ]);
    let names: Vec<&str> = inv.lines.iter().map(|l| l.description.as_str()).collect();
    assert_eq!(names, ["Beratung"]);
}

#[test]
fn a_credit_notes_lines_without_item_names() {
    let inv = read(&[
        &[("Issuer: Helix Solutions Ltd", 50.0), ("Customer: Granit Systems PLC", 300.0)],
        &[
            ("#", 57.0),
            ("Service", 71.0),
            ("Unit", 264.0),
            ("Qty.", 351.0),
            ("Unit price", 384.0),
            ("Total Amount", 461.0),
        ],
        &[("1", 57.0), ("pcs", 264.0), ("-4", 351.0), ("250.66 GBP", 384.0), ("-1203.17 GBP", 461.0)],
        &[("2", 57.0), ("-20", 351.0), ("410.50 GBP", 384.0), ("-9852.00 GBP", 461.0)],
        &[("Total", 420.0), ("-11055.17 GBP", 461.0)],
    ]);
    let quantities: Vec<String> =
        inv.lines.iter().filter_map(|l| l.quantity.as_ref().map(ToString::to_string)).collect();
    assert_eq!(quantities, ["-4", "-20"]);
    assert_eq!(inv.seller.name.as_ref().map(|e| e.value.as_str()), Some("Helix Solutions Ltd"));
}

#[test]
fn a_web_shops_order_totals_and_original_invoice_title() {
    let inv = read(&[
        &[("Original invoice #25001959", 300.0)],
        &[("Order #452824", 350.0)],
        &[("Date: 07.10.2025", 350.0)],
        &[("#", 50.0), ("Description", 60.0), ("Quantity", 250.0), ("Unit price", 330.0), ("Total", 450.0)],
        &[("1", 50.0), ("Support hours", 60.0), ("8", 260.0), ("€ 33,00", 330.0), ("€ 264,00", 450.0)],
        &[("Shipping charge:", 330.0), ("€ 12,50", 450.0)],
        &[("Order tax:", 330.0), ("€ 58,06", 450.0)],
        &[("Order total:", 330.0), ("€ 334,56", 450.0)],
    ]);
    assert_eq!(text(&inv.invoice_number), Some("25001959"));
    assert_eq!(value(&inv.vat_amount), amount("58.06"));
    assert_eq!(value(&inv.total), amount("334.56"));
}

#[test]
fn a_storno_is_a_credit_note() {
    let inv = read(&[
        &[("invoice INV-1628", 50.0)],
        &[("Storno of INV-1627", 50.0)],
        &[("Issue date", 50.0), ("12 Oct. 2025", 200.0)],
        &[("Total", 420.0), ("-11068.41 GBP", 461.0)],
    ]);
    assert_eq!(inv.kind.map(|k| k.value), Some(DocumentKind::CreditNote));
    // Charges for cancelling are no cancellation.
    let inv = read(&[
        &[("Invoice INV-7", 50.0)],
        &[("Stornogebühren", 50.0), ("25,00", 400.0)],
        &[("Total", 420.0), ("25,00", 461.0)],
    ]);
    assert_eq!(inv.kind.map(|k| k.value), Some(DocumentKind::Invoice));
}

#[test]
fn an_invoice_titled_document_with_a_negative_total_is_a_credit_note() {
    // An e-invoice of type 381 printed under "Facture": the amounts keep their minus signs, and
    // what was paid brings the balance towards zero.
    let inv = read(&[
        &[("FACTURE", 50.0)],
        &[("Numéro de facture :", 50.0), ("F20220029", 200.0)],
        &[("Total HT", 300.0), ("-100,00 EUR", 450.0)],
        &[("TVA 0 %", 300.0), ("0,00 EUR", 450.0)],
        &[("Total TTC", 300.0), ("-100,00 EUR", 450.0)],
        &[("Acompte reçu", 300.0), ("-10,00 EUR", 450.0)],
        &[("Montant restant dû", 300.0), ("-90,00 EUR", 450.0)],
    ]);
    assert_eq!(inv.kind.map(|k| k.value), Some(DocumentKind::CreditNote));
    assert_eq!(value(&inv.total), amount("-100.00"));
    assert_eq!(value(&inv.amount_due), amount("-90.00"));
}

#[test]
fn a_shops_order_invoice_printed_from_its_forms() {
    // django-cartridge: the order ID is the only reference, the customer's name is printed as
    // the form's fields, the item rows are padded far apart, the VAT is included in the total.
    let lines: &[(f32, f32, Cells<'_>)] = &[
        (800.0, 9.0, &[("Order ID: 36283", 40.0), ("1 november 2024 15:25", 450.0)]),
        (780.0, 9.0, &[("Billing Details", 40.0), ("Shipping Details", 300.0)]),
        (766.0, 9.0, &[("First name:", 40.0), ("Sofie", 120.0), ("First name:", 300.0), ("Sofie", 380.0)]),
        (752.0, 9.0, &[("Last name:", 40.0), ("Peeters", 120.0), ("Last name:", 300.0), ("Peeters", 380.0)]),
        (738.0, 9.0, &[("Street:", 40.0), ("Meir 12", 120.0), ("Street:", 300.0), ("Meir 12", 380.0)]),
        (700.0, 9.0, &[("Item", 40.0), ("Unit Price", 250.0), ("Qty", 410.0), ("Price", 530.0)]),
        (669.0, 9.0, &[("Supporturen", 40.0), ("€ 621,03", 250.0), ("6", 412.0), ("€ 3.726,18", 515.0)]),
        (640.0, 9.0, &[("Installatie netwerk", 40.0), ("€ 44,14", 250.0), ("1", 412.0), ("€ 44,14", 515.0)]),
        (611.0, 9.0, &[("Programmeerwerk", 40.0), ("€ 30,23", 250.0), ("4", 412.0), ("€ 120,92", 515.0)]),
        (590.0, 9.0, &[("Sub total:", 440.0), ("€ 3.891,24", 515.0)]),
        (578.0, 9.0, &[("Incl. 21% VAT:", 430.0), ("€ 675,34", 515.0)]),
        (566.0, 9.0, &[("Flat rate shipping:", 410.0), ("€ 14,95", 515.0)]),
        (554.0, 9.0, &[("Total:", 450.0), ("€ 3.906,19", 515.0)]),
    ];
    let inv = extract_fields(&doc_sized(lines), &OwnParty::default(), Date::MIN);
    assert_eq!(text(&inv.invoice_number), Some("36283"));
    assert_eq!(inv.buyer.name.as_ref().map(|e| e.value.as_str()), Some("Sofie Peeters"));
    assert_eq!(value(&inv.vat_amount), amount("675.34"));
    assert_eq!(value(&inv.total), amount("3906.19"));
    assert_eq!(inv.lines.len(), 3);
}
