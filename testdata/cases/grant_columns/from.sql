-- Roles are global to the server: create them only when missing.
CREATE FUNCTION pg_temp.ensure_role(name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE ROLE %I', name);
EXCEPTION WHEN duplicate_object OR unique_violation OR insufficient_privilege THEN
    NULL;
END
$$;

SELECT pg_temp.ensure_role('col_reader');
SELECT pg_temp.ensure_role('ColWriter');
SELECT pg_temp.ensure_role('col auditor');

CREATE TABLE accounts (
    id integer PRIMARY KEY,
    "E-mail" text,
    balance numeric(12,2),
    note varchar(50)
);
CREATE VIEW account_emails AS SELECT id, "E-mail", note FROM accounts;

-- Column privileges: some stay, some go, some change.
GRANT SELECT (id, "E-mail") ON accounts TO col_reader;
GRANT UPDATE (balance) ON accounts TO "ColWriter" WITH GRANT OPTION;
GRANT SELECT ON accounts TO "col auditor";
GRANT SELECT (note) ON accounts TO "col auditor";
GRANT SELECT ("E-mail") ON account_emails TO col_reader;
