-- Alerts and their delivery.
--
-- alert_settings: per organisation, how many days ahead a payable counts as due soon, the
-- projected balance under which an alert is raised (minor units, any currency), and the local
-- date of the last daily alert run (the scheduler queues one run per local day).
--
-- notifications: one row per alert raised; dedupe_key (unique per organisation) makes raising
-- the same alert twice a no-op (e.g. `receivable_overdue:{invoice}`), so a job replayed after a
-- crash or run by two processes raises nothing new.
--
-- notification_inbox: the in-app channel, one row per recipient user, with read_at.
--
-- notification_deliveries: the outbox of the outbound channels (webhook endpoint, email to a
-- user), one row per notification, channel and target, written with the notification. A
-- `notify.deliver` job on the job queue (key = the delivery id) delivers it; status moves from
-- pending to sent or failed and never back, so a delivery is sent once whichever worker claims
-- it. attempts, last_error and response_status form each endpoint's delivery log.
--
-- notification_preferences: what a user chose for a kind and channel (no row: the default, on).
--
-- webhook_endpoints: where an organisation's admins asked for webhooks, with the signing secret
-- sealed by the SecretCipher (bound to `webhook-secret:{org}:{id}`).

CREATE TABLE alert_settings (
    organisation_id          UUID NOT NULL PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    payable_days             INTEGER NOT NULL DEFAULT 7 CHECK (payable_days BETWEEN 0 AND 90),
    balance_threshold_minor  BIGINT NOT NULL DEFAULT 0,
    last_run_on              DATE
);

CREATE TABLE notifications (
    organisation_id  UUID NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    id               UUID NOT NULL,
    kind             TEXT NOT NULL,
    dedupe_key       TEXT NOT NULL,
    title            TEXT NOT NULL,
    body             TEXT NOT NULL,
    data             TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (organisation_id, id)
);
CREATE UNIQUE INDEX notifications_once ON notifications (organisation_id, dedupe_key);

CREATE TABLE notification_inbox (
    organisation_id  UUID NOT NULL,
    notification_id  UUID NOT NULL,
    user_id          UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at       TIMESTAMPTZ NOT NULL,
    read_at          TIMESTAMPTZ,
    PRIMARY KEY (organisation_id, user_id, notification_id),
    FOREIGN KEY (organisation_id, notification_id) REFERENCES notifications (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX notification_inbox_by_user ON notification_inbox (organisation_id, user_id, created_at, notification_id);

CREATE TABLE notification_deliveries (
    organisation_id  UUID NOT NULL,
    id               UUID NOT NULL,
    notification_id  UUID NOT NULL,
    channel          TEXT NOT NULL CHECK (channel IN ('webhook', 'email')),
    target_id        UUID NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    response_status  INTEGER,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, notification_id) REFERENCES notifications (organisation_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX notification_deliveries_once ON notification_deliveries (organisation_id, notification_id, channel, target_id);
CREATE INDEX notification_deliveries_by_target ON notification_deliveries (organisation_id, target_id, created_at);

CREATE TABLE notification_preferences (
    organisation_id  UUID NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    user_id          UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind             TEXT NOT NULL,
    channel          TEXT NOT NULL,
    enabled          BOOLEAN NOT NULL,
    PRIMARY KEY (organisation_id, user_id, kind, channel)
);

CREATE TABLE webhook_endpoints (
    organisation_id  UUID NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    id               UUID NOT NULL,
    url              TEXT NOT NULL,
    sealed_secret    TEXT NOT NULL,
    kinds            TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (organisation_id, id)
);
