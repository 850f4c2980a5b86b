-- orders_us is detached (its rows leave orders but stay in orders_us) and
-- orders_asia is attached (its rows join orders)
SELECT tableoid::regclass, id, region, amount FROM orders ORDER BY id NULLS LAST;
SELECT id, region, amount FROM orders_us ORDER BY id;
