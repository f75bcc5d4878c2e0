-- The forecast reads every open invoice with its customer (counterparty_key). invoices_open did
-- not hold that column, so each of 69,825 open invoices of 100,000 was looked up in the table:
-- 180-250 ms a forecast on SQLite, against 44-53 ms with it in the index (docs/benchmarks.md,
-- session 8). The index keeps its keys and gains the column at the end.
DROP INDEX invoices_open;
CREATE INDEX invoices_open ON invoices
    (organisation_id, direction, due_date, id, kind, currency, total_minor, paid_minor, manual_urgency, corrects_invoice_id,
     counterparty_key)
    WHERE status <> 'paid';
