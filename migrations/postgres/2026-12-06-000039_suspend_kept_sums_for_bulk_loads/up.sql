-- Bulk loads (`billify seed`, `InvoiceRepository::insert_bulk`) write the invoices of one
-- organisation in one transaction without the kept sums' insert triggers, then bring the kept
-- sums up to date in a few set-based statements for the invoices they wrote, in the same
-- transaction (see `dialect::end_bulk_load`). Per statement, the triggers cost several times the
-- insert itself (500 invoices: 163 ms with them, 19 ms without).
--
-- PostgreSQL: the load sets `billify.bulk_load` to 'on' for its transaction (`SET LOCAL`, so it
-- ends with the transaction, whatever the outcome, and no other session sees it), and the insert
-- statement triggers do not fire while it is on. Update and delete triggers always fire.
--
-- SQLite's row triggers read `invoice_bulk_loads` instead (a trigger cannot read a setting): a
-- row there is written and deleted by the bulk load's own transaction, so no other connection
-- ever sees one. PostgreSQL creates the table too, so both schemas agree; it stays empty here.
CREATE TABLE invoice_bulk_loads (
    organisation_id  UUID NOT NULL PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE
);

DROP TRIGGER invoice_open_insert ON invoices;
CREATE TRIGGER invoice_open_insert AFTER INSERT ON invoices
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    WHEN (current_setting('billify.bulk_load', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION invoice_open_maintain();

DROP TRIGGER invoice_daily_vat_insert ON invoices;
CREATE TRIGGER invoice_daily_vat_insert AFTER INSERT ON invoices
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    WHEN (current_setting('billify.bulk_load', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION invoice_daily_vat_maintain();
