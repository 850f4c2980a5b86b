CREATE TABLE clients (
    id int, -- schemadiff:renamed-from ident
    email text
);
