ALTER TABLE invoice_drafts DROP COLUMN corrects_invoice_number;
ALTER TABLE invoice_drafts DROP COLUMN kind;
ALTER TABLE invoices DROP COLUMN corrects_invoice_id;
ALTER TABLE invoices DROP COLUMN kind;
