-- SQLite twin of the PostgreSQL migration: UUIDs and timestamps are TEXT.
-- The audit trail: append-only, hash-chained per organisation (chain_id = organisation_id), plus
-- one global chain (chain_id = the nil UUID, organisation_id NULL) for user-level events such
-- as failed logins and organisations' deletion tombstones.

CREATE TABLE audit_chains (
    chain_id         TEXT PRIMARY KEY,
    organisation_id  TEXT REFERENCES organisations (id) ON DELETE CASCADE,
    last_seq         BIGINT NOT NULL CHECK (last_seq >= 0),
    last_hash        TEXT NOT NULL,
    CHECK ((organisation_id IS NULL AND chain_id = '00000000-0000-0000-0000-000000000000')
           OR organisation_id = chain_id)
);

CREATE TABLE audit_log (
    chain_id         TEXT NOT NULL,
    seq              BIGINT NOT NULL CHECK (seq >= 1),
    id               TEXT NOT NULL,
    organisation_id  TEXT REFERENCES organisations (id) ON DELETE CASCADE,
    actor_user_id    TEXT,
    action           TEXT NOT NULL,
    target_kind      TEXT NOT NULL,
    target_id        TEXT,
    occurred_at      TEXT NOT NULL,
    ip               TEXT,
    before_state     TEXT,
    after_state      TEXT,
    prev_hash        TEXT NOT NULL,
    hash             TEXT NOT NULL,
    PRIMARY KEY (chain_id, seq),
    UNIQUE (chain_id, id),
    CHECK ((organisation_id IS NULL AND chain_id = '00000000-0000-0000-0000-000000000000')
           OR organisation_id = chain_id)
);
CREATE INDEX audit_log_by_time ON audit_log (chain_id, occurred_at);
CREATE INDEX audit_log_by_action ON audit_log (chain_id, action, seq);

-- Entries are never changed; only an organisation's deletion removes its chain.
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
