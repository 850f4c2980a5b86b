INSERT INTO t (a, b, c, d) VALUES (1, 2, 'kept', '2024-02-29 12:00:00+00'), (0, -1, NULL, NULL);
INSERT INTO t (a, b) VALUES (5, 6);
