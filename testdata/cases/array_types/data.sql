-- b becomes text[]: the plan converts its text as array literals (and says
-- values that are not make it fail), so b holds array literals
INSERT INTO t (a, b, c) VALUES ('{1,2,NULL}', '{plain}', '{1.50,-999.99}'), (NULL, NULL, NULL), ('{}', '{"it''s, {braced}"}', '{}');
