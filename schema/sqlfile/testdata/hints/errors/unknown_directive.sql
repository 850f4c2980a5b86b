-- schemadiff:renamed_from customers
CREATE TABLE clients (id int);
