-- Written with CRLF line endings.
-- schemadiff:renamed-from customers
CREATE TABLE clients (
    -- schemadiff:renamed-from email
    email_address text
);
CREATE TYPE status AS ENUM (
    -- schemadiff:renamed-from done
    'finished'
);
