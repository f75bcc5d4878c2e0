DROP TRIGGER invoice_daily_vat_insert ON invoices;
CREATE TRIGGER invoice_daily_vat_insert AFTER INSERT ON invoices
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION invoice_daily_vat_maintain();

DROP TRIGGER invoice_open_insert ON invoices;
CREATE TRIGGER invoice_open_insert AFTER INSERT ON invoices
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION invoice_open_maintain();

DROP TABLE invoice_bulk_loads;
