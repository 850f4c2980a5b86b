INSERT INTO things (id, c, cs) VALUES (1, 'abcde', '{x,yy,zzz}'), (2, NULL, NULL), (3, 'é''"', '{}');
INSERT INTO things (id) VALUES (4);
