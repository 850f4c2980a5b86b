CREATE EXTENSION postgres_fdw;
CREATE SERVER remote_db VERSION '14' FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host 'db.internal', port '5432', dbname 'inventory', fetch_size '100');
CREATE USER MAPPING FOR PUBLIC SERVER remote_db OPTIONS (user 'reader');
CREATE FOREIGN TABLE items (id int, name text) SERVER remote_db OPTIONS (table_name 'items', updatable 'false');
COMMENT ON SERVER remote_db IS 'old';
