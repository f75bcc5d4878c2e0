-- Sessions get a public id, so their user can list and end them without ever seeing a token,
-- and remember the client's user agent and address at login, so the user recognises them.
-- Existing sessions end (their users log in again once): an id cannot be given to them on
-- both backends alike. (SQLite adds a NOT NULL column only with a default; every row written
-- from now on carries a real id.)
DELETE FROM sessions;
ALTER TABLE sessions ADD COLUMN id TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
ALTER TABLE sessions ADD COLUMN ip TEXT;
CREATE UNIQUE INDEX sessions_by_id ON sessions (id);
CREATE INDEX sessions_by_user ON sessions (user_id, created_at);
