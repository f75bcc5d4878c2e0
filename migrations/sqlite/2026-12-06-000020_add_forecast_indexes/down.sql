DROP INDEX invoices_paid_receivables;
