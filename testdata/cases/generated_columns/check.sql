-- total stops being generated and keeps its values; doubled is computed
SELECT a, b, total, doubled FROM t ORDER BY a NULLS LAST;
