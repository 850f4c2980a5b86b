-- Roles are global to the server: create them only when missing.
CREATE FUNCTION pg_temp.ensure_role(name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE ROLE %I', name);
EXCEPTION WHEN duplicate_object OR unique_violation OR insufficient_privilege THEN
    NULL;
END
$$;

SELECT pg_temp.ensure_role('rls_alice');
SELECT pg_temp.ensure_role('RLS Bob');

CREATE TABLE docs (id integer, owner name, tenant integer, published boolean);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;

CREATE POLICY p_select ON docs FOR SELECT USING (published);
CREATE POLICY p_owner ON docs FOR ALL TO rls_alice USING (owner = current_user) WITH CHECK (owner = current_user);
CREATE POLICY p_gone ON docs FOR DELETE USING (false);
CREATE POLICY p_kind ON docs AS PERMISSIVE FOR UPDATE USING (tenant > 0);
CREATE POLICY p_check ON docs FOR ALL USING (true) WITH CHECK (tenant = 1);
CREATE POLICY p_cmd ON docs FOR SELECT TO "RLS Bob" USING (tenant = 3);
COMMENT ON POLICY p_select ON docs IS 'readers';
