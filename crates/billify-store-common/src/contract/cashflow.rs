//! The contract of [`CashflowRepository`], run by both backends with
//! [`cashflow_contract_tests!`](crate::cashflow_contract_tests).
//!
//! The store's SQL must agree with the domain's rules (`billify_domain::cashflow`): the open-item
//! test builds a few hundred documents from a seeded generator and compares every group the
//! store computes with the same figures computed by the domain functions.

use std::collections::BTreeMap;

use billify_domain::cashflow::{settle_credit, signed, urgency_of};
use billify_domain::{
    BankAccount, BankTransaction, Counterparty, Currency, Direction, Iban, Interval, Invoice, InvoiceId, InvoiceKind,
    InvoiceNumber, InvoiceSource, InvoiceStatus, Money, NewBankAccount, NewBankTransaction, NewInvoice, OrganisationId,
    ProviderId, RemittanceType, UrgencyLevel,
};
use billify_ports::bank::BankSource;
use billify_ports::cashflow::{CashflowData, CashflowQuery, CashflowRepository, OpenGroup, PeriodFlow, VatTotals};
use billify_ports::reconciliation::{ReconciliationOutcome, ReconciliationRepository, StoredMatch};
use time::macros::date;
use time::{Date, Duration};
use uuid::Uuid;

use super::Store;
use super::fixtures::{NOW, TODAY, audit_entry, bank_account, bank_transaction, eur, register};

mod bulk_load;
pub use self::bulk_load::cashflow_kept_sums_after_a_bulk_load;

/// Everything the cash position needs of a store.
pub trait CashflowStore: Store + CashflowRepository {}
impl<T> CashflowStore for T where T: Store + CashflowRepository {}

/// Generates one `#[test]` per cash-position contract case, like
/// [`repository_contract_tests!`](crate::repository_contract_tests).
#[macro_export]
macro_rules! cashflow_contract_tests {
    ($make:expr) => {
        $crate::cashflow_contract_tests!(@cases $make;
            cashflow_balances_and_flows_leave_out_own_transfers,
            cashflow_own_transfers_follow_the_accounts_and_transactions,
            cashflow_flows_group_by_day_week_and_month,
            cashflow_open_items_follow_the_domain_rules,
            cashflow_upcoming_lists_the_next_open_invoices,
            cashflow_vat_of_the_period,
            cashflow_kept_sums_follow_every_write,
            cashflow_kept_sums_after_a_bulk_load,
            cashflow_is_scoped_by_organisation,
        );
    };
    (@cases $make:expr; $($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                let fixture = $make;
                $crate::contract::cashflow::$case(fixture.store());
            }
        )*
    };
}

pub(super) fn usd(s: &str) -> Money {
    Money::parse(s, Currency::parse("USD").unwrap()).unwrap()
}

const OWN_A: &str = "BE68539007547034";
const OWN_B: &str = "NL91ABNA0417164300";
const STRANGER: &str = "BE71096123456769";

pub(super) fn account(
    provider: &str,
    iban: Option<&str>,
    balance: Money,
    synced: Option<time::OffsetDateTime>,
) -> BankAccount {
    BankAccount::new(NewBankAccount {
        provider_id: ProviderId::parse(provider).unwrap(),
        iban: iban.map(|i| Iban::parse(i).unwrap()),
        currency: balance.currency(),
        current_balance: balance,
        available_balance: None,
        holder_name: Some("Bloc Group BV".into()),
        institution_name: Some("Belfius".into()),
        description: None,
        authorization_expires_at: None,
        synchronized_at: synced,
    })
    .unwrap()
}

pub(super) fn transaction(
    id: &str,
    account: &str,
    amount: Money,
    counterparty: Option<&str>,
    day: Date,
) -> BankTransaction {
    BankTransaction::new(NewBankTransaction {
        provider_id: ProviderId::parse(id).unwrap(),
        account_provider_id: ProviderId::parse(account).unwrap(),
        amount,
        counterparty_name: Some("Someone".into()),
        counterparty_account: counterparty.map(str::to_owned),
        remittance_information: None,
        remittance_type: RemittanceType::Unstructured,
        description: None,
        execution_date: day,
        value_date: None,
        bank_transaction_code: None,
        bank_reference: None,
    })
}

fn query(from: Date, to: Date, interval: Interval) -> CashflowQuery {
    CashflowQuery {
        today: TODAY,
        flows_from: from,
        flows_to: to,
        interval,
        vat_from: date!(2026 - 01 - 01),
        vat_to: date!(2026 - 03 - 31),
        upcoming: 5,
    }
}

/// Three accounts (two in EUR that transfer to each other, one in USD) with transactions in
/// March 2026 (the 2nd is a Monday), and one transaction outside the range.
fn bank_data<S: CashflowStore>(store: &S, org: OrganisationId) {
    let stale = Some(NOW - Duration::days(3));
    let (a, _) = store
        .upsert_bank_account(org, BankSource::Ponto, &account("a", Some(OWN_A), eur("1000.50"), Some(NOW)), NOW)
        .unwrap();
    let (b, _) = store
        .upsert_bank_account(org, BankSource::Ponto, &account("b", Some(OWN_B), eur("-200.25"), stale), NOW)
        .unwrap();
    let (c, _) =
        store.upsert_bank_account(org, BankSource::Statement, &account("c", None, usd("7.00"), None), NOW).unwrap();
    let a_rows = [
        transaction("a1", "a", eur("100.00"), Some(STRANGER), date!(2026 - 03 - 02)),
        transaction("a2", "a", eur("-40.10"), None, date!(2026 - 03 - 03)),
        transaction("a3", "a", eur("-500.00"), Some(OWN_B), date!(2026 - 03 - 04)),
        transaction("a4", "a", eur("12.00"), Some("not an iban"), date!(2026 - 03 - 09)),
        transaction("a5", "a", eur("999.00"), None, date!(2026 - 02 - 27)),
    ];
    store.upsert_bank_transactions(org, a, &a_rows, NOW).unwrap();
    let b_rows = [
        transaction("b1", "b", eur("500.00"), Some(OWN_A), date!(2026 - 03 - 04)),
        transaction("b2", "b", eur("-20.00"), Some(STRANGER), date!(2026 - 03 - 10)),
    ];
    store.upsert_bank_transactions(org, b, &b_rows, NOW).unwrap();
    store
        .upsert_bank_transactions(org, c, &[transaction("c1", "c", usd("7.00"), None, date!(2026 - 03 - 02))], NOW)
        .unwrap();
}

fn flow(day: Date, money_in: Money, money_out: Money, count_in: u64, count_out: u64) -> PeriodFlow {
    PeriodFlow { period_start: day, money_in, money_out, count_in, count_out }
}

/// Balances are summed per currency, every account is listed with its synchronisation time, and
/// transfers between the organisation's own accounts count neither in nor out.
pub fn cashflow_balances_and_flows_leave_out_own_transfers<S: CashflowStore>(store: &S) {
    let (org, _) = register(store, "anna@example.be");
    bank_data(store, org.id);
    let data = store.cashflow(org.id, &query(date!(2026 - 03 - 01), date!(2026 - 03 - 10), Interval::Day)).unwrap();
    assert_eq!(data.balances, vec![eur("800.25"), usd("7.00")]);
    assert_eq!(data.accounts.len(), 3);
    let eur_accounts: Vec<_> = data.accounts.iter().filter(|a| a.balance.currency() == Currency::EUR).collect();
    assert_eq!(eur_accounts.len(), 2);
    let a = data.accounts.iter().find(|a| a.iban.as_deref() == Some(OWN_A)).unwrap();
    assert_eq!(
        (a.balance.clone(), a.synchronized_at, a.name.as_deref()),
        (eur("1000.50"), Some(NOW), Some("Bloc Group BV"))
    );
    assert_eq!(a.institution.as_deref(), Some("Belfius"));
    assert_eq!(data.accounts.last().unwrap().balance, usd("7.00"), "ordered by currency");
    assert_eq!(data.accounts.last().unwrap().synchronized_at, None);
    assert_eq!(
        data.flows,
        vec![
            flow(date!(2026 - 03 - 02), eur("100.00"), eur("0"), 1, 0),
            flow(date!(2026 - 03 - 02), usd("7.00"), usd("0"), 1, 0),
            flow(date!(2026 - 03 - 03), eur("0"), eur("-40.10"), 0, 1),
            flow(date!(2026 - 03 - 09), eur("12.00"), eur("0"), 1, 0),
            flow(date!(2026 - 03 - 10), eur("0"), eur("-20.00"), 0, 1),
        ]
    );
}

/// Which transfers are the organisation's own follows its accounts as they are now (the sums
/// the database keeps, migration `000036`): a transaction added or changed later counts by its
/// new counterparty, an account added later makes its IBAN's past transactions own transfers,
/// and an account that loses its IBAN gives them back.
pub fn cashflow_own_transfers_follow_the_accounts_and_transactions<S: CashflowStore>(store: &S) {
    let (org, _) = register(store, "anna@example.be");
    bank_data(store, org.id);
    let (a, _) = store
        .upsert_bank_account(org.id, BankSource::Ponto, &account("a", Some(OWN_A), eur("1000.50"), Some(NOW)), NOW)
        .unwrap();
    let a_rows = [
        transaction("a1", "a", eur("150.00"), Some(STRANGER), date!(2026 - 03 - 02)),
        transaction("a6", "a", eur("100.00"), Some(STRANGER), date!(2026 - 03 - 05)),
    ];
    store.upsert_bank_transactions(org.id, a, &a_rows, NOW).unwrap();
    let flows = |store: &S| {
        store.cashflow(org.id, &query(date!(2026 - 03 - 01), date!(2026 - 03 - 10), Interval::Day)).unwrap().flows
    };
    let with_stranger = vec![
        flow(date!(2026 - 03 - 02), eur("150.00"), eur("0"), 1, 0),
        flow(date!(2026 - 03 - 02), usd("7.00"), usd("0"), 1, 0),
        flow(date!(2026 - 03 - 03), eur("0"), eur("-40.10"), 0, 1),
        flow(date!(2026 - 03 - 05), eur("100.00"), eur("0"), 1, 0),
        flow(date!(2026 - 03 - 09), eur("12.00"), eur("0"), 1, 0),
        flow(date!(2026 - 03 - 10), eur("0"), eur("-20.00"), 0, 1),
    ];
    assert_eq!(flows(store), with_stranger, "a changed and a new transaction");

    let d = account("d", Some(STRANGER), eur("0.00"), None);
    store.upsert_bank_account(org.id, BankSource::Statement, &d, NOW).unwrap();
    let stranger_own = vec![
        flow(date!(2026 - 03 - 02), usd("7.00"), usd("0"), 1, 0),
        flow(date!(2026 - 03 - 03), eur("0"), eur("-40.10"), 0, 1),
        flow(date!(2026 - 03 - 09), eur("12.00"), eur("0"), 1, 0),
    ];
    assert_eq!(flows(store), stranger_own, "an account added later owns its IBAN's past transfers");
    // A sync that updates the account's balance changes nothing.
    let d = account("d", Some(STRANGER), eur("10.00"), Some(NOW));
    store.upsert_bank_account(org.id, BankSource::Statement, &d, NOW).unwrap();
    assert_eq!(flows(store), stranger_own);

    let d = account("d", None, eur("10.00"), Some(NOW));
    store.upsert_bank_account(org.id, BankSource::Statement, &d, NOW).unwrap();
    assert_eq!(flows(store), with_stranger, "an account without its IBAN no longer owns its transfers");

    let a_rows = [transaction("a1", "a", eur("150.00"), Some(OWN_B), date!(2026 - 03 - 02))];
    store.upsert_bank_transactions(org.id, a, &a_rows, NOW).unwrap();
    assert_eq!(flows(store)[0], flow(date!(2026 - 03 - 02), usd("7.00"), usd("0"), 1, 0), "a1 became an own transfer");
    assert_eq!(flows(store).len(), 5);
}

/// Weeks start on Mondays and months on the 1st, whatever the range's first day; the range's
/// bounds are inclusive.
pub fn cashflow_flows_group_by_day_week_and_month<S: CashflowStore>(store: &S) {
    let (org, _) = register(store, "anna@example.be");
    bank_data(store, org.id);
    let weeks = store.cashflow(org.id, &query(date!(2026 - 02 - 27), date!(2026 - 03 - 09), Interval::Week)).unwrap();
    assert_eq!(
        weeks.flows,
        vec![
            flow(date!(2026 - 02 - 23), eur("999.00"), eur("0"), 1, 0),
            flow(date!(2026 - 03 - 02), eur("100.00"), eur("-40.10"), 1, 1),
            flow(date!(2026 - 03 - 02), usd("7.00"), usd("0"), 1, 0),
            flow(date!(2026 - 03 - 09), eur("12.00"), eur("0"), 1, 0),
        ]
    );
    let months = store.cashflow(org.id, &query(date!(2026 - 02 - 01), date!(2026 - 03 - 31), Interval::Month)).unwrap();
    assert_eq!(
        months.flows,
        vec![
            flow(date!(2026 - 02 - 01), eur("999.00"), eur("0"), 1, 0),
            flow(date!(2026 - 03 - 01), eur("112.00"), eur("-60.10"), 2, 2),
            flow(date!(2026 - 03 - 01), usd("7.00"), usd("0"), 1, 0),
        ]
    );
    let one_day = store.cashflow(org.id, &query(date!(2026 - 03 - 04), date!(2026 - 03 - 04), Interval::Day)).unwrap();
    assert!(one_day.flows.is_empty(), "a day with only an own transfer has no flow");
}

/// A small seeded generator, so the documents are many and varied but the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

struct Doc {
    direction: Direction,
    kind: InvoiceKind,
    corrects: Option<InvoiceId>,
    currency: Currency,
    total_cents: i64,
    paid_cents: i64,
    due_in_days: i64,
    manual: Option<UrgencyLevel>,
    vat_cents: Option<i64>,
    issue_date: Date,
}

fn store_doc<S: CashflowStore>(store: &S, org: OrganisationId, n: usize, d: Doc) -> Invoice {
    let (invoice, events) = make_doc(org, n, d);
    store.insert(&invoice, &events).unwrap();
    invoice
}

fn make_doc(org: OrganisationId, n: usize, d: Doc) -> (Invoice, Vec<billify_domain::InvoiceEvent>) {
    let m = |cents: i64| Money::from_minor_units(cents, d.currency).unwrap();
    let due = TODAY + Duration::days(d.due_in_days);
    let new = NewInvoice {
        direction: d.direction,
        kind: d.kind,
        corrects: d.corrects,
        invoice_number: InvoiceNumber::parse(&format!("DOC-{n:04}")).unwrap(),
        counterparty: Counterparty::new(&format!("Party {}", n % 7), None, None, None).unwrap(),
        issue_date: d.issue_date.min(due),
        due_date: due,
        subtotal: d.vat_cents.map(|v| m(d.total_cents - v)),
        vat_amount: d.vat_cents.map(m),
        total: m(d.total_cents),
        amount_paid: Some(m(d.paid_cents)),
        manual_urgency: d.manual,
        payment_reference: None,
        source: InvoiceSource::Manual,
        external_reference: None,
    };
    Invoice::create(InvoiceId::from_uuid(Uuid::now_v7()), org, new, NOW, TODAY).unwrap()
}

/// Invoices in both directions and two currencies, partly paid, and credit notes that correct
/// them (partly, fully, beyond what is open, refunded, in another currency or direction), that
/// correct a deleted invoice, or that correct nothing.
pub(super) fn documents<S: CashflowStore>(store: &S, org: OrganisationId, seed: u64) -> Vec<Invoice> {
    document_set(org, seed)
        .into_iter()
        .map(|(invoice, events)| {
            store.insert(&invoice, &events).unwrap();
            invoice
        })
        .collect()
}

/// The documents of [`documents`], made but not stored, with the events of their creation.
fn document_set(org: OrganisationId, seed: u64) -> Vec<(Invoice, Vec<billify_domain::InvoiceEvent>)> {
    let mut rng = Rng(seed);
    let mut docs: Vec<(Invoice, Vec<billify_domain::InvoiceEvent>)> = Vec::new();
    let usd = Currency::parse("USD").unwrap();
    for n in 0..120 {
        let total = 100 + rng.next(100_000) as i64;
        let paid = match rng.next(4) {
            0 => total,
            1 => rng.next(total as u64) as i64,
            _ => 0,
        };
        let vat_cents = if rng.next(5) == 0 { None } else { Some(total * 21 / 121) };
        let doc = Doc {
            direction: if rng.next(2) == 0 { Direction::Receivable } else { Direction::Payable },
            kind: InvoiceKind::Invoice,
            corrects: None,
            currency: if rng.next(4) == 0 { usd } else { Currency::EUR },
            total_cents: total,
            paid_cents: paid,
            due_in_days: rng.next(120) as i64 - 60,
            manual: if rng.next(8) == 0 { Some(UrgencyLevel::ALL[rng.next(5) as usize]) } else { None },
            vat_cents,
            issue_date: date!(2025 - 12 - 01) + Duration::days(rng.next(150) as i64),
        };
        docs.push(make_doc(org, n, doc));
    }
    for n in 120..180 {
        let target = docs[rng.next(120) as usize].0.clone();
        let total = match rng.next(4) {
            0 => target.total().to_minor_units().unwrap(),
            1 => target.total().to_minor_units().unwrap() + 1 + rng.next(5_000) as i64,
            _ => 50 + rng.next(target.total().to_minor_units().unwrap() as u64) as i64,
        };
        let corrects = match rng.next(8) {
            0 => None,
            1 => Some(InvoiceId::from_uuid(Uuid::now_v7())),
            _ => Some(target.id()),
        };
        let doc = Doc {
            direction: if rng.next(6) == 0 { Direction::Receivable } else { target.direction() },
            kind: InvoiceKind::CreditNote,
            corrects,
            currency: if rng.next(6) == 0 { usd } else { target.currency() },
            total_cents: total,
            paid_cents: if rng.next(5) == 0 { total } else { 0 },
            due_in_days: rng.next(120) as i64 - 60,
            manual: if rng.next(8) == 0 { Some(UrgencyLevel::High) } else { None },
            vat_cents: Some(total * 21 / 121),
            issue_date: date!(2025 - 12 - 01) + Duration::days(rng.next(150) as i64),
        };
        docs.push(make_doc(org, n, doc));
    }
    docs
}

type GroupKey = (&'static str, Currency, UrgencyLevel);

/// Per (direction, currency, level): count, amount, overdue count, overdue amount.
type OpenFigures = BTreeMap<(String, String, UrgencyLevel), (u64, Money, u64, Money)>;

/// The open groups the domain rules give for `docs`.
fn expected_open(docs: &[Invoice]) -> OpenFigures {
    let open_note = |n: &Invoice| n.kind() == InvoiceKind::CreditNote && n.status() != InvoiceStatus::Paid;
    let mut items: Vec<(GroupKey, Date, Money)> = Vec::new();
    for inv in docs.iter().filter(|d| d.kind() == InvoiceKind::Invoice) {
        let notes: Vec<&Invoice> =
            docs.iter().filter(|n| open_note(n) && billify_domain::cashflow::credits(n, inv)).collect();
        let s = settle_credit(inv, &notes).unwrap();
        if inv.status() != InvoiceStatus::Paid && s.invoice_open.is_positive() {
            let level = urgency_of(inv.due_date(), inv.manual_urgency(), TODAY);
            items.push((
                (inv.direction().code(), inv.currency(), level),
                inv.due_date(),
                signed(inv.direction(), InvoiceKind::Invoice, &s.invoice_open),
            ));
        }
    }
    // Credit notes linked to an id, grouped as the store groups them.
    let mut linked: BTreeMap<(InvoiceId, &'static str, Currency), Vec<&Invoice>> = BTreeMap::new();
    for note in docs.iter().filter(|n| open_note(n)) {
        match note.corrects() {
            Some(id) => linked.entry((id, note.direction().code(), note.currency())).or_default().push(note),
            None => {
                let level = urgency_of(note.due_date(), note.manual_urgency(), TODAY);
                items.push((
                    (note.direction().code(), note.currency(), level),
                    note.due_date(),
                    signed(note.direction(), InvoiceKind::CreditNote, &note.open_amount()),
                ));
            }
        }
    }
    for ((id, _, _), notes) in linked {
        let target =
            docs.iter().find(|d| d.id() == id && notes.iter().all(|n| billify_domain::cashflow::credits(n, d)));
        let left = match target {
            Some(inv) => settle_credit(inv, &notes).unwrap().credit_left,
            None => {
                notes.iter().fold(Money::zero(notes[0].currency()), |acc, n| acc.checked_add(&n.open_amount()).unwrap())
            }
        };
        if left.is_positive() {
            let due = notes.iter().map(|n| n.due_date()).min().unwrap();
            let d = notes[0].direction();
            items.push((
                (d.code(), notes[0].currency(), urgency_of(due, None, TODAY)),
                due,
                signed(d, InvoiceKind::CreditNote, &left),
            ));
        }
    }
    let mut groups = BTreeMap::new();
    for ((dir, cur, level), due, amount) in items {
        let zero = Money::zero(cur);
        let e = groups.entry((dir.to_owned(), cur.code().to_owned(), level)).or_insert((0, zero.clone(), 0, zero));
        e.0 += 1;
        e.1 = e.1.checked_add(&amount).unwrap();
        if due < TODAY {
            e.2 += 1;
            e.3 = e.3.checked_add(&amount).unwrap();
        }
    }
    groups
}

fn actual_open(data: &CashflowData) -> OpenFigures {
    data.open
        .iter()
        .map(|g: &OpenGroup| {
            (
                (g.direction.code().to_owned(), g.amount.currency().code().to_owned(), g.level),
                (g.count, g.amount.clone(), g.overdue_count, g.overdue_amount.clone()),
            )
        })
        .collect()
}

/// Open amounts, counts, urgency levels and overdue figures computed in SQL are those of the
/// domain rules: payments, linked credit notes (a full credit closes its invoice, credit beyond
/// what is open is a refund due), signs per direction and kind.
pub fn cashflow_open_items_follow_the_domain_rules<S: CashflowStore>(store: &S) {
    let (org, _) = register(store, "anna@example.be");
    let docs = documents(store, org.id, 0x2545_F491_4F6C_DD1D);
    let data = store.cashflow(org.id, &query(date!(2026 - 03 - 01), date!(2026 - 03 - 02), Interval::Day)).unwrap();
    let expected = expected_open(&docs);
    assert!(expected.len() >= 12, "the data covers many groups: {}", expected.len());
    assert!(expected.keys().any(|(_, _, l)| *l == UrgencyLevel::Overdue));
    assert_eq!(actual_open(&data), expected);
    assert!(data.open.iter().all(|g| g.count > 0 && g.overdue_count <= g.count));
}

/// The next open invoices by due date, net of credit, signed; paid and fully credited invoices
/// are left out; the limit holds; a limit of zero lists nothing.
pub fn cashflow_upcoming_lists_the_next_open_invoices<S: CashflowStore>(store: &S) {
    let (org, _) = register(store, "anna@example.be");
    let docs = documents(store, org.id, 0x9E37_79B9_7F4A_7C15);
    for limit in [0u32, 1, 5, 100] {
        let mut q = query(date!(2026 - 03 - 01), date!(2026 - 03 - 02), Interval::Day);
        q.upcoming = limit;
        let data = store.cashflow(org.id, &q).unwrap();
        for (direction, listed) in
            [(Direction::Receivable, &data.upcoming_receivables), (Direction::Payable, &data.upcoming_payables)]
        {
            let mut expected: Vec<(Date, Uuid, Money)> = docs
                .iter()
                .filter(|d| d.kind() == InvoiceKind::Invoice && d.direction() == direction)
                .filter(|d| d.status() != InvoiceStatus::Paid)
                .filter_map(|inv| {
                    let notes: Vec<&Invoice> = docs
                        .iter()
                        .filter(|n| n.status() != InvoiceStatus::Paid && billify_domain::cashflow::credits(n, inv))
                        .collect();
                    let open = settle_credit(inv, &notes).unwrap().invoice_open;
                    open.is_positive()
                        .then(|| (inv.due_date(), *inv.id().as_uuid(), signed(direction, InvoiceKind::Invoice, &open)))
                })
                .collect();
            expected.sort_by_key(|(due, id, _)| (*due, *id));
            expected.truncate(limit as usize);
            let got: Vec<(Date, Uuid, Money)> =
                listed.iter().map(|i| (i.due_date, *i.id.as_uuid(), i.open.clone())).collect();
            assert_eq!(got, expected, "{direction:?} limit {limit}");
            for item in listed.iter() {
                let doc = docs.iter().find(|d| d.id() == item.id).unwrap();
                assert_eq!(item.invoice_number, doc.invoice_number().as_str());
                assert_eq!(item.counterparty_name, doc.counterparty().name());
                assert_eq!(&item.total, doc.total());
                assert_eq!(item.manual_urgency, doc.manual_urgency());
                assert_eq!(item.direction, direction);
            }
        }
    }
}

/// The VAT per currency the rules give for the documents of `docs` issued from `from` to `to`.
fn expected_vat(docs: &[Invoice], from: Date, to: Date) -> BTreeMap<String, VatTotals> {
    let mut expected: BTreeMap<String, VatTotals> = BTreeMap::new();
    for d in docs.iter().filter(|d| (from..=to).contains(&d.issue_date())) {
        let zero = Money::zero(d.currency());
        let e = expected.entry(d.currency().code().to_owned()).or_insert(VatTotals {
            on_sales: zero.clone(),
            on_purchases: zero,
            documents: 0,
            without_vat: 0,
        });
        e.documents += 1;
        match d.vat_amount() {
            None => e.without_vat += 1,
            Some(vat) => {
                let v = if d.kind() == InvoiceKind::Invoice { vat.clone() } else { vat.negated() };
                match d.direction() {
                    Direction::Receivable => e.on_sales = e.on_sales.checked_add(&v).unwrap(),
                    Direction::Payable => e.on_purchases = e.on_purchases.checked_add(&v).unwrap(),
                }
            }
        }
    }
    expected
}

/// VAT on sales minus VAT on purchases of the documents issued in the period (bounds
/// inclusive), credit notes negative, documents without VAT counted apart.
pub fn cashflow_vat_of_the_period<S: CashflowStore>(store: &S) {
    let (org, _) = register(store, "anna@example.be");
    let docs = documents(store, org.id, 0xD1B5_4A32_D192_ED03);
    let (from, to) = (date!(2026 - 01 - 01), date!(2026 - 03 - 31));
    let data = store.cashflow(org.id, &query(from, to, Interval::Month)).unwrap();
    let expected = expected_vat(&docs, from, to);
    let got: BTreeMap<String, VatTotals> = data.vat.into_iter().map(|(c, v)| (c.code().to_owned(), v)).collect();
    assert_eq!(got.len(), 2, "EUR and USD");
    assert!(got.values().all(|v| v.without_vat > 0 && v.documents > v.without_vat));
    assert_eq!(got, expected);
}

/// The open amounts and the VAT the database keeps as documents are written (migration
/// `000036`) stay equal to what the domain rules compute from the stored documents after every
/// kind of write: inserts, changed due dates, urgency, issue dates and VAT, payments, new credit
/// notes (full, partial, in another currency), deletions of invoices and of credit notes, a
/// reconciliation match that pays an invoice and its undo, and deleting everything.
pub fn cashflow_kept_sums_follow_every_write<S: CashflowStore + ReconciliationRepository>(store: &S) {
    let (org, user) = register(store, "anna@example.be");
    let (from, to) = (date!(2026 - 01 - 01), date!(2026 - 03 - 31));
    let mut ids: Vec<InvoiceId> = documents(store, org.id, 0x5851_F42D_4C95_7F2D).iter().map(Invoice::id).collect();
    let current =
        |ids: &[InvoiceId]| -> Vec<Invoice> { ids.iter().filter_map(|id| store.get(org.id, *id).unwrap()).collect() };
    let check = |ids: &[InvoiceId], step: &str| {
        let docs = current(ids);
        let data = store.cashflow(org.id, &query(from, to, Interval::Month)).unwrap();
        assert_eq!(actual_open(&data), expected_open(&docs), "open items after {step}");
        let vat: BTreeMap<String, VatTotals> = data.vat.into_iter().map(|(c, v)| (c.code().to_owned(), v)).collect();
        assert_eq!(vat, expected_vat(&docs, from, to), "VAT after {step}");
    };
    let save = |next: &mut Invoice, events: Vec<billify_domain::InvoiceEvent>| {
        next.advance_version(NOW);
        store.update(next, &events).unwrap();
    };
    check(&ids, "the inserts");

    let mut rng = Rng(0xA076_1D64_78BD_642F);
    let open_invoices = |ids: &[InvoiceId]| -> Vec<Invoice> {
        current(ids)
            .into_iter()
            .filter(|d| d.kind() == InvoiceKind::Invoice && d.status() != InvoiceStatus::Paid)
            .collect()
    };
    for (n, mut inv) in open_invoices(&ids).into_iter().enumerate().filter(|(n, _)| n % 3 == 0) {
        let due = inv.due_date() + Duration::days(rng.next(40) as i64 - 20);
        let patch = billify_domain::InvoicePatch {
            due_date: Some(due),
            issue_date: Some((inv.issue_date() - Duration::days(rng.next(20) as i64)).min(due)),
            manual_urgency: Some(if n % 2 == 0 { Some(UrgencyLevel::Low) } else { None }),
            subtotal: (n % 4 == 0).then_some(None),
            vat_amount: (n % 4 == 0).then_some(None),
            ..Default::default()
        };
        let events = inv.apply(patch, NOW, TODAY).unwrap();
        save(&mut inv, events);
    }
    check(&ids, "changed due dates, urgency, issue dates and VAT");

    let payable_docs: Vec<Invoice> = current(&ids)
        .into_iter()
        .filter(|d| d.status() != InvoiceStatus::Paid && d.open_amount().is_positive())
        .collect();
    for (n, mut doc) in payable_docs.into_iter().enumerate().filter(|(n, _)| n % 4 == 1) {
        let open = doc.open_amount();
        let amount = if n % 3 == 0 {
            open
        } else {
            Money::from_minor_units((open.to_minor_units().unwrap() + 1) / 2, open.currency()).unwrap()
        };
        let events = doc.record_payment(&amount, NOW, TODAY).unwrap();
        save(&mut doc, events);
    }
    check(&ids, "payments");

    let usd = Currency::parse("USD").unwrap();
    for (n, inv) in open_invoices(&ids).into_iter().enumerate().filter(|(n, _)| n % 5 == 2) {
        let open = inv.open_amount().to_minor_units().unwrap();
        let (currency, total) = match n % 3 {
            0 => (inv.currency(), open),
            1 => (inv.currency(), (open + 2) / 3),
            _ => (if inv.currency() == usd { Currency::EUR } else { usd }, 1 + open / 2),
        };
        let doc = Doc {
            direction: inv.direction(),
            kind: InvoiceKind::CreditNote,
            corrects: Some(inv.id()),
            currency,
            total_cents: total,
            paid_cents: 0,
            due_in_days: rng.next(60) as i64 - 30,
            manual: None,
            vat_cents: Some(total * 21 / 121),
            issue_date: date!(2026 - 02 - 01) + Duration::days(rng.next(40) as i64),
        };
        ids.push(store_doc(store, org.id, 1000 + n, doc).id());
    }
    check(&ids, "new credit notes");

    let docs = current(&ids);
    let linked: Vec<&Invoice> =
        docs.iter().filter(|d| d.kind() == InvoiceKind::CreditNote && d.corrects().is_some()).collect();
    for note in linked.iter().step_by(5) {
        let corrected = note.corrects().unwrap();
        if let Some(inv) = docs.iter().find(|d| d.id() == corrected) {
            store.delete(org.id, inv.id(), None, &[inv.deletion_event(NOW)]).unwrap();
        }
    }
    for note in linked.iter().skip(2).step_by(7) {
        if let Some(note) = store.get(org.id, note.id()).unwrap() {
            store.delete(org.id, note.id(), None, &[note.deletion_event(NOW)]).unwrap();
        }
    }
    check(&ids, "deletions of invoices and credit notes");

    // A reconciliation match pays an invoice in full, then is undone.
    let new = |due_in_days| Doc {
        direction: Direction::Receivable,
        kind: InvoiceKind::Invoice,
        corrects: None,
        currency: Currency::EUR,
        total_cents: 12_100,
        paid_cents: 0,
        due_in_days,
        manual: None,
        vat_cents: Some(2_100),
        issue_date: date!(2026 - 02 - 20),
    };
    let invoice = store_doc(store, org.id, 2000, new(10));
    ids.push(invoice.id());
    let (account, _) = store.upsert_bank_account(org.id, BankSource::Statement, &bank_account("0.00"), NOW).unwrap();
    store.upsert_bank_transactions(org.id, account, &[bank_transaction("t-1", "121.00", 2)], NOW).unwrap();
    let transaction = store.transactions_to_reconcile(org.id, 10).unwrap()[0].id;
    let mut after_payment = invoice.clone();
    let events = after_payment.record_payment(&eur("121.00"), NOW, TODAY).unwrap();
    after_payment.advance_version(NOW);
    let made = StoredMatch {
        id: Uuid::now_v7(),
        transaction_id: transaction,
        invoice_id: invoice.id(),
        amount: eur("121.00"),
        overpayment: eur("0.00"),
        explanation: billify_domain::MatchExplanation {
            rule: billify_domain::MatchRule::StructuredReference,
            fields: vec!["structured_reference".into(), "amount".into()],
            score: 100,
        },
        applied_by: None,
        suggestion_id: None,
        created_at: NOW,
        undone_at: None,
        undone_by: None,
    };
    let outcome = ReconciliationOutcome {
        matches: vec![made.clone()],
        invoices: vec![(after_payment.clone(), events)],
        reconciled_transactions: vec![transaction],
        ..Default::default()
    };
    store.save_outcome(org.id, &outcome, NOW).unwrap();
    assert_eq!(store.get(org.id, invoice.id()).unwrap().unwrap().status(), InvoiceStatus::Paid);
    check(&ids, "a reconciliation match");
    let mut restored = after_payment.clone();
    let events = restored.reopen("a reconciliation match was undone", NOW, TODAY).unwrap();
    restored.advance_version(NOW);
    let audit = audit_entry(org.id, billify_ports::AuditAction::MatchUndone);
    store.undo_match(org.id, made.id, &restored, &events, user.id, NOW, &audit).unwrap();
    assert!(store.get(org.id, invoice.id()).unwrap().unwrap().open_amount().is_positive());
    check(&ids, "the undo of a reconciliation match");

    // Everything deleted leaves nothing open and no VAT.
    for doc in current(&ids) {
        store.delete(org.id, doc.id(), None, &[doc.deletion_event(NOW)]).unwrap();
    }
    let data = store.cashflow(org.id, &query(from, to, Interval::Month)).unwrap();
    assert!(data.open.is_empty() && data.vat.is_empty(), "{:?} {:?}", data.open, data.vat);
}

/// Nothing of another organisation counts: not its accounts, transactions, invoices or VAT, and
/// an organisation without data gets empty figures.
pub fn cashflow_is_scoped_by_organisation<S: CashflowStore>(store: &S) {
    let (org, _) = register(store, "anna@example.be");
    let (other, _) = register(store, "bert@example.nl");
    bank_data(store, org.id);
    documents(store, org.id, 7);
    let q = query(date!(2025 - 12 - 01), date!(2026 - 03 - 31), Interval::Month);
    let empty = store.cashflow(other.id, &q).unwrap();
    assert_eq!(empty, CashflowData::default());
    let mine = store.cashflow(org.id, &q).unwrap();
    assert!(!mine.accounts.is_empty() && !mine.flows.is_empty() && !mine.open.is_empty() && !mine.vat.is_empty());
    // The other organisation's own data does not leak into the first one's figures either.
    bank_data(store, other.id);
    documents(store, other.id, 7);
    assert_eq!(store.cashflow(org.id, &q).unwrap(), mine);
}
