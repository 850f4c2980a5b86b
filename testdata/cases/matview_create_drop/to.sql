CREATE TABLE public.sales (id integer PRIMARY KEY, region text NOT NULL, amount numeric NOT NULL);
CREATE MATERIALIZED VIEW public.region_totals WITH (fillfactor = 80) AS SELECT region, sum(amount) AS total FROM public.sales GROUP BY region WITH NO DATA;
CREATE UNIQUE INDEX region_totals_region ON public.region_totals (region);
CREATE INDEX region_totals_total ON public.region_totals (total DESC) WHERE total > 0;
COMMENT ON MATERIALIZED VIEW public.region_totals IS 'sales per region';
COMMENT ON COLUMN public.region_totals.total IS 'sum of amounts';
COMMENT ON INDEX public.region_totals_region IS 'for REFRESH CONCURRENTLY';
