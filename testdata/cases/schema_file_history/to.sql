-- A schema file that is a history of changes: x is dropped and added again,
-- so it runs in written order and x ends up last.
CREATE TABLE accounts (x int, y int);
ALTER TABLE accounts DROP COLUMN x;
ALTER TABLE accounts ADD COLUMN x int;
ALTER TABLE accounts ADD COLUMN note text;
