-- The final function goes: the aggregate is dropped before it and created
-- again without it.
CREATE AGGREGATE agg(int) (SFUNC = int4pl, STYPE = int);
