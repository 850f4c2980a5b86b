-- schemadiff:renamed-from
CREATE TABLE clients (id int);
