-- b's default uses a sequence that table a owns; t.n's uses one t.id owns.
CREATE TABLE a (id serial PRIMARY KEY);
CREATE TABLE b (id integer DEFAULT nextval('a_id_seq'), v text);
CREATE TABLE t (id serial, n integer DEFAULT nextval('t_id_seq'), v text);
