CREATE TABLE public.docs (id integer PRIMARY KEY, owner text NOT NULL, public boolean NOT NULL);
CREATE VIEW public.public_docs AS SELECT id, owner FROM public.docs WHERE public WITH CASCADED CHECK OPTION;
CREATE VIEW public.my_docs WITH (security_barrier = true, security_invoker = true) AS SELECT id FROM public.docs WHERE owner = current_user;
CREATE VIEW public.all_docs WITH (security_invoker = true) AS SELECT id, owner FROM public.docs WITH LOCAL CHECK OPTION;
