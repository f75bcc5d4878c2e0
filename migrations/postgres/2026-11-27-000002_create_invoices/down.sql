DROP TABLE invoice_events;
DROP TABLE invoices;
