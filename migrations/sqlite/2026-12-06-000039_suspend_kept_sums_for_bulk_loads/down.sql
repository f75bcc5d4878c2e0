DROP TRIGGER invoices_search_insert;
CREATE TRIGGER invoices_search_insert AFTER INSERT ON invoices BEGIN
    INSERT INTO invoices_search (rowid, invoice_number, counterparty_name)
    VALUES (new.rowid, new.invoice_number, new.counterparty_name);
END;

DROP TRIGGER invoice_daily_vat_insert;
CREATE TRIGGER invoice_daily_vat_insert AFTER INSERT ON invoices BEGIN
    INSERT OR IGNORE INTO invoice_daily_vat (organisation_id, day, currency, on_sales, on_purchases, documents, without_vat)
        VALUES (NEW.organisation_id, NEW.issue_date, NEW.currency, 0, 0, 0, 0);
    UPDATE invoice_daily_vat SET
        on_sales = on_sales + COALESCE(CASE WHEN NEW.direction <> 'receivable' THEN 0 WHEN NEW.kind = 'invoice' THEN NEW.vat_minor ELSE 0 - NEW.vat_minor END, 0),
        on_purchases = on_purchases + COALESCE(CASE WHEN NEW.direction <> 'payable' THEN 0 WHEN NEW.kind = 'invoice' THEN NEW.vat_minor ELSE 0 - NEW.vat_minor END, 0),
        documents = documents + 1, without_vat = without_vat + (NEW.vat_minor IS NULL)
    WHERE organisation_id = NEW.organisation_id AND day = NEW.issue_date AND currency = NEW.currency;
END;

DROP TRIGGER invoice_open_insert;
CREATE TRIGGER invoice_open_insert AFTER INSERT ON invoices BEGIN
    INSERT INTO invoice_open_refresh (organisation_id, family_id)
    SELECT NEW.organisation_id, NEW.id
    UNION SELECT NEW.organisation_id, NEW.corrects_invoice_id WHERE NEW.corrects_invoice_id IS NOT NULL;
END;

DROP TABLE invoice_bulk_loads;
