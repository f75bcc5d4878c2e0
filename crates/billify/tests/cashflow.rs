//! The cash position end to end: `GET /api/v1/cashflow/summary` over real invoices, credit notes,
//! payments and an imported statement, and the organisation calendar (time zone, VAT periods)
//! that decides "today" for urgency, the overdue transition and every period boundary.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

#[macro_use]
mod harness;

use actix_web::http::StatusCode;
use harness::*;
use serde_json::{Value, json};
use time::macros::datetime;

fn field_errors(r: &Reply) -> Vec<String> {
    r.body["errors"]
        .as_array()
        .map(|a| a.iter().map(|e| e["field"].as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

fn document(direction: &str, number: &str, due: &str, total: &str, vat: Option<&str>) -> Value {
    let mut body = json!({
        "direction": direction,
        "invoice_number": number,
        "counterparty": {"name": format!("Party of {number}")},
        "issue_date": "2026-02-15",
        "due_date": due,
        "total": total,
    });
    if let Some(vat) = vat {
        body["vat_amount"] = json!(vat);
    }
    body
}

fn eur_totals(side: &Value) -> &Value {
    side["totals"].as_array().unwrap().iter().find(|t| t["currency"] == "EUR").unwrap()
}

fn level<'a>(totals: &'a Value, code: &str) -> &'a Value {
    totals["by_urgency"].as_array().unwrap().iter().find(|l| l["level"] == code).unwrap()
}

#[actix_web::test]
async fn the_summary_answers_the_whole_dashboard_in_one_call() {
    let h = harness();
    let app = app!(h);
    let (_, token) = owner(&app, "anna@bloc.be").await;
    let t = Some(token.as_str());
    let create = |body: Value| {
        let app = &app;
        async move {
            let r = call(app, "POST", "/api/v1/invoices", t, Some(body)).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
            r.body
        }
    };
    // Today is 2026-03-02 (Brussels). Receivables: one overdue, one due in 3 days partly paid,
    // one closed by a credit note for its full amount, one due in 20 days in USD.
    let overdue = create(document("receivable", "S-1", "2026-02-20", "121.00", Some("21.00"))).await;
    let soon = create(document("receivable", "S-2", "2026-03-05", "242.00", Some("42.00"))).await;
    let credited = create(document("receivable", "S-3", "2026-03-04", "100.00", None)).await;
    let mut usd = document("receivable", "S-4", "2026-03-22", "50.00", None);
    usd["currency"] = json!("USD");
    create(usd).await;
    let mut note = document("receivable", "CN-1", "2026-03-04", "100.00", None);
    note["kind"] = json!("credit_note");
    note["corrects_invoice_id"] = credited["id"].clone();
    create(note).await;
    let r = call(
        &app,
        "POST",
        &format!("/api/v1/invoices/{}/payments", soon["id"].as_str().unwrap()),
        t,
        Some(json!({"version": 1, "amount": "42.00"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Payables: one due in 10 days, one paid (not open), one with a partial supplier credit note.
    create(document("payable", "P-1", "2026-03-12", "60.50", Some("10.50"))).await;
    let paid = create(document("payable", "P-2", "2026-03-01", "30.00", None)).await;
    let r = call(
        &app,
        "POST",
        &format!("/api/v1/invoices/{}/payments", paid["id"].as_str().unwrap()),
        t,
        Some(json!({"version": 1})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let partly = create(document("payable", "P-3", "2026-04-30", "200.00", Some("34.71"))).await;
    let mut supplier_note = document("payable", "PCN-1", "2026-04-30", "50.00", Some("8.68"));
    supplier_note["kind"] = json!("credit_note");
    supplier_note["corrects_invoice_id"] = partly["id"].clone();
    create(supplier_note).await;
    let r = send(&app, "POST", "/api/v1/bank/statements", t, None, Body::File(CAMT)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    let r = call(&app, "GET", "/api/v1/cashflow/summary?from=2024-03-01&to=2024-03-31&interval=week", t, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let s = &r.body;
    assert_eq!(s["today"], "2026-03-02");
    assert_eq!(s["time_zone"], "Europe/Brussels");

    // Cash: the statement's closing balance; a statement is years old, so stale.
    assert_eq!(s["cash"]["totals"], json!([{"currency": "EUR", "amount": "2980.35"}]));
    assert_eq!(s["cash"]["accounts"][0]["iban"], "BE68539007547034");
    assert_eq!(s["cash"]["accounts"][0]["stale"], true);
    assert_eq!(s["cash"]["stale_after_hours"], 24);

    // Money in and out of March 2024 by ISO week (the 1st is a Friday: the first week starts
    // on Monday 26 February), every week present.
    assert_eq!(s["flows"]["interval"], "week");
    let eur_flows = &s["flows"]["currencies"][0];
    assert_eq!(eur_flows["currency"], "EUR");
    let periods = eur_flows["periods"].as_array().unwrap();
    assert_eq!(periods.len(), 5);
    assert_eq!(periods[0]["start"], "2024-02-26");
    assert_eq!(periods[0]["end"], "2024-03-03");
    assert_eq!(periods[1]["start"], "2024-03-04");
    assert_eq!(eur_flows["money_in"], "1460.00", "the pending entry of the statement is not booked");
    assert_eq!(eur_flows["money_out"], "-0.10");
    assert_eq!(eur_flows["net"], "1459.90");
    assert_eq!(periods[1]["money_in"], eur_flows["money_in"]);
    assert_eq!(periods[4]["count_in"], 0);

    // Receivables: S-1 121 overdue, S-2 200 open (critical), S-3 closed by its credit note.
    let receivables = eur_totals(&s["receivables"]);
    assert_eq!(receivables["total"], "321.00");
    assert_eq!(receivables["count"], 2);
    assert_eq!(receivables["overdue"], "121.00");
    assert_eq!(receivables["overdue_count"], 1);
    assert_eq!(level(receivables, "overdue")["amount"], "121.00");
    assert_eq!(level(receivables, "critical")["amount"], "200.00");
    assert_eq!(level(receivables, "high")["amount"], "0.00");
    assert_eq!(receivables["by_urgency"].as_array().unwrap().len(), 5);
    let usd_receivables = s["receivables"]["totals"].as_array().unwrap().iter().find(|t| t["currency"] == "USD");
    assert_eq!(usd_receivables.unwrap()["total"], "50.00", "nothing converts");
    let upcoming: Vec<&str> = s["receivables"]["upcoming"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["invoice_number"].as_str().unwrap())
        .collect();
    assert_eq!(upcoming, ["S-1", "S-2", "S-4"], "by due date; the credited invoice is closed");
    assert_eq!(s["receivables"]["upcoming"][0]["id"], overdue["id"]);
    assert_eq!(s["receivables"]["upcoming"][0]["days_until_due"], -10);
    assert_eq!(s["receivables"]["upcoming"][1]["open_amount"], "200.00");
    assert_eq!(s["receivables"]["upcoming"][1]["total"], "242.00");

    // Payables are money out: negative. P-3 is 200 less its 50 credit note.
    let payables = eur_totals(&s["payables"]);
    assert_eq!(payables["total"], "-210.50");
    assert_eq!(payables["count"], 2);
    assert_eq!(payables["overdue"], "0.00");
    assert_eq!(level(payables, "high")["amount"], "-60.50");
    assert_eq!(level(payables, "low")["amount"], "-150.00");
    assert_eq!(s["payables"]["upcoming"][1]["open_amount"], "-150.00");

    // VAT of Q1 2026: sales 21 + 42, purchases 10.50 + 34.71 - 8.68; due 20 April.
    assert_eq!(s["vat"]["periodicity"], "quarterly");
    assert_eq!(s["vat"]["period"], "2026-Q1");
    assert_eq!((s["vat"]["start"].as_str(), s["vat"]["end"].as_str()), (Some("2026-01-01"), Some("2026-03-31")));
    assert_eq!(s["vat"]["deadline"], "2026-04-20");
    assert_eq!(s["vat"]["days_until_deadline"], 49);
    let vat = s["vat"]["currencies"].as_array().unwrap().iter().find(|v| v["currency"] == "EUR").unwrap();
    assert_eq!(vat["on_sales"], "63.00");
    assert_eq!(vat["on_purchases"], "36.53");
    assert_eq!(vat["balance"], "26.47");
    assert_eq!(vat["documents"], 8);
    assert_eq!(vat["without_vat"], 3);

    // `upcoming` limits both lists; the defaults are 5 and the last 30 days by day.
    let r = call(&app, "GET", "/api/v1/cashflow/summary?upcoming=1", t, None).await;
    assert_eq!(r.body["receivables"]["upcoming"].as_array().unwrap().len(), 1);
    assert_eq!(r.body["payables"]["upcoming"].as_array().unwrap().len(), 1);
    let r = call(&app, "GET", "/api/v1/cashflow/summary", t, None).await;
    assert_eq!(
        (r.body["flows"]["from"].as_str(), r.body["flows"]["to"].as_str()),
        (Some("2026-02-01"), Some("2026-03-02"))
    );
    assert_eq!(r.body["flows"]["currencies"], json!([]), "no transactions in the last 30 days");

    // Another organisation sees none of it.
    let (_, other) = owner(&app, "bert@other.nl").await;
    let r = call(&app, "GET", "/api/v1/cashflow/summary?from=2024-03-01&to=2024-03-31", Some(&other), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["cash"]["totals"], json!([]));
    assert_eq!(r.body["receivables"], json!({"totals": [], "upcoming": []}));
    assert_eq!(r.body["vat"]["currencies"], json!([]));
    assert!(!r.text.contains("S-1") && !r.text.contains("BE68539007547034"));
}

#[actix_web::test]
async fn bad_parameters_are_refused_naming_the_field() {
    let h = harness();
    let app = app!(h);
    let (_, token) = owner(&app, "anna@bloc.be").await;
    let t = Some(token.as_str());
    for (query, field) in [
        ("from=yesterday", "from"),
        ("to=2026-13-01", "to"),
        ("interval=year", "interval"),
        ("upcoming=101", "upcoming"),
        ("upcoming=-1", "upcoming"),
        ("from=2026-03-02&to=2026-03-01", "from"),
        ("from=2020-01-01&to=2026-03-01&interval=day", "to"),
        ("currency=EUR", "currency"),
    ] {
        let r = call(&app, "GET", &format!("/api/v1/cashflow/summary?{query}"), t, None).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {}", r.text);
        assert_eq!(field_errors(&r), [field], "{query}");
    }
    let r = call(&app, "GET", "/api/v1/cashflow/summary", None, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[actix_web::test]
async fn the_organisation_time_zone_decides_today() {
    let h = harness();
    // 23:30 UTC on 2 March is already 3 March in Brussels.
    *h.clock.0.lock().unwrap() = datetime!(2026-03-02 23:30 UTC);
    let app = app!(h);
    let (_, token) = owner(&app, "anna@bloc.be").await;
    let t = Some(token.as_str());
    let r = call(&app, "GET", "/api/v1/organisation", t, None).await;
    assert_eq!(
        (&r.body["time_zone"], &r.body["vat_periodicity"], &r.body["vat_deadline_day"]),
        (&json!("Europe/Brussels"), &json!("quarterly"), &json!(20))
    );
    let r = call(&app, "POST", "/api/v1/invoices", t, Some(document("receivable", "S-1", "2026-03-02", "10.00", None)))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(r.body["status"], "overdue", "due yesterday in Brussels");
    assert_eq!(r.body["urgency"]["level"], "overdue");
    let s = call(&app, "GET", "/api/v1/cashflow/summary", t, None).await;
    assert_eq!(s.body["today"], "2026-03-03");

    // In New York it is still 2 March: due today, critical, no longer overdue once changed.
    let r = call(&app, "PATCH", "/api/v1/organisation", t, Some(json!({"time_zone": "America/New_York"}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["time_zone"], "America/New_York");
    let r = call(&app, "GET", &format!("/api/v1/invoices/{id}"), t, None).await;
    assert_eq!(r.body["urgency"]["level"], "critical");
    let s = call(&app, "GET", "/api/v1/cashflow/summary", t, None).await;
    assert_eq!(s.body["today"], "2026-03-02");
    assert_eq!(eur_totals(&s.body["receivables"])["overdue_count"], 0);
    let r = call(
        &app,
        "PATCH",
        &format!("/api/v1/invoices/{id}"),
        t,
        Some(json!({"version": 1, "due_date": "2026-03-03"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["status"], "pending");

    // Monthly VAT due on the 25th.
    let r = call(
        &app,
        "PATCH",
        "/api/v1/organisation",
        t,
        Some(json!({"vat_periodicity": "monthly", "vat_deadline_day": 25})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let s = call(&app, "GET", "/api/v1/cashflow/summary", t, None).await;
    assert_eq!(s.body["vat"]["period"], "2026-03");
    assert_eq!(s.body["vat"]["deadline"], "2026-04-25");

    // Bad settings are refused naming the field, and nothing changes.
    for (body, field) in [
        (json!({"time_zone": "Mars/Olympus_Mons"}), "time_zone"),
        (json!({"time_zone": "../../etc/passwd"}), "time_zone"),
        (json!({"time_zone": ""}), "time_zone"),
        (json!({"vat_periodicity": "yearly"}), "vat_periodicity"),
        (json!({"vat_deadline_day": 31}), "vat_deadline_day"),
        (json!({"vat_deadline_day": 0}), "vat_deadline_day"),
    ] {
        let r = call(&app, "PATCH", "/api/v1/organisation", t, Some(body.clone())).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", r.text);
        assert_eq!(field_errors(&r), [field], "{body}");
    }
    let r = call(&app, "GET", "/api/v1/organisation", t, None).await;
    assert_eq!(
        (&r.body["time_zone"], &r.body["vat_periodicity"], &r.body["vat_deadline_day"]),
        (&json!("America/New_York"), &json!("monthly"), &json!(25))
    );
}

#[actix_web::test]
async fn the_overdue_transition_runs_on_each_organisations_own_day() {
    let h = harness();
    let app = app!(h);
    let (_, brussels) = owner(&app, "anna@bloc.be").await;
    let (_, new_york) = owner(&app, "nora@ny.com").await;
    let r =
        call(&app, "PATCH", "/api/v1/organisation", Some(&new_york), Some(json!({"time_zone": "America/New_York"})))
            .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let mut ids = Vec::new();
    for token in [&brussels, &new_york] {
        let body = document("payable", "P-1", "2026-03-02", "10.00", None);
        let r = call(&app, "POST", "/api/v1/invoices", Some(token), Some(body)).await;
        assert_eq!(r.body["status"], "pending", "{}", r.text);
        ids.push(r.body["id"].as_str().unwrap().to_owned());
    }
    // 23:30 UTC: past midnight in Brussels, evening in New York.
    *h.clock.0.lock().unwrap() = datetime!(2026-03-02 23:30 UTC);
    assert_eq!(h.state.invoices.mark_overdue_invoices().unwrap(), 1);
    let brussels = login(&app, "anna@bloc.be", None).await;
    let new_york = login(&app, "nora@ny.com", None).await;
    let r = call(&app, "GET", &format!("/api/v1/invoices/{}", ids[0]), Some(&brussels), None).await;
    assert_eq!(r.body["status"], "overdue");
    let r = call(&app, "GET", &format!("/api/v1/invoices/{}", ids[1]), Some(&new_york), None).await;
    assert_eq!(r.body["status"], "pending");
    // Six hours later New York's day has turned too.
    h.clock.advance(time::Duration::hours(6));
    assert_eq!(h.state.invoices.mark_overdue_invoices().unwrap(), 1);
    let new_york = login(&app, "nora@ny.com", None).await;
    let r = call(&app, "GET", &format!("/api/v1/invoices/{}", ids[1]), Some(&new_york), None).await;
    assert_eq!(r.body["status"], "overdue");
}
