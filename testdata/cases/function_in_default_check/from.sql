CREATE TABLE counters (id integer PRIMARY KEY, n integer);
