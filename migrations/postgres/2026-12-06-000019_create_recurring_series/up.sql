-- Recurring bank flows the forecast continues (rent, salaries, subscriptions, loans).
--
-- Detection (billify_domain::forecast::detect_series) runs at most once a day per organisation
-- and stores what it found here; the forecast reads these rows instead of the transaction
-- history. A series' id is a stable hash of its counterparty key, currency and direction, so a
-- user's decision (status confirmed or dismissed) survives later detections. Undecided series
-- that are no longer found are removed; decided ones stay.
-- forecast_detections records the day detection last ran, so it runs once per local day.

CREATE TABLE recurring_series (
    organisation_id    UUID NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    id                 TEXT NOT NULL,
    counterparty_key   TEXT NOT NULL,
    counterparty_name  TEXT,
    currency           TEXT NOT NULL,
    recurrence         TEXT NOT NULL CHECK (recurrence IN ('weekly', 'monthly', 'quarterly', 'yearly')),
    amount_minor       BIGINT NOT NULL,
    spread_minor       BIGINT NOT NULL,
    occurrences        BIGINT NOT NULL,
    first_date         DATE NOT NULL,
    last_date          DATE NOT NULL,
    next_date          DATE NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('detected', 'confirmed', 'dismissed')),
    detected_on        DATE NOT NULL,
    decided_at         TIMESTAMPTZ,
    decided_by         UUID,
    PRIMARY KEY (organisation_id, id)
);

CREATE TABLE forecast_detections (
    organisation_id  UUID NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    detected_on      DATE NOT NULL,
    PRIMARY KEY (organisation_id)
);
