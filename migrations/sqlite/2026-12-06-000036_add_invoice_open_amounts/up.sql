-- SQLite twin of the PostgreSQL migration: UUIDs and dates are TEXT, and SQLite has only row
-- triggers (and runs one writer at a time, so families need no locks). Each written invoice
-- asks, through the view `invoice_open_refresh` (an INSTEAD OF trigger, SQLite's stand-in for a
-- function), for its families to be recomputed; triggers on `invoice_open_items` keep the sums.
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

CREATE TABLE invoice_open_items (
    organisation_id  TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    family_id        TEXT NOT NULL,
    part             TEXT NOT NULL CHECK (part IN ('invoice', 'credits', 'note')),
    direction        TEXT NOT NULL CHECK (direction IN ('payable', 'receivable')),
    currency         TEXT NOT NULL CHECK (length(currency) = 3),
    due_date         TEXT NOT NULL,
    manual_urgency   TEXT NOT NULL,
    amount_minor     BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, family_id, part, direction, currency)
);

CREATE TABLE invoice_open_amounts (
    organisation_id  TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    direction        TEXT NOT NULL CHECK (direction IN ('payable', 'receivable')),
    currency         TEXT NOT NULL CHECK (length(currency) = 3),
    due_date         TEXT NOT NULL,
    manual_urgency   TEXT NOT NULL,
    items            BIGINT NOT NULL,
    amount_minor     BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, direction, currency, due_date, manual_urgency)
);

CREATE TRIGGER invoice_open_items_insert AFTER INSERT ON invoice_open_items BEGIN
    INSERT OR IGNORE INTO invoice_open_amounts (organisation_id, direction, currency, due_date, manual_urgency, items, amount_minor)
        VALUES (NEW.organisation_id, NEW.direction, NEW.currency, NEW.due_date, NEW.manual_urgency, 0, 0);
    UPDATE invoice_open_amounts SET items = items + 1, amount_minor = amount_minor + NEW.amount_minor
    WHERE organisation_id = NEW.organisation_id AND direction = NEW.direction AND currency = NEW.currency
      AND due_date = NEW.due_date AND manual_urgency = NEW.manual_urgency;
END;

CREATE TRIGGER invoice_open_items_delete AFTER DELETE ON invoice_open_items BEGIN
    UPDATE invoice_open_amounts SET items = items - 1, amount_minor = amount_minor - OLD.amount_minor
    WHERE organisation_id = OLD.organisation_id AND direction = OLD.direction AND currency = OLD.currency
      AND due_date = OLD.due_date AND manual_urgency = OLD.manual_urgency;
    DELETE FROM invoice_open_amounts
    WHERE organisation_id = OLD.organisation_id AND direction = OLD.direction AND currency = OLD.currency
      AND due_date = OLD.due_date AND manual_urgency = OLD.manual_urgency AND items = 0;
END;

-- Inserting (organisation, family) here replaces that family's open items.
CREATE VIEW invoice_open_refresh AS SELECT organisation_id, family_id FROM invoice_open_items WHERE 0;

CREATE TRIGGER invoice_open_refresh_family INSTEAD OF INSERT ON invoice_open_refresh BEGIN
    DELETE FROM invoice_open_items WHERE organisation_id = NEW.organisation_id AND family_id = NEW.family_id;
    INSERT INTO invoice_open_items (organisation_id, family_id, part, direction, currency, due_date, manual_urgency,
                                    amount_minor)
    SELECT organisation_id, family_id, part, direction, currency, due_date, manual_urgency,
           CASE WHEN direction = 'receivable' THEN open_minor * sign ELSE 0 - open_minor * sign END
    FROM (
        SELECT i.organisation_id, i.id AS family_id, 'invoice' AS part, i.direction, i.currency, i.due_date,
               COALESCE(i.manual_urgency, '') AS manual_urgency, 1 AS sign,
               i.total_minor - i.paid_minor - COALESCE((
                   SELECT SUM(c.total_minor - c.paid_minor) FROM invoices c
                   WHERE c.organisation_id = i.organisation_id AND c.corrects_invoice_id = i.id
                     AND c.kind = 'credit_note' AND c.status <> 'paid'
                     AND c.direction = i.direction AND c.currency = i.currency), 0) AS open_minor
        FROM invoices i
        WHERE i.organisation_id = NEW.organisation_id AND i.id = NEW.family_id
          AND i.kind = 'invoice' AND i.status <> 'paid'
        UNION ALL
        SELECT c.organisation_id, c.corrects_invoice_id, 'credits', c.direction, c.currency, MIN(c.due_date), '', -1,
               SUM(c.total_minor - c.paid_minor) - COALESCE((
                   SELECT i.total_minor - i.paid_minor FROM invoices i
                   WHERE i.organisation_id = c.organisation_id AND i.id = c.corrects_invoice_id
                     AND i.kind = 'invoice' AND i.direction = c.direction AND i.currency = c.currency), 0)
        FROM invoices c
        WHERE c.organisation_id = NEW.organisation_id AND c.corrects_invoice_id = NEW.family_id
          AND c.kind = 'credit_note' AND c.status <> 'paid'
        GROUP BY c.organisation_id, c.corrects_invoice_id, c.direction, c.currency
        UNION ALL
        SELECT c.organisation_id, c.id, 'note', c.direction, c.currency, c.due_date,
               COALESCE(c.manual_urgency, ''), -1, c.total_minor - c.paid_minor
        FROM invoices c
        WHERE c.organisation_id = NEW.organisation_id AND c.id = NEW.family_id
          AND c.kind = 'credit_note' AND c.status <> 'paid' AND c.corrects_invoice_id IS NULL
    )
    WHERE open_minor > 0;
END;

-- The families a written invoice belongs to: its own id and the invoice it corrects.
CREATE TRIGGER invoice_open_insert AFTER INSERT ON invoices BEGIN
    INSERT INTO invoice_open_refresh (organisation_id, family_id)
    SELECT NEW.organisation_id, NEW.id
    UNION SELECT NEW.organisation_id, NEW.corrects_invoice_id WHERE NEW.corrects_invoice_id IS NOT NULL;
END;

CREATE TRIGGER invoice_open_delete AFTER DELETE ON invoices BEGIN
    INSERT INTO invoice_open_refresh (organisation_id, family_id)
    SELECT OLD.organisation_id, OLD.id
    UNION SELECT OLD.organisation_id, OLD.corrects_invoice_id WHERE OLD.corrects_invoice_id IS NOT NULL;
END;

-- Updates that change nothing an open amount depends on (reconciliation marks, numbers, names)
-- touch no family.
CREATE TRIGGER invoice_open_update AFTER UPDATE ON invoices
WHEN OLD.kind IS NOT NEW.kind OR OLD.direction IS NOT NEW.direction OR OLD.currency IS NOT NEW.currency
     OR OLD.due_date IS NOT NEW.due_date OR OLD.manual_urgency IS NOT NEW.manual_urgency
     OR OLD.total_minor IS NOT NEW.total_minor OR OLD.paid_minor IS NOT NEW.paid_minor
     OR OLD.status IS NOT NEW.status OR OLD.corrects_invoice_id IS NOT NEW.corrects_invoice_id
BEGIN
    INSERT INTO invoice_open_refresh (organisation_id, family_id)
    SELECT NEW.organisation_id, NEW.id
    UNION SELECT OLD.organisation_id, OLD.corrects_invoice_id WHERE OLD.corrects_invoice_id IS NOT NULL
    UNION SELECT NEW.organisation_id, NEW.corrects_invoice_id WHERE NEW.corrects_invoice_id IS NOT NULL;
END;

-- What is already stored.
INSERT INTO invoice_open_refresh (organisation_id, family_id)
SELECT organisation_id, id FROM invoices
UNION SELECT organisation_id, corrects_invoice_id FROM invoices WHERE corrects_invoice_id IS NOT NULL;

-- VAT per organisation, issue day and currency, kept by row triggers, so the VAT of a period
-- sums a row per day instead of every document issued in it. Credit notes count negatively;
-- documents without VAT count in `without_vat` and not in the sums. Deletions only lower
-- existing rows.
CREATE TABLE invoice_daily_vat (
    organisation_id  TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    day              TEXT NOT NULL,
    currency         TEXT NOT NULL CHECK (length(currency) = 3),
    on_sales         BIGINT NOT NULL,
    on_purchases     BIGINT NOT NULL,
    documents        BIGINT NOT NULL,
    without_vat      BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, day, currency)
);

INSERT INTO invoice_daily_vat (organisation_id, day, currency, on_sales, on_purchases, documents, without_vat)
SELECT organisation_id, issue_date, currency,
       COALESCE(SUM(CASE WHEN direction <> 'receivable' THEN 0 WHEN kind = 'invoice' THEN vat_minor ELSE 0 - vat_minor END), 0),
       COALESCE(SUM(CASE WHEN direction <> 'payable' THEN 0 WHEN kind = 'invoice' THEN vat_minor ELSE 0 - vat_minor END), 0),
       COUNT(*), COUNT(*) FILTER (WHERE vat_minor IS NULL)
FROM invoices
GROUP BY organisation_id, issue_date, currency;

CREATE TRIGGER invoice_daily_vat_insert AFTER INSERT ON invoices BEGIN
    INSERT OR IGNORE INTO invoice_daily_vat (organisation_id, day, currency, on_sales, on_purchases, documents, without_vat)
        VALUES (NEW.organisation_id, NEW.issue_date, NEW.currency, 0, 0, 0, 0);
    UPDATE invoice_daily_vat SET
        on_sales = on_sales + COALESCE(CASE WHEN NEW.direction <> 'receivable' THEN 0 WHEN NEW.kind = 'invoice' THEN NEW.vat_minor ELSE 0 - NEW.vat_minor END, 0),
        on_purchases = on_purchases + COALESCE(CASE WHEN NEW.direction <> 'payable' THEN 0 WHEN NEW.kind = 'invoice' THEN NEW.vat_minor ELSE 0 - NEW.vat_minor END, 0),
        documents = documents + 1, without_vat = without_vat + (NEW.vat_minor IS NULL)
    WHERE organisation_id = NEW.organisation_id AND day = NEW.issue_date AND currency = NEW.currency;
END;

CREATE TRIGGER invoice_daily_vat_delete AFTER DELETE ON invoices BEGIN
    UPDATE invoice_daily_vat SET
        on_sales = on_sales - COALESCE(CASE WHEN OLD.direction <> 'receivable' THEN 0 WHEN OLD.kind = 'invoice' THEN OLD.vat_minor ELSE 0 - OLD.vat_minor END, 0),
        on_purchases = on_purchases - COALESCE(CASE WHEN OLD.direction <> 'payable' THEN 0 WHEN OLD.kind = 'invoice' THEN OLD.vat_minor ELSE 0 - OLD.vat_minor END, 0),
        documents = documents - 1, without_vat = without_vat - (OLD.vat_minor IS NULL)
    WHERE organisation_id = OLD.organisation_id AND day = OLD.issue_date AND currency = OLD.currency;
END;

CREATE TRIGGER invoice_daily_vat_update AFTER UPDATE OF issue_date, currency, direction, kind, vat_minor ON invoices
WHEN OLD.issue_date IS NOT NEW.issue_date OR OLD.currency IS NOT NEW.currency OR OLD.direction IS NOT NEW.direction
     OR OLD.kind IS NOT NEW.kind OR OLD.vat_minor IS NOT NEW.vat_minor
BEGIN
    UPDATE invoice_daily_vat SET
        on_sales = on_sales - COALESCE(CASE WHEN OLD.direction <> 'receivable' THEN 0 WHEN OLD.kind = 'invoice' THEN OLD.vat_minor ELSE 0 - OLD.vat_minor END, 0),
        on_purchases = on_purchases - COALESCE(CASE WHEN OLD.direction <> 'payable' THEN 0 WHEN OLD.kind = 'invoice' THEN OLD.vat_minor ELSE 0 - OLD.vat_minor END, 0),
        documents = documents - 1, without_vat = without_vat - (OLD.vat_minor IS NULL)
    WHERE organisation_id = OLD.organisation_id AND day = OLD.issue_date AND currency = OLD.currency;
    INSERT OR IGNORE INTO invoice_daily_vat (organisation_id, day, currency, on_sales, on_purchases, documents, without_vat)
        VALUES (NEW.organisation_id, NEW.issue_date, NEW.currency, 0, 0, 0, 0);
    UPDATE invoice_daily_vat SET
        on_sales = on_sales + COALESCE(CASE WHEN NEW.direction <> 'receivable' THEN 0 WHEN NEW.kind = 'invoice' THEN NEW.vat_minor ELSE 0 - NEW.vat_minor END, 0),
        on_purchases = on_purchases + COALESCE(CASE WHEN NEW.direction <> 'payable' THEN 0 WHEN NEW.kind = 'invoice' THEN NEW.vat_minor ELSE 0 - NEW.vat_minor END, 0),
        documents = documents + 1, without_vat = without_vat + (NEW.vat_minor IS NULL)
    WHERE organisation_id = NEW.organisation_id AND day = NEW.issue_date AND currency = NEW.currency;
END;

-- Transfers between the organisation's own accounts per day, currency and own IBAN: the
-- transactions whose counterparty IBAN is one of its accounts' IBANs now. Money in and out
-- subtracts them from `bank_daily_flows` instead of reading every such transaction of its range.
-- Row triggers on bank_transactions keep the rows of own IBANs; when an account comes, goes or
-- changes its IBAN, the rows of that IBAN are recomputed from the transactions.
CREATE TABLE bank_daily_own_transfers (
    organisation_id       TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    day                   TEXT NOT NULL,
    currency              TEXT NOT NULL CHECK (length(currency) = 3),
    counterparty_account  TEXT NOT NULL,
    in_minor              BIGINT NOT NULL,
    out_minor             BIGINT NOT NULL,
    in_count              BIGINT NOT NULL,
    out_count             BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, day, currency, counterparty_account)
);

-- Inserting (organisation, IBAN) here recomputes that IBAN's rows.
CREATE VIEW bank_own_transfers_refresh AS
    SELECT organisation_id, counterparty_account FROM bank_daily_own_transfers WHERE 0;

CREATE TRIGGER bank_own_transfers_refresh_iban INSTEAD OF INSERT ON bank_own_transfers_refresh BEGIN
    DELETE FROM bank_daily_own_transfers
    WHERE organisation_id = NEW.organisation_id AND counterparty_account = NEW.counterparty_account;
    INSERT INTO bank_daily_own_transfers (organisation_id, day, currency, counterparty_account,
                                          in_minor, out_minor, in_count, out_count)
    SELECT organisation_id, execution_date, currency, counterparty_account,
           COALESCE(SUM(amount_minor) FILTER (WHERE amount_minor > 0), 0),
           COALESCE(SUM(amount_minor) FILTER (WHERE amount_minor < 0), 0),
           COUNT(*) FILTER (WHERE amount_minor > 0),
           COUNT(*) FILTER (WHERE amount_minor < 0)
    FROM bank_transactions
    WHERE organisation_id = NEW.organisation_id AND counterparty_account = NEW.counterparty_account
      AND EXISTS (SELECT 1 FROM bank_accounts a
                  WHERE a.organisation_id = NEW.organisation_id AND a.iban = NEW.counterparty_account)
    GROUP BY organisation_id, execution_date, currency, counterparty_account;
END;

INSERT INTO bank_own_transfers_refresh (organisation_id, counterparty_account)
SELECT DISTINCT organisation_id, iban FROM bank_accounts WHERE iban IS NOT NULL;

CREATE TRIGGER bank_own_transfers_insert AFTER INSERT ON bank_transactions
WHEN NEW.counterparty_account IS NOT NULL AND EXISTS (
    SELECT 1 FROM bank_accounts a WHERE a.organisation_id = NEW.organisation_id AND a.iban = NEW.counterparty_account)
BEGIN
    INSERT OR IGNORE INTO bank_daily_own_transfers (organisation_id, day, currency, counterparty_account,
                                                    in_minor, out_minor, in_count, out_count)
        VALUES (NEW.organisation_id, NEW.execution_date, NEW.currency, NEW.counterparty_account, 0, 0, 0, 0);
    UPDATE bank_daily_own_transfers SET
        in_minor = in_minor + MAX(NEW.amount_minor, 0), out_minor = out_minor + MIN(NEW.amount_minor, 0),
        in_count = in_count + (NEW.amount_minor > 0), out_count = out_count + (NEW.amount_minor < 0)
    WHERE organisation_id = NEW.organisation_id AND day = NEW.execution_date AND currency = NEW.currency
      AND counterparty_account = NEW.counterparty_account;
END;

-- A row exists only for an IBAN that is the organisation's own.
CREATE TRIGGER bank_own_transfers_delete AFTER DELETE ON bank_transactions
WHEN OLD.counterparty_account IS NOT NULL
BEGIN
    UPDATE bank_daily_own_transfers SET
        in_minor = in_minor - MAX(OLD.amount_minor, 0), out_minor = out_minor - MIN(OLD.amount_minor, 0),
        in_count = in_count - (OLD.amount_minor > 0), out_count = out_count - (OLD.amount_minor < 0)
    WHERE organisation_id = OLD.organisation_id AND day = OLD.execution_date AND currency = OLD.currency
      AND counterparty_account = OLD.counterparty_account;
END;

CREATE TRIGGER bank_own_transfers_update AFTER UPDATE OF execution_date, currency, amount_minor, counterparty_account
ON bank_transactions
WHEN OLD.execution_date IS NOT NEW.execution_date OR OLD.currency IS NOT NEW.currency
     OR OLD.amount_minor IS NOT NEW.amount_minor OR OLD.counterparty_account IS NOT NEW.counterparty_account
BEGIN
    UPDATE bank_daily_own_transfers SET
        in_minor = in_minor - MAX(OLD.amount_minor, 0), out_minor = out_minor - MIN(OLD.amount_minor, 0),
        in_count = in_count - (OLD.amount_minor > 0), out_count = out_count - (OLD.amount_minor < 0)
    WHERE organisation_id = OLD.organisation_id AND day = OLD.execution_date AND currency = OLD.currency
      AND counterparty_account = OLD.counterparty_account;
    INSERT OR IGNORE INTO bank_daily_own_transfers (organisation_id, day, currency, counterparty_account,
                                                    in_minor, out_minor, in_count, out_count)
        SELECT NEW.organisation_id, NEW.execution_date, NEW.currency, NEW.counterparty_account, 0, 0, 0, 0
        WHERE EXISTS (SELECT 1 FROM bank_accounts a
                      WHERE a.organisation_id = NEW.organisation_id AND a.iban = NEW.counterparty_account);
    UPDATE bank_daily_own_transfers SET
        in_minor = in_minor + MAX(NEW.amount_minor, 0), out_minor = out_minor + MIN(NEW.amount_minor, 0),
        in_count = in_count + (NEW.amount_minor > 0), out_count = out_count + (NEW.amount_minor < 0)
    WHERE organisation_id = NEW.organisation_id AND day = NEW.execution_date AND currency = NEW.currency
      AND counterparty_account = NEW.counterparty_account;
END;

-- Accounts that come, go or change their IBAN: recompute the IBANs concerned.
CREATE TRIGGER bank_own_accounts_insert AFTER INSERT ON bank_accounts WHEN NEW.iban IS NOT NULL BEGIN
    INSERT INTO bank_own_transfers_refresh (organisation_id, counterparty_account) VALUES (NEW.organisation_id, NEW.iban);
END;

CREATE TRIGGER bank_own_accounts_delete AFTER DELETE ON bank_accounts WHEN OLD.iban IS NOT NULL BEGIN
    INSERT INTO bank_own_transfers_refresh (organisation_id, counterparty_account) VALUES (OLD.organisation_id, OLD.iban);
END;

CREATE TRIGGER bank_own_accounts_update AFTER UPDATE OF iban ON bank_accounts WHEN OLD.iban IS NOT NEW.iban BEGIN
    INSERT INTO bank_own_transfers_refresh (organisation_id, counterparty_account)
    SELECT OLD.organisation_id, OLD.iban WHERE OLD.iban IS NOT NULL
    UNION SELECT NEW.organisation_id, NEW.iban WHERE NEW.iban IS NOT NULL;
END;
