INSERT INTO sales.invoices (id, customer, total) VALUES (1, 'acme', 150.00), (2, 'it''s "us"', 0.01), (3, NULL, NULL);
INSERT INTO sales.lines (invoice_id, item) VALUES (1, 'widget'), (1, 'gadget'), (2, NULL), (NULL, 'orphan');
