INSERT INTO t (a, b, c) VALUES ('{1,2,NULL}', 'plain', '{1.50,-999.99}'), (NULL, NULL, NULL), ('{}', 'it''s, {braced}', '{}');
