CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE t (a int, g int GENERATED ALWAYS AS (a * 2) STORED, keep int);
CREATE TABLE booking (during tstzrange, cancelled bool,
    EXCLUDE USING gist (during WITH &&) WHERE (NOT cancelled));
