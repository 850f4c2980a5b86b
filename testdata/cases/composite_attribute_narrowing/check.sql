-- Every attribute keeps its value, character for character.
SELECT id, (price).amount, (price).currency, length((price).currency), (price).memo, length((price).memo), (price).ref, price::text IS NULL, note FROM payments ORDER BY id;
-- Arrays keep their bounds, NULL elements and values.
SELECT id, history::text, array_lower(history, 1) FROM payments ORDER BY id;
SELECT id, n, (history[n]).amount, (history[n]).currency, length((history[n]).currency), (history[n]).memo, length((history[n]).memo), (history[n]).ref, history[n]::text IS NULL
    FROM payments, generate_subscripts(history, 1) AS n ORDER BY id, n;
