//! Ponto Connect's wire format (JSON:API documents and OAuth2 token answers) and its
//! translation into domain values.
//!
//! Field names are Ponto's exactly (`camelCase`). Amounts are kept as the JSON number's raw
//! text (`RawValue`) and parsed as exact decimals; a float never sees them.

use std::collections::BTreeMap;
use std::str::FromStr;

use bigdecimal::BigDecimal;
use billify_domain::{
    BankAccount, BankTransaction, Currency, Iban, Money, NewBankAccount, NewBankTransaction, ProviderId, RemittanceType,
};
use billify_ports::banking::{BankingError, ProviderErrorDetail, SyncStatus, SyncSubtype, Synchronization};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

/// Parses a JSON body, naming the path of the offending field on failure.
pub(crate) fn parse<T: DeserializeOwned>(body: &str, what: &str) -> Result<T, BankingError> {
    // Tracking the path costs on every answer; it is only needed to explain a bad one, so a
    // document that does not parse is parsed again with tracking for the error.
    serde_json::from_str(body).or_else(|_| {
        let mut de = serde_json::Deserializer::from_str(body);
        serde_path_to_error::deserialize(&mut de)
            .map_err(|e| BankingError::InvalidResponse(format!("{what}: at {}: {}", e.path(), e.inner())))
    })
}

/// A JSON:API collection.
#[derive(Debug, Deserialize)]
pub(crate) struct Collection<A> {
    pub data: Vec<Resource<A>>,
    #[serde(default)]
    pub links: Links,
}

/// A JSON:API single-resource document.
#[derive(Debug, Deserialize)]
pub(crate) struct Single<A> {
    pub data: Resource<A>,
}

/// Collection links; only `next` is followed.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Links {
    pub next: Option<String>,
}

/// A JSON:API resource object.
#[derive(Debug, Deserialize)]
pub(crate) struct Resource<A> {
    pub id: String,
    pub attributes: A,
    #[serde(default)]
    pub relationships: BTreeMap<String, Relationship>,
    #[serde(default)]
    pub meta: Option<ResourceMeta>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Relationship {
    pub data: Option<Linkage>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Linkage {
    pub id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ResourceMeta {
    pub synchronized_at: Option<String>,
}

impl<A> Resource<A> {
    fn related_id(&self, name: &str) -> Option<&str> {
        self.relationships.get(name).and_then(|r| r.data.as_ref()).map(|d| d.id.as_str())
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AccountAttributes {
    pub reference: Option<String>,
    pub reference_type: Option<String>,
    pub currency: String,
    pub current_balance: Option<Box<RawValue>>,
    pub available_balance: Option<Box<RawValue>>,
    pub description: Option<String>,
    pub holder_name: Option<String>,
    pub authorization_expiration_expected_at: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TransactionAttributes {
    pub amount: Box<RawValue>,
    pub currency: String,
    pub execution_date: String,
    pub value_date: Option<String>,
    pub description: Option<String>,
    pub counterpart_name: Option<String>,
    pub counterpart_reference: Option<String>,
    pub remittance_information: Option<String>,
    pub remittance_information_type: Option<String>,
    pub bank_transaction_code: Option<String>,
    pub proprietary_bank_transaction_code: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct InstitutionAttributes {
    pub name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SynchronizationAttributes {
    pub resource_id: String,
    pub subtype: String,
    pub status: String,
    #[serde(default)]
    pub errors: Vec<ErrorObject>,
}

/// A JSON:API error object (also used inside synchronisations).
#[derive(Debug, Deserialize)]
pub(crate) struct ErrorObject {
    pub code: Option<String>,
    pub detail: Option<String>,
}

/// A JSON:API error document.
#[derive(Debug, Deserialize)]
pub(crate) struct ErrorDocument {
    #[serde(default)]
    pub errors: Vec<ErrorObject>,
}

/// An OAuth2 error answer.
#[derive(Debug, Deserialize)]
pub(crate) struct OAuthError {
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// An OAuth2 token answer (plain JSON, not JSON:API).
#[derive(Deserialize)]
pub(crate) struct TokenAnswer {
    pub access_token: String,
    pub expires_in: i64,
    pub refresh_token: Option<String>,
}

fn invalid(what: impl Into<String>) -> BankingError {
    BankingError::InvalidResponse(what.into())
}

fn provider_id(text: &str, what: &str) -> Result<ProviderId, BankingError> {
    ProviderId::parse(text).map_err(|e| invalid(format!("{what}: {e}")))
}

/// An exact amount from a JSON number's text (`1234.56`, `-0.10`; an exponent is tolerated).
fn money(raw: &RawValue, currency: Currency, what: &str) -> Result<Money, BankingError> {
    let text = raw.get().trim();
    let amount =
        BigDecimal::from_str(text).map_err(|_| invalid(format!("{what}: {text:?} is not a decimal number")))?;
    Money::new(amount, currency).map_err(|e| invalid(format!("{what}: {e}")))
}

fn timestamp(text: &str, what: &str) -> Result<OffsetDateTime, BankingError> {
    OffsetDateTime::parse(text, &Rfc3339).map_err(|_| invalid(format!("{what}: {text:?} is not an RFC 3339 timestamp")))
}

/// An optional timestamp; an unreadable one is logged and dropped rather than failing a sync.
fn optional_timestamp(text: Option<&str>, what: &str) -> Option<OffsetDateTime> {
    let text = text?;
    match timestamp(text, what) {
        Ok(at) => Some(at),
        Err(e) => {
            log::warn!("ponto: ignoring {e}");
            None
        }
    }
}

/// A date sent as a midnight timestamp (`2024-03-04T00:00:00.000Z`) or as a plain date. The
/// date is the UTC calendar day, as Ponto writes date-only values at UTC midnight.
fn date(text: &str, what: &str) -> Result<Date, BankingError> {
    if let Ok(at) = OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(at.to_offset(time::UtcOffset::UTC).date());
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, &format).map_err(|_| invalid(format!("{what}: {text:?} is not a date")))
}

pub(crate) fn account(
    resource: Resource<AccountAttributes>,
    institution_name: Option<String>,
) -> Result<BankAccount, BankingError> {
    let what = format!("account {}", resource.id);
    let id = provider_id(&resource.id, &what)?;
    let a = resource.attributes;
    let currency = Currency::parse(&a.currency).map_err(|e| invalid(format!("{what}: currency: {e}")))?;
    let current = a.current_balance.as_deref().ok_or_else(|| invalid(format!("{what}: currentBalance is missing")))?;
    let current_balance = money(current, currency, &format!("{what}: currentBalance"))?;
    let available_balance = match a.available_balance.as_deref() {
        Some(raw) => Some(money(raw, currency, &format!("{what}: availableBalance"))?),
        None => None,
    };
    let is_iban = a.reference_type.as_deref().is_none_or(|t| t.eq_ignore_ascii_case("IBAN"));
    let iban = a.reference.as_deref().filter(|_| is_iban).and_then(|r| Iban::parse(r).ok());
    let synchronized_at = resource.meta.as_ref().and_then(|m| m.synchronized_at.as_deref());
    BankAccount::new(NewBankAccount {
        provider_id: id,
        iban,
        currency,
        current_balance,
        available_balance,
        holder_name: a.holder_name,
        institution_name,
        description: a.description,
        authorization_expires_at: optional_timestamp(
            a.authorization_expiration_expected_at.as_deref(),
            "authorizationExpirationExpectedAt",
        ),
        synchronized_at: optional_timestamp(synchronized_at, "meta.synchronizedAt"),
    })
    .map_err(|e| invalid(format!("{what}: {e}")))
}

/// The financial institution an account belongs to, when linked.
pub(crate) fn institution_id(resource: &Resource<AccountAttributes>) -> Option<String> {
    resource.related_id("financialInstitution").map(str::to_owned)
}

pub(crate) fn transaction(
    resource: Resource<TransactionAttributes>,
    fallback_account: Option<&ProviderId>,
) -> Result<BankTransaction, BankingError> {
    let what = format!("transaction {}", resource.id);
    let id = provider_id(&resource.id, &what)?;
    let account_provider_id = match (resource.related_id("account"), fallback_account) {
        (Some(account), _) => provider_id(account, &what)?,
        (None, Some(account)) => account.clone(),
        (None, None) => return Err(invalid(format!("{what}: relationships.account is missing"))),
    };
    let t = resource.attributes;
    let currency = Currency::parse(&t.currency).map_err(|e| invalid(format!("{what}: currency: {e}")))?;
    let amount = money(&t.amount, currency, &format!("{what}: amount"))?;
    let remittance_type = match t.remittance_information_type.as_deref() {
        Some(kind) if kind.eq_ignore_ascii_case("structured") => RemittanceType::Structured,
        _ => RemittanceType::Unstructured,
    };
    Ok(BankTransaction::new(NewBankTransaction {
        provider_id: id,
        account_provider_id,
        amount,
        counterparty_name: t.counterpart_name,
        counterparty_account: t.counterpart_reference,
        remittance_information: t.remittance_information,
        remittance_type,
        description: t.description,
        execution_date: date(&t.execution_date, &format!("{what}: executionDate"))?,
        value_date: match t.value_date.as_deref() {
            Some(v) => Some(date(v, &format!("{what}: valueDate"))?),
            None => None,
        },
        bank_transaction_code: t.bank_transaction_code.or(t.proprietary_bank_transaction_code),
        bank_reference: None,
    }))
}

pub(crate) fn synchronization(resource: Resource<SynchronizationAttributes>) -> Result<Synchronization, BankingError> {
    let what = format!("synchronization {}", resource.id);
    let a = resource.attributes;
    let status = match a.status.as_str() {
        "pending" => SyncStatus::Pending,
        "running" => SyncStatus::Running,
        "success" => SyncStatus::Success,
        "error" => SyncStatus::Error,
        other => return Err(invalid(format!("{what}: unknown status {other:?}"))),
    };
    let subtype = match a.subtype.as_str() {
        "accountDetails" => SyncSubtype::AccountDetails,
        // `accountTransactionsWithUnsettled` also refreshes booked transactions.
        "accountTransactions" | "accountTransactionsWithUnsettled" => SyncSubtype::AccountTransactions,
        other => return Err(invalid(format!("{what}: unknown subtype {other:?}"))),
    };
    Ok(Synchronization {
        id: provider_id(&resource.id, &what)?,
        account_id: provider_id(&a.resource_id, &what)?,
        subtype,
        status,
        errors: a
            .errors
            .into_iter()
            .map(|e| ProviderErrorDetail { code: e.code.unwrap_or_default(), detail: e.detail })
            .collect(),
    })
}

pub(crate) fn subtype_code(subtype: SyncSubtype) -> &'static str {
    match subtype {
        SyncSubtype::AccountDetails => "accountDetails",
        SyncSubtype::AccountTransactions => "accountTransactions",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_keep_every_digit() {
        let doc = r#"{"data":[{"type":"transaction","id":"t1","attributes":{"amount":90071992547409.93,
            "currency":"EUR","executionDate":"2024-03-04T00:00:00.000Z","valueDate":null,
            "remittanceInformationType":"structured","remittanceInformation":"202400012363"},
            "relationships":{"account":{"data":{"type":"account","id":"a1"}}}}],"links":{}}"#;
        let c: Collection<TransactionAttributes> = parse(doc, "test").unwrap();
        let t = transaction(c.data.into_iter().next().unwrap(), None).unwrap();
        assert_eq!(t.amount().to_plain_string(), "90071992547409.93");
        assert_eq!(t.structured_reference().unwrap().digits(), "202400012363");
        assert_eq!(t.execution_date().to_string(), "2024-03-04");
        assert_eq!(t.account_provider_id().as_str(), "a1");
    }

    #[test]
    fn bad_documents_name_what_is_wrong() {
        let err =
            parse::<Collection<TransactionAttributes>>(r#"{"data":[{"id":"x","attributes":{}}]}"#, "page").unwrap_err();
        assert!(err.to_string().contains("data[0].attributes"), "{err}");
        let doc =
            r#"{"data":[{"id":"t","attributes":{"amount":1.005,"currency":"EUR","executionDate":"2024-03-04"}}]}"#;
        let c: Collection<TransactionAttributes> = parse(doc, "page").unwrap();
        let err = transaction(c.data.into_iter().next().unwrap(), None).unwrap_err();
        assert!(err.to_string().contains("relationships.account"), "{err}");
        let c: Collection<TransactionAttributes> = parse(doc, "page").unwrap();
        let a = ProviderId::parse("a").unwrap();
        let err = transaction(c.data.into_iter().next().unwrap(), Some(&a)).unwrap_err();
        assert!(err.to_string().contains("amount"), "{err}");
    }
}
