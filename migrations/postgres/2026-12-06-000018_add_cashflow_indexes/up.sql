-- Indexes of the cash position (GET /cashflow/summary), each checked with EXPLAIN ANALYZE on an
-- organisation with 100,000 invoices and 1,000,000 bank transactions (docs/benchmarks.md).
--
-- Money in and out: an index-only scan of the range's transactions. It replaces the listing's
-- (organisation_id, execution_date DESC, id DESC), which it also serves scanned backwards, so
-- a sync still maintains the same number of indexes.
DROP INDEX bank_transactions_by_date;
CREATE INDEX bank_transactions_by_date ON bank_transactions (organisation_id, execution_date, id)
    INCLUDE (currency, amount_minor, counterparty_account);

-- Open items: only open documents, so the sums read the open few percent of the table, and the
-- next N by due date walk it in order.
CREATE INDEX invoices_open ON invoices (organisation_id, direction, due_date, id)
    INCLUDE (kind, currency, total_minor, paid_minor, manual_urgency, corrects_invoice_id)
    WHERE status <> 'paid';

-- The credit notes that correct an invoice.
CREATE INDEX invoices_by_corrected ON invoices (organisation_id, corrects_invoice_id)
    INCLUDE (kind, status, direction, currency, total_minor, paid_minor)
    WHERE corrects_invoice_id IS NOT NULL;

-- VAT of a period: the documents issued in it.
CREATE INDEX invoices_by_issue ON invoices (organisation_id, issue_date)
    INCLUDE (direction, kind, currency, vat_minor);
