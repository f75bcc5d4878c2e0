-- SQLite twin of the PostgreSQL migration: UUIDs and timestamps are TEXT.
-- Bank integrations (Ponto Connect) with their sealed tokens, consent in progress, sync status
-- and history, and per-account sync watermarks.
--
-- Secrets (`sealed_tokens`, `consent_verifier`) are AEAD-sealed text that names its key id;
-- the associated data binds each to its organisation and row. `token_version` is bumped on
-- every token write, which is a compare-and-swap, so a worker that lost its lease can never
-- overwrite tokens that a newer refresh stored.
CREATE TABLE integrations (
    organisation_id          TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    id                       TEXT NOT NULL,
    provider                 TEXT NOT NULL CHECK (provider IN ('ponto')),
    status                   TEXT NOT NULL CHECK (status IN ('pending', 'connected', 'syncing', 'needs_reconsent', 'failing', 'disconnected')),
    sealed_tokens            TEXT,
    token_version            INTEGER NOT NULL DEFAULT 0,
    consent_state_digest     TEXT,
    consent_verifier         TEXT,
    consent_session_digest   TEXT,
    consent_requested_at     TEXT,
    consent_expires_at       TEXT,
    connected_by             TEXT,
    last_attempt_at          TEXT,
    last_success_at          TEXT,
    last_error               TEXT,
    consecutive_failures     INTEGER NOT NULL DEFAULT 0,
    next_sync_at             TEXT,
    bank_sync_requested_at   TEXT,
    pending_synchronizations TEXT NOT NULL DEFAULT '',
    created_at               TEXT NOT NULL,
    updated_at               TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id)
);
-- One live integration per organisation and provider.
CREATE UNIQUE INDEX integrations_one_live ON integrations (organisation_id, provider) WHERE status <> 'disconnected';
CREATE UNIQUE INDEX integrations_by_consent_state ON integrations (consent_state_digest) WHERE consent_state_digest IS NOT NULL;
CREATE INDEX integrations_due ON integrations (next_sync_at) WHERE status IN ('connected', 'syncing', 'failing');

CREATE TABLE sync_runs (
    organisation_id       TEXT NOT NULL,
    id                    TEXT NOT NULL,
    integration_id        TEXT NOT NULL,
    started_at            TEXT NOT NULL,
    finished_at           TEXT,
    outcome               TEXT NOT NULL CHECK (outcome IN ('running', 'succeeded', 'failed')),
    new_accounts          INTEGER NOT NULL DEFAULT 0,
    changed_accounts      INTEGER NOT NULL DEFAULT 0,
    new_transactions      INTEGER NOT NULL DEFAULT 0,
    changed_transactions  INTEGER NOT NULL DEFAULT 0,
    error                 TEXT,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, integration_id) REFERENCES integrations (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX sync_runs_by_integration ON sync_runs (organisation_id, integration_id, started_at DESC);

-- How far a completed pass over an account's transactions reached (newest first): the next pass
-- pages down to this transaction (plus an overlap) and no further. Written only after a pass
-- completes, so a pass killed half-way is simply replayed.
ALTER TABLE bank_accounts ADD COLUMN sync_watermark_id TEXT;
ALTER TABLE bank_accounts ADD COLUMN sync_watermark_date TEXT;
