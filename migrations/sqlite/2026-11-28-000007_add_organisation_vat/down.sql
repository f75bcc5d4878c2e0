ALTER TABLE organisations DROP COLUMN vat_number;
