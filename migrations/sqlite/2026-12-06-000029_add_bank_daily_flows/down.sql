DROP TRIGGER bank_daily_flows_update;
DROP TRIGGER bank_daily_flows_delete;
DROP TRIGGER bank_daily_flows_insert;
DROP INDEX bank_transactions_by_counterparty;
DROP TABLE bank_daily_flows;
