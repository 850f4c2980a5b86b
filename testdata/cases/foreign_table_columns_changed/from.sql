CREATE EXTENSION postgres_fdw;
CREATE EXTENSION file_fdw;
CREATE SERVER remote_db FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'db.internal', dbname 'inventory');
CREATE SERVER files FOREIGN DATA WRAPPER file_fdw;
CREATE FOREIGN TABLE items (
    id int OPTIONS (column_name 'item_id'),
    name varchar(50),
    legacy text,
    price numeric
) SERVER remote_db;
CREATE FOREIGN TABLE log (at text, msg text) SERVER files OPTIONS (filename '/var/log/a.csv', format 'csv');
CREATE VIEW item_names AS SELECT id, name FROM items;
