-- SQLite twin of the PostgreSQL migration: UUIDs and timestamps are TEXT, DATE is TEXT (YYYY-MM-DD).
-- Organisations are the tenants. Users are global identities (a person can serve several
-- organisations); what a user may see is decided by memberships, which carry organisation_id.

CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at  TEXT NOT NULL
);

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE CHECK (email = lower(email)),
    name           TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    created_at     TEXT NOT NULL
);

CREATE TABLE memberships (
    organisation_id  TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    user_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role             TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'accountant', 'viewer')),
    created_at       TEXT NOT NULL,
    PRIMARY KEY (organisation_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id, created_at);

-- A session acts on one organisation; removing the membership removes its sessions.
CREATE TABLE sessions (
    token_digest     TEXT PRIMARY KEY,
    organisation_id  TEXT NOT NULL,
    user_id          TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    expires_at       TEXT NOT NULL,
    FOREIGN KEY (organisation_id, user_id) REFERENCES memberships (organisation_id, user_id) ON DELETE CASCADE
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
CREATE INDEX sessions_by_member ON sessions (organisation_id, user_id);
