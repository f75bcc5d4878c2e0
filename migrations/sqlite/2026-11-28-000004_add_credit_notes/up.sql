-- SQLite twin of the PostgreSQL migration (UUIDs are TEXT; DROP COLUMN needs SQLite 3.35+, which is bundled).
-- Credit notes: a document kind, and the invoice a credit note corrects (a soft reference:
-- the corrected invoice may be deleted later; the credit note stays).
ALTER TABLE invoices ADD COLUMN kind TEXT NOT NULL DEFAULT 'invoice' CHECK (kind IN ('invoice', 'credit_note'));
ALTER TABLE invoices ADD COLUMN corrects_invoice_id TEXT;
ALTER TABLE invoice_drafts ADD COLUMN kind TEXT;
ALTER TABLE invoice_drafts ADD COLUMN corrects_invoice_number TEXT;
