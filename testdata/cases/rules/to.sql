-- Rules: one changes its action (CREATE OR REPLACE RULE), one goes, one is
-- disabled and commented, the view's rule is created again when a column
-- type change under it recreates the view, and the table is rebuilt for
-- its column order with its rules.
CREATE TABLE items (id int PRIMARY KEY, sku text, name text, price numeric(10,2));
CREATE TABLE items_log (id int, name text, at timestamptz DEFAULT now());
CREATE RULE items_log_insert AS ON INSERT TO items DO ALSO INSERT INTO items_log (id, name) VALUES (NEW.id, upper(NEW.name));
CREATE RULE items_log_update AS ON UPDATE TO items DO ALSO INSERT INTO items_log (id, name) VALUES (NEW.id, NEW.name);
ALTER TABLE items DISABLE RULE items_log_update;
COMMENT ON RULE items_log_update ON items IS 'turned on during audits';
CREATE VIEW cheap_items AS SELECT id, name, price FROM items WHERE price < 10;
CREATE RULE cheap_items_insert AS ON INSERT TO cheap_items DO INSTEAD INSERT INTO items (id, name, price) VALUES (NEW.id, NEW.name, NEW.price);
