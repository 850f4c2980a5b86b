-- schemadiff:renamed-from customers
-- schemadiff:renamed-from users
CREATE TABLE clients (id int);
