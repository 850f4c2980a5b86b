INSERT INTO orders VALUES (1, 10.00), (2, 20.00);
INSERT INTO legacy_orders VALUES (1, 1.00);
