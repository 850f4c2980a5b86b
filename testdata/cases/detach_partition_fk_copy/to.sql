-- p1 leaves p, which goes: DETACH PARTITION leaves on p1 the copies of
-- p's foreign key and primary key, and the default on p's sequence, which
-- p1 drops before p goes.
CREATE TABLE r (id int PRIMARY KEY);
CREATE TABLE p1 (id int NOT NULL, r_id int);
