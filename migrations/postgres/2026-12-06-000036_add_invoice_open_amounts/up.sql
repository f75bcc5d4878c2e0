-- Open amounts kept by the database in the statement that writes the invoices, so the cash
-- position sums a few rows per due date instead of netting every open document on read.
--
-- An open item depends on other documents (a credit note lowers what its invoice has open), so
-- the unit kept is a family: an invoice with the credit notes that correct it, or a credit note
-- linked to nothing. `invoice_open_items` holds each family's open items, exactly as the cash
-- position used to compute them on read (`billify_domain::cashflow` rules):
--   part 'invoice': an unpaid invoice, less its unpaid credit notes of the same direction and
--                   currency, when something is still open;
--   part 'credits': what those credit notes (per direction and currency) give back beyond what
--                   their invoice has open, at their earliest due date;
--   part 'note':    an unpaid credit note linked to nothing.
-- Amounts are signed as cash flows (receivables +, payables -, credit against its direction).
-- `invoice_open_amounts` sums the items per direction, currency, due date and manual urgency;
-- the urgency of the rest follows today and is computed on read.
--
-- A statement trigger recomputes every family a statement touched (the ids and corrected ids of
-- its old and new rows), replacing the family's items and adjusting the sums by the difference.
-- Families are locked (transaction advisory locks, in order) before they are recomputed, so two
-- transactions writing documents of one family (a payment and a new credit note) serialise;
-- writes run at READ COMMITTED, so each recomputation reads what the other committed. Deleting
-- an organisation deletes its invoices first (and these rows cascade), so it never inserts one.

CREATE TABLE invoice_open_items (
    organisation_id  UUID NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    family_id        UUID NOT NULL,
    part             TEXT NOT NULL CHECK (part IN ('invoice', 'credits', 'note')),
    direction        TEXT NOT NULL CHECK (direction IN ('payable', 'receivable')),
    currency         TEXT NOT NULL CHECK (length(currency) = 3),
    due_date         DATE NOT NULL,
    manual_urgency   TEXT NOT NULL,
    amount_minor     BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, family_id, part, direction, currency)
);

CREATE TABLE invoice_open_amounts (
    organisation_id  UUID NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    direction        TEXT NOT NULL CHECK (direction IN ('payable', 'receivable')),
    currency         TEXT NOT NULL CHECK (length(currency) = 3),
    due_date         DATE NOT NULL,
    manual_urgency   TEXT NOT NULL,
    items            BIGINT NOT NULL,
    amount_minor     BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, direction, currency, due_date, manual_urgency)
);

-- Replaces the open items of the families (`orgs[k]`, `fams[k]`), computed from the invoices as
-- they are, and adjusts the sums; `locked` when the caller already excludes concurrent writers.
-- (The items' query is written here, not in a function of its own, so PL/pgSQL keeps its plan.)
CREATE FUNCTION invoice_open_refresh(orgs UUID[], fams UUID[], locked BOOLEAN) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    emptied_orgs UUID[];
    emptied_dirs TEXT[];
    emptied_curs TEXT[];
    emptied_dues DATE[];
    emptied_urgs TEXT[];
BEGIN
    IF coalesce(cardinality(fams), 0) = 0 THEN
        RETURN;
    END IF;
    IF NOT locked THEN
        -- A few families lock each family (under a shared lock of their organisation); a bulk
        -- statement locks its organisations whole, so the lock table never fills up.
        IF cardinality(fams) <= 64 THEN
            PERFORM pg_advisory_xact_lock_shared(hashtextextended(o::text, 36))
            FROM (SELECT DISTINCT o FROM unnest(orgs) AS o) u ORDER BY o;
            PERFORM pg_advisory_xact_lock(hashtextextended(x::text, 37))
            FROM (SELECT DISTINCT x FROM unnest(fams) AS x) u ORDER BY x;
        ELSE
            PERFORM pg_advisory_xact_lock(hashtextextended(o::text, 36))
            FROM (SELECT DISTINCT o FROM unnest(orgs) AS o) u ORDER BY o;
        END IF;
    END IF;

    WITH gone AS (
        DELETE FROM invoice_open_items p USING unnest(orgs, fams) AS u (o, x)
        WHERE p.organisation_id = u.o AND p.family_id = u.x
        RETURNING p.organisation_id, p.direction, p.currency, p.due_date, p.manual_urgency, p.amount_minor
    ), g AS (
        SELECT organisation_id, direction, currency, due_date, manual_urgency,
               COUNT(*) AS items, SUM(amount_minor) AS amount_minor
        FROM gone GROUP BY organisation_id, direction, currency, due_date, manual_urgency
    ), lowered AS (
        UPDATE invoice_open_amounts t SET items = t.items - g.items,
               amount_minor = t.amount_minor - CAST(g.amount_minor AS BIGINT)
        FROM g
        WHERE t.organisation_id = g.organisation_id AND t.direction = g.direction AND t.currency = g.currency
          AND t.due_date = g.due_date AND t.manual_urgency = g.manual_urgency
        RETURNING t.organisation_id, t.direction, t.currency, t.due_date, t.manual_urgency, t.items
    )
    SELECT array_agg(organisation_id), array_agg(direction), array_agg(currency), array_agg(due_date),
           array_agg(manual_urgency)
    INTO emptied_orgs, emptied_dirs, emptied_curs, emptied_dues, emptied_urgs
    FROM lowered WHERE items = 0;

    IF emptied_orgs IS NOT NULL THEN
        DELETE FROM invoice_open_amounts t
        USING unnest(emptied_orgs, emptied_dirs, emptied_curs, emptied_dues, emptied_urgs) AS e (o, d, c, due, u)
        WHERE t.organisation_id = e.o AND t.direction = e.d AND t.currency = e.c AND t.due_date = e.due
          AND t.manual_urgency = e.u AND t.items = 0;
    END IF;

    WITH fresh AS (
        INSERT INTO invoice_open_items (organisation_id, family_id, part, direction, currency, due_date,
                                        manual_urgency, amount_minor)
        WITH f AS (SELECT DISTINCT u.o, u.x FROM unnest(orgs, fams) AS u (o, x)),
        parts AS (
            SELECT i.organisation_id, i.id AS family_id, 'invoice' AS part, i.direction, i.currency, i.due_date,
                   COALESCE(i.manual_urgency, '') AS manual_urgency, 1 AS sign,
                   i.total_minor - i.paid_minor - COALESCE((
                       SELECT SUM(c.total_minor - c.paid_minor) FROM invoices c
                       WHERE c.organisation_id = i.organisation_id AND c.corrects_invoice_id = i.id
                         AND c.kind = 'credit_note' AND c.status <> 'paid'
                         AND c.direction = i.direction AND c.currency = i.currency), 0) AS open_minor
            FROM f JOIN invoices i ON i.organisation_id = f.o AND i.id = f.x
            WHERE i.kind = 'invoice' AND i.status <> 'paid'
            UNION ALL
            SELECT c.organisation_id, c.corrects_invoice_id, 'credits', c.direction, c.currency, MIN(c.due_date), '', -1,
                   SUM(c.total_minor - c.paid_minor) - COALESCE((
                       SELECT i.total_minor - i.paid_minor FROM invoices i
                       WHERE i.organisation_id = c.organisation_id AND i.id = c.corrects_invoice_id
                         AND i.kind = 'invoice' AND i.direction = c.direction AND i.currency = c.currency), 0)
            FROM f JOIN invoices c ON c.organisation_id = f.o AND c.corrects_invoice_id = f.x
            WHERE c.kind = 'credit_note' AND c.status <> 'paid'
            GROUP BY c.organisation_id, c.corrects_invoice_id, c.direction, c.currency
            UNION ALL
            SELECT c.organisation_id, c.id, 'note', c.direction, c.currency, c.due_date,
                   COALESCE(c.manual_urgency, ''), -1, c.total_minor - c.paid_minor
            FROM f JOIN invoices c ON c.organisation_id = f.o AND c.id = f.x
            WHERE c.kind = 'credit_note' AND c.status <> 'paid' AND c.corrects_invoice_id IS NULL
        )
        SELECT p.organisation_id, p.family_id, p.part, p.direction, p.currency, p.due_date, p.manual_urgency,
               CAST(CASE WHEN p.direction = 'receivable' THEN p.open_minor * p.sign ELSE 0 - p.open_minor * p.sign END AS BIGINT)
        FROM parts p
        WHERE p.open_minor > 0
        RETURNING organisation_id, direction, currency, due_date, manual_urgency, amount_minor
    )
    INSERT INTO invoice_open_amounts AS t (organisation_id, direction, currency, due_date, manual_urgency, items,
                                           amount_minor)
    SELECT organisation_id, direction, currency, due_date, manual_urgency, COUNT(*), CAST(SUM(amount_minor) AS BIGINT)
    FROM fresh
    GROUP BY organisation_id, direction, currency, due_date, manual_urgency
    ORDER BY organisation_id, direction, currency, due_date, manual_urgency
    ON CONFLICT (organisation_id, direction, currency, due_date, manual_urgency) DO UPDATE SET
        items = t.items + EXCLUDED.items, amount_minor = t.amount_minor + EXCLUDED.amount_minor;
END
$$;

-- The families a statement touched: each written row's own id and the invoice it corrects.
-- Updates that change nothing an open amount depends on (reconciliation marks, numbers, names)
-- touch none.
CREATE FUNCTION invoice_open_maintain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    orgs UUID[];
    fams UUID[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(o), array_agg(x) INTO orgs, fams FROM (
            SELECT n.organisation_id AS o, n.id AS x FROM new_rows n
            UNION
            SELECT n.organisation_id, n.corrects_invoice_id FROM new_rows n WHERE n.corrects_invoice_id IS NOT NULL) s;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(o), array_agg(x) INTO orgs, fams FROM (
            SELECT d.organisation_id AS o, d.id AS x FROM old_rows d
            UNION
            SELECT d.organisation_id, d.corrects_invoice_id FROM old_rows d WHERE d.corrects_invoice_id IS NOT NULL) s;
    ELSE
        SELECT array_agg(o), array_agg(x) INTO orgs, fams FROM (
            SELECT o.organisation_id AS o, v.x
            FROM old_rows o JOIN new_rows n ON n.organisation_id = o.organisation_id AND n.id = o.id
            CROSS JOIN LATERAL (VALUES (o.id), (o.corrects_invoice_id), (n.corrects_invoice_id)) AS v (x)
            WHERE v.x IS NOT NULL
              AND (o.kind, o.direction, o.currency, o.due_date, o.manual_urgency, o.total_minor, o.paid_minor,
                   o.status, o.corrects_invoice_id)
                  IS DISTINCT FROM
                  (n.kind, n.direction, n.currency, n.due_date, n.manual_urgency, n.total_minor, n.paid_minor,
                   n.status, n.corrects_invoice_id)
            GROUP BY 1, 2) s;
    END IF;
    PERFORM invoice_open_refresh(orgs, fams, false);
    RETURN NULL;
END
$$;

CREATE TRIGGER invoice_open_insert AFTER INSERT ON invoices
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION invoice_open_maintain();
CREATE TRIGGER invoice_open_update AFTER UPDATE ON invoices
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION invoice_open_maintain();
CREATE TRIGGER invoice_open_delete AFTER DELETE ON invoices
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION invoice_open_maintain();

-- What is already stored (the table lock keeps writers out meanwhile).
LOCK TABLE invoices IN SHARE MODE;
SELECT invoice_open_refresh(array_agg(o), array_agg(x), true) FROM (
    SELECT organisation_id AS o, id AS x FROM invoices
    UNION
    SELECT organisation_id, corrects_invoice_id FROM invoices WHERE corrects_invoice_id IS NOT NULL) f;

-- VAT per organisation, issue day and currency, kept like `bank_daily_flows` (one aggregated
-- upsert per statement), so the VAT of a period sums a row per day instead of every document
-- issued in it. Credit notes count negatively; documents without VAT count in `without_vat` and
-- not in the sums. Deletions only lower existing rows.
CREATE TABLE invoice_daily_vat (
    organisation_id  UUID NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    day              DATE NOT NULL,
    currency         TEXT NOT NULL CHECK (length(currency) = 3),
    on_sales         BIGINT NOT NULL,
    on_purchases     BIGINT NOT NULL,
    documents        BIGINT NOT NULL,
    without_vat      BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, day, currency)
);

-- One document's VAT on sales and on purchases, signed (NULL when it states none).
CREATE FUNCTION invoice_vat_on(side TEXT, direction TEXT, kind TEXT, vat_minor BIGINT) RETURNS BIGINT
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN direction <> side THEN 0 WHEN kind = 'invoice' THEN vat_minor ELSE 0 - vat_minor END
$$;

INSERT INTO invoice_daily_vat (organisation_id, day, currency, on_sales, on_purchases, documents, without_vat)
SELECT organisation_id, issue_date, currency,
       COALESCE(SUM(invoice_vat_on('receivable', direction, kind, vat_minor)), 0),
       COALESCE(SUM(invoice_vat_on('payable', direction, kind, vat_minor)), 0),
       COUNT(*), COUNT(*) FILTER (WHERE vat_minor IS NULL)
FROM invoices
GROUP BY organisation_id, issue_date, currency;

CREATE FUNCTION invoice_daily_vat_maintain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO invoice_daily_vat AS v (organisation_id, day, currency, on_sales, on_purchases, documents, without_vat)
        SELECT organisation_id, issue_date, currency,
               COALESCE(SUM(invoice_vat_on('receivable', direction, kind, vat_minor)), 0),
               COALESCE(SUM(invoice_vat_on('payable', direction, kind, vat_minor)), 0),
               COUNT(*), COUNT(*) FILTER (WHERE vat_minor IS NULL)
        FROM new_rows
        GROUP BY organisation_id, issue_date, currency
        ORDER BY organisation_id, issue_date, currency
        ON CONFLICT (organisation_id, day, currency) DO UPDATE SET
            on_sales = v.on_sales + EXCLUDED.on_sales, on_purchases = v.on_purchases + EXCLUDED.on_purchases,
            documents = v.documents + EXCLUDED.documents, without_vat = v.without_vat + EXCLUDED.without_vat;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE invoice_daily_vat v SET
            on_sales = v.on_sales - d.on_sales, on_purchases = v.on_purchases - d.on_purchases,
            documents = v.documents - d.documents, without_vat = v.without_vat - d.without_vat
        FROM (SELECT organisation_id, issue_date, currency,
                     COALESCE(SUM(invoice_vat_on('receivable', direction, kind, vat_minor)), 0) AS on_sales,
                     COALESCE(SUM(invoice_vat_on('payable', direction, kind, vat_minor)), 0) AS on_purchases,
                     COUNT(*) AS documents, COUNT(*) FILTER (WHERE vat_minor IS NULL) AS without_vat
              FROM old_rows GROUP BY organisation_id, issue_date, currency) d
        WHERE v.organisation_id = d.organisation_id AND v.day = d.issue_date AND v.currency = d.currency;
    ELSE
        -- Only rows whose day, currency, direction, kind or VAT changed move VAT.
        INSERT INTO invoice_daily_vat AS v (organisation_id, day, currency, on_sales, on_purchases, documents, without_vat)
        SELECT c.organisation_id, c.issue_date, c.currency,
               COALESCE(SUM(c.sign * invoice_vat_on('receivable', c.direction, c.kind, c.vat_minor)), 0),
               COALESCE(SUM(c.sign * invoice_vat_on('payable', c.direction, c.kind, c.vat_minor)), 0),
               SUM(c.sign), COALESCE(SUM(c.sign) FILTER (WHERE c.vat_minor IS NULL), 0)
        FROM old_rows o JOIN new_rows n ON n.organisation_id = o.organisation_id AND n.id = o.id
        CROSS JOIN LATERAL (VALUES
            (o.organisation_id, o.issue_date, o.currency, o.direction, o.kind, o.vat_minor, -1),
            (n.organisation_id, n.issue_date, n.currency, n.direction, n.kind, n.vat_minor, 1))
            AS c (organisation_id, issue_date, currency, direction, kind, vat_minor, sign)
        WHERE (o.issue_date, o.currency, o.direction, o.kind, o.vat_minor)
              IS DISTINCT FROM (n.issue_date, n.currency, n.direction, n.kind, n.vat_minor)
        GROUP BY c.organisation_id, c.issue_date, c.currency
        ORDER BY c.organisation_id, c.issue_date, c.currency
        ON CONFLICT (organisation_id, day, currency) DO UPDATE SET
            on_sales = v.on_sales + EXCLUDED.on_sales, on_purchases = v.on_purchases + EXCLUDED.on_purchases,
            documents = v.documents + EXCLUDED.documents, without_vat = v.without_vat + EXCLUDED.without_vat;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER invoice_daily_vat_insert AFTER INSERT ON invoices
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION invoice_daily_vat_maintain();
CREATE TRIGGER invoice_daily_vat_update AFTER UPDATE ON invoices
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION invoice_daily_vat_maintain();
CREATE TRIGGER invoice_daily_vat_delete AFTER DELETE ON invoices
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION invoice_daily_vat_maintain();

-- Transfers between the organisation's own accounts per day, currency and own IBAN: the
-- transactions whose counterparty IBAN is one of its accounts' IBANs now. Money in and out
-- subtracts them from `bank_daily_flows` instead of reading every such transaction of its range.
-- A statement trigger on bank_transactions keeps the rows of own IBANs (one aggregated upsert
-- per statement); when an account comes, goes or changes its IBAN, the rows of the IBANs
-- concerned are recomputed from the transactions (`bank_transactions_by_counterparty`), under a
-- lock that keeps transactions from being written meanwhile (accounts change rarely; a sync's
-- update of an account's balance recomputes nothing).
CREATE TABLE bank_daily_own_transfers (
    organisation_id       UUID NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    day                   DATE NOT NULL,
    currency              TEXT NOT NULL CHECK (length(currency) = 3),
    counterparty_account  TEXT NOT NULL,
    in_minor              BIGINT NOT NULL,
    out_minor             BIGINT NOT NULL,
    in_count              BIGINT NOT NULL,
    out_count             BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, day, currency, counterparty_account)
);

-- Recomputes the rows of the IBANs (`orgs[k]`, `ibans[k]`) from the transactions.
CREATE FUNCTION bank_own_transfers_refresh(orgs UUID[], ibans TEXT[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM bank_daily_own_transfers f USING unnest(orgs, ibans) AS u (o, iban)
    WHERE f.organisation_id = u.o AND f.counterparty_account = u.iban;
    INSERT INTO bank_daily_own_transfers (organisation_id, day, currency, counterparty_account,
                                          in_minor, out_minor, in_count, out_count)
    SELECT t.organisation_id, t.execution_date, t.currency, t.counterparty_account,
           COALESCE(SUM(t.amount_minor) FILTER (WHERE t.amount_minor > 0), 0),
           COALESCE(SUM(t.amount_minor) FILTER (WHERE t.amount_minor < 0), 0),
           COUNT(*) FILTER (WHERE t.amount_minor > 0),
           COUNT(*) FILTER (WHERE t.amount_minor < 0)
    FROM (SELECT DISTINCT u.o, u.iban FROM unnest(orgs, ibans) AS u (o, iban)) u
    JOIN bank_transactions t ON t.organisation_id = u.o AND t.counterparty_account = u.iban
    WHERE EXISTS (SELECT 1 FROM bank_accounts a WHERE a.organisation_id = u.o AND a.iban = u.iban)
    GROUP BY t.organisation_id, t.execution_date, t.currency, t.counterparty_account;
END
$$;

SELECT bank_own_transfers_refresh(array_agg(organisation_id), array_agg(iban))
FROM (SELECT DISTINCT organisation_id, iban FROM bank_accounts WHERE iban IS NOT NULL) a;

CREATE FUNCTION bank_own_transfers_maintain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO bank_daily_own_transfers AS f (organisation_id, day, currency, counterparty_account,
                                                   in_minor, out_minor, in_count, out_count)
        SELECT n.organisation_id, n.execution_date, n.currency, n.counterparty_account,
               COALESCE(SUM(n.amount_minor) FILTER (WHERE n.amount_minor > 0), 0),
               COALESCE(SUM(n.amount_minor) FILTER (WHERE n.amount_minor < 0), 0),
               COUNT(*) FILTER (WHERE n.amount_minor > 0),
               COUNT(*) FILTER (WHERE n.amount_minor < 0)
        FROM new_rows n
        WHERE n.counterparty_account IS NOT NULL AND EXISTS (
            SELECT 1 FROM bank_accounts a WHERE a.organisation_id = n.organisation_id AND a.iban = n.counterparty_account)
        GROUP BY n.organisation_id, n.execution_date, n.currency, n.counterparty_account
        ORDER BY n.organisation_id, n.execution_date, n.currency, n.counterparty_account
        ON CONFLICT (organisation_id, day, currency, counterparty_account) DO UPDATE SET
            in_minor = f.in_minor + EXCLUDED.in_minor, out_minor = f.out_minor + EXCLUDED.out_minor,
            in_count = f.in_count + EXCLUDED.in_count, out_count = f.out_count + EXCLUDED.out_count;
    ELSIF TG_OP = 'DELETE' THEN
        -- A row exists only for an IBAN that is the organisation's own.
        UPDATE bank_daily_own_transfers f SET
            in_minor = f.in_minor - d.in_minor, out_minor = f.out_minor - d.out_minor,
            in_count = f.in_count - d.in_count, out_count = f.out_count - d.out_count
        FROM (SELECT organisation_id, execution_date, currency, counterparty_account,
                     COALESCE(SUM(amount_minor) FILTER (WHERE amount_minor > 0), 0) AS in_minor,
                     COALESCE(SUM(amount_minor) FILTER (WHERE amount_minor < 0), 0) AS out_minor,
                     COUNT(*) FILTER (WHERE amount_minor > 0) AS in_count,
                     COUNT(*) FILTER (WHERE amount_minor < 0) AS out_count
              FROM old_rows WHERE counterparty_account IS NOT NULL
              GROUP BY organisation_id, execution_date, currency, counterparty_account) d
        WHERE f.organisation_id = d.organisation_id AND f.day = d.execution_date AND f.currency = d.currency
          AND f.counterparty_account = d.counterparty_account;
    ELSE
        -- Only rows whose day, currency, amount or counterparty changed move money.
        UPDATE bank_daily_own_transfers f SET
            in_minor = f.in_minor - d.in_minor, out_minor = f.out_minor - d.out_minor,
            in_count = f.in_count - d.in_count, out_count = f.out_count - d.out_count
        FROM (SELECT o.organisation_id, o.execution_date, o.currency, o.counterparty_account,
                     COALESCE(SUM(o.amount_minor) FILTER (WHERE o.amount_minor > 0), 0) AS in_minor,
                     COALESCE(SUM(o.amount_minor) FILTER (WHERE o.amount_minor < 0), 0) AS out_minor,
                     COUNT(*) FILTER (WHERE o.amount_minor > 0) AS in_count,
                     COUNT(*) FILTER (WHERE o.amount_minor < 0) AS out_count
              FROM old_rows o JOIN new_rows n ON n.organisation_id = o.organisation_id AND n.id = o.id
              WHERE o.counterparty_account IS NOT NULL
                AND (o.execution_date, o.currency, o.amount_minor, o.counterparty_account)
                    IS DISTINCT FROM (n.execution_date, n.currency, n.amount_minor, n.counterparty_account)
              GROUP BY o.organisation_id, o.execution_date, o.currency, o.counterparty_account) d
        WHERE f.organisation_id = d.organisation_id AND f.day = d.execution_date AND f.currency = d.currency
          AND f.counterparty_account = d.counterparty_account;
        INSERT INTO bank_daily_own_transfers AS f (organisation_id, day, currency, counterparty_account,
                                                   in_minor, out_minor, in_count, out_count)
        SELECT n.organisation_id, n.execution_date, n.currency, n.counterparty_account,
               COALESCE(SUM(n.amount_minor) FILTER (WHERE n.amount_minor > 0), 0),
               COALESCE(SUM(n.amount_minor) FILTER (WHERE n.amount_minor < 0), 0),
               COUNT(*) FILTER (WHERE n.amount_minor > 0),
               COUNT(*) FILTER (WHERE n.amount_minor < 0)
        FROM old_rows o JOIN new_rows n ON n.organisation_id = o.organisation_id AND n.id = o.id
        WHERE n.counterparty_account IS NOT NULL
          AND (o.execution_date, o.currency, o.amount_minor, o.counterparty_account)
              IS DISTINCT FROM (n.execution_date, n.currency, n.amount_minor, n.counterparty_account)
          AND EXISTS (SELECT 1 FROM bank_accounts a
                      WHERE a.organisation_id = n.organisation_id AND a.iban = n.counterparty_account)
        GROUP BY n.organisation_id, n.execution_date, n.currency, n.counterparty_account
        ORDER BY n.organisation_id, n.execution_date, n.currency, n.counterparty_account
        ON CONFLICT (organisation_id, day, currency, counterparty_account) DO UPDATE SET
            in_minor = f.in_minor + EXCLUDED.in_minor, out_minor = f.out_minor + EXCLUDED.out_minor,
            in_count = f.in_count + EXCLUDED.in_count, out_count = f.out_count + EXCLUDED.out_count;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER bank_own_transfers_insert AFTER INSERT ON bank_transactions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bank_own_transfers_maintain();
CREATE TRIGGER bank_own_transfers_update AFTER UPDATE ON bank_transactions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bank_own_transfers_maintain();
CREATE TRIGGER bank_own_transfers_delete AFTER DELETE ON bank_transactions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bank_own_transfers_maintain();

-- Accounts that come, go or change their IBAN: recompute the IBANs concerned.
CREATE FUNCTION bank_own_accounts_maintain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    orgs UUID[];
    ibans TEXT[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(organisation_id), array_agg(iban) INTO orgs, ibans
        FROM (SELECT DISTINCT organisation_id, iban FROM new_rows WHERE iban IS NOT NULL) s;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(organisation_id), array_agg(iban) INTO orgs, ibans
        FROM (SELECT DISTINCT organisation_id, iban FROM old_rows WHERE iban IS NOT NULL) s;
    ELSE
        SELECT array_agg(organisation_id), array_agg(iban) INTO orgs, ibans
        FROM (SELECT o.organisation_id, o.iban FROM old_rows o JOIN new_rows n ON n.organisation_id = o.organisation_id AND n.id = o.id
              WHERE o.iban IS DISTINCT FROM n.iban AND o.iban IS NOT NULL
              UNION
              SELECT n.organisation_id, n.iban FROM old_rows o JOIN new_rows n ON n.organisation_id = o.organisation_id AND n.id = o.id
              WHERE o.iban IS DISTINCT FROM n.iban AND n.iban IS NOT NULL) s;
    END IF;
    IF orgs IS NOT NULL THEN
        LOCK TABLE bank_transactions IN SHARE ROW EXCLUSIVE MODE;
        PERFORM bank_own_transfers_refresh(orgs, ibans);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER bank_own_accounts_insert AFTER INSERT ON bank_accounts
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bank_own_accounts_maintain();
CREATE TRIGGER bank_own_accounts_update AFTER UPDATE ON bank_accounts
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bank_own_accounts_maintain();
CREATE TRIGGER bank_own_accounts_delete AFTER DELETE ON bank_accounts
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bank_own_accounts_maintain();

-- The trigger functions plan their statements for the rows at hand every time. A cached generic
-- plan made while the tables were small (a new database, the first writes of a bulk load) reads
-- whole tables by sequential scan, and kept it for every later write of that connection: a
-- bulk load of 100,000 invoices slowed from hundreds of rows a second to about fifteen, each
-- write scanning the invoices. Custom plans cost a little planning per statement instead.
ALTER FUNCTION invoice_open_refresh(UUID[], UUID[], BOOLEAN) SET plan_cache_mode = force_custom_plan;
ALTER FUNCTION invoice_open_maintain() SET plan_cache_mode = force_custom_plan;
ALTER FUNCTION invoice_daily_vat_maintain() SET plan_cache_mode = force_custom_plan;
ALTER FUNCTION bank_own_transfers_refresh(UUID[], TEXT[]) SET plan_cache_mode = force_custom_plan;
ALTER FUNCTION bank_own_transfers_maintain() SET plan_cache_mode = force_custom_plan;
ALTER FUNCTION bank_own_accounts_maintain() SET plan_cache_mode = force_custom_plan;
