-- SQLite twin: drafts read from scanned pages by OCR carry the method 'pdf_ocr'.
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt with the same columns,
-- keys and index (nothing references it).
CREATE TABLE invoice_drafts_rebuilt (
    organisation_id            TEXT NOT NULL,
    id                         TEXT NOT NULL,
    created_by                 TEXT NOT NULL,
    digest                     TEXT NOT NULL,
    method                     TEXT NOT NULL CHECK (method IN ('einvoice_ubl', 'einvoice_cii', 'pdf_text', 'pdf_ocr')),
    direction                  TEXT,
    invoice_number             TEXT,
    counterparty_name          TEXT,
    counterparty_vat_number    TEXT,
    counterparty_iban          TEXT,
    counterparty_bic           TEXT,
    issue_date                 TEXT,
    due_date                   TEXT,
    currency                   TEXT,
    subtotal                   TEXT,
    vat_amount                 TEXT,
    total                      TEXT,
    payment_reference          TEXT,
    extraction                 TEXT NOT NULL,
    invoice_id                 TEXT,
    created_at                 TEXT NOT NULL,
    expires_at                 TEXT NOT NULL,
    version                    BIGINT NOT NULL CHECK (version >= 1),
    kind                       TEXT,
    corrects_invoice_number    TEXT,
    PRIMARY KEY (organisation_id, id),
    CONSTRAINT invoice_drafts_one_per_document UNIQUE (organisation_id, digest),
    FOREIGN KEY (organisation_id, digest) REFERENCES documents (organisation_id, digest)
);
INSERT INTO invoice_drafts_rebuilt (organisation_id, id, created_by, digest, method, direction, invoice_number, counterparty_name, counterparty_vat_number, counterparty_iban, counterparty_bic, issue_date, due_date, currency, subtotal, vat_amount, total, payment_reference, extraction, invoice_id, created_at, expires_at, version, kind, corrects_invoice_number)
    SELECT organisation_id, id, created_by, digest, method, direction, invoice_number, counterparty_name, counterparty_vat_number, counterparty_iban, counterparty_bic, issue_date, due_date, currency, subtotal, vat_amount, total, payment_reference, extraction, invoice_id, created_at, expires_at, version, kind, corrects_invoice_number FROM invoice_drafts;
DROP TABLE invoice_drafts;
ALTER TABLE invoice_drafts_rebuilt RENAME TO invoice_drafts;
CREATE INDEX invoice_drafts_by_expiry ON invoice_drafts (organisation_id, expires_at) WHERE invoice_id IS NULL;
