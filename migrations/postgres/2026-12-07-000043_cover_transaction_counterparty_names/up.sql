-- Recurring-flow detection groups a year of bank transactions by counterparty, its IBAN or else
-- its name: with the name covered too, the range can be an index-only scan (the SQLite twin
-- gives the figures).
DROP INDEX bank_transactions_by_date;
CREATE INDEX bank_transactions_by_date ON bank_transactions (organisation_id, execution_date, id)
    INCLUDE (currency, amount_minor, counterparty_account, counterparty_name);
