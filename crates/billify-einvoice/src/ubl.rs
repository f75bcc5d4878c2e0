//! Peppol BIS Billing 3.0 / UBL 2.1 `Invoice` and `CreditNote` to the intake model.

use bigdecimal::BigDecimal;
use billify_domain::Currency;
use billify_ports::intake::{
    AllowanceCharge, DocumentKind, Extracted, ExtractedInvoice, ExtractedParty, ExtractionError, ExtractionMethod,
    InvoiceLine, VatBreakdown,
};
use roxmltree::Node;

use crate::common::{self, Reader};
use crate::xml::{self, NS_UBL_CREDIT_NOTE, children, find, find_all, text};

/// Reads a UBL `Invoice` or `CreditNote` element.
pub(crate) fn read(root: Node<'_, '_>) -> Result<ExtractedInvoice, ExtractionError> {
    let credit_note = xml::is(root, NS_UBL_CREDIT_NOTE, "CreditNote");
    let mut r = Reader::new(if credit_note { "CreditNote" } else { "Invoice" });
    let mut inv = ExtractedInvoice::empty(ExtractionMethod::EinvoiceUbl);

    // BT-1, BT-2, BT-3, BT-5
    inv.invoice_number = Some(Extracted::certain(r.required_text(root, "cbc:ID", "BT-1, invoice number")?));
    let issue = r
        .date(root, "cbc:IssueDate", "BT-2, issue date", xml::parse_iso_date)?
        .ok_or_else(|| ExtractionError::Malformed(format!("missing cbc:IssueDate (BT-2, issue date) in {}", r.doc)))?;
    inv.issue_date = Some(Extracted::certain(issue));
    let type_path = if credit_note { "cbc:CreditNoteTypeCode" } else { "cbc:InvoiceTypeCode" };
    let kind = match text(root, type_path) {
        _ if credit_note => DocumentKind::CreditNote,
        Some(code) => common::kind_of_type_code(&code),
        None => DocumentKind::Invoice,
    };
    inv.kind = Some(Extracted::certain(kind));
    let currency_code = r.required_text(root, "cbc:DocumentCurrencyCode", "BT-5, invoice currency code")?;
    let currency = Currency::parse(&currency_code).map_err(|_| {
        ExtractionError::Malformed(format!(
            "cbc:DocumentCurrencyCode (BT-5) in {} is not an ISO 4217 currency: {:?}",
            r.doc,
            currency_code.chars().take(10).collect::<String>()
        ))
    })?;
    inv.currency = Some(Extracted::certain(currency));

    // BT-9 (an Invoice has cbc:DueDate; a CreditNote states it in its payment means) and BT-20
    let due = match r.date(root, "cbc:DueDate", "BT-9, payment due date", xml::parse_iso_date)? {
        Some(d) => Some(d),
        None => r.date(root, "cac:PaymentMeans/cbc:PaymentDueDate", "BT-9, payment due date", xml::parse_iso_date)?,
    };
    let terms: Vec<String> = find_all(root, "cac:PaymentTerms/cbc:Note").into_iter().filter_map(xml::text_of).collect();
    if !terms.is_empty() {
        inv.payment_terms = Some(Extracted::certain(terms.join("; ")));
    }
    inv.due_date = match due {
        Some(d) => Some(Extracted::certain(d)),
        None => inv.payment_terms.as_ref().and_then(|t| common::due_date_from_terms(&t.value, issue)),
    };

    // BG-3 preceding invoice
    inv.preceding_invoice_number = text(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID");

    // BG-4 seller, BG-7 buyer
    let seller = find(root, "cac:AccountingSupplierParty/cac:Party");
    inv.seller = match seller {
        Some(p) => party(&mut r, p, "seller", "BT-31")?,
        None => ExtractedParty::default(),
    };
    if inv.seller.name.is_none() {
        return Err(ExtractionError::Malformed(format!(
            "missing cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName \
             (BT-27, seller name) in {}",
            r.doc
        )));
    }
    if let Some(p) = find(root, "cac:AccountingCustomerParty/cac:Party") {
        inv.buyer = party(&mut r, p, "buyer", "BT-48")?;
    }

    // BG-16 payment instructions: BT-83 remittance information, BG-17 credit transfer account
    let means = find_all(root, "cac:PaymentMeans");
    if let Some(reference) = means.iter().find_map(|m| text(*m, "cbc:PaymentID")) {
        inv.payment_reference = common::payment_reference(&reference).map(Extracted::certain);
    }
    if let Some(account) = means.iter().find_map(|m| find(*m, "cac:PayeeFinancialAccount")) {
        inv.seller.iban = r.iban(text(account, "cbc:ID"), "BT-84");
        inv.seller.bic = r.bic(text(account, "cac:FinancialInstitutionBranch/cbc:ID"), "BT-86");
    }

    // BG-20 / BG-21 document-level allowances and charges
    for ac in children(root, "cac:AllowanceCharge") {
        inv.allowances_charges.push(allowance_charge(&r, ac)?);
    }

    // BG-22 totals
    let totals = find(root, "cac:LegalMonetaryTotal");
    let total = |path: &str, bt: &str| -> Result<Option<BigDecimal>, ExtractionError> {
        match totals {
            Some(t) => r.amount(t, path, bt),
            None => Ok(None),
        }
    };
    let certain = |v: Option<BigDecimal>| v.map(Extracted::certain);
    inv.line_total = certain(total("cbc:LineExtensionAmount", "BT-106")?);
    inv.allowance_total = certain(total("cbc:AllowanceTotalAmount", "BT-107")?);
    inv.charge_total = certain(total("cbc:ChargeTotalAmount", "BT-108")?);
    inv.subtotal = certain(total("cbc:TaxExclusiveAmount", "BT-109")?);
    inv.prepaid = certain(total("cbc:PrepaidAmount", "BT-113")?);
    inv.rounding_amount = certain(total("cbc:PayableRoundingAmount", "BT-114")?);
    let grand_total = total("cbc:TaxInclusiveAmount", "BT-112")?.ok_or_else(|| {
        ExtractionError::Malformed(format!(
            "missing cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount (BT-112, invoice total amount with VAT) in {}",
            r.doc
        ))
    })?;
    inv.total = Some(Extracted::certain(grand_total));
    let payable = total("cbc:PayableAmount", "BT-115")?.ok_or_else(|| {
        ExtractionError::Malformed(format!(
            "missing cac:LegalMonetaryTotal/cbc:PayableAmount (BT-115, amount due for payment) in {}",
            r.doc
        ))
    })?;
    inv.amount_due = Some(Extracted::certain(payable));

    // BT-110 and BG-23: the TaxTotal in the document currency (a second one may give BT-111 in
    // the VAT accounting currency, with its amount only).
    let tax_totals = find_all(root, "cac:TaxTotal");
    let in_doc_currency = |t: &Node<'_, '_>| {
        find(*t, "cbc:TaxAmount")
            .and_then(|a| a.attribute("currencyID"))
            .is_none_or(|c| c.trim().eq_ignore_ascii_case(currency.code()))
    };
    let tax_total = tax_totals
        .iter()
        .find(|t| in_doc_currency(t) && find(**t, "cac:TaxSubtotal").is_some())
        .or_else(|| tax_totals.iter().find(|t| in_doc_currency(t)))
        .or_else(|| tax_totals.first());
    if let Some(tt) = tax_total {
        inv.vat_amount = certain(r.amount(*tt, "cbc:TaxAmount", "BT-110")?);
        for sub in children(*tt, "cac:TaxSubtotal") {
            inv.vat_breakdown.push(VatBreakdown {
                category: text(sub, "cac:TaxCategory/cbc:ID").unwrap_or_default(),
                rate: r.amount(sub, "cac:TaxCategory/cbc:Percent", "BT-119")?,
                taxable_amount: r.required_amount(sub, "cbc:TaxableAmount", "BT-116, VAT category taxable amount")?,
                tax_amount: r.required_amount(sub, "cbc:TaxAmount", "BT-117, VAT category tax amount")?,
            });
        }
    }
    inv.vat_rate = common::single_vat_rate(&inv.vat_breakdown).map(Extracted::certain);

    // BG-25 lines
    let (line_path, quantity_path) = if credit_note {
        ("cac:CreditNoteLine", "cbc:CreditedQuantity")
    } else {
        ("cac:InvoiceLine", "cbc:InvoicedQuantity")
    };
    for line in children(root, line_path) {
        inv.lines.push(invoice_line(&r, line, quantity_path)?);
    }

    inv.rule_violations = r.notes;
    Ok(inv)
}

/// A `cac:Party` of the seller or buyer.
fn party(r: &mut Reader, p: Node<'_, '_>, whose: &str, vat_bt: &str) -> Result<ExtractedParty, ExtractionError> {
    let name = text(p, "cac:PartyLegalEntity/cbc:RegistrationName").or_else(|| text(p, "cac:PartyName/cbc:Name"));
    let vat = find_all(p, "cac:PartyTaxScheme")
        .into_iter()
        .find(|s| text(*s, "cac:TaxScheme/cbc:ID").is_some_and(|id| id.eq_ignore_ascii_case("VAT")))
        .and_then(|s| text(s, "cbc:CompanyID"));
    let address = find(p, "cac:PostalAddress").and_then(|a| {
        let mut parts = vec![text(a, "cbc:StreetName"), text(a, "cbc:AdditionalStreetName")];
        parts.extend(find_all(a, "cac:AddressLine/cbc:Line").into_iter().map(xml::text_of));
        parts.push(common::postcode_city(text(a, "cbc:PostalZone"), text(a, "cbc:CityName")));
        parts.push(text(a, "cbc:CountrySubentity"));
        parts.push(text(a, "cac:Country/cbc:IdentificationCode"));
        common::join_address(&parts)
    });
    Ok(ExtractedParty {
        name: name.map(Extracted::certain),
        vat_number: r.vat_number(vat, vat_bt, whose),
        legal_id: text(p, "cac:PartyLegalEntity/cbc:CompanyID").map(Extracted::certain),
        address: address.map(Extracted::certain),
        iban: None,
        bic: None,
    })
}

fn allowance_charge(r: &Reader, ac: Node<'_, '_>) -> Result<AllowanceCharge, ExtractionError> {
    let indicator = r.required_text(ac, "cbc:ChargeIndicator", "BG-20/BG-21, allowance or charge indicator")?;
    let is_charge = match indicator.as_str() {
        "true" | "1" => true,
        "false" | "0" => false,
        other => {
            return Err(ExtractionError::Malformed(format!(
                "cac:AllowanceCharge/cbc:ChargeIndicator in {} is not true or false: {:?}",
                r.doc,
                other.chars().take(20).collect::<String>()
            )));
        }
    };
    let bt = if is_charge { "BT-99, document level charge amount" } else { "BT-92, document level allowance amount" };
    Ok(AllowanceCharge {
        is_charge,
        amount: r.required_amount(ac, "cbc:Amount", bt)?,
        reason: text(ac, "cbc:AllowanceChargeReason").or_else(|| text(ac, "cbc:AllowanceChargeReasonCode")),
        vat_category: text(ac, "cac:TaxCategory/cbc:ID"),
        vat_rate: r.amount(ac, "cac:TaxCategory/cbc:Percent", if is_charge { "BT-103" } else { "BT-96" })?,
    })
}

fn invoice_line(r: &Reader, line: Node<'_, '_>, quantity_path: &str) -> Result<InvoiceLine, ExtractionError> {
    let price = r.amount(line, "cac:Price/cbc:PriceAmount", "BT-146, item net price")?;
    let base = r.amount(line, "cac:Price/cbc:BaseQuantity", "BT-149, item price base quantity")?;
    Ok(InvoiceLine {
        description: text(line, "cac:Item/cbc:Name")
            .or_else(|| text(line, "cac:Item/cbc:Description"))
            .unwrap_or_default(),
        quantity: r.amount(line, quantity_path, "BT-129, invoiced quantity")?,
        unit_price: price.map(|p| common::per_unit(p, base)),
        line_total: r.required_amount(line, "cbc:LineExtensionAmount", "BT-131, invoice line net amount")?,
        vat_rate: r.amount(line, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent", "BT-152")?,
    })
}
