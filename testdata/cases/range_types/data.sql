INSERT INTO offers (id, band, valid) VALUES (1, '[1.5,10)', '[2024-01-01,2024-12-31]'), (2, NULL, NULL), (3, 'empty', '(,)');
