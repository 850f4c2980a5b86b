-- Every attribute keeps its value, character for character.
SELECT id, (price).amount, (price).currency, length((price).currency), (price).memo, length((price).memo), (price).ref, price::text IS NULL, note FROM payments ORDER BY id;
