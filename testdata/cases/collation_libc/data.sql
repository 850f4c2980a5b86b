INSERT INTO names (id, n) VALUES (1, 'Bob'), (2, 'alice'), (3, NULL), (4, 'Ünï'), (5, '');
