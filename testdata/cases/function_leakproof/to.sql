CREATE SCHEMA "Sécurité";
CREATE TABLE "Sécurité".secrets (id integer PRIMARY KEY, owner_name text NOT NULL, body text);
-- Marked in CREATE FUNCTION.
CREATE FUNCTION "Sécurité".same_text(a text, b text) RETURNS boolean
    LANGUAGE sql IMMUTABLE LEAKPROOF AS $$ SELECT a = b $$;
-- Marked by a separate ALTER FUNCTION, with OUT and VARIADIC arguments.
CREATE FUNCTION "Sécurité"."any equal"(needle integer, VARIADIC hay integer[], OUT found boolean)
    LANGUAGE sql IMMUTABLE AS $$ SELECT needle = ANY (hay) $$;
ALTER FUNCTION "Sécurité"."any equal"(integer, VARIADIC integer[]) LEAKPROOF;
CREATE VIEW "Sécurité".my_secrets WITH (security_barrier) AS
    SELECT id, body FROM "Sécurité".secrets WHERE owner_name = current_user;
