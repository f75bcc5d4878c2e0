-- Searching invoices: PostgreSQL adds trigram indexes here. SQLite has no index that serves
-- `LIKE '%q%'` (an FTS5 trigram table would add five shadow tables that PostgreSQL does not
-- have); its search walks the sort's index in order and stops at the page's last match, so a
-- common term costs a few hundred rows and a rare one a scan of the organisation's invoices.

-- Every sort of the invoice list walks an index in order, with the id as the tie-breaker the
-- keyset cursor compares (due date: `invoices_by_due`; by status: `invoices_by_status_due`).
-- `invoices_by_issue` (with the VAT columns the cash position reads) stays.
CREATE INDEX invoices_by_issue_id ON invoices (organisation_id, issue_date, id);
CREATE INDEX invoices_by_created ON invoices (organisation_id, created_at, id);
CREATE INDEX invoices_by_total ON invoices (organisation_id, total_minor, id);
CREATE INDEX invoices_by_number_id ON invoices (organisation_id, invoice_number, id);
DROP INDEX invoices_by_number;
