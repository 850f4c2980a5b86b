INSERT INTO payments (id, price, note) VALUES
    (1, ROW(1.50, 'USD', 'a "q", b', 42), 'plain'),
    (2, ROW(NULL, 'EUR', NULL, NULL), 'NULL attributes'),
    (3, NULL, 'NULL value'),
    (4, ROW(NULL, NULL, NULL, NULL), 'all attributes NULL'),
    (5, ROW(99999999.99, '€', 'Zoë''s (café), ok', -1234567), 'unicode'),
    (6, ROW(0, 'ab ', 'trailing  ', 0), 'trailing spaces'),
    (7, ROW(-0.01, '', '\ "),(', 7), 'backslash, empty');
