-- An organisation's calendar: the IANA time zone whose local date is its "today" (urgency,
-- overdue transitions, due-soon windows, period boundaries), and its VAT return periods with the
-- day of the following month their return and payment are due.
ALTER TABLE organisations ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Europe/Brussels'
    CHECK (length(time_zone) BETWEEN 1 AND 64);
ALTER TABLE organisations ADD COLUMN vat_periodicity TEXT NOT NULL DEFAULT 'quarterly'
    CHECK (vat_periodicity IN ('monthly', 'quarterly'));
ALTER TABLE organisations ADD COLUMN vat_deadline_day INTEGER NOT NULL DEFAULT 20
    CHECK (vat_deadline_day BETWEEN 1 AND 28);
