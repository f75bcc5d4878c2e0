-- SQLite twin of the PostgreSQL migration: UUIDs and timestamps are TEXT.
-- A durable job queue: workers in any number of processes claim due jobs with a lease.
CREATE TABLE jobs (
    organisation_id   TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    id                TEXT NOT NULL,
    kind              TEXT NOT NULL,
    job_key           TEXT NOT NULL,
    payload           TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    run_at            TEXT NOT NULL,
    attempts          INTEGER NOT NULL DEFAULT 0,
    lease_owner       TEXT,
    lease_expires_at  TEXT,
    last_error        TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id)
);
-- At most one queued or running job per organisation, kind and key.
CREATE UNIQUE INDEX jobs_one_active ON jobs (organisation_id, kind, job_key) WHERE status IN ('queued', 'running');
CREATE INDEX jobs_due ON jobs (run_at) WHERE status = 'queued';
CREATE INDEX jobs_leased ON jobs (lease_expires_at) WHERE status = 'running';
