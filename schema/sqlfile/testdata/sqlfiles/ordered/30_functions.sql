CREATE FUNCTION app.make_code() RETURNS text
LANGUAGE sql AS $$
    SELECT upper(substr(md5(random()::text), 1, 8));
$$;

CREATE FUNCTION app.audit() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
    INSERT INTO app.audit_log (order_id) VALUES (NEW.id);
    RETURN NEW;
END;
$body$;

CREATE TABLE app.audit_log (order_id bigint NOT NULL);
