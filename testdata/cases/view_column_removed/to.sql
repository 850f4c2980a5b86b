CREATE TABLE public.items (id integer PRIMARY KEY, sku text NOT NULL, price integer NOT NULL);
CREATE VIEW public.item_list AS SELECT id, price, sku FROM public.items;
COMMENT ON COLUMN public.item_list.sku IS 'stock keeping unit';
CREATE VIEW public.cheap_items AS SELECT id, sku FROM public.item_list WHERE price < 10;
