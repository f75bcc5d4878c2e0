//! Bank accounts and booked bank transactions, as a bank feed (Ponto) or a statement file
//! (CODA, CAMT.053) reports them.
//!
//! These are facts reported by a bank, not things Billify decides, so their constructors
//! normalise rather than reject: text is trimmed and cleaned of control characters, an
//! unreadable counterparty IBAN becomes `None`, and the Belgian structured communication (OGM)
//! is recognised wherever the bank put it. The one rule a constructor enforces is that the
//! balances of an account are in the account's currency.

use std::fmt;
use std::str::FromStr;

use time::{Date, OffsetDateTime};

use crate::{Currency, Iban, Money, ParseError, StructuredReference};

/// The identifier a provider (Ponto, a statement file) gives an account, a transaction or a
/// synchronisation: 1 to 200 visible characters, no whitespace.
///
/// It is the deduplication key: importing the same data twice yields the same ids.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "String", into = "String")
)]
pub struct ProviderId(String);

impl ProviderId {
    /// Parses a provider identifier.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(ParseError::new("provider id", "the provider id is empty"));
        }
        if t.chars().count() > 200 {
            return Err(ParseError::new("provider id", "a provider id has at most 200 characters"));
        }
        if t.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(ParseError::new("provider id", "a provider id cannot contain spaces or control characters"));
        }
        Ok(ProviderId(t.to_owned()))
    }

    /// The identifier.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProviderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ProviderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProviderId({})", self.0)
    }
}

impl FromStr for ProviderId {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for ProviderId {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ProviderId> for String {
    fn from(value: ProviderId) -> Self {
        value.0
    }
}

/// Why bank data was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BankDataError {
    /// A balance is not in the account's currency.
    #[error("the {which} balance is in {found}, the account in {expected}")]
    BalanceCurrency {
        /// `"current"` or `"available"`.
        which: &'static str,
        /// The account's currency.
        expected: Currency,
        /// The balance's currency.
        found: Currency,
    },
}

/// What is needed to build a [`BankAccount`].
#[derive(Debug, Clone)]
pub struct NewBankAccount {
    /// The provider's id of the account.
    pub provider_id: ProviderId,
    /// The account's IBAN; `None` for accounts identified otherwise (cards, BBAN).
    pub iban: Option<Iban>,
    /// The account's currency.
    pub currency: Currency,
    /// The booked balance.
    pub current_balance: Money,
    /// The balance available to spend, when the bank reports it.
    pub available_balance: Option<Money>,
    /// The account holder, as the bank names them.
    pub holder_name: Option<String>,
    /// The bank (financial institution) holding the account.
    pub institution_name: Option<String>,
    /// The bank's or the user's label for the account.
    pub description: Option<String>,
    /// When the user's consent to read the account expires and must be renewed.
    pub authorization_expires_at: Option<OffsetDateTime>,
    /// When the provider last refreshed the data from the bank (or the statement's date).
    pub synchronized_at: Option<OffsetDateTime>,
}

/// A bank account as reported by a provider. Its balances are in its currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankAccount {
    provider_id: ProviderId,
    iban: Option<Iban>,
    currency: Currency,
    current_balance: Money,
    available_balance: Option<Money>,
    holder_name: Option<String>,
    institution_name: Option<String>,
    description: Option<String>,
    authorization_expires_at: Option<OffsetDateTime>,
    synchronized_at: Option<OffsetDateTime>,
}

impl BankAccount {
    /// Builds an account; names are cleaned, and every balance must be in the account's currency.
    pub fn new(new: NewBankAccount) -> Result<Self, BankDataError> {
        for (which, balance) in [("current", Some(&new.current_balance)), ("available", new.available_balance.as_ref())]
        {
            if let Some(balance) = balance
                && balance.currency() != new.currency
            {
                return Err(BankDataError::BalanceCurrency {
                    which,
                    expected: new.currency,
                    found: balance.currency(),
                });
            }
        }
        Ok(BankAccount {
            provider_id: new.provider_id,
            iban: new.iban,
            currency: new.currency,
            current_balance: new.current_balance,
            available_balance: new.available_balance,
            holder_name: clean_text(new.holder_name.as_deref(), 200),
            institution_name: clean_text(new.institution_name.as_deref(), 200),
            description: clean_text(new.description.as_deref(), 200),
            authorization_expires_at: new.authorization_expires_at,
            synchronized_at: new.synchronized_at,
        })
    }

    /// The provider's id of the account.
    pub fn provider_id(&self) -> &ProviderId {
        &self.provider_id
    }

    /// The IBAN, when the account has one.
    pub fn iban(&self) -> Option<&Iban> {
        self.iban.as_ref()
    }

    /// The account's currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The booked balance.
    pub fn current_balance(&self) -> &Money {
        &self.current_balance
    }

    /// The balance available to spend, when reported.
    pub fn available_balance(&self) -> Option<&Money> {
        self.available_balance.as_ref()
    }

    /// The account holder's name.
    pub fn holder_name(&self) -> Option<&str> {
        self.holder_name.as_deref()
    }

    /// The bank's name.
    pub fn institution_name(&self) -> Option<&str> {
        self.institution_name.as_deref()
    }

    /// The account's label.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// When the consent to read the account expires.
    pub fn authorization_expires_at(&self) -> Option<OffsetDateTime> {
        self.authorization_expires_at
    }

    /// When the data was last refreshed from the bank.
    pub fn synchronized_at(&self) -> Option<OffsetDateTime> {
        self.synchronized_at
    }

    /// Whether the consent has expired or expires within `margin` of `now`, so the user should
    /// be asked to renew it.
    pub fn consent_expires_within(&self, now: OffsetDateTime, margin: time::Duration) -> bool {
        self.authorization_expires_at.is_some_and(|at| at <= now + margin)
    }
}

/// How the payer gave the payment's communication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum RemittanceType {
    /// A structured reference (in Belgium the OGM `+++DDD/DDDD/DDDCC+++`, or an RF reference).
    Structured,
    /// Free text.
    Unstructured,
}

impl RemittanceType {
    /// The stable machine code: `structured` or `unstructured`.
    pub fn code(&self) -> &'static str {
        match self {
            RemittanceType::Structured => "structured",
            RemittanceType::Unstructured => "unstructured",
        }
    }
}

/// What is needed to build a [`BankTransaction`].
#[derive(Debug, Clone)]
pub struct NewBankTransaction {
    /// The provider's id of the transaction (the deduplication key).
    pub provider_id: ProviderId,
    /// The provider's id of the account it was booked on.
    pub account_provider_id: ProviderId,
    /// The signed amount: positive is money in (credit), negative is money out (debit).
    pub amount: Money,
    /// The other party's name.
    pub counterparty_name: Option<String>,
    /// The other party's account as the bank gave it; kept only when it is a valid IBAN.
    pub counterparty_account: Option<String>,
    /// The communication.
    pub remittance_information: Option<String>,
    /// How the communication was given.
    pub remittance_type: RemittanceType,
    /// The bank's label for the transaction (e.g. "Overschrijving").
    pub description: Option<String>,
    /// When the bank executed (booked) the transaction.
    pub execution_date: Date,
    /// When the money counts for interest, when reported.
    pub value_date: Option<Date>,
    /// The ISO 20022 bank transaction code (e.g. `PMNT-RCDT-ESCT`) or the bank's own code.
    pub bank_transaction_code: Option<String>,
    /// The bank's own reference of the booking (the CODA bank reference, the CAMT.053
    /// `AcctSvcrRef`): the same booking carries it in every statement format, so it tells a
    /// booking already imported from another format.
    pub bank_reference: Option<String>,
}

/// A booked bank transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankTransaction {
    provider_id: ProviderId,
    account_provider_id: ProviderId,
    amount: Money,
    counterparty_name: Option<String>,
    counterparty_iban: Option<Iban>,
    remittance_information: Option<String>,
    remittance_type: RemittanceType,
    structured_reference: Option<StructuredReference>,
    description: Option<String>,
    execution_date: Date,
    value_date: Option<Date>,
    bank_transaction_code: Option<String>,
    bank_reference: Option<String>,
}

impl BankTransaction {
    /// Builds a transaction. Never fails: text is cleaned, an invalid counterparty IBAN becomes
    /// `None`, and the structured reference is found in the communication (see
    /// [`BankTransaction::structured_reference`]).
    pub fn new(new: NewBankTransaction) -> Self {
        let remittance_information = clean_text(new.remittance_information.as_deref(), 1000);
        let structured_reference =
            remittance_information.as_deref().and_then(|text| find_structured_reference(text, new.remittance_type));
        BankTransaction {
            provider_id: new.provider_id,
            account_provider_id: new.account_provider_id,
            amount: new.amount,
            counterparty_name: clean_text(new.counterparty_name.as_deref(), 200),
            counterparty_iban: new.counterparty_account.as_deref().and_then(|a| Iban::parse(a).ok()),
            remittance_information,
            remittance_type: new.remittance_type,
            structured_reference,
            description: clean_text(new.description.as_deref(), 500),
            execution_date: new.execution_date,
            value_date: new.value_date,
            bank_transaction_code: clean_text(new.bank_transaction_code.as_deref(), 100),
            bank_reference: clean_text(new.bank_reference.as_deref(), 100),
        }
    }

    /// The provider's id of the transaction.
    pub fn provider_id(&self) -> &ProviderId {
        &self.provider_id
    }

    /// The provider's id of the account.
    pub fn account_provider_id(&self) -> &ProviderId {
        &self.account_provider_id
    }

    /// The signed amount (positive: money in).
    pub fn amount(&self) -> &Money {
        &self.amount
    }

    /// The other party's name.
    pub fn counterparty_name(&self) -> Option<&str> {
        self.counterparty_name.as_deref()
    }

    /// The other party's IBAN, when the bank gave a valid one.
    pub fn counterparty_iban(&self) -> Option<&Iban> {
        self.counterparty_iban.as_ref()
    }

    /// The communication, as the bank gave it (cleaned).
    pub fn remittance_information(&self) -> Option<&str> {
        self.remittance_information.as_deref()
    }

    /// How the communication was given.
    pub fn remittance_type(&self) -> RemittanceType {
        self.remittance_type
    }

    /// The valid Belgian structured communication of the payment, if any: the structured
    /// remittance in any of its notations (`+++…+++`, `***…***`, bare digits), or a valid OGM
    /// found in free text.
    pub fn structured_reference(&self) -> Option<&StructuredReference> {
        self.structured_reference.as_ref()
    }

    /// The bank's label.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The booking date.
    pub fn execution_date(&self) -> Date {
        self.execution_date
    }

    /// The value date.
    pub fn value_date(&self) -> Option<Date> {
        self.value_date
    }

    /// The bank transaction code.
    pub fn bank_transaction_code(&self) -> Option<&str> {
        self.bank_transaction_code.as_deref()
    }

    /// The bank's own reference of the booking, when the source gives one.
    pub fn bank_reference(&self) -> Option<&str> {
        self.bank_reference.as_deref()
    }

    /// Whether money came in.
    pub fn is_credit(&self) -> bool {
        self.amount.is_positive()
    }
}

/// Finds the structured communication of a payment.
///
/// For a structured remittance every non-digit is dropped and the twelve digits must pass the
/// mod-97 check: the notation Ponto uses is not documented, so `+++…+++`, `***…***` and bare
/// digits are all accepted. When that fails, or the remittance is free text, the text is
/// scanned for an OGM (see [`scan_structured_references`]).
pub fn find_structured_reference(text: &str, kind: RemittanceType) -> Option<StructuredReference> {
    if kind == RemittanceType::Structured {
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        if digits.len() == 12
            && let Ok(reference) = StructuredReference::parse(&digits)
        {
            return Some(reference);
        }
    }
    scan_structured_references(text).into_iter().next()
}

/// Every valid OGM written in free text, in order, without duplicates.
///
/// Recognised: text between `+++` or `***` delimiters (spaces, `/` and `.` allowed inside), and
/// runs of digits, `/` and `.` holding exactly twelve digits (`123/4567/89002`,
/// `123456789002`). Candidates must pass the mod-97 check, so a random twelve-digit number is
/// accepted only one time in 97.
pub fn scan_structured_references(text: &str) -> Vec<StructuredReference> {
    let mut found: Vec<StructuredReference> = Vec::new();
    let mut push = |candidate: &str| {
        let digits: String = candidate.chars().filter(char::is_ascii_digit).collect();
        if digits.len() == 12
            && candidate.chars().all(|c| c.is_ascii_digit() || matches!(c, '/' | '.' | ' '))
            && let Ok(reference) = StructuredReference::parse(&digits)
            && !found.contains(&reference)
        {
            found.push(reference);
        }
    };
    for delimiter in ["+++", "***"] {
        let mut rest = text;
        while let Some(start) = rest.find(delimiter) {
            let after = &rest[start + 3..];
            match after.find(delimiter) {
                Some(end) => {
                    push(after[..end].trim());
                    rest = &after[end + 3..];
                }
                None => break,
            }
        }
    }
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || c == '/' || c == '.' {
            run.push(c);
        } else {
            push(run.trim_matches(|c| c == '/' || c == '.'));
            run.clear();
        }
    }
    found
}

/// Trims, replaces control characters by spaces, collapses runs of whitespace and cuts to
/// `max` characters; empty text becomes `None`.
fn clean_text(text: Option<&str>, max: usize) -> Option<String> {
    // One pass: control characters count as white space, runs of white space become one space,
    // leading and trailing white space goes, and at most `max` characters are kept.
    let text = text?;
    let mut cleaned = String::with_capacity(text.len().min(max));
    let mut count = 0;
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() {
            pending_space = !cleaned.is_empty();
            continue;
        }
        let needed = if pending_space { 2 } else { 1 };
        if count + needed > max {
            if pending_space && count < max {
                // The cut falls right after a space: the old code kept it, then trimmed nothing.
                cleaned.push(' ');
            }
            break;
        }
        if pending_space {
            cleaned.push(' ');
            pending_space = false;
        }
        cleaned.push(c);
        count += needed;
    }
    (!cleaned.is_empty()).then_some(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    /// The plain reading of `clean_text`'s rules, to check the one-pass version against.
    fn clean_text_reference(text: &str, max: usize) -> Option<String> {
        let cleaned = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let cut: String = cleaned.chars().take(max).collect();
        (!cut.is_empty()).then_some(cut)
    }

    #[test]
    fn clean_text_collapses_white_space_and_cuts_like_its_plain_reading() {
        let texts = [
            "",
            " ",
            "abc",
            "  ab\tcd  ",
            "a\u{0}b",
            "\n\r",
            "één  twee\u{7}drie",
            "ab cd ef",
            "  x  ",
            "+++123/4567/89002+++",
        ];
        for text in texts {
            for max in 0..12 {
                assert_eq!(clean_text(Some(text), max), clean_text_reference(text, max), "{text:?} cut at {max}");
            }
        }
        assert_eq!(clean_text(None, 5), None);
    }

    fn eur(s: &str) -> Money {
        Money::parse(s, Currency::EUR).unwrap()
    }

    fn tx(text: &str, kind: RemittanceType, account: Option<&str>) -> BankTransaction {
        BankTransaction::new(NewBankTransaction {
            provider_id: ProviderId::parse("tx-1").unwrap(),
            account_provider_id: ProviderId::parse("acc-1").unwrap(),
            amount: eur("-0.10"),
            counterparty_name: Some("  Acme\tNV ".into()),
            counterparty_account: account.map(str::to_owned),
            remittance_information: Some(text.into()),
            remittance_type: kind,
            description: None,
            execution_date: date!(2024 - 03 - 04),
            value_date: None,
            bank_transaction_code: Some("PMNT-RCDT-ESCT".into()),
            bank_reference: None,
        })
    }

    #[test]
    fn provider_ids_are_non_empty_visible_text() {
        assert_eq!(ProviderId::parse(" 3b0d9a4e ").unwrap().as_str(), "3b0d9a4e");
        assert!(ProviderId::parse("").is_err());
        assert!(ProviderId::parse("a b").is_err());
        assert!(ProviderId::parse(&"x".repeat(201)).is_err());
    }

    #[test]
    fn structured_remittance_in_every_notation() {
        for text in ["+++202/4000/12363+++", "***202/4000/12363***", "202400012363", " 202 4000 12363 "] {
            let t = tx(text, RemittanceType::Structured, None);
            assert_eq!(t.structured_reference().map(StructuredReference::digits), Some("202400012363"), "{text}");
        }
        assert_eq!(tx("+++202/4000/12364+++", RemittanceType::Structured, None).structured_reference(), None);
    }

    #[test]
    fn an_ogm_is_found_in_free_text() {
        let t = tx("Betaling factuur 2024-17 +++123/4567/89002+++ dank", RemittanceType::Unstructured, None);
        assert_eq!(t.structured_reference().unwrap().digits(), "123456789002");
        let t = tx("ref 123/4567/89002", RemittanceType::Unstructured, None);
        assert_eq!(t.structured_reference().unwrap().digits(), "123456789002");
        assert_eq!(tx("invoice 123456789003", RemittanceType::Unstructured, None).structured_reference(), None);
        assert_eq!(tx("BE71096123456769 12345", RemittanceType::Unstructured, None).structured_reference(), None);
        let both = scan_structured_references("+++123/4567/89002+++ and 000000065472 and 123456789002");
        assert_eq!(both.len(), 2);
    }

    #[test]
    fn invalid_counterparty_ibans_become_none_and_text_is_cleaned() {
        let t = tx("x", RemittanceType::Unstructured, Some("BE71 0961 2345 6769"));
        assert_eq!(t.counterparty_iban().unwrap().as_str(), "BE71096123456769");
        assert_eq!(t.counterparty_name(), Some("Acme NV"));
        assert_eq!(tx("x", RemittanceType::Unstructured, Some("BE71096123456768")).counterparty_iban(), None);
        assert_eq!(tx("x", RemittanceType::Unstructured, Some("123-4567890-12")).counterparty_iban(), None);
        assert_eq!(tx(" \u{7} ", RemittanceType::Unstructured, None).remittance_information(), None);
        assert!(!tx("x", RemittanceType::Unstructured, None).is_credit());
    }

    #[test]
    fn balances_must_be_in_the_account_currency() {
        let new = NewBankAccount {
            provider_id: ProviderId::parse("acc").unwrap(),
            iban: Some(Iban::parse("BE68539007547034").unwrap()),
            currency: Currency::EUR,
            current_balance: eur("1520.45"),
            available_balance: Some(eur("1500")),
            holder_name: Some("Billify BV".into()),
            institution_name: None,
            description: Some("".into()),
            authorization_expires_at: Some(datetime!(2024-04-09 09:00 UTC)),
            synchronized_at: None,
        };
        let account = BankAccount::new(new.clone()).unwrap();
        assert_eq!(account.description(), None);
        assert!(account.consent_expires_within(datetime!(2024-04-01 00:00 UTC), time::Duration::days(14)));
        assert!(!account.consent_expires_within(datetime!(2024-03-01 00:00 UTC), time::Duration::days(14)));
        let usd = Money::parse("1", Currency::parse("USD").unwrap()).unwrap();
        let bad = NewBankAccount { available_balance: Some(usd), ..new };
        assert!(matches!(BankAccount::new(bad), Err(BankDataError::BalanceCurrency { which: "available", .. })));
    }
}
