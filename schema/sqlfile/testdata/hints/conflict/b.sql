
-- schemadiff:renamed-from customers
CREATE TABLE buyers (id int);
