//! The cash-position contract case of bulk loads
//! ([`billify_ports::InvoiceRepository::insert_bulk`]), beside the cases of [`super`] whose
//! documents and expected figures it reuses.

use std::collections::BTreeMap;

use billify_domain::{Currency, Direction, Interval, Invoice, InvoiceId, InvoiceKind, InvoiceStatus};
use billify_ports::cashflow::VatTotals;
use time::macros::date;

use super::super::fixtures::{NOW, TODAY, register};
use super::{
    CashflowStore, Doc, actual_open, document_set, documents, expected_open, expected_vat, make_doc, query, store_doc,
};

/// A bulk load (`InvoiceRepository::insert_bulk`, which a store may write without the kept
/// sums' insert triggers and bring them up to date once at the end) leaves the open amounts, the
/// VAT and the search index as inserting each invoice would have: with credit notes of the load
/// correcting invoices stored before it and invoices of the same load, and another
/// organisation's figures untouched. Writes after it keep the sums again; a load that fails
/// (an error from its batches, a duplicate) stores nothing.
pub fn cashflow_kept_sums_after_a_bulk_load<S: CashflowStore>(store: &S) {
    use billify_ports::{InvoiceQuery, RepositoryError};
    let (org, _) = register(store, "anna@example.be");
    let (other, _) = register(store, "bert@example.nl");
    let (from, to) = (date!(2025 - 12 - 01), date!(2026 - 05 - 31));
    let q = query(from, to, Interval::Month);
    documents(store, other.id, 7);
    let theirs = store.cashflow(other.id, &q).unwrap();

    let set = document_set(org.id, 0x9E37_79B9_7F4A_7C15);
    let (before, bulk) = set.split_at(40);
    for (invoice, events) in before {
        store.insert(invoice, events).unwrap();
    }
    let mut batches = bulk.chunks(23).map(|c| Ok(c.to_vec()));
    assert_eq!(store.insert_bulk(org.id, &mut batches).unwrap(), bulk.len());
    let mut ids: Vec<InvoiceId> = set.iter().map(|(invoice, _)| invoice.id()).collect();
    let check = |ids: &[InvoiceId], step: &str| {
        let docs: Vec<Invoice> = ids.iter().filter_map(|id| store.get(org.id, *id).unwrap()).collect();
        let data = store.cashflow(org.id, &q).unwrap();
        assert_eq!(actual_open(&data), expected_open(&docs), "open items after {step}");
        let vat: BTreeMap<String, VatTotals> = data.vat.into_iter().map(|(c, v)| (c.code().to_owned(), v)).collect();
        assert_eq!(vat, expected_vat(&docs, date!(2026 - 01 - 01), date!(2026 - 03 - 31)), "VAT after {step}");
        docs
    };
    let docs = check(&ids, "the bulk load");
    assert_eq!(docs.len(), set.len());
    assert_eq!(store.cashflow(other.id, &q).unwrap(), theirs, "the other organisation's figures");
    let search = |text: &str| -> Vec<String> {
        let query = InvoiceQuery { text: Some(text.into()), limit: 200, ..InvoiceQuery::all(TODAY) };
        let mut found: Vec<String> =
            store.list(org.id, &query).unwrap().items.iter().map(|i| i.invoice_number().as_str().to_owned()).collect();
        found.sort();
        found
    };
    let expected: Vec<String> = (150..160).map(|n| format!("DOC-{n:04}")).collect();
    assert_eq!(search("doc-015"), expected, "the search index holds the loaded invoices");

    // Writes after the load keep the sums: a payment of a loaded invoice, a deleted loaded
    // credit note, a new credit note for a loaded invoice.
    let mut paid = docs
        .iter()
        .find(|d| d.kind() == InvoiceKind::Invoice && d.status() != InvoiceStatus::Paid && ids[40..].contains(&d.id()))
        .unwrap()
        .clone();
    let events = paid.record_payment(&paid.open_amount(), NOW, TODAY).unwrap();
    paid.advance_version(NOW);
    store.update(&paid, &events).unwrap();
    let note = docs.iter().rev().find(|d| d.kind() == InvoiceKind::CreditNote).unwrap();
    store.delete(org.id, note.id(), None, &[note.deletion_event(NOW)]).unwrap();
    let target = docs
        .iter()
        .find(|d| d.kind() == InvoiceKind::Invoice && d.id() != paid.id() && d.status() != InvoiceStatus::Paid)
        .unwrap();
    let credit = Doc {
        direction: target.direction(),
        kind: InvoiceKind::CreditNote,
        corrects: Some(target.id()),
        currency: target.currency(),
        total_cents: 1 + target.open_amount().to_minor_units().unwrap() / 2,
        paid_cents: 0,
        due_in_days: 5,
        manual: None,
        vat_cents: None,
        issue_date: date!(2026 - 02 - 01),
    };
    ids.push(store_doc(store, org.id, 900, credit).id());
    check(&ids, "writes after the load");

    // A load that fails stores nothing and leaves the sums as they were.
    let before_failures = store.cashflow(org.id, &q).unwrap();
    let fresh = |n: usize| {
        make_doc(
            org.id,
            n,
            Doc {
                direction: Direction::Receivable,
                kind: InvoiceKind::Invoice,
                corrects: None,
                currency: Currency::EUR,
                total_cents: 12_100,
                paid_cents: 0,
                due_in_days: 10,
                manual: None,
                vat_cents: Some(2_100),
                issue_date: date!(2026 - 02 - 20),
            },
        )
    };
    let (first, second) = (fresh(1000), fresh(1001));
    let mut failing = vec![Ok(vec![first.clone()]), Err(RepositoryError::Other("the source broke".into()))].into_iter();
    assert!(matches!(store.insert_bulk(org.id, &mut failing), Err(RepositoryError::Other(_))));
    let duplicate = fresh(150);
    let mut duplicated = vec![Ok(vec![second.clone()]), Ok(vec![duplicate])].into_iter();
    assert!(matches!(store.insert_bulk(org.id, &mut duplicated), Err(RepositoryError::Conflict(_))));
    assert!(store.get(org.id, first.0.id()).unwrap().is_none() && store.get(org.id, second.0.id()).unwrap().is_none());
    assert_eq!(store.cashflow(org.id, &q).unwrap(), before_failures);
    // Another organisation's invoice is refused.
    let mut foreign = vec![Ok(vec![fresh(1002)])].into_iter();
    assert!(store.insert_bulk(other.id, &mut foreign).is_err());
    assert_eq!(store.cashflow(other.id, &q).unwrap(), theirs);
    check(&ids, "the failed loads");
}
