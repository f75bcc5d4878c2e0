-- invoices.reconciled_at marks the invoices reconciliation has compared with the bank
-- transactions already looked at. A new invoice (NULL) makes the next run re-examine the
-- transactions left unmatched, so a payment booked before its invoice arrived still closes it.
-- Invoices stored before this migration count as examined.

ALTER TABLE invoices ADD COLUMN reconciled_at TIMESTAMPTZ;
UPDATE invoices SET reconciled_at = created_at;
CREATE INDEX invoices_to_reconcile ON invoices (organisation_id, issue_date, id) WHERE reconciled_at IS NULL;

-- number_key and reference_key: the invoice number and the payment reference in the form
-- reconciliation looks them up by (billify_domain::reconcile::number_key and reference_key; ''
-- when too weak to look up), so a run reads only the open invoices its transactions may name or
-- whose open amount they equal, not every open invoice. The store computes both when it writes
-- an invoice, and fills them in for rows stored before this migration right after migrating.
ALTER TABLE invoices ADD COLUMN number_key TEXT;
ALTER TABLE invoices ADD COLUMN reference_key TEXT;
CREATE INDEX invoices_open_by_number ON invoices (organisation_id, number_key) WHERE status <> 'paid';
CREATE INDEX invoices_open_by_reference ON invoices (organisation_id, reference_key) WHERE status <> 'paid' AND reference_key <> '';
CREATE INDEX invoices_open_by_amount ON invoices (organisation_id, (total_minor - paid_minor)) WHERE status <> 'paid';
