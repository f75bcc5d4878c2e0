-- Bank accounts and transactions from Ponto or statement files. Provider ids are unique per
-- organisation and source, so every write is an idempotent upsert. Money is in minor units.

CREATE TABLE bank_accounts (
    organisation_id           UUID NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    id                        UUID NOT NULL,
    source                    TEXT NOT NULL CHECK (source IN ('ponto', 'statement')),
    provider_id               TEXT NOT NULL,
    iban                      TEXT,
    currency                  TEXT NOT NULL CHECK (length(currency) = 3),
    current_balance_minor     BIGINT NOT NULL,
    available_balance_minor   BIGINT,
    holder_name               TEXT,
    institution_name          TEXT,
    description               TEXT,
    authorization_expires_at  TIMESTAMPTZ,
    synchronized_at           TIMESTAMPTZ,
    created_at                TIMESTAMPTZ NOT NULL,
    updated_at                TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (organisation_id, id),
    CONSTRAINT bank_accounts_unique_provider_id UNIQUE (organisation_id, source, provider_id)
);

CREATE TABLE bank_transactions (
    organisation_id         UUID NOT NULL,
    id                      UUID NOT NULL,
    account_id              UUID NOT NULL,
    provider_id             TEXT NOT NULL,
    amount_minor            BIGINT NOT NULL,
    currency                TEXT NOT NULL CHECK (length(currency) = 3),
    counterparty_name       TEXT,
    counterparty_account    TEXT,
    remittance_information  TEXT,
    remittance_type         TEXT NOT NULL,
    description             TEXT,
    execution_date          DATE NOT NULL,
    value_date              DATE,
    bank_transaction_code   TEXT,
    created_at              TIMESTAMPTZ NOT NULL,
    updated_at              TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (organisation_id, id),
    CONSTRAINT bank_transactions_unique_provider_id UNIQUE (organisation_id, account_id, provider_id),
    FOREIGN KEY (organisation_id, account_id) REFERENCES bank_accounts (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX bank_transactions_by_date ON bank_transactions (organisation_id, execution_date DESC, id DESC);
CREATE INDEX bank_transactions_by_account ON bank_transactions (organisation_id, account_id, execution_date DESC);
