//! The HTTP API end to end: invoices, their lifecycle, validation, lists and credit notes.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed expectation is a failed test")]

#[macro_use]
mod harness;

use actix_web::http::StatusCode;
use actix_web::test;
use harness::api::*;
use harness::{Reply, assert_problem, call, harness};
use harness::{SAMPLE_PDF, UBL_INVOICE};
use serde_json::{Value, json};
use time::macros::datetime;

#[actix_web::test]
async fn invoice_lifecycle() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@example.be").await;
    let t = Some(token.as_str());

    let r = call(&app, "POST", "/api/v1/invoices", t, Some(sample_invoice())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(r.headers.get("location").unwrap().to_str().unwrap(), format!("/api/v1/invoices/{id}"));
    assert_eq!(r.body["total"], "382.06");
    assert_eq!(r.body["subtotal"], "315.75");
    assert_eq!(r.body["amount_paid"], "0.00");
    assert_eq!(r.body["currency"], "EUR");
    assert_eq!(r.body["status"], "pending");
    assert_eq!(r.body["counterparty"]["iban"], "BE71001860922869");
    assert_eq!(r.body["payment_reference"], "+++123/4567/89002+++");
    assert_eq!(r.body["payment_reference_type"], "structured");
    assert_eq!(r.body["source"], "manual");
    assert_eq!(r.body["version"], 1);
    assert_eq!(
        r.body["urgency"],
        json!({"level": "high", "display_name": "High", "color": "#FFA500", "is_manual": false})
    );

    let r = call(&app, "GET", &format!("/api/v1/invoices/{id}"), t, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["invoice_number"], "INV-SO-2023-2812");

    let r = call(&app, "GET", "/api/v1/invoices", t, None).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(r.body["next_cursor"], Value::Null);

    let r = call(
        &app,
        "PATCH",
        &format!("/api/v1/invoices/{id}"),
        t,
        Some(json!({"version": 1, "manual_urgency": "low", "due_date": "2026-03-05"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["version"], 2);
    assert_eq!(r.body["urgency"]["level"], "low");
    assert_eq!(r.body["urgency"]["is_manual"], true);

    let r = call(
        &app,
        "PATCH",
        &format!("/api/v1/invoices/{id}"),
        t,
        Some(json!({"version": 1, "total": "1.00", "subtotal": null, "vat_amount": null})),
    )
    .await;
    assert_problem(&r, StatusCode::CONFLICT, "stale-version");
    assert_eq!(r.body["current_version"], 2);

    let r =
        call(&app, "PATCH", &format!("/api/v1/invoices/{id}"), t, Some(json!({"version": 2, "manual_urgency": null})))
            .await;
    assert_eq!(r.body["urgency"]["level"], "critical");

    let r = call(
        &app,
        "POST",
        &format!("/api/v1/invoices/{id}/payments"),
        t,
        Some(json!({"version": 3, "amount": "82.06"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "pending");
    assert_eq!(r.body["open_amount"], "300.00");
    let r = call(&app, "POST", &format!("/api/v1/invoices/{id}/payments"), t, Some(json!({"version": 4}))).await;
    assert_eq!(r.body["status"], "paid");
    assert_eq!(r.body["urgency"], Value::Null);
    let r = call(
        &app,
        "PATCH",
        &format!("/api/v1/invoices/{id}"),
        t,
        Some(json!({"version": 5, "total": "400.00", "subtotal": null, "vat_amount": null})),
    )
    .await;
    assert_problem(&r, StatusCode::CONFLICT, "invoice-state");
    let r = call(
        &app,
        "POST",
        &format!("/api/v1/invoices/{id}/reopen"),
        t,
        Some(json!({"version": 5, "reason": "payment bounced"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "pending");
    assert_eq!(r.body["amount_paid"], "0.00");

    let r = call(&app, "GET", &format!("/api/v1/invoices/{id}/events"), t, None).await;
    let codes: Vec<&str> = r.body["items"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        [
            "invoice.created",
            "invoice.updated",
            "invoice.updated",
            "invoice.updated",
            "invoice.partially_paid",
            "invoice.updated",
            "invoice.paid",
            "invoice.reopened"
        ]
    );

    let r = call(&app, "DELETE", &format!("/api/v1/invoices/{id}?version=1"), t, None).await;
    assert_problem(&r, StatusCode::CONFLICT, "stale-version");
    let r = call(&app, "DELETE", &format!("/api/v1/invoices/{id}?version=6"), t, None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = call(&app, "GET", &format!("/api/v1/invoices/{id}"), t, None).await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not-found");
}

#[actix_web::test]
async fn the_overdue_transition_follows_the_clock() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@example.be").await;
    let r = call(&app, "POST", "/api/v1/invoices", Some(&token), Some(sample_invoice())).await;
    let id = r.body["id"].as_str().unwrap().to_owned();
    // The organisation's day is Brussels's (UTC+1 in March): 23:30 there is still the due date.
    *h.clock.0.lock().unwrap() = datetime!(2026-03-10 22:30 UTC);
    assert_eq!(h.state.invoices.mark_overdue_invoices().unwrap(), 0, "due today is not overdue");
    *h.clock.0.lock().unwrap() = datetime!(2026-03-10 23:30 UTC);
    assert_eq!(h.state.invoices.mark_overdue_invoices().unwrap(), 1);
    assert_eq!(h.state.invoices.mark_overdue_invoices().unwrap(), 0, "once only");
    let token = login(&app, "anna@example.be").await;
    let r = call(&app, "GET", &format!("/api/v1/invoices/{id}"), Some(&token), None).await;
    assert_eq!(r.body["status"], "overdue");
    assert_eq!(r.body["urgency"]["level"], "overdue");
    assert_eq!(r.body["urgency"]["color"], "#8B0000");
}

#[actix_web::test]
async fn bad_input_gets_clear_problems() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@example.be").await;
    let t = Some(token.as_str());
    let post = |body: Value| call(&app, "POST", "/api/v1/invoices", t, Some(body));

    let malformed = raw(
        &app,
        test::TestRequest::post()
            .uri("/api/v1/invoices")
            .insert_header(("Authorization", format!("Bearer {token}")))
            .insert_header(("content-type", "application/json"))
            .set_payload("{\"direction\": "),
    )
    .await;
    assert_problem(&malformed, StatusCode::BAD_REQUEST, "bad-request");

    let mut body = sample_invoice();
    body["total"] = json!(382.06);
    let r = post(body).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(field_errors(&r), ["total"]);

    let mut body = sample_invoice();
    body.as_object_mut().unwrap().remove("invoice_number");
    assert_eq!(field_errors(&post(body).await), ["invoice_number"]);

    let mut body = sample_invoice();
    body["surprise"] = json!(1);
    assert_eq!(post(body).await.status, StatusCode::UNPROCESSABLE_ENTITY);

    let mut body = sample_invoice();
    body["counterparty"]["iban"] = json!("BE71 0018 6092 2868");
    body["counterparty"]["vat_number"] = json!("BE0662970354");
    body["due_date"] = json!("10/03/2026");
    body["payment_reference"] = json!("+++123/4567/89003+++");
    body["currency"] = json!("EURO");
    let r = post(body).await;
    let mut fields = field_errors(&r);
    fields.sort();
    assert_eq!(fields, ["counterparty.iban", "counterparty.vat_number", "currency", "due_date", "payment_reference"]);

    let mut body = sample_invoice();
    body["vat_amount"] = json!("66.30");
    let r = post(body).await;
    assert_eq!(field_errors(&r), ["total"]);
    assert!(r.body["errors"][0]["message"].as_str().unwrap().contains("382.05"), "{}", r.body);

    let mut body = sample_invoice();
    body["due_date"] = json!("2026-02-01");
    assert_eq!(field_errors(&post(body).await), ["due_date"]);

    let mut body = sample_invoice();
    body["total"] = json!("1.005");
    assert_eq!(field_errors(&post(body).await), ["total"]);

    let huge = raw(
        &app,
        test::TestRequest::post()
            .uri("/api/v1/invoices")
            .insert_header(("Authorization", format!("Bearer {token}")))
            .insert_header(("content-type", "application/json"))
            .set_payload(format!("{{\"x\": \"{}\"}}", "a".repeat(70_000))),
    )
    .await;
    assert_problem(&huge, StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large");

    let text = raw(
        &app,
        test::TestRequest::post()
            .uri("/api/v1/invoices")
            .insert_header(("Authorization", format!("Bearer {token}")))
            .insert_header(("content-type", "text/plain"))
            .set_payload("hello"),
    )
    .await;
    assert_problem(&text, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type");

    assert_problem(&call(&app, "GET", "/api/v1/nope", t, None).await, StatusCode::NOT_FOUND, "not-found");
    assert_problem(
        &call(&app, "GET", "/api/v1/invoices/not-a-uuid", t, None).await,
        StatusCode::NOT_FOUND,
        "not-found",
    );
    assert_problem(
        &call(&app, "PUT", "/api/v1/invoices", t, None).await,
        StatusCode::METHOD_NOT_ALLOWED,
        "method-not-allowed",
    );
    let r = call(&app, "GET", "/api/v1/invoices?status=lost&limit=0&colour=red", t, None).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(field_errors(&r), ["colour"]);
    let r = call(&app, "GET", "/api/v1/invoices?status=lost&limit=0", t, None).await;
    assert_eq!(field_errors(&r), ["status", "limit"]);
    let r = call(&app, "GET", "/api/v1/invoices?cursor=garbage", t, None).await;
    assert_eq!(field_errors(&r), ["cursor"]);
    let r =
        call(&app, "PATCH", "/api/v1/invoices/00000000-0000-0000-0000-000000000000", t, Some(json!({"version": 1})))
            .await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not-found");

    let first = post(sample_invoice()).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let duplicate = post(sample_invoice()).await;
    assert_problem(&duplicate, StatusCode::CONFLICT, "duplicate-invoice");
}

#[actix_web::test]
async fn lists_filter_sort_and_page() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@example.be").await;
    let t = Some(token.as_str());
    for (n, due, direction) in [
        ("A", "2026-03-03", "payable"),
        ("B", "2026-03-20", "receivable"),
        ("C", "2026-04-30", "payable"),
        ("D", "2026-02-20", "payable"),
        ("E", "2026-03-04", "receivable"),
    ] {
        let mut body = sample_invoice();
        body["invoice_number"] = json!(n);
        body["issue_date"] = json!("2026-02-01");
        body["due_date"] = json!(due);
        body["direction"] = json!(direction);
        assert_eq!(call(&app, "POST", "/api/v1/invoices", t, Some(body)).await.status, StatusCode::CREATED);
    }
    let numbers = |r: &Reply| {
        r.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["invoice_number"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(numbers(&call(&app, "GET", "/api/v1/invoices", t, None).await), ["D", "A", "E", "B", "C"]);
    assert_eq!(
        numbers(&call(&app, "GET", "/api/v1/invoices?sort=-due_date", t, None).await),
        ["C", "B", "E", "A", "D"]
    );
    assert_eq!(numbers(&call(&app, "GET", "/api/v1/invoices?status=overdue", t, None).await), ["D"]);
    assert_eq!(numbers(&call(&app, "GET", "/api/v1/invoices?direction=receivable", t, None).await), ["E", "B"]);
    assert_eq!(numbers(&call(&app, "GET", "/api/v1/invoices?urgency=critical", t, None).await), ["A", "E"]);
    assert_eq!(
        numbers(&call(&app, "GET", "/api/v1/invoices?due_from=2026-03-04&due_to=2026-03-31", t, None).await),
        ["E", "B"]
    );
    assert_eq!(
        numbers(
            &call(&app, "GET", "/api/v1/invoices?q=bloc%20group&direction=payable&status=pending,overdue", t, None)
                .await
        ),
        ["D", "A", "C"]
    );
    let mut seen = Vec::new();
    let mut path = "/api/v1/invoices?limit=2&sort=invoice_number".to_owned();
    loop {
        let r = call(&app, "GET", &path, t, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        seen.extend(numbers(&r));
        match r.body["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/invoices?limit=2&sort=invoice_number&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, ["A", "B", "C", "D", "E"]);
    let r = call(&app, "GET", "/api/v1/invoices?limit=2", t, None).await;
    let cursor = r.body["next_cursor"].as_str().unwrap();
    let r = call(&app, "GET", &format!("/api/v1/invoices?sort=total&cursor={cursor}"), t, None).await;
    assert_eq!(field_errors(&r), ["cursor"], "a cursor is bound to its sort");
}

#[actix_web::test]
async fn a_credit_note_reduces_what_is_owed_and_links_to_its_invoice() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@demo.be").await;
    let t = Some(token.as_str());
    let confirm = |id: String, version: i64| {
        let app = &app;
        async move {
            call(app, "POST", &format!("/api/v1/invoices/drafts/{id}/confirm"), t, Some(json!({"version": version})))
                .await
        }
    };
    let r = upload(&app, &token, "invoice.xml", UBL_INVOICE).await;
    let invoice = confirm(r.body["id"].as_str().unwrap().to_owned(), 1).await;
    assert_eq!(invoice.status, StatusCode::CREATED, "{}", invoice.body);
    assert_eq!(invoice.body["kind"], "invoice");

    let credit_note: &[u8] = include_bytes!("../../billify-einvoice/tests/fixtures/ubl-credit-note.xml");
    let r = upload(&app, &token, "credit-note.xml", credit_note).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["fields"]["kind"], "credit_note");
    assert_eq!(r.body["fields"]["corrects_invoice_number"], "INV-2026-0042");
    let credit = confirm(r.body["id"].as_str().unwrap().to_owned(), 1).await;
    assert_eq!(credit.status, StatusCode::CREATED, "{}", credit.body);
    assert_eq!(credit.body["kind"], "credit_note");
    assert_eq!(credit.body["corrects_invoice_id"], invoice.body["id"]);
    assert!(credit.body["signed_total"].as_str().unwrap().starts_with('-'), "{}", credit.body);

    let r = call(&app, "POST", "/api/v1/invoices", t, Some(json!({
        "direction": "payable", "kind": "invoice", "corrects_invoice_id": invoice.body["id"],
        "invoice_number": "X", "counterparty": {"name": "Y"}, "issue_date": "2026-01-01", "due_date": "2026-01-02", "total": "1.00"
    }))).await;
    assert_eq!(field_errors(&r), ["corrects_invoice_id"], "only a credit note corrects");
    let r = call(&app, "POST", "/api/v1/invoices", t, Some(json!({
        "direction": "payable", "kind": "credit_note", "corrects_invoice_id": "00000000-0000-0000-0000-000000000001",
        "invoice_number": "X", "counterparty": {"name": "Y"}, "issue_date": "2026-01-01", "due_date": "2026-01-02", "total": "1.00"
    }))).await;
    assert_eq!(field_errors(&r), ["corrects_invoice_id"], "the corrected invoice must exist in the organisation");
}

#[actix_web::test]
async fn the_organisation_knows_itself_so_its_own_invoices_are_receivables() {
    let h = harness();
    let app = app!(h);
    let token = owner(&app, "anna@bloc.be").await;
    let t = Some(token.as_str());
    let r = call(&app, "PATCH", "/api/v1/organisation", t, Some(json!({"vat_number": "BE 0662.970.354"}))).await;
    assert_eq!(field_errors(&r), ["vat_number"]);
    let r = call(
        &app,
        "PATCH",
        "/api/v1/organisation",
        t,
        Some(json!({"name": "Bloc Group", "vat_number": "BE 0662.970.353"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["vat_number"], "BE0662970353");
    assert_eq!(call(&app, "GET", "/api/v1/organisation", t, None).await.body["name"], "Bloc Group");
    // The sample invoice was issued by Bloc Group BV (VAT BE0662970353): for this organisation
    // it is a receivable, and the counterparty is the buyer.
    let r = upload(&app, &token, "sample.pdf", SAMPLE_PDF).await;
    assert_eq!(r.body["fields"]["direction"], "receivable", "{}", r.body);
    assert_eq!(r.body["fields"]["counterparty"]["name"], "CF accountancy BV");
    assert_eq!(r.body["fields"]["counterparty"]["vat_number"], "BE0628719851");
    let r = call(&app, "PATCH", "/api/v1/organisation", t, Some(json!({"vat_number": null}))).await;
    assert_eq!(r.body["vat_number"], Value::Null);
}
