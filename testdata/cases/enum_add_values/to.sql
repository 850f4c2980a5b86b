CREATE TYPE status AS ENUM ('new', 'active', 'paused', 'done', 'archived');
CREATE TABLE t (s status);
