CREATE COLLATION natural_sort (provider = icu, locale = 'en-u-kn-true');
CREATE TABLE files (id integer, name text COLLATE natural_sort);
