//! Bank accounts and transactions: the [`BankRepository`], and the upserts a bank sync runs
//! inside its own transaction.

use billify_domain::{
    BankAccount, BankTransaction, Currency, Iban, Money, NewBankAccount, NewBankTransaction, OrganisationId,
    ProviderId, RemittanceType,
};
use billify_ports::RepositoryError;
use billify_ports::audit::NewAuditEntry;
use billify_ports::bank::{
    BankRepository, BankSource, BankTransactionPage, BankTransactionQuery, ImportedStatement, ParsedStatement,
    StoredBankAccount, StoredBankTransaction, UpsertCounts,
};
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use time::Date;
use uuid::Uuid;

use super::Store;
use super::audit::append_in;
use super::dialect::{self, Db, DbId, DbTime};
use super::schema::{bank_accounts, bank_transactions};

diesel::define_sql_function! {
    /// SQL `lower` of a text column that may be NULL.
    #[sql_name = "lower"]
    fn lower(x: diesel::sql_types::Nullable<diesel::sql_types::Text>) -> diesel::sql_types::Nullable<diesel::sql_types::Text>;
}
use super::{db_err, org_id};

fn corrupt(what: &str, e: impl std::fmt::Display) -> RepositoryError {
    RepositoryError::Corrupt(format!("{what}: {e}"))
}

fn minor_units(m: &Money) -> Result<i64, RepositoryError> {
    m.to_minor_units().map_err(|e| corrupt("amount", e))
}

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
// Options bind NULL (see `BankTransactionRow`).
#[diesel(
    table_name = bank_accounts,
    check_for_backend(Db),
    primary_key(organisation_id, id),
    treat_none_as_null = true,
    treat_none_as_default_value = false
)]
pub(crate) struct BankAccountRow {
    organisation_id: DbId,
    id: DbId,
    source: String,
    provider_id: String,
    iban: Option<String>,
    currency: String,
    current_balance_minor: i64,
    available_balance_minor: Option<i64>,
    holder_name: Option<String>,
    institution_name: Option<String>,
    description: Option<String>,
    authorization_expires_at: Option<DbTime>,
    synchronized_at: Option<DbTime>,
    created_at: DbTime,
    updated_at: DbTime,
}

impl BankAccountRow {
    pub(crate) fn into_domain(self) -> Result<StoredBankAccount, RepositoryError> {
        let currency = Currency::parse(&self.currency).map_err(|e| corrupt("bank account currency", e))?;
        let money = |units: i64| Money::from_minor_units(units, currency).map_err(|e| corrupt("bank balance", e));
        let account = BankAccount::new(NewBankAccount {
            provider_id: ProviderId::parse(&self.provider_id).map_err(|e| corrupt("bank account id", e))?,
            iban: self.iban.as_deref().map(Iban::parse).transpose().map_err(|e| corrupt("bank account iban", e))?,
            currency,
            current_balance: money(self.current_balance_minor)?,
            available_balance: self.available_balance_minor.map(money).transpose()?,
            holder_name: self.holder_name,
            institution_name: self.institution_name,
            description: self.description,
            authorization_expires_at: self.authorization_expires_at.as_ref().map(dialect::time_from_db).transpose()?,
            synchronized_at: self.synchronized_at.as_ref().map(dialect::time_from_db).transpose()?,
        })
        .map_err(|e| corrupt("bank account", e))?;
        Ok(StoredBankAccount {
            id: dialect::id_from_db(&self.id)?,
            source: BankSource::parse(&self.source).ok_or_else(|| corrupt("bank account source", &self.source))?,
            account,
            updated_at: dialect::time_from_db(&self.updated_at)?,
        })
    }
}

#[derive(Clone, Queryable, Selectable, Insertable, AsChangeset)]
// Options bind NULL, so one statement inserts many rows on SQLite too: with "None means the
// column's DEFAULT" (Diesel's default), SQLite has no DEFAULT keyword in VALUES, so Diesel
// inserts such rows one at a time, building and preparing each statement anew.
#[diesel(
    table_name = bank_transactions,
    check_for_backend(Db),
    primary_key(organisation_id, id),
    treat_none_as_null = true,
    treat_none_as_default_value = false
)]
pub(crate) struct BankTransactionRow {
    pub(crate) organisation_id: DbId,
    pub(crate) id: DbId,
    pub(crate) account_id: DbId,
    pub(crate) provider_id: String,
    pub(crate) amount_minor: i64,
    pub(crate) currency: String,
    pub(crate) counterparty_name: Option<String>,
    pub(crate) counterparty_account: Option<String>,
    pub(crate) remittance_information: Option<String>,
    pub(crate) remittance_type: String,
    pub(crate) description: Option<String>,
    pub(crate) execution_date: Date,
    pub(crate) value_date: Option<Date>,
    pub(crate) bank_transaction_code: Option<String>,
    pub(crate) created_at: DbTime,
    pub(crate) updated_at: DbTime,
    pub(crate) bank_reference: Option<String>,
}

impl BankTransactionRow {
    /// The values that make two versions of a transaction equal (ids and timestamps aside).
    fn content(&self) -> impl PartialEq + '_ {
        (
            self.amount_minor,
            &self.currency,
            &self.counterparty_name,
            &self.counterparty_account,
            &self.remittance_information,
            &self.remittance_type,
            &self.description,
            self.execution_date,
            self.value_date,
            &self.bank_transaction_code,
            &self.bank_reference,
        )
    }

    fn into_domain(self, account_provider_id: &ProviderId) -> Result<StoredBankTransaction, RepositoryError> {
        let currency = Currency::parse(&self.currency).map_err(|e| corrupt("bank transaction currency", e))?;
        let remittance_type = match self.remittance_type.as_str() {
            "structured" => RemittanceType::Structured,
            _ => RemittanceType::Unstructured,
        };
        let transaction = BankTransaction::new(NewBankTransaction {
            provider_id: ProviderId::parse(&self.provider_id).map_err(|e| corrupt("bank transaction id", e))?,
            account_provider_id: account_provider_id.clone(),
            amount: Money::from_minor_units(self.amount_minor, currency).map_err(|e| corrupt("bank amount", e))?,
            counterparty_name: self.counterparty_name,
            counterparty_account: self.counterparty_account,
            remittance_information: self.remittance_information,
            remittance_type,
            description: self.description,
            execution_date: self.execution_date,
            value_date: self.value_date,
            bank_transaction_code: self.bank_transaction_code,
            bank_reference: self.bank_reference,
        });
        Ok(StoredBankTransaction {
            id: dialect::id_from_db(&self.id)?,
            account_id: dialect::id_from_db(&self.account_id)?,
            transaction,
        })
    }
}

/// A stored account row with its sync watermark (transaction id and execution date).
pub(crate) type AccountWithWatermark = (BankAccountRow, Option<String>, Option<Date>);

/// Inserts or updates an account by source and provider id inside the caller's transaction;
/// returns its id and, when it existed, its row before and its watermark.
pub(crate) fn upsert_account_in(
    conn: &mut dialect::Conn,
    org: &DbId,
    source: BankSource,
    account: &BankAccount,
    now_db: &DbTime,
) -> Result<(DbId, Option<AccountWithWatermark>), DieselError> {
    let existing: Option<AccountWithWatermark> = bank_accounts::table
        .filter(bank_accounts::organisation_id.eq(org))
        .filter(bank_accounts::source.eq(source.code()))
        .filter(bank_accounts::provider_id.eq(account.provider_id().as_str()))
        .select((BankAccountRow::as_select(), bank_accounts::sync_watermark_id, bank_accounts::sync_watermark_date))
        .first(conn)
        .optional()?;
    let (id, created_at) = match &existing {
        Some((row, _, _)) => (row.id.clone(), row.created_at.clone()),
        None => (dialect::id_to_db(Uuid::now_v7()), now_db.clone()),
    };
    let money = |m: &Money| minor_units(m).map_err(|e| DieselError::QueryBuilderError(e.into()));
    let row = BankAccountRow {
        organisation_id: org.clone(),
        id: id.clone(),
        source: source.code().to_owned(),
        provider_id: account.provider_id().as_str().to_owned(),
        iban: account.iban().map(|i| i.as_str().to_owned()),
        currency: account.currency().code().to_owned(),
        current_balance_minor: money(account.current_balance())?,
        available_balance_minor: account.available_balance().map(money).transpose()?,
        holder_name: account.holder_name().map(str::to_owned),
        institution_name: account.institution_name().map(str::to_owned),
        description: account.description().map(str::to_owned),
        authorization_expires_at: account.authorization_expires_at().map(dialect::time_to_db),
        synchronized_at: account.synchronized_at().map(dialect::time_to_db),
        created_at,
        updated_at: now_db.clone(),
    };
    if existing.is_some() {
        diesel::update(
            bank_accounts::table.filter(bank_accounts::organisation_id.eq(org)).filter(bank_accounts::id.eq(&id)),
        )
        .set(&row)
        .execute(conn)?;
    } else {
        diesel::insert_into(bank_accounts::table).values(&row).execute(conn)?;
    }
    Ok((id, existing))
}

/// The rows of pages of transactions (each of one account), one per account and provider id: a
/// provider id twice for an account keeps the last version, where the first one was, as if they
/// were written one after another. Built before the write turn, which
/// [`upsert_transactions_in`] then spends on the database alone.
pub(crate) fn transaction_rows<'a>(
    org: &DbId,
    pages: impl IntoIterator<Item = (DbId, &'a [BankTransaction])>,
    now: time::OffsetDateTime,
) -> Result<Vec<BankTransactionRow>, RepositoryError> {
    let now_db = dialect::time_to_db(now);
    let mut rows: Vec<BankTransactionRow> = Vec::new();
    let mut positions: std::collections::HashMap<(DbId, String), usize> = std::collections::HashMap::new();
    for (account, transactions) in pages {
        rows.reserve(transactions.len());
        positions.reserve(transactions.len());
        for t in transactions {
            let row = BankTransactionRow {
                organisation_id: org.clone(),
                id: dialect::id_to_db(Uuid::now_v7()),
                account_id: account.clone(),
                provider_id: t.provider_id().as_str().to_owned(),
                amount_minor: minor_units(t.amount())?,
                currency: t.amount().currency().code().to_owned(),
                counterparty_name: t.counterparty_name().map(str::to_owned),
                counterparty_account: t.counterparty_iban().map(|i| i.as_str().to_owned()),
                remittance_information: t.remittance_information().map(str::to_owned),
                remittance_type: t.remittance_type().code().to_owned(),
                description: t.description().map(str::to_owned),
                execution_date: t.execution_date(),
                value_date: t.value_date(),
                bank_transaction_code: t.bank_transaction_code().map(str::to_owned),
                created_at: now_db.clone(),
                updated_at: now_db.clone(),
                bank_reference: t.bank_reference().map(str::to_owned),
            };
            match positions.entry((row.account_id.clone(), row.provider_id.clone())) {
                std::collections::hash_map::Entry::Occupied(at) => rows[*at.get()] = row,
                std::collections::hash_map::Entry::Vacant(at) => {
                    at.insert(rows.len());
                    rows.push(row);
                }
            }
        }
    }
    Ok(rows)
}

/// Upserts transaction rows of any of the organisation's accounts, one per account and provider
/// id (as [`transaction_rows`] makes them), inside the caller's transaction. Set-based: one query
/// reads what exists, one statement inserts what is new, and only changed rows are updated (a
/// sync mostly re-reads rows it already has).
pub(crate) fn upsert_transactions_in(
    conn: &mut dialect::Conn,
    org: &DbId,
    rows: &mut [BankTransactionRow],
) -> Result<UpsertCounts, DieselError> {
    let mut counts = UpsertCounts::default();
    for chunk in rows.chunks_mut(500) {
        let keys: Vec<(&DbId, &str)> = chunk.iter().map(|r| (&r.account_id, r.provider_id.as_str())).collect();
        let found = dialect::existing_bank_transactions(conn, org, &keys)?;
        let existing: std::collections::HashMap<(&DbId, &str), &BankTransactionRow> =
            found.iter().map(|r| ((&r.account_id, r.provider_id.as_str()), r)).collect();
        let mut new_rows = Vec::new();
        for row in chunk.iter_mut() {
            match existing.get(&(&row.account_id, row.provider_id.as_str())).copied() {
                None => new_rows.push(&*row),
                Some(old) if old.content() == row.content() => counts.unchanged += 1,
                Some(old) => {
                    row.id = old.id.clone();
                    row.created_at = old.created_at.clone();
                    diesel::update(
                        bank_transactions::table
                            .filter(bank_transactions::organisation_id.eq(org))
                            .filter(bank_transactions::id.eq(&row.id)),
                    )
                    .set(&*row)
                    .execute(conn)?;
                    counts.changed += 1;
                }
            }
        }
        let new_rows = without_known_bookings(conn, org, new_rows, &mut counts)?;
        if !new_rows.is_empty() {
            counts.new += u32::try_from(new_rows.len()).unwrap_or(u32::MAX);
            dialect::insert_bank_transactions(conn, &new_rows)?;
        }
    }
    Ok(counts)
}

/// Drops the new rows whose booking is already stored under another provider id: the same
/// account, booking date, amount and bank reference, as when one statement is imported once as
/// CODA and once as CAMT.053 (whose transaction ids differ). They count as unchanged.
fn without_known_bookings<'a>(
    conn: &mut dialect::Conn,
    org: &DbId,
    rows: Vec<&'a BankTransactionRow>,
    counts: &mut UpsertCounts,
) -> Result<Vec<&'a BankTransactionRow>, DieselError> {
    let references: Vec<&str> = rows.iter().filter_map(|r| r.bank_reference.as_deref()).collect();
    if references.is_empty() {
        return Ok(rows);
    }
    let accounts: Vec<&DbId> = rows.iter().map(|r| &r.account_id).collect();
    let known: std::collections::HashSet<(DbId, Date, i64, String)> = bank_transactions::table
        .filter(bank_transactions::organisation_id.eq(org))
        .filter(bank_transactions::account_id.eq_any(accounts))
        .filter(bank_transactions::bank_reference.eq_any(references))
        .select((
            bank_transactions::account_id,
            bank_transactions::execution_date,
            bank_transactions::amount_minor,
            bank_transactions::bank_reference.assume_not_null(),
        ))
        .load::<(DbId, Date, i64, String)>(conn)?
        .into_iter()
        .collect();
    let before = rows.len();
    let kept: Vec<&BankTransactionRow> = rows
        .into_iter()
        .filter(|r| match &r.bank_reference {
            Some(reference) => {
                !known.contains(&(r.account_id.clone(), r.execution_date, r.amount_minor, reference.clone()))
            }
            None => true,
        })
        .collect();
    counts.unchanged += u32::try_from(before - kept.len()).unwrap_or(u32::MAX);
    Ok(kept)
}

impl BankRepository for Store {
    fn upsert_bank_account(
        &self,
        organisation: OrganisationId,
        source: BankSource,
        account: &BankAccount,
        now: time::OffsetDateTime,
    ) -> Result<(Uuid, bool), RepositoryError> {
        let org = org_id(organisation);
        let now_db = dialect::time_to_db(now);
        let mut conn = self.write_conn()?;
        let (id, old) =
            dialect::write_transaction(&mut conn, |conn| upsert_account_in(conn, &org, source, account, &now_db))
                .map_err(db_err)?;
        Ok((dialect::id_from_db(&id)?, old.is_none()))
    }

    fn upsert_bank_transactions(
        &self,
        organisation: OrganisationId,
        account_id: Uuid,
        transactions: &[BankTransaction],
        now: time::OffsetDateTime,
    ) -> Result<UpsertCounts, RepositoryError> {
        let org = org_id(organisation);
        let account = dialect::id_to_db(account_id);
        let mut rows = transaction_rows(&org, [(account, transactions)], now)?;
        let mut conn = self.write_conn()?;
        dialect::write_transaction(&mut conn, |conn| upsert_transactions_in(conn, &org, &mut rows)).map_err(db_err)
    }

    fn import_statements(
        &self,
        organisation: OrganisationId,
        statements: &[ParsedStatement],
        now: time::OffsetDateTime,
        audit: &dyn Fn(&[ImportedStatement]) -> NewAuditEntry,
    ) -> Result<Vec<ImportedStatement>, RepositoryError> {
        let org = org_id(organisation);
        let now_db = dialect::time_to_db(now);
        let mut conn = self.write_conn()?;
        // A row that cannot be built rolls the whole import back; its reason is kept here.
        let failure = std::cell::RefCell::new(None);
        let fail = |e: RepositoryError| {
            *failure.borrow_mut() = Some(e);
            DieselError::RollbackTransaction
        };
        dialect::write_transaction(&mut conn, |conn| {
            let mut imported = Vec::with_capacity(statements.len());
            for statement in statements {
                let (id, old) = upsert_account_in(conn, &org, BankSource::Statement, &statement.account, &now_db)?;
                let account_id = dialect::id_from_db(&id).map_err(fail)?;
                let mut rows = transaction_rows(&org, [(id, statement.transactions.as_slice())], now).map_err(fail)?;
                let transactions = upsert_transactions_in(conn, &org, &mut rows)?;
                imported.push(ImportedStatement { account_id, new: old.is_none(), transactions });
            }
            append_in(conn, &audit(&imported))?;
            Ok(imported)
        })
        .map_err(|e| failure.take().unwrap_or_else(|| db_err(e)))
    }

    fn bank_accounts(&self, organisation: OrganisationId) -> Result<Vec<StoredBankAccount>, RepositoryError> {
        bank_accounts::table
            .filter(bank_accounts::organisation_id.eq(org_id(organisation)))
            .order((bank_accounts::created_at.asc(), bank_accounts::id.asc()))
            .select(BankAccountRow::as_select())
            .load(&mut self.conn()?)
            .map_err(db_err)?
            .into_iter()
            .map(BankAccountRow::into_domain)
            .collect()
    }

    fn bank_transactions(
        &self,
        organisation: OrganisationId,
        query: &BankTransactionQuery,
    ) -> Result<BankTransactionPage, RepositoryError> {
        let org = org_id(organisation);
        let limit = query.limit.clamp(1, 200);
        let mut conn = self.conn()?;
        let accounts: Vec<(DbId, String)> = bank_accounts::table
            .filter(bank_accounts::organisation_id.eq(&org))
            .select((bank_accounts::id, bank_accounts::provider_id))
            .load(&mut conn)
            .map_err(db_err)?;
        let mut q = bank_transactions::table.filter(bank_transactions::organisation_id.eq(&org)).into_boxed();
        if let Some(account) = query.account_id {
            q = q.filter(bank_transactions::account_id.eq(dialect::id_to_db(account)));
        }
        if let Some(from) = query.from {
            q = q.filter(bank_transactions::execution_date.ge(from));
        }
        if let Some(to) = query.to {
            q = q.filter(bank_transactions::execution_date.le(to));
        }
        if let Some(text) = query.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let pattern = billify_store_common::columns::contains_pattern(text);
            // Accounts are stored without spaces (`BE71001860922869`); people type them with.
            let account = billify_store_common::columns::contains_pattern(&text.replace(char::is_whitespace, ""));
            q = q.filter(
                lower(bank_transactions::counterparty_name)
                    .like(pattern.clone())
                    .escape('\\')
                    .or(lower(bank_transactions::counterparty_account).like(account).escape('\\'))
                    .or(lower(bank_transactions::remittance_information).like(pattern.clone()).escape('\\'))
                    .or(lower(bank_transactions::description).like(pattern).escape('\\')),
            );
        }
        if let Some((date, id)) = query.after {
            let id = dialect::id_to_db(id);
            q = q.filter(
                bank_transactions::execution_date
                    .lt(date)
                    .or(bank_transactions::execution_date.eq(date).and(bank_transactions::id.lt(id))),
            );
        }
        let rows = q
            .order((bank_transactions::execution_date.desc(), bank_transactions::id.desc()))
            .limit(i64::from(limit) + 1)
            .select(BankTransactionRow::as_select())
            .load(&mut conn)
            .map_err(db_err)?;
        let has_more = rows.len() > limit as usize;
        let mut items = Vec::with_capacity(rows.len().min(limit as usize));
        for row in rows.into_iter().take(limit as usize) {
            let provider = accounts
                .iter()
                .find(|(id, _)| *id == row.account_id)
                .and_then(|(_, p)| ProviderId::parse(p).ok())
                .ok_or_else(|| corrupt("bank transaction", "its account is missing"))?;
            items.push(row.into_domain(&provider)?);
        }
        let next = match items.last() {
            Some(last) if has_more => Some((last.transaction.execution_date(), last.id)),
            _ => None,
        };
        Ok(BankTransactionPage { items, next })
    }
}
