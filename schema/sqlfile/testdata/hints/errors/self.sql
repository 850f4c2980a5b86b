-- schemadiff:renamed-from Clients
CREATE TABLE clients (id int);
