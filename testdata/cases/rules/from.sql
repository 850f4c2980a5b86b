CREATE TABLE items (id int PRIMARY KEY, name text, price numeric);
CREATE TABLE items_log (id int, name text, at timestamptz DEFAULT now());
CREATE RULE items_log_insert AS ON INSERT TO items DO ALSO INSERT INTO items_log (id, name) VALUES (NEW.id, NEW.name);
CREATE RULE items_no_delete AS ON DELETE TO items DO INSTEAD NOTHING;
CREATE VIEW cheap_items AS SELECT id, name, price FROM items WHERE price < 10;
CREATE RULE cheap_items_insert AS ON INSERT TO cheap_items DO INSTEAD INSERT INTO items VALUES (NEW.id, NEW.name, NEW.price);
INSERT INTO items VALUES (1, 'pen', 2);
