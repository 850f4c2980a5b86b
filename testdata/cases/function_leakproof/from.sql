CREATE SCHEMA "Sécurité";
CREATE TABLE "Sécurité".secrets (id integer PRIMARY KEY, owner_name text NOT NULL, body text);
CREATE FUNCTION "Sécurité".same_text(a text, b text) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT a = b $$;
CREATE VIEW "Sécurité".my_secrets WITH (security_barrier) AS
    SELECT id, body FROM "Sécurité".secrets WHERE owner_name = current_user;
