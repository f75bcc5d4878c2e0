-- SQLite twin of the PostgreSQL migration: UUIDs, timestamps and dates are TEXT.
-- SQLite cannot change a CHECK constraint in place, so `integrations` is rebuilt with the new
-- provider and columns. Its child `sync_runs` is set aside first (dropping a parent with
-- foreign keys on deletes its children through ON DELETE CASCADE) and rebuilt after it.
CREATE TABLE sync_runs_kept AS SELECT * FROM sync_runs;
DROP TABLE sync_runs;

CREATE TABLE integrations_rebuilt (
    organisation_id          TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    id                       TEXT NOT NULL,
    provider                 TEXT NOT NULL CHECK (provider IN ('ponto', 'yuki')),
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
    accounting_region        TEXT CHECK (accounting_region IN ('nl', 'be')),
    accounting_administration_id TEXT,
    calls_day                TEXT,
    calls_used               INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (organisation_id, id)
);
INSERT INTO integrations_rebuilt (
    organisation_id, id, provider, status, sealed_tokens, token_version, consent_state_digest, consent_verifier,
    consent_session_digest, consent_requested_at, consent_expires_at, connected_by, last_attempt_at, last_success_at,
    last_error, consecutive_failures, next_sync_at, bank_sync_requested_at, pending_synchronizations, created_at,
    updated_at)
SELECT organisation_id, id, provider, status, sealed_tokens, token_version, consent_state_digest, consent_verifier,
    consent_session_digest, consent_requested_at, consent_expires_at, connected_by, last_attempt_at, last_success_at,
    last_error, consecutive_failures, next_sync_at, bank_sync_requested_at, pending_synchronizations, created_at,
    updated_at
FROM integrations;
DROP TABLE integrations;
ALTER TABLE integrations_rebuilt RENAME TO integrations;
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
    new_invoices          INTEGER NOT NULL DEFAULT 0,
    changed_invoices      INTEGER NOT NULL DEFAULT 0,
    closed_invoices       INTEGER NOT NULL DEFAULT 0,
    flagged_items         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, integration_id) REFERENCES integrations (organisation_id, id) ON DELETE CASCADE
);
INSERT INTO sync_runs (organisation_id, id, integration_id, started_at, finished_at, outcome, new_accounts,
    changed_accounts, new_transactions, changed_transactions, error)
SELECT organisation_id, id, integration_id, started_at, finished_at, outcome, new_accounts, changed_accounts,
    new_transactions, changed_transactions, error
FROM sync_runs_kept;
DROP TABLE sync_runs_kept;
CREATE INDEX sync_runs_by_integration ON sync_runs (organisation_id, integration_id, started_at DESC);

CREATE TABLE accounting_items (
    organisation_id  TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    integration_id   TEXT NOT NULL,
    item_id          TEXT NOT NULL,
    side             TEXT NOT NULL CHECK (side IN ('debtor', 'creditor')),
    invoice_id       TEXT,
    outstanding      BOOLEAN NOT NULL,
    fingerprint      TEXT NOT NULL,
    flags            TEXT NOT NULL DEFAULT '',
    reference        TEXT,
    open_amount      TEXT,
    original_amount  TEXT,
    currency         TEXT,
    last_seen_at     TEXT NOT NULL,
    closed_at        TEXT,
    PRIMARY KEY (organisation_id, integration_id, item_id),
    FOREIGN KEY (organisation_id, integration_id) REFERENCES integrations (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX accounting_items_flagged ON accounting_items (organisation_id, integration_id, item_id) WHERE flags <> '';
