-- q, q1 and y go entirely: the key y_q_fk goes before q1 too.
-- The foreign key into p goes before p1: it depends on every partition of
-- p, and its rows point into p1.
CREATE TABLE p (id int PRIMARY KEY) PARTITION BY RANGE (id);
CREATE TABLE p2 PARTITION OF p FOR VALUES FROM (10) TO (20);
