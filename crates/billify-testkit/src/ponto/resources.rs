//! The JSON:API resources: accounts, transactions (with cursor paging), synchronisations and
//! their updated transactions. Amounts are written from their exact decimal text.

use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use super::data::{new_transaction, timestamp};
use super::oauth::query_params;
use super::state::{FakeSync, PREFIX, Reply, State};
use super::{FakeAccount, FakeTransaction};

#[derive(Serialize)]
pub(super) struct Document<D> {
    pub(super) data: D,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) links: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) meta: Option<Value>,
}

#[derive(Serialize)]
pub(super) struct Resource<A> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: String,
    attributes: A,
    relationships: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<Value>,
    links: Value,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct AccountAttributes {
    subtype: &'static str,
    reference: String,
    reference_type: &'static str,
    currency: String,
    current_balance: Box<RawValue>,
    available_balance: Box<RawValue>,
    description: String,
    product: &'static str,
    holder_name: Option<String>,
    internal_reference: Option<String>,
    deprecated: bool,
    authorized_at: String,
    authorization_expiration_expected_at: String,
    current_balance_changed_at: String,
    current_balance_reference_date: String,
    available_balance_changed_at: String,
    available_balance_reference_date: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TransactionAttributes {
    amount: Box<RawValue>,
    currency: String,
    execution_date: String,
    value_date: String,
    description: String,
    counterpart_name: Option<String>,
    counterpart_reference: Option<String>,
    remittance_information_type: String,
    remittance_information: Option<String>,
    bank_transaction_code: Option<String>,
    proprietary_bank_transaction_code: Option<String>,
    end_to_end_id: &'static str,
    purpose_code: Option<String>,
    mandate_id: Option<String>,
    creditor_id: Option<String>,
    additional_information: Option<String>,
    digest: String,
    internal_reference: Option<String>,
    fee: Option<Box<RawValue>>,
    card_reference: Option<String>,
    card_reference_type: Option<String>,
    created_at: String,
    updated_at: String,
}

fn raw_number(decimal: &str) -> Box<RawValue> {
    // Amounts are checked to be decimal text when created, so this is valid JSON; a bad value
    // still yields a JSON value (null) rather than a panic.
    RawValue::from_string(decimal.to_owned())
        .or_else(|_| RawValue::from_string("null".to_owned()))
        .unwrap_or_else(|_| RawValue::NULL.to_owned())
}

pub(super) fn render<T: Serialize>(status: u16, document: &T) -> Reply {
    match serde_json::to_string(document) {
        Ok(text) => Reply::json(status, text),
        Err(e) => Reply::error(500, "internalServerError", &e.to_string()),
    }
}

pub(super) fn account_resource(s: &State, a: &FakeAccount) -> Resource<AccountAttributes> {
    let b = format!("{}{PREFIX}", s.origin);
    Resource {
        kind: "account",
        id: a.id.clone(),
        attributes: AccountAttributes {
            subtype: "checking",
            reference: a.iban.clone(),
            reference_type: "IBAN",
            currency: a.currency.clone(),
            current_balance: raw_number(&a.current_balance),
            available_balance: raw_number(&a.available_balance),
            description: a.description.clone(),
            product: "Business account",
            holder_name: a.holder_name.clone(),
            internal_reference: None,
            deprecated: false,
            authorized_at: timestamp(s.config.newest_date - time::Duration::days(81), "09:00:00.000"),
            authorization_expiration_expected_at: a.authorization_expires_at.clone(),
            current_balance_changed_at: a.synchronized_at.clone(),
            current_balance_reference_date: a.synchronized_at.clone(),
            available_balance_changed_at: a.synchronized_at.clone(),
            available_balance_reference_date: a.synchronized_at.clone(),
        },
        relationships: json!({
            "financialInstitution": {"data": {"type": "financialInstitution", "id": a.financial_institution_id},
                "links": {"related": format!("{b}/financial-institutions/{}", a.financial_institution_id)}},
            "transactions": {"links": {"related": format!("{b}/accounts/{}/transactions", a.id), "meta": {"type": "transaction"}}},
        }),
        meta: Some(json!({"availability": "available", "synchronizedAt": a.synchronized_at,
            "latestSynchronization": {"type": "synchronization", "id": "00000000-0000-4000-8000-000000000000",
                "attributes": {"resourceType": "account", "resourceId": a.id, "subtype": "accountDetails",
                    "status": "success", "errors": [], "customerOnline": false,
                    "createdAt": a.synchronized_at, "updatedAt": a.synchronized_at}}})),
        links: json!({"self": format!("{b}/accounts/{}", a.id)}),
    }
}

fn transaction_resource(s: &State, t: &FakeTransaction) -> Resource<TransactionAttributes> {
    let b = format!("{}{PREFIX}", s.origin);
    let digest = hex(&Sha256::digest(format!("{}|{}|{}", t.account_id, t.amount, t.execution_date)));
    Resource {
        kind: "transaction",
        id: t.id.clone(),
        attributes: TransactionAttributes {
            amount: raw_number(&t.amount),
            currency: t.currency.clone(),
            execution_date: format!("{}T00:00:00.000Z", t.execution_date),
            value_date: format!("{}T00:00:00.000Z", t.value_date),
            description: t.description.clone(),
            counterpart_name: t.counterpart_name.clone(),
            counterpart_reference: t.counterpart_reference.clone(),
            remittance_information_type: t.remittance_information_type.clone(),
            remittance_information: t.remittance_information.clone(),
            bank_transaction_code: t.bank_transaction_code.clone(),
            proprietary_bank_transaction_code: None,
            end_to_end_id: "NOTPROVIDED",
            purpose_code: None,
            mandate_id: None,
            creditor_id: None,
            additional_information: None,
            digest,
            internal_reference: None,
            fee: None,
            card_reference: None,
            card_reference_type: None,
            created_at: format!("{}T08:01:02.123Z", t.execution_date),
            updated_at: format!("{}T08:01:02.123Z", t.execution_date),
        },
        relationships: json!({"account": {"data": {"type": "account", "id": t.account_id},
            "links": {"related": format!("{b}/accounts/{}", t.account_id)}}}),
        meta: None,
        links: json!({"self": format!("{b}/accounts/{}/transactions/{}", t.account_id, t.id)}),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The paging parameters of a list request.
struct Paging {
    limit: usize,
    after: Option<String>,
    before: Option<String>,
}

fn paging(query: &str) -> Result<Paging, Reply> {
    let mut paging = Paging { limit: 10, after: None, before: None };
    for (key, value) in query_params(query) {
        // `serde_urlencoded` decodes `page%5Blimit%5D` to `page[limit]`; the unbracketed
        // `limit`/`after`/`before` of older clients are accepted too.
        match key.as_str() {
            "page[limit]" | "limit" => match value.parse::<usize>() {
                Ok(n) if (1..=100).contains(&n) => paging.limit = n,
                _ => return Err(Reply::error(400, "invalidParameter", "page[limit] must be between 1 and 100")),
            },
            "page[after]" | "after" => paging.after = Some(value),
            "page[before]" | "before" => paging.before = Some(value),
            _ => {}
        }
    }
    Ok(paging)
}

/// Cuts one page out of `ids` and returns its range and the links and meta of the page.
fn page_of(ids: &[String], paging: &Paging, self_url: &str) -> Result<(std::ops::Range<usize>, Value, Value), Reply> {
    let position = |id: &str| {
        ids.iter().position(|i| i == id).ok_or_else(|| Reply::error(400, "invalidCursor", "unknown page cursor"))
    };
    let range = match (&paging.after, &paging.before) {
        (Some(after), _) => {
            let start = position(after)? + 1;
            start..(start + paging.limit).min(ids.len())
        }
        (None, Some(before)) => {
            let end = position(before)?;
            end.saturating_sub(paging.limit)..end
        }
        (None, None) => 0..paging.limit.min(ids.len()),
    };
    let limit = paging.limit;
    let mut links = json!({"first": format!("{self_url}?page[limit]={limit}")});
    let last = range.end.checked_sub(1).and_then(|i| ids.get(i));
    let first = ids.get(range.start).filter(|_| !range.is_empty());
    if range.end < ids.len()
        && let Some(last) = last
    {
        links["next"] = Value::String(format!("{self_url}?page[after]={last}&page[limit]={limit}"));
    }
    if range.start > 0
        && let Some(first) = first
    {
        links["prev"] = Value::String(format!("{self_url}?page[before]={first}&page[limit]={limit}"));
    }
    let meta = json!({"paging": {"limit": limit, "before": first, "after": last}});
    Ok((range, links, meta))
}

pub(super) fn list_accounts(s: &State, query: &str) -> Reply {
    let paging = match paging(query) {
        Ok(p) => p,
        Err(reply) => return reply,
    };
    let ids: Vec<String> = s.accounts.iter().map(|a| a.id.clone()).collect();
    let url = format!("{}{PREFIX}/accounts", s.origin);
    match page_of(&ids, &paging, &url) {
        Ok((range, links, meta)) => {
            let data: Vec<_> = s.accounts[range].iter().map(|a| account_resource(s, a)).collect();
            render(200, &Document { data, links: Some(links), meta: Some(meta) })
        }
        Err(reply) => reply,
    }
}

fn render_transactions(s: &State, list: &[FakeTransaction], query: &str, url: &str, extra_meta: Value) -> Reply {
    let paging = match paging(query) {
        Ok(p) => p,
        Err(reply) => return reply,
    };
    let ids: Vec<String> = list.iter().map(|t| t.id.clone()).collect();
    match page_of(&ids, &paging, url) {
        Ok((range, links, mut meta)) => {
            if let (Some(meta), Some(extra)) = (meta.as_object_mut(), extra_meta.as_object()) {
                meta.extend(extra.clone());
            }
            let data: Vec<_> = list[range].iter().map(|t| transaction_resource(s, t)).collect();
            render(200, &Document { data, links: Some(links), meta: Some(meta) })
        }
        Err(reply) => reply,
    }
}

pub(super) fn list_transactions(s: &State, account_id: &str, query: &str) -> Reply {
    let Some(account) = s.accounts.iter().find(|a| a.id == account_id) else {
        return Reply::error(404, "resourceNotFound", "account not found");
    };
    let list = s.transactions.get(account_id).cloned().unwrap_or_default();
    let url = format!("{}{PREFIX}/accounts/{account_id}/transactions", s.origin);
    render_transactions(s, &list, query, &url, json!({"synchronizedAt": account.synchronized_at}))
}

fn sync_resource(s: &State, sync: &FakeSync) -> Value {
    let b = format!("{}{PREFIX}", s.origin);
    let created = timestamp(s.config.newest_date.next_day().unwrap_or(s.config.newest_date), "08:00:00.000");
    let errors: Vec<Value> = sync.errors.iter().map(|(code, detail)| json!({"code": code, "detail": detail})).collect();
    json!({"data": {"type": "synchronization", "id": sync.id,
        "attributes": {"resourceType": "account", "resourceId": sync.account_id, "subtype": sync.subtype,
            "status": sync.status, "errors": errors, "customerOnline": false,
            "createdAt": created, "updatedAt": created},
        "relationships": {"updatedTransactions": {"links": {"related": format!("{b}/synchronizations/{}/updated-transactions", sync.id)}}},
        "links": {"self": format!("{b}/synchronizations/{}", sync.id)}}})
}

pub(super) fn create_sync(s: &mut State, body: &[u8]) -> Reply {
    let Ok(doc) = serde_json::from_slice::<Value>(body) else {
        return Reply::error(400, "invalidRequest", "the body is not JSON");
    };
    let attributes = &doc["data"]["attributes"];
    if doc["data"]["type"] != "synchronization" || attributes["resourceType"] != "account" {
        return Reply::error(400, "invalidRequest", "data.type must be synchronization on an account");
    }
    let Some(account_id) = attributes["resourceId"].as_str().map(str::to_owned) else {
        return Reply::error(400, "invalidRequest", "resourceId is required");
    };
    let subtype = attributes["subtype"].as_str().unwrap_or_default().to_owned();
    if !matches!(subtype.as_str(), "accountDetails" | "accountTransactions" | "accountTransactionsWithUnsettled") {
        return Reply::error(400, "invalidRequest", "unknown subtype");
    }
    if !s.accounts.iter().any(|a| a.id == account_id) {
        return Reply::error(404, "resourceNotFound", "account not found");
    }
    let sync = FakeSync {
        id: s.rng.uuid(),
        account_id,
        subtype,
        reads: 0,
        status: "pending",
        errors: Vec::new(),
        updated: Vec::new(),
    };
    let reply = Reply::value(201, &sync_resource(s, &sync));
    s.syncs.push(sync);
    reply
}

pub(super) fn read_sync(s: &mut State, id: &str) -> Reply {
    let Some(index) = s.syncs.iter().position(|x| x.id == id) else {
        return Reply::error(404, "resourceNotFound", "synchronization not found");
    };
    let (reads_needed, fail_with) = (s.config.sync_reads_until_done, s.fail_syncs_with.clone());
    let finishing = {
        let sync = &mut s.syncs[index];
        if sync.status == "pending" || sync.status == "running" {
            sync.reads += 1;
            if sync.reads >= reads_needed { Some(sync.account_id.clone()) } else { None }
        } else {
            None
        }
    };
    if s.syncs[index].status == "pending" && finishing.is_none() {
        s.syncs[index].status = "running";
    }
    if let Some(account_id) = finishing {
        if let Some(code) = fail_with {
            let sync = &mut s.syncs[index];
            sync.status = "error";
            sync.errors = vec![(
                code,
                "The authorization is invalid, you should ask the customer to reauthorize the account".into(),
            )];
        } else {
            let mut updated = Vec::new();
            let mut moved = 0_i64;
            if s.syncs[index].subtype != "accountDetails" {
                for _ in 0..s.config.new_transactions_per_sync {
                    let booked = s.config.newest_date.next_day().unwrap_or(s.config.newest_date).to_string();
                    // A live fake books as much in as out over time, so the balance wanders
                    // rather than sinks.
                    let t = if s.config.live {
                        super::data::new_even_transaction(&mut s.rng, &account_id, &booked, s.generated)
                    } else {
                        new_transaction(&mut s.rng, &account_id, &booked, s.generated)
                    };
                    s.generated += 1;
                    moved += super::data::parse_cents(&t.amount);
                    updated.push(t.id.clone());
                    s.transactions.entry(account_id.clone()).or_default().insert(0, t);
                }
            }
            if s.config.live {
                let stamp = super::data::now_timestamp();
                if let Some(account) = s.accounts.iter_mut().find(|a| a.id == account_id) {
                    account.synchronized_at = stamp;
                    account.current_balance =
                        super::data::cents_text(super::data::parse_cents(&account.current_balance) + moved);
                    account.available_balance =
                        super::data::cents_text(super::data::parse_cents(&account.available_balance) + moved);
                }
            }
            let sync = &mut s.syncs[index];
            sync.status = "success";
            sync.updated = updated;
        }
    }
    Reply::value(200, &sync_resource(s, &s.syncs[index]))
}

pub(super) fn updated_transactions(s: &State, id: &str, query: &str) -> Reply {
    let Some(sync) = s.syncs.iter().find(|x| x.id == id) else {
        return Reply::error(404, "resourceNotFound", "synchronization not found");
    };
    let all = s.transactions.get(&sync.account_id).cloned().unwrap_or_default();
    let list: Vec<FakeTransaction> = all.into_iter().filter(|t| sync.updated.contains(&t.id)).collect();
    let url = format!("{}{PREFIX}/synchronizations/{id}/updated-transactions", s.origin);
    render_transactions(s, &list, query, &url, json!({}))
}
