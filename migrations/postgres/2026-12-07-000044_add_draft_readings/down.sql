DROP INDEX invoice_drafts_unmeasured;
DROP INDEX invoice_drafts_confirmed_readings;
ALTER TABLE invoice_drafts DROP COLUMN reading;
