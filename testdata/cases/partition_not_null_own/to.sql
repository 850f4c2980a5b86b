CREATE TABLE orders (id integer NOT NULL, region text NOT NULL, note text, shipped date) PARTITION BY LIST (region);
CREATE TABLE orders_eu PARTITION OF orders (note NOT NULL, shipped DEFAULT '2024-01-01') FOR VALUES IN ('eu');
CREATE TABLE orders_us PARTITION OF orders FOR VALUES IN ('us');
CREATE TABLE orders_asia PARTITION OF orders (shipped NOT NULL) FOR VALUES IN ('asia');
