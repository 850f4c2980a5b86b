INSERT INTO a (v) VALUES ('a1'), ('a2'), (NULL);
INSERT INTO b (v) VALUES ('b100'), ('b105'), ('b110');
INSERT INTO b (id, v) VALUES (50, 'explicit, below the sequence');
INSERT INTO c (id, v) VALUES (1, 'c1'), (2, NULL);
