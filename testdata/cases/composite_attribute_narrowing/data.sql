INSERT INTO payments (id, price, history, note) VALUES
    (1, ROW(1.50, 'USD', 'a "q", b', 42), ARRAY[ROW(1.25, 'USD', 'a "q", b', 1)::money_amt, NULL, ROW(NULL, NULL, NULL, NULL)::money_amt], 'plain'),
    (2, ROW(NULL, 'EUR', NULL, NULL), '{}', 'NULL attributes'),
    (3, NULL, NULL, 'NULL value'),
    (4, ROW(NULL, NULL, NULL, NULL), '[2:3]={"(1,ab ,\"x, (y)\",2)","(,,,)"}', 'all attributes NULL'),
    (5, ROW(99999999.99, '€', 'Zoë''s (café), ok', -1234567), ARRAY[ROW(0.01, '€', 'Zoë''s (café), ok', -1234567)::money_amt], 'unicode'),
    (6, ROW(0, 'ab ', 'trailing  ', 0), ARRAY[ROW(0, 'ab ', 'trailing  ', 0)::money_amt], 'trailing spaces'),
    (7, ROW(-0.01, '', '\ "),(', 7), ARRAY[ROW(-0.01, '', '\ "),(', 7)::money_amt], 'backslash, empty');
