CREATE TABLE public.accounts (id integer PRIMARY KEY, balance bigint NOT NULL, owner varchar(40));
CREATE VIEW public.balances AS SELECT id, balance, owner FROM public.accounts;
COMMENT ON COLUMN public.balances.balance IS 'in cents';
CREATE VIEW public.rich AS SELECT id FROM public.balances WHERE balance > 1000000;
CREATE MATERIALIZED VIEW public.balance_totals AS SELECT owner, sum(balance) AS total FROM public.accounts GROUP BY owner;
CREATE UNIQUE INDEX balance_totals_owner ON public.balance_totals (owner);
