-- The audit trail: append-only, hash-chained per organisation (chain_id = organisation_id), plus
-- one global chain (chain_id = the nil UUID, organisation_id NULL) for user-level events such
-- as failed logins and organisations' deletion tombstones. The tables are distributed by
-- chain_id, which is the organisation's id for every tenant row.

CREATE TABLE audit_chains (
    chain_id         UUID PRIMARY KEY,
    organisation_id  UUID REFERENCES organisations (id) ON DELETE CASCADE,
    last_seq         BIGINT NOT NULL CHECK (last_seq >= 0),
    last_hash        TEXT NOT NULL,
    CHECK ((organisation_id IS NULL AND chain_id = '00000000-0000-0000-0000-000000000000')
           OR organisation_id = chain_id)
);

CREATE TABLE audit_log (
    chain_id         UUID NOT NULL,
    seq              BIGINT NOT NULL CHECK (seq >= 1),
    id               UUID NOT NULL,
    organisation_id  UUID REFERENCES organisations (id) ON DELETE CASCADE,
    actor_user_id    UUID,
    action           TEXT NOT NULL,
    target_kind      TEXT NOT NULL,
    target_id        TEXT,
    occurred_at      TIMESTAMPTZ NOT NULL,
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
CREATE FUNCTION audit_log_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_update();
