//! SQLite whose file cannot grow (a full disk, simulated with `PRAGMA max_page_count` on the
//! write connection): writes get a clear 503 `storage-unavailable` with `Retry-After`, reads go
//! on, nothing is corrupted, and writes succeed again once there is room, without a restart.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed expectation is a failed test")]

#[macro_use]
mod harness;

use actix_web::http::StatusCode;
use harness::*;

#[actix_web::test]
async fn a_full_sqlite_file_gives_503s_and_recovers_when_there_is_room() {
    let _ = env_logger::builder().is_test(true).try_init();
    let h = harness();
    let app = app!(h);
    let (_, token) = owner(&app, "anna@full.be").await;
    let t = Some(token.as_str());
    let created = call(&app, "POST", "/api/v1/invoices", t, Some(invoice("FULL-0"))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);

    let pages: u64 = h.store.pragma("page_count").unwrap().parse().unwrap();
    h.store.limit_size(Some(pages)).unwrap();
    let mut stored = 1;
    let mut refused = None;
    for n in 1..500 {
        let r = call(&app, "POST", "/api/v1/invoices", t, Some(invoice(&format!("FULL-{n}")))).await;
        match r.status {
            StatusCode::CREATED => stored += 1,
            _ => {
                refused = Some((n, r));
                break;
            }
        }
    }
    let (refused_number, r) = refused.expect("the file filled up");
    assert_problem(&r, StatusCode::SERVICE_UNAVAILABLE, "storage-unavailable");
    assert_eq!(r.headers.get("retry-after").unwrap(), "1");
    let list = call(&app, "GET", "/api/v1/invoices?limit=200", t, None).await;
    assert_eq!(list.status, StatusCode::OK, "reads go on: {}", list.text);
    assert_eq!(list.body["items"].as_array().unwrap().len(), stored, "what was acknowledged is there");

    h.store.limit_size(None).unwrap();
    let r = call(&app, "POST", "/api/v1/invoices", t, Some(invoice(&format!("FULL-{refused_number}")))).await;
    assert_eq!(r.status, StatusCode::CREATED, "room again, no restart: {}", r.text);
    assert_eq!(h.store.pragma("integrity_check").unwrap(), "ok");
    let list = call(&app, "GET", "/api/v1/invoices?limit=200", t, None).await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), stored + 1, "the refused write was not half-stored");
}
