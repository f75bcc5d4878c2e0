//! The job queue: the [`JobQueue`], claimed with `SKIP LOCKED` on PostgreSQL.

use billify_domain::OrganisationId;
use billify_ports::RepositoryError;
use billify_ports::jobs::{Job, JobQueue, NewJob, QueueDepth};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use uuid::Uuid;

use super::Store;
use super::dialect::{self, Db, DbId, DbTime};
use super::literal::{Code, codes_contain};
use super::schema::jobs;
use super::{db_err, org_id};

#[derive(Queryable, Selectable)]
#[diesel(table_name = jobs, check_for_backend(Db))]
struct JobRow {
    organisation_id: DbId,
    id: DbId,
    kind: String,
    job_key: String,
    payload: String,
    attempts: i32,
    lease_expires_at: Option<DbTime>,
    last_error: Option<String>,
}

impl JobRow {
    fn into_domain(self) -> Result<Job, RepositoryError> {
        Ok(Job {
            organisation_id: OrganisationId::from_uuid(dialect::id_from_db(&self.organisation_id)?),
            id: dialect::id_from_db(&self.id)?,
            kind: self.kind,
            key: self.job_key,
            payload: self.payload,
            attempts: self.attempts,
            lease_expires_at: self.lease_expires_at.as_ref().map(dialect::time_from_db).transpose()?,
            last_error: self.last_error,
        })
    }
}

const LEASE_LOST: &str = "the job's lease was lost to another worker";

/// A job by organisation and id.
type JobById = diesel::dsl::Filter<
    diesel::dsl::Filter<jobs::table, diesel::dsl::Eq<jobs::organisation_id, DbId>>,
    diesel::dsl::Eq<jobs::id, DbId>,
>;

/// A job by organisation and id, if it is running and its lease is held by a worker.
type HeldJob<'a> = diesel::dsl::Filter<
    diesel::dsl::Filter<JobById, diesel::dsl::Eq<jobs::status, &'static str>>,
    diesel::dsl::Eq<jobs::lease_owner, &'a str>,
>;

/// The job, if it is running and `worker` holds its lease.
fn held<'a>(job: &Job, worker: &'a str) -> HeldJob<'a> {
    jobs::table
        .filter(jobs::organisation_id.eq(org_id(job.organisation_id)))
        .filter(jobs::id.eq(dialect::id_to_db(job.id)))
        .filter(jobs::status.eq("running"))
        .filter(jobs::lease_owner.eq(worker))
}

/// Marks a running job done if `worker` still holds its lease, inside the caller's transaction
/// (or on its own); returns whether it did.
pub(crate) fn complete_job_in(
    conn: &mut dialect::Conn,
    job: &Job,
    worker: &str,
    now_db: &DbTime,
) -> Result<bool, DieselError> {
    let n = diesel::update(held(job, worker))
        .set((
            jobs::status.eq("done"),
            jobs::lease_owner.eq(None::<String>),
            jobs::lease_expires_at.eq(None::<DbTime>),
            jobs::updated_at.eq(now_db),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

impl JobQueue for Store {
    fn depth(&self, now: time::OffsetDateTime) -> Result<Vec<QueueDepth>, RepositoryError> {
        let conn = &mut self.conn()?;
        let counts: Vec<(String, String, i64)> = jobs::table
            .filter(codes_contain(jobs::status, vec!["queued", "running"]))
            .group_by((jobs::kind, jobs::status))
            .select((jobs::kind, jobs::status, diesel::dsl::count_star()))
            .load(conn)
            .map_err(db_err)?;
        let due: Vec<(String, i64)> = jobs::table
            .filter(jobs::status.eq(Code("queued")))
            .filter(jobs::run_at.le(dialect::time_to_db(now)))
            .group_by(jobs::kind)
            .select((jobs::kind, diesel::dsl::count_star()))
            .load(conn)
            .map_err(db_err)?;
        let mut by_kind = std::collections::BTreeMap::<String, QueueDepth>::new();
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        for (kind, status, n) in counts {
            let depth = by_kind.entry(kind.clone()).or_insert_with(|| QueueDepth { kind, ..QueueDepth::default() });
            match status.as_str() {
                "running" => depth.running += count(n),
                _ => depth.scheduled += count(n),
            }
        }
        for (kind, n) in due {
            if let Some(depth) = by_kind.get_mut(&kind) {
                depth.due += count(n);
                depth.scheduled = depth.scheduled.saturating_sub(count(n));
            }
        }
        Ok(by_kind.into_values().collect())
    }

    fn delete_finished_jobs(&self, before: time::OffsetDateTime) -> Result<u64, RepositoryError> {
        let n = diesel::delete(
            jobs::table
                .filter(jobs::status.eq_any(["done", "failed"]))
                .filter(jobs::updated_at.lt(dialect::time_to_db(before))),
        )
        .execute(&mut *self.write_conn()?)
        .map_err(db_err)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn enqueue(&self, job: &NewJob, now: time::OffsetDateTime) -> Result<bool, RepositoryError> {
        let now = dialect::time_to_db(now);
        let result = diesel::insert_into(jobs::table)
            .values((
                jobs::organisation_id.eq(org_id(job.organisation_id)),
                jobs::id.eq(dialect::id_to_db(Uuid::now_v7())),
                jobs::kind.eq(&job.kind),
                jobs::job_key.eq(&job.key),
                jobs::payload.eq(&job.payload),
                jobs::status.eq("queued"),
                jobs::run_at.eq(dialect::time_to_db(job.run_at)),
                jobs::attempts.eq(0),
                jobs::created_at.eq(now.clone()),
                jobs::updated_at.eq(now),
            ))
            .execute(&mut *self.write_conn()?);
        match result {
            Ok(_) => Ok(true),
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
            Err(e) => Err(db_err(e)),
        }
    }

    fn claim(
        &self,
        worker: &str,
        now: time::OffsetDateTime,
        lease: time::Duration,
    ) -> Result<Option<Job>, RepositoryError> {
        let now_db = dialect::time_to_db(now);
        let mut conn = self.write_conn()?;
        dialect::write_transaction(&mut conn, |conn| {
            let Some((org, id)) = dialect::claim_candidate(conn, now_db.clone())? else { return Ok(None) };
            let target = jobs::table.filter(jobs::organisation_id.eq(&org)).filter(jobs::id.eq(&id));
            diesel::update(target)
                .set((
                    jobs::status.eq("running"),
                    jobs::lease_owner.eq(worker),
                    jobs::lease_expires_at.eq(dialect::time_to_db(now + lease)),
                    jobs::attempts.eq(jobs::attempts + 1),
                    jobs::updated_at.eq(now_db.clone()),
                ))
                .returning(JobRow::as_returning())
                .get_result(conn)
                .map(Some)
        })
        .map_err(db_err)?
        .map(JobRow::into_domain)
        .transpose()
    }

    fn renew_lease(&self, job: &Job, worker: &str, until: time::OffsetDateTime) -> Result<bool, RepositoryError> {
        let n = diesel::update(held(job, worker))
            .set(jobs::lease_expires_at.eq(Some(dialect::time_to_db(until))))
            .execute(&mut *self.write_conn()?)
            .map_err(db_err)?;
        Ok(n == 1)
    }

    fn complete(&self, job: &Job, worker: &str, now: time::OffsetDateTime) -> Result<(), RepositoryError> {
        let mut conn = self.write_conn()?;
        let done = complete_job_in(&mut conn, job, worker, &dialect::time_to_db(now)).map_err(db_err)?;
        if done { Ok(()) } else { Err(RepositoryError::Conflict(LEASE_LOST.into())) }
    }

    fn fail(
        &self,
        job: &Job,
        worker: &str,
        error: &str,
        retry_at: Option<time::OffsetDateTime>,
        now: time::OffsetDateTime,
    ) -> Result<(), RepositoryError> {
        let target = held(job, worker);
        let (status, run_at) = match retry_at {
            Some(at) => ("queued", Some(dialect::time_to_db(at))),
            None => ("failed", None),
        };
        let mut conn = self.write_conn()?;
        let n = match run_at {
            Some(run_at) => diesel::update(target)
                .set((
                    jobs::status.eq(status),
                    jobs::run_at.eq(run_at),
                    jobs::lease_owner.eq(None::<String>),
                    jobs::lease_expires_at.eq(None::<DbTime>),
                    jobs::last_error.eq(error),
                    jobs::updated_at.eq(dialect::time_to_db(now)),
                ))
                .execute(&mut *conn),
            None => diesel::update(target)
                .set((
                    jobs::status.eq(status),
                    jobs::lease_owner.eq(None::<String>),
                    jobs::lease_expires_at.eq(None::<DbTime>),
                    jobs::last_error.eq(error),
                    jobs::updated_at.eq(dialect::time_to_db(now)),
                ))
                .execute(&mut *conn),
        }
        .map_err(db_err)?;
        if n == 0 { Err(RepositoryError::Conflict(LEASE_LOST.into())) } else { Ok(()) }
    }
}
