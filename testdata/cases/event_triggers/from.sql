CREATE TABLE ddl_log (tag text, at timestamptz DEFAULT now());
CREATE FUNCTION log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO public.ddl_log (tag) VALUES (tg_tag); END $$;
CREATE FUNCTION note_drop() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN RAISE NOTICE 'dropped something'; END $$;
CREATE EVENT TRIGGER log_ddl ON ddl_command_end EXECUTE FUNCTION log_ddl();
CREATE EVENT TRIGGER note_drop ON sql_drop EXECUTE FUNCTION note_drop();
CREATE EVENT TRIGGER gone ON ddl_command_start WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION note_drop();
