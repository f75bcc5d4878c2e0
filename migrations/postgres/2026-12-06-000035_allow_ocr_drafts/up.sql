-- Drafts read from scanned pages by OCR carry the method 'pdf_ocr'.
ALTER TABLE invoice_drafts DROP CONSTRAINT invoice_drafts_method_check;
ALTER TABLE invoice_drafts ADD CONSTRAINT invoice_drafts_method_check
    CHECK (method IN ('einvoice_ubl', 'einvoice_cii', 'pdf_text', 'pdf_ocr'));
