CREATE TABLE p (id int, k int, CONSTRAINT p_pkey PRIMARY KEY (id) INCLUDE (k));
CREATE TABLE c (id int PRIMARY KEY, p_id int CONSTRAINT c_p_fk REFERENCES p(id));
