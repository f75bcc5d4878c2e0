ALTER TABLE bank_accounts DROP COLUMN sync_watermark_date;
ALTER TABLE bank_accounts DROP COLUMN sync_watermark_id;
DROP TABLE sync_runs;
DROP TABLE integrations;
