-- The forecast reads every open invoice with its customer (counterparty_key): with the column in
-- invoices_open, that read can be an index-only scan (the SQLite twin explains the figures).
DROP INDEX invoices_open;
CREATE INDEX invoices_open ON invoices (organisation_id, direction, due_date, id)
    INCLUDE (kind, currency, total_minor, paid_minor, manual_urgency, corrects_invoice_id, counterparty_key)
    WHERE status <> 'paid';
