CREATE TYPE cents AS (amount bigint);
CREATE TABLE prices (id integer PRIMARY KEY, price cents);
