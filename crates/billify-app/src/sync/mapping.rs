//! How an outstanding item of the books becomes an invoice: the fields, the flags of bad data,
//! the digest that tells an unchanged item, and the change that brings an invoice in line.

use bigdecimal::{BigDecimal, Zero};
use billify_domain::{
    Counterparty, Currency, Iban, Invoice, InvoiceKind, InvoiceNumber, InvoicePatch, InvoiceSource, Money, NewInvoice,
    PaymentReference, VatNumber,
};
use sha2::{Digest as _, Sha256};
use time::Date;

use billify_ports::accounting::{ItemSide, OutstandingItem};

/// An item mapped to an invoice's fields, with what was wrong with it.
pub(super) struct Mapped {
    pub(super) new: Option<NewInvoice>,
    pub(super) flags: Vec<String>,
    pub(super) open_is_zero: bool,
}

fn flag(flags: &mut Vec<String>, f: &str) {
    if !flags.iter().any(|x| x == f) {
        flags.push(f.to_owned());
    }
}

/// A digest of everything the item says: an unchanged item is recognised without a write.
pub(super) fn fingerprint(item: &OutstandingItem) -> String {
    hex::encode(Sha256::digest(format!("{item:?}").as_bytes()))
}

/// Maps an item to an invoice; `new` is `None` when no invoice can hold it (flags say why).
pub(super) fn map_item(item: &OutstandingItem, side: ItemSide, today: Date) -> Mapped {
    let mut flags = Vec::new();
    for what in &item.unreadable {
        let field = what.split(':').next().unwrap_or("field").trim().to_ascii_lowercase();
        flag(&mut flags, &format!("unreadable_{field}"));
    }
    // Yuki's item XSD names no currency: amounts are in the administration's currency (EUR for
    // the Dutch and Belgian domains Billify serves). A currency given and not known is kept as a
    // flag, and no invoice is made in a currency Billify cannot hold.
    let currency = match item.currency.as_deref() {
        None => Currency::parse("EUR").ok(),
        Some(code) => match Currency::parse(code) {
            Ok(c) => Some(c),
            Err(_) => {
                flag(&mut flags, "unknown_currency");
                None
            }
        },
    };
    let zero = BigDecimal::zero();
    let open = item.open_amount.clone();
    let original = item.original_amount.clone();
    if open.is_none() {
        flag(&mut flags, "missing_open_amount");
    }
    if original.is_none() {
        flag(&mut flags, "missing_original_amount");
    }
    let open = open.unwrap_or_else(|| zero.clone());
    let original = original.unwrap_or_else(|| open.clone());
    // apis.md §2.5 [U]: debtor items are positive when the customer owes; the issue's rule is
    // that a negative open amount is a credit note, kept as one. A negative original with
    // nothing open is a settled credit note.
    let credit = open < zero || (open.is_zero() && original < zero);
    if open < zero {
        flag(&mut flags, "negative_open_amount");
    }
    let open_abs = open.abs();
    let mut total = original.abs();
    if total < open_abs {
        flag(&mut flags, "open_above_original");
        total = open_abs.clone();
    }
    let open_is_zero = open_abs.is_zero();
    let Some(currency) = currency else { return Mapped { new: None, flags, open_is_zero } };
    if total.is_zero() {
        flag(&mut flags, "zero_amount");
        return Mapped { new: None, flags, open_is_zero };
    }
    let (Ok(total), Ok(paid)) = (Money::new(total.clone(), currency), Money::new(&total - &open_abs, currency)) else {
        flag(&mut flags, "amount_too_precise");
        return Mapped { new: None, flags, open_is_zero };
    };
    let issue_date = match (item.date, item.due_date) {
        (Some(d), _) => d,
        (None, Some(due)) => {
            flag(&mut flags, "missing_date");
            due
        }
        (None, None) => {
            flag(&mut flags, "missing_date");
            today
        }
    };
    let due_date = match item.due_date {
        Some(due) if due >= issue_date => due,
        Some(_) => {
            flag(&mut flags, "due_before_date");
            issue_date
        }
        None => {
            flag(&mut flags, "missing_due_date");
            issue_date
        }
    };
    let number_text = match (&item.reference, &item.description) {
        (Some(r), _) => r.clone(),
        (None, Some(d)) => {
            flag(&mut flags, "missing_reference");
            d.clone()
        }
        (None, None) => {
            flag(&mut flags, "missing_reference");
            item.id.clone()
        }
    };
    let invoice_number = match InvoiceNumber::parse(&number_text).or_else(|_| InvoiceNumber::parse(&item.id)) {
        Ok(n) => n,
        Err(_) => {
            flag(&mut flags, "invalid_reference");
            return Mapped { new: None, flags, open_is_zero };
        }
    };
    let vat_number = item.vat_number.as_deref().and_then(|v| match VatNumber::parse(v) {
        Ok(v) => Some(v),
        Err(_) => {
            flag(&mut flags, "invalid_vat_number");
            None
        }
    });
    let iban = item.iban.as_deref().and_then(|v| match Iban::parse(v) {
        Ok(v) => Some(v),
        Err(_) => {
            flag(&mut flags, "invalid_iban");
            None
        }
    });
    let payment_reference = item.payment_reference.as_deref().and_then(|v| match PaymentReference::parse(v) {
        Ok(v) => Some(v),
        Err(_) => {
            flag(&mut flags, "invalid_payment_reference");
            None
        }
    });
    let name = match (&item.contact, &item.contact_code) {
        (Some(c), _) => c.clone(),
        (None, Some(code)) => {
            flag(&mut flags, "missing_contact");
            code.clone()
        }
        (None, None) => {
            flag(&mut flags, "missing_contact");
            "Unknown contact".to_owned()
        }
    };
    let Ok(counterparty) = Counterparty::new(&name, vat_number, iban, None)
        .or_else(|_| Counterparty::new("Unknown contact", None, None, None))
    else {
        flag(&mut flags, "invalid_contact");
        return Mapped { new: None, flags, open_is_zero };
    };
    let new = NewInvoice {
        direction: side.direction(),
        kind: if credit { InvoiceKind::CreditNote } else { InvoiceKind::Invoice },
        corrects: None,
        invoice_number,
        counterparty,
        issue_date,
        due_date,
        subtotal: None,
        vat_amount: None,
        total,
        amount_paid: Some(paid),
        manual_urgency: None,
        payment_reference,
        source: InvoiceSource::Accounting,
        external_reference: Some(item.id.clone()).filter(|id| !id.is_empty()),
    };
    Mapped { new: Some(new), flags, open_is_zero }
}

/// The change that brings `invoice` in line with the item; empty when it already is. Invoices
/// made from the books follow them in everything; an invoice typed in or uploaded keeps its own
/// details and follows the books only in what is paid and in its link.
pub(super) fn patch_for(invoice: &Invoice, new: &NewInvoice) -> InvoicePatch {
    let mut p = InvoicePatch::default();
    let paid = new.amount_paid.clone().unwrap_or_else(|| Money::zero(invoice.currency()));
    if invoice.source() == InvoiceSource::Accounting {
        if invoice.invoice_number() != &new.invoice_number {
            p.invoice_number = Some(new.invoice_number.clone());
        }
        if invoice.counterparty() != &new.counterparty {
            p.counterparty = Some(new.counterparty.clone());
        }
        if invoice.issue_date() != new.issue_date {
            p.issue_date = Some(new.issue_date);
        }
        if invoice.due_date() != new.due_date {
            p.due_date = Some(new.due_date);
        }
        if invoice.total() != &new.total {
            p.total = Some(new.total.clone());
        }
        if invoice.payment_reference() != new.payment_reference.as_ref() && new.payment_reference.is_some() {
            p.payment_reference = Some(new.payment_reference.clone());
        }
    }
    let paid = if &paid > p.total.as_ref().unwrap_or(invoice.total()) { p.total.clone().unwrap_or(paid) } else { paid };
    if invoice.amount_paid() != &paid {
        p.amount_paid = Some(paid);
    }
    if invoice.external_reference() != new.external_reference.as_deref() {
        p.external_reference = Some(new.external_reference.clone());
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;
    use time::macros::date;

    fn item() -> OutstandingItem {
        OutstandingItem {
            id: "c0ffee".into(),
            date: Some(date!(2026 - 11 - 01)),
            due_date: Some(date!(2026 - 12 - 01)),
            contact: Some("Acme NV".into()),
            vat_number: Some("BE0403170701".into()),
            reference: Some("2026000123".into()),
            open_amount: BigDecimal::from_str("60.50").ok(),
            original_amount: BigDecimal::from_str("121.00").ok(),
            ..OutstandingItem::default()
        }
    }

    #[test]
    fn an_item_maps_to_an_invoice_with_its_open_amount() {
        let m = map_item(&item(), ItemSide::Debtor, date!(2026 - 12 - 06));
        assert!(m.flags.is_empty(), "{:?}", m.flags);
        let new = m.new.unwrap();
        assert_eq!(new.direction, billify_domain::Direction::Receivable);
        assert_eq!(new.total.to_plain_string(), "121.00");
        assert_eq!(new.amount_paid.unwrap().to_plain_string(), "60.50", "original minus open");
        assert_eq!(new.source, InvoiceSource::Accounting);
        assert_eq!(new.external_reference.as_deref(), Some("c0ffee"));
        assert_eq!(new.counterparty.vat_number().map(|v| v.as_str().to_owned()).as_deref(), Some("BE0403170701"));
    }

    #[test]
    fn bad_data_is_flagged_not_dropped() {
        let today = date!(2026 - 12 - 06);
        let m = map_item(&OutstandingItem { due_date: None, ..item() }, ItemSide::Creditor, today);
        assert_eq!(m.flags, ["missing_due_date"]);
        assert_eq!(m.new.unwrap().due_date, date!(2026 - 11 - 01), "the document date stands in");
        let m = map_item(&OutstandingItem { currency: Some("XYZ".into()), ..item() }, ItemSide::Debtor, today);
        assert_eq!((m.flags.as_slice(), m.new.is_none()), (&["unknown_currency".to_owned()][..], true));
        let credit = OutstandingItem {
            open_amount: BigDecimal::from_str("-40.00").ok(),
            original_amount: BigDecimal::from_str("-40.00").ok(),
            ..item()
        };
        let m = map_item(&credit, ItemSide::Debtor, today);
        assert_eq!(m.flags, ["negative_open_amount"]);
        let new = m.new.unwrap();
        assert_eq!((new.kind, new.total.to_plain_string()), (InvoiceKind::CreditNote, "40.00".into()));
        let odd = OutstandingItem {
            reference: None,
            contact: None,
            vat_number: Some("BE0000000000".into()),
            unreadable: vec!["DueDate: 31/12/2026".into()],
            due_date: None,
            ..item()
        };
        let m = map_item(&odd, ItemSide::Debtor, today);
        for f in
            ["unreadable_duedate", "missing_due_date", "missing_reference", "invalid_vat_number", "missing_contact"]
        {
            assert!(m.flags.contains(&f.to_owned()), "{f} in {:?}", m.flags);
        }
        assert_eq!(m.new.unwrap().invoice_number.as_str(), "c0ffee", "the item id stands in for the number");
        let precise = OutstandingItem { open_amount: BigDecimal::from_str("1.005").ok(), ..item() };
        assert!(map_item(&precise, ItemSide::Debtor, today).flags.contains(&"amount_too_precise".to_owned()));
    }

    #[test]
    fn the_fingerprint_follows_every_field() {
        let a = item();
        assert_eq!(fingerprint(&a), fingerprint(&a.clone()));
        assert_ne!(
            fingerprint(&a),
            fingerprint(&OutstandingItem { open_amount: BigDecimal::from_str("60.49").ok(), ..a })
        );
    }
}
