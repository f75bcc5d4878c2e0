//! The adapter against the loopback fake Yuki: the real SOAP wire format, sessions, faults and
//! the daily budget.

use std::ops::ControlFlow;

use billify_ports::accounting::{
    AccountingConnection, AccountingError, AccountingProvider, AccountingRegion, CallMeter, ItemSide, OutstandingItem,
};
use billify_testkit::{FakeYuki, FakeYukiConfig};
use billify_yuki::{YukiClient, YukiConfig};

fn items(
    client: &YukiClient,
    key: &str,
    admin: &str,
    side: ItemSide,
    meter: &mut CallMeter,
) -> Result<Vec<OutstandingItem>, AccountingError> {
    let c = AccountingConnection { region: AccountingRegion::Be, access_key: key };
    let mut out = Vec::new();
    client.outstanding_items(&c, admin, side, meter, &mut |i| {
        out.push(i);
        ControlFlow::Continue(())
    })?;
    Ok(out)
}

#[test]
fn outstanding_items_are_read_with_one_cached_session() {
    let fake = FakeYuki::start(FakeYukiConfig::default()).unwrap();
    let client = YukiClient::new(YukiConfig::at(&fake.base_url()));
    let key = fake.access_key();
    let c = AccountingConnection { region: AccountingRegion::Be, access_key: &key };
    let mut meter = CallMeter::default();
    let admins = client.administrations(&c, &mut meter).unwrap();
    assert_eq!(admins.len(), 1);
    assert_eq!(admins[0].id, fake.administration_id());
    assert_eq!(meter.calls, 2, "authenticate + administrations");
    let debtors = items(&client, &key, &admins[0].id, ItemSide::Debtor, &mut meter).unwrap();
    let creditors = items(&client, &key, &admins[0].id, ItemSide::Creditor, &mut meter).unwrap();
    assert_eq!((debtors.len(), creditors.len()), (6, 4));
    let served = fake.items();
    let first = served.iter().find(|i| i.id == debtors[0].id).unwrap();
    assert_eq!(debtors[0].open_amount.as_ref().unwrap().to_string(), first.open_amount, "exact decimal text");
    assert_eq!(debtors[0].reference.as_deref(), Some(first.reference.as_str()));
    assert_eq!(meter.calls, 4, "the session is kept: no second Authenticate");
    let ops: Vec<_> = fake.requests().iter().map(|r| r.operation.clone()).collect();
    assert_eq!(ops, ["Authenticate", "Administrations", "OutstandingDebtorItems", "OutstandingCreditorItems"]);
    let last = fake.requests().pop().unwrap();
    let names: Vec<_> = last.parameters.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["sessionID", "administrationID", "includeBankTransactions", "sortOrder"]);
    assert_eq!(last.soap_action.as_deref(), Some("\"http://www.theyukicompany.com/OutstandingCreditorItems\""));
}

#[test]
fn an_expired_session_is_renewed_once() {
    let fake = FakeYuki::start(FakeYukiConfig::default()).unwrap();
    let client = YukiClient::new(YukiConfig::at(&fake.base_url()));
    let key = fake.access_key();
    let admin = fake.administration_id();
    let mut meter = CallMeter::default();
    items(&client, &key, &admin, ItemSide::Debtor, &mut meter).unwrap();
    fake.expire_sessions();
    let again = items(&client, &key, &admin, ItemSide::Debtor, &mut meter).unwrap();
    assert_eq!(again.len(), 6);
    let auths = fake.requests().iter().filter(|r| r.operation == "Authenticate").count();
    assert_eq!(auths, 2, "renewed once");
    assert_eq!(meter.calls, 5, "auth, items, refused items, auth, items");
}

#[test]
fn faults_are_typed() {
    let fake = FakeYuki::start(FakeYukiConfig { daily_limit: 3, ..FakeYukiConfig::default() }).unwrap();
    let client = YukiClient::new(YukiConfig::at(&fake.base_url()));
    let mut meter = CallMeter::default();
    let bad = AccountingConnection { region: AccountingRegion::Be, access_key: "wrong <key> & more" };
    assert!(matches!(client.authenticate(&bad, &mut meter), Err(AccountingError::InvalidAccessKey { .. })));
    let key = fake.access_key();
    let admin = fake.administration_id();
    fake.fail_next(&["Object reference not set to an instance of an object."]);
    let e = items(&client, &key, &admin, ItemSide::Debtor, &mut meter).unwrap_err();
    assert!(matches!(e, AccountingError::Server { .. }) && e.is_transient(), "{e:?}");
    let e = items(&client, &key, &admin, ItemSide::Debtor, &mut meter).unwrap_err();
    assert!(matches!(e, AccountingError::BudgetExceeded { .. }), "{e:?}");
    assert_eq!(meter.calls, 4, "every call counts, failed ones too");
}

#[test]
fn ten_thousand_items_stream_in_one_call() {
    let fake = FakeYuki::start(FakeYukiConfig::default()).unwrap();
    fake.generate_items(10_000, 0);
    let client = YukiClient::new(YukiConfig::at(&fake.base_url()));
    let key = fake.access_key();
    let mut meter = CallMeter::default();
    let got = items(&client, &key, &fake.administration_id(), ItemSide::Debtor, &mut meter).unwrap();
    assert_eq!(got.len(), 10_000);
    assert!(got.iter().all(|i| i.unreadable.is_empty()));
    assert_eq!(meter.calls, 2);
}
