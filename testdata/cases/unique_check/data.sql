-- valid before and after: a > 0 and b > 0 (or NULL), (a, b) and c unique, c < 100
INSERT INTO t (a, b, c) VALUES (1, 1, 1), (2, 1, 2), (3, NULL, NULL), (NULL, 5, 99), (4, 2, -150);
