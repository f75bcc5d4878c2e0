-- SQLite twin of the PostgreSQL migration: UUIDs and timestamps are TEXT.
-- Invitations to join an organisation with a role. The token is never stored, only its
-- SHA-256 digest; it is single-use (accepted_at) and expires. The token names its organisation,
-- so acceptance looks it up within the tenant, and the digest is unique per organisation.
CREATE TABLE invitations (
    organisation_id  TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    id               TEXT NOT NULL,
    email            TEXT NOT NULL CHECK (email = lower(email)),
    role             TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'accountant', 'viewer')),
    invited_by       TEXT NOT NULL,
    token_digest     TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    expires_at       TEXT NOT NULL,
    accepted_at      TEXT,
    accepted_by      TEXT,
    PRIMARY KEY (organisation_id, id),
    UNIQUE (organisation_id, token_digest)
);
CREATE INDEX invitations_by_age ON invitations (organisation_id, created_at);
