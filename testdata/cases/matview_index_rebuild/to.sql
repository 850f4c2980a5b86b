CREATE TABLE public.m (id integer PRIMARY KEY, code varchar(10) NOT NULL);
CREATE MATERIALIZED VIEW public.codes AS SELECT id, code FROM public.m;
CREATE INDEX codes_id ON public.codes (id);
CREATE UNIQUE INDEX codes_code ON public.codes (code);
