CREATE FUNCTION score(a integer) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT a::bigint * 10 $$;
CREATE FUNCTION is_big(y integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT y > 100 $$;
CREATE FUNCTION log_big() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE 'big'; RETURN NEW; END $$;
CREATE TABLE t (
  a integer,
  CONSTRAINT score_positive CHECK (score(a) >= 0)
);
CREATE INDEX t_score ON t (score(a));
CREATE TRIGGER big BEFORE INSERT ON t FOR EACH ROW WHEN (is_big(NEW.a)) EXECUTE FUNCTION log_big();
COMMENT ON TRIGGER big ON t IS 'notices big rows';
