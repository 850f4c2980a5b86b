CREATE TABLE users (
    id bigint PRIMARY KEY,
    email varchar(255) NOT NULL UNIQUE,
    name text,
    balance numeric(12,2) DEFAULT 0 NOT NULL,
    tags text[] DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);
