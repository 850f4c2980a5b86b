CREATE TABLE names (id integer, n text);
