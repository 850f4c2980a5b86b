CREATE TYPE money_amt AS (amount numeric(12,2), currency varchar(3), memo varchar(20), ref varchar(8));
CREATE TABLE payments (id integer PRIMARY KEY, price money_amt, history money_amt[], note text);
