INSERT INTO events (id, at, kind) VALUES (1, '2024-05-01', 'click');
