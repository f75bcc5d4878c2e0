//! A durable job queue in the database, shared by any number of worker processes.
//!
//! Workers claim due jobs with a lease; a job whose lease expires (its worker died) is claimed
//! again by another worker. On PostgreSQL claims use `FOR UPDATE SKIP LOCKED`, so workers on
//! many machines never run one job twice at the same time and never wait on each other; on
//! SQLite one process owns the database and claims are serialised by its write lock.

use billify_domain::OrganisationId;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::RepositoryError;

/// A job to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The organisation the work is for.
    pub organisation_id: OrganisationId,
    /// Its id.
    pub id: Uuid,
    /// What to do, e.g. `bank.sync`.
    pub kind: String,
    /// Identifies the work within its kind (e.g. an integration id); at most one queued or
    /// running job exists per organisation, kind and key.
    pub key: String,
    /// Parameters, as JSON.
    pub payload: String,
    /// How many times it was claimed, this claim included.
    pub attempts: i32,
    /// When the current lease ends.
    pub lease_expires_at: Option<OffsetDateTime>,
    /// The error of the last failed attempt, in plain words.
    pub last_error: Option<String>,
}

/// What to enqueue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJob {
    /// The organisation.
    pub organisation_id: OrganisationId,
    /// The kind.
    pub kind: String,
    /// The key within the kind.
    pub key: String,
    /// Parameters, as JSON.
    pub payload: String,
    /// Not before this moment.
    pub run_at: OffsetDateTime,
}

/// How many jobs of one kind wait or run: the queue's depth, for monitoring.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueueDepth {
    /// The kind.
    pub kind: String,
    /// Queued and due: waiting for a worker.
    pub due: u64,
    /// Queued for later (a retry's back-off, the next scheduled run).
    pub scheduled: u64,
    /// Claimed by a worker (including leases that expired and wait to be taken over).
    pub running: u64,
}

/// The durable job queue.
pub trait JobQueue: Send + Sync {
    /// The jobs that wait or run, by kind (kinds with none are left out), across organisations:
    /// an operator's view of the queue, never shown to a tenant.
    fn depth(&self, now: OffsetDateTime) -> Result<Vec<QueueDepth>, RepositoryError>;

    /// Enqueues a job unless one with the same organisation, kind and key is already queued or
    /// running; returns whether it was enqueued.
    fn enqueue(&self, job: &NewJob, now: OffsetDateTime) -> Result<bool, RepositoryError>;

    /// Claims the most overdue job that is queued and due, or running with an expired lease,
    /// for `worker` until `now + lease`.
    fn claim(&self, worker: &str, now: OffsetDateTime, lease: Duration) -> Result<Option<Job>, RepositoryError>;

    /// Extends the lease of a job `worker` holds to `until`, so that work longer than one lease
    /// is not taken over while it is alive; returns `false` when the worker no longer holds
    /// the lease (another worker took the job over, or it finished).
    fn renew_lease(&self, job: &Job, worker: &str, until: OffsetDateTime) -> Result<bool, RepositoryError>;

    /// Marks a claimed job done. Fails with `Conflict` if the worker no longer holds the lease.
    fn complete(&self, job: &Job, worker: &str, now: OffsetDateTime) -> Result<(), RepositoryError>;

    /// Deletes jobs that finished (done or failed for good) before `before`; returns how many.
    fn delete_finished_jobs(&self, before: OffsetDateTime) -> Result<u64, RepositoryError>;

    /// Records a failed attempt: queued again for `retry_at`, or failed for good when `None`.
    /// Fails with `Conflict` if the worker no longer holds the lease.
    fn fail(
        &self,
        job: &Job,
        worker: &str,
        error: &str,
        retry_at: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> Result<(), RepositoryError>;
}
