-- SQLite twin of the PostgreSQL migration: UUIDs and timestamps are TEXT.
-- Uploaded documents (the bytes live in the document store, content-addressed by SHA-256),
-- their drafts awaiting review, and the link from an invoice to the document it came from.

CREATE TABLE documents (
    organisation_id  TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    digest           TEXT NOT NULL CHECK (length(digest) = 64),
    size             BIGINT NOT NULL CHECK (size > 0),
    media_type       TEXT NOT NULL,
    file_name        TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    PRIMARY KEY (organisation_id, digest)
);

-- One draft per document: uploading the same file again finds it.
CREATE TABLE invoice_drafts (
    organisation_id            TEXT NOT NULL,
    id                         TEXT NOT NULL,
    created_by                 TEXT NOT NULL,
    digest                     TEXT NOT NULL,
    method                     TEXT NOT NULL CHECK (method IN ('einvoice_ubl', 'einvoice_cii', 'pdf_text')),
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
    PRIMARY KEY (organisation_id, id),
    CONSTRAINT invoice_drafts_one_per_document UNIQUE (organisation_id, digest),
    FOREIGN KEY (organisation_id, digest) REFERENCES documents (organisation_id, digest)
);
CREATE INDEX invoice_drafts_by_expiry ON invoice_drafts (organisation_id, expires_at) WHERE invoice_id IS NULL;

CREATE TABLE invoice_documents (
    organisation_id  TEXT NOT NULL,
    invoice_id       TEXT NOT NULL,
    digest           TEXT NOT NULL,
    PRIMARY KEY (organisation_id, invoice_id),
    FOREIGN KEY (organisation_id, invoice_id) REFERENCES invoices (organisation_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organisation_id, digest) REFERENCES documents (organisation_id, digest)
);
CREATE INDEX invoice_documents_by_digest ON invoice_documents (organisation_id, digest);
