CREATE TABLE orders (id int, region text, amount numeric) PARTITION BY LIST (region);
CREATE TABLE orders_eu PARTITION OF orders FOR VALUES IN ('eu', 'uk');
CREATE TABLE orders_us (id int, region text, amount numeric);
CREATE TABLE orders_asia PARTITION OF orders FOR VALUES IN ('asia');
CREATE INDEX orders_region_idx ON orders (region);
