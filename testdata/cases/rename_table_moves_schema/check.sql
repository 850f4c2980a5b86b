SELECT id, total FROM finance.orders ORDER BY id;
INSERT INTO finance.orders (total) VALUES (99) RETURNING id;
SELECT id, what FROM archive.events ORDER BY id;
INSERT INTO archive.events (what) VALUES ('later') RETURNING id;
SELECT purchase_id, event_id FROM public.refs ORDER BY 1;
