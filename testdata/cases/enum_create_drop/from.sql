CREATE TYPE old_mood AS ENUM ('x', 'y');
CREATE TABLE t (id int, m old_mood);
