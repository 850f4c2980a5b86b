CREATE TABLE public.sales (id integer PRIMARY KEY, region text NOT NULL, amount numeric NOT NULL);
CREATE MATERIALIZED VIEW public.region_totals AS SELECT region, sum(amount) AS total FROM public.sales GROUP BY region;
CREATE UNIQUE INDEX region_totals_region ON public.region_totals (region);
CREATE INDEX region_totals_gone ON public.region_totals (total);
COMMENT ON MATERIALIZED VIEW public.region_totals IS 'sales per region';
CREATE VIEW public.top_region AS SELECT region FROM public.region_totals ORDER BY total DESC LIMIT 1;
CREATE MATERIALIZED VIEW public.stable_mv AS SELECT id, region FROM public.sales;
CREATE INDEX stable_mv_id ON public.stable_mv (id);
