//! Yuki's records as port data: outstanding items and administrations, read leniently. An item
//! is never dropped for a bad field: what cannot be read is named in `unreadable` and the sync
//! flags it.

use std::str::FromStr;

use bigdecimal::BigDecimal;
use billify_ports::accounting::{Administration, OutstandingItem};
use time::Date;

use crate::soap::Record;

/// Field names, lower case, with the spellings seen in Yuki's answers. Yuki misspells
/// `description` as `descripton` in `GetGLAccountScheme` (apis.md §2.6); the same slip is
/// accepted here wherever a description is read, so a misspelt element is never lost.
const DESCRIPTION: &[&str] = &["description", "descripton", "omschrijving"];
const CONTACT: &[&str] = &["contact", "contactname", "fullname"];
const VAT: &[&str] = &["vatnumber", "vat_number", "vatno", "btwnummer"];
const IBAN: &[&str] = &["iban", "bankaccount", "bankaccountnumber"];
const CURRENCY: &[&str] = &["currency", "currencycode"];
const PAYMENT_REFERENCE: &[&str] = &["paymentreference", "payment_reference"];

/// A date from `xs:date` or `xs:dateTime` text (`2024-03-01`, `2024-03-01T00:00:00`,
/// `2024-03-01+01:00`): the first ten characters.
fn date(text: &str) -> Option<Date> {
    let head = text.get(..10)?;
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(head, &format).ok()
}

/// An exact decimal with `.` as separator (apis.md §2.2), sign kept; never through a float.
fn decimal(text: &str) -> Option<BigDecimal> {
    let t = text.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let ok = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && (digits.contains('.') != frac.is_empty());
    if !ok {
        return None;
    }
    BigDecimal::from_str(t.strip_prefix('+').unwrap_or(t)).ok()
}

/// An outstanding item from its record.
pub(crate) fn outstanding_item(record: &Record) -> OutstandingItem {
    let mut item = OutstandingItem {
        // The XSD puts the id in `Item@ID`; an `ID` child element is accepted too.
        id: record.attribute("id").or_else(|| record.text(&["id"])).unwrap_or_default(),
        description: record.text(DESCRIPTION),
        contact: record.text(CONTACT),
        contact_code: record.text(&["contactcode"]),
        vat_number: record.text(VAT),
        iban: record.text(IBAN),
        currency: record.text(CURRENCY),
        reference: record.text(&["reference"]),
        payment_reference: record.text(PAYMENT_REFERENCE),
        document_id: record.text(&["documentid"]),
        ..OutstandingItem::default()
    };
    if let Some(t) = record.field(&["type"]) {
        item.type_id = crate::soap::attribute(&t.attributes, "id");
        item.type_label = Some(t.text.trim().to_owned()).filter(|l| !l.is_empty());
    }
    for (names, slot, label) in [
        (&["date"][..], &mut item.date, "Date"),
        (&["duedate", "due_date", "expirydate"][..], &mut item.due_date, "DueDate"),
    ] {
        if let Some(text) = record.text(names) {
            match date(&text) {
                Some(d) => *slot = Some(d),
                None => item.unreadable.push(format!("{label}: {text}")),
            }
        }
    }
    for (name, slot, label) in [
        ("openamount", &mut item.open_amount, "OpenAmount"),
        ("originalamount", &mut item.original_amount, "OriginalAmount"),
    ] {
        if let Some(text) = record.text(&[name]) {
            match decimal(&text) {
                Some(d) => *slot = Some(d),
                None => item.unreadable.push(format!("{label}: {text}")),
            }
        }
    }
    if item.id.is_empty() {
        item.unreadable.push("ID: missing".into());
    }
    item
}

/// An administration from its record; absent `Active` counts as active.
pub(crate) fn administration(record: &Record) -> Option<Administration> {
    let id = record.attribute("id").or_else(|| record.text(&["id"]))?;
    let active = record.text(&["active"]).is_none_or(|a| !a.eq_ignore_ascii_case("false") && a != "0");
    Some(Administration { name: record.text(&["name"]).unwrap_or_else(|| id.clone()), id, active })
}

#[cfg(test)]
mod tests {
    use std::ops::ControlFlow;

    use super::*;
    use crate::soap::read_answer;

    fn items(inner: &str) -> Vec<OutstandingItem> {
        let xml = format!(
            r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
            <OutstandingDebtorItemsResponse xmlns="http://www.theyukicompany.com/"><OutstandingDebtorItemsResult>{inner}</OutstandingDebtorItemsResult></OutstandingDebtorItemsResponse></soap:Body></soap:Envelope>"#
        );
        let mut out = Vec::new();
        read_answer(xml.as_bytes(), "outstandingdebtoritemsresult", "item", false, &mut |r| {
            out.push(outstanding_item(&r));
            ControlFlow::Continue(())
        })
        .unwrap();
        out
    }

    #[test]
    fn the_documented_item_is_read_exactly() {
        let got = items(
            r#"<OutstandingDebtorItems xmlns=""><Item ID="c0ffee00-1111">
            <Date>2024-03-01</Date><Description>Factuur 2024000123</Description><Contact>Acme NV</Contact>
            <OpenAmount>1210.00</OpenAmount><OriginalAmount>1210.00</OriginalAmount>
            <Type ID="6">Verkoopfactuur</Type><Reference>2024000123</Reference><DueDate>2024-03-31</DueDate>
            <ContactCode>C0042</ContactCode><CoCNumber>0123456749</CoCNumber><VATNumber>BE0123456749</VATNumber>
            <AddressLine_1>Kerkstraat 1</AddressLine_1><AddressLine_2/><Postcode>2000</Postcode><MailCity/><Country>BE</Country>
            <DocumentID>dd33</DocumentID><PaymentMethod>ElectronicTransfer</PaymentMethod></Item></OutstandingDebtorItems>"#,
        );
        assert_eq!(got.len(), 1);
        let i = &got[0];
        assert_eq!(i.id, "c0ffee00-1111");
        assert_eq!(i.date, Some(time::macros::date!(2024 - 03 - 01)));
        assert_eq!(i.due_date, Some(time::macros::date!(2024 - 03 - 31)));
        assert_eq!(i.open_amount, Some(BigDecimal::from_str("1210.00").unwrap()));
        assert_eq!(i.open_amount.as_ref().map(|a| a.to_string()), Some("1210.00".into()), "scale kept");
        assert_eq!(i.reference.as_deref(), Some("2024000123"));
        assert_eq!(i.vat_number.as_deref(), Some("BE0123456749"));
        assert_eq!((i.type_id.as_deref(), i.type_label.as_deref()), (Some("6"), Some("Verkoopfactuur")));
        assert_eq!(i.document_id.as_deref(), Some("dd33"));
        assert!(i.unreadable.is_empty(), "{:?}", i.unreadable);
    }

    #[test]
    fn misspellings_odd_shapes_and_bad_fields_are_kept() {
        let got = items(
            r#"<OutstandingDebtorItems xmlns="">
              <Item ID="p1"><Descripton>Betaling</Descripton><OpenAmount>-50.5</OpenAmount><Type ID="">Banktransactie</Type>
                <Date>2024-03-01T00:00:00</Date><DueDate>2024-04-01+02:00</DueDate></Item>
              <Item><ID>x2</ID><openAmount>12,50</openAmount><DueDate>31/12/2024</DueDate><Currency>XYZ</Currency>
                <PaymentReference>+++202/4000/12363+++</PaymentReference><IBAN>BE71 0018 6092 2869</IBAN></Item>
              <Item ID=""/>
            </OutstandingDebtorItems>"#,
        );
        assert_eq!(got.len(), 3, "no item is dropped");
        assert_eq!(got[0].description.as_deref(), Some("Betaling"), "`descripton` is read as the description");
        assert_eq!(got[0].open_amount, Some(BigDecimal::from_str("-50.5").unwrap()), "the sign is kept");
        assert_eq!(got[0].type_id, None, "payments have an empty Type@ID");
        assert_eq!(got[0].due_date, Some(time::macros::date!(2024 - 04 - 01)), "xs:date with a zone");
        assert_eq!(got[1].id, "x2");
        assert_eq!(got[1].open_amount, None);
        assert!(got[1].unreadable.contains(&"OpenAmount: 12,50".to_owned()), "{:?}", got[1].unreadable);
        assert!(got[1].unreadable.contains(&"DueDate: 31/12/2024".to_owned()));
        assert_eq!(got[1].currency.as_deref(), Some("XYZ"));
        assert_eq!(got[1].payment_reference.as_deref(), Some("+++202/4000/12363+++"));
        assert!(got[2].unreadable.contains(&"ID: missing".to_owned()));
    }

    #[test]
    fn empty_and_absent_results_are_no_items() {
        assert!(items("").is_empty());
        assert!(items(r#"<OutstandingDebtorItems xmlns=""/>"#).is_empty());
    }

    #[test]
    fn decimals_are_exact_or_refused() {
        assert_eq!(decimal("0.10").unwrap().to_string(), "0.10");
        assert_eq!(decimal("+3").unwrap().to_string(), "3");
        assert_eq!(decimal("123456789012345678.99").unwrap().to_string(), "123456789012345678.99");
        for bad in ["", "1.", ".5", "1e3", "1,5", "NaN", "--1", "1.2.3"] {
            assert_eq!(decimal(bad), None, "{bad}");
        }
    }
}
