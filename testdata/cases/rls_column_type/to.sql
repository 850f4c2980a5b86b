-- the type of a column that policies use changes: they are dropped and recreated
CREATE TABLE accounts (id integer PRIMARY KEY, tenant bigint, balance numeric);
ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON accounts USING (tenant = current_setting('app.tenant')::bigint);
CREATE POLICY positive ON accounts AS RESTRICTIVE FOR INSERT WITH CHECK (balance >= 0);
COMMENT ON POLICY tenant_isolation ON accounts IS 'one tenant at a time';
