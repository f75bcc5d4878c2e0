DROP INDEX bank_transactions_by_date;
CREATE INDEX bank_transactions_by_date ON bank_transactions (organisation_id, execution_date, id)
    INCLUDE (currency, amount_minor, counterparty_account);
