-- SQLite's trigram search index for invoices (000038 there). PostgreSQL has served `q` from its
-- pg_trgm indexes since 000030: nothing to do here.
SELECT 1;
