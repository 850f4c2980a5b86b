CREATE TYPE public.status AS ENUM ('new', 'open', 'closed', 'archived');
CREATE TABLE public.tickets (id integer PRIMARY KEY, status public.status NOT NULL);
CREATE VIEW public.open_tickets AS SELECT id, status FROM public.tickets WHERE status = 'open';
CREATE MATERIALIZED VIEW public.ticket_counts AS SELECT status, count(*) AS n FROM public.tickets GROUP BY status;
CREATE UNIQUE INDEX ticket_counts_status ON public.ticket_counts (status);
