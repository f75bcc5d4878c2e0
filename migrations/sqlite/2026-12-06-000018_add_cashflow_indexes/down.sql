DROP INDEX invoices_by_issue;
DROP INDEX invoices_by_corrected;
DROP INDEX invoices_open;
DROP INDEX bank_transactions_by_date;
CREATE INDEX bank_transactions_by_date ON bank_transactions (organisation_id, execution_date DESC, id DESC);
