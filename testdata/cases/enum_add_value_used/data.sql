INSERT INTO tickets (id, s) VALUES (1, 'new'), (2, 'done');
INSERT INTO tickets (id) VALUES (3);
