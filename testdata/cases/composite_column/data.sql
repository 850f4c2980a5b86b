INSERT INTO orders (id, price, extra) VALUES
    (1, ROW(1.50, 'USD'), 7),
    (2, ROW(NULL, 'EUR'), NULL),
    (3, NULL, 1),
    (4, ROW(99999999.99, 'CHF'), 2),
    (5, ROW(NULL, NULL), 3);
