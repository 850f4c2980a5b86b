SELECT id, status FROM public.tickets ORDER BY id;
SELECT id, status FROM public.open_tickets ORDER BY id;
SELECT status, n FROM public.ticket_counts ORDER BY status;
