-- SQLite twin of the PostgreSQL migration: UUIDs and timestamps are TEXT, DATE is TEXT (YYYY-MM-DD).
-- Money is stored exactly as integer minor units (cents for EUR) of the row's currency, so sums
-- and sorting run in SQL. Every key and foreign key includes organisation_id, so the tables can
-- be distributed by organisation (Citus) without a rewrite.

CREATE TABLE invoices (
    organisation_id     TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    id                  TEXT NOT NULL,
    direction           TEXT NOT NULL CHECK (direction IN ('payable', 'receivable')),
    invoice_number      TEXT NOT NULL,
    counterparty_key    TEXT NOT NULL,
    counterparty_name   TEXT NOT NULL,
    counterparty_vat    TEXT,
    counterparty_iban   TEXT,
    counterparty_bic    TEXT,
    issue_date          TEXT NOT NULL,
    due_date            TEXT NOT NULL CHECK (due_date >= issue_date),
    currency            TEXT NOT NULL CHECK (length(currency) = 3),
    subtotal_minor      BIGINT,
    vat_minor           BIGINT CHECK (vat_minor >= 0),
    total_minor         BIGINT NOT NULL CHECK (total_minor > 0),
    paid_minor          BIGINT NOT NULL CHECK (paid_minor >= 0 AND paid_minor <= total_minor),
    status              TEXT NOT NULL CHECK (status IN ('pending', 'overdue', 'paid')),
    manual_urgency      TEXT CHECK (manual_urgency IN ('overdue', 'critical', 'high', 'medium', 'low')),
    payment_reference   TEXT,
    source              TEXT NOT NULL CHECK (source IN ('upload', 'manual', 'accounting', 'import')),
    external_reference  TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    version             BIGINT NOT NULL CHECK (version >= 1),
    PRIMARY KEY (organisation_id, id),
    CONSTRAINT invoices_unique_number UNIQUE (organisation_id, direction, counterparty_key, invoice_number)
);
CREATE INDEX invoices_by_status_due ON invoices (organisation_id, status, due_date, id);
CREATE INDEX invoices_by_due ON invoices (organisation_id, due_date, id);
CREATE INDEX invoices_by_number ON invoices (organisation_id, invoice_number);

-- What happened to invoices (created, paid, overdue, reopened, deleted), kept after deletion.
CREATE TABLE invoice_events (
    organisation_id  TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    id               TEXT NOT NULL,
    invoice_id       TEXT NOT NULL,
    code             TEXT NOT NULL,
    details          TEXT NOT NULL,
    occurred_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id)
);
CREATE INDEX invoice_events_by_invoice ON invoice_events (organisation_id, invoice_id, occurred_at);
