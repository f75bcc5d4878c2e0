-- The widened provider CHECK stays (SQLite cannot narrow it in place); Yuki rows are removed.
DROP TABLE accounting_items;
ALTER TABLE sync_runs DROP COLUMN flagged_items;
ALTER TABLE sync_runs DROP COLUMN closed_invoices;
ALTER TABLE sync_runs DROP COLUMN changed_invoices;
ALTER TABLE sync_runs DROP COLUMN new_invoices;
DELETE FROM integrations WHERE provider = 'yuki';
ALTER TABLE integrations DROP COLUMN calls_used;
ALTER TABLE integrations DROP COLUMN calls_day;
ALTER TABLE integrations DROP COLUMN accounting_administration_id;
ALTER TABLE integrations DROP COLUMN accounting_region;
