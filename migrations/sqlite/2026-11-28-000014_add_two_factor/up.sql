-- SQLite twin of the PostgreSQL migration: UUIDs and timestamps are TEXT, FALSE is 0.
-- Two-factor authentication (TOTP, RFC 6238).
-- A user's enrolment: the secret only sealed by the SecretCipher (associated data
-- `totp:{user_id}`); pending until a first code confirms it; `last_step` is the time step of the
-- last code accepted, so each code works once.
CREATE TABLE user_totp (
    user_id        TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    sealed_secret  TEXT NOT NULL,
    confirmed_at   TEXT,
    last_step      BIGINT,
    created_at     TEXT NOT NULL
);

-- Single-use recovery codes, stored as SHA-256 digests only.
CREATE TABLE recovery_codes (
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_digest  TEXT NOT NULL,
    used_at      TEXT,
    PRIMARY KEY (user_id, code_digest)
);

-- A password accepted, waiting for the second factor: a short-lived, single-use challenge
-- stored as a digest. Like a session, it identifies the caller, so it is looked up unscoped.
CREATE TABLE login_challenges (
    challenge_digest  TEXT PRIMARY KEY,
    user_id           TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organisation_id   TEXT,
    created_at        TEXT NOT NULL,
    expires_at        TEXT NOT NULL
);
CREATE INDEX login_challenges_by_expiry ON login_challenges (expires_at);

-- An organisation's security settings: whether its members must use a second factor.
CREATE TABLE organisation_security (
    organisation_id     TEXT PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    require_two_factor  BOOLEAN NOT NULL DEFAULT 0,
    updated_at          TEXT NOT NULL
);
