//! The hash-chained audit log ([`AuditLog`]) and the whole-organisation export and deletion
//! ([`OrganisationDataRepository`]).

use billify_domain::{OrganisationId, UserId};
use billify_ports::RepositoryError;
use billify_ports::audit::{AuditChainHead, AuditEntry, AuditLog, AuditQuery, GENESIS_HASH, NewAuditEntry};
use billify_ports::documents::{
    DocumentDigest, DocumentRecord, DocumentStoreError, Draft, DraftId, DraftRepository as _,
};
use billify_ports::organisation_data::{DeletedOrganisation, OrganisationDataRepository};
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use uuid::Uuid;

use super::Store;
use super::dialect::{self, Db, DbId, DbTime};
use super::schema::{
    audit_chains, audit_log, bank_accounts, bank_transactions, documents, integrations, invitations, invoice_documents,
    invoice_drafts, invoice_events, invoices, jobs, memberships, organisations, sync_runs,
};
use super::{db_err, org_id};

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log, check_for_backend(Db), treat_none_as_default_value = false)]
struct AuditRow {
    chain_id: DbId,
    seq: i64,
    id: DbId,
    organisation_id: Option<DbId>,
    actor_user_id: Option<DbId>,
    action: String,
    target_kind: String,
    target_id: Option<String>,
    occurred_at: DbTime,
    ip: Option<String>,
    before_state: Option<String>,
    after_state: Option<String>,
    prev_hash: String,
    hash: String,
}

impl AuditRow {
    fn from_domain(e: &AuditEntry) -> Self {
        AuditRow {
            chain_id: dialect::id_to_db(e.chain),
            seq: e.seq,
            id: dialect::id_to_db(e.id),
            organisation_id: e.organisation_id.map(org_id),
            actor_user_id: e.actor.map(|u| dialect::id_to_db(*u.as_uuid())),
            action: e.action.clone(),
            target_kind: e.target_kind.clone(),
            target_id: e.target_id.clone(),
            occurred_at: dialect::time_to_db(e.occurred_at),
            ip: e.ip.clone(),
            before_state: e.before.clone(),
            after_state: e.after.clone(),
            prev_hash: e.prev_hash.clone(),
            hash: e.hash.clone(),
        }
    }

    fn into_domain(self) -> Result<AuditEntry, RepositoryError> {
        Ok(AuditEntry {
            chain: dialect::id_from_db(&self.chain_id)?,
            seq: self.seq,
            id: dialect::id_from_db(&self.id)?,
            organisation_id: self
                .organisation_id
                .as_ref()
                .map(|o| dialect::id_from_db(o).map(OrganisationId::from_uuid))
                .transpose()?,
            actor: self.actor_user_id.as_ref().map(|u| dialect::id_from_db(u).map(UserId::from_uuid)).transpose()?,
            action: self.action,
            target_kind: self.target_kind,
            target_id: self.target_id,
            occurred_at: dialect::time_from_db(&self.occurred_at)?,
            ip: self.ip,
            before: self.before_state,
            after: self.after_state,
            prev_hash: self.prev_hash,
            hash: self.hash,
        })
    }
}

/// Appends inside the caller's write transaction: creates the chain's head row if needed, locks
/// it, seals the entry after the head and moves the head.
pub(super) fn append_in(conn: &mut dialect::Conn, entry: &NewAuditEntry) -> Result<AuditEntry, DieselError> {
    let (chain, last_seq, last_hash) = lock_head(conn, entry)?;
    let sealed = entry.seal(Uuid::now_v7(), last_seq + 1, &last_hash);
    diesel::insert_into(audit_log::table).values(AuditRow::from_domain(&sealed)).execute(conn)?;
    move_head(conn, chain, sealed.seq, &sealed.hash)?;
    Ok(sealed)
}

/// Creates the head row of `entry`'s chain if needed and locks it: the chain's id, its last
/// sequence number and hash.
fn lock_head(conn: &mut dialect::Conn, entry: &NewAuditEntry) -> Result<(DbId, i64, String), DieselError> {
    let chain = dialect::id_to_db(entry.chain());
    diesel::insert_into(audit_chains::table)
        .values((
            audit_chains::chain_id.eq(chain.clone()),
            audit_chains::organisation_id.eq(entry.organisation_id.map(org_id)),
            audit_chains::last_seq.eq(0_i64),
            audit_chains::last_hash.eq(GENESIS_HASH),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    let (last_seq, last_hash) = dialect::lock_audit_head(conn, &chain)?;
    Ok((chain, last_seq, last_hash))
}

/// Moves a chain's head to its newest entry.
fn move_head(conn: &mut dialect::Conn, chain: DbId, seq: i64, hash: &str) -> Result<(), DieselError> {
    diesel::update(audit_chains::table.filter(audit_chains::chain_id.eq(chain)))
        .set((audit_chains::last_seq.eq(seq), audit_chains::last_hash.eq(hash)))
        .execute(conn)?;
    Ok(())
}

/// Appends `entries` in their order inside the caller's write transaction, as [`append_in`]
/// one by one would, in a few statements: per chain, the head row created if needed and locked
/// once, the entries sealed one after the other in memory, inserted 500 rows a statement, and the
/// head moved once. (One by one costs four statements an entry; a reconciliation run that applies
/// 500 matches appends 500 entries.)
pub(super) fn append_all_in(conn: &mut dialect::Conn, entries: &[&NewAuditEntry]) -> Result<(), DieselError> {
    let mut chains: Vec<Uuid> = Vec::new();
    for entry in entries {
        if !chains.contains(&entry.chain()) {
            chains.push(entry.chain());
        }
    }
    for chain_uuid in chains {
        let of_chain: Vec<&NewAuditEntry> = entries.iter().copied().filter(|e| e.chain() == chain_uuid).collect();
        let Some(first) = of_chain.first() else { continue };
        let (chain, mut last_seq, mut last_hash) = lock_head(conn, first)?;
        let mut rows = Vec::with_capacity(of_chain.len());
        for entry in of_chain {
            let sealed = entry.seal(Uuid::now_v7(), last_seq + 1, &last_hash);
            last_seq = sealed.seq;
            last_hash.clone_from(&sealed.hash);
            rows.push(AuditRow::from_domain(&sealed));
        }
        for chunk in rows.chunks(500) {
            diesel::insert_into(audit_log::table).values(chunk).execute(conn)?;
        }
        move_head(conn, chain, last_seq, &last_hash)?;
    }
    Ok(())
}

/// Runs `write` and, when `took_effect` says it changed something, appends `entry`, in one
/// write transaction: the change and the entry that records it commit together or not at all
/// (a refused write records nothing). Every audited write of the repositories goes through
/// here, or calls [`append_in`] inside its own transaction.
pub(super) fn write_audited<T>(
    conn: &mut dialect::Conn,
    entry: &NewAuditEntry,
    took_effect: impl FnOnce(&T) -> bool,
    write: impl FnOnce(&mut dialect::Conn) -> Result<T, DieselError>,
) -> Result<T, DieselError> {
    dialect::write_transaction(conn, |conn| {
        let done = write(conn)?;
        if took_effect(&done) {
            append_in(conn, entry)?;
        }
        Ok(done)
    })
}

impl AuditLog for Store {
    fn append(&self, entry: &NewAuditEntry) -> Result<AuditEntry, RepositoryError> {
        let mut conn = self.write_conn()?;
        dialect::write_transaction(&mut conn, |conn| append_in(conn, entry)).map_err(db_err)
    }

    fn audit_entries(
        &self,
        organisation: OrganisationId,
        query: &AuditQuery,
    ) -> Result<Vec<AuditEntry>, RepositoryError> {
        let mut q = audit_log::table
            .filter(audit_log::chain_id.eq(org_id(organisation)))
            .filter(audit_log::organisation_id.eq(org_id(organisation)))
            .into_boxed();
        if let Some(action) = &query.action {
            q = q.filter(audit_log::action.eq(action.clone()));
        }
        if let Some(actor) = query.actor {
            q = q.filter(audit_log::actor_user_id.eq(dialect::id_to_db(*actor.as_uuid())));
        }
        if let Some(from) = query.from {
            q = q.filter(audit_log::occurred_at.ge(dialect::time_to_db(from)));
        }
        if let Some(to) = query.to {
            q = q.filter(audit_log::occurred_at.lt(dialect::time_to_db(to)));
        }
        if let Some(kind) = &query.target_kind {
            q = q.filter(audit_log::target_kind.eq(kind.clone()));
        }
        if let Some(id) = &query.target_id {
            q = q.filter(audit_log::target_id.eq(id.clone()));
        }
        if let Some(before) = query.before_seq {
            q = q.filter(audit_log::seq.lt(before));
        }
        q.order(audit_log::seq.desc())
            .limit(i64::from(query.limit.clamp(1, 200)))
            .select(AuditRow::as_select())
            .load(&mut self.conn()?)
            .map_err(db_err)?
            .into_iter()
            .map(AuditRow::into_domain)
            .collect()
    }

    fn audit_chains(&self) -> Result<Vec<AuditChainHead>, RepositoryError> {
        let rows: Vec<(DbId, i64, String)> = audit_chains::table
            .order(audit_chains::chain_id.asc())
            .select((audit_chains::chain_id, audit_chains::last_seq, audit_chains::last_hash))
            .load(&mut self.conn()?)
            .map_err(db_err)?;
        rows.into_iter()
            .map(|(chain, last_seq, last_hash)| {
                Ok(AuditChainHead { chain: dialect::id_from_db(&chain)?, last_seq, last_hash })
            })
            .collect()
    }

    fn audit_chain_entries(&self, chain: Uuid, after_seq: i64, limit: u32) -> Result<Vec<AuditEntry>, RepositoryError> {
        audit_log::table
            .filter(audit_log::chain_id.eq(dialect::id_to_db(chain)))
            .filter(audit_log::seq.gt(after_seq))
            .order(audit_log::seq.asc())
            .limit(i64::from(limit.max(1)))
            .select(AuditRow::as_select())
            .load(&mut self.conn()?)
            .map_err(db_err)?
            .into_iter()
            .map(AuditRow::into_domain)
            .collect()
    }
}

/// Why a deletion stopped: the database, or the document store (whose message is kept).
enum DeleteFailure {
    Db(DieselError),
    NotFound,
    Documents(DocumentStoreError),
    Corrupt(String),
}

impl From<DieselError> for DeleteFailure {
    fn from(e: DieselError) -> Self {
        DeleteFailure::Db(e)
    }
}

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

impl OrganisationDataRepository for Store {
    fn all_drafts(&self, organisation: OrganisationId) -> Result<Vec<Draft>, RepositoryError> {
        let ids: Vec<DbId> = invoice_drafts::table
            .filter(invoice_drafts::organisation_id.eq(org_id(organisation)))
            .order((invoice_drafts::created_at.asc(), invoice_drafts::id.asc()))
            .select(invoice_drafts::id)
            .load(&mut self.conn()?)
            .map_err(db_err)?;
        let mut drafts = Vec::with_capacity(ids.len());
        for id in ids {
            // A draft deleted meanwhile is simply not exported.
            if let Some(draft) = self.draft(organisation, DraftId(dialect::id_from_db(&id)?))? {
                drafts.push(draft);
            }
        }
        Ok(drafts)
    }

    fn all_documents(&self, organisation: OrganisationId) -> Result<Vec<DocumentRecord>, RepositoryError> {
        let rows: Vec<(String, i64, String, String, DbTime)> = documents::table
            .filter(documents::organisation_id.eq(org_id(organisation)))
            .order((documents::created_at.asc(), documents::digest.asc()))
            .select((
                documents::digest,
                documents::size,
                documents::media_type,
                documents::file_name,
                documents::created_at,
            ))
            .load(&mut self.conn()?)
            .map_err(db_err)?;
        rows.into_iter()
            .map(|(digest, size, media_type, file_name, created_at)| {
                Ok(DocumentRecord {
                    organisation_id: organisation,
                    digest: DocumentDigest::parse(&digest)
                        .ok_or_else(|| RepositoryError::Corrupt(format!("bad document digest {digest:?}")))?,
                    size: u64::try_from(size).map_err(|_| RepositoryError::Corrupt("negative document size".into()))?,
                    media_type,
                    file_name,
                    created_at: dialect::time_from_db(&created_at)?,
                })
            })
            .collect()
    }

    fn delete_organisation(
        &self,
        organisation: OrganisationId,
        tombstone: &NewAuditEntry,
        remove_documents: &dyn Fn(&[DocumentDigest]) -> Result<(), DocumentStoreError>,
    ) -> Result<DeletedOrganisation, RepositoryError> {
        let mut conn = self.write_conn()?;
        let failure = std::cell::RefCell::new(None);
        let outcome = dialect::write_transaction(&mut conn, |conn| {
            // Any failure must roll the transaction back: report it as a Diesel error and keep
            // the real reason aside.
            delete_all(conn, organisation, tombstone, remove_documents).map_err(|f| match f {
                DeleteFailure::Db(e) => e,
                other => {
                    *failure.borrow_mut() = Some(other);
                    DieselError::RollbackTransaction
                }
            })
        });
        match (outcome, failure.into_inner()) {
            (Ok(deleted), _) => Ok(deleted),
            (Err(_), Some(DeleteFailure::NotFound)) => Err(RepositoryError::NotFound),
            (Err(_), Some(DeleteFailure::Documents(e))) => Err(RepositoryError::Other(Box::new(e))),
            (Err(_), Some(DeleteFailure::Corrupt(message))) => Err(RepositoryError::Corrupt(message)),
            (Err(e), _) => Err(db_err(e)),
        }
    }
}

fn delete_all(
    conn: &mut dialect::Conn,
    organisation: OrganisationId,
    tombstone: &NewAuditEntry,
    remove_documents: &dyn Fn(&[DocumentDigest]) -> Result<(), DocumentStoreError>,
) -> Result<DeletedOrganisation, DeleteFailure> {
    let org = org_id(organisation);
    let exists: i64 = organisations::table.filter(organisations::id.eq(org.clone())).count().get_result(conn)?;
    if exists == 0 {
        return Err(DeleteFailure::NotFound);
    }
    // Lock the organisation's chain (if any) so no append slips in after the head is read;
    // appends for the organisation fail once it is gone (foreign key).
    let head = dialect::lock_audit_head(conn, &org).optional()?.map(|(last_seq, last_hash)| AuditChainHead {
        chain: *organisation.as_uuid(),
        last_seq,
        last_hash,
    });
    let digests: Vec<String> =
        documents::table.filter(documents::organisation_id.eq(org.clone())).select(documents::digest).load(conn)?;
    // Children before parents: not every foreign key between tenant tables cascades (drafts and
    // invoice links refer to documents without ON DELETE CASCADE).
    diesel::delete(invoice_drafts::table.filter(invoice_drafts::organisation_id.eq(org.clone()))).execute(conn)?;
    diesel::delete(invoice_documents::table.filter(invoice_documents::organisation_id.eq(org.clone())))
        .execute(conn)?;
    diesel::delete(invoice_events::table.filter(invoice_events::organisation_id.eq(org.clone()))).execute(conn)?;
    let invoices = diesel::delete(invoices::table.filter(invoices::organisation_id.eq(org.clone()))).execute(conn)?;
    diesel::delete(documents::table.filter(documents::organisation_id.eq(org.clone()))).execute(conn)?;
    diesel::delete(bank_transactions::table.filter(bank_transactions::organisation_id.eq(org.clone())))
        .execute(conn)?;
    diesel::delete(sync_runs::table.filter(sync_runs::organisation_id.eq(org.clone()))).execute(conn)?;
    diesel::delete(bank_accounts::table.filter(bank_accounts::organisation_id.eq(org.clone()))).execute(conn)?;
    diesel::delete(integrations::table.filter(integrations::organisation_id.eq(org.clone()))).execute(conn)?;
    diesel::delete(jobs::table.filter(jobs::organisation_id.eq(org.clone()))).execute(conn)?;
    diesel::delete(invitations::table.filter(invitations::organisation_id.eq(org.clone()))).execute(conn)?;
    // Sessions acting on the organisation go with the memberships (ON DELETE CASCADE).
    let members =
        diesel::delete(memberships::table.filter(memberships::organisation_id.eq(org.clone()))).execute(conn)?;
    diesel::delete(audit_log::table.filter(audit_log::chain_id.eq(org.clone()))).execute(conn)?;
    diesel::delete(audit_chains::table.filter(audit_chains::chain_id.eq(org.clone()))).execute(conn)?;
    // Whatever a later migration adds goes by its ON DELETE CASCADE on organisations.
    diesel::delete(organisations::table.filter(organisations::id.eq(org))).execute(conn)?;

    let mut entry = tombstone.clone();
    let mut after = match entry.after.take() {
        Some(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let chain_head = match &head {
        Some(h) => serde_json::json!({"seq": h.last_seq, "sha256": h.last_hash}),
        None => serde_json::Value::Null,
    };
    after.insert("chain_head".into(), chain_head);
    entry.after = Some(serde_json::Value::Object(after));
    append_in(conn, &entry)?;

    let parsed = digests
        .iter()
        .map(|d| {
            DocumentDigest::parse(d).ok_or_else(|| DeleteFailure::Corrupt(format!("bad stored document digest {d:?}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    remove_documents(&parsed).map_err(DeleteFailure::Documents)?;
    Ok(DeletedOrganisation {
        members: count(members),
        invoices: count(invoices),
        documents: count(parsed.len()),
        audit_head: head,
    })
}
