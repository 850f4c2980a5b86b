CREATE DOMAIN code AS text COLLATE "C" DEFAULT 'a' CHECK (VALUE <> '');
CREATE DOMAIN unused AS bigint;
CREATE TABLE things (id integer, c code DEFAULT 'b'::code, cs code[]);
CREATE VIEW thing_codes AS SELECT id, c FROM things;
CREATE FUNCTION first_code(x code) RETURNS text LANGUAGE sql AS 'SELECT x::text';
