//! Bank integrations (consent, sealed tokens, sync runs and watermarks): the
//! [`IntegrationRepository`], and the re-sealing of every sealed secret ([`SealedSecretStore`]).

use billify_domain::{OrganisationId, UserId};
use billify_ports::audit::NewAuditEntry;
use billify_ports::integrations::{
    Integration, IntegrationRepository, IntegrationStatus, PendingConsent, Provider, SyncBatch, SyncBatchWritten,
    SyncOutcome, SyncRun, SyncStart, SyncWatermark, SyncedAccount, tokens_context, verifier_context,
};
use billify_ports::{RepositoryError, SealedSecretRef, SealedSecretStore};
use diesel::prelude::*;
use time::OffsetDateTime;
use uuid::Uuid;

use super::Store;
use super::audit::{append_in, write_audited};
use super::bank::{transaction_rows, upsert_account_in, upsert_transactions_in};
use super::dialect::{self, Db, DbId, DbTime};
use super::jobs::complete_job_in;
use super::literal::codes_contain;
use super::schema::{bank_accounts, integrations, sync_runs};
use super::{db_err, map_err, org_id};

/// An integration with its consent columns: verifier, session digest, requested at.
type ConsentRow = (IntegrationRow, Option<String>, Option<String>, Option<DbTime>);

/// Organisation, id, sealed tokens, sealed verifier and consent state digest.
type SecretRow = (DbId, DbId, Option<String>, Option<String>, Option<String>);

fn corrupt(what: &str, e: impl std::fmt::Display) -> RepositoryError {
    RepositoryError::Corrupt(format!("{what}: {e}"))
}

fn opt_time(t: &Option<DbTime>) -> Result<Option<OffsetDateTime>, RepositoryError> {
    t.as_ref().map(dialect::time_from_db).transpose()
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = integrations, check_for_backend(Db))]
pub(super) struct IntegrationRow {
    organisation_id: DbId,
    id: DbId,
    provider: String,
    status: String,
    sealed_tokens: Option<String>,
    token_version: i64,
    consent_expires_at: Option<DbTime>,
    connected_by: Option<DbId>,
    last_attempt_at: Option<DbTime>,
    last_success_at: Option<DbTime>,
    last_error: Option<String>,
    consecutive_failures: i32,
    next_sync_at: Option<DbTime>,
    bank_sync_requested_at: Option<DbTime>,
    pending_synchronizations: String,
    created_at: DbTime,
    updated_at: DbTime,
    accounting_region: Option<String>,
    accounting_administration_id: Option<String>,
    calls_day: Option<time::Date>,
    calls_used: i32,
}

impl IntegrationRow {
    pub(super) fn into_domain(self) -> Result<Integration, RepositoryError> {
        Ok(Integration {
            organisation_id: OrganisationId::from_uuid(dialect::id_from_db(&self.organisation_id)?),
            id: dialect::id_from_db(&self.id)?,
            provider: Provider::parse(&self.provider).ok_or_else(|| corrupt("integration provider", &self.provider))?,
            status: IntegrationStatus::parse(&self.status)
                .ok_or_else(|| corrupt("integration status", &self.status))?,
            has_tokens: self.sealed_tokens.is_some(),
            token_version: self.token_version,
            consent_expires_at: opt_time(&self.consent_expires_at)?,
            connected_by: self
                .connected_by
                .as_ref()
                .map(|u| dialect::id_from_db(u).map(UserId::from_uuid))
                .transpose()?,
            last_attempt_at: opt_time(&self.last_attempt_at)?,
            last_success_at: opt_time(&self.last_success_at)?,
            last_error: self.last_error,
            consecutive_failures: self.consecutive_failures,
            next_sync_at: opt_time(&self.next_sync_at)?,
            bank_sync_requested_at: opt_time(&self.bank_sync_requested_at)?,
            pending_synchronizations: self
                .pending_synchronizations
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            accounting: match &self.accounting_region {
                Some(code) => Some(billify_ports::accounting::AccountingSettings {
                    region: billify_ports::accounting::AccountingRegion::parse(code)
                        .ok_or_else(|| corrupt("accounting region", code))?,
                    administration_id: self.accounting_administration_id.clone(),
                }),
                None => None,
            },
            calls_day: self.calls_day,
            calls_used: uncount(self.calls_used),
            created_at: dialect::time_from_db(&self.created_at)?,
            updated_at: dialect::time_from_db(&self.updated_at)?,
        })
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
// Options bind NULL (see `BankTransactionRow`).
#[diesel(
    table_name = sync_runs,
    check_for_backend(Db),
    primary_key(organisation_id, id),
    treat_none_as_null = true,
    treat_none_as_default_value = false
)]
struct SyncRunRow {
    organisation_id: DbId,
    id: DbId,
    integration_id: DbId,
    started_at: DbTime,
    finished_at: Option<DbTime>,
    outcome: String,
    new_accounts: i32,
    changed_accounts: i32,
    new_transactions: i32,
    changed_transactions: i32,
    error: Option<String>,
    new_invoices: i32,
    changed_invoices: i32,
    closed_invoices: i32,
    flagged_items: i32,
}

fn count(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

pub(super) fn uncount(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

impl SyncRunRow {
    fn from_domain(r: &SyncRun) -> Self {
        SyncRunRow {
            organisation_id: org_id(r.organisation_id),
            id: dialect::id_to_db(r.id),
            integration_id: dialect::id_to_db(r.integration_id),
            started_at: dialect::time_to_db(r.started_at),
            finished_at: r.finished_at.map(dialect::time_to_db),
            outcome: r.outcome.code().to_owned(),
            new_accounts: count(r.new_accounts),
            changed_accounts: count(r.changed_accounts),
            new_transactions: count(r.new_transactions),
            changed_transactions: count(r.changed_transactions),
            error: r.error.clone(),
            new_invoices: count(r.new_invoices),
            changed_invoices: count(r.changed_invoices),
            closed_invoices: count(r.closed_invoices),
            flagged_items: count(r.flagged_items),
        }
    }

    fn into_domain(self) -> Result<SyncRun, RepositoryError> {
        Ok(SyncRun {
            organisation_id: OrganisationId::from_uuid(dialect::id_from_db(&self.organisation_id)?),
            id: dialect::id_from_db(&self.id)?,
            integration_id: dialect::id_from_db(&self.integration_id)?,
            started_at: dialect::time_from_db(&self.started_at)?,
            finished_at: opt_time(&self.finished_at)?,
            outcome: SyncOutcome::parse(&self.outcome).ok_or_else(|| corrupt("sync run outcome", &self.outcome))?,
            new_accounts: uncount(self.new_accounts),
            changed_accounts: uncount(self.changed_accounts),
            new_transactions: uncount(self.new_transactions),
            changed_transactions: uncount(self.changed_transactions),
            new_invoices: uncount(self.new_invoices),
            changed_invoices: uncount(self.changed_invoices),
            closed_invoices: uncount(self.closed_invoices),
            flagged_items: uncount(self.flagged_items),
            error: self.error,
        })
    }
}

fn live(
    organisation: OrganisationId,
    id: Uuid,
) -> diesel::dsl::Filter<
    diesel::dsl::Filter<integrations::table, diesel::dsl::Eq<integrations::organisation_id, DbId>>,
    diesel::dsl::Eq<integrations::id, DbId>,
> {
    integrations::table
        .filter(integrations::organisation_id.eq(org_id(organisation)))
        .filter(integrations::id.eq(dialect::id_to_db(id)))
}

impl Store {
    /// Records a consent request ([`IntegrationRepository::begin_consent`]) and, when given, the
    /// audit entry built from the integration, in one transaction.
    #[allow(clippy::too_many_arguments, reason = "one atomic write of the consent's parts")]
    fn consent_begun(
        &self,
        organisation: OrganisationId,
        provider: Provider,
        state_digest: &str,
        sealed_verifier: &str,
        session_digest: &str,
        user: UserId,
        now: OffsetDateTime,
        audit: Option<&dyn Fn(&Integration) -> NewAuditEntry>,
    ) -> Result<Integration, RepositoryError> {
        let org = org_id(organisation);
        let now_db = dialect::time_to_db(now);
        let mut conn = self.write_conn()?;
        let failure = std::cell::RefCell::new(None);
        dialect::write_transaction(&mut conn, |conn| {
            let existing: Option<DbId> = integrations::table
                .filter(integrations::organisation_id.eq(&org))
                .filter(integrations::provider.eq(provider.code()))
                .filter(integrations::status.ne(IntegrationStatus::Disconnected.code()))
                .select(integrations::id)
                .first(conn)
                .optional()?;
            let id = match existing {
                Some(id) => {
                    diesel::update(
                        integrations::table
                            .filter(integrations::organisation_id.eq(&org))
                            .filter(integrations::id.eq(&id)),
                    )
                    .set((
                        integrations::consent_state_digest.eq(state_digest),
                        integrations::consent_verifier.eq(sealed_verifier),
                        integrations::consent_session_digest.eq(session_digest),
                        integrations::consent_requested_at.eq(now_db.clone()),
                        integrations::updated_at.eq(now_db.clone()),
                    ))
                    .execute(conn)?;
                    id
                }
                None => {
                    let id = dialect::id_to_db(Uuid::now_v7());
                    diesel::insert_into(integrations::table)
                        .values((
                            integrations::organisation_id.eq(&org),
                            integrations::id.eq(&id),
                            integrations::provider.eq(provider.code()),
                            integrations::status.eq(IntegrationStatus::Pending.code()),
                            integrations::token_version.eq(0_i64),
                            integrations::consent_state_digest.eq(state_digest),
                            integrations::consent_verifier.eq(sealed_verifier),
                            integrations::consent_session_digest.eq(session_digest),
                            integrations::consent_requested_at.eq(now_db.clone()),
                            integrations::connected_by.eq(dialect::id_to_db(*user.as_uuid())),
                            integrations::consecutive_failures.eq(0),
                            integrations::pending_synchronizations.eq(""),
                            integrations::created_at.eq(now_db.clone()),
                            integrations::updated_at.eq(now_db.clone()),
                        ))
                        .execute(conn)?;
                    id
                }
            };
            let row = integrations::table
                .filter(integrations::organisation_id.eq(&org))
                .filter(integrations::id.eq(&id))
                .select(IntegrationRow::as_select())
                .first::<IntegrationRow>(conn)?;
            // The entry names the integration stored: a row that cannot be read rolls back.
            let integration = row.into_domain().map_err(|e| {
                *failure.borrow_mut() = Some(e);
                diesel::result::Error::RollbackTransaction
            })?;
            if let Some(audit) = audit {
                append_in(conn, &audit(&integration))?;
            }
            Ok(integration)
        })
        .map_err(|e| failure.take().unwrap_or_else(|| map_err(e, "a consent with this state already exists")))
    }
}

impl IntegrationRepository for Store {
    fn begin_consent(
        &self,
        organisation: OrganisationId,
        provider: Provider,
        state_digest: &str,
        sealed_verifier: &str,
        session_digest: &str,
        user: UserId,
        now: OffsetDateTime,
    ) -> Result<Integration, RepositoryError> {
        self.consent_begun(organisation, provider, state_digest, sealed_verifier, session_digest, user, now, None)
    }

    fn begin_consent_audited(
        &self,
        organisation: OrganisationId,
        provider: Provider,
        state_digest: &str,
        sealed_verifier: &str,
        session_digest: &str,
        user: UserId,
        now: OffsetDateTime,
        audit: &dyn Fn(&Integration) -> NewAuditEntry,
    ) -> Result<Integration, RepositoryError> {
        let audit = Some(audit);
        self.consent_begun(organisation, provider, state_digest, sealed_verifier, session_digest, user, now, audit)
    }

    fn take_consent(
        &self,
        organisation: OrganisationId,
        state_digest: &str,
    ) -> Result<Option<PendingConsent>, RepositoryError> {
        let org = org_id(organisation);
        let mut conn = self.write_conn()?;
        let found = dialect::write_transaction(&mut conn, |conn| {
            let row: Option<ConsentRow> = integrations::table
                .filter(integrations::organisation_id.eq(&org))
                .filter(integrations::consent_state_digest.eq(state_digest))
                .select((
                    IntegrationRow::as_select(),
                    integrations::consent_verifier,
                    integrations::consent_session_digest,
                    integrations::consent_requested_at,
                ))
                .first(conn)
                .optional()?;
            let Some(row) = row else { return Ok(None) };
            // Single use: whoever clears the state first owns the consent.
            let taken = diesel::update(
                integrations::table
                    .filter(integrations::organisation_id.eq(&org))
                    .filter(integrations::id.eq(&row.0.id))
                    .filter(integrations::consent_state_digest.eq(state_digest)),
            )
            .set((
                integrations::consent_state_digest.eq(None::<String>),
                integrations::consent_verifier.eq(None::<String>),
                integrations::consent_session_digest.eq(None::<String>),
                integrations::consent_requested_at.eq(None::<DbTime>),
            ))
            .execute(conn)?;
            Ok(if taken == 1 { Some(row) } else { None })
        })
        .map_err(db_err)?;
        let Some((row, verifier, session, requested)) = found else { return Ok(None) };
        let (Some(sealed_verifier), Some(session_digest), Some(requested_at)) = (verifier, session, requested) else {
            return Err(corrupt("integration consent", "incomplete consent columns"));
        };
        Ok(Some(PendingConsent {
            integration: row.into_domain()?,
            sealed_verifier,
            session_digest,
            requested_at: dialect::time_from_db(&requested_at)?,
        }))
    }

    fn integration(&self, organisation: OrganisationId, id: Uuid) -> Result<Option<Integration>, RepositoryError> {
        live(organisation, id)
            .select(IntegrationRow::as_select())
            .first(&mut self.conn()?)
            .optional()
            .map_err(db_err)?
            .map(IntegrationRow::into_domain)
            .transpose()
    }

    fn integrations(&self, organisation: OrganisationId) -> Result<Vec<Integration>, RepositoryError> {
        integrations::table
            .filter(integrations::organisation_id.eq(org_id(organisation)))
            .order((integrations::created_at.desc(), integrations::id.desc()))
            .select(IntegrationRow::as_select())
            .load(&mut self.conn()?)
            .map_err(db_err)?
            .into_iter()
            .map(IntegrationRow::into_domain)
            .collect()
    }

    fn sealed_tokens(&self, organisation: OrganisationId, id: Uuid) -> Result<Option<(String, i64)>, RepositoryError> {
        let row: Option<(Option<String>, i64)> = live(organisation, id)
            .select((integrations::sealed_tokens, integrations::token_version))
            .first(&mut self.conn()?)
            .optional()
            .map_err(db_err)?;
        Ok(row.and_then(|(sealed, version)| sealed.map(|s| (s, version))))
    }

    fn store_tokens(
        &self,
        organisation: OrganisationId,
        id: Uuid,
        expected_version: i64,
        sealed: &str,
        now: OffsetDateTime,
    ) -> Result<i64, RepositoryError> {
        let n = diesel::update(
            live(organisation, id)
                .filter(integrations::token_version.eq(expected_version))
                .filter(integrations::status.ne(IntegrationStatus::Disconnected.code())),
        )
        .set((
            integrations::sealed_tokens.eq(sealed),
            integrations::token_version.eq(expected_version + 1),
            integrations::updated_at.eq(dialect::time_to_db(now)),
        ))
        .execute(&mut *self.write_conn()?)
        .map_err(db_err)?;
        if n == 1 {
            Ok(expected_version + 1)
        } else {
            Err(RepositoryError::Conflict("the integration's tokens were changed or removed by someone else".into()))
        }
    }

    fn save_status(&self, i: &Integration) -> Result<bool, RepositoryError> {
        let mut conn = self.write_conn()?;
        save_status_in(&mut conn, i).map_err(db_err)
    }

    fn save_status_audited(&self, i: &Integration, audit: &NewAuditEntry) -> Result<bool, RepositoryError> {
        write_audited(&mut *self.write_conn()?, audit, |saved| *saved, |conn| save_status_in(conn, i)).map_err(db_err)
    }

    fn disconnect(&self, organisation: OrganisationId, id: Uuid, now: OffsetDateTime) -> Result<(), RepositoryError> {
        let n = disconnect_in(&mut *self.write_conn()?, organisation, id, now).map_err(db_err)?;
        if n == 1 { Ok(()) } else { Err(RepositoryError::NotFound) }
    }

    fn disconnect_audited(
        &self,
        organisation: OrganisationId,
        id: Uuid,
        now: OffsetDateTime,
        audit: &NewAuditEntry,
    ) -> Result<(), RepositoryError> {
        let n = write_audited(
            &mut *self.write_conn()?,
            audit,
            |n| *n == 1,
            |conn| disconnect_in(conn, organisation, id, now),
        )
        .map_err(db_err)?;
        if n == 1 { Ok(()) } else { Err(RepositoryError::NotFound) }
    }

    fn due_integrations(
        &self,
        now: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<(OrganisationId, Uuid)>, RepositoryError> {
        let syncable: Vec<&str> =
            IntegrationStatus::ALL.iter().filter(|s| s.is_syncable()).map(IntegrationStatus::code).collect();
        let rows: Vec<(DbId, DbId)> = integrations::table
            .filter(codes_contain(integrations::status, syncable))
            .filter(integrations::next_sync_at.le(dialect::time_to_db(now)))
            .order(integrations::next_sync_at.asc())
            .limit(i64::from(limit))
            .select((integrations::organisation_id, integrations::id))
            .load(&mut self.conn()?)
            .map_err(db_err)?;
        rows.iter()
            .map(|(o, i)| Ok((OrganisationId::from_uuid(dialect::id_from_db(o)?), dialect::id_from_db(i)?)))
            .collect()
    }

    fn postpone_sync(
        &self,
        organisation: OrganisationId,
        id: Uuid,
        now: OffsetDateTime,
        until: OffsetDateTime,
    ) -> Result<(), RepositoryError> {
        diesel::update(live(organisation, id).filter(integrations::next_sync_at.le(dialect::time_to_db(now))))
            .set(integrations::next_sync_at.eq(dialect::time_to_db(until)))
            .execute(&mut *self.write_conn()?)
            .map_err(db_err)?;
        Ok(())
    }

    fn save_sync_run(&self, run: &SyncRun) -> Result<(), RepositoryError> {
        let row = SyncRunRow::from_domain(run);
        let mut conn = self.write_conn()?;
        dialect::write_transaction(&mut conn, |conn| save_run_in(conn, &row)).map_err(db_err)
    }

    fn sync_runs(
        &self,
        organisation: OrganisationId,
        integration: Uuid,
        limit: u32,
    ) -> Result<Vec<SyncRun>, RepositoryError> {
        sync_runs::table
            .filter(sync_runs::organisation_id.eq(org_id(organisation)))
            .filter(sync_runs::integration_id.eq(dialect::id_to_db(integration)))
            .order((sync_runs::started_at.desc(), sync_runs::id.desc()))
            .limit(i64::from(limit))
            .select(SyncRunRow::as_select())
            .load(&mut self.conn()?)
            .map_err(db_err)?
            .into_iter()
            .map(SyncRunRow::into_domain)
            .collect()
    }

    fn delete_sync_runs_before(&self, before: OffsetDateTime) -> Result<u64, RepositoryError> {
        let n = diesel::delete(sync_runs::table.filter(sync_runs::started_at.lt(dialect::time_to_db(before))))
            .execute(&mut *self.write_conn()?)
            .map_err(db_err)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn start_sync_run(&self, start: &SyncStart<'_>) -> Result<Option<Vec<SyncedAccount>>, RepositoryError> {
        let i = start.integration;
        let org = org_id(i.organisation_id);
        let integration = dialect::id_to_db(i.id);
        let now_db = dialect::time_to_db(start.now);
        let run = SyncRunRow::from_domain(start.run);
        let mut conn = self.write_conn()?;
        let written = dialect::write_transaction(&mut conn, |conn| {
            if !save_status_in(conn, i)? {
                return Ok(None);
            }
            if let Some(interrupted) = start.interrupted {
                end_interrupted_runs_in(conn, &org, &integration, &run.id, &now_db, interrupted)?;
            }
            diesel::insert_into(sync_runs::table).values(&run).execute(conn)?;
            let mut accounts = Vec::with_capacity(start.accounts.len());
            for account in start.accounts {
                let (id, before) = upsert_account_in(conn, &org, start.source, account, &now_db)?;
                accounts.push((id, before));
            }
            Ok(Some(accounts))
        })
        .map_err(db_err)?;
        drop(conn);
        let Some(written) = written else { return Ok(None) };
        let mut accounts = Vec::with_capacity(written.len());
        for ((id, before), account) in written.into_iter().zip(start.accounts) {
            let new = before.is_none();
            let (changed, watermark) = match before {
                None => (false, None),
                Some((row, watermark_id, watermark_date)) => {
                    let watermark = match (watermark_id, watermark_date) {
                        (Some(transaction_id), Some(execution_date)) => {
                            Some(SyncWatermark { transaction_id, execution_date })
                        }
                        _ => None,
                    };
                    (row.into_domain()?.account != *account, watermark)
                }
            };
            accounts.push(SyncedAccount { id: dialect::id_from_db(&id)?, new, changed, watermark });
        }
        Ok(Some(accounts))
    }

    fn write_sync_batch(&self, batch: &SyncBatch<'_>) -> Result<SyncBatchWritten, RepositoryError> {
        let org = org_id(batch.organisation_id);
        let pages = batch.transactions.iter().map(|p| (dialect::id_to_db(p.account_id), p.transactions.as_slice()));
        let mut rows = transaction_rows(&org, pages, batch.now)?;
        let now_db = dialect::time_to_db(batch.now);
        let mut conn = self.write_conn()?;
        dialect::write_transaction(&mut conn, |conn| {
            let mut written = SyncBatchWritten::default();
            written.counts.add(upsert_transactions_in(conn, &org, &mut rows)?);
            for (account, watermark) in batch.watermarks {
                let n = diesel::update(
                    bank_accounts::table
                        .filter(bank_accounts::organisation_id.eq(&org))
                        .filter(bank_accounts::id.eq(dialect::id_to_db(*account))),
                )
                .set((
                    bank_accounts::sync_watermark_id.eq(&watermark.transaction_id),
                    bank_accounts::sync_watermark_date.eq(watermark.execution_date),
                ))
                .execute(conn)?;
                if n != 1 {
                    return Err(diesel::result::Error::NotFound);
                }
            }
            if let Some(finish) = &batch.finish {
                let mut run = finish.run.clone();
                run.new_transactions += written.counts.new;
                run.changed_transactions += written.counts.changed;
                let row = SyncRunRow::from_domain(&run);
                if let Some(interrupted) = finish.interrupted {
                    end_interrupted_runs_in(conn, &org, &row.integration_id, &row.id, &now_db, interrupted)?;
                }
                save_run_in(conn, &row)?;
                if let Some(integration) = finish.integration {
                    written.status_saved = save_status_in(conn, integration)?;
                }
                written.job_completed = complete_job_in(conn, finish.job, finish.worker, &now_db)?;
            }
            Ok(written)
        })
        .map_err(db_err)
    }
}

/// Marks an integration disconnected and deletes its tokens and consent in progress; returns
/// how many rows it touched.
fn disconnect_in(
    conn: &mut dialect::Conn,
    organisation: OrganisationId,
    id: Uuid,
    now: OffsetDateTime,
) -> Result<usize, diesel::result::Error> {
    diesel::update(live(organisation, id))
        .set((
            integrations::status.eq(IntegrationStatus::Disconnected.code()),
            integrations::sealed_tokens.eq(None::<String>),
            integrations::token_version.eq(integrations::token_version + 1),
            integrations::consent_state_digest.eq(None::<String>),
            integrations::consent_verifier.eq(None::<String>),
            integrations::consent_session_digest.eq(None::<String>),
            integrations::consent_requested_at.eq(None::<DbTime>),
            integrations::next_sync_at.eq(None::<DbTime>),
            integrations::pending_synchronizations.eq(""),
            integrations::updated_at.eq(dialect::time_to_db(now)),
        ))
        .execute(conn)
}

/// Writes an integration's status fields; never revives a disconnected one. Returns whether it
/// did.
fn save_status_in(conn: &mut dialect::Conn, i: &Integration) -> Result<bool, diesel::result::Error> {
    let n = diesel::update(
        live(i.organisation_id, i.id).filter(integrations::status.ne(IntegrationStatus::Disconnected.code())),
    )
    .set((
        integrations::status.eq(i.status.code()),
        integrations::consent_expires_at.eq(i.consent_expires_at.map(dialect::time_to_db)),
        integrations::connected_by.eq(i.connected_by.map(|u| dialect::id_to_db(*u.as_uuid()))),
        integrations::last_attempt_at.eq(i.last_attempt_at.map(dialect::time_to_db)),
        integrations::last_success_at.eq(i.last_success_at.map(dialect::time_to_db)),
        integrations::last_error.eq(i.last_error.as_deref()),
        integrations::consecutive_failures.eq(i.consecutive_failures),
        integrations::next_sync_at.eq(i.next_sync_at.map(dialect::time_to_db)),
        integrations::bank_sync_requested_at.eq(i.bank_sync_requested_at.map(dialect::time_to_db)),
        integrations::pending_synchronizations.eq(i.pending_synchronizations.join(",")),
        integrations::updated_at.eq(dialect::time_to_db(i.updated_at)),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Ends the integration's runs other than `current` that are still marked running, with the
/// given error.
fn end_interrupted_runs_in(
    conn: &mut dialect::Conn,
    org: &DbId,
    integration: &DbId,
    current: &DbId,
    now: &DbTime,
    error: &str,
) -> Result<usize, diesel::result::Error> {
    diesel::update(
        sync_runs::table
            .filter(sync_runs::organisation_id.eq(org))
            .filter(sync_runs::integration_id.eq(integration))
            .filter(sync_runs::outcome.eq(SyncOutcome::Running.code()))
            .filter(sync_runs::id.ne(current)),
    )
    .set((
        sync_runs::outcome.eq(SyncOutcome::Failed.code()),
        sync_runs::finished_at.eq(Some(now)),
        sync_runs::error.eq(error),
    ))
    .execute(conn)
}

/// Inserts or replaces a sync run.
fn save_run_in(conn: &mut dialect::Conn, row: &SyncRunRow) -> Result<(), diesel::result::Error> {
    let n = diesel::update(
        sync_runs::table.filter(sync_runs::organisation_id.eq(&row.organisation_id)).filter(sync_runs::id.eq(&row.id)),
    )
    .set(row)
    .execute(conn)?;
    if n == 0 {
        diesel::insert_into(sync_runs::table).values(row).execute(conn)?;
    }
    Ok(())
}

/// The kind of a webhook endpoint's signing secret in the rotation list.
const WEBHOOK_SECRET_KIND: &str = "webhook.secret";

impl SealedSecretStore for Store {
    fn sealed_secrets(&self) -> Result<Vec<(SealedSecretRef, String)>, RepositoryError> {
        let rows: Vec<SecretRow> = integrations::table
            .filter(integrations::sealed_tokens.is_not_null().or(integrations::consent_verifier.is_not_null()))
            .select((
                integrations::organisation_id,
                integrations::id,
                integrations::sealed_tokens,
                integrations::consent_verifier,
                integrations::consent_state_digest,
            ))
            .load(&mut self.conn()?)
            .map_err(db_err)?;
        let mut out = Vec::new();
        for (org, id, tokens, verifier, state) in rows {
            let organisation_id = OrganisationId::from_uuid(dialect::id_from_db(&org)?);
            let id = dialect::id_from_db(&id)?;
            if let Some(sealed) = tokens {
                let context = tokens_context(organisation_id, id);
                out.push((SealedSecretRef { kind: "integration.tokens".into(), organisation_id, id, context }, sealed));
            }
            if let (Some(sealed), Some(state)) = (verifier, state) {
                let context = verifier_context(organisation_id, &state);
                out.push((
                    SealedSecretRef { kind: "integration.verifier".into(), organisation_id, id, context },
                    sealed,
                ));
            }
        }
        out.extend(self.sealed_totp_secrets()?);
        for (organisation_id, id, sealed) in self.sealed_webhook_secrets()? {
            let context = billify_ports::notifications::webhook_secret_context(organisation_id, id);
            out.push((SealedSecretRef { kind: WEBHOOK_SECRET_KIND.into(), organisation_id, id, context }, sealed));
        }
        Ok(out)
    }

    fn reseal_secret(&self, at: &SealedSecretRef, old: &str, new: &str) -> Result<bool, RepositoryError> {
        let target = live(at.organisation_id, at.id);
        let n = match at.kind.as_str() {
            // Re-sealing keeps the token version: the plaintext is the same.
            "integration.tokens" => diesel::update(target.filter(integrations::sealed_tokens.eq(old)))
                .set(integrations::sealed_tokens.eq(new))
                .execute(&mut *self.write_conn()?),
            "integration.verifier" => diesel::update(target.filter(integrations::consent_verifier.eq(old)))
                .set(integrations::consent_verifier.eq(new))
                .execute(&mut *self.write_conn()?),
            super::two_factor::TOTP_SECRET_KIND => return self.reseal_totp_secret(at, old, new),
            WEBHOOK_SECRET_KIND => return self.reseal_webhook_secret(at.organisation_id, at.id, old, new),
            other => return Err(RepositoryError::Corrupt(format!("unknown sealed secret kind {other}"))),
        }
        .map_err(db_err)?;
        Ok(n == 1)
    }
}
