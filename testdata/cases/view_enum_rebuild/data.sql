INSERT INTO public.tickets (id, status) VALUES (1, 'new'), (2, 'open'), (3, 'open'), (4, 'closed'), (5, 'closed'), (6, 'closed');
REFRESH MATERIALIZED VIEW public.ticket_counts;
