CREATE FUNCTION next_code(a int) RETURNS int LANGUAGE sql AS 'SELECT a + 1';
CREATE TABLE t (x int DEFAULT next_code(1));
