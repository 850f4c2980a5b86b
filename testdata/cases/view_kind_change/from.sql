CREATE TABLE public.t (id integer PRIMARY KEY, v text);
CREATE VIEW public.becomes_mat AS SELECT id, v FROM public.t;
CREATE MATERIALIZED VIEW public.becomes_view AS SELECT id FROM public.t;
CREATE VIEW public.becomes_table AS SELECT id FROM public.t;
CREATE TABLE public.becomes_plain_view (id integer);
