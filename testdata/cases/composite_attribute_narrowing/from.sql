-- A composite type whose attributes narrow while columns hold values and
-- arrays of them: the type is rebuilt and each value converted attribute
-- by attribute (an array through its text).
-- Values that fit keep every character (quotes, commas, parentheses,
-- backslashes, unicode, trailing spaces); a NULL value stays NULL, apart
-- from a value whose attributes are all NULL.
CREATE TYPE money_amt AS (amount numeric(10,2), currency text, memo text, ref integer);
CREATE TABLE payments (id integer PRIMARY KEY, price money_amt, history money_amt[], note text);
