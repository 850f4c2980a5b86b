-- Event triggers: one narrows to some command tags (so it is created
-- again), one is disabled and commented, one goes and one comes.
CREATE TABLE ddl_log (tag text, at timestamptz DEFAULT now());
CREATE FUNCTION log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO public.ddl_log (tag) VALUES (tg_tag); END $$;
CREATE FUNCTION note_drop() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN RAISE NOTICE 'dropped something'; END $$;
CREATE EVENT TRIGGER log_ddl ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE')
    EXECUTE FUNCTION log_ddl();
CREATE EVENT TRIGGER note_drop ON sql_drop EXECUTE FUNCTION note_drop();
ALTER EVENT TRIGGER note_drop DISABLE;
COMMENT ON EVENT TRIGGER note_drop IS 'on when debugging drops';
CREATE EVENT TRIGGER "Rewrite Watch" ON table_rewrite EXECUTE FUNCTION note_drop();
