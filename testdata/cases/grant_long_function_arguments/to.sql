-- Roles are global to the server: create them only when missing.
CREATE FUNCTION pg_temp.ensure_role(name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE ROLE %I', name);
EXCEPTION WHEN duplicate_object OR unique_violation OR insufficient_privilege THEN
    NULL;
END
$$;

SELECT pg_temp.ensure_role('long_args_caller');

CREATE SCHEMA stats;
-- Functions created from now on in stats can be called by long_args_caller.
ALTER DEFAULT PRIVILEGES IN SCHEMA stats GRANT EXECUTE ON FUNCTIONS TO long_args_caller;
-- Unchanged: keeps EXECUTE for PUBLIC, which a lost privilege row would
-- make the plan revoke.
CREATE FUNCTION stats.percentile_pick(state float8[], frac float8, v float8) RETURNS float8
    LANGUAGE sql AS 'SELECT v';
-- Privileges change.
CREATE FUNCTION stats.weighted_pick(values_list float8[], weights_list float8[], fallback_value float8) RETURNS float8
    LANGUAGE sql AS 'SELECT fallback_value';
REVOKE EXECUTE ON FUNCTION stats.weighted_pick(float8[], float8[], float8) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stats.weighted_pick(float8[], float8[], float8) TO long_args_caller;
CREATE PROCEDURE stats.rebuild_summary(from_timestamp timestamptz, to_timestamp timestamptz, verbose_output boolean)
    LANGUAGE sql AS 'SELECT 1';
REVOKE EXECUTE ON PROCEDURE stats.rebuild_summary(timestamptz, timestamptz, boolean) FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE stats.rebuild_summary(timestamptz, timestamptz, boolean) TO long_args_caller WITH GRANT OPTION;
-- Created by Up: gets the default privileges.
CREATE FUNCTION stats.fresh_pick(state float8[], frac float8, v float8, also_this float8) RETURNS float8
    LANGUAGE sql AS 'SELECT v';
