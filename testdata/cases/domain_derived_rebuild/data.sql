INSERT INTO t (c, s) VALUES ('abcde', 'abc'), (NULL, NULL), ('ü', 'ü"'), ('', '');
