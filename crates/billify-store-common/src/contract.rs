//! The contract every repository implementation must honour, as test cases.
//!
//! Each backend crate runs the whole suite with [`repository_contract_tests!`] against a fresh,
//! real database per test (a temporary SQLite file, a PostgreSQL schema).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test suite: a failed expectation is a failed test")]

use billify_domain::{BankAccount, BankTransaction, NewBankAccount, NewBankTransaction, ProviderId, RemittanceType};
use billify_domain::{
    Bic, Counterparty, Currency, Direction, EmailAddress, Iban, Invoice, InvoiceId, InvoiceKind, InvoiceNumber,
    InvoicePatch, InvoiceSource, InvoiceStatus, Membership, Money, NewInvoice, Organisation, OrganisationId,
    OrganisationName, PaymentReference, PersonName, Role, SessionId, UrgencyLevel, User, UserId, VatNumber,
};
use billify_ports::bank::{BankRepository, BankSource, BankTransactionQuery, UpsertCounts};
use billify_ports::documents::{DocumentDigest, DocumentRecord, Draft, DraftFields, DraftId, DraftRepository};
use billify_ports::intake::ExtractionMethod;
use billify_ports::jobs::{JobQueue, NewJob};
use billify_ports::{
    AccountRepository, Cursor, InvoiceQuery, InvoiceRepository, InvoiceSort, RepositoryError, Session,
    SessionRepository, SortField,
};
use std::cell::Cell;
use time::macros::{date, datetime};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

pub mod access_tokens;
pub mod audit;
pub mod integrations;
pub mod two_factor;

/// Everything a Billify store implements.
pub trait Store:
    AccountRepository + SessionRepository + InvoiceRepository + DraftRepository + BankRepository + JobQueue
{
}
impl<T> Store for T where
    T: AccountRepository + SessionRepository + InvoiceRepository + DraftRepository + BankRepository + JobQueue
{
}

/// Generates one `#[test]` per contract case. `$make` is an expression that yields a value with
/// a `store()` method returning a fresh store; it is evaluated once per test.
#[macro_export]
macro_rules! repository_contract_tests {
    ($make:expr) => {
        $crate::repository_contract_tests!(@cases $make;
            accounts_register_and_read_back,
            accounts_duplicate_email_conflicts_and_stores_nothing,
            accounts_login_failures_lock_after_the_limit,
            sessions_create_find_delete_and_expire,
            sessions_are_listed_and_ended_per_user,
            password_change_ends_the_other_sessions,
            invoices_round_trip_every_field,
            invoices_money_is_exact,
            invoices_are_scoped_by_organisation,
            invoices_duplicate_conflicts_and_overwrites_nothing,
            invoices_update_honours_the_version,
            invoices_delete_keeps_events,
            invoices_list_filters,
            invoices_list_urgency_filter,
            invoices_list_pages_visit_every_row_once_in_order,
            invoices_pending_past_due,
            drafts_round_trip_one_per_document,
            drafts_confirm_atomically,
            documents_are_collected_only_when_unreferenced,
            bank_upserts_are_idempotent_and_scoped,
            jobs_are_deduplicated_and_claimed_when_due,
            jobs_with_expired_leases_are_taken_over,
            jobs_leases_are_renewed_only_by_their_holder,
            jobs_are_never_claimed_twice_by_concurrent_workers,
            members_change_roles_but_keep_an_owner,
            removing_a_member_ends_their_sessions_there,
            invitations_are_scoped_single_use_and_expire,
        );
    };
    (@cases $make:expr; $($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                let fixture = $make;
                $crate::contract::$case(fixture.store());
            }
        )*
    };
}

const NOW: OffsetDateTime = datetime!(2026-03-02 09:30:15.123456 UTC);
const TODAY: Date = date!(2026 - 03 - 02);

fn eur(s: &str) -> Money {
    Money::parse(s, Currency::EUR).expect("valid amount")
}

fn register(store: &dyn Store, email: &str) -> (Organisation, User) {
    let organisation = Organisation {
        id: OrganisationId::from_uuid(Uuid::now_v7()),
        name: OrganisationName::parse(&format!("Org of {email}")).expect("name"),
        vat_number: None,
        created_at: NOW,
    };
    let user = User {
        id: UserId::from_uuid(Uuid::now_v7()),
        email: EmailAddress::parse(email).expect("email"),
        name: PersonName::parse("Anna Peeters").expect("name"),
        password_hash: "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g".into(),
        created_at: NOW,
    };
    let membership =
        Membership { organisation_id: organisation.id, user_id: user.id, role: Role::Owner, created_at: NOW };
    store.register(&organisation, &user, &membership).expect("register");
    (organisation, user)
}

fn new_invoice(number: &str, supplier: &str, due: Date) -> NewInvoice {
    NewInvoice {
        direction: Direction::Payable,
        kind: InvoiceKind::Invoice,
        corrects: None,
        invoice_number: InvoiceNumber::parse(number).expect("number"),
        counterparty: Counterparty::new(supplier, None, None, None).expect("counterparty"),
        issue_date: date!(2026 - 01 - 01),
        due_date: due,
        subtotal: None,
        vat_amount: None,
        total: eur("100.00"),
        amount_paid: None,
        manual_urgency: None,
        payment_reference: None,
        source: InvoiceSource::Manual,
        external_reference: None,
    }
}

fn insert(store: &dyn Store, org: OrganisationId, new: NewInvoice) -> Invoice {
    let (invoice, events) = Invoice::create(InvoiceId::from_uuid(Uuid::now_v7()), org, new, NOW, TODAY).expect("valid");
    store.insert(&invoice, &events).expect("insert");
    invoice
}

/// Registration stores organisation, user and membership, readable every way.
pub fn accounts_register_and_read_back(store: &dyn Store) {
    let (org, user) = register(store, "anna@example.be");
    let (org2, _) = register(store, "bert@example.nl");
    assert_eq!(store.organisation(org.id).unwrap(), Some(org.clone()));
    assert_eq!(store.user(user.id).unwrap(), Some(user.clone()));
    assert_eq!(store.user_by_email(&EmailAddress::parse("ANNA@example.be").unwrap()).unwrap(), Some(user.clone()));
    assert_eq!(store.user_by_email(&EmailAddress::parse("nobody@example.be").unwrap()).unwrap(), None);
    let membership = store.membership(org.id, user.id).unwrap().expect("membership");
    assert_eq!(membership.role, Role::Owner);
    assert_eq!(store.membership(org2.id, user.id).unwrap(), None, "no membership in another organisation");
    assert_eq!(store.memberships_of(user.id).unwrap(), vec![membership]);
    let mut ids = vec![org.id, org2.id];
    ids.sort();
    assert_eq!(store.organisation_ids(None, 10).unwrap(), ids);
    assert_eq!(store.organisation_ids(None, 1).unwrap(), vec![ids[0]]);
    assert_eq!(store.organisation_ids(Some(ids[0]), 10).unwrap(), vec![ids[1]]);
    assert_eq!(store.organisation(OrganisationId::from_uuid(Uuid::now_v7())).unwrap(), None);
    let renamed = Organisation {
        name: OrganisationName::parse("Bloc Group BV").unwrap(),
        vat_number: Some(VatNumber::parse("BE0662970353").unwrap()),
        ..org.clone()
    };
    store.update_organisation(&renamed).unwrap();
    assert_eq!(store.organisation(org.id).unwrap(), Some(renamed));
    assert_eq!(store.organisation(org2.id).unwrap().unwrap().vat_number, None, "only that organisation changed");
}

/// A second registration with a taken email is a conflict and leaves no organisation behind.
pub fn accounts_duplicate_email_conflicts_and_stores_nothing(store: &dyn Store) {
    let (_, user) = register(store, "anna@example.be");
    let organisation = Organisation {
        id: OrganisationId::from_uuid(Uuid::now_v7()),
        name: OrganisationName::parse("Second").unwrap(),
        vat_number: Some(VatNumber::parse("BE0662970353").unwrap()),
        created_at: NOW,
    };
    let twin = User { id: UserId::from_uuid(Uuid::now_v7()), ..user };
    let membership =
        Membership { organisation_id: organisation.id, user_id: twin.id, role: Role::Owner, created_at: NOW };
    let err = store.register(&organisation, &twin, &membership).unwrap_err();
    assert!(matches!(err, RepositoryError::Conflict(_)), "{err:?}");
    assert_eq!(store.organisation(organisation.id).unwrap(), None, "the transaction rolled back");
}

/// Sessions are found by digest, deleted once, and purged after expiry.
pub fn sessions_create_find_delete_and_expire(store: &dyn Store) {
    let (org, user) = register(store, "anna@example.be");
    let session = |digest: &str, expires_at| Session {
        id: SessionId::from_uuid(Uuid::now_v7()),
        token_digest: digest.into(),
        user_id: user.id,
        organisation_id: org.id,
        created_at: NOW,
        expires_at,
        last_seen_at: NOW,
        user_agent: Some("curl/8.5.0".into()),
        ip: Some("2001:db8::1".into()),
    };
    let live = session("aaaa", NOW + Duration::hours(1));
    let old = session("bbbb", NOW - Duration::minutes(1));
    store.create_session(&live).unwrap();
    store.create_session(&old).unwrap();
    assert_eq!(store.find_session("aaaa").unwrap(), Some(live.clone()));
    assert_eq!(store.find_session("cccc").unwrap(), None);
    store.touch_session("aaaa", NOW + Duration::minutes(5)).unwrap();
    assert_eq!(store.find_session("aaaa").unwrap().unwrap().last_seen_at, NOW + Duration::minutes(5));
    assert_eq!(store.delete_expired_sessions(NOW).unwrap(), 1);
    assert_eq!(store.find_session("bbbb").unwrap(), None);
    assert!(store.delete_session("aaaa").unwrap());
    assert!(!store.delete_session("aaaa").unwrap());
}

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

fn document(org: OrganisationId, n: u8) -> DocumentRecord {
    DocumentRecord {
        organisation_id: org,
        digest: DocumentDigest::parse(&format!("{n:02x}").repeat(32)).unwrap(),
        size: 1234,
        media_type: "application/pdf".into(),
        file_name: "factuur.pdf".into(),
        created_at: NOW,
    }
}

fn draft(org: OrganisationId, user: UserId, doc: &DocumentRecord) -> Draft {
    Draft {
        id: DraftId(Uuid::now_v7()),
        organisation_id: org,
        created_by: user,
        digest: doc.digest.clone(),
        method: ExtractionMethod::PdfText,
        fields: DraftFields {
            direction: Some("payable".into()),
            invoice_number: Some("INV-1".into()),
            counterparty_name: Some("Bloc Group BV".into()),
            total: Some("382.06".into()),
            ..DraftFields::default()
        },
        extraction: "{\"method\":\"pdf_text\"}".into(),
        invoice_id: None,
        created_at: NOW,
        expires_at: NOW + Duration::hours(24),
        version: 1,
    }
}

/// Drafts read back exactly; a document has at most one draft; updates honour the version.
pub fn drafts_round_trip_one_per_document(store: &dyn Store) {
    let (org, user) = register(store, "anna@example.be");
    let (other, _) = register(store, "bert@example.nl");
    let doc = document(org.id, 1);
    let d = draft(org.id, user.id, &doc);
    store.create_draft(&doc, &d).unwrap();
    assert_eq!(store.draft(org.id, d.id).unwrap(), Some(d.clone()));
    assert_eq!(store.draft_of_document(org.id, &doc.digest).unwrap(), Some(d.clone()));
    assert_eq!(store.draft(other.id, d.id).unwrap(), None, "scoped by organisation");
    assert!(matches!(store.create_draft(&doc, &draft(org.id, user.id, &doc)), Err(RepositoryError::Conflict(_))));
    let mut changed = d.clone();
    changed.fields.total = Some("400.00".into());
    changed.fields.due_date = None;
    changed.version = 2;
    store.update_draft(&changed).unwrap();
    assert_eq!(store.draft(org.id, d.id).unwrap(), Some(changed.clone()));
    assert!(matches!(store.update_draft(&changed), Err(RepositoryError::StaleVersion { current: 2 })));
    assert!(store.expired_drafts(org.id, NOW + Duration::hours(23), 10).unwrap().is_empty());
    assert_eq!(store.expired_drafts(org.id, NOW + Duration::hours(25), 10).unwrap(), vec![changed]);
    store.delete_draft(org.id, d.id).unwrap();
    assert!(matches!(store.delete_draft(org.id, d.id), Err(RepositoryError::NotFound)));
}

/// Confirming stores the invoice, its events, the document link and the draft together, or
/// nothing.
pub fn drafts_confirm_atomically(store: &dyn Store) {
    let (org, user) = register(store, "anna@example.be");
    let existing = insert(store, org.id, new_invoice("INV-1", "Bloc Group BV", date!(2026 - 04 - 01)));
    let doc = document(org.id, 2);
    let d = draft(org.id, user.id, &doc);
    store.create_draft(&doc, &d).unwrap();
    let (dup, events) = Invoice::create(
        InvoiceId::from_uuid(Uuid::now_v7()),
        org.id,
        new_invoice("INV-1", "Bloc Group BV", date!(2026 - 04 - 01)),
        NOW,
        TODAY,
    )
    .unwrap();
    let mut confirmed = d.clone();
    confirmed.invoice_id = Some(dup.id());
    confirmed.version = 2;
    assert!(matches!(store.confirm_draft(&confirmed, &dup, &events), Err(RepositoryError::Conflict(_))));
    assert_eq!(store.draft(org.id, d.id).unwrap(), Some(d.clone()), "the draft is untouched");
    assert_eq!(store.get(org.id, dup.id()).unwrap(), None);
    assert!(store.events(org.id, dup.id()).unwrap().is_empty());

    let (fresh, events) = Invoice::create(
        InvoiceId::from_uuid(Uuid::now_v7()),
        org.id,
        new_invoice("INV-2", "Bloc Group BV", date!(2026 - 04 - 01)),
        NOW,
        TODAY,
    )
    .unwrap();
    confirmed.invoice_id = Some(fresh.id());
    store.confirm_draft(&confirmed, &fresh, &events).unwrap();
    assert_eq!(store.get(org.id, fresh.id()).unwrap(), Some(fresh.clone()));
    assert_eq!(store.draft(org.id, d.id).unwrap(), Some(confirmed.clone()));
    assert_eq!(store.document_of_invoice(org.id, fresh.id()).unwrap(), Some(doc));
    assert_eq!(store.document_of_invoice(org.id, existing.id()).unwrap(), None);
    assert!(matches!(store.confirm_draft(&confirmed, &fresh, &[]), Err(RepositoryError::StaleVersion { current: 2 })));
}

/// A document is removed only when no draft and no invoice refers to it, and its bytes are
/// removed in the same step.
pub fn documents_are_collected_only_when_unreferenced(store: &dyn Store) {
    let (org, user) = register(store, "anna@example.be");
    let doc = document(org.id, 3);
    let d = draft(org.id, user.id, &doc);
    store.create_draft(&doc, &d).unwrap();
    let removed = Cell::new(0);
    let remove = || {
        removed.set(removed.get() + 1);
        Ok(())
    };
    assert!(!store.delete_unreferenced_document(org.id, &doc.digest, &remove).unwrap());
    assert_eq!(removed.get(), 0);
    store.delete_draft(org.id, d.id).unwrap();
    assert!(store.delete_unreferenced_document(org.id, &doc.digest, &remove).unwrap());
    assert_eq!(removed.get(), 1);
    assert!(!store.delete_unreferenced_document(org.id, &doc.digest, &remove).unwrap(), "already gone");
    // When removing the bytes fails, the record stays.
    let doc = document(org.id, 4);
    let d = draft(org.id, user.id, &doc);
    store.create_draft(&doc, &d).unwrap();
    store.delete_draft(org.id, d.id).unwrap();
    assert!(store.delete_unreferenced_document(org.id, &doc.digest, &|| Err("disk on fire".into())).is_err());
    store.create_draft(&doc, &draft(org.id, user.id, &doc)).unwrap();
    assert!(!store.delete_unreferenced_document(org.id, &doc.digest, &remove).unwrap(), "the record survived");
}

fn bank_account(balance: &str) -> BankAccount {
    bank_account_of("acc-1", balance)
}

fn bank_account_of(provider_id: &str, balance: &str) -> BankAccount {
    BankAccount::new(NewBankAccount {
        provider_id: ProviderId::parse(provider_id).unwrap(),
        iban: Some(Iban::parse("BE68539007547034").unwrap()),
        currency: Currency::EUR,
        current_balance: eur(balance),
        available_balance: Some(eur(balance)),
        holder_name: Some("Bloc Group BV".into()),
        institution_name: Some("Belfius".into()),
        description: None,
        authorization_expires_at: Some(NOW + Duration::days(90)),
        synchronized_at: Some(NOW),
    })
    .unwrap()
}

fn bank_transaction(id: &str, amount: &str, day: u8) -> BankTransaction {
    BankTransaction::new(NewBankTransaction {
        provider_id: ProviderId::parse(id).unwrap(),
        account_provider_id: ProviderId::parse("acc-1").unwrap(),
        amount: eur(amount),
        counterparty_name: Some("CF accountancy BV".into()),
        counterparty_account: Some("BE71 0018 6092 2869".into()),
        remittance_information: Some("+++123/4567/89002+++".into()),
        remittance_type: RemittanceType::Structured,
        description: None,
        execution_date: Date::from_calendar_date(2026, time::Month::March, day).unwrap(),
        value_date: None,
        bank_transaction_code: None,
    })
}

/// Replaying the same bank data adds nothing; changed data is updated in place; organisations
/// never see each other's accounts.
pub fn bank_upserts_are_idempotent_and_scoped(store: &dyn Store) {
    let (org, _) = register(store, "anna@example.be");
    let (other, _) = register(store, "bert@example.nl");
    let (id, new) = store.upsert_bank_account(org.id, BankSource::Statement, &bank_account("1000.00"), NOW).unwrap();
    assert!(new);
    let (again, new) = store.upsert_bank_account(org.id, BankSource::Statement, &bank_account("1234.56"), NOW).unwrap();
    assert_eq!((again, new), (id, false));
    let accounts = store.bank_accounts(org.id).unwrap();
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].account, bank_account("1234.56"));
    assert!(store.bank_accounts(other.id).unwrap().is_empty());

    let batch =
        [bank_transaction("t1", "-382.06", 1), bank_transaction("t2", "121.00", 2), bank_transaction("t3", "0.10", 3)];
    assert_eq!(
        store.upsert_bank_transactions(org.id, id, &batch, NOW).unwrap(),
        UpsertCounts { new: 3, changed: 0, unchanged: 0 }
    );
    assert_eq!(
        store.upsert_bank_transactions(org.id, id, &batch, NOW).unwrap(),
        UpsertCounts { new: 0, changed: 0, unchanged: 3 }
    );
    let changed = [bank_transaction("t3", "0.20", 3)];
    assert_eq!(
        store.upsert_bank_transactions(org.id, id, &changed, NOW).unwrap(),
        UpsertCounts { new: 0, changed: 1, unchanged: 0 }
    );

    let mut query = BankTransactionQuery { account_id: None, from: None, to: None, after: None, limit: 2 };
    let page = store.bank_transactions(org.id, &query).unwrap();
    let ids: Vec<&str> = page.items.iter().map(|t| t.transaction.provider_id().as_str()).collect();
    assert_eq!(ids, ["t3", "t2"], "newest first");
    assert_eq!(page.items[0].transaction, changed[0]);
    assert_eq!(page.items[0].transaction.structured_reference().map(|r| r.digits()), Some("123456789002"));
    query.after = page.next;
    let page = store.bank_transactions(org.id, &query).unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].transaction, batch[0]);
    assert_eq!(page.next, None);
    query.after = None;
    query.from = Some(date!(2026 - 03 - 02));
    query.to = Some(date!(2026 - 03 - 02));
    assert_eq!(store.bank_transactions(org.id, &query).unwrap().items.len(), 1);
    let empty = BankTransactionQuery { account_id: None, from: None, to: None, after: None, limit: 10 };
    assert!(store.bank_transactions(other.id, &empty).unwrap().items.is_empty());
}

fn job(org: OrganisationId, key: &str, run_at: OffsetDateTime) -> NewJob {
    NewJob { organisation_id: org, kind: "bank.sync".into(), key: key.into(), payload: "{}".into(), run_at }
}

/// One active job per organisation, kind and key; only due jobs are claimed, most overdue first.
pub fn jobs_are_deduplicated_and_claimed_when_due(store: &dyn Store) {
    let (org, _) = register(store, "anna@example.be");
    let (other, _) = register(store, "bert@example.nl");
    assert!(store.enqueue(&job(org.id, "a", NOW - Duration::minutes(1)), NOW).unwrap());
    assert!(!store.enqueue(&job(org.id, "a", NOW), NOW).unwrap(), "already queued");
    assert!(store.enqueue(&job(other.id, "a", NOW - Duration::minutes(5)), NOW).unwrap(), "another organisation");
    assert!(store.enqueue(&job(org.id, "later", NOW + Duration::hours(1)), NOW).unwrap());
    let first = store.claim("w1", NOW, Duration::minutes(5)).unwrap().expect("a due job");
    assert_eq!(first.organisation_id, other.id, "the most overdue first");
    assert_eq!(first.attempts, 1);
    let second = store.claim("w2", NOW, Duration::minutes(5)).unwrap().expect("a due job");
    assert_eq!((second.organisation_id, second.key.as_str()), (org.id, "a"));
    assert_eq!(store.claim("w3", NOW, Duration::minutes(5)).unwrap(), None, "the other job is not due");
    assert!(!store.enqueue(&job(org.id, "a", NOW), NOW).unwrap(), "running counts as active");
    store.complete(&second, "w2", NOW).unwrap();
    assert!(store.enqueue(&job(org.id, "a", NOW), NOW).unwrap(), "a finished job can be queued again");
}

/// A worker that dies loses its job to another after the lease; the dead worker's late
/// report is refused; failures retry until given up.
pub fn jobs_with_expired_leases_are_taken_over(store: &dyn Store) {
    let (org, _) = register(store, "anna@example.be");
    store.enqueue(&job(org.id, "a", NOW), NOW).unwrap();
    let claimed = store.claim("w1", NOW, Duration::minutes(1)).unwrap().unwrap();
    assert_eq!(store.claim("w2", NOW + Duration::seconds(30), Duration::minutes(1)).unwrap(), None, "still leased");
    let later = NOW + Duration::minutes(2);
    let taken = store.claim("w2", later, Duration::minutes(1)).unwrap().expect("the lease expired");
    assert_eq!(taken.id, claimed.id);
    assert_eq!(taken.attempts, 2);
    assert!(matches!(store.complete(&claimed, "w1", later), Err(RepositoryError::Conflict(_))), "w1 lost the lease");
    store.fail(&taken, "w2", "bank said 503", Some(later + Duration::minutes(10)), later).unwrap();
    assert_eq!(store.claim("w3", later + Duration::minutes(5), Duration::minutes(1)).unwrap(), None, "backing off");
    let retried = store.claim("w3", later + Duration::minutes(11), Duration::minutes(1)).unwrap().expect("due again");
    assert_eq!(retried.attempts, 3);
    assert_eq!(retried.last_error.as_deref(), Some("bank said 503"));
    store.fail(&retried, "w3", "gave up", None, later + Duration::minutes(11)).unwrap();
    assert_eq!(store.claim("w4", later + Duration::days(1), Duration::minutes(1)).unwrap(), None, "failed for good");
}

/// A renewed lease keeps the job from being taken over past its first end; only the holder
/// renews, and not after the job was taken over or finished.
pub fn jobs_leases_are_renewed_only_by_their_holder(store: &dyn Store) {
    let (org, _) = register(store, "anna@example.be");
    store.enqueue(&job(org.id, "a", NOW), NOW).unwrap();
    let claimed = store.claim("w1", NOW, Duration::minutes(1)).unwrap().unwrap();
    assert!(!store.renew_lease(&claimed, "w2", NOW + Duration::minutes(5)).unwrap(), "not w2's lease");
    assert!(store.renew_lease(&claimed, "w1", NOW + Duration::minutes(3)).unwrap());
    assert_eq!(store.claim("w2", NOW + Duration::minutes(2), Duration::minutes(1)).unwrap(), None, "renewed");
    let taken = store.claim("w2", NOW + Duration::minutes(4), Duration::minutes(1)).unwrap().expect("lease over");
    assert!(!store.renew_lease(&claimed, "w1", NOW + Duration::minutes(10)).unwrap(), "taken over");
    store.complete(&taken, "w2", NOW + Duration::minutes(4)).unwrap();
    assert!(!store.renew_lease(&taken, "w2", NOW + Duration::minutes(10)).unwrap(), "finished");
}

/// Four workers racing over forty jobs claim each exactly once.
pub fn jobs_are_never_claimed_twice_by_concurrent_workers(store: &dyn Store) {
    let (org, _) = register(store, "anna@example.be");
    for i in 0..40 {
        store.enqueue(&job(org.id, &format!("k{i}"), NOW - Duration::seconds(i)), NOW).unwrap();
    }
    let claimed = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for w in 0..4 {
            let claimed = &claimed;
            scope.spawn(move || {
                let worker = format!("w{w}");
                while let Some(job) = store.claim(&worker, NOW, Duration::minutes(5)).unwrap() {
                    store.complete(&job, &worker, NOW).unwrap();
                    claimed.lock().unwrap().push(job.key);
                }
            });
        }
    });
    let mut keys = claimed.into_inner().unwrap();
    keys.sort();
    let before = keys.len();
    keys.dedup();
    assert_eq!(before, 40, "every job ran");
    assert_eq!(keys.len(), 40, "no job ran twice");
}

/// Five failures within the window lock logins; older failures are forgotten; success clears.
pub fn accounts_login_failures_lock_after_the_limit(store: &dyn Store) {
    let (_, user) = register(store, "anna@example.be");
    let lock = NOW + Duration::minutes(30);
    let fail =
        |at: OffsetDateTime| store.record_login_failure(user.id, at, at - Duration::minutes(5), 5, lock).unwrap();
    for i in 0..4 {
        assert_eq!(fail(NOW + Duration::seconds(i)), None);
    }
    assert_eq!(store.login_locked_until(user.id).unwrap(), None);
    // The fifth failure comes after the window of the first four: they are forgotten.
    assert_eq!(fail(NOW + Duration::minutes(6)), None);
    for i in 1..4 {
        assert_eq!(fail(NOW + Duration::minutes(6) + Duration::seconds(i)), None);
    }
    assert_eq!(fail(NOW + Duration::minutes(7)), Some(lock), "five failures within five minutes lock");
    assert_eq!(store.login_locked_until(user.id).unwrap(), Some(lock));
    store.clear_login_failures(user.id).unwrap();
    assert_eq!(store.login_locked_until(user.id).unwrap(), None);
}

fn session(token: &str, organisation: OrganisationId, user: UserId) -> Session {
    Session {
        id: SessionId::from_uuid(Uuid::now_v7()),
        token_digest: token.into(),
        user_id: user,
        organisation_id: organisation,
        created_at: NOW,
        expires_at: NOW + Duration::hours(12),
        last_seen_at: NOW,
        user_agent: None,
        ip: None,
    }
}

/// A user's sessions are listed newest first and ended one by one or all together, never
/// touching another user's.
pub fn sessions_are_listed_and_ended_per_user(store: &dyn Store) {
    let (org, anna) = register(store, "anna@example.be");
    let (other, bert) = register(store, "bert@example.nl");
    let first = session("anna-1", org.id, anna.id);
    let second = Session { created_at: NOW + Duration::seconds(1), ..session("anna-2", org.id, anna.id) };
    let berts = session("bert-1", other.id, bert.id);
    for s in [&first, &second, &berts] {
        store.create_session(s).unwrap();
    }
    assert_eq!(store.sessions_of_user(anna.id).unwrap(), vec![second.clone(), first.clone()]);
    assert_eq!(store.sessions_of_user(bert.id).unwrap(), vec![berts.clone()]);
    assert!(!store.delete_user_session(anna.id, berts.id).unwrap(), "another user's session");
    assert!(store.find_session("bert-1").unwrap().is_some());
    assert!(store.delete_user_session(anna.id, first.id).unwrap());
    assert!(!store.delete_user_session(anna.id, first.id).unwrap());
    assert_eq!(store.sessions_of_user(anna.id).unwrap(), vec![second]);
    store.create_session(&session("anna-3", org.id, anna.id)).unwrap();
    assert_eq!(store.delete_user_sessions(anna.id).unwrap(), 2);
    assert_eq!(store.sessions_of_user(anna.id).unwrap(), vec![]);
    assert_eq!(store.sessions_of_user(bert.id).unwrap(), vec![berts], "other users keep theirs");
}

/// A password change stores the new hash and ends every other session of the user at once.
pub fn password_change_ends_the_other_sessions(store: &dyn Store) {
    let (org, anna) = register(store, "anna@example.be");
    let (other, bert) = register(store, "bert@example.nl");
    join(store, other.id, anna.id, Role::Viewer);
    for (digest, organisation, user) in [
        ("keep", org.id, anna.id),
        ("end-1", org.id, anna.id),
        ("end-2", other.id, anna.id),
        ("bert", other.id, bert.id),
    ] {
        store.create_session(&session(digest, organisation, user)).unwrap();
    }
    store.change_password(anna.id, "$argon2id$new", Some("keep")).unwrap();
    assert_eq!(store.user(anna.id).unwrap().unwrap().password_hash, "$argon2id$new");
    assert_eq!(store.user(bert.id).unwrap().unwrap().password_hash, bert.password_hash, "only hers");
    let left: Vec<_> = store.sessions_of_user(anna.id).unwrap().into_iter().map(|s| s.token_digest).collect();
    assert_eq!(left, ["keep"]);
    assert!(store.find_session("bert").unwrap().is_some());
    store.change_password(anna.id, "$argon2id$newer", None).unwrap();
    assert_eq!(store.sessions_of_user(anna.id).unwrap(), vec![]);
    let nobody = UserId::from_uuid(Uuid::now_v7());
    assert!(matches!(store.change_password(nobody, "$argon2id$x", None), Err(RepositoryError::NotFound)));
}

fn join(store: &dyn Store, organisation: OrganisationId, user: UserId, role: Role) {
    let invitation = invitation(store, organisation, user, role, "join");
    let membership = Membership { organisation_id: organisation, user_id: user, role, created_at: NOW };
    store.accept_invitation(&invitation, None, &membership, NOW).unwrap();
}

fn invitation(
    store: &dyn Store,
    organisation: OrganisationId,
    invited_by: UserId,
    role: Role,
    digest: &str,
) -> billify_domain::Invitation {
    let invitation = billify_domain::Invitation {
        id: billify_domain::InvitationId::from_uuid(Uuid::now_v7()),
        organisation_id: organisation,
        email: EmailAddress::parse("new@example.be").unwrap(),
        role,
        invited_by,
        token_digest: format!("{digest}-{}", Uuid::now_v7()),
        created_at: NOW,
        expires_at: NOW + Duration::days(7),
        accepted_at: None,
    };
    store.create_invitation(&invitation).unwrap();
    invitation
}

/// Role changes are compare-and-set on the current role and never leave an organisation
/// without an owner; members are listed with their users, per organisation.
pub fn members_change_roles_but_keep_an_owner(store: &dyn Store) {
    use billify_ports::MemberChange;
    let (org, anna) = register(store, "anna@example.be");
    let (other, bert) = register(store, "bert@example.nl");
    join(store, org.id, bert.id, Role::Viewer);
    let members = store.members(org.id).unwrap();
    assert_eq!(
        members.iter().map(|m| (m.user.id, m.membership.role)).collect::<Vec<_>>(),
        vec![(anna.id, Role::Owner), (bert.id, Role::Viewer)]
    );
    assert_eq!(store.members(other.id).unwrap().len(), 1, "only the other organisation's own member");
    assert_eq!(store.change_role(org.id, anna.id, Role::Owner, Role::Admin).unwrap(), MemberChange::LastOwner);
    assert_eq!(store.remove_member(org.id, anna.id, Role::Owner).unwrap(), MemberChange::LastOwner);
    assert_eq!(store.change_role(org.id, bert.id, Role::Admin, Role::Owner).unwrap(), MemberChange::NotFound);
    assert_eq!(store.change_role(other.id, anna.id, Role::Owner, Role::Viewer).unwrap(), MemberChange::NotFound);
    assert_eq!(store.change_role(org.id, bert.id, Role::Viewer, Role::Owner).unwrap(), MemberChange::Done);
    assert_eq!(store.change_role(org.id, anna.id, Role::Owner, Role::Admin).unwrap(), MemberChange::Done);
    assert_eq!(store.membership(org.id, anna.id).unwrap().unwrap().role, Role::Admin);
    assert_eq!(store.change_role(org.id, bert.id, Role::Owner, Role::Viewer).unwrap(), MemberChange::LastOwner);
    assert_eq!(store.membership(other.id, bert.id).unwrap().unwrap().role, Role::Owner, "other organisation intact");
}

/// Removing a member deletes the member's sessions acting on that organisation only.
pub fn removing_a_member_ends_their_sessions_there(store: &dyn Store) {
    use billify_ports::MemberChange;
    let (org, _) = register(store, "anna@example.be");
    let (other, bert) = register(store, "bert@example.nl");
    join(store, org.id, bert.id, Role::Accountant);
    store.create_session(&session("in-org", org.id, bert.id)).unwrap();
    store.create_session(&session("in-other", other.id, bert.id)).unwrap();
    assert_eq!(store.remove_member(org.id, bert.id, Role::Viewer).unwrap(), MemberChange::NotFound);
    assert!(store.find_session("in-org").unwrap().is_some());
    assert_eq!(store.remove_member(org.id, bert.id, Role::Accountant).unwrap(), MemberChange::Done);
    assert_eq!(store.membership(org.id, bert.id).unwrap(), None);
    assert_eq!(store.find_session("in-org").unwrap(), None);
    assert!(store.find_session("in-other").unwrap().is_some(), "sessions elsewhere stay");
    assert_eq!(store.remove_member(org.id, bert.id, Role::Accountant).unwrap(), MemberChange::NotFound);
}

/// Invitations are found by digest within their organisation only, accepted once, not after
/// expiry, and revoked only while pending.
pub fn invitations_are_scoped_single_use_and_expire(store: &dyn Store) {
    let (org, anna) = register(store, "anna@example.be");
    let (other, _) = register(store, "bert@example.nl");
    let first = invitation(store, org.id, anna.id, Role::Viewer, "first");
    let second = invitation(store, org.id, anna.id, Role::Admin, "second");
    assert_eq!(store.invitation_by_digest(org.id, &first.token_digest).unwrap(), Some(first.clone()));
    assert_eq!(store.invitation_by_digest(other.id, &first.token_digest).unwrap(), None, "scoped");
    assert_eq!(store.pending_invitations(org.id, NOW).unwrap(), vec![first.clone(), second.clone()]);
    assert_eq!(store.pending_invitations(other.id, NOW).unwrap(), vec![]);
    assert_eq!(store.pending_invitations(org.id, NOW + Duration::days(7)).unwrap(), vec![], "expired");

    let carl = User {
        id: UserId::from_uuid(Uuid::now_v7()),
        email: first.email.clone(),
        name: PersonName::parse("Carl").unwrap(),
        password_hash: "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g".into(),
        created_at: NOW,
    };
    let membership = Membership { organisation_id: org.id, user_id: carl.id, role: Role::Viewer, created_at: NOW };
    let late = NOW + Duration::days(7);
    assert!(matches!(store.accept_invitation(&first, Some(&carl), &membership, late), Err(RepositoryError::NotFound)));
    assert_eq!(store.user(carl.id).unwrap(), None, "nothing stored after an expired accept");
    store.accept_invitation(&first, Some(&carl), &membership, NOW).unwrap();
    assert_eq!(store.membership(org.id, carl.id).unwrap(), Some(membership.clone()));
    assert!(store.invitation_by_digest(org.id, &first.token_digest).unwrap().unwrap().accepted_at.is_some());
    assert!(matches!(store.accept_invitation(&first, None, &membership, NOW), Err(RepositoryError::NotFound)));
    // Accepting another invitation as an existing member conflicts and leaves it pending.
    assert!(matches!(store.accept_invitation(&second, None, &membership, NOW), Err(RepositoryError::Conflict(_))));
    assert_eq!(store.pending_invitations(org.id, NOW).unwrap(), vec![second.clone()]);

    assert!(!store.revoke_invitation(other.id, second.id).unwrap(), "scoped");
    assert!(!store.revoke_invitation(org.id, first.id).unwrap(), "accepted ones stay");
    assert!(store.revoke_invitation(org.id, second.id).unwrap());
    assert_eq!(store.pending_invitations(org.id, NOW).unwrap(), vec![]);
}
