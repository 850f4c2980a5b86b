-- The schema is renamed: everything inside follows, with its rows,
-- sequence positions and grants. The function that names its schema in
-- its body gets the body of the desired state.
-- Roles are global to the server: create them only when missing.
CREATE FUNCTION pg_temp.ensure_role(name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE ROLE %I', name);
EXCEPTION WHEN duplicate_object OR unique_violation OR insufficient_privilege THEN
    NULL;
END
$$;
SELECT pg_temp.ensure_role('rename_schema_reader');

-- schemadiff:renamed-from legacy
CREATE SCHEMA finance;
COMMENT ON SCHEMA finance IS 'accounts';
CREATE TYPE finance.status AS ENUM ('open', 'paid');
CREATE DOMAIN finance.amount AS numeric(12,2) CHECK (VALUE >= 0);
CREATE SEQUENCE finance.voucher_no START 1000;
CREATE TABLE finance.accounts (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE
);
-- schemadiff:renamed-from entries
CREATE TABLE finance.ledger (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id int NOT NULL REFERENCES finance.accounts (id),
    amount finance.amount NOT NULL,
    state finance.status NOT NULL DEFAULT 'open',
    -- schemadiff:renamed-from voucher
    voucher_no int NOT NULL DEFAULT nextval('finance.voucher_no')
);
CREATE INDEX ledger_account_idx ON finance.ledger (account_id);
CREATE FUNCTION finance.balance(acct int) RETURNS numeric LANGUAGE sql STABLE
    AS $$ SELECT coalesce(sum(amount), 0) FROM finance.ledger WHERE account_id = acct $$;
CREATE FUNCTION finance.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RETURN NEW;
END
$$;
CREATE TRIGGER ledger_touch BEFORE INSERT ON finance.ledger FOR EACH ROW EXECUTE FUNCTION finance.touch();
CREATE VIEW finance.balances AS
    SELECT a.id, a.name, finance.balance(a.id) AS balance FROM finance.accounts a;
CREATE TABLE public.audit (id serial PRIMARY KEY, account_id int REFERENCES finance.accounts (id));

GRANT USAGE ON SCHEMA finance TO rename_schema_reader;
GRANT SELECT ON finance.accounts, finance.balances TO rename_schema_reader;
GRANT USAGE ON SEQUENCE finance.accounts_id_seq TO rename_schema_reader;
