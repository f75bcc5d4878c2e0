DROP TABLE reconciliation_matches;
DROP TABLE reconciliation_suggestions;
DROP INDEX bank_transactions_by_booking;
DROP INDEX bank_transactions_to_reconcile;
ALTER TABLE bank_transactions DROP COLUMN bank_reference;
ALTER TABLE bank_transactions DROP COLUMN reconciled_at;
