INSERT INTO orders (id, region, note, shipped) VALUES (1, 'eu', 'first', '2024-02-01'), (2, 'us', 'second', NULL);
