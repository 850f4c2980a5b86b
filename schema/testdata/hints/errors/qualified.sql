-- schemadiff:renamed-from old.customers
CREATE TABLE clients (id int);
