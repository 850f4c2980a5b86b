INSERT INTO t (s) VALUES ('active'), ('done'), (NULL), ('done');
