DROP INDEX invoices_open;
CREATE INDEX invoices_open ON invoices (organisation_id, direction, due_date, id)
    INCLUDE (kind, currency, total_minor, paid_minor, manual_urgency, corrects_invoice_id)
    WHERE status <> 'paid';
