INSERT INTO people (id, m) VALUES (1, 'happy'), (2, 'meh'), (3, NULL), (4, 'happy');
INSERT INTO people (id) VALUES (5);
