-- OCR drafts count as text drafts again.
UPDATE invoice_drafts SET method = 'pdf_text' WHERE method = 'pdf_ocr';
ALTER TABLE invoice_drafts DROP CONSTRAINT invoice_drafts_method_check;
ALTER TABLE invoice_drafts ADD CONSTRAINT invoice_drafts_method_check
    CHECK (method IN ('einvoice_ubl', 'einvoice_cii', 'pdf_text'));
