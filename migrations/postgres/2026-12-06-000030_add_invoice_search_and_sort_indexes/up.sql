-- Searching invoices (`GET /invoices?q=...`: `lower(invoice_number) LIKE '%q%' OR
-- lower(counterparty_name) LIKE '%q%'`) reads trigram indexes instead of every invoice of the
-- organisation. pg_trgm is installed once per database, in `public` when that schema exists (so
-- that dropping another schema never drops it), and its operator class is named with its schema.
-- Migrations run under an advisory lock, so two processes never install it at once.
DO $$
DECLARE
    ext_schema text;
BEGIN
    SELECT n.nspname INTO ext_schema
      FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
     WHERE e.extname = 'pg_trgm';
    IF ext_schema IS NULL THEN
        IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'public') THEN
            ext_schema := 'public';
        ELSE
            ext_schema := current_schema();
        END IF;
        EXECUTE format('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA %I', ext_schema);
    END IF;
    EXECUTE format('CREATE INDEX invoices_number_trgm ON invoices USING gin (lower(invoice_number) %I.gin_trgm_ops)', ext_schema);
    EXECUTE format('CREATE INDEX invoices_counterparty_trgm ON invoices USING gin (lower(counterparty_name) %I.gin_trgm_ops)', ext_schema);
END
$$;

-- Every sort of the invoice list walks an index in order, with the id as the tie-breaker the
-- keyset cursor compares (due date: `invoices_by_due`; by status: `invoices_by_status_due`).
CREATE INDEX invoices_by_issue_id ON invoices (organisation_id, issue_date, id);
DROP INDEX invoices_by_issue;
CREATE INDEX invoices_by_created ON invoices (organisation_id, created_at, id);
CREATE INDEX invoices_by_total ON invoices (organisation_id, total_minor, id);
CREATE INDEX invoices_by_number_id ON invoices (organisation_id, invoice_number, id);
DROP INDEX invoices_by_number;
