-- schemadiff:renamed-from "customers
CREATE TABLE clients (id int);
