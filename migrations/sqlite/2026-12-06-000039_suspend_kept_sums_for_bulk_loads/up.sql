-- Bulk loads (`billify seed`, `InvoiceRepository::insert_bulk`) write the invoices of one
-- organisation in one transaction without the kept sums' and the search index's insert
-- triggers, then bring them up to date in a few set-based statements for the invoices they
-- wrote, in the same transaction (see `dialect::end_bulk_load`).
--
-- The load marks its organisation with a row here and deletes it before it commits, in the same
-- transaction (SQLite has one writer, and no other connection ever sees the row). The insert
-- triggers of an organisation with a row do not fire; update and delete triggers always do.
-- (PostgreSQL's statement triggers read a transaction-local setting instead; it creates the
-- table too, so both schemas agree.)
CREATE TABLE invoice_bulk_loads (
    organisation_id  TEXT NOT NULL PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE
);

DROP TRIGGER invoice_open_insert;
CREATE TRIGGER invoice_open_insert AFTER INSERT ON invoices
WHEN NOT EXISTS (SELECT 1 FROM invoice_bulk_loads b WHERE b.organisation_id = NEW.organisation_id)
BEGIN
    INSERT INTO invoice_open_refresh (organisation_id, family_id)
    SELECT NEW.organisation_id, NEW.id
    UNION SELECT NEW.organisation_id, NEW.corrects_invoice_id WHERE NEW.corrects_invoice_id IS NOT NULL;
END;

DROP TRIGGER invoice_daily_vat_insert;
CREATE TRIGGER invoice_daily_vat_insert AFTER INSERT ON invoices
WHEN NOT EXISTS (SELECT 1 FROM invoice_bulk_loads b WHERE b.organisation_id = NEW.organisation_id)
BEGIN
    INSERT OR IGNORE INTO invoice_daily_vat (organisation_id, day, currency, on_sales, on_purchases, documents, without_vat)
        VALUES (NEW.organisation_id, NEW.issue_date, NEW.currency, 0, 0, 0, 0);
    UPDATE invoice_daily_vat SET
        on_sales = on_sales + COALESCE(CASE WHEN NEW.direction <> 'receivable' THEN 0 WHEN NEW.kind = 'invoice' THEN NEW.vat_minor ELSE 0 - NEW.vat_minor END, 0),
        on_purchases = on_purchases + COALESCE(CASE WHEN NEW.direction <> 'payable' THEN 0 WHEN NEW.kind = 'invoice' THEN NEW.vat_minor ELSE 0 - NEW.vat_minor END, 0),
        documents = documents + 1, without_vat = without_vat + (NEW.vat_minor IS NULL)
    WHERE organisation_id = NEW.organisation_id AND day = NEW.issue_date AND currency = NEW.currency;
END;

DROP TRIGGER invoices_search_insert;
CREATE TRIGGER invoices_search_insert AFTER INSERT ON invoices
WHEN NOT EXISTS (SELECT 1 FROM invoice_bulk_loads b WHERE b.organisation_id = NEW.organisation_id)
BEGIN
    INSERT INTO invoices_search (rowid, invoice_number, counterparty_name)
    VALUES (new.rowid, new.invoice_number, new.counterparty_name);
END;
