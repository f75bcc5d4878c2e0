//! UN/CEFACT Cross Industry Invoice (D16B, as profiled by Factur-X, ZUGFeRD 2.x and XRechnung)
//! to the intake model.

use bigdecimal::BigDecimal;
use billify_domain::Currency;
use billify_ports::intake::{
    AllowanceCharge, Extracted, ExtractedInvoice, ExtractedParty, ExtractionError, ExtractionMethod, InvoiceLine,
    VatBreakdown,
};
use roxmltree::Node;
use time::Date;

use crate::common::{self, Reader};
use crate::xml::{self, children, find, find_all, text};

const DOC: &str = "rsm:ExchangedDocument";
const TRANSACTION: &str = "rsm:SupplyChainTradeTransaction";
const AGREEMENT: &str = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement";
const SETTLEMENT: &str = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement";
const SUMMATION: &str = "ram:SpecifiedTradeSettlementHeaderMonetarySummation";

/// Reads an `rsm:CrossIndustryInvoice` element.
pub(crate) fn read(root: Node<'_, '_>) -> Result<ExtractedInvoice, ExtractionError> {
    let mut r = Reader::new("rsm:CrossIndustryInvoice");
    let mut inv = ExtractedInvoice::empty(ExtractionMethod::EinvoiceCii);

    // BT-1, BT-2, BT-3
    inv.invoice_number =
        Some(Extracted::certain(r.required_text(root, &format!("{DOC}/ram:ID"), "BT-1, invoice number")?));
    let issue_path = format!("{DOC}/ram:IssueDateTime/udt:DateTimeString");
    let issue = date(&r, root, &issue_path, "BT-2, invoice issue date")?.ok_or_else(|| {
        ExtractionError::Malformed(format!("missing {issue_path} (BT-2, invoice issue date) in {}", r.doc))
    })?;
    inv.issue_date = Some(Extracted::certain(issue));
    let kind = text(root, &format!("{DOC}/ram:TypeCode"))
        .map_or(billify_ports::intake::DocumentKind::Invoice, |code| common::kind_of_type_code(&code));
    inv.kind = Some(Extracted::certain(kind));

    // BT-5
    let currency_path = format!("{SETTLEMENT}/ram:InvoiceCurrencyCode");
    let currency_code = r.required_text(root, &currency_path, "BT-5, invoice currency code")?;
    let currency = Currency::parse(&currency_code).map_err(|_| {
        ExtractionError::Malformed(format!(
            "{currency_path} (BT-5) in {} is not an ISO 4217 currency: {:?}",
            r.doc,
            currency_code.chars().take(10).collect::<String>()
        ))
    })?;
    inv.currency = Some(Extracted::certain(currency));

    // BG-4 seller, BG-7 buyer
    let agreement = find(root, AGREEMENT);
    if let Some(p) = agreement.and_then(|a| find(a, "ram:SellerTradeParty")) {
        inv.seller = party(&mut r, p, "seller", "BT-31");
    }
    if inv.seller.name.is_none() {
        return Err(ExtractionError::Malformed(format!(
            "missing {AGREEMENT}/ram:SellerTradeParty/ram:Name (BT-27, seller name) in {}",
            r.doc
        )));
    }
    if let Some(p) = agreement.and_then(|a| find(a, "ram:BuyerTradeParty")) {
        inv.buyer = party(&mut r, p, "buyer", "BT-48");
    }

    let Some(settlement) = find(root, SETTLEMENT) else {
        return Err(ExtractionError::Malformed(format!("missing {SETTLEMENT} in {}", r.doc)));
    };

    // BT-9, BT-20
    let terms = find_all(settlement, "ram:SpecifiedTradePaymentTerms");
    let descriptions: Vec<String> = terms.iter().filter_map(|t| text(*t, "ram:Description")).collect();
    if !descriptions.is_empty() {
        inv.payment_terms = Some(Extracted::certain(descriptions.join("; ")));
    }
    let mut due = None;
    for t in &terms {
        due = date(&r, *t, "ram:DueDateDateTime/udt:DateTimeString", "BT-9, payment due date")?;
        if due.is_some() {
            break;
        }
    }
    inv.due_date = match due {
        Some(d) => Some(Extracted::certain(d)),
        None => inv.payment_terms.as_ref().and_then(|t| common::due_date_from_terms(&t.value, issue)),
    };

    // BG-3
    inv.preceding_invoice_number = text(settlement, "ram:InvoiceReferencedDocument/ram:IssuerAssignedID");

    // BT-83, BG-17
    if let Some(reference) = text(settlement, "ram:PaymentReference") {
        inv.payment_reference = common::payment_reference(&reference).map(Extracted::certain);
    }
    let means = find_all(settlement, "ram:SpecifiedTradeSettlementPaymentMeans");
    if let Some(m) = means.iter().find(|m| find(**m, "ram:PayeePartyCreditorFinancialAccount").is_some()) {
        let account = find(*m, "ram:PayeePartyCreditorFinancialAccount");
        inv.seller.iban = r.iban(account.and_then(|a| text(a, "ram:IBANID")), "BT-84");
        inv.seller.bic = r.bic(text(*m, "ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID"), "BT-86");
    }

    // BG-20 / BG-21
    for ac in children(settlement, "ram:SpecifiedTradeAllowanceCharge") {
        inv.allowances_charges.push(allowance_charge(&r, ac)?);
    }

    // BG-23
    for tax in children(settlement, "ram:ApplicableTradeTax") {
        inv.vat_breakdown.push(VatBreakdown {
            category: text(tax, "ram:CategoryCode").unwrap_or_default(),
            rate: r.amount(tax, "ram:RateApplicablePercent", "BT-119")?,
            taxable_amount: r.required_amount(tax, "ram:BasisAmount", "BT-116, VAT category taxable amount")?,
            tax_amount: r.required_amount(tax, "ram:CalculatedAmount", "BT-117, VAT category tax amount")?,
        });
    }
    inv.vat_rate = common::single_vat_rate(&inv.vat_breakdown).map(Extracted::certain);

    // BG-22
    let sum = find(settlement, SUMMATION);
    let total = |name: &str, bt: &str| -> Result<Option<BigDecimal>, ExtractionError> {
        match sum {
            Some(s) => r.amount(s, name, bt),
            None => Ok(None),
        }
    };
    let certain = |v: Option<BigDecimal>| v.map(Extracted::certain);
    inv.line_total = certain(total("ram:LineTotalAmount", "BT-106")?);
    inv.charge_total = certain(total("ram:ChargeTotalAmount", "BT-108")?);
    inv.allowance_total = certain(total("ram:AllowanceTotalAmount", "BT-107")?);
    inv.subtotal = certain(total("ram:TaxBasisTotalAmount", "BT-109")?);
    inv.rounding_amount = certain(total("ram:RoundingAmount", "BT-114")?);
    inv.prepaid = certain(total("ram:TotalPrepaidAmount", "BT-113")?);
    // BT-110 is the TaxTotalAmount in the invoice currency; another may give BT-111.
    if let Some(s) = sum {
        let amounts: Vec<Node<'_, '_>> = children(s, "ram:TaxTotalAmount").collect();
        let chosen = amounts
            .iter()
            .find(|a| a.attribute("currencyID").is_some_and(|c| c.trim().eq_ignore_ascii_case(currency.code())))
            .or_else(|| amounts.iter().find(|a| a.attribute("currencyID").is_none()))
            .or_else(|| amounts.first());
        if let Some(a) = chosen {
            inv.vat_amount =
                Some(Extracted::certain(r.amount_of(*a, &format!("{SUMMATION}/ram:TaxTotalAmount"), "BT-110")?));
        }
    }
    let grand = total("ram:GrandTotalAmount", "BT-112")?.ok_or_else(|| {
        ExtractionError::Malformed(format!(
            "missing {SETTLEMENT}/{SUMMATION}/ram:GrandTotalAmount (BT-112, invoice total amount with VAT) in {}",
            r.doc
        ))
    })?;
    inv.total = Some(Extracted::certain(grand));
    let due_payable = total("ram:DuePayableAmount", "BT-115")?.ok_or_else(|| {
        ExtractionError::Malformed(format!(
            "missing {SETTLEMENT}/{SUMMATION}/ram:DuePayableAmount (BT-115, amount due for payment) in {}",
            r.doc
        ))
    })?;
    inv.amount_due = Some(Extracted::certain(due_payable));

    // BG-25
    if let Some(tx) = find(root, TRANSACTION) {
        for line in children(tx, "ram:IncludedSupplyChainTradeLineItem") {
            inv.lines.push(invoice_line(&r, line)?);
        }
    }

    inv.rule_violations = r.notes;
    Ok(inv)
}

/// A `udt:DateTimeString`: format 102 (`YYYYMMDD`), the only one EN 16931 allows.
fn date(r: &Reader, node: Node<'_, '_>, path: &str, bt: &str) -> Result<Option<Date>, ExtractionError> {
    if let Some(el) = find(node, path)
        && let Some(format) = el.attribute("format").map(str::trim).filter(|f| *f != "102")
    {
        return Err(ExtractionError::Malformed(format!(
            "{path} ({bt}) in {} has date format {:?}; EN 16931 uses format 102 (YYYYMMDD)",
            r.doc,
            format.chars().take(10).collect::<String>()
        )));
    }
    r.date(node, path, bt, xml::parse_102_date)
}

fn party(r: &mut Reader, p: Node<'_, '_>, whose: &str, vat_bt: &str) -> ExtractedParty {
    let vat = find_all(p, "ram:SpecifiedTaxRegistration/ram:ID")
        .into_iter()
        .find(|id| id.attribute("schemeID").is_some_and(|s| s.trim() == "VA"))
        .and_then(xml::text_of);
    let address = find(p, "ram:PostalTradeAddress").and_then(|a| {
        common::join_address(&[
            text(a, "ram:LineOne"),
            text(a, "ram:LineTwo"),
            text(a, "ram:LineThree"),
            common::postcode_city(text(a, "ram:PostcodeCode"), text(a, "ram:CityName")),
            text(a, "ram:CountrySubDivisionName"),
            text(a, "ram:CountryID"),
        ])
    });
    ExtractedParty {
        name: text(p, "ram:Name").map(Extracted::certain),
        vat_number: r.vat_number(vat, vat_bt, whose),
        legal_id: text(p, "ram:SpecifiedLegalOrganization/ram:ID").map(Extracted::certain),
        address: address.map(Extracted::certain),
        iban: None,
        bic: None,
    }
}

fn allowance_charge(r: &Reader, ac: Node<'_, '_>) -> Result<AllowanceCharge, ExtractionError> {
    let path = "ram:ChargeIndicator/udt:Indicator";
    let indicator = r.required_text(ac, path, "BG-20/BG-21, allowance or charge indicator")?;
    let is_charge = match indicator.as_str() {
        "true" | "1" => true,
        "false" | "0" => false,
        other => {
            return Err(ExtractionError::Malformed(format!(
                "ram:SpecifiedTradeAllowanceCharge/{path} in {} is not true or false: {:?}",
                r.doc,
                other.chars().take(20).collect::<String>()
            )));
        }
    };
    let bt = if is_charge { "BT-99, document level charge amount" } else { "BT-92, document level allowance amount" };
    Ok(AllowanceCharge {
        is_charge,
        amount: r.required_amount(ac, "ram:ActualAmount", bt)?,
        reason: text(ac, "ram:Reason").or_else(|| text(ac, "ram:ReasonCode")),
        vat_category: text(ac, "ram:CategoryTradeTax/ram:CategoryCode"),
        vat_rate: r.amount(
            ac,
            "ram:CategoryTradeTax/ram:RateApplicablePercent",
            if is_charge { "BT-103" } else { "BT-96" },
        )?,
    })
}

fn invoice_line(r: &Reader, line: Node<'_, '_>) -> Result<InvoiceLine, ExtractionError> {
    let price_path = "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice";
    let price = r.amount(line, &format!("{price_path}/ram:ChargeAmount"), "BT-146, item net price")?;
    let base = r.amount(line, &format!("{price_path}/ram:BasisQuantity"), "BT-149, item price base quantity")?;
    Ok(InvoiceLine {
        description: text(line, "ram:SpecifiedTradeProduct/ram:Name")
            .or_else(|| text(line, "ram:SpecifiedTradeProduct/ram:Description"))
            .unwrap_or_default(),
        quantity: r.amount(line, "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity", "BT-129, invoiced quantity")?,
        unit_price: price.map(|p| common::per_unit(p, base)),
        line_total: r.required_amount(
            line,
            "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
            "BT-131, invoice line net amount",
        )?,
        vat_rate: r.amount(
            line,
            "ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:RateApplicablePercent",
            "BT-152",
        )?,
    })
}
