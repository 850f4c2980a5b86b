CREATE TABLE orders (id integer NOT NULL, region text NOT NULL, note text, shipped date) PARTITION BY LIST (region);
CREATE TABLE orders_eu PARTITION OF orders FOR VALUES IN ('eu');
CREATE TABLE orders_us PARTITION OF orders (note NOT NULL) FOR VALUES IN ('us');
