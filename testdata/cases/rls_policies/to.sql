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

-- roles, expression and comment change in place
CREATE POLICY p_select ON docs FOR SELECT TO rls_alice, "RLS Bob" USING (published AND tenant = 1);
COMMENT ON POLICY p_select ON docs IS 'readers of tenant 1';
CREATE POLICY p_owner ON docs FOR ALL TO rls_alice USING (owner = current_user) WITH CHECK (owner = current_user);
-- permissive to restrictive: recreated
CREATE POLICY p_kind ON docs AS RESTRICTIVE FOR UPDATE USING (tenant > 0);
-- WITH CHECK removed: recreated
CREATE POLICY p_check ON docs FOR ALL USING (true);
-- command changed: recreated
CREATE POLICY p_cmd ON docs FOR UPDATE TO "RLS Bob" USING (tenant = 3) WITH CHECK (tenant = 3);
-- new policy for a specific role
CREATE POLICY p_new ON docs FOR INSERT TO "RLS Bob" WITH CHECK (tenant = 2);
COMMENT ON POLICY p_new ON docs IS 'inserts';
