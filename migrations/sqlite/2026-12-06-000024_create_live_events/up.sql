-- SQLite twin of the PostgreSQL migration: UUIDs and timestamps are TEXT; streams are woken
-- in-process (no pg_notify).
-- Live events: what `GET /api/v1/events` streams (sync finished, invoice created or changed,
-- match applied or undone, notification created, forecast changed).
--
-- Each organisation numbers its events 1, 2, 3, ... without gaps: live_event_heads holds the
-- last number, and publishing bumps it with an upsert whose row lock is held until commit, so
-- an organisation's events commit in the order of their numbers and a reader resuming after
-- `Last-Event-ID` never skips one committed later. `audience` is the permission a member needs
-- to read the event; `data` is a JSON object. Rows older than the retention window are pruned;
-- the heads stay, so numbers are never reused. Publishing also calls pg_notify, which wakes the
-- streams of every server process.

CREATE TABLE live_event_heads (
    organisation_id  TEXT PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    last_id          BIGINT NOT NULL CHECK (last_id >= 0)
);

CREATE TABLE live_events (
    organisation_id  TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    id               BIGINT NOT NULL CHECK (id > 0),
    kind             TEXT NOT NULL,
    audience         TEXT NOT NULL,
    data             TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id)
);
CREATE INDEX live_events_by_age ON live_events (created_at);
