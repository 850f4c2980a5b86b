-- a widens, b becomes a one-element array, c gets a digit more, d is added
SELECT a, b, c, d FROM t ORDER BY b NULLS LAST;
