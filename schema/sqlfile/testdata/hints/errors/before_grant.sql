CREATE TABLE clients (id int);
-- schemadiff:renamed-from customers
GRANT SELECT ON clients TO PUBLIC;
