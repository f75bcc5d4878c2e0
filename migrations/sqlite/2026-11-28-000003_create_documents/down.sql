DROP TABLE invoice_documents;
DROP TABLE invoice_drafts;
DROP TABLE documents;
