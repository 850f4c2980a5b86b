-- A base column goes with the generated column using it, and a column used
-- only in an exclusion constraint's WHERE goes with the constraint: each
-- user is dropped before the column it uses.
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE t (keep int);
CREATE TABLE booking (during tstzrange);
