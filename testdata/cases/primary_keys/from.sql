CREATE TABLE a (id int PRIMARY KEY, x int NOT NULL);
CREATE TABLE b (id int, x int);
