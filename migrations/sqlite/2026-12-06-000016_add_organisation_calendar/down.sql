ALTER TABLE organisations DROP COLUMN vat_deadline_day;
ALTER TABLE organisations DROP COLUMN vat_periodicity;
ALTER TABLE organisations DROP COLUMN time_zone;
