//! Bank data: statement file import (the fallback for users without Ponto), accounts and
//! transactions.

use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine as _;
use billify_app::BankServiceError;
use billify_app::input::parse_date;
use billify_ports::bank::{BankTransactionQuery, StoredBankAccount, StoredBankTransaction};
use serde::{Deserialize, Serialize};
use time::Date;

use crate::auth::Authenticated;
use crate::extract::parse_query;
use crate::intake::read_file_upload;
use crate::problem::{ApiError, FieldError};
use crate::{AppState, blocking, timestamp};

/// The largest statement file accepted.
const STATEMENT_LIMIT: usize = 20 * 1024 * 1024;

impl From<BankServiceError> for ApiError {
    fn from(e: BankServiceError) -> Self {
        match e {
            BankServiceError::Forbidden => ApiError::Forbidden("your role does not allow importing bank data".into()),
            BankServiceError::Unreadable(detail) => ApiError::Unprocessable { kind: "unreadable-statement", detail },
            BankServiceError::Repository(e) => e.into(),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
struct ImportView {
    accounts: Vec<serde_json::Value>,
    transactions: serde_json::Value,
}

#[utoipa::path(
    post,
    path = "/api/v1/bank/statements",
    operation_id = "bank_import_statement",
    tag = "bank",
    summary = "Import a bank statement (multipart field `file`): CODA or CAMT.053, idempotent.",
    request_body(content_type = "multipart/form-data", description = "The file, as the form field `file`."),
    responses(
        (status = 200, description = "What was new, changed or already known.", body = ImportView),
        (status = 413, description = "/problems/payload-too-large"),
        (status = 415, description = "/problems/unsupported-media-type"),
        (status = 422, description = "/problems/unreadable-statement"),
    )
)]
pub(crate) async fn import_statement(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let (_, bytes) = read_file_upload(&req, payload, STATEMENT_LIMIT).await?;
    let actor = auth.0.actor;
    let summary = blocking(move || Ok(state.bank.import_statement(&actor, &bytes)?)).await?;
    Ok(HttpResponse::Ok().json(ImportView {
        accounts: summary
            .accounts
            .iter()
            .map(|(id, new)| serde_json::json!({"id": id.to_string(), "new": new}))
            .collect(),
        transactions: serde_json::json!({
            "new": summary.transactions.new,
            "changed": summary.transactions.changed,
            "unchanged": summary.transactions.unchanged,
        }),
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = BankAccountView)]
struct AccountView {
    id: String,
    source: &'static str,
    provider_id: String,
    iban: Option<String>,
    currency: String,
    current_balance: String,
    available_balance: Option<String>,
    holder_name: Option<String>,
    institution_name: Option<String>,
    description: Option<String>,
    authorization_expires_at: Option<String>,
    synchronized_at: Option<String>,
    updated_at: String,
}

fn account_view(a: &StoredBankAccount) -> AccountView {
    let acc = &a.account;
    AccountView {
        id: a.id.to_string(),
        source: a.source.code(),
        provider_id: acc.provider_id().as_str().to_owned(),
        iban: acc.iban().map(|i| i.as_str().to_owned()),
        currency: acc.currency().code().to_owned(),
        current_balance: acc.current_balance().to_plain_string(),
        available_balance: acc.available_balance().map(|m| m.to_plain_string()),
        holder_name: acc.holder_name().map(str::to_owned),
        institution_name: acc.institution_name().map(str::to_owned),
        description: acc.description().map(str::to_owned),
        authorization_expires_at: acc.authorization_expires_at().map(timestamp),
        synchronized_at: acc.synchronized_at().map(timestamp),
        updated_at: timestamp(a.updated_at),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/bank/accounts",
    operation_id = "bank_accounts",
    tag = "bank",
    summary = "Bank accounts with their balances.",
    responses(
        (status = 200, description = "Accounts.", body = crate::doc_types::Items<AccountView>),
    )
)]
pub(crate) async fn accounts(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let actor = auth.0.actor;
    let accounts = blocking(move || Ok(state.bank.accounts(&actor)?)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": accounts.iter().map(account_view).collect::<Vec<_>>() })))
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct TransactionView {
    id: String,
    account_id: String,
    provider_id: String,
    amount: String,
    currency: String,
    counterparty_name: Option<String>,
    counterparty_iban: Option<String>,
    remittance_information: Option<String>,
    remittance_type: &'static str,
    structured_reference: Option<String>,
    description: Option<String>,
    execution_date: String,
    value_date: Option<String>,
    bank_transaction_code: Option<String>,
}

pub(crate) fn transaction_view(s: &StoredBankTransaction) -> TransactionView {
    let t = &s.transaction;
    TransactionView {
        id: s.id.to_string(),
        account_id: s.account_id.to_string(),
        provider_id: t.provider_id().as_str().to_owned(),
        amount: t.amount().to_plain_string(),
        currency: t.amount().currency().code().to_owned(),
        counterparty_name: t.counterparty_name().map(str::to_owned),
        counterparty_iban: t.counterparty_iban().map(|i| i.as_str().to_owned()),
        remittance_information: t.remittance_information().map(str::to_owned),
        remittance_type: t.remittance_type().code(),
        structured_reference: t.structured_reference().map(|r| r.formatted()),
        description: t.description().map(str::to_owned),
        execution_date: t.execution_date().to_string(),
        value_date: t.value_date().map(|d| d.to_string()),
        bank_transaction_code: t.bank_transaction_code().map(str::to_owned),
    }
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct TransactionParams {
    account_id: Option<String>,
    from: Option<String>,
    to: Option<String>,
    cursor: Option<String>,
    limit: Option<String>,
    q: Option<String>,
}

fn encode_cursor((date, id): (Date, uuid::Uuid)) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{date}|{id}"))
}

fn decode_cursor(text: &str) -> Option<(Date, uuid::Uuid)> {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text.trim()).ok()?;
    let raw = String::from_utf8(raw).ok()?;
    let (date, id) = raw.split_once('|')?;
    Some((parse_date(date).ok()?, uuid::Uuid::parse_str(id).ok()?))
}

#[utoipa::path(
    get,
    path = "/api/v1/bank/transactions",
    operation_id = "bank_transactions",
    tag = "bank",
    summary = "Bank transactions, newest first, by cursor pages.",
    params(TransactionParams),
    responses(
        (status = 200, description = "A page of transactions.", body = crate::doc_types::Page<TransactionView>),
    )
)]
pub(crate) async fn transactions(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let params: TransactionParams = parse_query(req.query_string())?;
    let mut errors = Vec::new();
    let mut check_date = |field: &str, v: Option<String>| {
        v.and_then(|d| parse_date(&d).map_err(|e| errors.push(FieldError::new(field, e.to_string()))).ok())
    };
    let from = check_date("from", params.from);
    let to = check_date("to", params.to);
    let account_id = params.account_id.and_then(|a| {
        uuid::Uuid::parse_str(&a).map_err(|_| errors.push(FieldError::new("account_id", "not an account id"))).ok()
    });
    let after = params.cursor.and_then(|c| {
        decode_cursor(&c).or_else(|| {
            errors.push(FieldError::new("cursor", "not a cursor returned by this API (next_cursor)"));
            None
        })
    });
    let limit = match params.limit {
        None => 50,
        Some(l) => match l.parse::<u32>() {
            Ok(n) if (1..=200).contains(&n) => n,
            _ => {
                errors.push(FieldError::new("limit", "limit is a number from 1 to 200"));
                50
            }
        },
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let text = params.q.map(|q| q.trim().to_owned()).filter(|q| !q.is_empty());
    let query = BankTransactionQuery { account_id, from, to, after, limit, text };
    let actor = auth.0.actor;
    let page = blocking(move || Ok(state.bank.transactions(&actor, &query)?)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "items": page.items.iter().map(transaction_view).collect::<Vec<_>>(),
        "next_cursor": page.next.map(encode_cursor),
    })))
}
