CREATE SCHEMA coll;
CREATE COLLATION coll.bytewise (locale = 'C');
CREATE COLLATION mixed (lc_collate = 'C', lc_ctype = 'POSIX');
COMMENT ON COLLATION mixed IS 'C collation, POSIX ctype';
CREATE DOMAIN short_name AS text COLLATE coll.bytewise;
CREATE TABLE names (id integer, n text COLLATE mixed, s short_name);
CREATE INDEX names_n ON names (n COLLATE coll.bytewise);
