-- Credit notes: a document kind, and the invoice a credit note corrects (a soft reference:
-- the corrected invoice may be deleted later; the credit note stays).
ALTER TABLE invoices ADD COLUMN kind TEXT NOT NULL DEFAULT 'invoice' CHECK (kind IN ('invoice', 'credit_note'));
ALTER TABLE invoices ADD COLUMN corrects_invoice_id UUID;
ALTER TABLE invoice_drafts ADD COLUMN kind TEXT;
ALTER TABLE invoice_drafts ADD COLUMN corrects_invoice_number TEXT;
