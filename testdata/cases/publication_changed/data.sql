INSERT INTO customers VALUES (1, 'ann', 'ann@example.com');
INSERT INTO orders VALUES (1, 1, 50.00, NULL), (2, NULL, 5000.00, 'walk-in');
INSERT INTO invoices VALUES (1, 2, 5000.00);
INSERT INTO audit VALUES (1, 'created');
