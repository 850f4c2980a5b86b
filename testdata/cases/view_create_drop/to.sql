CREATE TABLE public.users (id integer PRIMARY KEY, name text NOT NULL, active boolean NOT NULL DEFAULT true);
CREATE VIEW public.active_users AS SELECT id, upper(name) AS name FROM public.users WHERE active;
COMMENT ON VIEW public.active_users IS 'users who can log in';
COMMENT ON COLUMN public.active_users.name IS 'upper-cased name';
