CREATE TABLE public.users (id integer PRIMARY KEY, name text NOT NULL, active boolean NOT NULL DEFAULT true);
CREATE VIEW public.old_users AS SELECT id, name FROM public.users WHERE NOT active;
COMMENT ON VIEW public.old_users IS 'inactive users';
