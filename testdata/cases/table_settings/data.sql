INSERT INTO hot (id, payload, k) VALUES (1, repeat('external ', 2000), 1), (2, NULL, NULL), (3, '', 3);
INSERT INTO notes (id, body, note) VALUES (1, 'body one', 'note one'), (2, repeat('ü', 5000), NULL), (3, NULL, 'it''s');
