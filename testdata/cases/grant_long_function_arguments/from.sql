-- Roles are global to the server: create them only when missing.
CREATE FUNCTION pg_temp.ensure_role(name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE ROLE %I', name);
EXCEPTION WHEN duplicate_object OR unique_violation OR insufficient_privilege THEN
    NULL;
END
$$;

SELECT pg_temp.ensure_role('long_args_caller');

-- Argument lists longer than 63 bytes, the length of a name:
-- "state double precision[], frac double precision, v double precision".
CREATE SCHEMA stats;
CREATE FUNCTION stats.percentile_pick(state float8[], frac float8, v float8) RETURNS float8
    LANGUAGE sql AS 'SELECT v';
CREATE FUNCTION stats.weighted_pick(values_list float8[], weights_list float8[], fallback_value float8) RETURNS float8
    LANGUAGE sql AS 'SELECT fallback_value';
CREATE PROCEDURE stats.rebuild_summary(from_timestamp timestamptz, to_timestamp timestamptz, verbose_output boolean)
    LANGUAGE sql AS 'SELECT 1';
-- Dropped by Up, created again by Down with its privileges.
CREATE FUNCTION stats.legacy_pick(state float8[], frac float8, v float8, also_this float8) RETURNS float8
    LANGUAGE sql AS 'SELECT v';
REVOKE EXECUTE ON FUNCTION stats.legacy_pick(float8[], float8, float8, float8) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stats.legacy_pick(float8[], float8, float8, float8) TO long_args_caller WITH GRANT OPTION;
