CREATE TABLE app.users (
    id    bigint PRIMARY KEY,
    email text NOT NULL
);
