INSERT INTO customers VALUES (1, 'ann'), (2, 'bob');
INSERT INTO orders VALUES (1, 1, 50.00, 'small'), (2, 2, 500.00, 'large');
