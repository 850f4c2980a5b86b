CREATE TABLE clients (id int);

-- schemadiff:renamed-from customers
