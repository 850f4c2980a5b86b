CREATE TABLE public.sales (id integer PRIMARY KEY, region text NOT NULL, amount numeric NOT NULL);
CREATE MATERIALIZED VIEW public.old_totals AS SELECT region, count(*) AS n FROM public.sales GROUP BY region;
CREATE INDEX old_totals_region ON public.old_totals (region);
