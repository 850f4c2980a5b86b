CREATE TABLE clients (
    id int,
    -- schemadiff:renamed-from email mail
    email_address text
);
