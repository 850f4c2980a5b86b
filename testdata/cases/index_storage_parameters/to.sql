CREATE SCHEMA "Store";
CREATE TABLE "Store".items (
    id integer PRIMARY KEY,
    code text NOT NULL,
    qty integer,
    tags text[]
);
CREATE INDEX items_qty_idx ON "Store".items (qty) WITH (fillfactor = 90);
CREATE INDEX items_code_idx ON "Store".items (code);
CREATE INDEX "Items by Id" ON "Store".items (id DESC) WITH (fillfactor = 50);
COMMENT ON INDEX "Store"."Items by Id" IS 'newest first, pages half full';
CREATE INDEX items_tags_idx ON "Store".items USING gin (tags) WITH (fastupdate = off);
CREATE INDEX items_partial_idx ON "Store".items (qty) WITH (fillfactor = 80) WHERE qty > 10;
CREATE INDEX items_hash_idx ON "Store".items USING hash (code) WITH (fillfactor = 75);
CREATE MATERIALIZED VIEW "Store".qty_totals AS SELECT qty, count(*) AS n FROM "Store".items GROUP BY qty;
CREATE UNIQUE INDEX qty_totals_qty ON "Store".qty_totals (qty) WITH (fillfactor = 100);
