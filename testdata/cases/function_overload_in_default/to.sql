-- The function gains an argument with a default: the column's default reads
-- the same but calls the new function, so it is dropped before the old
-- function and set again after the new one.
CREATE FUNCTION next_code(a int, step int DEFAULT 1) RETURNS int LANGUAGE sql AS 'SELECT a + step';
CREATE TABLE t (x int DEFAULT next_code(1));
