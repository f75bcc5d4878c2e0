-- An organisation's own VAT number, to tell documents it receives from those it sends.
ALTER TABLE organisations ADD COLUMN vat_number TEXT;
