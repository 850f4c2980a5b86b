-- Roles are global to the server: create them only when missing.
CREATE FUNCTION pg_temp.ensure_role(name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE ROLE %I', name);
EXCEPTION WHEN duplicate_object OR unique_violation OR insufficient_privilege THEN
    NULL;
END
$$;
SELECT pg_temp.ensure_role('rename_schema_reader');

CREATE SCHEMA legacy;
COMMENT ON SCHEMA legacy IS 'accounts';
CREATE TYPE legacy.status AS ENUM ('open', 'paid');
CREATE DOMAIN legacy.amount AS numeric(12,2) CHECK (VALUE >= 0);
CREATE SEQUENCE legacy.voucher_no START 1000;
CREATE TABLE legacy.accounts (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE
);
CREATE TABLE legacy.entries (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id int NOT NULL REFERENCES legacy.accounts (id),
    amount legacy.amount NOT NULL,
    state legacy.status NOT NULL DEFAULT 'open',
    voucher int NOT NULL DEFAULT nextval('legacy.voucher_no')
);
CREATE INDEX entries_account_idx ON legacy.entries (account_id);
CREATE FUNCTION legacy.balance(acct int) RETURNS numeric LANGUAGE sql STABLE
    AS $$ SELECT coalesce(sum(amount), 0) FROM legacy.entries WHERE account_id = acct $$;
CREATE FUNCTION legacy.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RETURN NEW;
END
$$;
CREATE TRIGGER entries_touch BEFORE INSERT ON legacy.entries FOR EACH ROW EXECUTE FUNCTION legacy.touch();
CREATE VIEW legacy.balances AS
    SELECT a.id, a.name, legacy.balance(a.id) AS balance FROM legacy.accounts a;
CREATE TABLE public.audit (id serial PRIMARY KEY, account_id int REFERENCES legacy.accounts (id));

GRANT USAGE ON SCHEMA legacy TO rename_schema_reader;
GRANT SELECT ON legacy.accounts, legacy.balances TO rename_schema_reader;
GRANT USAGE ON SEQUENCE legacy.accounts_id_seq TO rename_schema_reader;
