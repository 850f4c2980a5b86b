CREATE EXTENSION postgres_fdw;
CREATE EXTENSION file_fdw;
CREATE SERVER remote_db FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'db.internal', dbname 'inventory');
CREATE SERVER files FOREIGN DATA WRAPPER file_fdw;
CREATE FOREIGN TABLE items (
    id int OPTIONS (column_name 'id') NOT NULL,
    name text OPTIONS (column_name 'title') DEFAULT 'x',
    price numeric CONSTRAINT price_positive CHECK (price > 0),
    added_at timestamptz OPTIONS (column_name 'created')
) SERVER remote_db;
COMMENT ON COLUMN items.price IS 'in cents';
CREATE FOREIGN TABLE log (at timestamptz, msg text, level text) SERVER files OPTIONS (filename '/var/log/b.csv', format 'csv', header 'true');
CREATE VIEW item_names AS SELECT id, name FROM items;
