INSERT INTO customers (id, email, state) VALUES
    (1, 'a@example.com', 'active'),
    (2, 'b@example.com', 'done'),
    (3, 'ünï@example.com', NULL),
    (4, 'it''s@example.com', 'active');
INSERT INTO customers (id, email) VALUES (5, 'default@example.com');
INSERT INTO orders (id, customer_id) VALUES (1, 1), (2, 2), (3, NULL), (4, 1);
SELECT setval('old_seq', 41);
