CREATE TABLE public.orders (id integer PRIMARY KEY, amount numeric(10,2) NOT NULL, note text, created_at timestamptz);
CREATE VIEW public.order_amounts AS SELECT id, amount, note, created_at FROM public.orders WHERE amount > 0;
COMMENT ON VIEW public.order_amounts IS 'positive orders';
COMMENT ON COLUMN public.order_amounts.amount IS 'net';
COMMENT ON COLUMN public.order_amounts.note IS 'free text';
CREATE VIEW public.big_orders AS SELECT id FROM public.order_amounts WHERE amount > 100;
