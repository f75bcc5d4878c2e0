//! The contract of [`ReconciliationRepository`], run by both backends with
//! [`reconciliation_contract_tests!`](crate::reconciliation_contract_tests).

use billify_domain::{
    BankTransaction, Candidate, Direction, Flow, Iban, Invoice, InvoiceEvent, InvoiceId, InvoiceStatus,
    MatchExplanation, MatchRule, Money, NewBankTransaction, OrganisationId, PaymentReference, ProviderId,
    RemittanceType, StructuredReference, UserId,
};
use billify_ports::bank::BankSource;
use billify_ports::reconciliation::{
    ReconciliationOutcome, ReconciliationRepository, StoredMatch, StoredSuggestion, SuggestionDecision,
    SuggestionStatus,
};
use billify_ports::{AuditAction, RepositoryError};
use time::macros::date;
use time::{Date, Duration};
use uuid::Uuid;

use super::Store;
use super::fixtures::{NOW, TODAY, audit_entry, bank_account, eur, insert, new_invoice, register};

/// Everything reconciliation needs of a store.
pub trait ReconciliationStore: Store + ReconciliationRepository {}
impl<T> ReconciliationStore for T where T: Store + ReconciliationRepository {}

/// Generates one `#[test]` per reconciliation contract case, like
/// [`repository_contract_tests!`](crate::repository_contract_tests).
#[macro_export]
macro_rules! reconciliation_contract_tests {
    ($make:expr) => {
        $crate::reconciliation_contract_tests!(@cases $make;
            reconciliation_open_items_are_what_is_left_to_pay,
            reconciliation_hands_out_each_transaction_once,
            reconciliation_outcomes_are_stored_whole_or_not_at_all,
            reconciliation_matches_never_exceed_their_transaction,
            reconciliation_matches_stored_at_once_never_exceed_their_transaction,
            reconciliation_decisions_are_taken_once_and_exclude_candidates,
            reconciliation_undo_restores_the_invoice_and_is_remembered,
            reconciliation_is_scoped_by_organisation,
            reconciliation_recent_matches_come_newest_first,
            bank_bookings_known_from_another_format_are_kept_once,
            reconciliation_finds_new_invoices_and_unmatched_transactions,
            reconciliation_reads_the_open_items_a_batch_may_name,
        );
    };
    (@cases $make:expr; $($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                let fixture = $make;
                $crate::contract::reconciliation::$case(fixture.store());
            }
        )*
    };
}

fn transaction(id: &str, amount: &str, day: u8, remittance: &str) -> BankTransaction {
    BankTransaction::new(NewBankTransaction {
        provider_id: ProviderId::parse(id).unwrap(),
        account_provider_id: ProviderId::parse("acc-1").unwrap(),
        amount: eur(amount),
        counterparty_name: Some("Bloc Group BV".into()),
        counterparty_account: Some("BE71 0961 2345 6769".into()),
        remittance_information: Some(remittance.into()),
        remittance_type: RemittanceType::Unstructured,
        description: None,
        execution_date: Date::from_calendar_date(2026, time::Month::March, day).unwrap(),
        value_date: None,
        bank_transaction_code: None,
        bank_reference: None,
    })
}

/// Stores transactions on one statement account; returns their stored ids in the given order.
fn bank<S: ReconciliationStore>(store: &S, org: OrganisationId, transactions: &[BankTransaction]) -> Vec<Uuid> {
    let (account, _) = store.upsert_bank_account(org, BankSource::Statement, &bank_account("0.00"), NOW).unwrap();
    store.upsert_bank_transactions(org, account, transactions, NOW).unwrap();
    let mut stored = store.transactions_to_reconcile(org, 100).unwrap();
    transactions
        .iter()
        .map(|t| {
            let at = stored.iter().position(|s| s.transaction.provider_id() == t.provider_id()).unwrap();
            stored.remove(at).id
        })
        .collect()
}

fn receivable(number: &str, total: &str) -> billify_domain::NewInvoice {
    let mut new = new_invoice(number, "Bloc Group BV", date!(2026 - 03 - 10));
    new.direction = Direction::Receivable;
    new.total = eur(total);
    new
}

fn a_match(transaction: Uuid, invoice: InvoiceId, amount: &str) -> StoredMatch {
    StoredMatch {
        id: Uuid::now_v7(),
        transaction_id: transaction,
        invoice_id: invoice,
        amount: eur(amount),
        overpayment: eur("0.00"),
        explanation: MatchExplanation {
            rule: MatchRule::StructuredReference,
            fields: vec!["structured_reference".into(), "amount".into()],
            score: 100,
        },
        applied_by: None,
        suggestion_id: None,
        created_at: NOW,
        undone_at: None,
        undone_by: None,
    }
}

fn suggestion(transaction: Uuid, candidates: &[InvoiceId]) -> StoredSuggestion {
    StoredSuggestion {
        id: Uuid::now_v7(),
        transaction_id: transaction,
        rule: MatchRule::AmountAndCounterparty,
        reason: "the amount and the counterparty fit 2 open invoices".into(),
        candidates: candidates
            .iter()
            .enumerate()
            .map(|(n, id)| Candidate {
                invoice_id: *id,
                open_minor: 12_100,
                explanation: MatchExplanation {
                    rule: MatchRule::AmountAndCounterparty,
                    fields: vec!["amount".into(), "counterparty_name".into()],
                    score: 70 - u8::try_from(n).unwrap(),
                },
            })
            .collect(),
        status: SuggestionStatus::Pending,
        created_at: NOW,
        decided_at: None,
        decided_by: None,
    }
}

/// The invoice after a payment of `amount`, advanced one version, with its events.
fn paid(invoice: &Invoice, amount: &str) -> (Invoice, Vec<InvoiceEvent>) {
    let mut next = invoice.clone();
    let events = next.record_payment(&eur(amount), NOW, TODAY).unwrap();
    next.advance_version(NOW);
    (next, events)
}

/// Open items carry what the rules need, for every invoice with something left to pay (net of
/// its payments and of the credit notes that correct it); paid invoices, credit notes that
/// correct an invoice and other organisations' invoices are left out.
pub fn reconciliation_open_items_are_what_is_left_to_pay<S: ReconciliationStore>(store: &S) {
    let (org, _) = register(store, "anna@example.be");
    let (other, _) = register(store, "bert@example.be");
    let ogm = StructuredReference::from_number(42).unwrap();
    let mut open = receivable("F-1", "121.00");
    open.payment_reference = Some(PaymentReference::Structured(ogm.clone()));
    open.counterparty =
        billify_domain::Counterparty::new("Bloc Group BV", None, Some(Iban::parse("BE71096123456769").unwrap()), None)
            .unwrap();
    let open = insert(store, org.id, open);
    let mut partial = new_invoice("P-1", "Supplier NV", date!(2026 - 03 - 20));
    partial.amount_paid = Some(eur("40.00"));
    let partial = insert(store, org.id, partial);
    let mut settled = receivable("F-2", "50.00");
    settled.amount_paid = Some(eur("50.00"));
    insert(store, org.id, settled);
    let mut credit = receivable("CN-1", "10.00");
    credit.kind = billify_domain::InvoiceKind::CreditNote;
    credit.corrects = Some(open.id());
    insert(store, org.id, credit);
    insert(store, other.id, receivable("F-1", "121.00"));

    let mut items = store.open_items(org.id).unwrap();
    items.sort_by(|a, b| a.invoice_number.cmp(&b.invoice_number));
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].invoice_id, open.id());
    assert_eq!(items[0].flow, Flow::In);
    assert_eq!(items[0].open_minor, 11_100, "the total less its credit note");
    assert_eq!(items[0].payment_reference, Some(PaymentReference::Structured(ogm)));
    assert_eq!(items[0].counterparty_iban.as_ref().map(Iban::as_str), Some("BE71096123456769"));
    assert_eq!(items[0].due_date, date!(2026 - 03 - 10));
    assert_eq!(items[1].invoice_id, partial.id());
    assert_eq!(items[1].flow, Flow::Out);
    assert_eq!(items[1].open_minor, 6_000, "the total less what is paid");
    assert_eq!(store.open_items(other.id).unwrap().len(), 1);
}

/// New transactions are handed out oldest first until an outcome marks them reconciled; marking
/// one twice is a conflict that stores nothing of the outcome.
pub fn reconciliation_hands_out_each_transaction_once<S: ReconciliationStore>(store: &S) {
    let (org, _) = register(store, "anna@example.be");
    let ids = bank(
        store,
        org.id,
        &[
            transaction("t3", "30.00", 3, "third"),
            transaction("t1", "10.00", 1, "first"),
            transaction("t2", "-20.00", 2, "x"),
        ],
    );
    let order: Vec<String> = store
        .transactions_to_reconcile(org.id, 10)
        .unwrap()
        .iter()
        .map(|t| t.transaction.provider_id().as_str().to_owned())
        .collect();
    assert_eq!(order, ["t1", "t2", "t3"], "oldest booking first");
    assert_eq!(store.transactions_to_reconcile(org.id, 2).unwrap().len(), 2, "the limit holds");
    let first = store.transactions_to_reconcile(org.id, 1).unwrap().remove(0);
    assert_eq!(first.transaction, transaction("t1", "10.00", 1, "first"));

    let outcome = ReconciliationOutcome { reconciled_transactions: vec![ids[1], ids[2]], ..Default::default() };
    store.save_outcome(org.id, &outcome, NOW).unwrap();
    let left = store.transactions_to_reconcile(org.id, 10).unwrap();
    assert_eq!(left.iter().map(|t| t.id).collect::<Vec<_>>(), vec![ids[0]]);

    let late = ReconciliationOutcome {
        reconciled_transactions: vec![ids[0], ids[1]],
        suggestions: vec![suggestion(ids[0], &[InvoiceId::from_uuid(Uuid::now_v7())])],
        ..Default::default()
    };
    assert!(matches!(store.save_outcome(org.id, &late, NOW), Err(RepositoryError::Conflict(_))));
    assert_eq!(store.transactions_to_reconcile(org.id, 10).unwrap().len(), 1, "nothing was marked");
    assert!(store.suggestions(org.id, SuggestionStatus::Pending, 10).unwrap().is_empty(), "nothing was stored");
}

/// Matches, suggestions and invoice payments are stored together and read back whole; a stale
/// invoice refuses the whole outcome.
pub fn reconciliation_outcomes_are_stored_whole_or_not_at_all<S: ReconciliationStore>(store: &S) {
    let (org, _) = register(store, "anna@example.be");
    let invoice = insert(store, org.id, receivable("F-1", "121.00"));
    let other = insert(store, org.id, receivable("F-2", "121.00"));
    let ids = bank(store, org.id, &[transaction("t1", "121.00", 1, "F-1"), transaction("t2", "121.00", 2, "?")]);

    // A stale invoice: nothing of the outcome is stored.
    let (mut stale, events) = paid(&invoice, "121.00");
    stale.advance_version(NOW);
    let refused = ReconciliationOutcome {
        matches: vec![a_match(ids[0], invoice.id(), "121.00")],
        invoices: vec![(stale, events)],
        reconciled_transactions: vec![ids[0]],
        ..Default::default()
    };
    assert!(matches!(store.save_outcome(org.id, &refused, NOW), Err(RepositoryError::StaleVersion { current: 1 })));
    assert!(store.matches_of_transaction(org.id, ids[0]).unwrap().is_empty());
    assert_eq!(store.transactions_to_reconcile(org.id, 10).unwrap().len(), 2);

    let mut made = a_match(ids[0], invoice.id(), "121.00");
    made.overpayment = eur("5.00");
    let proposed = suggestion(ids[1], &[invoice.id(), other.id()]);
    let outcome = ReconciliationOutcome {
        matches: vec![made.clone()],
        suggestions: vec![proposed.clone()],
        invoices: vec![paid(&invoice, "121.00")],
        reconciled_transactions: ids.clone(),
        ..Default::default()
    };
    store.save_outcome(org.id, &outcome, NOW).unwrap();
    assert_eq!(store.get_match(org.id, made.id).unwrap(), Some(made.clone()));
    assert_eq!(store.matches_of_transaction(org.id, ids[0]).unwrap(), vec![made.clone()]);
    assert_eq!(store.matches_of_invoice(org.id, invoice.id()).unwrap(), vec![made]);
    assert!(store.matches_of_invoice(org.id, other.id()).unwrap().is_empty());
    let stored = store.get(org.id, invoice.id()).unwrap().unwrap();
    assert_eq!(stored.status(), InvoiceStatus::Paid);
    assert_eq!(stored.version(), 2);
    assert!(store.events(org.id, invoice.id()).unwrap().iter().any(|e| e.code == "invoice.paid"));
    assert_eq!(store.get_suggestion(org.id, proposed.id).unwrap(), Some(proposed.clone()));
    assert_eq!(store.suggestions(org.id, SuggestionStatus::Pending, 10).unwrap(), vec![proposed]);
    let balance = store.transaction_balance(org.id, ids[0]).unwrap().unwrap();
    assert_eq!(balance.matched_minor, 12_100);
    assert_eq!(balance.remaining_minor(), 0);
    assert_eq!(balance.transaction.transaction, transaction("t1", "121.00", 1, "F-1"));
    assert!(store.transactions_to_reconcile(org.id, 10).unwrap().is_empty());
    assert!(store.transaction_balance(org.id, Uuid::now_v7()).unwrap().is_none());
    let mut read =
        store.invoices_by_id(org.id, &[other.id(), invoice.id(), InvoiceId::from_uuid(Uuid::now_v7())]).unwrap();
    read.sort_by_key(|i| i.invoice_number().as_str().to_owned());
    assert_eq!(
        read,
        vec![stored, store.get(org.id, other.id()).unwrap().unwrap()],
        "every field, unknown ids left out"
    );
}

/// The active matches of a transaction never add up to more than its amount, whoever stores them.
pub fn reconciliation_matches_never_exceed_their_transaction<S: ReconciliationStore>(store: &S) {
    let (org, _) = register(store, "anna@example.be");
    let a = insert(store, org.id, receivable("F-1", "100.00"));
    let b = insert(store, org.id, receivable("F-2", "100.00"));
    let ids = bank(store, org.id, &[transaction("t1", "100.00", 1, "two invoices")]);
    let first = ReconciliationOutcome {
        matches: vec![a_match(ids[0], a.id(), "60.00")],
        invoices: vec![paid(&a, "60.00")],
        touched_transactions: ids.clone(),
        ..Default::default()
    };
    store.save_outcome(org.id, &first, NOW).unwrap();
    let too_much = ReconciliationOutcome {
        matches: vec![a_match(ids[0], b.id(), "60.00")],
        invoices: vec![paid(&b, "60.00")],
        touched_transactions: ids.clone(),
        ..Default::default()
    };
    assert!(matches!(store.save_outcome(org.id, &too_much, NOW), Err(RepositoryError::Conflict(_))));
    assert_eq!(store.get(org.id, b.id()).unwrap().unwrap().amount_paid(), &eur("0.00"), "rolled back");
    let fits = ReconciliationOutcome {
        matches: vec![a_match(ids[0], b.id(), "40.00")],
        invoices: vec![paid(&b, "40.00")],
        touched_transactions: ids.clone(),
        ..Default::default()
    };
    store.save_outcome(org.id, &fits, NOW).unwrap();
    assert_eq!(store.transaction_balance(org.id, ids[0]).unwrap().unwrap().remaining_minor(), 0);
    assert!(store.transactions_to_reconcile(org.id, 10).unwrap().is_empty(), "a person's match marks it");
}

/// Two runs (or people) storing matches of one transaction at the same moment are checked one
/// after the other: of two matches that each fit alone but not together, exactly one is kept.
pub fn reconciliation_matches_stored_at_once_never_exceed_their_transaction<S: ReconciliationStore + Sync>(store: &S) {
    let (org, _) = register(store, "anna@example.be");
    for round in 0..12 {
        let a = insert(store, org.id, receivable(&format!("A-{round}"), "100.00"));
        let b = insert(store, org.id, receivable(&format!("B-{round}"), "100.00"));
        let ids = bank(store, org.id, &[transaction(&format!("t{round}"), "100.00", 1, "one payment")]);
        // Looked at by the rules already (as when a person matches it later, or a run re-examines
        // it), so marking it changes no row that would queue the two writers.
        let looked_at = ReconciliationOutcome { reconciled_transactions: ids.clone(), ..Default::default() };
        store.save_outcome(org.id, &looked_at, NOW).unwrap();
        let outcome = |invoice: &Invoice| ReconciliationOutcome {
            matches: vec![a_match(ids[0], invoice.id(), "60.00")],
            invoices: vec![paid(invoice, "60.00")],
            touched_transactions: ids.clone(),
            ..Default::default()
        };
        let (first, second) = (outcome(&a), outcome(&b));
        let start = std::sync::Barrier::new(2);
        let results = std::thread::scope(|scope| {
            let one = scope.spawn(|| {
                start.wait();
                store.save_outcome(org.id, &first, NOW)
            });
            let two = scope.spawn(|| {
                start.wait();
                store.save_outcome(org.id, &second, NOW)
            });
            [one.join().unwrap(), two.join().unwrap()]
        });
        let kept = results.iter().filter(|r| r.is_ok()).count();
        let refused = results.iter().filter(|r| matches!(r, Err(RepositoryError::Conflict(_)))).count();
        assert_eq!((kept, refused), (1, 1), "round {round}: {results:?}");
        assert_eq!(store.transaction_balance(org.id, ids[0]).unwrap().unwrap().remaining_minor(), 4000);
        let paid_minor: Vec<i64> = [a.id(), b.id()]
            .iter()
            .map(|id| store.get(org.id, *id).unwrap().unwrap().amount_paid().to_minor_units().unwrap())
            .collect();
        assert_eq!(paid_minor.iter().sum::<i64>(), 6000, "round {round}: only the kept match paid");
    }
}

/// A suggestion is decided once; a rejected one's candidates, like an undone match's invoice,
/// are excluded for its transaction only.
pub fn reconciliation_decisions_are_taken_once_and_exclude_candidates<S: ReconciliationStore>(store: &S) {
    let (org, user) = register(store, "anna@example.be");
    let a = InvoiceId::from_uuid(Uuid::now_v7());
    let b = InvoiceId::from_uuid(Uuid::now_v7());
    let ids = bank(store, org.id, &[transaction("t1", "121.00", 1, "?"), transaction("t2", "121.00", 2, "?")]);
    let one = suggestion(ids[0], &[a, b]);
    let two = suggestion(ids[1], &[a]);
    let outcome = ReconciliationOutcome {
        suggestions: vec![one.clone(), two.clone()],
        reconciled_transactions: ids.clone(),
        ..Default::default()
    };
    store.save_outcome(org.id, &outcome, NOW).unwrap();
    assert!(store.excluded_invoices(org.id, &ids).unwrap().is_empty(), "pending suggestions exclude nothing");
    let reject = |id| ReconciliationOutcome {
        decision: Some(SuggestionDecision {
            suggestion_id: id,
            status: SuggestionStatus::Rejected,
            decided_by: user.id,
        }),
        ..Default::default()
    };
    store.save_outcome(org.id, &reject(one.id), NOW + Duration::minutes(1)).unwrap();
    assert!(matches!(store.save_outcome(org.id, &reject(one.id), NOW), Err(RepositoryError::Conflict(_))));
    let decided = store.get_suggestion(org.id, one.id).unwrap().unwrap();
    assert_eq!(decided.status, SuggestionStatus::Rejected);
    assert_eq!(decided.decided_by, Some(user.id));
    assert_eq!(decided.decided_at, Some(NOW + Duration::minutes(1)));
    assert_eq!(store.suggestions(org.id, SuggestionStatus::Pending, 10).unwrap(), vec![two]);
    assert_eq!(store.suggestions(org.id, SuggestionStatus::Rejected, 10).unwrap().len(), 1);
    let mut excluded = store.excluded_invoices(org.id, &ids).unwrap();
    excluded.sort();
    let mut expected = vec![(ids[0], a), (ids[0], b)];
    expected.sort();
    assert_eq!(excluded, expected);
}

/// Undoing marks the match undone, stores the restored invoice, and is remembered; a second undo
/// is a conflict.
pub fn reconciliation_undo_restores_the_invoice_and_is_remembered<S: ReconciliationStore>(store: &S) {
    let (org, user) = register(store, "anna@example.be");
    let invoice = insert(store, org.id, receivable("F-1", "121.00"));
    let ids = bank(store, org.id, &[transaction("t1", "121.00", 1, "F-1")]);
    let made = a_match(ids[0], invoice.id(), "121.00");
    let (after_payment, events) = paid(&invoice, "121.00");
    let outcome = ReconciliationOutcome {
        matches: vec![made.clone()],
        invoices: vec![(after_payment.clone(), events)],
        reconciled_transactions: ids.clone(),
        ..Default::default()
    };
    store.save_outcome(org.id, &outcome, NOW).unwrap();

    let mut restored = after_payment.clone();
    let mut events = restored.reopen("a reconciliation match was undone", NOW, TODAY).unwrap();
    events.extend(
        restored
            .apply(billify_domain::InvoicePatch { amount_paid: Some(eur("0.00")), ..Default::default() }, NOW, TODAY)
            .unwrap(),
    );
    restored.advance_version(NOW);
    let later = NOW + Duration::hours(1);
    store
        .undo_match(org.id, made.id, &restored, &events, user.id, later, &audit_entry(org.id, AuditAction::MatchUndone))
        .unwrap();
    let undone = store.get_match(org.id, made.id).unwrap().unwrap();
    assert_eq!(undone.undone_at, Some(later));
    assert_eq!(undone.undone_by, Some(user.id));
    assert!(!undone.is_active());
    let stored = store.get(org.id, invoice.id()).unwrap().unwrap();
    assert_eq!(stored.amount_paid(), &Money::zero(billify_domain::Currency::EUR));
    assert_eq!(stored.status(), InvoiceStatus::Pending);
    assert_eq!(stored.version(), 3);
    assert_eq!(store.transaction_balance(org.id, ids[0]).unwrap().unwrap().matched_minor, 0);
    assert_eq!(store.excluded_invoices(org.id, &ids).unwrap(), vec![(ids[0], invoice.id())]);
    let mut again = restored.clone();
    again.advance_version(NOW);
    assert!(matches!(
        store.undo_match(org.id, made.id, &again, &[], user.id, later, &audit_entry(org.id, AuditAction::MatchUndone)),
        Err(RepositoryError::Conflict(_))
    ));
}

/// Nothing of one organisation is read or written through another.
pub fn reconciliation_is_scoped_by_organisation<S: ReconciliationStore>(store: &S) {
    let (org, _) = register(store, "anna@example.be");
    let (other, intruder) = register(store, "bert@example.be");
    let invoice = insert(store, org.id, receivable("F-1", "121.00"));
    let ids = bank(store, org.id, &[transaction("t1", "121.00", 1, "F-1")]);
    let made = a_match(ids[0], invoice.id(), "121.00");
    let proposed = suggestion(ids[0], &[invoice.id()]);
    let outcome = ReconciliationOutcome {
        matches: vec![made.clone()],
        suggestions: vec![proposed.clone()],
        invoices: vec![paid(&invoice, "121.00")],
        reconciled_transactions: ids.clone(),
        ..Default::default()
    };
    store.save_outcome(org.id, &outcome, NOW).unwrap();

    assert!(store.transactions_to_reconcile(other.id, 10).unwrap().is_empty());
    assert!(store.open_items(other.id).unwrap().is_empty());
    assert_eq!(store.get_match(other.id, made.id).unwrap(), None);
    assert!(store.matches_of_transaction(other.id, ids[0]).unwrap().is_empty());
    assert!(store.matches_of_invoice(other.id, invoice.id()).unwrap().is_empty());
    assert_eq!(store.get_suggestion(other.id, proposed.id).unwrap(), None);
    assert!(store.suggestions(other.id, SuggestionStatus::Pending, 10).unwrap().is_empty());
    assert!(store.transaction_balance(other.id, ids[0]).unwrap().is_none());
    assert!(store.excluded_invoices(other.id, &ids).unwrap().is_empty());
    assert!(store.invoices_by_id(other.id, &[invoice.id()]).unwrap().is_empty());

    // Writes through the other organisation touch nothing of this one.
    let decide = ReconciliationOutcome {
        decision: Some(SuggestionDecision {
            suggestion_id: proposed.id,
            status: SuggestionStatus::Rejected,
            decided_by: intruder.id,
        }),
        ..Default::default()
    };
    assert!(matches!(store.save_outcome(other.id, &decide, NOW), Err(RepositoryError::Conflict(_))));
    let claim = ReconciliationOutcome { reconciled_transactions: ids.clone(), ..Default::default() };
    assert!(matches!(store.save_outcome(other.id, &claim, NOW), Err(RepositoryError::Conflict(_))));
    let foreign_invoice = ReconciliationOutcome {
        invoices: vec![paid(&insert(store, org.id, receivable("F-9", "10.00")), "10.00")],
        ..Default::default()
    };
    assert!(matches!(store.save_outcome(other.id, &foreign_invoice, NOW), Err(RepositoryError::NotFound)));
    let mut restored = store.get(org.id, invoice.id()).unwrap().unwrap();
    restored.advance_version(NOW);
    assert!(
        store
            .undo_match(
                other.id,
                made.id,
                &restored,
                &[],
                UserId::from_uuid(Uuid::now_v7()),
                NOW,
                &audit_entry(other.id, AuditAction::MatchUndone)
            )
            .is_err()
    );
    assert!(store.get_match(org.id, made.id).unwrap().unwrap().is_active());
    assert_eq!(store.get_suggestion(org.id, proposed.id).unwrap().unwrap().status, SuggestionStatus::Pending);
}

/// A booking already stored under another provider id (the other statement format) with the same
/// account, booking date, amount and bank reference is not stored again; the bank reference
/// round-trips; without a bank reference, or with another one, a booking is new.
pub fn bank_bookings_known_from_another_format_are_kept_once<S: ReconciliationStore>(store: &S) {
    let (org, _) = register(store, "anna@example.be");
    let (account, _) = store.upsert_bank_account(org.id, BankSource::Statement, &bank_account("0.00"), NOW).unwrap();
    let with_reference = |id: &str, amount: &str, day: u8, reference: Option<&str>| {
        let t = transaction(id, amount, day, "statement");
        BankTransaction::new(NewBankTransaction {
            provider_id: t.provider_id().clone(),
            account_provider_id: t.account_provider_id().clone(),
            amount: t.amount().clone(),
            counterparty_name: t.counterparty_name().map(str::to_owned),
            counterparty_account: t.counterparty_iban().map(|i| i.as_str().to_owned()),
            remittance_information: t.remittance_information().map(str::to_owned),
            remittance_type: t.remittance_type(),
            description: None,
            execution_date: t.execution_date(),
            value_date: None,
            bank_transaction_code: None,
            bank_reference: reference.map(str::to_owned),
        })
    };
    let coda =
        [with_reference("coda:1", "121.00", 4, Some("EBNK-1")), with_reference("coda:2", "-0.10", 5, Some("EBNK-2"))];
    let counts = store.upsert_bank_transactions(org.id, account, &coda, NOW).unwrap();
    assert_eq!(counts.new, 2);
    let camt = [
        with_reference("camt:1", "121.00", 4, Some("EBNK-1")),
        with_reference("camt:2", "-0.10", 5, Some("EBNK-2")),
        with_reference("camt:3", "-0.10", 5, Some("EBNK-3")),
        with_reference("camt:4", "121.00", 4, None),
        with_reference("camt:5", "121.00", 6, Some("EBNK-1")),
    ];
    let counts = store.upsert_bank_transactions(org.id, account, &camt, NOW).unwrap();
    assert_eq!((counts.new, counts.unchanged), (3, 2), "{counts:?}");
    let stored = store.transactions_to_reconcile(org.id, 100).unwrap();
    assert_eq!(stored.len(), 5);
    let first = stored.iter().find(|t| t.transaction.provider_id().as_str() == "coda:1").unwrap();
    assert_eq!(first.transaction.bank_reference(), Some("EBNK-1"));
    assert!(!stored.iter().any(|t| t.transaction.provider_id().as_str() == "camt:1"));
}

/// New invoices wait to be compared with the transactions left unmatched until an outcome marks
/// them (once: a second mark is a conflict that stores nothing); the unmatched transactions are
/// those looked at without an active match or a pending suggestion, booked from a date on, in
/// booking order and by pages.
pub fn reconciliation_finds_new_invoices_and_unmatched_transactions<S: ReconciliationStore>(store: &S) {
    let (org, _) = register(store, "anna@example.be");
    let (other, _) = register(store, "bert@example.be");
    let ids = bank(
        store,
        org.id,
        &[
            transaction("t1", "10.00", 1, "nothing"),
            transaction("t2", "20.00", 2, "matched"),
            transaction("t3", "30.00", 3, "suggested"),
            transaction("t4", "40.00", 4, "undone"),
            transaction("t5", "50.00", 5, "nothing"),
            transaction("t6", "60.00", 6, "not looked at"),
        ],
    );
    let first = insert(store, org.id, receivable("F-1", "20.00"));
    let undone = insert(store, org.id, receivable("F-2", "40.00"));
    let mut later = receivable("F-3", "30.00");
    later.issue_date = date!(2026 - 02 - 15);
    let later = insert(store, org.id, later);
    insert(store, other.id, receivable("F-9", "10.00"));
    let mut waiting = store.invoices_to_reconcile(org.id, None, 10).unwrap();
    waiting.sort();
    let mut expected = vec![
        (first.id(), date!(2026 - 01 - 01)),
        (undone.id(), date!(2026 - 01 - 01)),
        (later.id(), date!(2026 - 02 - 15)),
    ];
    expected.sort();
    assert_eq!(waiting, expected);
    assert_eq!(store.invoices_to_reconcile(org.id, None, 1).unwrap().len(), 1, "the limit holds");
    let in_order = store.invoices_to_reconcile(org.id, None, 10).unwrap();
    assert_eq!(in_order.last(), Some(&(later.id(), date!(2026 - 02 - 15))), "in issue-date order");
    let (first_id, first_issued) = in_order[0];
    assert_eq!(
        store.invoices_to_reconcile(org.id, Some((first_issued, first_id)), 10).unwrap(),
        in_order[1..].to_vec(),
        "after the last of a page: same date, later id"
    );
    assert!(
        store.invoices_to_reconcile(org.id, Some((date!(2026 - 02 - 15), later.id())), 10).unwrap().is_empty(),
        "nothing after the last"
    );

    let undo_me = a_match(ids[3], undone.id(), "40.00");
    let outcome = ReconciliationOutcome {
        reconciled_transactions: ids[..5].to_vec(),
        matches: vec![a_match(ids[1], first.id(), "20.00"), undo_me.clone()],
        invoices: vec![paid(&first, "20.00"), paid(&undone, "40.00")],
        suggestions: vec![suggestion(ids[2], &[later.id()])],
        ..Default::default()
    };
    store.save_outcome(org.id, &outcome, NOW).unwrap();
    let undone_now = store.invoices_by_id(org.id, &[undone.id()]).unwrap().remove(0);
    let (restored, events) = {
        let mut next = undone_now.clone();
        let events = next.reopen("undone", NOW, TODAY).unwrap();
        next.advance_version(NOW);
        (next, events)
    };
    store
        .undo_match(
            org.id,
            undo_me.id,
            &restored,
            &events,
            UserId::from_uuid(Uuid::now_v7()),
            NOW,
            &audit_entry(org.id, AuditAction::MatchUndone),
        )
        .unwrap();

    let provider_ids = |since: Date, after: Option<(Date, Uuid)>, limit: u32| -> Vec<String> {
        store
            .unmatched_transactions(org.id, since, after, limit)
            .unwrap()
            .iter()
            .map(|t| t.transaction.provider_id().as_str().to_owned())
            .collect()
    };
    let march = |day: u8| Date::from_calendar_date(2026, time::Month::March, day).unwrap();
    assert_eq!(provider_ids(march(1), None, 10), ["t1", "t4", "t5"], "no active match, no pending suggestion");
    assert_eq!(provider_ids(march(2), None, 10), ["t4", "t5"], "booked from the date on");
    assert_eq!(provider_ids(march(1), None, 2), ["t1", "t4"], "the limit holds");
    assert_eq!(provider_ids(march(1), Some((march(4), ids[3])), 10), ["t5"], "after the last of a page");
    assert!(store.unmatched_transactions(other.id, march(1), None, 10).unwrap().is_empty(), "scoped");

    let compared = ReconciliationOutcome { reconciled_invoices: vec![first.id(), undone.id()], ..Default::default() };
    store.save_outcome(org.id, &compared, NOW).unwrap();
    assert_eq!(store.invoices_to_reconcile(org.id, None, 10).unwrap(), vec![(later.id(), date!(2026 - 02 - 15))]);
    let twice = ReconciliationOutcome {
        reconciled_invoices: vec![later.id(), first.id()],
        suggestions: vec![suggestion(ids[0], &[later.id()])],
        ..Default::default()
    };
    assert!(matches!(store.save_outcome(org.id, &twice, NOW), Err(RepositoryError::Conflict(_))));
    assert_eq!(store.invoices_to_reconcile(org.id, None, 10).unwrap().len(), 1, "nothing was marked");
    assert!(store.suggestions(org.id, SuggestionStatus::Pending, 10).unwrap().len() == 1, "nothing was stored");
    assert_eq!(store.invoices_to_reconcile(other.id, None, 10).unwrap().len(), 1, "scoped");
}

/// The open items a batch may name are read by key: the normalised number or payment
/// reference, the open amount, or a credit note correcting the invoice; each as `open_items`
/// has it, and the others are left out.
pub fn reconciliation_reads_the_open_items_a_batch_may_name<S: ReconciliationStore>(store: &S) {
    let (org, _) = register(store, "anna@example.be");
    let (other, _) = register(store, "bert@example.be");
    let by_number = insert(store, org.id, receivable("INV 2026/100", "11.00"));
    let mut with_ogm = receivable("F-2", "12.00");
    let ogm = StructuredReference::from_number(4242).unwrap();
    with_ogm.payment_reference = Some(PaymentReference::Structured(ogm.clone()));
    let with_ogm = insert(store, org.id, with_ogm);
    let by_amount = insert(store, org.id, receivable("F-3", "77.00"));
    let credited = insert(store, org.id, receivable("F-4", "50.00"));
    let mut note = receivable("CN-4", "20.00");
    note.kind = billify_domain::InvoiceKind::CreditNote;
    note.corrects = Some(credited.id());
    insert(store, org.id, note);
    let unrelated = insert(store, org.id, receivable("F-5", "99.00"));
    insert(store, other.id, receivable("INV 2026/100", "77.00"));

    let keys = billify_domain::CandidateKeys {
        keys: vec![ogm.digits().to_owned(), "inv2026100".to_owned()],
        amounts: vec![(Flow::In, billify_domain::Currency::EUR, 7_700)],
    };
    let found = store.open_items_for(org.id, &keys).unwrap();
    let all = store.open_items(org.id).unwrap();
    let ids: std::collections::HashSet<InvoiceId> = found.iter().map(|i| i.invoice_id).collect();
    for wanted in [&by_number, &with_ogm, &by_amount, &credited] {
        assert!(ids.contains(&wanted.id()), "{} missing: {found:?}", wanted.invoice_number().as_str());
    }
    assert!(!ids.contains(&unrelated.id()), "nothing names F-5");
    assert_eq!(ids.len(), found.len(), "each once");
    for item in &found {
        assert_eq!(Some(item), all.iter().find(|i| i.invoice_id == item.invoice_id), "as open_items has it");
    }
    assert_eq!(found.iter().find(|i| i.invoice_id == credited.id()).unwrap().open_minor, 3_000, "net of the note");
    let other_found = store.open_items_for(other.id, &keys).unwrap();
    assert_eq!(other_found.len(), 1, "scoped by organisation");
}

/// `recent_matches` lists the organisation's matches newest first, up to the limit, and nothing
/// of another organisation.
pub fn reconciliation_recent_matches_come_newest_first<S: ReconciliationStore>(store: &S) {
    let (org, _) = register(store, "anna@example.be");
    let (other, _) = register(store, "bram@example.be");
    let invoice = insert(store, org.id, receivable("F-1", "300.00"));
    let ids = bank(
        store,
        org.id,
        &[
            transaction("t1", "100.00", 1, "F-1"),
            transaction("t2", "100.00", 2, "F-1"),
            transaction("t3", "100.00", 3, "F-1"),
        ],
    );
    let mut made = Vec::new();
    let mut current = invoice;
    for (n, id) in ids.iter().enumerate() {
        let mut m = a_match(*id, current.id(), "100.00");
        m.created_at = NOW + Duration::minutes(i64::try_from(n).unwrap());
        let next = paid(&current, "100.00");
        store
            .save_outcome(
                org.id,
                &ReconciliationOutcome {
                    matches: vec![m.clone()],
                    invoices: vec![next.clone()],
                    reconciled_transactions: vec![*id],
                    ..Default::default()
                },
                NOW,
            )
            .unwrap();
        current = next.0;
        made.push(m);
    }
    let newest: Vec<Uuid> = store.recent_matches(org.id, 10).unwrap().iter().map(|m| m.id).collect();
    assert_eq!(newest, vec![made[2].id, made[1].id, made[0].id]);
    let two: Vec<Uuid> = store.recent_matches(org.id, 2).unwrap().iter().map(|m| m.id).collect();
    assert_eq!(two, vec![made[2].id, made[1].id], "the limit keeps the newest");
    assert!(store.recent_matches(other.id, 10).unwrap().is_empty());
}
