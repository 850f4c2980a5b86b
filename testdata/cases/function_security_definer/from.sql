CREATE SCHEMA app;
CREATE TABLE app.secrets (id integer, value text);
CREATE FUNCTION app.read_secret(i integer) RETURNS text LANGUAGE sql STABLE
  AS $$ SELECT value FROM app.secrets WHERE id = i $$;
CREATE FUNCTION app.admin_only() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = app, pg_temp AS $$ BEGIN DELETE FROM secrets; END $$;
