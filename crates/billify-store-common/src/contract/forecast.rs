//! The contract of [`ForecastRepository`], run by both backends with
//! [`forecast_contract_tests!`](crate::forecast_contract_tests).
//!
//! The forecast's open items must add up to the cash position's open groups (which the cash-flow
//! contract checks against the domain rules), per direction and currency; what was known on a
//! past day must leave out what was issued later and count what was paid later; payment delays,
//! candidate recurring flows and the stored series must follow the port's documentation.

use std::collections::BTreeMap;

use billify_domain::forecast::{DetectedSeries, Recurrence, detect_series};
use billify_domain::{
    BankTransaction, Counterparty, Currency, Direction, Interval, Invoice, InvoiceId, InvoiceKind, InvoiceNumber,
    InvoiceSource, Money, NewBankTransaction, NewInvoice, OrganisationId, ProviderId, RemittanceType,
};
use billify_ports::RepositoryError;
use billify_ports::bank::BankSource;
use billify_ports::cashflow::{CashflowQuery, CashflowRepository};
use billify_ports::forecast::{ForecastQuery, ForecastRepository, SeriesStatus};
use time::macros::date;
use time::{Date, Duration, OffsetDateTime, Time};
use uuid::Uuid;

use super::Store;
use super::cashflow::{account, documents, usd};
use super::fixtures::{NOW, TODAY, eur, noted, register};

/// Everything the forecast needs of a store.
pub trait ForecastStore: Store + ForecastRepository + CashflowRepository {}
impl<T> ForecastStore for T where T: Store + ForecastRepository + CashflowRepository {}

/// Generates one `#[test]` per forecast contract case, like
/// [`repository_contract_tests!`](crate::repository_contract_tests).
#[macro_export]
macro_rules! forecast_contract_tests {
    ($make:expr) => {
        $crate::forecast_contract_tests!(@cases $make;
            forecast_open_items_add_up_to_the_cash_position,
            forecast_open_items_as_known_on_a_past_day,
            forecast_payment_delays_by_customer,
            forecast_occurrences_and_daily_net,
            forecast_series_keep_their_decisions,
        );
    };
    (@cases $make:expr; $($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                let fixture = $make;
                $crate::contract::forecast::$case(fixture.store());
            }
        )*
    };
}

fn current(as_of: Date) -> ForecastQuery {
    ForecastQuery {
        as_of,
        current: true,
        delays_from: as_of - Duration::days(365),
        vat_periods: vec![(date!(2026 - 01 - 01), date!(2026 - 03 - 31))],
        read_delays: true,
    }
}

fn past(as_of: Date) -> ForecastQuery {
    ForecastQuery { current: false, ..current(as_of) }
}

fn at(day: Date) -> OffsetDateTime {
    day.with_time(Time::from_hms(10, 0, 0).unwrap()).assume_utc()
}

/// Stores a receivable of `customer` issued on `issue`, due on `due`, paid in full on `paid_on`
/// (its last update) or open.
#[allow(clippy::too_many_arguments, reason = "a test fixture that spells out each invoice")]
fn receivable<S: ForecastStore>(
    store: &S,
    org: OrganisationId,
    number: &str,
    customer: &str,
    issue: Date,
    due: Date,
    cents: i64,
    paid_on: Option<Date>,
) -> Invoice {
    let total = Money::from_minor_units(cents, Currency::EUR).unwrap();
    let new = NewInvoice {
        direction: Direction::Receivable,
        kind: InvoiceKind::Invoice,
        corrects: None,
        invoice_number: InvoiceNumber::parse(number).unwrap(),
        counterparty: Counterparty::new(customer, None, None, None).unwrap(),
        issue_date: issue,
        due_date: due,
        subtotal: None,
        vat_amount: None,
        amount_paid: Some(if paid_on.is_some() { total.clone() } else { Money::zero(Currency::EUR) }),
        total,
        manual_urgency: None,
        payment_reference: None,
        source: InvoiceSource::Manual,
        external_reference: None,
    };
    let when = paid_on.map(at).unwrap_or(NOW);
    let (invoice, events) = Invoice::create(InvoiceId::from_uuid(Uuid::now_v7()), org, new, when, when.date()).unwrap();
    store.insert(&invoice, &events).unwrap();
    invoice
}

/// The sum of open amounts per (direction, currency) and the number of items.
type Totals = BTreeMap<(String, String), (Money, u64)>;

fn add(totals: &mut Totals, direction: Direction, amount: &Money, count: u64) {
    let e = totals
        .entry((direction.code().to_owned(), amount.currency().code().to_owned()))
        .or_insert_with(|| (Money::zero(amount.currency()), 0));
    e.0 = e.0.checked_add(amount).unwrap();
    e.1 += count;
}

/// Per direction and currency, the open items add up to the cash position's open groups; from a
/// day after every issue and payment, what was known is what is open now.
pub fn forecast_open_items_add_up_to_the_cash_position<S: ForecastStore>(store: &S) {
    let (org, _) = register(store, "forecast-open@example.be");
    let _ = documents(store, org.id, 7);
    let summary = store
        .cashflow(
            org.id,
            &CashflowQuery {
                today: TODAY,
                flows_from: TODAY,
                flows_to: TODAY,
                interval: Interval::Day,
                vat_from: date!(2026 - 01 - 01),
                vat_to: date!(2026 - 03 - 31),
                upcoming: 0,
            },
        )
        .unwrap();
    let mut expected = Totals::new();
    for g in &summary.open {
        add(&mut expected, g.direction, &g.amount, g.count);
    }
    let data = store.forecast_inputs(org.id, &current(TODAY)).unwrap();
    let mut actual = Totals::new();
    for item in &data.open {
        assert!(!item.open.is_zero(), "only what is open is listed");
        add(&mut actual, item.direction, &item.open, 1);
    }
    assert!(!expected.is_empty());
    assert_eq!(actual, expected, "per item as per group");
    assert!(data.open.windows(2).all(|w| w[0].due_date <= w[1].due_date), "ordered by due date");
    assert_eq!(data.vat.len(), 1);
    assert_eq!(data.vat[0], summary.vat, "the VAT of the period is the cash position's");
    assert!(data.balances.is_empty(), "no bank account");

    // Every document of the generator was issued by 2026-04-30 and every payment recorded at
    // NOW: from then on, what was known is what is open now.
    let later = store.forecast_inputs(org.id, &past(date!(2026 - 05 - 01))).unwrap();
    assert_eq!(later.open, data.open);
}

/// On a past day, invoices issued later are left out and invoices paid later count in full.
pub fn forecast_open_items_as_known_on_a_past_day<S: ForecastStore>(store: &S) {
    let (org, _) = register(store, "forecast-past@example.be");
    let (other, _) = register(store, "forecast-past-other@example.be");
    let a = receivable(store, org.id, "A", "Acme", date!(2026 - 01 - 05), date!(2026 - 02 - 04), 10_000, None);
    let b = receivable(
        store,
        org.id,
        "B",
        "Acme",
        date!(2026 - 01 - 10),
        date!(2026 - 02 - 09),
        20_000,
        Some(date!(2026 - 02 - 20)),
    );
    let c = receivable(store, org.id, "C", "Acme", date!(2026 - 02 - 15), date!(2026 - 03 - 17), 30_000, None);
    receivable(store, other.id, "X", "Acme", date!(2026 - 01 - 05), date!(2026 - 02 - 04), 99_000, None);
    let ids = |q: ForecastQuery| -> Vec<(InvoiceId, i64)> {
        store
            .forecast_inputs(org.id, &q)
            .unwrap()
            .open
            .iter()
            .map(|i| (i.id, i.open.to_minor_units().unwrap()))
            .collect()
    };
    assert_eq!(ids(past(date!(2026 - 01 - 07))), vec![(a.id(), 10_000)]);
    assert_eq!(
        ids(past(date!(2026 - 02 - 19))),
        vec![(a.id(), 10_000), (b.id(), 20_000), (c.id(), 30_000)],
        "paid on the 20th: open on the 19th for its total"
    );
    assert_eq!(ids(past(date!(2026 - 02 - 20))), vec![(a.id(), 10_000), (c.id(), 30_000)]);
    assert_eq!(ids(current(TODAY)), vec![(a.id(), 10_000), (c.id(), 30_000)]);
}

/// Payment delays are grouped by customer and days, for customers with open receivables only,
/// from payments known on the day.
pub fn forecast_payment_delays_by_customer<S: ForecastStore>(store: &S) {
    let (org, _) = register(store, "forecast-delays@example.be");
    let due = |m: u32| billify_domain::forecast::add_months(date!(2025 - 06 - 10), m);
    // Acme pays 12, 12, 15 and 40 days late; Slow has one paid invoice; Gone has no open one.
    for (n, late) in [12, 12, 15, 40].into_iter().enumerate() {
        let d = due(u32::try_from(n).unwrap());
        let paid = d + Duration::days(late);
        receivable(store, org.id, &format!("A-{n}"), "Acme", d - Duration::days(30), d, 1_000, Some(paid));
    }
    receivable(
        store,
        org.id,
        "S-1",
        "Slow",
        date!(2025 - 09 - 01),
        date!(2025 - 10 - 01),
        1_000,
        Some(date!(2025 - 10 - 03)),
    );
    receivable(
        store,
        org.id,
        "G-1",
        "Gone",
        date!(2025 - 09 - 01),
        date!(2025 - 10 - 01),
        1_000,
        Some(date!(2025 - 10 - 03)),
    );
    receivable(store, org.id, "A-open", "Acme", date!(2026 - 02 - 01), date!(2026 - 03 - 03), 5_000, None);
    receivable(store, org.id, "S-open", "Slow", date!(2026 - 02 - 01), date!(2026 - 03 - 03), 5_000, None);
    let data = store.forecast_inputs(org.id, &current(TODAY)).unwrap();
    let acme_key = data.open.iter().find(|i| i.open == eur("50.00")).map(|i| i.counterparty_key.clone()).unwrap();
    let delays: Vec<(bool, i64, u64)> =
        data.delays.iter().map(|d| (d.counterparty_key == acme_key, d.delay_days, d.invoices)).collect();
    assert_eq!(
        delays,
        vec![(true, 12, 2), (true, 15, 1), (true, 40, 1), (false, 2, 1)],
        "Gone has nothing open; Slow's single delay is listed"
    );
    // Known on 2025-12-01: Acme's 40-day payment (due 2025-09-10, paid 2025-10-20) is known, the
    // open ones are not issued yet, so no customer has open receivables.
    let then = store.forecast_inputs(org.id, &past(date!(2025 - 12 - 01))).unwrap();
    assert!(then.delays.is_empty() && then.open.is_empty());
    // Known on 2025-09-20 with A-3 (due 2025-09-10) still unpaid: only the first three count.
    let early = store.forecast_inputs(org.id, &past(date!(2025 - 09 - 20))).unwrap();
    let early: Vec<(i64, u64)> = early.delays.iter().map(|d| (d.delay_days, d.invoices)).collect();
    assert_eq!(early, vec![(12, 2), (15, 1)]);
    // Left out when the caller holds them.
    let without = store.forecast_inputs(org.id, &ForecastQuery { read_delays: false, ..current(TODAY) }).unwrap();
    assert!(without.delays.is_empty());
    assert_eq!(without.open, data.open, "everything else is read as before");
    // Every customer's delays, open receivables or not (what the forecast keeps for the day):
    // Gone's too; and the window's ends count.
    let all = store.payment_delays(org.id, TODAY - Duration::days(365), TODAY).unwrap();
    let mut by_customer: Vec<(i64, u64)> = all.iter().map(|d| (d.delay_days, d.invoices)).collect();
    by_customer.sort_unstable();
    assert_eq!(by_customer, vec![(2, 1), (2, 1), (12, 2), (15, 1), (40, 1)]);
    assert_eq!(all.iter().filter(|d| d.counterparty_key == acme_key).count(), 3);
    let window = store.payment_delays(org.id, date!(2025 - 08 - 10), date!(2025 - 10 - 02)).unwrap();
    let window: Vec<(i64, u64)> = window.iter().map(|d| (d.delay_days, d.invoices)).collect();
    assert_eq!(window, vec![(15, 1)], "A-2 is due on the first day; A-3, S-1 and G-1 are paid after the last");
    let window = store.payment_delays(org.id, date!(2025 - 08 - 10), date!(2025 - 10 - 03)).unwrap();
    let mut window: Vec<(i64, u64)> = window.iter().map(|d| (d.delay_days, d.invoices)).collect();
    window.sort_unstable();
    assert_eq!(window, vec![(2, 1), (2, 1), (15, 1)], "S-1 and G-1 are paid on the last day");
}

fn booking(id: &str, amount: Money, name: &str, iban: Option<&str>, day: Date) -> BankTransaction {
    BankTransaction::new(NewBankTransaction {
        provider_id: ProviderId::parse(id).unwrap(),
        account_provider_id: ProviderId::parse("main").unwrap(),
        amount,
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

/// Candidates of recurring flows repeat in the range, leave out own transfers and other
/// organisations; daily money in and out leaves out own transfers.
pub fn forecast_occurrences_and_daily_net<S: ForecastStore>(store: &S) {
    let (org, _) = register(store, "forecast-flows@example.be");
    let (other, _) = register(store, "forecast-flows-other@example.be");
    let own = "BE68539007547034";
    let landlord = "BE71096123456769";
    let (main, _) = store
        .upsert_bank_account(org.id, BankSource::Ponto, &account("main", Some(own), eur("5000.00"), Some(NOW)), NOW)
        .unwrap();
    let mut rows = Vec::new();
    for m in 0..6u32 {
        let day = billify_domain::forecast::add_months(date!(2025 - 09 - 01), m);
        rows.push(booking(&format!("rent-{m}"), eur("-1500.00"), "Landlord", Some(landlord), day));
        rows.push(booking(&format!("own-{m}"), eur("-100.00"), "Savings", Some(own), day));
    }
    rows.push(booking("once", eur("-75.00"), "Shop", None, date!(2026 - 01 - 15)));
    rows.push(booking("sales-1", eur("400.00"), "Client NV", None, date!(2026 - 01 - 15)));
    rows.push(booking("sales-2", eur("410.00"), "CLIENT N.V.", None, date!(2026 - 02 - 15)));
    store.upsert_bank_transactions(org.id, main, &rows, NOW).unwrap();
    let (theirs, _) = store
        .upsert_bank_account(other.id, BankSource::Ponto, &account("main", None, usd("1.00"), Some(NOW)), NOW)
        .unwrap();
    let their_rows: Vec<_> = (0..4u32)
        .map(|m| {
            let day = billify_domain::forecast::add_months(date!(2025 - 10 - 01), m);
            booking(&format!("t-{m}"), usd("-9.00"), "Landlord", Some(landlord), day)
        })
        .collect();
    store.upsert_bank_transactions(other.id, theirs, &their_rows, NOW).unwrap();

    let found = store.flow_occurrences(org.id, date!(2025 - 01 - 01), TODAY).unwrap();
    let rent = found.iter().filter(|o| o.counterparty_account.as_deref() == Some(landlord)).count();
    assert_eq!(rent, 6, "{found:?}");
    assert!(found.iter().all(|o| o.currency == Currency::EUR), "scoped by organisation");
    assert!(found.iter().all(|o| o.counterparty_account.as_deref() != Some(own)), "own transfers left out");
    assert!(found.iter().all(|o| o.counterparty_name.as_deref() != Some("Shop")), "a single payment is no candidate");
    let series = detect_series(&found, TODAY);
    assert_eq!(series.len(), 1, "{series:?}");
    assert_eq!((series[0].recurrence, series[0].amount_minor), (Recurrence::Monthly, -150_000));
    assert_eq!(series[0].next_date, date!(2026 - 03 - 03), "due on the 1st, late: tomorrow");
    let window = store.flow_occurrences(org.id, date!(2025 - 12 - 15), TODAY).unwrap();
    assert_eq!(window.iter().filter(|o| o.counterparty_account.as_deref() == Some(landlord)).count(), 2);

    let net = store.daily_net(org.id, date!(2026 - 01 - 01), date!(2026 - 01 - 31)).unwrap();
    let net: Vec<(Date, i64, i64)> = net.iter().map(|d| (d.date, d.in_minor, d.out_minor)).collect();
    assert_eq!(net, vec![(date!(2026 - 01 - 01), 0, -150_000), (date!(2026 - 01 - 15), 40_000, -7_500)]);
}

pub(super) fn detected(id: &str, amount: i64, next: Date) -> DetectedSeries {
    DetectedSeries {
        id: id.to_owned(),
        counterparty_key: format!("name:{id}"),
        counterparty_name: Some(id.to_owned()),
        currency: Currency::EUR,
        recurrence: Recurrence::Monthly,
        amount_minor: amount,
        spread_minor: 10,
        occurrences: 4,
        first_date: date!(2025 - 11 - 01),
        last_date: date!(2026 - 02 - 01),
        next_date: next,
    }
}

/// Detections replace undecided series and keep decisions; decisions are scoped by organisation.
pub fn forecast_series_keep_their_decisions<S: ForecastStore>(store: &S) {
    let (org, user) = register(store, "forecast-series@example.be");
    let (other, intruder) = register(store, "forecast-series-other@example.be");
    assert_eq!(store.recurring_series(org.id).unwrap(), (None, Vec::new()));
    let first = [detected("rent", -100, date!(2026 - 03 - 03)), detected("gym", -5, date!(2026 - 03 - 10))];
    store.store_detected_series(org.id, date!(2026 - 03 - 01), &first).unwrap();
    let (on, stored) = store.recurring_series(org.id).unwrap();
    assert_eq!(on, Some(date!(2026 - 03 - 01)));
    assert_eq!(stored.iter().map(|s| s.series.clone()).collect::<Vec<_>>(), vec![first[1].clone(), first[0].clone()]);
    assert!(stored.iter().all(|s| s.status == SeriesStatus::Detected && s.decided_at.is_none()));

    let decided = store.decide_series(org.id, "rent", SeriesStatus::Dismissed, user.id, NOW, &noted()).unwrap();
    assert_eq!((decided.status, decided.decided_by), (SeriesStatus::Dismissed, Some(user.id)));
    assert_eq!(decided.decided_at, Some(NOW));
    assert!(matches!(
        store.decide_series(other.id, "gym", SeriesStatus::Confirmed, intruder.id, NOW, &noted()),
        Err(RepositoryError::NotFound)
    ));
    assert!(matches!(
        store.decide_series(org.id, "nothing", SeriesStatus::Confirmed, user.id, NOW, &noted()),
        Err(RepositoryError::NotFound)
    ));

    // The next detection finds rent again (new amount) and no longer the gym nor anything new.
    let second = [detected("rent", -120, date!(2026 - 04 - 03))];
    store.store_detected_series(org.id, date!(2026 - 03 - 02), &second).unwrap();
    let (on, stored) = store.recurring_series(org.id).unwrap();
    assert_eq!(on, Some(date!(2026 - 03 - 02)));
    assert_eq!(stored.len(), 1, "the undecided gym is gone");
    assert_eq!(stored[0].series, second[0]);
    assert_eq!(stored[0].status, SeriesStatus::Dismissed, "the decision stays");
    // A decided series stays even when detection no longer finds it.
    store.store_detected_series(org.id, date!(2026 - 03 - 03), &[]).unwrap();
    assert_eq!(store.recurring_series(org.id).unwrap().1.len(), 1);
    assert_eq!(store.recurring_series(other.id).unwrap(), (None, Vec::new()));
}
