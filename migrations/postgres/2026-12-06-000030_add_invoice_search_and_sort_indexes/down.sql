DROP INDEX invoices_number_trgm;
DROP INDEX invoices_counterparty_trgm;
CREATE INDEX invoices_by_issue ON invoices (organisation_id, issue_date);
DROP INDEX invoices_by_issue_id;
DROP INDEX invoices_by_created;
DROP INDEX invoices_by_total;
CREATE INDEX invoices_by_number ON invoices (organisation_id, invoice_number);
DROP INDEX invoices_by_number_id;
-- pg_trgm stays installed: other schemas of the database may use it.
