-- SQLite twin of the PostgreSQL migration: UUIDs and dates are TEXT, and SQLite has only row
-- triggers, so each written transaction adjusts its day's row.
-- Money in and out per organisation, booking day and currency, kept by the database in the
-- statement that writes the transactions, so the cash position sums a few rows per day instead
-- of every transaction of its range. Transfers between the organisation's own accounts are
-- included here and subtracted when read, because which accounts are its own can change after
-- the booking (bank_transactions_by_counterparty finds them). Deletions only lower existing
-- rows, so deleting an organisation (which cascades to these rows too) never inserts one.

CREATE TABLE bank_daily_flows (
    organisation_id  TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    day              TEXT NOT NULL,
    currency         TEXT NOT NULL CHECK (length(currency) = 3),
    in_minor         BIGINT NOT NULL,
    out_minor        BIGINT NOT NULL,
    in_count         BIGINT NOT NULL,
    out_count        BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, day, currency)
);

INSERT INTO bank_daily_flows (organisation_id, day, currency, in_minor, out_minor, in_count, out_count)
SELECT organisation_id, execution_date, currency,
       COALESCE(SUM(amount_minor) FILTER (WHERE amount_minor > 0), 0),
       COALESCE(SUM(amount_minor) FILTER (WHERE amount_minor < 0), 0),
       COUNT(*) FILTER (WHERE amount_minor > 0),
       COUNT(*) FILTER (WHERE amount_minor < 0)
FROM bank_transactions
GROUP BY organisation_id, execution_date, currency;

CREATE INDEX bank_transactions_by_counterparty ON bank_transactions
    (organisation_id, counterparty_account, execution_date, currency, amount_minor)
    WHERE counterparty_account IS NOT NULL;

CREATE TRIGGER bank_daily_flows_insert AFTER INSERT ON bank_transactions BEGIN
    INSERT OR IGNORE INTO bank_daily_flows (organisation_id, day, currency, in_minor, out_minor, in_count, out_count)
        VALUES (NEW.organisation_id, NEW.execution_date, NEW.currency, 0, 0, 0, 0);
    UPDATE bank_daily_flows SET
        in_minor = in_minor + MAX(NEW.amount_minor, 0), out_minor = out_minor + MIN(NEW.amount_minor, 0),
        in_count = in_count + (NEW.amount_minor > 0), out_count = out_count + (NEW.amount_minor < 0)
    WHERE organisation_id = NEW.organisation_id AND day = NEW.execution_date AND currency = NEW.currency;
END;

CREATE TRIGGER bank_daily_flows_delete AFTER DELETE ON bank_transactions BEGIN
    UPDATE bank_daily_flows SET
        in_minor = in_minor - MAX(OLD.amount_minor, 0), out_minor = out_minor - MIN(OLD.amount_minor, 0),
        in_count = in_count - (OLD.amount_minor > 0), out_count = out_count - (OLD.amount_minor < 0)
    WHERE organisation_id = OLD.organisation_id AND day = OLD.execution_date AND currency = OLD.currency;
END;

CREATE TRIGGER bank_daily_flows_update AFTER UPDATE OF execution_date, currency, amount_minor ON bank_transactions
WHEN OLD.execution_date IS NOT NEW.execution_date OR OLD.currency IS NOT NEW.currency
     OR OLD.amount_minor IS NOT NEW.amount_minor
BEGIN
    UPDATE bank_daily_flows SET
        in_minor = in_minor - MAX(OLD.amount_minor, 0), out_minor = out_minor - MIN(OLD.amount_minor, 0),
        in_count = in_count - (OLD.amount_minor > 0), out_count = out_count - (OLD.amount_minor < 0)
    WHERE organisation_id = OLD.organisation_id AND day = OLD.execution_date AND currency = OLD.currency;
    INSERT OR IGNORE INTO bank_daily_flows (organisation_id, day, currency, in_minor, out_minor, in_count, out_count)
        VALUES (NEW.organisation_id, NEW.execution_date, NEW.currency, 0, 0, 0, 0);
    UPDATE bank_daily_flows SET
        in_minor = in_minor + MAX(NEW.amount_minor, 0), out_minor = out_minor + MIN(NEW.amount_minor, 0),
        in_count = in_count + (NEW.amount_minor > 0), out_count = out_count + (NEW.amount_minor < 0)
    WHERE organisation_id = NEW.organisation_id AND day = NEW.execution_date AND currency = NEW.currency;
END;
