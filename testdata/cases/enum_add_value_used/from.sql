CREATE TYPE status AS ENUM ('new', 'done');
CREATE TABLE tickets (id int PRIMARY KEY, s status NOT NULL DEFAULT 'new');
