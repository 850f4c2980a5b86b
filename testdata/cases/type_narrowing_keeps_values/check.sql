-- Every row kept, each value converted to the new type unchanged.
SELECT id, name FROM authors ORDER BY id;
SELECT id, author_id, slug, title, price, score, ratio, published, edited, code, hits FROM pages ORDER BY id;
-- The serial column's sequence still hands out new ids.
SELECT nextval(pg_get_serial_sequence('pages', 'id')) > 3;
