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

    let mut query = BankTransactionQuery { account_id: None, from: None, to: None, after: None, limit: 2, text: None };
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
    let empty = BankTransactionQuery { account_id: None, from: None, to: None, after: None, limit: 10, text: None };
    assert!(store.bank_transactions(other.id, &empty).unwrap().items.is_empty());
}

/// A text search looks through counterparty name and account, remittance and description,
/// ignores ASCII case, takes `%` and `_` literally, pages like the unfiltered list, and stays in
/// the organisation.
pub fn bank_transactions_are_searched_by_text(store: &dyn Store) {
    let (org, _) = register(store, "anna@example.be");
    let (other, _) = register(store, "bert@example.nl");
    let (id, _) = store.upsert_bank_account(org.id, BankSource::Statement, &bank_account("0.00"), NOW).unwrap();
    let described =
        |provider: &str, day: u8, name: Option<&str>, remittance: Option<&str>, description: Option<&str>| {
            let t = bank_transaction(provider, "-10.00", day);
            billify_domain::BankTransaction::new(billify_domain::NewBankTransaction {
                provider_id: t.provider_id().clone(),
                account_provider_id: t.account_provider_id().clone(),
                amount: t.amount().clone(),
                counterparty_name: name.map(str::to_owned),
                counterparty_account: None,
                remittance_information: remittance.map(str::to_owned),
                remittance_type: billify_domain::RemittanceType::Unstructured,
                description: description.map(str::to_owned),
                execution_date: t.execution_date(),
                value_date: None,
                bank_transaction_code: None,
                bank_reference: None,
            })
        };
    let batch = [
        described("t1", 1, Some("Brouwerij De Klok"), Some("Factuur 2026-001"), None),
        described("t2", 2, None, Some("100% rent march"), None),
        described("t3", 3, None, None, Some("Card payment BROUWERIJ shop")),
        described("t4", 4, Some("Garage Peeters"), None, None),
        bank_transaction("t5", "-1.00", 5),
    ];
    store.upsert_bank_transactions(org.id, id, &batch, NOW).unwrap();
    let search = |text: &str, limit: u32, after| {
        let query =
            BankTransactionQuery { account_id: None, from: None, to: None, after, limit, text: Some(text.to_owned()) };
        store.bank_transactions(org.id, &query).unwrap()
    };
    let found = |text: &str| -> Vec<String> {
        search(text, 50, None).items.iter().map(|t| t.transaction.provider_id().as_str().to_owned()).collect()
    };
    assert_eq!(found("brouwerij"), ["t3", "t1"], "name and description, any ASCII case, newest first");
    assert_eq!(found("2026-001"), ["t1"], "remittance");
    assert_eq!(found("0018 6092"), ["t5"], "counterparty account");
    assert_eq!(found("100%"), ["t2"], "% is a character, not a wildcard");
    assert!(found("10_%").is_empty());
    assert!(found("nothing like this").is_empty());
    let first = search("brouwerij", 1, None);
    assert_eq!(first.items.len(), 1);
    let second = search("brouwerij", 1, first.next);
    assert_eq!(second.items[0].transaction.provider_id().as_str(), "t1");
    assert_eq!(second.next, None);
    let elsewhere = BankTransactionQuery {
        account_id: None,
        from: None,
        to: None,
        after: None,
        limit: 50,
        text: Some("brouwerij".into()),
    };
    assert!(store.bank_transactions(other.id, &elsewhere).unwrap().items.is_empty());
}
