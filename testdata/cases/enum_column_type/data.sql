INSERT INTO t (c, d) VALUES ('red', 'green'), ('green', NULL), (NULL, 'red');
INSERT INTO t (d) VALUES ('red');
