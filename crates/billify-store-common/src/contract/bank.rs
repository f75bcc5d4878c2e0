//! The contract of [`BankRepository`]: idempotent, organisation-scoped upserts.

use billify_ports::bank::{BankSource, BankTransactionQuery, UpsertCounts};
use time::macros::date;

use super::Store;
use super::fixtures::{NOW, bank_account, bank_transaction, register};

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
