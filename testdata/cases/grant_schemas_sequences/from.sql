-- Roles are global to the server: create them only when missing.
CREATE FUNCTION pg_temp.ensure_role(name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE ROLE %I', name);
EXCEPTION WHEN duplicate_object OR unique_violation OR insufficient_privilege THEN
    NULL;
END
$$;

SELECT pg_temp.ensure_role('grant_seq_user');
SELECT pg_temp.ensure_role('Grant Seq Admin');

CREATE SCHEMA app;
CREATE SEQUENCE app.counter;
CREATE TABLE app.orders (id serial PRIMARY KEY, total numeric);

GRANT USAGE ON SCHEMA app TO grant_seq_user;
GRANT USAGE ON SEQUENCE app.counter TO grant_seq_user;
GRANT SELECT ON SEQUENCE app.orders_id_seq TO PUBLIC;
