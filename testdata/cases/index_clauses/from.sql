-- Indexes with every clause pg_get_indexdef prints: created, and changed
-- in one clause (rebuilt), or left unchanged.
CREATE TABLE items (
    id integer PRIMARY KEY,
    "Code" text,
    qty integer,
    note text
);
CREATE INDEX items_qty_idx ON items (qty) WITH (fillfactor = 70);
CREATE UNIQUE INDEX items_code_key ON items ("Code") INCLUDE (qty);
CREATE INDEX items_note_idx ON items (lower(note) text_pattern_ops DESC NULLS LAST) WHERE note <> 'WITH (';
