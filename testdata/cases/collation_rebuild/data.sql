INSERT INTO t (a, b, d) VALUES ('B', 'a', 'x'), ('a', 'B', NULL), (NULL, NULL, 'ü'), ('é', 'É', 'long ' || repeat('z', 4000));
INSERT INTO t (a) VALUES ('default d');
