-- SQLite twin of the PostgreSQL migration: UUIDs and timestamps are TEXT.
-- Personal access tokens for scripts: each acts as one member of one organisation with a scope,
-- and is stored as a SHA-256 digest only. Looked up within the organisation named in the token.
-- Removing the membership (or the organisation) removes its tokens.
CREATE TABLE access_tokens (
    id               TEXT PRIMARY KEY,
    organisation_id  TEXT NOT NULL,
    user_id          TEXT NOT NULL,
    name             TEXT NOT NULL,
    scope            TEXT NOT NULL CHECK (scope IN ('read', 'read_write')),
    token_digest     TEXT NOT NULL UNIQUE,
    created_at       TEXT NOT NULL,
    expires_at       TEXT,
    last_used_at     TEXT,
    FOREIGN KEY (organisation_id, user_id) REFERENCES memberships (organisation_id, user_id) ON DELETE CASCADE
);
CREATE INDEX access_tokens_by_member ON access_tokens (organisation_id, user_id, created_at);
