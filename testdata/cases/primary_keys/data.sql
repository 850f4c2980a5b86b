INSERT INTO a (id, x) VALUES (1, 1), (2, 1), (3, -5);
INSERT INTO b (id, x) VALUES (1, NULL), (2, 2), (3, 2);
