CREATE SCHEMA app;
CREATE TABLE app.secrets (id integer, value text);
CREATE FUNCTION app.read_secret(i integer) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = '' SET statement_timeout = '5s'
  AS $$ SELECT value FROM app.secrets WHERE id = i $$;
CREATE FUNCTION app.admin_only() RETURNS void LANGUAGE plpgsql SECURITY INVOKER
  SET search_path = app, public AS $$ BEGIN DELETE FROM secrets WHERE id > 0; END $$;
CREATE FUNCTION app.lookup(i integer) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = app AS $$ SELECT value FROM secrets WHERE id = i $$;
