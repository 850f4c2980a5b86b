CREATE TABLE accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code serial UNIQUE,
    email text,
    name text NOT NULL,
    balance numeric(10,2) DEFAULT 0 CHECK (balance >= 0)
);
COMMENT ON TABLE accounts IS 'rebuilt to reorder its columns';
COMMENT ON COLUMN accounts.email IS 'added between existing columns';
CREATE INDEX accounts_name_idx ON accounts (lower(name));
CREATE TABLE transfers (id int PRIMARY KEY, account_id bigint REFERENCES accounts (id));
CREATE VIEW rich AS SELECT id, name FROM accounts WHERE balance > 1000;
ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY everyone ON accounts USING (true);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION touch();
GRANT SELECT ON accounts TO PUBLIC;
