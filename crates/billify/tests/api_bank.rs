//! The HTTP API end to end: bank statement imports.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed expectation is a failed test")]

#[macro_use]
mod harness;

use actix_web::http::StatusCode;
use harness::api::*;
use harness::{assert_problem, call, harness};
use serde_json::json;

#[actix_web::test]
async fn statement_files_import_idempotently_and_page() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@demo.be").await;
    let t = Some(token.as_str());
    let camt: &[u8] = include_bytes!("../../billify-bankfiles/tests/fixtures/camt053-v02.xml");
    let coda: &[u8] = include_bytes!("../../billify-bankfiles/tests/fixtures/statement.cod");
    let first = import(&app, &token, camt).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let new = first.body["transactions"]["new"].as_u64().unwrap();
    assert!(new > 0);
    let again = import(&app, &token, camt).await;
    assert_eq!(
        again.body["transactions"],
        json!({"new": 0, "changed": 0, "unchanged": new}),
        "re-importing adds nothing"
    );
    assert_eq!(again.body["accounts"][0]["new"], false);
    let coda_import = import(&app, &token, coda).await;
    assert_eq!(coda_import.status, StatusCode::OK, "{}", coda_import.body);

    let accounts = call(&app, "GET", "/api/v1/bank/accounts", t, None).await;
    assert_eq!(
        accounts.body["items"].as_array().unwrap().len(),
        1,
        "both files are of one account (same IBAN): {}",
        accounts.body
    );
    assert!(accounts.body["items"][0]["current_balance"].as_str().unwrap().contains('.'));

    let mut seen = 0;
    let mut path = "/api/v1/bank/transactions?limit=2".to_owned();
    let mut last_date = "9999-12-31".to_owned();
    loop {
        let r = call(&app, "GET", &path, t, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        for item in r.body["items"].as_array().unwrap() {
            let date = item["execution_date"].as_str().unwrap().to_owned();
            assert!(date <= last_date, "newest first");
            last_date = date;
            assert!(!item["amount"].as_str().unwrap().is_empty());
            seen += 1;
        }
        match r.body["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/bank/transactions?limit=2&cursor={c}"),
            None => break,
        }
    }
    let total = new + coda_import.body["transactions"]["new"].as_u64().unwrap();
    assert_eq!(seen, total);

    // `q` searches every transaction in the store (name, account, message, description).
    let all = call(&app, "GET", "/api/v1/bank/transactions?limit=200", t, None).await;
    let items = all.body["items"].as_array().unwrap();
    let name =
        items.iter().find_map(|i| i["counterparty_name"].as_str()).expect("a transaction with a name").to_owned();
    let word = name.split_whitespace().max_by_key(|w| w.len()).unwrap().to_uppercase();
    let expected = items
        .iter()
        .filter(|i| {
            ["counterparty_name", "remittance_information", "description"]
                .iter()
                .any(|f| i[*f].as_str().is_some_and(|v| v.to_uppercase().contains(&word)))
        })
        .count();
    let q = call(&app, "GET", &format!("/api/v1/bank/transactions?limit=200&q={word}"), t, None).await;
    assert_eq!(q.status, StatusCode::OK, "{}", q.body);
    let found = q.body["items"].as_array().unwrap().len();
    assert!(
        found >= 1 && found >= expected && found < items.len(),
        "{word}: {found} of {} (expected {expected})",
        items.len()
    );
    let none = call(&app, "GET", "/api/v1/bank/transactions?q=zzz-nothing", t, None).await;
    assert_eq!(none.body["items"], json!([]));

    let bad: &[u8] = include_bytes!("../../billify-bankfiles/tests/fixtures/camt053-bad-amount.xml");
    let r = import(&app, &token, bad).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "unreadable-statement");
    assert!(r.body["detail"].as_str().unwrap().contains("Amt"), "{}", r.body);
    let bad: &[u8] = include_bytes!("../../billify-bankfiles/tests/fixtures/bad-amount.cod");
    let r = import(&app, &token, bad).await;
    assert!(r.body["detail"].as_str().unwrap().contains("line"), "{}", r.body);
    assert_eq!(field_errors(&call(&app, "GET", "/api/v1/bank/transactions?from=yesterday", t, None).await), ["from"]);

    let other = owner(&app, "bert@b.nl").await;
    let r = call(&app, "GET", "/api/v1/bank/accounts", Some(&other), None).await;
    assert_eq!(r.body["items"], json!([]));
    let r = call(&app, "GET", "/api/v1/bank/transactions", Some(&other), None).await;
    assert_eq!(r.body["items"], json!([]));
}
