-- Rows that every kept index covers; they stay as they are.
INSERT INTO "Store".items (id, code, qty, tags)
SELECT g, 'code-' || g, g % 20, ARRAY['tag-' || (g % 3)]
FROM generate_series(1, 200) AS g;
