-- What the reader got right on each confirmed draft, written when the draft is confirmed: the
-- measured fields' outcomes as `field:o` pairs joined by commas (o is k kept, c corrected,
-- a added, r removed; fields empty on both sides are left out). NULL: not measured yet (drafts
-- confirmed before this column, measured by the periodic job); empty: nothing to measure (no
-- proposal was kept). The reading-accuracy report groups confirmed drafts by method and reading,
-- so it reads a handful of grouped rows instead of every draft's extraction.
ALTER TABLE invoice_drafts ADD COLUMN reading TEXT;
CREATE INDEX invoice_drafts_confirmed_readings ON invoice_drafts
    (organisation_id, created_at, method, reading) WHERE invoice_id IS NOT NULL;
-- The periodic job looks for confirmed drafts not measured yet on every pass: a partial index
-- that holds only those (none, once drafts confirmed before this migration are measured).
CREATE INDEX invoice_drafts_unmeasured ON invoice_drafts (organisation_id, id)
    WHERE invoice_id IS NOT NULL AND reading IS NULL;
