-- Accounting integrations (Yuki) beside the bank feeds: the provider, its region and
-- administration, the provider's daily call count, what a run did to invoices, and every
-- outstanding item a sync saw (kept with its flags even when no invoice could be made of it).
ALTER TABLE integrations DROP CONSTRAINT integrations_provider_check;
ALTER TABLE integrations ADD CONSTRAINT integrations_provider_check CHECK (provider IN ('ponto', 'yuki'));
ALTER TABLE integrations ADD COLUMN accounting_region TEXT CHECK (accounting_region IN ('nl', 'be'));
ALTER TABLE integrations ADD COLUMN accounting_administration_id TEXT;
ALTER TABLE integrations ADD COLUMN calls_day DATE;
ALTER TABLE integrations ADD COLUMN calls_used INTEGER NOT NULL DEFAULT 0;

ALTER TABLE sync_runs ADD COLUMN new_invoices INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_runs ADD COLUMN changed_invoices INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_runs ADD COLUMN closed_invoices INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_runs ADD COLUMN flagged_items INTEGER NOT NULL DEFAULT 0;

CREATE TABLE accounting_items (
    organisation_id  UUID NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    integration_id   UUID NOT NULL,
    item_id          TEXT NOT NULL,
    side             TEXT NOT NULL CHECK (side IN ('debtor', 'creditor')),
    invoice_id       UUID,
    outstanding      BOOLEAN NOT NULL,
    fingerprint      TEXT NOT NULL,
    flags            TEXT NOT NULL DEFAULT '',
    reference        TEXT,
    open_amount      TEXT,
    original_amount  TEXT,
    currency         TEXT,
    last_seen_at     TIMESTAMPTZ NOT NULL,
    closed_at        TIMESTAMPTZ,
    PRIMARY KEY (organisation_id, integration_id, item_id),
    FOREIGN KEY (organisation_id, integration_id) REFERENCES integrations (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX accounting_items_flagged ON accounting_items (organisation_id, integration_id, item_id) WHERE flags <> '';
