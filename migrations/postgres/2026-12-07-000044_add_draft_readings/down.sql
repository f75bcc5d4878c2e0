DROP INDEX invoice_drafts_confirmed_readings;
ALTER TABLE invoice_drafts DROP COLUMN reading;
