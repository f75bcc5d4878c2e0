DROP INDEX invoices_by_issue_id;
DROP INDEX invoices_by_created;
DROP INDEX invoices_by_total;
CREATE INDEX invoices_by_number ON invoices (organisation_id, invoice_number);
DROP INDEX invoices_by_number_id;
