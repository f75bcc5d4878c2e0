-- Invitations to join an organisation with a role. The token is never stored, only its
-- SHA-256 digest; it is single-use (accepted_at) and expires. The token names its organisation,
-- so acceptance looks it up within the tenant, and the digest is unique per organisation.
CREATE TABLE invitations (
    organisation_id  UUID NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    id               UUID NOT NULL,
    email            TEXT NOT NULL CHECK (email = lower(email)),
    role             TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'accountant', 'viewer')),
    invited_by       UUID NOT NULL,
    token_digest     TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    expires_at       TIMESTAMPTZ NOT NULL,
    accepted_at      TIMESTAMPTZ,
    accepted_by      UUID,
    PRIMARY KEY (organisation_id, id),
    UNIQUE (organisation_id, token_digest)
);
CREATE INDEX invitations_by_age ON invitations (organisation_id, created_at);
