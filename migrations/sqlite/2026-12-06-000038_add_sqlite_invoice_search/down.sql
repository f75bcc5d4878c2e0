DROP TRIGGER invoices_search_update;
DROP TRIGGER invoices_search_delete;
DROP TRIGGER invoices_search_insert;
DROP TABLE invoices_search;
