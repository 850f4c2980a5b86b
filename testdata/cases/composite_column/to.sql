CREATE TYPE money_pair AS (currency varchar(3), amount numeric(12,2), note text);
CREATE TYPE dims AS (w integer, h integer);
CREATE TABLE orders (id integer, price money_pair, size dims);
