SELECT id FROM p ORDER BY id;
SELECT count(*) FROM z;
