INSERT INTO t (a, b) VALUES (1, 2), (NULL, 5), (-3, 3), (1000000, 7);
