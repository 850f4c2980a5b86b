CREATE EXTENSION postgres_fdw;
CREATE SERVER remote_db VERSION '15' FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (dbname 'inventory2', host 'db.internal', use_remote_estimate 'true', port '5433');
CREATE USER MAPPING FOR PUBLIC SERVER remote_db OPTIONS (user 'writer');
CREATE FOREIGN TABLE items (id int, name text) SERVER remote_db OPTIONS (table_name 'items_v2', schema_name 'app');
GRANT USAGE ON FOREIGN SERVER remote_db TO PUBLIC;
