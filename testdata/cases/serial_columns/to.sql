CREATE TABLE t (id int, n bigserial, s smallserial);
CREATE TABLE u (id serial PRIMARY KEY);
