CREATE TABLE public.orders (id integer PRIMARY KEY, amount numeric(10,2) NOT NULL, note text);
CREATE VIEW public.order_amounts AS SELECT id, amount FROM public.orders;
COMMENT ON COLUMN public.order_amounts.amount IS 'gross';
CREATE VIEW public.big_orders AS SELECT id FROM public.order_amounts WHERE amount > 100;
