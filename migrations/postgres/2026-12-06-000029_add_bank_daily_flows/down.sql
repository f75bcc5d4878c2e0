DROP TRIGGER bank_daily_flows_delete ON bank_transactions;
DROP TRIGGER bank_daily_flows_update ON bank_transactions;
DROP TRIGGER bank_daily_flows_insert ON bank_transactions;
DROP FUNCTION bank_daily_flows_maintain();
DROP INDEX bank_transactions_by_counterparty;
DROP TABLE bank_daily_flows;
