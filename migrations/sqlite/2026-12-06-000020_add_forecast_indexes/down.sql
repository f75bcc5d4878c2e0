DROP INDEX invoices_open_receivables;
DROP INDEX invoices_paid_receivables;
