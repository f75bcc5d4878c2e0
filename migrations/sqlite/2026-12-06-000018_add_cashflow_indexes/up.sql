-- SQLite twin of the PostgreSQL migration: SQLite has no INCLUDE, so the covered columns end
-- the keys (SQLite uses an index as covering when it holds every column a query reads).
DROP INDEX bank_transactions_by_date;
CREATE INDEX bank_transactions_by_date ON bank_transactions
    (organisation_id, execution_date, id, currency, amount_minor, counterparty_account);

CREATE INDEX invoices_open ON invoices
    (organisation_id, direction, due_date, id, kind, currency, total_minor, paid_minor, manual_urgency, corrects_invoice_id)
    WHERE status <> 'paid';

CREATE INDEX invoices_by_corrected ON invoices
    (organisation_id, corrects_invoice_id, kind, status, direction, currency, total_minor, paid_minor)
    WHERE corrects_invoice_id IS NOT NULL;

CREATE INDEX invoices_by_issue ON invoices (organisation_id, issue_date, direction, kind, currency, vat_minor);
