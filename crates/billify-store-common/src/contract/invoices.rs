//! The contract of [`InvoiceRepository`]: exact round trips, versions, scoping, filters and
//! keyset pages.

use billify_domain::{
    Bic, Counterparty, Currency, Direction, Iban, Invoice, InvoiceId, InvoiceKind, InvoiceNumber, InvoicePatch,
    InvoiceSource, InvoiceStatus, Money, NewInvoice, OrganisationId, PaymentReference, UrgencyLevel, VatNumber,
};
use billify_ports::{Cursor, InvoiceQuery, InvoiceSort, RepositoryError, SortField};
use time::macros::date;
use time::{Date, Duration};
use uuid::Uuid;

use super::Store;
use super::fixtures::{NOW, TODAY, eur, insert, new_invoice, register};

/// Every field, optional ones set and unset, reads back exactly.
pub fn invoices_round_trip_every_field(store: &dyn Store) {
    let (org, _) = register(store, "anna@example.be");
    let plain = insert(store, org.id, new_invoice("A-1", "Plain BV", date!(2026 - 04 - 01)));
    assert_eq!(store.get(org.id, plain.id()).unwrap(), Some(plain.clone()));
    let full = NewInvoice {
        direction: Direction::Receivable,
        kind: InvoiceKind::CreditNote,
        corrects: Some(plain.id()),
        invoice_number: InvoiceNumber::parse("INV-SO-2023-2812").unwrap(),
        counterparty: Counterparty::new(
            "CF accountancy BV",
            Some(VatNumber::parse("BE0628719851").unwrap()),
            Some(Iban::parse("BE71 0018 6092 2869").unwrap()),
            Some(Bic::parse("GEBABEBB").unwrap()),
        )
        .unwrap(),
        issue_date: date!(2026 - 02 - 01),
        due_date: date!(2026 - 02 - 10),
        subtotal: Some(eur("315.75")),
        vat_amount: Some(eur("66.31")),
        total: eur("382.06"),
        amount_paid: Some(eur("82.06")),
        manual_urgency: Some(UrgencyLevel::Low),
        payment_reference: Some(PaymentReference::parse("+++123/4567/89002+++").unwrap()),
        source: InvoiceSource::Accounting,
        external_reference: Some("yuki:42".into()),
    };
    let full = insert(store, org.id, full);
    assert_eq!(full.status(), InvoiceStatus::Overdue);
    let read = store.get(org.id, full.id()).unwrap().expect("stored");
    assert_eq!(read, full);
    assert_eq!(read.created_at(), NOW, "microseconds survive");
    assert_eq!(read.kind(), InvoiceKind::CreditNote);
    assert_eq!(read.corrects(), Some(plain.id()));
}

/// Amounts are stored exactly, in every currency scale.
pub fn invoices_money_is_exact(store: &dyn Store) {
    let (org, _) = register(store, "anna@example.be");
    let mut n = new_invoice("M-1", "Exact BV", date!(2026 - 04 - 01));
    n.subtotal = Some(eur("0.10"));
    n.vat_amount = Some(eur("0.20"));
    n.total = eur("0.30");
    let small = insert(store, org.id, n);
    let mut n = new_invoice("M-2", "Exact BV", date!(2026 - 04 - 01));
    n.total = eur("12345678901234.56");
    let big = insert(store, org.id, n);
    let yen = Currency::parse("JPY").unwrap();
    let mut n = new_invoice("M-3", "Exact BV", date!(2026 - 04 - 01));
    n.total = Money::parse("150000", yen).unwrap();
    let jpy = insert(store, org.id, n);
    for inv in [small, big, jpy] {
        let read = store.get(org.id, inv.id()).unwrap().expect("stored");
        assert_eq!(read.total(), inv.total());
        assert_eq!(read.total().amount().to_string(), inv.total().amount().to_string());
    }
}

/// Another organisation's invoice is invisible and untouchable.
pub fn invoices_are_scoped_by_organisation(store: &dyn Store) {
    let (a, _) = register(store, "anna@example.be");
    let (b, _) = register(store, "bert@example.nl");
    let mut invoice = insert(store, a.id, new_invoice("A-1", "Supplier BV", date!(2026 - 04 - 01)));
    assert_eq!(store.get(b.id, invoice.id()).unwrap(), None);
    assert!(store.list(b.id, &InvoiceQuery::all(TODAY)).unwrap().items.is_empty());
    assert!(store.events(b.id, invoice.id()).unwrap().is_empty());
    assert!(matches!(store.delete(b.id, invoice.id(), None, &[]), Err(RepositoryError::NotFound)));
    // A forged invoice claiming organisation B's id does not reach A's row.
    let mut record = invoice.record().clone();
    record.organisation_id = b.id;
    record.version += 1;
    let forged = Invoice::restore(record).unwrap();
    assert!(matches!(store.update(&forged, &[]), Err(RepositoryError::NotFound)));
    invoice.advance_version(NOW);
    assert_eq!(store.get(a.id, invoice.id()).unwrap().unwrap().version(), 1, "A's invoice is untouched");
}

/// Same organisation, direction, counterparty and number is a conflict; nothing is overwritten.
pub fn invoices_duplicate_conflicts_and_overwrites_nothing(store: &dyn Store) {
    let (org, _) = register(store, "anna@example.be");
    let (other_org, _) = register(store, "bert@example.nl");
    let original = insert(store, org.id, new_invoice("INV-1", "Supplier BV", date!(2026 - 04 - 01)));
    let mut twin = new_invoice("INV-1", "supplier  bv", date!(2026 - 05 - 01));
    twin.total = eur("999.00");
    let (dup, events) = Invoice::create(InvoiceId::from_uuid(Uuid::now_v7()), org.id, twin, NOW, TODAY).unwrap();
    assert!(matches!(store.insert(&dup, &events), Err(RepositoryError::Conflict(_))));
    assert_eq!(store.get(org.id, original.id()).unwrap(), Some(original));
    assert_eq!(store.get(org.id, dup.id()).unwrap(), None);
    // Another direction, another counterparty or another organisation is not a duplicate.
    let mut receivable = new_invoice("INV-1", "Supplier BV", date!(2026 - 04 - 01));
    receivable.direction = Direction::Receivable;
    insert(store, org.id, receivable);
    insert(store, org.id, new_invoice("INV-1", "Other Supplier BV", date!(2026 - 04 - 01)));
    insert(store, other_org.id, new_invoice("INV-1", "Supplier BV", date!(2026 - 04 - 01)));
    // Renaming into a duplicate is refused too.
    let mut second = insert(store, org.id, new_invoice("INV-2", "Supplier BV", date!(2026 - 04 - 01)));
    let events = second
        .apply(
            InvoicePatch { invoice_number: Some(InvoiceNumber::parse("INV-1").unwrap()), ..Default::default() },
            NOW,
            TODAY,
        )
        .unwrap();
    second.advance_version(NOW);
    assert!(matches!(store.update(&second, &events), Err(RepositoryError::Conflict(_))));
}

/// An update applies only on top of the version it was made from.
pub fn invoices_update_honours_the_version(store: &dyn Store) {
    let (org, _) = register(store, "anna@example.be");
    let original = insert(store, org.id, new_invoice("INV-1", "Supplier BV", date!(2026 - 04 - 01)));
    let mut first = original.clone();
    let events = first.record_payment(&eur("100.00"), NOW, TODAY).unwrap();
    first.advance_version(NOW);
    store.update(&first, &events).unwrap();
    let stored = store.get(org.id, original.id()).unwrap().unwrap();
    assert_eq!(stored, first);
    assert_eq!(stored.status(), InvoiceStatus::Paid);
    assert_eq!(stored.version(), 2);
    let mut late = original.clone();
    let events =
        late.apply(InvoicePatch { due_date: Some(date!(2026 - 06 - 01)), ..Default::default() }, NOW, TODAY).unwrap();
    late.advance_version(NOW);
    assert!(matches!(store.update(&late, &events), Err(RepositoryError::StaleVersion { current: 2 })));
    assert_eq!(store.get(org.id, original.id()).unwrap().unwrap(), first, "the stale write changed nothing");
    let codes: Vec<String> = store.events(org.id, original.id()).unwrap().into_iter().map(|e| e.code).collect();
    assert_eq!(codes, ["invoice.created", "invoice.updated", "invoice.paid"]);
}

/// Deletion honours an expected version and keeps the event history.
pub fn invoices_delete_keeps_events(store: &dyn Store) {
    let (org, _) = register(store, "anna@example.be");
    let invoice = insert(store, org.id, new_invoice("INV-1", "Supplier BV", date!(2026 - 04 - 01)));
    let event = invoice.deletion_event(NOW);
    assert!(matches!(
        store.delete(org.id, invoice.id(), Some(7), std::slice::from_ref(&event)),
        Err(RepositoryError::StaleVersion { current: 1 })
    ));
    store.delete(org.id, invoice.id(), Some(1), std::slice::from_ref(&event)).unwrap();
    assert_eq!(store.get(org.id, invoice.id()).unwrap(), None);
    assert!(matches!(store.delete(org.id, invoice.id(), None, &[]), Err(RepositoryError::NotFound)));
    let events = store.events(org.id, invoice.id()).unwrap();
    assert_eq!(events.last().map(|e| e.code.as_str()), Some("invoice.deleted"));
    let mut gone = invoice.clone();
    gone.advance_version(NOW);
    assert!(matches!(store.update(&gone, &[]), Err(RepositoryError::NotFound)));
}

fn numbers(page: &billify_ports::InvoicePage) -> Vec<String> {
    page.items.iter().map(|i| i.invoice_number().as_str().to_owned()).collect()
}

/// Status, direction, due range and text filters combine with AND.
pub fn invoices_list_filters(store: &dyn Store) {
    let (org, _) = register(store, "anna@example.be");
    insert(store, org.id, new_invoice("P-1", "Alpha NV", date!(2026 - 03 - 01))); // overdue
    insert(store, org.id, new_invoice("P-2", "Beta 50%_BV", date!(2026 - 03 - 20)));
    let mut r = new_invoice("R-1", "Gamma BV", date!(2026 - 04 - 15));
    r.direction = Direction::Receivable;
    insert(store, org.id, r);
    let mut paid = new_invoice("P-3", "Alpha NV", date!(2026 - 03 - 25));
    paid.amount_paid = Some(eur("100.00"));
    insert(store, org.id, paid);

    let q = |f: &dyn Fn(&mut InvoiceQuery)| {
        let mut query = InvoiceQuery::all(TODAY);
        f(&mut query);
        numbers(&store.list(org.id, &query).unwrap())
    };
    assert_eq!(q(&|_| {}), ["P-1", "P-2", "P-3", "R-1"], "sorted by due date");
    assert_eq!(q(&|x| x.statuses = vec![InvoiceStatus::Overdue]), ["P-1"]);
    assert_eq!(q(&|x| x.statuses = vec![InvoiceStatus::Pending, InvoiceStatus::Overdue]), ["P-1", "P-2", "R-1"]);
    assert_eq!(q(&|x| x.direction = Some(Direction::Receivable)), ["R-1"]);
    assert_eq!(q(&|x| x.due_from = Some(date!(2026 - 03 - 20))), ["P-2", "P-3", "R-1"]);
    assert_eq!(q(&|x| x.due_to = Some(date!(2026 - 03 - 20))), ["P-1", "P-2"]);
    assert_eq!(q(&|x| x.text = Some("alpha".into())), ["P-1", "P-3"]);
    assert_eq!(q(&|x| x.text = Some("r-1".into())), ["R-1"]);
    assert_eq!(q(&|x| x.text = Some("50%_".into())), ["P-2"], "wildcards are literal");
    assert_eq!(q(&|x| x.text = Some("%".into())), ["P-2"]);
    assert_eq!(
        q(&|x| {
            x.text = Some("alpha".into());
            x.statuses = vec![InvoiceStatus::Paid];
        }),
        ["P-3"]
    );
}

/// A text search finds what each write left: a new invoice, a changed number, not a deleted
/// one, in any letter case, never another organisation's; short and long texts alike.
pub fn invoices_search_follows_every_write(store: &dyn Store) {
    let (org, _) = register(store, "anna@example.be");
    let (other, _) = register(store, "bert@example.be");
    insert(store, other.id, new_invoice("KLOK-9", "Klokhuis BV", date!(2026 - 03 - 10)));
    let clock = insert(store, org.id, new_invoice("A-1", "Klokhuis BV", date!(2026 - 03 - 10)));
    let quote = insert(store, org.id, new_invoice("A-2", "Het \"Anker\" NV", date!(2026 - 03 - 11)));
    let found = |text: &str| {
        numbers(&store.list(org.id, &InvoiceQuery { text: Some(text.into()), ..InvoiceQuery::all(TODAY) }).unwrap())
    };
    assert_eq!(found("klok"), ["A-1"], "only this organisation's");
    assert_eq!(found("KLOKHUIS bv"), ["A-1"], "letter case is ignored");
    assert_eq!(found("\"anker\""), ["A-2"], "quotes are literal");
    assert_eq!(found("a-"), ["A-1", "A-2"], "a text of two characters");
    assert!(found("klokx").is_empty());

    let mut renamed = clock.clone();
    let patch = InvoicePatch { invoice_number: Some(InvoiceNumber::parse("ZW-77").unwrap()), ..Default::default() };
    let events = renamed.apply(patch, NOW, TODAY).unwrap();
    renamed.advance_version(NOW);
    store.update(&renamed, &events).unwrap();
    assert_eq!(found("zw-7"), ["ZW-77"], "the new number");
    assert!(found("a-1").is_empty(), "not the old one");
    assert_eq!(found("klok"), ["ZW-77"], "the name it kept");

    store.delete(org.id, quote.id(), Some(1), &[quote.deletion_event(NOW)]).unwrap();
    assert!(found("anker").is_empty(), "deleted");
}

/// A text that hundreds of invoices contain pages exactly like a rare one: in sort order, by
/// cursor, every match once, never another organisation's (SQLite reads such a search another
/// way: see `INVOICE_SEARCH_WALK_SQL`).
pub fn invoices_common_search_pages_like_a_rare_one(store: &dyn Store) {
    let (org, _) = register(store, "anna@example.be");
    let (other, _) = register(store, "bert@example.be");
    let make = |org: OrganisationId, n: i64, name: &str| {
        let new = new_invoice(&format!("N-{n:04}"), name, TODAY + Duration::days(n % 97));
        Invoice::create(InvoiceId::from_uuid(Uuid::now_v7()), org, new, NOW, TODAY).expect("valid")
    };
    let mut batch = Vec::new();
    for n in 0..700 {
        let name = if n % 7 == 0 { "Ander BV" } else { "Klokhuis BV" };
        let (invoice, events) = make(org.id, n, name);
        batch.push((invoice, events));
    }
    for n in 0..50 {
        let (invoice, events) = make(other.id, 1000 + n, "Klokhuis BV");
        batch.push((invoice, events));
    }
    store.insert_many(&batch).unwrap();
    let mut expected: Vec<(Date, InvoiceId, String)> = batch
        .iter()
        .map(|(i, _)| i)
        .filter(|i| i.organisation_id() == org.id && i.counterparty().name() == "Klokhuis BV")
        .map(|i| (i.due_date(), i.id(), i.invoice_number().as_str().to_owned()))
        .collect();
    expected.sort();
    let expected: Vec<String> = expected.into_iter().map(|(_, _, n)| n).collect();
    assert_eq!(expected.len(), 600);
    let mut seen = Vec::new();
    let mut query = InvoiceQuery { text: Some("klok".into()), limit: 50, ..InvoiceQuery::all(TODAY) };
    loop {
        let page = store.list(org.id, &query).unwrap();
        seen.extend(numbers(&page));
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    assert_eq!(seen, expected, "every match once, in due-date order");
    let rare = InvoiceQuery { text: Some("ander".into()), limit: 200, ..InvoiceQuery::all(TODAY) };
    assert_eq!(store.list(org.id, &rare).unwrap().items.len(), 100, "a rarer text alike");
}

/// The urgency filter uses the manual level when set, else the due date; paid never matches.
pub fn invoices_list_urgency_filter(store: &dyn Store) {
    let (org, _) = register(store, "anna@example.be");
    let day = |n: i64| TODAY + Duration::days(n);
    insert(store, org.id, new_invoice("overdue", "S", day(-1)));
    insert(store, org.id, new_invoice("critical-0", "S", day(0)));
    insert(store, org.id, new_invoice("critical-7", "S", day(7)));
    insert(store, org.id, new_invoice("high-8", "S", day(8)));
    insert(store, org.id, new_invoice("medium-30", "S", day(30)));
    insert(store, org.id, new_invoice("low-31", "S", day(31)));
    let mut manual = new_invoice("manual-critical", "S", day(90));
    manual.manual_urgency = Some(UrgencyLevel::Critical);
    insert(store, org.id, manual);
    let mut paid = new_invoice("paid", "S", day(3));
    paid.amount_paid = Some(eur("100.00"));
    insert(store, org.id, paid);
    let level = |l| {
        let mut query = InvoiceQuery::all(TODAY);
        query.urgency = Some(l);
        numbers(&store.list(org.id, &query).unwrap())
    };
    assert_eq!(level(UrgencyLevel::Overdue), ["overdue"]);
    assert_eq!(level(UrgencyLevel::Critical), ["critical-0", "critical-7", "manual-critical"]);
    assert_eq!(level(UrgencyLevel::High), ["high-8"]);
    assert_eq!(level(UrgencyLevel::Medium), ["medium-30"]);
    assert_eq!(level(UrgencyLevel::Low), ["low-31"]);
}

/// Walking the pages visits every row exactly once, in order, for every sort.
pub fn invoices_list_pages_visit_every_row_once_in_order(store: &dyn Store) {
    let (org, _) = register(store, "anna@example.be");
    let mut all = Vec::new();
    for i in 0..23 {
        let mut n = new_invoice(&format!("N-{:02}", (i * 7) % 23), "S", date!(2026 - 03 - 01) + Duration::days(i % 5));
        n.total = Money::from_minor_units(1000 + (i * 13) % 7, Currency::EUR).unwrap();
        if i % 4 == 0 {
            n.amount_paid = Some(n.total.clone());
        }
        all.push(insert(store, org.id, n));
    }
    for field in
        [SortField::DueDate, SortField::IssueDate, SortField::Total, SortField::CreatedAt, SortField::InvoiceNumber]
    {
        for descending in [false, true] {
            let sort = InvoiceSort { field, descending };
            let mut query = InvoiceQuery::all(TODAY);
            query.sort = sort;
            query.limit = 4;
            let mut seen = Vec::new();
            loop {
                let page = store.list(org.id, &query).unwrap();
                assert!(page.items.len() <= 4);
                seen.extend(page.items.iter().cloned());
                match page.next {
                    Some(next) => query.after = Some(next),
                    None => break,
                }
            }
            assert_eq!(seen.len(), all.len(), "{sort:?}: every row once");
            let keys: Vec<_> = seen.iter().map(|i| Cursor::after(i, sort).unwrap()).collect();
            for pair in keys.windows(2) {
                let ordering = compare(&pair[0], &pair[1]);
                let expected = if descending { std::cmp::Ordering::Greater } else { std::cmp::Ordering::Less };
                assert_eq!(ordering, expected, "{sort:?}: {pair:?}");
            }
        }
    }
    // Several statuses at once (each walked in the due-date order of its own index, merged):
    // the same rows in the same order as filtering the whole sorted list.
    use InvoiceStatus::{Overdue, Paid, Pending};
    for statuses in [vec![Pending, Overdue], vec![Overdue, Paid], vec![Paid, Pending, Overdue]] {
        for descending in [false, true] {
            let sort = InvoiceSort { field: SortField::DueDate, descending };
            let mut expected: Vec<&Invoice> = all.iter().filter(|i| statuses.contains(&i.status())).collect();
            expected.sort_by_key(|i| (i.due_date(), i.id()));
            if descending {
                expected.reverse();
            }
            let mut query = InvoiceQuery { statuses: statuses.clone(), sort, limit: 3, ..InvoiceQuery::all(TODAY) };
            let mut seen = Vec::new();
            loop {
                let page = store.list(org.id, &query).unwrap();
                assert!(page.items.len() <= 3);
                seen.extend(page.items.iter().map(Invoice::id));
                match page.next {
                    Some(next) => query.after = Some(next),
                    None => break,
                }
            }
            assert!(expected.len() > 3, "{statuses:?}: more than a page");
            assert_eq!(seen, expected.iter().map(|i| i.id()).collect::<Vec<_>>(), "{statuses:?} {sort:?}");
        }
    }

    let mut query = InvoiceQuery::all(TODAY);
    query.after = Some(Cursor::after(&all[0], InvoiceSort { field: SortField::Total, descending: false }).unwrap());
    assert!(store.list(org.id, &query).is_err(), "a cursor from another sort is refused");
}

fn compare(a: &Cursor, b: &Cursor) -> std::cmp::Ordering {
    use billify_ports::CursorKey::*;
    let key = match (&a.key, &b.key) {
        (Date(x), Date(y)) => x.cmp(y),
        (Minor(x), Minor(y)) => x.cmp(y),
        (Timestamp(x), Timestamp(y)) => x.cmp(y),
        (Text(x), Text(y)) => x.cmp(y),
        _ => panic!("mixed cursor keys"),
    };
    key.then(a.id.cmp(&b.id))
}

/// The overdue job sees only pending invoices of the organisation whose due date has passed.
pub fn invoices_pending_past_due(store: &dyn Store) {
    let (org, _) = register(store, "anna@example.be");
    let (other, _) = register(store, "bert@example.nl");
    let later = date!(2026 - 05 - 01);
    let due = insert(store, org.id, new_invoice("due", "S", date!(2026 - 04 - 01)));
    insert(store, org.id, new_invoice("not-yet", "S", later));
    let mut paid = new_invoice("paid", "S", date!(2026 - 04 - 01));
    paid.amount_paid = Some(eur("100.00"));
    insert(store, org.id, paid);
    insert(store, other.id, new_invoice("other-org", "S", date!(2026 - 04 - 01)));
    let found = store.pending_past_due(org.id, date!(2026 - 04 - 02), 10).unwrap();
    assert_eq!(found, vec![due]);
    assert!(store.pending_past_due(org.id, date!(2026 - 04 - 01), 10).unwrap().is_empty(), "due today is not past due");
}

/// An invoice read back shows what its credit notes leave open (the same direction and
/// currency, oldest first), and a credit note what its invoice did not absorb; a credit note for
/// the full amount closes its invoice. Every read agrees: one invoice, a list, the overdue scan.
pub fn invoices_show_what_credit_notes_leave_open(store: &dyn Store) {
    let (org, _) = register(store, "anna@example.be");
    let note = |number: &str, corrects: &Invoice, total: &str, issued: time::Date| {
        let mut n = new_invoice(number, "Supplier NV", date!(2026 - 02 - 01));
        n.kind = InvoiceKind::CreditNote;
        n.corrects = Some(corrects.id());
        n.total = eur(total);
        n.issue_date = issued;
        n
    };
    let mut partly = new_invoice("A-1", "Supplier NV", date!(2026 - 02 - 01));
    partly.amount_paid = Some(eur("20.00"));
    let partly = insert(store, org.id, partly);
    let first = insert(store, org.id, note("CN-1", &partly, "50.00", date!(2026 - 01 - 02)));
    let second = insert(store, org.id, note("CN-2", &partly, "40.00", date!(2026 - 01 - 03)));
    let read = store.get(org.id, partly.id()).unwrap().unwrap();
    assert_eq!(read.open_amount(), eur("0.00"), "100 - 20 paid - 80 of credit");
    assert_eq!(read.credit_settled(), eur("80.00"));
    assert_eq!(store.get(org.id, first.id()).unwrap().unwrap().open_amount(), eur("0.00"), "absorbed first");
    assert_eq!(store.get(org.id, second.id()).unwrap().unwrap().open_amount(), eur("10.00"), "a refund due");

    let full = insert(store, org.id, new_invoice("B-1", "Supplier NV", date!(2026 - 04 - 01)));
    let mut other_direction = note("CN-X", &full, "30.00", date!(2026 - 01 - 02));
    other_direction.direction = Direction::Receivable;
    insert(store, org.id, other_direction);
    assert_eq!(store.get(org.id, full.id()).unwrap().unwrap().open_amount(), eur("100.00"), "not linked");
    insert(store, org.id, note("CN-3", &full, "100.00", date!(2026 - 01 - 05)));
    let closed = store.get(org.id, full.id()).unwrap().unwrap();
    assert_eq!(closed.open_amount(), eur("0.00"), "a credit note for the full amount closes its invoice");
    assert!(closed.is_settled() && closed.urgency(TODAY).is_none());

    let page = store.list(org.id, &InvoiceQuery { limit: 200, ..InvoiceQuery::all(TODAY) }).unwrap();
    let open: std::collections::HashMap<InvoiceId, Money> =
        page.items.iter().map(|i| (i.id(), i.open_amount())).collect();
    assert_eq!(open[&partly.id()], eur("0.00"));
    assert_eq!(open[&second.id()], eur("10.00"));
    assert_eq!(open[&full.id()], eur("0.00"));
    let overdue = store.pending_past_due(org.id, date!(2026 - 05 - 01), 100).unwrap();
    let scanned = overdue.iter().find(|i| i.id() == full.id()).expect("still pending, past due");
    assert_eq!(scanned.open_amount(), eur("0.00"));
}
