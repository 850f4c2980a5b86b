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
CREATE SCHEMA reports;
CREATE SEQUENCE app.counter;
CREATE SEQUENCE reports.report_no;
CREATE TABLE app.orders (id serial PRIMARY KEY, total numeric);

-- schema privileges with grant option; the public schema loses its default USAGE for PUBLIC
GRANT USAGE, CREATE ON SCHEMA app TO grant_seq_user WITH GRANT OPTION;
REVOKE USAGE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA reports TO "Grant Seq Admin";
-- sequences
GRANT SELECT, UPDATE ON SEQUENCE app.counter TO grant_seq_user;
GRANT USAGE ON SEQUENCE app.orders_id_seq TO "Grant Seq Admin";
GRANT ALL ON SEQUENCE reports.report_no TO grant_seq_user;
