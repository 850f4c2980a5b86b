-- t is created again (its partitioning changes and t1 leaves it, so it cannot
-- be rebuilt with its rows): its policies, trigger and row security go with
-- the old table and are created again, never altered.
CREATE TABLE t (a int, b int) PARTITION BY LIST (b);
CREATE TABLE t1 (a int, b int);
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
CREATE POLICY pol ON t USING (a > 1);
CREATE POLICY keep ON t USING (true);
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg();
GRANT SELECT ON t TO PUBLIC;
