CREATE EXTENSION postgres_fdw;
CREATE EXTENSION file_fdw;
CREATE TABLE local_items (id int PRIMARY KEY);
CREATE SERVER remote_db TYPE 'postgresql' VERSION '15' FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host 'db.internal', port '5432', dbname 'inventory');
COMMENT ON SERVER remote_db IS 'inventory database';
CREATE USER MAPPING FOR PUBLIC SERVER remote_db OPTIONS (user 'reader');
CREATE SCHEMA remote;
CREATE FOREIGN TABLE remote.items (
    id int OPTIONS (column_name 'item_id') NOT NULL,
    name text COLLATE "C" DEFAULT 'unnamed',
    price numeric(10,2) CHECK (price >= 0)
) SERVER remote_db OPTIONS (schema_name 'public', table_name 'items');
COMMENT ON FOREIGN TABLE remote.items IS 'items of the inventory';
COMMENT ON COLUMN remote.items.name IS 'display name';
GRANT USAGE ON FOREIGN SERVER remote_db TO PUBLIC;
GRANT SELECT ON remote.items TO PUBLIC;
CREATE SERVER files FOREIGN DATA WRAPPER file_fdw;
CREATE FOREIGN TABLE remote.access_log (at timestamptz, path text)
    SERVER files OPTIONS (filename '/var/log/app/access.csv', format 'csv', header 'true');
CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, payload text) PARTITION BY RANGE (at);
CREATE TABLE events_current PARTITION OF events FOR VALUES FROM ('2024-01-01') TO (MAXVALUE);
CREATE FOREIGN TABLE events_archive PARTITION OF events FOR VALUES FROM (MINVALUE) TO ('2024-01-01')
    SERVER remote_db OPTIONS (table_name 'events');
