-- Two-factor authentication (TOTP, RFC 6238).
-- A user's enrolment: the secret only sealed by the SecretCipher (associated data
-- `totp:{user_id}`); pending until a first code confirms it; `last_step` is the time step of the
-- last code accepted, so each code works once.
CREATE TABLE user_totp (
    user_id        UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    sealed_secret  TEXT NOT NULL,
    confirmed_at   TIMESTAMPTZ,
    last_step      BIGINT,
    created_at     TIMESTAMPTZ NOT NULL
);

-- Single-use recovery codes, stored as SHA-256 digests only.
CREATE TABLE recovery_codes (
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_digest  TEXT NOT NULL,
    used_at      TIMESTAMPTZ,
    PRIMARY KEY (user_id, code_digest)
);

-- A password accepted, waiting for the second factor: a short-lived, single-use challenge
-- stored as a digest. Like a session, it identifies the caller, so it is looked up unscoped.
CREATE TABLE login_challenges (
    challenge_digest  TEXT PRIMARY KEY,
    user_id           UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organisation_id   UUID,
    created_at        TIMESTAMPTZ NOT NULL,
    expires_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_challenges_by_expiry ON login_challenges (expires_at);

-- An organisation's security settings: whether its members must use a second factor.
CREATE TABLE organisation_security (
    organisation_id     UUID PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    require_two_factor  BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at          TIMESTAMPTZ NOT NULL
);
