//! Reconciliation end to end: statements imported over the API, the reconciliation job run by
//! the sync workers from the shared job queue, and the routes under `/api/v1/reconciliation`.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

#[macro_use]
mod harness;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use harness::*;
use serde_json::{Value, json};

const CODA: &[u8] = include_bytes!("../../billify-bankfiles/tests/fixtures/statement.cod");
const CODA_AS_CAMT: &[u8] = include_bytes!("../../billify-bankfiles/tests/fixtures/statement-as-camt053.xml");

/// Runs every queued job (reconciliation runs) as a sync worker would; returns how many ran.
fn run_jobs(h: &Harness) -> usize {
    let mut n = 0;
    while h.state.sync.run_next_job("test-worker").unwrap().is_some() {
        n += 1;
        assert!(n < 100, "the queue never empties");
    }
    n
}

/// A CAMT.053 statement of account BE68539007547034 with these booked credits (positive) and
/// debits: (amount, day in March 2024, counterparty, free-text remittance).
fn camt(entries: &[(&str, u8, &str, &str)]) -> &'static [u8] {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>T</MsgId><CreDtTm>2024-03-31T06:00:00Z</CreDtTm></GrpHdr>
<Stmt><Id>T-1</Id><Acct><Id><IBAN>BE68539007547034</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-03-31</Dt></Dt></Bal>"#,
    );
    for (n, (amount, day, name, text)) in entries.iter().enumerate() {
        let (abs, indicator, party) = match amount.strip_prefix('-') {
            Some(a) => (a, "DBIT", "Cdtr"),
            None => (*amount, "CRDT", "Dbtr"),
        };
        xml.push_str(&format!(
            "<Ntry><Amt Ccy=\"EUR\">{abs}</Amt><CdtDbtInd>{indicator}</CdtDbtInd><Sts>BOOK</Sts>\
             <BookgDt><Dt>2024-03-{day:02}</Dt></BookgDt><AcctSvcrRef>REF-{n}-{abs}</AcctSvcrRef><NtryDtls><TxDtls>\
             <RltdPties><{party}><Nm>{name}</Nm></{party}></RltdPties><RmtInf><Ustrd>{text}</Ustrd></RmtInf>\
             </TxDtls></NtryDtls></Ntry>"
        ));
    }
    xml.push_str("</Stmt></BkToCstmrStmt></Document>");
    Box::leak(xml.into_bytes().into_boxed_slice())
}

/// A receivable invoice: number, counterparty, total, due date, payment reference.
fn receivable(number: &str, counterparty: &str, total: &str, due: &str, reference: Option<&str>) -> Value {
    let mut v = json!({
        "direction": "receivable",
        "invoice_number": number,
        "counterparty": {"name": counterparty},
        "issue_date": "2024-02-01",
        "due_date": due,
        "total": total
    });
    if let Some(r) = reference {
        v["payment_reference"] = json!(r);
    }
    v
}

async fn create<S, B>(app: &S, token: &str, body: Value) -> String
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let r = call(app, "POST", "/api/v1/invoices", Some(token), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.body["id"].as_str().unwrap().to_owned()
}

async fn get<S, B>(app: &S, token: &str, uri: &str) -> Value
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let r = call(app, "GET", uri, Some(token), None).await;
    assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.text);
    r.body
}

async fn import<S, B>(app: &S, token: &str, file: &'static [u8]) -> Value
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let r = send(app, "POST", "/api/v1/bank/statements", Some(token), None, Body::File(file)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body
}

async fn invoice_state<S, B>(app: &S, token: &str, id: &str) -> (String, String, i64)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let v = get(app, token, &format!("/api/v1/invoices/{id}")).await;
    (
        v["status"].as_str().unwrap().to_owned(),
        v["amount_paid"].as_str().unwrap().to_owned(),
        v["version"].as_i64().unwrap(),
    )
}

async fn matches_of_invoice<S, B>(app: &S, token: &str, id: &str) -> Vec<Value>
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    get(app, token, &format!("/api/v1/reconciliation/matches?invoice_id={id}")).await["items"]
        .as_array()
        .unwrap()
        .clone()
}

/// The transaction with this remittance (or counterparty) text.
async fn transaction<S, B>(app: &S, token: &str, containing: &str) -> String
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let all = get(app, token, "/api/v1/bank/transactions?limit=200").await;
    let found = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| {
            t["remittance_information"].as_str().is_some_and(|r| r.contains(containing))
                || t["counterparty_name"].as_str().is_some_and(|n| n.contains(containing))
        })
        .unwrap_or_else(|| panic!("no transaction with {containing}: {all}"));
    found["id"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn rule_one_a_structured_reference_pays_its_invoice_with_events_and_audit() {
    let h = harness();
    let app = app!(h);
    let (_, token) = owner(&app, "anna@example.be").await;
    let id =
        create(&app, &token, receivable("F-2024-1", "Acme NV", "1210.00", "2024-03-10", Some("+++202/4000/12363+++")))
            .await;
    import(&app, &token, CAMT).await;
    assert_eq!(run_jobs(&h), 1, "the import queued one reconciliation run");
    assert_eq!(invoice_state(&app, &token, &id).await, ("paid".into(), "1210.00".into(), 2));
    let found = matches_of_invoice(&app, &token, &id).await;
    assert_eq!(found.len(), 1);
    let m = &found[0];
    assert_eq!(m["rule"], "structured_reference");
    assert_eq!(m["matched_fields"], json!(["structured_reference", "amount"]));
    assert_eq!(m["score"], 100);
    assert_eq!(m["amount"], "1210.00");
    assert_eq!(m["applied_by"], "rules");
    assert_eq!(m["active"], true);
    assert_eq!(m["overpayment"], Value::Null);
    let by_transaction = get(
        &app,
        &token,
        &format!("/api/v1/reconciliation/matches?transaction_id={}", m["transaction_id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(by_transaction["items"][0]["id"], m["id"]);
    let events = get(&app, &token, &format!("/api/v1/invoices/{id}/events")).await;
    assert!(events.to_string().contains("invoice.paid"), "{events}");
    let audit = get(&app, &token, "/api/v1/audit").await;
    let matched = audit["items"].as_array().unwrap().iter().find(|e| e["action"] == "reconciliation.matched").unwrap();
    assert_eq!(matched["target"]["kind"], "reconciliation_run", "{matched}");
    assert!(matched.to_string().contains(&id), "the run's entry names the invoice: {matched}");
}

#[actix_web::test]
async fn rule_two_the_invoice_number_in_free_text_pays_a_payable() {
    let h = harness();
    let app = app!(h);
    let (_, token) = owner(&app, "anna@example.be").await;
    // CODA movement 2: a debit of 0.10, "Bank costs for March, invoice INV-2024-17".
    let mut bill = receivable("inv 2024 17", "Bank NV", "0.10", "2024-03-05", None);
    bill["direction"] = json!("payable");
    let id = create(&app, &token, bill).await;
    let receivable_with_same_number =
        create(&app, &token, receivable("INV-2024-17", "Customer BV", "0.10", "2024-03-05", None)).await;
    import(&app, &token, CODA).await;
    run_jobs(&h);
    assert_eq!(invoice_state(&app, &token, &id).await.0, "paid", "a debit pays the payable");
    let m = &matches_of_invoice(&app, &token, &id).await[0];
    assert_eq!(m["rule"], "invoice_number");
    assert_eq!(m["score"], 95);
    assert_eq!(invoice_state(&app, &token, &receivable_with_same_number).await.0, "overdue", "never a receivable");
}

#[actix_web::test]
async fn rule_three_suggests_and_a_person_accepts_or_rejects() {
    let h = harness();
    let app = app!(h);
    let (_, token) = owner(&app, "anna@example.be").await;
    // The 100.00 credit from Studio Peeters quotes an OGM no invoice has.
    let a = create(&app, &token, receivable("S-1", "Studio Peeters BV", "100.00", "2024-03-01", None)).await;
    let b = create(&app, &token, receivable("S-2", "studio peeters", "100.00", "2024-03-04", None)).await;
    create(&app, &token, receivable("S-3", "Someone Else", "100.00", "2024-03-04", None)).await;
    import(&app, &token, CAMT).await;
    run_jobs(&h);
    assert_eq!(invoice_state(&app, &token, &a).await.1, "0.00", "a suggestion applies nothing");
    let list = get(&app, &token, "/api/v1/reconciliation/suggestions").await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{list}");
    let s = &items[0];
    assert_eq!(s["rule"], "amount_and_counterparty");
    assert_eq!(s["transaction"]["counterparty_name"], "Studio Peeters");
    assert_eq!(s["transaction"]["unmatched_amount"], "100.00");
    let candidates: Vec<&str> =
        s["candidates"].as_array().unwrap().iter().map(|c| c["invoice_id"].as_str().unwrap()).collect();
    assert_eq!(candidates, [b.as_str(), a.as_str()], "the closer due date first: {s}");
    assert_eq!(s["candidates"][0]["invoice_number"], "S-2");
    assert_eq!(s["candidates"][0]["open_amount"], "100.00");
    let suggestion = s["id"].as_str().unwrap().to_owned();

    // Only candidates may be chosen; nothing changes on a refusal.
    let other = create(&app, &token, receivable("X-1", "Studio Peeters", "100.00", "2024-03-04", None)).await;
    let uri = format!("/api/v1/reconciliation/suggestions/{suggestion}/accept");
    let r = call(&app, "POST", &uri, Some(&token), Some(json!({"invoice_ids": [other]}))).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(r.body["errors"][0]["field"], "invoice_ids[0]", "{}", r.text);
    let r = call(&app, "POST", &uri, Some(&token), Some(json!({"invoice_ids": [b]}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["matches"][0]["rule"], "amount_and_counterparty");
    assert_eq!(r.body["matches"][0]["applied_by"], "user");
    assert_eq!(r.body["matches"][0]["suggestion_id"], suggestion.as_str());
    assert_eq!(invoice_state(&app, &token, &b).await.0, "paid");
    let r = call(&app, "POST", &uri, Some(&token), Some(json!({"invoice_ids": [a]}))).await;
    assert_problem(&r, StatusCode::CONFLICT, "reconciliation-conflict");
    let r = call(&app, "POST", &format!("/api/v1/reconciliation/suggestions/{suggestion}/reject"), Some(&token), None)
        .await;
    assert_problem(&r, StatusCode::CONFLICT, "reconciliation-conflict");
    assert_eq!(get(&app, &token, "/api/v1/reconciliation/suggestions").await["items"], json!([]));
}

#[actix_web::test]
async fn a_rejected_suggestion_stays_rejected_and_running_again_changes_nothing() {
    let h = harness();
    let app = app!(h);
    let (_, token) = owner(&app, "anna@example.be").await;
    let matched =
        create(&app, &token, receivable("F-1", "Acme NV", "1210.00", "2024-03-10", Some("+++202/4000/12363+++"))).await;
    let a = create(&app, &token, receivable("S-1", "Studio Peeters", "100.00", "2024-03-01", None)).await;
    create(&app, &token, receivable("S-2", "Studio Peeters", "100.00", "2024-03-02", None)).await;
    import(&app, &token, CAMT).await;
    run_jobs(&h);
    let list = get(&app, &token, "/api/v1/reconciliation/suggestions").await;
    let suggestion = list["items"][0]["id"].as_str().unwrap().to_owned();
    let r = call(&app, "POST", &format!("/api/v1/reconciliation/suggestions/{suggestion}/reject"), Some(&token), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["status"], "rejected");

    let before = (
        invoice_state(&app, &token, &matched).await,
        invoice_state(&app, &token, &a).await,
        matches_of_invoice(&app, &token, &matched).await,
    );
    let r = call(&app, "POST", "/api/v1/reconciliation/run", Some(&token), None).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
    assert_eq!(r.body["queued"], true);
    let r = call(&app, "POST", "/api/v1/reconciliation/run", Some(&token), None).await;
    assert_eq!(r.body["queued"], false, "one queued run per organisation");
    assert_eq!(run_jobs(&h), 1);
    // Importing the same statement again adds no transaction and queues nothing.
    let again = import(&app, &token, CAMT).await;
    assert_eq!(again["transactions"]["new"], 0);
    assert_eq!(run_jobs(&h), 0);
    let after = (
        invoice_state(&app, &token, &matched).await,
        invoice_state(&app, &token, &a).await,
        matches_of_invoice(&app, &token, &matched).await,
    );
    assert_eq!(before, after);
    assert_eq!(get(&app, &token, "/api/v1/reconciliation/suggestions").await["items"], json!([]));
}

#[actix_web::test]
async fn partial_payments_accumulate_batches_pay_several_and_over_payments_are_flagged() {
    let h = harness();
    let app = app!(h);
    let (_, token) = owner(&app, "anna@example.be").await;
    let ogm = "+++090/9337/55493+++";
    let split = create(&app, &token, receivable("P-1", "Acme NV", "300.00", "2024-03-20", Some(ogm))).await;
    let a1 = create(&app, &token, receivable("INV-A1", "Batch BV", "100.00", "2024-03-20", None)).await;
    let a2 = create(&app, &token, receivable("INV-A2", "Batch BV", "200.00", "2024-03-20", None)).await;
    let over =
        create(&app, &token, receivable("O-1", "Over BV", "50.00", "2024-03-20", Some("+++000/0000/10104+++"))).await;
    let statement = camt(&[
        ("100.00", 5, "Acme NV", &format!("first part {ogm}")),
        ("200.00", 6, "Acme NV", &format!("rest {ogm}")),
        ("300.00", 7, "Batch BV", "invoices inv-a1 and INV A2"),
        ("80.00", 8, "Over BV", "+++000/0000/10104+++"),
    ]);
    import(&app, &token, statement).await;
    run_jobs(&h);

    assert_eq!(invoice_state(&app, &token, &split).await.0, "paid", "two transactions paid one invoice");
    let parts = matches_of_invoice(&app, &token, &split).await;
    let amounts: Vec<&str> = parts.iter().map(|m| m["amount"].as_str().unwrap()).collect();
    assert_eq!(amounts, ["100.00", "200.00"]);
    assert!(parts[0]["matched_fields"].as_array().unwrap().contains(&json!("partial_amount")), "{}", parts[0]);

    let batch_a1 = matches_of_invoice(&app, &token, &a1).await;
    let batch_a2 = matches_of_invoice(&app, &token, &a2).await;
    assert_eq!(batch_a1[0]["transaction_id"], batch_a2[0]["transaction_id"], "one transaction paid both");
    assert_eq!((batch_a1[0]["amount"].as_str(), batch_a2[0]["amount"].as_str()), (Some("100.00"), Some("200.00")));
    assert_eq!(invoice_state(&app, &token, &a2).await.0, "paid");

    let flagged = &matches_of_invoice(&app, &token, &over).await[0];
    assert_eq!(flagged["amount"], "50.00");
    assert_eq!(flagged["overpayment"], "30.00", "the excess is kept, flagged: {flagged}");
    assert_eq!(invoice_state(&app, &token, &over).await.0, "paid");
}

#[actix_web::test]
async fn undoing_a_match_restores_the_invoice_exactly_and_is_never_redone() {
    let h = harness();
    let app = app!(h);
    let (_, token) = owner(&app, "anna@example.be").await;
    let id =
        create(&app, &token, receivable("F-1", "Acme NV", "1500.00", "2099-01-01", Some("+++202/4000/12363+++"))).await;
    let r = call(
        &app,
        "POST",
        &format!("/api/v1/invoices/{id}/payments"),
        Some(&token),
        Some(json!({"version": 1, "amount": "40.00"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let before = invoice_state(&app, &token, &id).await;
    assert_eq!(before, ("pending".into(), "40.00".into(), 2));
    import(&app, &token, CAMT).await;
    run_jobs(&h);
    assert_eq!(invoice_state(&app, &token, &id).await, ("pending".into(), "1250.00".into(), 3), "a partial payment");
    let m = matches_of_invoice(&app, &token, &id).await[0].clone();

    let r = call(
        &app,
        "DELETE",
        &format!("/api/v1/reconciliation/matches/{}", m["id"].as_str().unwrap()),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["active"], false);
    let (status, paid, version) = invoice_state(&app, &token, &id).await;
    assert_eq!((status.as_str(), paid.as_str()), ("pending", "40.00"), "back exactly");
    assert_eq!(version, 4);
    let r = call(
        &app,
        "DELETE",
        &format!("/api/v1/reconciliation/matches/{}", m["id"].as_str().unwrap()),
        Some(&token),
        None,
    )
    .await;
    assert_problem(&r, StatusCode::CONFLICT, "reconciliation-conflict");
    let audit = get(&app, &token, "/api/v1/audit").await;
    assert!(audit.to_string().contains("reconciliation.match_undone"));

    call(&app, "POST", "/api/v1/reconciliation/run", Some(&token), None).await;
    run_jobs(&h);
    assert_eq!(invoice_state(&app, &token, &id).await.1, "40.00", "an undone match is not applied again");
    let all = matches_of_invoice(&app, &token, &id).await;
    assert_eq!(all.len(), 1, "the undone match is listed, inactive");

    // A fully paid invoice reopens when its match is undone.
    let paid =
        create(&app, &token, receivable("F-2", "Peeters", "150.00", "2099-01-01", Some("+++123/4567/89002+++"))).await;
    let luminus = transaction(&app, &token, "Luminus").await;
    let r = call(
        &app,
        "POST",
        "/api/v1/reconciliation/matches",
        Some(&token),
        Some(json!({"transaction_id": luminus, "invoices": [{"invoice_id": paid, "amount": "150.00"}]})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(invoice_state(&app, &token, &paid).await.0, "paid");
    let undo = format!("/api/v1/reconciliation/matches/{}", r.body["matches"][0]["id"].as_str().unwrap());
    assert_eq!(call(&app, "DELETE", &undo, Some(&token), None).await.status, StatusCode::OK);
    assert_eq!(invoice_state(&app, &token, &paid).await, ("pending".into(), "0.00".into(), 3));
}

#[actix_web::test]
async fn manual_matches_refuse_bad_input_naming_the_field_and_change_nothing() {
    let h = harness();
    let app = app!(h);
    let (_, token) = owner(&app, "anna@example.be").await;
    let (_, intruder) = owner(&app, "bert@example.be").await;
    let open = create(&app, &token, receivable("M-1", "Luminus", "500.00", "2099-01-01", None)).await;
    let small = create(&app, &token, receivable("M-2", "Luminus", "20.00", "2099-01-01", None)).await;
    let mut bill = receivable("B-1", "Supplier", "5.00", "2099-01-01", None);
    bill["direction"] = json!("payable");
    let payable = create(&app, &token, bill).await;
    let foreign = create(&app, &intruder, receivable("M-1", "Luminus", "500.00", "2099-01-01", None)).await;
    import(&app, &token, CAMT).await;
    run_jobs(&h);
    let luminus = transaction(&app, &token, "Luminus").await;
    let costs = transaction(&app, &token, "Bank costs").await;
    let unknown = "0194b3a0-0000-7000-8000-000000000000";
    let post = |body: Value| call(&app, "POST", "/api/v1/reconciliation/matches", Some(&token), Some(body));
    let cases = [
        (json!({"transaction_id": unknown, "invoices": [{"invoice_id": open, "amount": "1.00"}]}), "transaction_id"),
        (json!({"transaction_id": "nope", "invoices": [{"invoice_id": open, "amount": "1.00"}]}), "transaction_id"),
        (
            json!({"transaction_id": luminus, "invoices": [{"invoice_id": foreign, "amount": "1.00"}]}),
            "invoices[0].invoice_id",
        ),
        (
            json!({"transaction_id": luminus, "invoices": [{"invoice_id": small, "amount": "20.01"}]}),
            "invoices[0].amount",
        ),
        (
            json!({"transaction_id": luminus, "invoices": [{"invoice_id": open, "amount": "140.00"}, {"invoice_id": small, "amount": "20.00"}]}),
            "invoices[1].amount",
        ),
        (
            json!({"transaction_id": luminus, "invoices": [{"invoice_id": payable, "amount": "5.00"}]}),
            "invoices[0].invoice_id",
        ),
        (
            json!({"transaction_id": costs, "invoices": [{"invoice_id": open, "amount": "0.10"}]}),
            "invoices[0].invoice_id",
        ),
        (
            json!({"transaction_id": luminus, "invoices": [{"invoice_id": open, "amount": "-1.00"}]}),
            "invoices[0].amount",
        ),
        (json!({"transaction_id": luminus, "invoices": []}), "invoices"),
    ];
    for (body, field) in cases {
        let r = post(body.clone()).await;
        assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
        assert_eq!(r.body["errors"][0]["field"], field, "{body}: {}", r.text);
    }
    let r = post(json!({"transaction_id": luminus, "invoices": [{"invoice_id": open, "amount": 1}]})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "JSON numbers are refused: {}", r.text);
    assert_eq!(invoice_state(&app, &token, &open).await, ("pending".into(), "0.00".into(), 1), "nothing changed");
    assert_eq!(invoice_state(&app, &token, &small).await.1, "0.00");
    assert!(matches_of_invoice(&app, &token, &open).await.is_empty());

    let r = post(json!({"transaction_id": luminus, "invoices": [{"invoice_id": open, "amount": "130.00"}, {"invoice_id": small, "amount": "20.00"}]})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["matches"][0]["rule"], "manual");
    assert_eq!(invoice_state(&app, &token, &open).await.1, "130.00");
    assert_eq!(invoice_state(&app, &token, &small).await.0, "paid");
    let r = post(json!({"transaction_id": luminus, "invoices": [{"invoice_id": open, "amount": "1.00"}]})).await;
    assert_eq!(r.body["errors"][0]["field"], "transaction_id", "fully matched: {}", r.text);
}

#[actix_web::test]
async fn another_organisation_can_neither_see_nor_touch_reconciliation() {
    let h = harness();
    let app = app!(h);
    let (_, token) = owner(&app, "anna@example.be").await;
    let (_, intruder) = owner(&app, "bert@example.be").await;
    let id =
        create(&app, &token, receivable("F-1", "Acme NV", "1210.00", "2024-03-10", Some("+++202/4000/12363+++"))).await;
    create(&app, &token, receivable("S-1", "Studio Peeters", "100.00", "2024-03-01", None)).await;
    create(&app, &token, receivable("S-2", "Studio Peeters", "100.00", "2024-03-02", None)).await;
    // The intruder has an invoice with the same reference and amount: never matched to A's bank.
    let theirs =
        create(&app, &intruder, receivable("F-1", "Acme NV", "1210.00", "2024-03-10", Some("+++202/4000/12363+++")))
            .await;
    import(&app, &token, CAMT).await;
    call(&app, "POST", "/api/v1/reconciliation/run", Some(&intruder), None).await;
    run_jobs(&h);
    assert_eq!(invoice_state(&app, &intruder, &theirs).await.0, "overdue");
    let m = matches_of_invoice(&app, &token, &id).await[0].clone();
    let suggestion =
        get(&app, &token, "/api/v1/reconciliation/suggestions").await["items"][0]["id"].as_str().unwrap().to_owned();
    let t = Some(intruder.as_str());
    assert_eq!(get(&app, &intruder, "/api/v1/reconciliation/suggestions").await["items"], json!([]));
    let r = call(&app, "GET", &format!("/api/v1/reconciliation/matches?invoice_id={id}"), t, None).await;
    assert_eq!(r.body["errors"][0]["field"], "invoice_id", "{}", r.text);
    let tx = m["transaction_id"].as_str().unwrap();
    let r = call(&app, "GET", &format!("/api/v1/reconciliation/matches?transaction_id={tx}"), t, None).await;
    assert_eq!(r.body["errors"][0]["field"], "transaction_id", "{}", r.text);
    for (method, uri) in [
        ("DELETE", format!("/api/v1/reconciliation/matches/{}", m["id"].as_str().unwrap())),
        ("POST", format!("/api/v1/reconciliation/suggestions/{suggestion}/reject")),
    ] {
        assert_problem(&call(&app, method, &uri, t, None).await, StatusCode::NOT_FOUND, "not-found");
    }
    let r = call(
        &app,
        "POST",
        &format!("/api/v1/reconciliation/suggestions/{suggestion}/accept"),
        t,
        Some(json!({"invoice_ids": [theirs]})),
    )
    .await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not-found");
    let r = call(
        &app,
        "POST",
        "/api/v1/reconciliation/matches",
        t,
        Some(json!({"transaction_id": tx, "invoices": [{"invoice_id": theirs, "amount": "1.00"}]})),
    )
    .await;
    assert_eq!(r.body["errors"][0]["field"], "transaction_id", "{}", r.text);
    assert!(matches_of_invoice(&app, &token, &id).await[0]["active"] == true);
    assert_eq!(get(&app, &token, "/api/v1/reconciliation/suggestions").await["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn one_statement_in_coda_and_camt_form_is_imported_once() {
    let h = harness();
    let app = app!(h);
    let (_, token) = owner(&app, "anna@example.be").await;
    let coda = import(&app, &token, CODA).await;
    assert_eq!(coda["transactions"]["new"], 2);
    let camt = import(&app, &token, CODA_AS_CAMT).await;
    assert_eq!(camt["transactions"]["new"], 0, "the same bookings, known from the CODA file: {camt}");
    assert_eq!(coda["accounts"][0]["id"], camt["accounts"][0]["id"]);
    let all = get(&app, &token, "/api/v1/bank/transactions").await;
    assert_eq!(all["items"].as_array().unwrap().len(), 2, "{all}");
    // A different booking on the same day for the same amount but another bank reference is new.
    let other = import(&app, &token, camt_with_reference("EBNKA0AUA0099")).await;
    assert_eq!(other["transactions"]["new"], 1);
}

/// The first booking of the CODA fixture with another bank reference.
fn camt_with_reference(reference: &str) -> &'static [u8] {
    let text = String::from_utf8(CODA_AS_CAMT.to_vec()).unwrap();
    let start = text.find("<Ntry>").unwrap();
    let end = text.find("</Ntry>").unwrap() + "</Ntry>".len();
    let entry = text[start..end].replace("EBNKA0AUA0001", reference);
    let rest = &text[end..];
    let second_end = rest.find("</Ntry>").unwrap() + "</Ntry>".len();
    let doc = format!("{}{}{}", &text[..start], entry, &rest[second_end..]);
    Box::leak(doc.into_bytes().into_boxed_slice())
}

#[actix_web::test]
async fn viewers_read_and_accountants_reconcile() {
    let h = harness();
    let app = app!(h);
    let (org, token) = owner(&app, "anna@example.be").await;
    let (_, viewer) = member(&app, &token, &org, "vera@example.be", "viewer").await;
    let (_, accountant) = member(&app, &token, &org, "acc@example.be", "accountant").await;
    assert_eq!(
        call(&app, "GET", "/api/v1/reconciliation/suggestions", Some(&viewer), None).await.status,
        StatusCode::OK
    );
    assert_problem(
        &call(&app, "POST", "/api/v1/reconciliation/run", Some(&viewer), None).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    assert_eq!(
        call(&app, "POST", "/api/v1/reconciliation/run", Some(&accountant), None).await.status,
        StatusCode::ACCEPTED
    );
}

#[actix_web::test]
async fn a_payment_booked_before_its_invoice_arrived_closes_it_when_the_invoice_comes() {
    let h = harness();
    let app = app!(h);
    let (_, token) = owner(&app, "anna@example.be").await;
    // The 1210.00 credit quoting +++202/4000/12363+++ is booked while no invoice has that OGM.
    import(&app, &token, CAMT).await;
    run_jobs(&h);
    let early = create(&app, &token, receivable("F-0", "Someone Else", "999.00", "2024-03-10", None)).await;
    assert_eq!(run_jobs(&h), 1, "a new invoice queues a run");
    assert_eq!(invoice_state(&app, &token, &early).await.1, "0.00");

    let id =
        create(&app, &token, receivable("F-2024-1", "Acme NV", "1210.00", "2024-03-10", Some("+++202/4000/12363+++")))
            .await;
    assert_eq!(run_jobs(&h), 1);
    assert_eq!(invoice_state(&app, &token, &id).await, ("paid".into(), "1210.00".into(), 2), "re-examined");
    let m = matches_of_invoice(&app, &token, &id).await[0].clone();
    assert_eq!(m["rule"], "structured_reference");

    // Running again changes nothing.
    call(&app, "POST", "/api/v1/reconciliation/run", Some(&token), None).await;
    run_jobs(&h);
    assert_eq!(invoice_state(&app, &token, &id).await.2, 2);
    assert_eq!(matches_of_invoice(&app, &token, &id).await.len(), 1);

    // Undone, the transaction is unmatched again; another invoice arriving never redoes it.
    let uri = format!("/api/v1/reconciliation/matches/{}", m["id"].as_str().unwrap());
    assert_eq!(call(&app, "DELETE", &uri, Some(&token), None).await.status, StatusCode::OK);
    create(&app, &token, receivable("F-9", "Other BV", "5.00", "2024-03-10", None)).await;
    assert_eq!(run_jobs(&h), 1);
    assert_eq!(invoice_state(&app, &token, &id).await.1, "0.00", "an undone match is never applied again");
    assert_eq!(matches_of_invoice(&app, &token, &id).await.len(), 1, "only the undone one");
}

#[actix_web::test]
async fn credit_notes_lower_the_open_amount_shown_and_matched() {
    let h = harness();
    let app = app!(h);
    let (_, token) = owner(&app, "anna@example.be").await;
    let id = create(&app, &token, receivable("CR-1", "Acme NV", "1210.00", "2024-03-10", None)).await;
    let mut note = receivable("CR-1-CN", "Acme NV", "210.00", "2024-03-10", None);
    note["kind"] = json!("credit_note");
    note["corrects_invoice_id"] = json!(id);
    let r = call(&app, "POST", "/api/v1/invoices", Some(&token), Some(note)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["open_amount"], "0.00", "the invoice absorbs all of it: {}", r.text);
    let shown = get(&app, &token, &format!("/api/v1/invoices/{id}")).await;
    assert_eq!(shown["open_amount"], "1000.00", "{shown}");
    let listed = get(&app, &token, "/api/v1/invoices").await;
    let row = listed["items"].as_array().unwrap().iter().find(|i| i["id"] == id.as_str()).unwrap().clone();
    assert_eq!(row["open_amount"], "1000.00");

    // The customer pays what is open once the credit note counts: the number in free text and
    // the amount equal, so the rules apply it.
    import(&app, &token, camt(&[("1000.00", 5, "Acme NV", "invoice CR 1")])).await;
    run_jobs(&h);
    let m = &matches_of_invoice(&app, &token, &id).await[0];
    assert_eq!(m["rule"], "invoice_number");
    assert_eq!(m["matched_fields"], json!(["invoice_number", "amount"]), "{m}");
    let shown = get(&app, &token, &format!("/api/v1/invoices/{id}")).await;
    assert_eq!((shown["amount_paid"].as_str(), shown["open_amount"].as_str()), (Some("1000.00"), Some("0.00")));

    // A credit note for the full amount closes its invoice.
    let full = create(&app, &token, receivable("CR-2", "Acme NV", "50.00", "2024-03-10", None)).await;
    let mut note = receivable("CR-2-CN", "Acme NV", "50.00", "2024-03-10", None);
    note["kind"] = json!("credit_note");
    note["corrects_invoice_id"] = json!(full);
    assert_eq!(call(&app, "POST", "/api/v1/invoices", Some(&token), Some(note)).await.status, StatusCode::CREATED);
    let shown = get(&app, &token, &format!("/api/v1/invoices/{full}")).await;
    assert_eq!(shown["open_amount"], "0.00", "{shown}");
    assert_eq!(shown["urgency"], Value::Null, "nothing open, nothing urgent: {shown}");
}

/// Invoices waiting to be compared with the transactions left unmatched are compared in one pass
/// over those transactions, however many batches of invoices they fill: each transaction is
/// read once, and every waiting invoice is marked compared.
#[actix_web::test]
async fn many_new_invoices_reread_the_unmatched_transactions_once() {
    use billify_domain::{
        Counterparty, Currency, Direction, Invoice, InvoiceId, InvoiceKind, InvoiceNumber, InvoiceSource, Money,
        NewInvoice, OrganisationId,
    };
    use billify_ports::{Clock as _, InvoiceRepository, ReconciliationRepository};
    use time::macros::date;

    let h = harness();
    let app = app!(h);
    let (org, token) = owner(&app, "anna@example.be").await;
    let organisation = OrganisationId::from_uuid(org.parse().unwrap());
    import(
        &app,
        &token,
        camt(&[("17.00", 4, "Nobody", "gift"), ("-23.00", 5, "Shop", "card"), ("31.00", 6, "Else", "x")]),
    )
    .await;
    run_jobs(&h);
    let now = h.clock.now();
    let invoices: Vec<_> = (0..1500)
        .map(|n| {
            let new = NewInvoice {
                direction: Direction::Receivable,
                kind: InvoiceKind::Invoice,
                corrects: None,
                invoice_number: InvoiceNumber::parse(&format!("BULK-{n:05}")).unwrap(),
                counterparty: Counterparty::new(&format!("Customer {n}"), None, None, None).unwrap(),
                issue_date: date!(2024 - 03 - 01),
                due_date: date!(2024 - 04 - 01),
                subtotal: None,
                vat_amount: None,
                total: Money::from_minor_units(100_000 + n, Currency::EUR).unwrap(),
                amount_paid: None,
                manual_urgency: None,
                payment_reference: None,
                source: InvoiceSource::Import,
                external_reference: None,
            };
            Invoice::create(InvoiceId::from_uuid(uuid::Uuid::now_v7()), organisation, new, now, now.date()).unwrap()
        })
        .collect();
    let stored = h.store.insert_bulk(organisation, &mut std::iter::once(Ok(invoices))).unwrap();
    assert_eq!(stored, 1500);
    assert_eq!(h.store.invoices_to_reconcile(organisation, None, 10_000).unwrap().len(), 1500);

    let summary = h.state.reconciliation.run(organisation).unwrap();
    assert_eq!(summary.rechecked, 3, "each unmatched transaction read once: {summary:?}");
    assert_eq!(summary.matches, 0);
    assert!(h.store.invoices_to_reconcile(organisation, None, 10).unwrap().is_empty(), "all marked compared");
    assert_eq!(h.state.reconciliation.run(organisation).unwrap().rechecked, 0, "nothing left to compare");
}
