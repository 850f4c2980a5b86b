CREATE TYPE money_pair AS (amount numeric(10,2), currency text);
CREATE TABLE orders (id integer, price money_pair, extra integer);
