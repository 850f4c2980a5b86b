CREATE TABLE hot (id int PRIMARY KEY, payload text, k int) WITH (fillfactor = 70, autovacuum_enabled = false);
ALTER TABLE hot ALTER COLUMN k SET STATISTICS 200;
ALTER TABLE hot ALTER COLUMN payload SET STORAGE EXTERNAL;
CREATE INDEX hot_k_idx ON hot (k);
ALTER TABLE hot CLUSTER ON hot_k_idx;

CREATE TABLE notes (id int NOT NULL, body text, note text) WITH (fillfactor = 90);
CREATE UNIQUE INDEX notes_id_idx ON notes (id);
ALTER TABLE notes REPLICA IDENTITY USING INDEX notes_id_idx;
