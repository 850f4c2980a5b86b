CREATE COLLATION natural_sort (provider = icu, locale = 'en-u-kn-true', deterministic = false);
CREATE COLLATION case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TYPE file_ref AS (path text COLLATE case_insensitive, size bigint);
CREATE TABLE files (id integer, name text COLLATE natural_sort, title text COLLATE case_insensitive, ref file_ref);
