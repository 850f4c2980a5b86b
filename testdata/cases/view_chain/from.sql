CREATE TABLE public.events (id bigint PRIMARY KEY, kind text NOT NULL, payload jsonb);
CREATE VIEW public.v1 AS SELECT id, kind FROM public.events;
CREATE VIEW public.v2 AS SELECT id, kind FROM public.v1 WHERE kind <> 'noise';
CREATE VIEW public.v3 AS SELECT count(*) AS n FROM public.v2;
COMMENT ON VIEW public.v3 IS 'top of the chain';
