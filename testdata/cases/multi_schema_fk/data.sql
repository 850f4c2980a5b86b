INSERT INTO a.t (id) VALUES (1), (2), (-1);
