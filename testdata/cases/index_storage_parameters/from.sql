-- Indexes whose storage parameters change: planned as ALTER INDEX ... SET
-- and RESET, the index kept as it is; an index whose definition changes too
-- is built again.
CREATE SCHEMA "Store";
CREATE TABLE "Store".items (
    id integer PRIMARY KEY,
    code text NOT NULL,
    qty integer,
    tags text[]
);
-- fillfactor changes.
CREATE INDEX items_qty_idx ON "Store".items (qty) WITH (fillfactor = 70);
-- Both parameters go.
CREATE INDEX items_code_idx ON "Store".items (code) WITH (fillfactor = 60, deduplicate_items = off);
-- One parameter is added, the comment changes.
CREATE INDEX "Items by Id" ON "Store".items (id DESC);
COMMENT ON INDEX "Store"."Items by Id" IS 'newest first';
-- One parameter changes, another goes.
CREATE INDEX items_tags_idx ON "Store".items USING gin (tags) WITH (fastupdate = on, gin_pending_list_limit = 128);
-- The parameter and the predicate change: built again.
CREATE INDEX items_partial_idx ON "Store".items (qty) WITH (fillfactor = 70) WHERE qty > 0;
-- Unchanged.
CREATE INDEX items_hash_idx ON "Store".items USING hash (code) WITH (fillfactor = 75);
-- An index of a materialized view: its parameter changes in place too.
CREATE MATERIALIZED VIEW "Store".qty_totals AS SELECT qty, count(*) AS n FROM "Store".items GROUP BY qty;
CREATE UNIQUE INDEX qty_totals_qty ON "Store".qty_totals (qty) WITH (fillfactor = 70);
