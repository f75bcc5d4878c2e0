DROP INDEX invoices_open_by_amount;
DROP INDEX invoices_open_by_reference;
DROP INDEX invoices_open_by_number;
ALTER TABLE invoices DROP COLUMN reference_key;
ALTER TABLE invoices DROP COLUMN number_key;
DROP INDEX invoices_to_reconcile;
ALTER TABLE invoices DROP COLUMN reconciled_at;
