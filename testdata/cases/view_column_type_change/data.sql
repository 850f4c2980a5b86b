INSERT INTO public.accounts (id, balance, owner) VALUES
    (1, 2147483647, 'max'), (2, -2147483648, 'min'), (3, 0, NULL), (4, 1000001, 'twenty characters!!!');
REFRESH MATERIALIZED VIEW public.balance_totals;
