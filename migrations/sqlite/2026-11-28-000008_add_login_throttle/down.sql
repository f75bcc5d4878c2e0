ALTER TABLE users DROP COLUMN locked_until;
ALTER TABLE users DROP COLUMN failures_since;
ALTER TABLE users DROP COLUMN failed_logins;
