CREATE TABLE a (id int NOT NULL, x int NOT NULL, CONSTRAINT a_pkey PRIMARY KEY (id, x));
CREATE TABLE b (id int PRIMARY KEY, x int);
