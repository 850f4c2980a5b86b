INSERT INTO logs (id, at, msg) VALUES (1, '2024-05-01', 'a'), (2, '2025-05-01', 'b');
