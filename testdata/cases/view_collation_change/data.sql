INSERT INTO public.names (id, name) VALUES (1, 'b'), (2, 'B'), (3, 'ä'), (4, repeat('long', 2000));
