INSERT INTO t (a, b) VALUES (1, 2), (0, 5), (-1, NULL), (4, 4);
