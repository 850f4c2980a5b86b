INSERT INTO legacy.accounts (name) VALUES ('cash'), ('bank');
INSERT INTO legacy.entries (account_id, amount) VALUES (1, 10), (2, 20.5), (1, 3);
INSERT INTO public.audit (account_id) VALUES (1), (2);
