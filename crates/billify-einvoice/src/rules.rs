//! The EN 16931 arithmetic business rules on document totals (BR-CO-10 to BR-CO-16), checked
//! with exact decimals.

use bigdecimal::{BigDecimal, Zero};
use billify_ports::intake::{Extracted, ExtractedInvoice, RuleViolation};

/// Checks the core arithmetic rules of EN 16931 on an extraction and returns the broken ones.
///
/// Each rule is checked only when the amounts it relates are present (an absent BT-107, BT-108,
/// BT-110, BT-113 or BT-114 counts as zero, as the standard says); BR-CO-10 needs lines and
/// BR-CO-14 a VAT breakdown. Amounts compare exactly: `100.0` equals `100.00`, `100.00` does not
/// equal `100.01`.
pub fn check_business_rules(inv: &ExtractedInvoice) -> Vec<RuleViolation> {
    let mut out = Vec::new();
    let value = |e: &Option<Extracted<BigDecimal>>| e.as_ref().map(|e| e.value.clone());
    let or_zero = |e: &Option<Extracted<BigDecimal>>| value(e).unwrap_or_else(BigDecimal::zero);

    let lines_sum: BigDecimal = inv.lines.iter().map(|l| &l.line_total).sum();
    if let Some(bt106) = value(&inv.line_total).filter(|v| !inv.lines.is_empty() && *v != lines_sum) {
        out.push(violation(
            "BR-CO-10",
            format!(
                "the sum of invoice line net amounts (BT-106) is {bt106}, but the {} line amounts (BT-131) add up to {lines_sum}",
                inv.lines.len()
            ),
        ));
    }

    let allowances = || inv.allowances_charges.iter().filter(|a| !a.is_charge);
    let charges = || inv.allowances_charges.iter().filter(|a| a.is_charge);
    let allowance_sum: BigDecimal = allowances().map(|a| &a.amount).sum();
    let charge_sum: BigDecimal = charges().map(|a| &a.amount).sum();
    let bt107 = value(&inv.allowance_total);
    if bt107.is_some() || allowances().next().is_some() {
        let stated = bt107.unwrap_or_else(BigDecimal::zero);
        if stated != allowance_sum {
            out.push(violation(
                "BR-CO-11",
                format!(
                    "the sum of allowances on document level (BT-107) is {stated}, but the document level allowance amounts (BT-92) add up to {allowance_sum}"
                ),
            ));
        }
    }
    let bt108 = value(&inv.charge_total);
    if bt108.is_some() || charges().next().is_some() {
        let stated = bt108.unwrap_or_else(BigDecimal::zero);
        if stated != charge_sum {
            out.push(violation(
                "BR-CO-12",
                format!(
                    "the sum of charges on document level (BT-108) is {stated}, but the document level charge amounts (BT-99) add up to {charge_sum}"
                ),
            ));
        }
    }

    if let (Some(bt109), Some(bt106)) = (value(&inv.subtotal), value(&inv.line_total)) {
        let bt107 = or_zero(&inv.allowance_total);
        let bt108 = or_zero(&inv.charge_total);
        let expected = &bt106 - &bt107 + &bt108;
        if bt109 != expected {
            out.push(violation(
                "BR-CO-13",
                format!(
                    "the invoice total without VAT (BT-109) is {bt109}, but BT-106 {bt106} - BT-107 {bt107} + BT-108 {bt108} = {expected}"
                ),
            ));
        }
    }

    if !inv.vat_breakdown.is_empty() {
        let breakdown_sum: BigDecimal = inv.vat_breakdown.iter().map(|b| &b.tax_amount).sum();
        let bt110 = or_zero(&inv.vat_amount);
        if bt110 != breakdown_sum {
            out.push(violation(
                "BR-CO-14",
                format!(
                    "the invoice total VAT amount (BT-110) is {bt110}, but the VAT category tax amounts (BT-117) add up to {breakdown_sum}"
                ),
            ));
        }
    }

    if let (Some(bt112), Some(bt109)) = (value(&inv.total), value(&inv.subtotal)) {
        let bt110 = or_zero(&inv.vat_amount);
        let expected = &bt109 + &bt110;
        if bt112 != expected {
            out.push(violation(
                "BR-CO-15",
                format!(
                    "the invoice total with VAT (BT-112) is {bt112}, but BT-109 {bt109} + BT-110 {bt110} = {expected}"
                ),
            ));
        }
    }

    if let (Some(bt115), Some(bt112)) = (value(&inv.amount_due), value(&inv.total)) {
        let bt113 = or_zero(&inv.prepaid);
        let bt114 = or_zero(&inv.rounding_amount);
        let expected = &bt112 - &bt113 + &bt114;
        if bt115 != expected {
            out.push(violation(
                "BR-CO-16",
                format!(
                    "the amount due for payment (BT-115) is {bt115}, but BT-112 {bt112} - BT-113 {bt113} + BT-114 {bt114} = {expected}"
                ),
            ));
        }
    }
    out
}

fn violation(rule: &str, message: String) -> RuleViolation {
    RuleViolation { rule: rule.to_owned(), message }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use billify_ports::intake::{AllowanceCharge, ExtractionMethod, InvoiceLine, VatBreakdown};
    use std::str::FromStr;

    fn dec(s: &str) -> BigDecimal {
        BigDecimal::from_str(s).unwrap()
    }

    fn some(s: &str) -> Option<Extracted<BigDecimal>> {
        Some(Extracted::certain(dec(s)))
    }

    fn consistent() -> ExtractedInvoice {
        let mut inv = ExtractedInvoice::empty(ExtractionMethod::EinvoiceUbl);
        for amount in ["60.00", "40.0"] {
            inv.lines.push(InvoiceLine {
                description: "x".into(),
                quantity: None,
                unit_price: None,
                line_total: dec(amount),
                vat_rate: None,
            });
        }
        inv.allowances_charges.push(AllowanceCharge {
            is_charge: false,
            amount: dec("10"),
            reason: None,
            vat_category: None,
            vat_rate: None,
        });
        inv.allowances_charges.push(AllowanceCharge {
            is_charge: true,
            amount: dec("5.00"),
            reason: None,
            vat_category: None,
            vat_rate: None,
        });
        inv.line_total = some("100.00");
        inv.allowance_total = some("10.00");
        inv.charge_total = some("5.00");
        inv.subtotal = some("95.00");
        inv.vat_breakdown.push(VatBreakdown {
            category: "S".into(),
            rate: Some(dec("21")),
            taxable_amount: dec("95.00"),
            tax_amount: dec("19.95"),
        });
        inv.vat_amount = some("19.95");
        inv.total = some("114.95");
        inv.prepaid = some("14.95");
        inv.rounding_amount = some("0.00");
        inv.amount_due = some("100.00");
        inv
    }

    fn rules(inv: &ExtractedInvoice) -> Vec<String> {
        check_business_rules(inv).into_iter().map(|v| v.rule).collect()
    }

    #[test]
    fn a_consistent_document_breaks_no_rule() {
        assert!(check_business_rules(&consistent()).is_empty());
    }

    #[test]
    fn each_rule_is_reported_with_the_amounts() {
        let mut inv = consistent();
        inv.line_total = some("100.01");
        let v = check_business_rules(&inv);
        assert_eq!(v.iter().map(|v| v.rule.as_str()).collect::<Vec<_>>(), ["BR-CO-10", "BR-CO-13"]);
        assert!(v[0].message.contains("100.01") && v[0].message.contains("100.00"), "{}", v[0].message);

        let mut inv = consistent();
        inv.allowance_total = some("9.00");
        assert_eq!(rules(&inv), ["BR-CO-11", "BR-CO-13"]);

        let mut inv = consistent();
        inv.charge_total = None;
        assert_eq!(rules(&inv), ["BR-CO-12", "BR-CO-13"]);

        let mut inv = consistent();
        inv.vat_amount = some("19.94");
        assert_eq!(rules(&inv), ["BR-CO-14", "BR-CO-15"]);

        let mut inv = consistent();
        inv.total = some("115.00");
        assert_eq!(rules(&inv), ["BR-CO-15", "BR-CO-16"]);

        let mut inv = consistent();
        inv.rounding_amount = some("0.01");
        assert_eq!(rules(&inv), ["BR-CO-16"]);
    }

    #[test]
    fn rules_without_their_amounts_are_skipped() {
        let mut inv = ExtractedInvoice::empty(ExtractionMethod::EinvoiceCii);
        inv.total = some("121.00");
        inv.amount_due = some("121.00");
        assert!(check_business_rules(&inv).is_empty());
    }
}
