-- money_pair's attributes are reordered and one is added: the values keep
-- their amount and currency
SELECT id, (price).amount, (price).currency, (price).note, price::text IS NULL, size FROM orders ORDER BY id;
