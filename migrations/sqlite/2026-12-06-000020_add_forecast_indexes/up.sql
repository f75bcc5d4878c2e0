-- SQLite twin of the PostgreSQL migration: SQLite has no INCLUDE, so the covered columns end
-- the keys.
CREATE INDEX invoices_paid_receivables ON invoices (organisation_id, counterparty_key, due_date, updated_at, issue_date)
    WHERE status = 'paid' AND direction = 'receivable' AND kind = 'invoice';

CREATE INDEX invoices_open_receivables ON invoices (organisation_id, counterparty_key)
    WHERE status <> 'paid' AND direction = 'receivable' AND kind = 'invoice';
