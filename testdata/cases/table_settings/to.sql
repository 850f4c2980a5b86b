-- Storage parameters, replica identity, the CLUSTER index and column
-- settings (statistics target, storage, attribute options) change; notes
-- is also rebuilt for its column order and keeps its settings.
CREATE TABLE hot (id int PRIMARY KEY, payload text, k int) WITH (fillfactor = 50);
ALTER TABLE hot ALTER COLUMN k SET (n_distinct = 100);
ALTER TABLE hot ALTER COLUMN payload SET STORAGE MAIN;
ALTER TABLE hot ALTER COLUMN id SET STATISTICS 500;
CREATE INDEX hot_k_idx ON hot (k);
ALTER TABLE hot REPLICA IDENTITY FULL;

CREATE TABLE notes (id int NOT NULL, title text, body text, note text) WITH (fillfactor = 90);
ALTER TABLE notes ALTER COLUMN body SET STORAGE EXTERNAL;
CREATE UNIQUE INDEX notes_id_idx ON notes (id);
ALTER TABLE notes REPLICA IDENTITY USING INDEX notes_id_idx;
ALTER TABLE notes CLUSTER ON notes_id_idx;
