CREATE TABLE public.names (id integer PRIMARY KEY, name text NOT NULL);
CREATE VIEW public.sorted_names AS SELECT id, name COLLATE "C" AS name, length(name) AS len FROM public.names;
CREATE VIEW public.first_name AS SELECT name FROM public.sorted_names ORDER BY name LIMIT 1;
