//! The reconciliation repository: matches, suggestions, and which transactions the rules have
//! looked at.
//!
//! Matches and suggestions keep their explanation as JSON text (the matched fields, the
//! candidates), which nothing filters on. Payments change an invoice's paid amount, status,
//! update time and version only, so an outcome updates just those columns, under the same
//! optimistic version check as every invoice write.
//!
//! **Why this file is long:** it is one port's implementation, whose atomic `save_outcome`
//! writes matches, suggestions, decisions, transaction marks and invoice payments together; its
//! row types and JSON mapping serve only it.

#![allow(clippy::clone_on_copy, reason = "ids and timestamps are Copy on PostgreSQL but Strings on SQLite")]

use std::collections::{BTreeSet, HashMap, HashSet};

use billify_domain::{
    BankTransaction, Candidate, CandidateKeys, Currency, Direction, Flow, Iban, Invoice, InvoiceEvent, InvoiceId,
    InvoiceKind, MatchExplanation, MatchRule, Money, NewBankTransaction, OpenItem, OrganisationId, PaymentReference,
    ProviderId, RemittanceType, UserId,
};
use billify_ports::RepositoryError;
use billify_ports::audit::NewAuditEntry;
use billify_ports::bank::StoredBankTransaction;
use billify_ports::reconciliation::{
    ReconciliationOutcome, ReconciliationRepository, StoredMatch, StoredSuggestion, SuggestionStatus,
    TransactionBalance,
};
use billify_store_common::columns;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::literal::Code;
use crate::Store;
use crate::dialect::{self, Db, DbId, DbTime};

use super::invoices::{InvoiceRow, settled};
use super::{invoice_id, org_id};

use super::schema::{
    bank_accounts, bank_transactions, invoice_events, invoices, reconciliation_matches, reconciliation_suggestions,
};

fn db_err(e: DieselError) -> RepositoryError {
    match e {
        DieselError::NotFound => RepositoryError::NotFound,
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
            RepositoryError::Conflict(format!("duplicate record: {}", info.message()))
        }
        DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
            RepositoryError::Unavailable(info.message().to_owned())
        }
        other => RepositoryError::Other(Box::new(other)),
    }
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> RepositoryError {
    RepositoryError::Corrupt(format!("{what}: {e}"))
}

fn uid(id: Uuid) -> DbId {
    dialect::id_to_db(id)
}

fn minor(m: &Money) -> Result<i64, RepositoryError> {
    m.to_minor_units().map_err(|e| corrupt("amount", e))
}

// ---------------------------------------------------------------------------------------------
// Explanations as JSON

fn fields_json(explanation: &MatchExplanation) -> String {
    serde_json::Value::from(explanation.fields.clone()).to_string()
}

fn fields_from(text: &str) -> Result<Vec<String>, RepositoryError> {
    serde_json::from_str(text).map_err(|e| corrupt("matched fields", e))
}

fn candidates_json(candidates: &[Candidate]) -> String {
    serde_json::Value::Array(
        candidates
            .iter()
            .map(|c| {
                serde_json::json!({
                    "invoice_id": c.invoice_id.to_string(),
                    "open_minor": c.open_minor,
                    "rule": c.explanation.rule.code(),
                    "fields": c.explanation.fields,
                    "score": c.explanation.score,
                })
            })
            .collect(),
    )
    .to_string()
}

fn candidates_from(text: &str) -> Result<Vec<Candidate>, RepositoryError> {
    let bad = |what: &str| corrupt("suggestion candidates", what);
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| corrupt("suggestion candidates", e))?;
    let items = value.as_array().ok_or_else(|| bad("not an array"))?;
    items
        .iter()
        .map(|c| {
            let invoice_id: InvoiceId = c
                .get("invoice_id")
                .and_then(|v| v.as_str())
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| bad("invoice id"))?;
            let rule: MatchRule =
                c.get("rule").and_then(|v| v.as_str()).and_then(|s| s.parse().ok()).ok_or_else(|| bad("rule"))?;
            let fields = c
                .get("fields")
                .and_then(|v| v.as_array())
                .map(|a| a.iter().filter_map(|f| f.as_str().map(str::to_owned)).collect())
                .unwrap_or_default();
            let score = c.get("score").and_then(|v| v.as_u64()).and_then(|s| u8::try_from(s).ok()).unwrap_or(0);
            let open_minor = c.get("open_minor").and_then(|v| v.as_i64()).unwrap_or(0);
            Ok(Candidate { invoice_id, open_minor, explanation: MatchExplanation { rule, fields, score } })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Rows

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = reconciliation_matches, check_for_backend(Db), treat_none_as_default_value = false)]
struct MatchRow {
    organisation_id: DbId,
    id: DbId,
    transaction_id: DbId,
    invoice_id: DbId,
    amount_minor: i64,
    overpayment_minor: i64,
    currency: String,
    rule: String,
    matched_fields: String,
    score: i32,
    applied_by: Option<DbId>,
    suggestion_id: Option<DbId>,
    created_at: DbTime,
    undone_at: Option<DbTime>,
    undone_by: Option<DbId>,
}

impl MatchRow {
    fn from_domain(organisation: OrganisationId, m: &StoredMatch) -> Result<Self, RepositoryError> {
        Ok(MatchRow {
            organisation_id: org_id(organisation),
            id: uid(m.id),
            transaction_id: uid(m.transaction_id),
            invoice_id: uid(*m.invoice_id.as_uuid()),
            amount_minor: minor(&m.amount)?,
            overpayment_minor: minor(&m.overpayment)?,
            currency: m.amount.currency().code().to_owned(),
            rule: m.explanation.rule.code().to_owned(),
            matched_fields: fields_json(&m.explanation),
            score: i32::from(m.explanation.score),
            applied_by: m.applied_by.map(|u| uid(*u.as_uuid())),
            suggestion_id: m.suggestion_id.map(uid),
            created_at: dialect::time_to_db(m.created_at),
            undone_at: m.undone_at.map(dialect::time_to_db),
            undone_by: m.undone_by.map(|u| uid(*u.as_uuid())),
        })
    }

    fn into_domain(self) -> Result<StoredMatch, RepositoryError> {
        let currency = Currency::parse(&self.currency).map_err(|e| corrupt("match currency", e))?;
        let money = |m: i64| Money::from_minor_units(m, currency).map_err(|e| corrupt("match amount", e));
        let user = |u: &Option<DbId>| u.as_ref().map(|u| dialect::id_from_db(u).map(UserId::from_uuid)).transpose();
        Ok(StoredMatch {
            id: dialect::id_from_db(&self.id)?,
            transaction_id: dialect::id_from_db(&self.transaction_id)?,
            invoice_id: InvoiceId::from_uuid(dialect::id_from_db(&self.invoice_id)?),
            amount: money(self.amount_minor)?,
            overpayment: money(self.overpayment_minor)?,
            explanation: MatchExplanation {
                rule: self.rule.parse().map_err(|e| corrupt("match rule", e))?,
                fields: fields_from(&self.matched_fields)?,
                score: u8::try_from(self.score).map_err(|e| corrupt("match score", e))?,
            },
            applied_by: user(&self.applied_by)?,
            suggestion_id: self.suggestion_id.as_ref().map(dialect::id_from_db).transpose()?,
            created_at: dialect::time_from_db(&self.created_at)?,
            undone_at: self.undone_at.as_ref().map(dialect::time_from_db).transpose()?,
            undone_by: user(&self.undone_by)?,
        })
    }
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = reconciliation_suggestions, check_for_backend(Db), treat_none_as_default_value = false)]
struct SuggestionRow {
    organisation_id: DbId,
    id: DbId,
    transaction_id: DbId,
    rule: String,
    reason: String,
    candidates: String,
    status: String,
    created_at: DbTime,
    decided_at: Option<DbTime>,
    decided_by: Option<DbId>,
}

impl SuggestionRow {
    fn from_domain(organisation: OrganisationId, s: &StoredSuggestion) -> Self {
        SuggestionRow {
            organisation_id: org_id(organisation),
            id: uid(s.id),
            transaction_id: uid(s.transaction_id),
            rule: s.rule.code().to_owned(),
            reason: s.reason.clone(),
            candidates: candidates_json(&s.candidates),
            status: s.status.code().to_owned(),
            created_at: dialect::time_to_db(s.created_at),
            decided_at: s.decided_at.map(dialect::time_to_db),
            decided_by: s.decided_by.map(|u| uid(*u.as_uuid())),
        }
    }

    fn into_domain(self) -> Result<StoredSuggestion, RepositoryError> {
        Ok(StoredSuggestion {
            id: dialect::id_from_db(&self.id)?,
            transaction_id: dialect::id_from_db(&self.transaction_id)?,
            rule: self.rule.parse().map_err(|e| corrupt("suggestion rule", e))?,
            reason: self.reason,
            candidates: candidates_from(&self.candidates)?,
            status: SuggestionStatus::parse(&self.status).ok_or_else(|| corrupt("suggestion status", &self.status))?,
            created_at: dialect::time_from_db(&self.created_at)?,
            decided_at: self.decided_at.as_ref().map(dialect::time_from_db).transpose()?,
            decided_by: self.decided_by.as_ref().map(|u| dialect::id_from_db(u).map(UserId::from_uuid)).transpose()?,
        })
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = bank_transactions, check_for_backend(Db))]
struct TransactionRow {
    id: DbId,
    account_id: DbId,
    provider_id: String,
    amount_minor: i64,
    currency: String,
    counterparty_name: Option<String>,
    counterparty_account: Option<String>,
    remittance_information: Option<String>,
    remittance_type: String,
    description: Option<String>,
    execution_date: Date,
    value_date: Option<Date>,
    bank_transaction_code: Option<String>,
    bank_reference: Option<String>,
}

/// The transactions of these rows, each with its account's provider id (one query for all).
fn stored_transactions(
    conn: &mut dialect::Conn,
    organisation: &DbId,
    rows: Vec<TransactionRow>,
) -> Result<Vec<StoredBankTransaction>, RepositoryError> {
    let account_ids: Vec<DbId> =
        rows.iter().map(|r| r.account_id.clone()).collect::<HashSet<_>>().into_iter().collect();
    let accounts: HashMap<DbId, String> = bank_accounts::table
        .filter(bank_accounts::organisation_id.eq(organisation))
        .filter(bank_accounts::id.eq_any(&account_ids))
        .select((bank_accounts::id, bank_accounts::provider_id))
        .load::<(DbId, String)>(conn)
        .map_err(db_err)?
        .into_iter()
        .collect();
    rows.into_iter()
        .map(|r| {
            let account = accounts.get(&r.account_id).ok_or_else(|| corrupt("bank transaction", "no account"))?;
            let currency = Currency::parse(&r.currency).map_err(|e| corrupt("bank transaction currency", e))?;
            let transaction = BankTransaction::new(NewBankTransaction {
                provider_id: ProviderId::parse(&r.provider_id).map_err(|e| corrupt("bank transaction id", e))?,
                account_provider_id: ProviderId::parse(account).map_err(|e| corrupt("bank account id", e))?,
                amount: Money::from_minor_units(r.amount_minor, currency).map_err(|e| corrupt("bank amount", e))?,
                counterparty_name: r.counterparty_name,
                counterparty_account: r.counterparty_account,
                remittance_information: r.remittance_information,
                remittance_type: if r.remittance_type == "structured" {
                    RemittanceType::Structured
                } else {
                    RemittanceType::Unstructured
                },
                description: r.description,
                execution_date: r.execution_date,
                value_date: r.value_date,
                bank_transaction_code: r.bank_transaction_code,
                bank_reference: r.bank_reference,
            });
            Ok(StoredBankTransaction {
                id: dialect::id_from_db(&r.id)?,
                account_id: dialect::id_from_db(&r.account_id)?,
                transaction,
            })
        })
        .collect()
}

#[derive(Insertable)]
#[diesel(table_name = invoice_events, check_for_backend(Db))]
struct EventRow {
    organisation_id: DbId,
    id: DbId,
    invoice_id: DbId,
    code: String,
    details: String,
    occurred_at: DbTime,
}

/// Stores invoice events, many rows per statement.
fn insert_events(conn: &mut dialect::Conn, events: &[&InvoiceEvent]) -> Result<(), DieselError> {
    let rows: Vec<EventRow> = events
        .iter()
        .map(|e| EventRow {
            organisation_id: org_id(e.organisation_id),
            id: uid(Uuid::now_v7()),
            invoice_id: uid(*e.invoice_id.as_uuid()),
            code: e.kind.code().to_owned(),
            details: columns::event_details(e),
            occurred_at: dialect::time_to_db(e.occurred_at),
        })
        .collect();
    for chunk in rows.chunks(500) {
        diesel::insert_into(invoice_events::table).values(chunk).execute(conn)?;
    }
    Ok(())
}

/// Stores a payment's change of an invoice (paid amount, status, update time, version) if the
/// stored version is the one before, with its events; `Ok(Err(_))` says why it was refused.
fn write_invoice(
    conn: &mut dialect::Conn,
    invoice: &Invoice,
    events: &[InvoiceEvent],
) -> Result<Result<(), RepositoryError>, DieselError> {
    if let Err(refused) = write_invoice_row(conn, invoice)? {
        return Ok(Err(refused));
    }
    insert_events(conn, &events.iter().collect::<Vec<_>>())?;
    Ok(Ok(()))
}

/// Stores a payment's change of an invoice without its events.
fn write_invoice_row(conn: &mut dialect::Conn, invoice: &Invoice) -> Result<Result<(), RepositoryError>, DieselError> {
    let organisation = org_id(invoice.organisation_id());
    let id = uid(*invoice.id().as_uuid());
    let Ok(paid) = invoice.amount_paid().to_minor_units() else {
        return Ok(Err(corrupt("invoice paid amount", "out of range")));
    };
    let n = diesel::update(
        invoices::table
            .filter(invoices::organisation_id.eq(&organisation))
            .filter(invoices::id.eq(&id))
            .filter(invoices::version.eq(invoice.version() - 1)),
    )
    .set((
        invoices::paid_minor.eq(paid),
        invoices::status.eq(invoice.status().code()),
        invoices::updated_at.eq(dialect::time_to_db(invoice.updated_at())),
        invoices::version.eq(invoice.version()),
    ))
    .execute(conn)?;
    if n == 0 {
        let current = invoices::table
            .filter(invoices::organisation_id.eq(&organisation))
            .filter(invoices::id.eq(&id))
            .select(invoices::version)
            .first::<i64>(conn)
            .optional()?;
        return Ok(Err(match current {
            None => RepositoryError::NotFound,
            Some(current) => RepositoryError::StaleVersion { current },
        }));
    }
    Ok(Ok(()))
}

/// Stores the payments of a run's invoices (paid amount, status, update time, version) in one
/// statement per 200 invoices instead of one each, so the triggers that keep the open amounts
/// (migration `000036`) run once per statement. Each row is written only if its stored version
/// is the one before; when one is not, the invoices are read back to say which and why (the
/// caller's transaction is rolled back).
fn write_invoice_rows(
    conn: &mut dialect::Conn,
    organisation: &DbId,
    invoices: &[&Invoice],
) -> Result<Result<(), RepositoryError>, DieselError> {
    for chunk in invoices.chunks(200) {
        let mut values = Vec::with_capacity(chunk.len());
        for k in 0..chunk.len() {
            let b = 2 + k * 5;
            values.push(format!("(${}, ${}, ${}, ${}, ${})", b, b + 1, b + 2, b + 3, b + 4));
        }
        let sql = format!(
            "UPDATE invoices SET paid_minor = v.column2, status = v.column3, updated_at = v.column4, \
             version = v.column5 \
             FROM (VALUES {}) AS v \
             WHERE invoices.organisation_id = $1 AND invoices.id = v.column1 AND invoices.version = v.column5 - 1",
            values.join(", ")
        );
        let mut query = diesel::sql_query(dialect::sql(&sql).into_owned())
            .into_boxed::<Db>()
            .bind::<dialect::SqlId, _>(organisation.clone());
        for invoice in chunk {
            let Ok(paid) = invoice.amount_paid().to_minor_units() else {
                return Ok(Err(corrupt("invoice paid amount", "out of range")));
            };
            query = query
                .bind::<dialect::SqlId, _>(uid(*invoice.id().as_uuid()))
                .bind::<diesel::sql_types::BigInt, _>(paid)
                .bind::<diesel::sql_types::Text, _>(invoice.status().code())
                .bind::<dialect::SqlTime, _>(dialect::time_to_db(invoice.updated_at()))
                .bind::<diesel::sql_types::BigInt, _>(invoice.version());
        }
        if query.execute(conn)? != chunk.len() {
            // Say which invoice was refused: gone, changed meanwhile, or named twice.
            for invoice in chunk {
                let current = invoices::table
                    .filter(invoices::organisation_id.eq(organisation))
                    .filter(invoices::id.eq(uid(*invoice.id().as_uuid())))
                    .select(invoices::version)
                    .first::<i64>(conn)
                    .optional()?;
                match current {
                    None => return Ok(Err(RepositoryError::NotFound)),
                    Some(current) if current != invoice.version() => {
                        return Ok(Err(RepositoryError::StaleVersion { current }));
                    }
                    Some(_) => {}
                }
            }
            return Ok(Err(RepositoryError::StaleVersion { current: chunk[0].version() }));
        }
    }
    Ok(Ok(()))
}

/// Runs `f` in a write transaction; a refusal it returns rolls everything back.
fn refusable(
    conn: &mut dialect::Conn,
    f: impl FnOnce(&mut dialect::Conn) -> Result<Result<(), RepositoryError>, DieselError>,
) -> Result<(), RepositoryError> {
    let mut refusal = None;
    let result = dialect::write_transaction(conn, |conn| match f(conn)? {
        Ok(()) => Ok(()),
        Err(e) => {
            refusal = Some(e);
            Err(DieselError::RollbackTransaction)
        }
    });
    match (refusal, result) {
        (Some(e), _) => Err(e),
        (None, Ok(())) => Ok(()),
        (None, Err(e)) => Err(db_err(e)),
    }
}

fn match_rows(
    conn: &mut dialect::Conn,
    organisation: &DbId,
    by_transaction: Option<&DbId>,
    by_invoice: Option<&DbId>,
) -> Result<Vec<StoredMatch>, RepositoryError> {
    // A transaction or an invoice has a handful of matches: all of them, oldest first.
    let mut query =
        reconciliation_matches::table.filter(reconciliation_matches::organisation_id.eq(organisation)).into_boxed();
    if let Some(t) = by_transaction {
        query = query.filter(reconciliation_matches::transaction_id.eq(t));
    }
    if let Some(i) = by_invoice {
        query = query.filter(reconciliation_matches::invoice_id.eq(i));
    }
    query
        .order((reconciliation_matches::created_at.asc(), reconciliation_matches::id.asc()))
        .select(MatchRow::as_select())
        .load(conn)
        .map_err(db_err)?
        .into_iter()
        .map(MatchRow::into_domain)
        .collect()
}

type OpenRow = (DbId, String, String, String, i64, i64, String, Option<String>, String, Option<String>, Date);

type OpenFilter = Box<dyn BoxableExpression<invoices::table, Db, SqlType = diesel::sql_types::Bool>>;

/// The open items of an organisation: every one, or (with `keys`) those a batch may name, those
/// whose amount it may pay and those credit notes correct. Open amounts are net of payments and
/// of the unsettled credit notes that correct the invoice (`billify_domain::cashflow`).
fn open_items_in(
    conn: &mut dialect::Conn,
    org: &DbId,
    keys: Option<&CandidateKeys>,
) -> Result<Vec<OpenItem>, RepositoryError> {
    let load = |conn: &mut dialect::Conn, filter: Option<OpenFilter>| -> Result<Vec<OpenRow>, RepositoryError> {
        let mut query = invoices::table
            .filter(invoices::organisation_id.eq(org))
            .filter(invoices::status.ne(Code("paid")))
            .filter(invoices::corrects_invoice_id.is_null())
            .into_boxed();
        if let Some(filter) = filter {
            query = query.filter(filter);
        }
        query
            .select((
                invoices::id,
                invoices::direction,
                invoices::kind,
                invoices::currency,
                invoices::total_minor,
                invoices::paid_minor,
                invoices::invoice_number,
                invoices::payment_reference,
                invoices::counterparty_name,
                invoices::counterparty_iban,
                invoices::due_date,
            ))
            .load(conn)
            .map_err(db_err)
    };
    // What the unsettled credit notes linked to each invoice give back, per direction and
    // currency: it lowers what the invoice still asks.
    let notes: Vec<(Option<DbId>, String, String, i64, i64)> = invoices::table
        .filter(invoices::organisation_id.eq(org))
        .filter(invoices::kind.eq(Code("credit_note")))
        .filter(invoices::status.ne(Code("paid")))
        .filter(invoices::corrects_invoice_id.is_not_null())
        .select((
            invoices::corrects_invoice_id,
            invoices::direction,
            invoices::currency,
            invoices::total_minor,
            invoices::paid_minor,
        ))
        .load(conn)
        .map_err(db_err)?;
    let mut credit: HashMap<(DbId, String, String), i64> = HashMap::new();
    for (corrected, direction, currency, total, paid) in notes {
        if let Some(corrected) = corrected {
            *credit.entry((corrected, direction, currency)).or_default() += (total - paid).max(0);
        }
    }
    let rows = match keys {
        None => load(conn, None)?,
        Some(keys) => {
            let mut rows = Vec::new();
            for chunk in keys.keys.chunks(500) {
                rows.extend(load(
                    conn,
                    Some(Box::new(
                        invoices::number_key.assume_not_null().eq_any(chunk.to_vec()).or(invoices::reference_key
                            .assume_not_null()
                            .ne(Code(""))
                            .and(invoices::reference_key.assume_not_null().eq_any(chunk.to_vec()))),
                    )),
                )?);
            }
            let mut amounts: Vec<i64> = keys.amounts.iter().map(|(_, _, a)| *a).collect();
            amounts.sort_unstable();
            amounts.dedup();
            for chunk in amounts.chunks(500) {
                rows.extend(load(
                    conn,
                    Some(Box::new((invoices::total_minor - invoices::paid_minor).eq_any(chunk.to_vec()))),
                )?);
            }
            let mut credited: Vec<DbId> = credit.keys().map(|(id, _, _)| id.clone()).collect();
            credited.sort();
            credited.dedup();
            for chunk in credited.chunks(500) {
                rows.extend(load(conn, Some(Box::new(invoices::id.eq_any(chunk.to_vec()))))?);
            }
            let mut seen = HashSet::new();
            rows.retain(|r| seen.insert(r.0.clone()));
            rows
        }
    };
    rows.into_iter()
        .filter_map(|(id, direction, kind, currency, total, paid, number, reference, name, iban, due)| {
            let available = if kind == "invoice" {
                credit.get(&(id.clone(), direction.clone(), currency.clone())).copied().unwrap_or(0)
            } else {
                0
            };
            let open = total - paid - available.min((total - paid).max(0));
            (open > 0).then_some((id, direction, kind, currency, open, number, reference, name, iban, due))
        })
        .map(|(id, direction, kind, currency, open, number, reference, name, iban, due)| {
            let direction: Direction = direction.parse().map_err(|e| corrupt("invoice direction", e))?;
            let kind: InvoiceKind = kind.parse().map_err(|e| corrupt("invoice kind", e))?;
            Ok(OpenItem {
                invoice_id: InvoiceId::from_uuid(dialect::id_from_db(&id)?),
                flow: Flow::of_invoice(direction, kind),
                currency: Currency::parse(&currency).map_err(|e| corrupt("invoice currency", e))?,
                open_minor: open,
                invoice_number: number,
                payment_reference: reference.as_deref().and_then(|r| PaymentReference::parse(r).ok()),
                counterparty_name: name,
                counterparty_iban: iban.as_deref().and_then(|i| Iban::parse(i).ok()),
                due_date: due,
            })
        })
        .collect()
}

impl ReconciliationRepository for Store {
    fn open_items(&self, organisation: OrganisationId) -> Result<Vec<OpenItem>, RepositoryError> {
        open_items_in(&mut *self.conn()?, &org_id(organisation), None)
    }

    fn open_items_for(
        &self,
        organisation: OrganisationId,
        keys: &CandidateKeys,
    ) -> Result<Vec<OpenItem>, RepositoryError> {
        open_items_in(&mut *self.conn()?, &org_id(organisation), Some(keys))
    }

    fn invoices_by_id(&self, organisation: OrganisationId, ids: &[InvoiceId]) -> Result<Vec<Invoice>, RepositoryError> {
        let organisation = org_id(organisation);
        let ids: Vec<DbId> = ids.iter().map(|i| uid(*i.as_uuid())).collect();
        let mut conn = self.conn()?;
        let mut found = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(1000) {
            let rows: Vec<InvoiceRow> = invoices::table
                .filter(invoices::organisation_id.eq(&organisation))
                .filter(invoices::id.eq_any(chunk))
                .select(InvoiceRow::as_select())
                .load(&mut conn)
                .map_err(db_err)?;
            found.extend(settled(&mut conn, &organisation, rows)?);
        }
        Ok(found)
    }

    fn transactions_to_reconcile(
        &self,
        organisation: OrganisationId,
        limit: u32,
    ) -> Result<Vec<StoredBankTransaction>, RepositoryError> {
        let organisation = org_id(organisation);
        let mut conn = self.conn()?;
        let rows = bank_transactions::table
            .filter(bank_transactions::organisation_id.eq(&organisation))
            .filter(bank_transactions::reconciled_at.is_null())
            .order((bank_transactions::execution_date.asc(), bank_transactions::id.asc()))
            .limit(i64::from(limit.clamp(1, 10_000)))
            .select(TransactionRow::as_select())
            .load(&mut conn)
            .map_err(db_err)?;
        stored_transactions(&mut conn, &organisation, rows)
    }

    fn invoices_to_reconcile(
        &self,
        organisation: OrganisationId,
        after: Option<(Date, InvoiceId)>,
        limit: u32,
    ) -> Result<Vec<(InvoiceId, Date)>, RepositoryError> {
        let mut query = invoices::table
            .filter(invoices::organisation_id.eq(org_id(organisation)))
            .filter(invoices::reconciled_at.is_null())
            .order((invoices::issue_date.asc(), invoices::id.asc()))
            .limit(i64::from(limit.clamp(1, 10_000)))
            .select((invoices::id, invoices::issue_date))
            .into_boxed();
        if let Some((issued, id)) = after {
            let id = invoice_id(id);
            query = query
                .filter(invoices::issue_date.gt(issued).or(invoices::issue_date.eq(issued).and(invoices::id.gt(id))));
        }
        let rows: Vec<(DbId, Date)> = query.load(&mut self.conn()?).map_err(db_err)?;
        rows.into_iter().map(|(id, issued)| Ok((InvoiceId::from_uuid(dialect::id_from_db(&id)?), issued))).collect()
    }

    fn unmatched_transactions(
        &self,
        organisation: OrganisationId,
        since: Date,
        after: Option<(Date, Uuid)>,
        limit: u32,
    ) -> Result<Vec<StoredBankTransaction>, RepositoryError> {
        use diesel::dsl::{exists, not};
        let organisation = org_id(organisation);
        let mut conn = self.conn()?;
        let active = reconciliation_matches::table
            .filter(reconciliation_matches::organisation_id.eq(bank_transactions::organisation_id))
            .filter(reconciliation_matches::transaction_id.eq(bank_transactions::id))
            .filter(reconciliation_matches::undone_at.is_null());
        let pending = reconciliation_suggestions::table
            .filter(reconciliation_suggestions::organisation_id.eq(bank_transactions::organisation_id))
            .filter(reconciliation_suggestions::transaction_id.eq(bank_transactions::id))
            .filter(reconciliation_suggestions::status.eq(Code(SuggestionStatus::Pending.code())));
        let mut query = bank_transactions::table
            .filter(bank_transactions::organisation_id.eq(&organisation))
            .filter(bank_transactions::reconciled_at.is_not_null())
            .filter(bank_transactions::execution_date.ge(since))
            .filter(not(exists(active)))
            .filter(not(exists(pending)))
            .into_boxed();
        if let Some((date, id)) = after {
            query = query.filter(
                bank_transactions::execution_date
                    .gt(date)
                    .or(bank_transactions::execution_date.eq(date).and(bank_transactions::id.gt(uid(id)))),
            );
        }
        let rows = query
            .order((bank_transactions::execution_date.asc(), bank_transactions::id.asc()))
            .limit(i64::from(limit.clamp(1, 10_000)))
            .select(TransactionRow::as_select())
            .load(&mut conn)
            .map_err(db_err)?;
        stored_transactions(&mut conn, &organisation, rows)
    }

    fn excluded_invoices(
        &self,
        organisation: OrganisationId,
        transactions: &[Uuid],
    ) -> Result<Vec<(Uuid, InvoiceId)>, RepositoryError> {
        let organisation = org_id(organisation);
        let ids: Vec<DbId> = transactions.iter().copied().map(uid).collect();
        let mut conn = self.conn()?;
        let mut pairs = Vec::new();
        for chunk in ids.chunks(1000) {
            let undone: Vec<(DbId, DbId)> = reconciliation_matches::table
                .filter(reconciliation_matches::organisation_id.eq(&organisation))
                .filter(reconciliation_matches::transaction_id.eq_any(chunk))
                .filter(reconciliation_matches::undone_at.is_not_null())
                .select((reconciliation_matches::transaction_id, reconciliation_matches::invoice_id))
                .load(&mut conn)
                .map_err(db_err)?;
            for (t, i) in undone {
                pairs.push((dialect::id_from_db(&t)?, InvoiceId::from_uuid(dialect::id_from_db(&i)?)));
            }
            let rejected: Vec<(DbId, String)> = reconciliation_suggestions::table
                .filter(reconciliation_suggestions::organisation_id.eq(&organisation))
                .filter(reconciliation_suggestions::transaction_id.eq_any(chunk))
                .filter(reconciliation_suggestions::status.eq(SuggestionStatus::Rejected.code()))
                .select((reconciliation_suggestions::transaction_id, reconciliation_suggestions::candidates))
                .load(&mut conn)
                .map_err(db_err)?;
            for (t, candidates) in rejected {
                let t = dialect::id_from_db(&t)?;
                for c in candidates_from(&candidates)? {
                    pairs.push((t, c.invoice_id));
                }
            }
        }
        Ok(pairs)
    }

    fn save_outcome(
        &self,
        organisation: OrganisationId,
        outcome: &ReconciliationOutcome,
        now: OffsetDateTime,
    ) -> Result<(), RepositoryError> {
        if outcome.is_empty() {
            return Ok(());
        }
        let organisation_db = org_id(organisation);
        let now_db = dialect::time_to_db(now);
        let matches =
            outcome.matches.iter().map(|m| MatchRow::from_domain(organisation, m)).collect::<Result<Vec<_>, _>>()?;
        let suggestions: Vec<SuggestionRow> =
            outcome.suggestions.iter().map(|s| SuggestionRow::from_domain(organisation, s)).collect();
        let claimed: Vec<DbId> = outcome.reconciled_transactions.iter().copied().map(uid).collect();
        let touched: Vec<DbId> = outcome.touched_transactions.iter().copied().map(uid).collect();
        let compared: Vec<DbId> = outcome.reconciled_invoices.iter().map(|i| uid(*i.as_uuid())).collect();
        // Sorted: every writer locks the rows it matches in one order, so two cannot deadlock.
        let matched: Vec<DbId> =
            outcome.matches.iter().map(|m| m.transaction_id).collect::<BTreeSet<_>>().into_iter().map(uid).collect();
        let mut conn = self.write_conn()?;
        refusable(&mut conn, |conn| {
            if let Some(decision) = &outcome.decision {
                let n = diesel::update(
                    reconciliation_suggestions::table
                        .filter(reconciliation_suggestions::organisation_id.eq(&organisation_db))
                        .filter(reconciliation_suggestions::id.eq(uid(decision.suggestion_id)))
                        .filter(reconciliation_suggestions::status.eq(Code(SuggestionStatus::Pending.code()))),
                )
                .set((
                    reconciliation_suggestions::status.eq(decision.status.code()),
                    reconciliation_suggestions::decided_at.eq(Some(now_db.clone())),
                    reconciliation_suggestions::decided_by.eq(Some(uid(*decision.decided_by.as_uuid()))),
                ))
                .execute(conn)?;
                if n == 0 {
                    return Ok(Err(RepositoryError::Conflict("the suggestion was already decided".into())));
                }
            }
            for chunk in claimed.chunks(1000) {
                let n = diesel::update(
                    bank_transactions::table
                        .filter(bank_transactions::organisation_id.eq(&organisation_db))
                        .filter(bank_transactions::id.eq_any(chunk))
                        .filter(bank_transactions::reconciled_at.is_null()),
                )
                .set(bank_transactions::reconciled_at.eq(Some(now_db.clone())))
                .execute(conn)?;
                if n != chunk.len() {
                    return Ok(Err(RepositoryError::Conflict(
                        "another run reconciled some of these transactions first".into(),
                    )));
                }
            }
            for chunk in compared.chunks(1000) {
                let n = diesel::update(
                    invoices::table
                        .filter(invoices::organisation_id.eq(&organisation_db))
                        .filter(invoices::id.eq_any(chunk))
                        .filter(invoices::reconciled_at.is_null()),
                )
                .set(invoices::reconciled_at.eq(Some(now_db.clone())))
                .execute(conn)?;
                if n != chunk.len() {
                    return Ok(Err(RepositoryError::Conflict(
                        "another run compared some of these invoices first".into(),
                    )));
                }
            }
            if !touched.is_empty() {
                diesel::update(
                    bank_transactions::table
                        .filter(bank_transactions::organisation_id.eq(&organisation_db))
                        .filter(bank_transactions::id.eq_any(&touched))
                        .filter(bank_transactions::reconciled_at.is_null()),
                )
                .set(bank_transactions::reconciled_at.eq(Some(now_db.clone())))
                .execute(conn)?;
            }
            // The matched transactions' rows stay locked (PostgreSQL) until the end, so two
            // people matching one transaction at once are checked one after the other; their
            // amounts cannot change meanwhile.
            let mut amounts: Vec<(DbId, i64)> = Vec::with_capacity(matched.len());
            for chunk in matched.chunks(1000) {
                amounts.extend(dialect::lock_bank_transactions(conn, &organisation_db, chunk)?);
            }
            if amounts.len() != matched.len() {
                return Ok(Err(RepositoryError::NotFound));
            }
            for chunk in suggestions.chunks(500) {
                diesel::insert_into(reconciliation_suggestions::table).values(chunk).execute(conn)?;
            }
            for chunk in matches.chunks(500) {
                diesel::insert_into(reconciliation_matches::table).values(chunk).execute(conn)?;
            }
            if outcome.invoices.iter().any(|(invoice, _)| invoice.organisation_id() != organisation) {
                return Ok(Err(RepositoryError::NotFound));
            }
            let invoices: Vec<&Invoice> = outcome.invoices.iter().map(|(invoice, _)| invoice).collect();
            if let Err(refused) = write_invoice_rows(conn, &organisation_db, &invoices)? {
                return Ok(Err(refused));
            }
            insert_events(conn, &outcome.invoices.iter().flat_map(|(_, events)| events).collect::<Vec<_>>())?;
            if !matched.is_empty() {
                let mut sums: HashMap<DbId, i64> = HashMap::new();
                for chunk in matched.chunks(1000) {
                    let used: Vec<(DbId, i64)> = reconciliation_matches::table
                        .filter(reconciliation_matches::organisation_id.eq(&organisation_db))
                        .filter(reconciliation_matches::transaction_id.eq_any(chunk))
                        .filter(reconciliation_matches::undone_at.is_null())
                        .select((reconciliation_matches::transaction_id, reconciliation_matches::amount_minor))
                        .load(conn)?;
                    for (t, a) in used {
                        *sums.entry(t).or_default() += a;
                    }
                }
                for (t, amount) in &amounts {
                    if sums.get(t).copied().unwrap_or(0) > amount.saturating_abs() {
                        return Ok(Err(RepositoryError::Conflict(
                            "the transaction's matches would add up to more than its amount".into(),
                        )));
                    }
                }
            }
            super::audit::append_all_in(conn, &outcome.audit.iter().collect::<Vec<_>>())?;
            Ok(Ok(()))
        })
    }

    fn transaction_balance(
        &self,
        organisation: OrganisationId,
        transaction: Uuid,
    ) -> Result<Option<TransactionBalance>, RepositoryError> {
        let organisation = org_id(organisation);
        let mut conn = self.conn()?;
        let row = bank_transactions::table
            .filter(bank_transactions::organisation_id.eq(&organisation))
            .filter(bank_transactions::id.eq(uid(transaction)))
            .select(TransactionRow::as_select())
            .first(&mut conn)
            .optional()
            .map_err(db_err)?;
        let Some(row) = row else { return Ok(None) };
        let used: Vec<i64> = reconciliation_matches::table
            .filter(reconciliation_matches::organisation_id.eq(&organisation))
            .filter(reconciliation_matches::transaction_id.eq(uid(transaction)))
            .filter(reconciliation_matches::undone_at.is_null())
            .select(reconciliation_matches::amount_minor)
            .load(&mut conn)
            .map_err(db_err)?;
        let transaction = stored_transactions(&mut conn, &organisation, vec![row])?
            .pop()
            .ok_or_else(|| corrupt("bank transaction", "lost"))?;
        Ok(Some(TransactionBalance { transaction, matched_minor: used.iter().sum() }))
    }

    fn get_match(&self, organisation: OrganisationId, id: Uuid) -> Result<Option<StoredMatch>, RepositoryError> {
        reconciliation_matches::table
            .filter(reconciliation_matches::organisation_id.eq(org_id(organisation)))
            .filter(reconciliation_matches::id.eq(uid(id)))
            .select(MatchRow::as_select())
            .first(&mut self.conn()?)
            .optional()
            .map_err(db_err)?
            .map(MatchRow::into_domain)
            .transpose()
    }

    fn matches_of_transaction(
        &self,
        organisation: OrganisationId,
        transaction: Uuid,
    ) -> Result<Vec<StoredMatch>, RepositoryError> {
        match_rows(&mut *self.conn()?, &org_id(organisation), Some(&uid(transaction)), None)
    }

    fn matches_of_invoice(
        &self,
        organisation: OrganisationId,
        invoice: InvoiceId,
    ) -> Result<Vec<StoredMatch>, RepositoryError> {
        match_rows(&mut *self.conn()?, &org_id(organisation), None, Some(&uid(*invoice.as_uuid())))
    }

    fn recent_matches(&self, organisation: OrganisationId, limit: u32) -> Result<Vec<StoredMatch>, RepositoryError> {
        reconciliation_matches::table
            .filter(reconciliation_matches::organisation_id.eq(org_id(organisation)))
            .order((reconciliation_matches::created_at.desc(), reconciliation_matches::id.desc()))
            .limit(i64::from(limit))
            .select(MatchRow::as_select())
            .load(&mut *self.conn()?)
            .map_err(db_err)?
            .into_iter()
            .map(MatchRow::into_domain)
            .collect()
    }

    fn undo_match(
        &self,
        organisation: OrganisationId,
        id: Uuid,
        invoice: &Invoice,
        events: &[InvoiceEvent],
        by: UserId,
        now: OffsetDateTime,
        audit: &NewAuditEntry,
    ) -> Result<(), RepositoryError> {
        if invoice.organisation_id() != organisation {
            return Err(RepositoryError::NotFound);
        }
        let organisation = org_id(organisation);
        let mut conn = self.write_conn()?;
        refusable(&mut conn, |conn| {
            let n = diesel::update(
                reconciliation_matches::table
                    .filter(reconciliation_matches::organisation_id.eq(&organisation))
                    .filter(reconciliation_matches::id.eq(uid(id)))
                    .filter(reconciliation_matches::invoice_id.eq(uid(*invoice.id().as_uuid())))
                    .filter(reconciliation_matches::undone_at.is_null()),
            )
            .set((
                reconciliation_matches::undone_at.eq(Some(dialect::time_to_db(now))),
                reconciliation_matches::undone_by.eq(Some(uid(*by.as_uuid()))),
            ))
            .execute(conn)?;
            if n == 0 {
                return Ok(Err(RepositoryError::Conflict("the match is gone or already undone".into())));
            }
            if let Err(refused) = write_invoice(conn, invoice, events)? {
                return Ok(Err(refused));
            }
            super::audit::append_in(conn, audit)?;
            Ok(Ok(()))
        })
    }

    fn get_suggestion(
        &self,
        organisation: OrganisationId,
        id: Uuid,
    ) -> Result<Option<StoredSuggestion>, RepositoryError> {
        reconciliation_suggestions::table
            .filter(reconciliation_suggestions::organisation_id.eq(org_id(organisation)))
            .filter(reconciliation_suggestions::id.eq(uid(id)))
            .select(SuggestionRow::as_select())
            .first(&mut self.conn()?)
            .optional()
            .map_err(db_err)?
            .map(SuggestionRow::into_domain)
            .transpose()
    }

    fn suggestions(
        &self,
        organisation: OrganisationId,
        status: SuggestionStatus,
        limit: u32,
    ) -> Result<Vec<StoredSuggestion>, RepositoryError> {
        reconciliation_suggestions::table
            .filter(reconciliation_suggestions::organisation_id.eq(org_id(organisation)))
            .filter(reconciliation_suggestions::status.eq(status.code()))
            .order((reconciliation_suggestions::created_at.asc(), reconciliation_suggestions::id.asc()))
            .limit(i64::from(limit.clamp(1, 1000)))
            .select(SuggestionRow::as_select())
            .load(&mut self.conn()?)
            .map_err(db_err)?
            .into_iter()
            .map(SuggestionRow::into_domain)
            .collect()
    }
}
