-- Searching invoices (`q`) from an index, as PostgreSQL does with its pg_trgm indexes (000030):
-- an FTS5 trigram index over the invoice number and the counterparty name. It keeps no copy of
-- the text (external content: `invoices` holds it); the triggers keep it in step with every
-- insert, update and delete. A search of three characters or more is answered from it; shorter
-- ones (no trigram to look up) still walk the sort's index with `LIKE`.
CREATE VIRTUAL TABLE invoices_search USING fts5(
    invoice_number, counterparty_name, content = 'invoices', content_rowid = 'rowid', tokenize = 'trigram'
);
INSERT INTO invoices_search (invoices_search) VALUES ('rebuild');

CREATE TRIGGER invoices_search_insert AFTER INSERT ON invoices BEGIN
    INSERT INTO invoices_search (rowid, invoice_number, counterparty_name)
    VALUES (new.rowid, new.invoice_number, new.counterparty_name);
END;

CREATE TRIGGER invoices_search_delete AFTER DELETE ON invoices BEGIN
    INSERT INTO invoices_search (invoices_search, rowid, invoice_number, counterparty_name)
    VALUES ('delete', old.rowid, old.invoice_number, old.counterparty_name);
END;

CREATE TRIGGER invoices_search_update AFTER UPDATE OF invoice_number, counterparty_name ON invoices BEGIN
    INSERT INTO invoices_search (invoices_search, rowid, invoice_number, counterparty_name)
    VALUES ('delete', old.rowid, old.invoice_number, old.counterparty_name);
    INSERT INTO invoices_search (rowid, invoice_number, counterparty_name)
    VALUES (new.rowid, new.invoice_number, new.counterparty_name);
END;
