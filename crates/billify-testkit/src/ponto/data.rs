//! The generated data: deterministic accounts and transactions from a seed, with valid Belgian
//! IBANs and structured references.

use std::collections::HashMap;

use super::{FakeAccount, FakePontoConfig, FakeTransaction};
use crate::rng::SplitMix64;

/// Whether text is a plain decimal number (`-0.10`, `1234.56`, `7`).
pub(super) fn is_decimal(text: &str) -> bool {
    let body = text.strip_prefix('-').unwrap_or(text);
    let mut parts = body.splitn(2, '.');
    let int = parts.next().unwrap_or_default();
    let frac = parts.next();
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

const HOLDERS: &[&str] = &["Billify BV", "Bloc Group BV", "Atelier Verbeke", "De Smet & Zonen NV"];
const COUNTERPARTS: &[&str] =
    &["Acme NV", "Brouwerij Het Anker", "Proximus NV", "Luminus", "Colruyt Group", "Studio Peeters", "Q8 Belgium"];
const BANKS: &[&str] = &["Super Sandbox Bank", "Fake KBC", "Fake Belfius"];

/// A valid Belgian IBAN from ten random digits (bank code and account number).
fn belgian_iban(rng: &mut SplitMix64) -> String {
    let base = rng.below(10_000_000_000);
    let check = match base % 97 {
        0 => 97,
        r => r,
    };
    let bban = format!("{base:010}{check:02}");
    // ISO 13616: check digits = 98 - (BBAN + "BE00" as digits) mod 97; B = 11, E = 14.
    let numeric = format!("{bban}111400");
    let remainder = numeric.bytes().fold(0u32, |acc, b| (acc * 10 + u32::from(b - b'0')) % 97);
    format!("BE{:02}{bban}", 98 - remainder)
}

/// A valid OGM in the `+++DDD/DDDD/DDDCC+++` notation.
fn ogm(rng: &mut SplitMix64) -> String {
    let payload = rng.below(10_000_000_000);
    let check = match payload % 97 {
        0 => 97,
        r => r,
    };
    let d = format!("{payload:010}{check:02}");
    format!("+++{}/{}/{}+++", &d[..3], &d[3..7], &d[7..])
}

pub(super) fn cents_text(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

pub(super) fn new_transaction(rng: &mut SplitMix64, account_id: &str, date: &str, n: u64) -> FakeTransaction {
    let magnitude = rng.below(400_000) as i64 + 1;
    let cents = magnitude * if rng.below(3) == 0 { 1 } else { -1 };
    transaction_of(rng, account_id, date, n, cents)
}

/// A transaction that is as likely a credit (money in) as a debit.
pub(super) fn new_even_transaction(rng: &mut SplitMix64, account_id: &str, date: &str, n: u64) -> FakeTransaction {
    let magnitude = rng.below(400_000) as i64 + 1;
    let cents = magnitude * if rng.below(2) == 0 { 1 } else { -1 };
    transaction_of(rng, account_id, date, n, cents)
}

fn transaction_of(rng: &mut SplitMix64, account_id: &str, date: &str, n: u64, cents: i64) -> FakeTransaction {
    let structured = rng.below(2) == 0;
    FakeTransaction {
        id: rng.uuid(),
        account_id: account_id.to_owned(),
        amount: cents_text(cents),
        currency: "EUR".into(),
        counterpart_name: Some(rng.pick(COUNTERPARTS).to_owned()),
        counterpart_reference: Some(belgian_iban(rng)),
        remittance_information: Some(if structured { ogm(rng) } else { format!("Factuur 2024-{:04}", n % 10_000) }),
        remittance_information_type: if structured { "structured" } else { "unstructured" }.into(),
        description: if cents > 0 { "Overschrijving" } else { "Europese overschrijving" }.into(),
        execution_date: date.to_owned(),
        value_date: date.to_owned(),
        bank_transaction_code: Some(if cents > 0 { "PMNT-RCDT-ESCT" } else { "PMNT-ICDT-ESCT" }.into()),
    }
}

type Generated = (Vec<(String, String)>, Vec<FakeAccount>, HashMap<String, Vec<FakeTransaction>>);

pub(super) fn generate(rng: &mut SplitMix64, config: &FakePontoConfig) -> Generated {
    let institutions: Vec<(String, String)> = BANKS.iter().map(|name| (rng.uuid(), (*name).to_owned())).collect();
    let mut accounts = Vec::new();
    let mut transactions = HashMap::new();
    let newest = config.newest_date;
    for a in 0..config.accounts {
        let id = rng.uuid();
        let mut list = Vec::new();
        let mut balance: i64 = 0;
        for t in 0..config.transactions_per_account {
            let date = newest.checked_sub(time::Duration::days((t / 2) as i64)).unwrap_or(newest);
            let n = (a * 1000 + t) as u64;
            // A live fake (the demo) has as much money in as out, so its past looks like a going
            // concern's rather than a steady slide.
            let mut tx = if config.live {
                new_even_transaction(rng, &id, &date.to_string(), n)
            } else {
                new_transaction(rng, &id, &date.to_string(), n)
            };
            // Fixed amounts that a float would not carry exactly, first in the first account.
            if a == 0 && t == 0 {
                tx.amount = "1234.56".into();
            } else if a == 0 && t == 1 {
                tx.amount = "-0.10".into();
            }
            balance += parse_cents(&tx.amount);
            list.push(tx);
        }
        let institution = institutions.get(a % institutions.len()).map(|(i, _)| i.clone()).unwrap_or_default();
        accounts.push(FakeAccount {
            id: id.clone(),
            iban: belgian_iban(rng),
            currency: "EUR".into(),
            current_balance: cents_text(opening(config, balance) + balance),
            available_balance: cents_text(opening(config, balance) + balance),
            holder_name: Some(HOLDERS[a % HOLDERS.len()].to_owned()),
            description: format!("Zichtrekening {}", a + 1),
            financial_institution_id: institution,
            authorization_expires_at: timestamp(newest + time::Duration::days(90), "09:00:00.000"),
            synchronized_at: if config.live { now_timestamp() } else { timestamp(newest, "06:00:01.000") },
        });
        transactions.insert(id, list);
    }
    (institutions, accounts, transactions)
}

/// The balance before the generated transactions: 10,000.00; a live fake (the demo) opens
/// with what leaves 25,000.00 after them, so its story starts from a healthy position.
fn opening(config: &FakePontoConfig, transactions: i64) -> i64 {
    if config.live { 2_500_000 - transactions.min(0) } else { 1_000_000 }
}

/// The wall clock as Ponto writes it, for a live fake.
pub(super) fn now_timestamp() -> String {
    let now = time::OffsetDateTime::now_utc();
    timestamp(now.date(), &format!("{:02}:{:02}:{:02}.000", now.hour(), now.minute(), now.second()))
}

/// A UTC timestamp as Ponto writes it, e.g. `2024-03-31T06:00:01.000Z`.
pub(super) fn timestamp(day: time::Date, time_of_day: &str) -> String {
    format!("{day}T{time_of_day}Z")
}

pub(super) fn parse_cents(text: &str) -> i64 {
    let negative = text.starts_with('-');
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let value = digits.parse::<i64>().unwrap_or(0);
    if negative { -value } else { value }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn generated_data_is_deterministic_and_valid() {
        let config = FakePontoConfig::default();
        let (_, a1, t1) = generate(&mut SplitMix64::new(1), &config);
        let (_, a2, t2) = generate(&mut SplitMix64::new(1), &config);
        assert_eq!(a1, a2);
        assert_eq!(t1, t2);
        assert_eq!(a1.len(), 3);
        assert!(t1.values().all(|l| l.len() == 25));
        assert!(a1.iter().all(|a| a.iban.len() == 16 && a.iban.starts_with("BE")));
        assert!(t1.values().flatten().all(|t| is_decimal(&t.amount)));
        assert_eq!(t1[&a1[0].id][0].amount, "1234.56");
    }

    #[test]
    pub(super) fn decimal_text_is_recognised() {
        for ok in ["0", "-0.10", "1234.56", "12345678901234.56"] {
            assert!(is_decimal(ok), "{ok}");
        }
        for bad in ["", "-", "1.", ".5", "1e5", "1,5", "NaN"] {
            assert!(!is_decimal(bad), "{bad}");
        }
    }
}
