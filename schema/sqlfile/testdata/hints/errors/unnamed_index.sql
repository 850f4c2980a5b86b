CREATE TABLE clients (id int);
-- schemadiff:renamed-from clients_id_idx
CREATE INDEX ON clients (id);
