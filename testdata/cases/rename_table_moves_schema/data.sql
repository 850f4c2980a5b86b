INSERT INTO shop.purchases (amount) VALUES (5), (7.5), (12);
INSERT INTO public.events (what) VALUES ('a'), ('b');
INSERT INTO public.refs VALUES (1, 1), (3, 2);
