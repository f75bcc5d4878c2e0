DROP TABLE bank_transactions;
DROP TABLE bank_accounts;
