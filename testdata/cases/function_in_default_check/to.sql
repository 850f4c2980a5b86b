CREATE TABLE counters (id integer PRIMARY KEY, n integer);
CREATE FUNCTION counter_total() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT coalesce(sum(n), 0) FROM counters $$;
CREATE FUNCTION valid_code(c text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT c ~ '^[A-Z]{3}$' $$;
CREATE FUNCTION default_code() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'AAA' $$;
CREATE SEQUENCE ticket_seq;
CREATE FUNCTION next_ticket() RETURNS bigint LANGUAGE sql AS $$ SELECT nextval('ticket_seq') $$;
CREATE TABLE tickets (
  id bigint DEFAULT next_ticket() PRIMARY KEY,
  code text NOT NULL DEFAULT default_code() CHECK (valid_code(code)),
  snapshot bigint DEFAULT 0
);
ALTER TABLE counters ADD COLUMN code text DEFAULT default_code();
ALTER TABLE counters ADD CONSTRAINT counters_code_check CHECK (valid_code(code));
CREATE TABLE counter_log (id integer, total bigint DEFAULT counter_total());
