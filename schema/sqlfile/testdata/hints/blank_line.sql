-- schemadiff:renamed-from customers

-- Other comments and blank lines may come between the directive and
-- what it renames.
/* a block comment */

CREATE TABLE clients (id int);
