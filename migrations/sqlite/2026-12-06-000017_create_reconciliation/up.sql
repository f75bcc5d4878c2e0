-- SQLite twin of the PostgreSQL migration: UUIDs and timestamps are TEXT.
-- Reconciliation: which bank transactions pay which invoices.
--
-- A match applies part of a transaction (amount_minor, in the transaction's and the invoice's
-- currency) to one invoice, with its explanation (rule, matched fields as a JSON array, score)
-- and who applied it (applied_by NULL: the rules). An undone match keeps its row with
-- undone_at set, so automatic runs never apply that pair again. A suggestion lists candidate
-- invoices (JSON array) for a person to accept or reject; a rejected suggestion's candidates
-- are never suggested again for that transaction.
--
-- bank_transactions.reconciled_at marks the transactions the rules have looked at; new
-- transactions (NULL) are found through a partial index, so a run over a new batch never
-- scans the history. bank_reference is the bank's own reference of a booking (CODA bank
-- reference, CAMT.053 AcctSvcrRef), used to recognise the same booking in the other format.

ALTER TABLE bank_transactions ADD COLUMN reconciled_at TEXT;
ALTER TABLE bank_transactions ADD COLUMN bank_reference TEXT;
CREATE INDEX bank_transactions_to_reconcile ON bank_transactions (organisation_id, execution_date, id)
    WHERE reconciled_at IS NULL;
CREATE INDEX bank_transactions_by_booking ON bank_transactions (organisation_id, account_id, execution_date, amount_minor)
    WHERE bank_reference IS NOT NULL;

CREATE TABLE reconciliation_suggestions (
    organisation_id  TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    id               TEXT NOT NULL,
    transaction_id   TEXT NOT NULL,
    rule             TEXT NOT NULL,
    reason           TEXT NOT NULL,
    candidates       TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
    created_at       TEXT NOT NULL,
    decided_at       TEXT,
    decided_by       TEXT,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, transaction_id) REFERENCES bank_transactions (organisation_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX reconciliation_suggestions_one_pending
    ON reconciliation_suggestions (organisation_id, transaction_id) WHERE status = 'pending';
CREATE INDEX reconciliation_suggestions_by_status ON reconciliation_suggestions (organisation_id, status, created_at, id);

CREATE TABLE reconciliation_matches (
    organisation_id    TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    id                 TEXT NOT NULL,
    transaction_id     TEXT NOT NULL,
    invoice_id         TEXT NOT NULL,
    amount_minor       BIGINT NOT NULL CHECK (amount_minor > 0),
    overpayment_minor  BIGINT NOT NULL CHECK (overpayment_minor >= 0),
    currency           TEXT NOT NULL CHECK (length(currency) = 3),
    rule               TEXT NOT NULL,
    matched_fields     TEXT NOT NULL,
    score              INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    applied_by         TEXT,
    suggestion_id      TEXT,
    created_at         TEXT NOT NULL,
    undone_at          TEXT,
    undone_by          TEXT,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, transaction_id) REFERENCES bank_transactions (organisation_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organisation_id, invoice_id) REFERENCES invoices (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX reconciliation_matches_by_transaction ON reconciliation_matches (organisation_id, transaction_id);
CREATE INDEX reconciliation_matches_by_invoice ON reconciliation_matches (organisation_id, invoice_id);
