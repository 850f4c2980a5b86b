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

-- note changes type under the view (so the view is recreated with its
-- column privileges); the auditor loses table-wide SELECT but keeps it on
-- note, which a table-level REVOKE would also take away.
CREATE TABLE accounts (
    id integer PRIMARY KEY,
    "E-mail" text,
    balance numeric(12,2),
    note text
);
CREATE VIEW account_emails AS SELECT id, "E-mail", note FROM accounts;

GRANT SELECT (id) ON accounts TO col_reader;
GRANT INSERT ("E-mail"), REFERENCES (id) ON accounts TO col_reader;
GRANT UPDATE (balance) ON accounts TO "ColWriter";
GRANT SELECT (note) ON accounts TO "col auditor";
GRANT SELECT ("E-mail", note) ON account_emails TO col_reader;
