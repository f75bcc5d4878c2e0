//! Belgian CODA (Febelfin "Coded statement of account", version 2): fixed-width records of 128
//! characters.
//!
//! Records: `0` header, `1` old balance and account, `21`/`22`/`23` movement (amount, value
//! date, communication, counterparty), `31`/`32`/`33` information, `4` free communication, `8`
//! new balance, `9` trailer. A file may hold several statements (one `0`…`9` group each).
//! Positions below are 1-based, as in the Febelfin specification.
//!
//! One transaction is made per movement (record 21 with detail number 0000); the details of a
//! globalised movement are not split out. Old balance plus the movements must equal the new
//! balance, or the file is refused.

use bigdecimal::BigDecimal;
use billify_domain::{
    BankAccount, BankTransaction, Currency, Iban, Money, NewBankAccount, NewBankTransaction, ProviderId, RemittanceType,
};
use time::{Date, Month};

use crate::{BankFileError, Statement, id_part};

fn err(line: usize, message: impl Into<String>) -> BankFileError {
    BankFileError::Coda { line, message: message.into() }
}

/// One record: its characters and line number.
struct Record {
    line: usize,
    chars: Vec<char>,
}

impl Record {
    /// Positions `from..=to` (1-based, inclusive), untrimmed.
    fn raw(&self, from: usize, to: usize) -> String {
        self.chars.get(from - 1..to).map(|c| c.iter().collect()).unwrap_or_default()
    }

    /// Positions `from..=to`, trimmed; `None` when blank.
    fn text(&self, from: usize, to: usize) -> Option<String> {
        let t = self.raw(from, to).trim().to_owned();
        (!t.is_empty()).then_some(t)
    }

    fn digits(&self, from: usize, to: usize, what: &str) -> Result<String, BankFileError> {
        let raw = self.raw(from, to);
        if raw.chars().all(|c| c.is_ascii_digit()) {
            Ok(raw)
        } else {
            Err(err(self.line, format!("{what} (positions {from}-{to}) must be digits, found {raw:?}")))
        }
    }

    /// A signed amount: sign at `sign` (0 credit, 1 debit), 15 digits with 3 decimals after.
    fn amount(&self, sign: usize, currency: Currency, what: &str) -> Result<Money, BankFileError> {
        let digits = self.digits(sign + 1, sign + 15, what)?;
        let units: BigDecimal = BigDecimal::new(
            digits.parse::<i64>().map_err(|_| err(self.line, format!("{what} is out of range")))?.into(),
            3,
        );
        let signed = match self.raw(sign, sign).as_str() {
            "0" => units,
            "1" => -units,
            other => return Err(err(self.line, format!("{what}: sign must be 0 or 1, found {other:?}"))),
        };
        Money::new(signed, currency).map_err(|e| err(self.line, format!("{what}: {e}")))
    }

    /// A `DDMMYY` date; `000000` means none.
    fn date(&self, from: usize, what: &str) -> Result<Option<Date>, BankFileError> {
        let d = self.digits(from, from + 5, what)?;
        if d == "000000" {
            return Ok(None);
        }
        let num = |r: std::ops::Range<usize>| d.get(r).and_then(|s| s.parse::<u8>().ok()).unwrap_or(0);
        let month = Month::try_from(num(2..4)).map_err(|_| err(self.line, format!("{what}: no month {d:?}")))?;
        Date::from_calendar_date(2000 + i32::from(num(4..6)), month, num(0..2))
            .map(Some)
            .map_err(|_| err(self.line, format!("{what}: {d:?} is not a date")))
    }

    fn kind(&self) -> String {
        self.raw(1, 2)
    }
}

/// Reads every statement of a CODA file (UTF-8 or ISO-8859-1).
pub fn parse_coda(bytes: &[u8]) -> Result<Vec<Statement>, BankFileError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_owned(),
        // CODA files are usually ISO-8859-1, whose bytes are the first 256 code points.
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    };
    let mut records = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        let line_no = i + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let mut chars: Vec<char> = line.chars().collect();
        if chars.len() > 128 {
            return Err(err(line_no, format!("a record has 128 characters, this one {}", chars.len())));
        }
        // Some tools strip trailing blanks; the missing positions are blanks.
        chars.resize(128, ' ');
        records.push(Record { line: line_no, chars });
    }
    if records.is_empty() {
        return Err(err(1, "the file is empty"));
    }
    let mut statements = Vec::new();
    let mut index = 0;
    while index < records.len() {
        let (statement, next) = statement(&records, index)?;
        statements.push(statement);
        index = next;
    }
    Ok(statements)
}

struct Movement {
    record: usize,
    sequence: String,
    amount: Money,
    value_date: Option<Date>,
    entry_date: Option<Date>,
    code: String,
    bank_reference: Option<String>,
    structured: Option<String>,
    communication: String,
    counterparty_account: Option<String>,
    counterparty_name: Option<String>,
}

/// Reads one statement starting at a `0` record; returns it and the index after its `9`.
fn statement(records: &[Record], start: usize) -> Result<(Statement, usize), BankFileError> {
    let header = &records[start];
    if !header.kind().starts_with('0') {
        return Err(err(header.line, format!("expected a header record 0, found {:?}", header.raw(1, 1))));
    }
    let creation = header.date(6, "creation date")?;
    let version = header.raw(128, 128);
    if version != "2" {
        return Err(err(header.line, format!("only CODA version 2 is supported, found {version:?}")));
    }

    let old = records.get(start + 1).ok_or_else(|| err(header.line + 1, "missing old balance record 1"))?;
    if !old.kind().starts_with('1') {
        return Err(err(old.line, format!("expected an old balance record 1, found {:?}", old.raw(1, 1))));
    }
    let (account_number, currency_code) = match old.raw(2, 2).as_str() {
        "0" => (old.text(6, 17), old.raw(19, 21)),
        "1" | "2" | "3" => (old.text(6, 39), old.raw(40, 42)),
        other => return Err(err(old.line, format!("unknown account structure {other:?}"))),
    };
    let account_number = account_number.ok_or_else(|| err(old.line, "the account number is blank"))?;
    let currency = Currency::parse(&currency_code).map_err(|e| err(old.line, format!("currency: {e}")))?;
    let opening = old.amount(43, currency, "old balance")?;
    let holder = old.text(65, 90);
    let description = old.text(91, 125);
    let statement_number = old.digits(126, 128, "statement sequence number")?;
    // Structures 2 and 3 say the number is an IBAN: then it must be a valid one.
    let iban = if matches!(old.raw(2, 2).as_str(), "2" | "3") {
        Some(Iban::parse(&account_number).map_err(|e| err(old.line, format!("account IBAN: {e}")))?)
    } else {
        Iban::parse(&account_number).ok()
    };
    let account_key = iban.as_ref().map_or_else(|| id_part(&account_number), |i| i.as_str().to_owned());
    let account_id = ProviderId::parse(&account_key).map_err(|e| err(old.line, e.to_string()))?;

    let mut movements: Vec<Movement> = Vec::new();
    let mut index = start + 2;
    let mut closing = None;
    loop {
        let record = records.get(index).ok_or_else(|| {
            err(records.last().map_or(1, |r| r.line), "the statement ends without a trailer record 9")
        })?;
        index += 1;
        let kind = record.kind();
        match kind.as_str() {
            "21" => {
                let detail = record.digits(7, 10, "detail number")?;
                let sequence = record.digits(3, 6, "sequence number")?;
                if detail != "0000" {
                    continue;
                }
                let structured = match record.raw(62, 62).as_str() {
                    "1" => {
                        let kind = record.raw(63, 65);
                        if kind == "101" || kind == "102" {
                            Some(record.digits(66, 77, "structured communication")?)
                        } else {
                            None
                        }
                    }
                    "0" => None,
                    other => {
                        return Err(err(record.line, format!("communication type must be 0 or 1, found {other:?}")));
                    }
                };
                let communication = if structured.is_some() {
                    String::new()
                } else if record.raw(62, 62) == "1" {
                    record.raw(66, 115)
                } else {
                    record.raw(63, 115)
                };
                movements.push(Movement {
                    record: record.line,
                    sequence,
                    amount: record.amount(32, currency, "movement amount")?,
                    value_date: record.date(48, "value date")?,
                    entry_date: record.date(116, "entry date")?,
                    code: record.raw(54, 61),
                    bank_reference: record.text(11, 31),
                    structured,
                    communication,
                    counterparty_account: None,
                    counterparty_name: None,
                });
            }
            "22" | "23" => {
                record.digits(3, 6, "sequence number")?;
                let detail = record.digits(7, 10, "detail number")?;
                if detail != "0000" {
                    continue;
                }
                let Some(movement) = movements.last_mut() else {
                    return Err(err(record.line, format!("record {kind} without a preceding record 21")));
                };
                if record.raw(3, 6) != movement.sequence {
                    return Err(err(
                        record.line,
                        format!("record {kind} does not continue movement {}", movement.sequence),
                    ));
                }
                if kind == "22" {
                    movement.communication.push_str(&record.raw(11, 63));
                } else {
                    movement.counterparty_account = record.text(11, 44);
                    movement.counterparty_name = record.text(48, 82);
                    movement.communication.push_str(&record.raw(83, 125));
                }
            }
            "31" | "32" | "33" | "41" => {
                record.digits(3, 6, "sequence number")?;
            }
            k if k.starts_with('8') => {
                closing = Some((
                    record.amount(42, currency, "new balance")?,
                    record.date(58, "new balance date")?,
                    record.line,
                ));
            }
            k if k.starts_with('9') => break,
            k if k.starts_with('0') || k.starts_with('1') => {
                return Err(err(record.line, "a new statement starts before the trailer record 9"));
            }
            other => return Err(err(record.line, format!("unknown record type {other:?}"))),
        }
    }
    let (closing, closing_date, closing_line) =
        closing.ok_or_else(|| err(records[index - 1].line, "the statement has no new balance record 8"))?;
    let mut sum = opening.clone();
    for m in &movements {
        sum = sum.checked_add(&m.amount).map_err(|e| err(m.record, e.to_string()))?;
    }
    if sum != closing {
        return Err(err(
            closing_line,
            format!("old balance {opening} plus the movements is {sum}, but the new balance is {closing}"),
        ));
    }
    let date = closing_date.or(creation);
    let year = date.map_or(0, |d| d.year());
    let statement_id = format!("{year}-{statement_number}");
    let transactions = movements
        .into_iter()
        .map(|m| {
            let id = format!("coda:{account_id}:{statement_id}:{}", m.sequence);
            let provider_id = ProviderId::parse(&id).map_err(|e| err(m.record, e.to_string()))?;
            let execution_date =
                m.entry_date.or(m.value_date).or(date).ok_or_else(|| err(m.record, "the movement has no date"))?;
            let (remittance, kind) = match &m.structured {
                Some(digits) => (Some(digits.clone()), RemittanceType::Structured),
                None => (Some(m.communication.clone()), RemittanceType::Unstructured),
            };
            Ok(BankTransaction::new(NewBankTransaction {
                provider_id,
                account_provider_id: account_id.clone(),
                amount: m.amount,
                counterparty_name: m.counterparty_name,
                counterparty_account: m.counterparty_account,
                remittance_information: remittance,
                remittance_type: kind,
                description: None,
                execution_date,
                value_date: m.value_date,
                bank_transaction_code: Some(m.code.trim().to_owned()).filter(|c| !c.is_empty()),
                bank_reference: m.bank_reference,
            }))
        })
        .collect::<Result<Vec<_>, BankFileError>>()?;
    let account = BankAccount::new(NewBankAccount {
        provider_id: account_id,
        iban,
        currency,
        current_balance: closing,
        available_balance: None,
        holder_name: holder,
        institution_name: None,
        description,
        authorization_expires_at: None,
        synchronized_at: date.map(|d| d.midnight().assume_utc()),
    })
    .map_err(|e| err(old.line, e.to_string()))?;
    Ok((Statement { account, statement_id, opening_balance: Some(opening), transactions }, index))
}
