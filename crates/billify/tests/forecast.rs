//! The cash forecast end to end: `GET /api/v1/cashflow/forecast` over real invoices, payment
//! history, VAT and recurring bank flows; the recurring series and decisions on them; scenarios
//! and their validation; and the backtest on a synthetic history with known series and delays,
//! whose error must stay under bounds set from measurement.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

#[macro_use]
mod harness;

use actix_web::http::StatusCode;
use billify_domain::{
    BankAccount, BankTransaction, Counterparty, Currency, Direction, Iban, Invoice, InvoiceId, InvoiceKind,
    InvoiceNumber, InvoiceSource, Money, NewBankAccount, NewBankTransaction, NewInvoice, OrganisationId, ProviderId,
    RemittanceType,
};
use billify_ports::InvoiceRepository as _;
use billify_ports::bank::{BankRepository as _, BankSource};
use harness::*;
use serde_json::{Value, json};
use time::macros::{date, datetime};
use time::{Date, Duration, Time};

fn field_errors(r: &Reply) -> Vec<String> {
    r.body["errors"]
        .as_array()
        .map(|a| a.iter().map(|e| e["field"].as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

fn eur(minor: i64) -> Money {
    Money::from_minor_units(minor, Currency::EUR).unwrap()
}

/// A receivable of `customer` paid in full on `paid_on`, stored as the history of payments.
fn paid_receivable(h: &Harness, org: OrganisationId, n: u32, customer: &str, due: Date, paid_on: Date) {
    let new = NewInvoice {
        direction: Direction::Receivable,
        kind: InvoiceKind::Invoice,
        corrects: None,
        invoice_number: InvoiceNumber::parse(&format!("H-{n}")).unwrap(),
        counterparty: Counterparty::new(customer, None, None, None).unwrap(),
        issue_date: due - Duration::days(30),
        due_date: due,
        subtotal: None,
        vat_amount: None,
        total: eur(10_000),
        amount_paid: Some(eur(10_000)),
        manual_urgency: None,
        payment_reference: None,
        source: InvoiceSource::Import,
        external_reference: None,
    };
    let when = paid_on.with_time(Time::from_hms(12, 0, 0).unwrap()).assume_utc();
    let id = InvoiceId::from_uuid(uuid::Uuid::now_v7());
    let (invoice, events) = Invoice::create(id, org, new, when, paid_on).unwrap();
    h.store.insert(&invoice, &events).unwrap();
}

fn booking(n: usize, day: Date, minor: i64, name: &str, iban: Option<&str>) -> BankTransaction {
    BankTransaction::new(NewBankTransaction {
        provider_id: ProviderId::parse(&format!("tx-{n}")).unwrap(),
        account_provider_id: ProviderId::parse("main").unwrap(),
        amount: eur(minor),
        counterparty_name: Some(name.to_owned()),
        counterparty_account: iban.map(str::to_owned),
        remittance_information: None,
        remittance_type: RemittanceType::Unstructured,
        description: None,
        execution_date: day,
        value_date: None,
        bank_transaction_code: None,
        bank_reference: None,
    })
}

const LANDLORD: &str = "BE71096123456769";

/// Cash 10,000.00 EUR; rent of 1,500.00 on the 1st of each month since September; Acme paid its
/// last four invoices 10 days late.
fn history(h: &Harness, org: OrganisationId) {
    let now = datetime!(2026-03-02 09:00 UTC);
    let account = BankAccount::new(NewBankAccount {
        provider_id: ProviderId::parse("main").unwrap(),
        iban: Some(Iban::parse("BE68539007547034").unwrap()),
        currency: Currency::EUR,
        current_balance: eur(1_000_000),
        available_balance: None,
        holder_name: Some("Bloc Group BV".into()),
        institution_name: None,
        description: None,
        authorization_expires_at: None,
        synchronized_at: Some(now),
    })
    .unwrap();
    let (account_id, _) = h.store.upsert_bank_account(org, BankSource::Ponto, &account, now).unwrap();
    let rows: Vec<BankTransaction> = (0..7u32)
        .map(|m| {
            let day = billify_domain::forecast::add_months(date!(2025 - 09 - 01), m);
            booking(m as usize, day, -150_000, "Landlord", Some(LANDLORD))
        })
        .collect();
    h.store.upsert_bank_transactions(org, account_id, &rows, now).unwrap();
    for m in 0..4u32 {
        let due = billify_domain::forecast::add_months(date!(2025 - 09 - 10), m);
        paid_receivable(h, org, m, "Acme", due, due + Duration::days(10));
    }
}

fn document(direction: &str, number: &str, party: &str, due: &str, total: &str, vat: &str) -> Value {
    json!({
        "direction": direction,
        "invoice_number": number,
        "counterparty": {"name": party},
        "issue_date": "2026-02-20",
        "due_date": due,
        "total": total,
        "vat_amount": vat,
    })
}

fn day<'a>(currency: &'a Value, date: &str) -> &'a Value {
    currency["days"].as_array().unwrap().iter().find(|d| d["date"] == date).unwrap()
}

fn items(day: &Value) -> Vec<Value> {
    day["items"].as_array().unwrap().clone()
}

/// The sum of a decimal amount's text as minor units (two digits).
fn cents(v: &Value) -> i64 {
    let text = v.as_str().unwrap();
    let negative = text.starts_with('-');
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let n: i64 = digits.parse().unwrap();
    if negative { -n } else { n }
}

#[actix_web::test]
async fn the_forecast_places_every_input_on_its_day_and_explains_it() {
    let h = harness();
    let app = app!(h);
    let (org, token) = owner(&app, "anna@bloc.be").await;
    let t = Some(token.as_str());
    history(&h, org.parse().unwrap());
    let create = |body: Value| {
        let app = &app;
        async move {
            let r = call(app, "POST", "/api/v1/invoices", t, Some(body)).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
            r.body["id"].as_str().unwrap().to_owned()
        }
    };
    // Acme (10 days late as a rule), Newco (no history: the organisation's own delay), a
    // supplier, and an Acme receivable so long overdue that it is doubtful.
    let acme = create(document("receivable", "S-1", "Acme", "2026-03-10", "1210.00", "210.00")).await;
    let newco = create(document("receivable", "S-2", "Newco", "2026-03-15", "605.00", "105.00")).await;
    let supplier = create(document("payable", "P-1", "Supplies BV", "2026-03-12", "363.00", "63.00")).await;
    let mut doubtful = document("receivable", "S-0", "Acme", "2025-12-01", "50.00", "0.00");
    doubtful["issue_date"] = json!("2025-11-01");
    create(doubtful).await;

    let r = call(&app, "GET", "/api/v1/cashflow/forecast?days=60", t, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let f = &r.body;
    assert_eq!(f["today"], "2026-03-02");
    assert_eq!(f["days"], 60);
    assert_eq!(f["doubtful_receivables"], 1);
    let eur = &f["currencies"][0];
    assert_eq!(eur["currency"], "EUR");
    assert_eq!(eur["start"], "10000.00");
    assert_eq!(eur["days"].as_array().unwrap().len(), 60);
    assert_eq!(eur["days"][0]["date"], "2026-03-03");

    // The supplier on its due date; Acme ten days after its due date; Newco with the
    // organisation's own delay (Acme's, the only history: ten days).
    let p = day(eur, "2026-03-12");
    assert_eq!(p["net"], "-363.00");
    assert_eq!(items(p), vec![json!({"type": "invoice", "id": supplier})]);
    let a = day(eur, "2026-03-20");
    assert_eq!(a["net"], "1210.00");
    assert_eq!(items(a), vec![json!({"type": "invoice", "id": acme})]);
    assert_eq!(day(eur, "2026-03-10")["net"], "0.00", "not on its due date");
    assert_eq!(items(day(eur, "2026-03-25")), vec![json!({"type": "invoice", "id": newco})]);
    // The rent continues on the 1st.
    let rent = day(eur, "2026-04-01");
    assert_eq!(rent["net"], "-1500.00");
    assert_eq!(rent["items"][0]["type"], "series");
    let series_id = rent["items"][0]["id"].as_str().unwrap().to_owned();
    // VAT of the first quarter (sales 315.00, purchases 63.00) is paid on 20 April.
    let vat = day(eur, "2026-04-20");
    assert_eq!(vat["net"], "-252.00");
    assert_eq!(items(vat), vec![json!({"type": "vat", "period": "2026-Q1"})]);
    // The balance adds up the movements, and the band holds it.
    let last = &eur["days"][59];
    assert_eq!(last["date"], "2026-05-01");
    assert_eq!(last["balance"], "8200.00", "10000 - 363 + 1210 + 605 - 1500 - 252 - 1500");
    for d in eur["days"].as_array().unwrap() {
        assert!(cents(&d["low"]) <= cents(&d["balance"]) && cents(&d["balance"]) <= cents(&d["high"]), "{d}");
    }
    assert!(
        cents(&last["high"]) - cents(&last["low"]) > cents(&eur["days"][0]["high"]) - cents(&eur["days"][0]["low"])
    );
    // Three months of rent went out: burning 1500.00 a month, which is also the break-even.
    assert_eq!(eur["burn_rate"], "1500.00");
    assert_eq!(eur["break_even_inflow"], "1500.00");
    assert_eq!(eur["runway_days"], Value::Null);
    assert_eq!(eur["lowest"], json!({"balance": last["balance"], "date": "2026-05-01"}));

    // The series is listed with its next dates; an accountant dismisses it, and it no longer
    // feeds the forecast.
    let r = call(&app, "GET", "/api/v1/cashflow/recurring", t, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["detected_on"], "2026-03-02");
    let listed = &r.body["series"][0];
    assert_eq!(listed["id"], series_id.as_str());
    assert_eq!(listed["recurrence"], "monthly");
    assert_eq!(listed["amount"], "-1500.00");
    assert_eq!(listed["status"], "detected");
    assert_eq!(listed["next_dates"][0], "2026-04-01");
    assert_eq!(listed["next_dates"][1], "2026-05-01");
    let r = call(&app, "POST", "/api/v1/cashflow/recurring/nope/dismiss", t, None).await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not-found");
    let (_, accountant) = member(&app, &token, &org, "bert@bloc.be", "accountant").await;
    let r =
        call(&app, "POST", &format!("/api/v1/cashflow/recurring/{series_id}/dismiss"), Some(&accountant), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["status"], "dismissed");
    let r = call(&app, "GET", "/api/v1/cashflow/forecast?days=60", t, None).await;
    let eur = &r.body["currencies"][0];
    assert_eq!(day(eur, "2026-04-01")["net"], "0.00");
    assert_eq!(eur["days"][59]["balance"], "11200.00");
    let r = call(&app, "POST", &format!("/api/v1/cashflow/recurring/{series_id}/confirm"), t, None).await;
    assert_eq!(r.body["status"], "confirmed");
    let r = call(&app, "GET", "/api/v1/audit", t, None).await;
    assert!(r.text.contains("forecast.series_decided"), "decisions are audited");

    // Bad input names its field.
    for (query, field) in [("days=0", "days"), ("days=366", "days"), ("days=many", "days")] {
        let r = call(&app, "GET", &format!("/api/v1/cashflow/forecast?{query}"), t, None).await;
        assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation");
        assert_eq!(field_errors(&r), vec![field]);
    }
}

#[actix_web::test]
async fn scenarios_adjust_beside_the_base_and_store_nothing() {
    let h = harness();
    let app = app!(h);
    let (org, token) = owner(&app, "anna@bloc.be").await;
    let t = Some(token.as_str());
    history(&h, org.parse().unwrap());
    let r = call(
        &app,
        "POST",
        "/api/v1/invoices",
        t,
        Some(document("receivable", "S-1", "Acme", "2026-03-10", "1210.00", "210.00")),
    )
    .await;
    let acme = r.body["id"].as_str().unwrap().to_owned();
    let r = call(&app, "GET", "/api/v1/cashflow/recurring", t, None).await;
    let series = r.body["series"][0]["id"].as_str().unwrap().to_owned();

    let body = json!({"days": 45, "adjustments": [
        {"type": "delay_receivable", "invoice_id": acme, "days": 14},
        {"type": "one_off", "date": "2026-03-15", "amount": "-2500.00", "label": "new van"},
        {"type": "change_series_amount", "series_id": series, "amount": "-1800.00"},
    ]});
    let r = call(&app, "POST", "/api/v1/cashflow/forecast/scenario", t, Some(body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let base = &r.body["base"]["currencies"][0];
    let adjusted = &r.body["adjusted"]["currencies"][0];
    assert_eq!(day(base, "2026-03-20")["net"], "1210.00");
    assert_eq!(day(adjusted, "2026-03-20")["net"], "0.00");
    assert_eq!(day(adjusted, "2026-04-03")["net"], "1210.00", "14 days later");
    assert_eq!(items(day(adjusted, "2026-03-15")), vec![json!({"type": "one_off", "label": "new van"})]);
    assert_eq!(day(adjusted, "2026-04-01")["net"], "-1800.00");
    assert_eq!(day(base, "2026-04-01")["net"], "-1500.00");
    assert_eq!(
        cents(&adjusted["days"][44]["balance"]),
        cents(&base["days"][44]["balance"]) - 250_000 - 30_000,
        "the van and the dearer rent; the receivable still arrives within the window"
    );
    let body = json!({"adjustments": [{"type": "drop_series", "series_id": series}]});
    let r = call(&app, "POST", "/api/v1/cashflow/forecast/scenario", t, Some(body)).await;
    assert_eq!(r.body["base"]["days"], 90);
    assert_eq!(day(&r.body["adjusted"]["currencies"][0], "2026-04-01")["net"], "0.00");
    // Nothing was stored: the forecast is the base.
    let f = call(&app, "GET", "/api/v1/cashflow/forecast", t, None).await;
    assert_eq!(f.body["currencies"], r.body["base"]["currencies"]);

    let unknown = "0194b3a0-0000-7000-8000-000000000000";
    let cases = [
        (json!({"days": 0}), "days"),
        (json!({"days": 400}), "days"),
        (
            json!({"adjustments": [{"type": "delay_receivable", "invoice_id": unknown, "days": 3}]}),
            "adjustments[0].invoice_id",
        ),
        (
            json!({"adjustments": [{"type": "delay_receivable", "invoice_id": "x", "days": 3}]}),
            "adjustments[0].invoice_id",
        ),
        (json!({"adjustments": [{"type": "drop_series", "series_id": "nope"}]}), "adjustments[0].series_id"),
        (
            json!({"adjustments": [{"type": "drop_series", "series_id": series},
                                   {"type": "one_off", "date": "2026-03-15", "amount": "12.345"}]}),
            "adjustments[1].amount",
        ),
        (json!({"adjustments": [{"type": "one_off", "date": "2026-02-30", "amount": "-1.00"}]}), "adjustments[0].date"),
        (json!({"adjustments": [{"type": "one_off", "date": "2027-03-15", "amount": "-1.00"}]}), "adjustments[0].date"),
        (
            json!({"adjustments": [{"type": "change_series_amount", "series_id": series, "amount": "lots"}]}),
            "adjustments[0].amount",
        ),
        (json!({"adjustments": [{"type": "teleport"}]}), "adjustments[0].type"),
    ];
    for (body, field) in cases {
        let r = call(&app, "POST", "/api/v1/cashflow/forecast/scenario", t, Some(body.clone())).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", r.text);
        assert_eq!(field_errors(&r), vec![field], "{body}");
    }
    let r = call(
        &app,
        "POST",
        "/api/v1/cashflow/forecast/scenario",
        t,
        Some(json!({"adjustments": [{"type": "one_off", "date": "2026-03-15", "amount": 5}]})),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
}

/// Set from measurement on this history (seed 15, 18 months, 40 forecasts; `docs/benchmarks.md`):
/// MAPE 2.75 %, 7.53 %, 8.96 % and 6.66 % at 7, 30, 60 and 90 days, with the actual balance
/// inside the band 34, 16, 24 and 34 times out of 40. The bounds leave about half as much again.
/// (Most of the error at 30 and 60 days is the invoices not yet issued on the forecast's day.)
const MAPE_BOUND_BASIS_POINTS: [i64; 4] = [400, 1_100, 1_300, 1_000];
/// At least this many of the 40 actual balances fall inside the band at every horizon.
const INSIDE_BAND_AT_LEAST: u64 = 12;

#[actix_web::test]
async fn the_backtest_error_stays_under_its_bound_on_a_synthetic_history() {
    let h = harness();
    let app = app!(h);
    let (org, token) = owner(&app, "anna@bloc.be").await;
    let org: OrganisationId = org.parse().unwrap();
    let end = date!(2026 - 03 - 01);
    let facts =
        billify::synthetic::write_history(h.store.as_ref(), h.store.as_ref(), org, end, 18, 5_000_000, 15).unwrap();
    assert!(facts.invoices > 100 && facts.transactions > 300, "{facts:?}");
    let accuracy = h.state.forecast.backtest(org).unwrap();
    assert_eq!(accuracy.today, date!(2026 - 03 - 02));
    assert_eq!(accuracy.origins.len(), 40);
    let eur = &accuracy.currencies[0];
    eprintln!("synthetic backtest: {:?}", eur.horizons);
    for (h, bound) in eur.horizons.iter().zip(MAPE_BOUND_BASIS_POINTS) {
        assert_eq!(h.samples, 40);
        let mape = h.mape_basis_points.unwrap();
        assert!(mape <= bound, "{} days: MAPE {mape} bp over {bound} bp", h.horizon);
        assert!(
            h.inside_band >= INSIDE_BAND_AT_LEAST,
            "{} days: the band held the actual {} times",
            h.horizon,
            h.inside_band
        );
    }
    let r = call(&app, "GET", "/api/v1/cashflow/forecast/accuracy", Some(&token), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["origins"], 40);
    let horizons = &r.body["currencies"][0]["horizons"];
    assert_eq!(horizons.as_array().unwrap().len(), 4);
    assert_eq!(horizons[1]["days"], 30);
    assert_eq!(horizons[1]["samples"], 40);
    assert!(horizons[1]["mape_percent"].as_str().unwrap().contains('.'));
}
