-- Login throttling: failures within the current window and the end of a lock-out.
ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN failures_since TEXT;
ALTER TABLE users ADD COLUMN locked_until TEXT;
