-- Indexes with every clause pg_get_indexdef prints: created, and changed
-- in one clause (rebuilt), or left unchanged.
CREATE TABLE items (
    id integer PRIMARY KEY,
    "Code" text,
    qty integer,
    note text
);
-- The storage parameter changes.
CREATE INDEX items_qty_idx ON items (qty) WITH (fillfactor = 80, deduplicate_items = off);
-- NULLS NOT DISTINCT is added.
CREATE UNIQUE INDEX items_code_key ON items ("Code") INCLUDE (qty) NULLS NOT DISTINCT;
-- Unchanged.
CREATE INDEX items_note_idx ON items (lower(note) text_pattern_ops DESC NULLS LAST) WHERE note <> 'WITH (';
-- New, with every clause.
CREATE UNIQUE INDEX "Items by Code" ON items USING btree ("Code" COLLATE "C" DESC, (qty + 1)) INCLUDE (note, id)
    NULLS NOT DISTINCT WITH (fillfactor = 90) WHERE qty > 0 AND "Code" IS NOT NULL;
CREATE INDEX items_note_hash ON items USING hash (note) WITH (fillfactor = 60);
