-- Customers' payment delays (the forecast shifts each open receivable by its customer's median
-- delay): the paid receivables of one customer by due date, with the last update (a paid
-- invoice is final, so its last update is its payment).
CREATE INDEX invoices_paid_receivables ON invoices (organisation_id, counterparty_key, due_date)
    INCLUDE (updated_at, issue_date)
    WHERE status = 'paid' AND direction = 'receivable' AND kind = 'invoice';

-- The customers with open receivables (whose delays the forecast reads): an index-only scan.
CREATE INDEX invoices_open_receivables ON invoices (organisation_id, counterparty_key)
    WHERE status <> 'paid' AND direction = 'receivable' AND kind = 'invoice';
