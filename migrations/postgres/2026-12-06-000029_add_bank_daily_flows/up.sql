-- Money in and out per organisation, booking day and currency, kept by the database in the
-- statement that writes the transactions (statement triggers with transition tables: one
-- aggregated upsert per statement, whatever its number of rows), so the cash position sums a
-- few rows per day instead of every transaction of its range. Transfers between the
-- organisation's own accounts are included here and subtracted when read, because which
-- accounts are its own can change after the booking (bank_transactions_by_counterparty finds
-- them). Deletions only lower existing rows, so deleting an organisation (which cascades to
-- these rows too) never inserts one.

CREATE TABLE bank_daily_flows (
    organisation_id  UUID NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    day              DATE NOT NULL,
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
    (organisation_id, counterparty_account, execution_date) INCLUDE (currency, amount_minor)
    WHERE counterparty_account IS NOT NULL;

CREATE FUNCTION bank_daily_flows_maintain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO bank_daily_flows AS f (organisation_id, day, currency, in_minor, out_minor, in_count, out_count)
        SELECT organisation_id, execution_date, currency,
               COALESCE(SUM(amount_minor) FILTER (WHERE amount_minor > 0), 0),
               COALESCE(SUM(amount_minor) FILTER (WHERE amount_minor < 0), 0),
               COUNT(*) FILTER (WHERE amount_minor > 0),
               COUNT(*) FILTER (WHERE amount_minor < 0)
        FROM new_rows
        GROUP BY organisation_id, execution_date, currency
        ORDER BY organisation_id, execution_date, currency
        ON CONFLICT (organisation_id, day, currency) DO UPDATE SET
            in_minor = f.in_minor + EXCLUDED.in_minor, out_minor = f.out_minor + EXCLUDED.out_minor,
            in_count = f.in_count + EXCLUDED.in_count, out_count = f.out_count + EXCLUDED.out_count;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE bank_daily_flows f SET
            in_minor = f.in_minor - d.in_minor, out_minor = f.out_minor - d.out_minor,
            in_count = f.in_count - d.in_count, out_count = f.out_count - d.out_count
        FROM (SELECT organisation_id, execution_date, currency,
                     COALESCE(SUM(amount_minor) FILTER (WHERE amount_minor > 0), 0) AS in_minor,
                     COALESCE(SUM(amount_minor) FILTER (WHERE amount_minor < 0), 0) AS out_minor,
                     COUNT(*) FILTER (WHERE amount_minor > 0) AS in_count,
                     COUNT(*) FILTER (WHERE amount_minor < 0) AS out_count
              FROM old_rows GROUP BY organisation_id, execution_date, currency) d
        WHERE f.organisation_id = d.organisation_id AND f.day = d.execution_date AND f.currency = d.currency;
    ELSE
        -- Only rows whose day, currency or amount changed move money between days.
        INSERT INTO bank_daily_flows AS f (organisation_id, day, currency, in_minor, out_minor, in_count, out_count)
        SELECT organisation_id, execution_date, currency,
               COALESCE(SUM(amount_minor * sign) FILTER (WHERE amount_minor > 0), 0),
               COALESCE(SUM(amount_minor * sign) FILTER (WHERE amount_minor < 0), 0),
               COALESCE(SUM(sign) FILTER (WHERE amount_minor > 0), 0),
               COALESCE(SUM(sign) FILTER (WHERE amount_minor < 0), 0)
        FROM (SELECT o.organisation_id, o.execution_date, o.currency, o.amount_minor, -1 AS sign
              FROM old_rows o JOIN new_rows n ON n.organisation_id = o.organisation_id AND n.id = o.id
              WHERE (o.execution_date, o.currency, o.amount_minor) IS DISTINCT FROM (n.execution_date, n.currency, n.amount_minor)
              UNION ALL
              SELECT n.organisation_id, n.execution_date, n.currency, n.amount_minor, 1
              FROM old_rows o JOIN new_rows n ON n.organisation_id = o.organisation_id AND n.id = o.id
              WHERE (o.execution_date, o.currency, o.amount_minor) IS DISTINCT FROM (n.execution_date, n.currency, n.amount_minor)) c
        GROUP BY organisation_id, execution_date, currency
        ORDER BY organisation_id, execution_date, currency
        ON CONFLICT (organisation_id, day, currency) DO UPDATE SET
            in_minor = f.in_minor + EXCLUDED.in_minor, out_minor = f.out_minor + EXCLUDED.out_minor,
            in_count = f.in_count + EXCLUDED.in_count, out_count = f.out_count + EXCLUDED.out_count;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER bank_daily_flows_insert AFTER INSERT ON bank_transactions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bank_daily_flows_maintain();
CREATE TRIGGER bank_daily_flows_update AFTER UPDATE ON bank_transactions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bank_daily_flows_maintain();
CREATE TRIGGER bank_daily_flows_delete AFTER DELETE ON bank_transactions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bank_daily_flows_maintain();
