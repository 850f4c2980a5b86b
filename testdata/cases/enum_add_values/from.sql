CREATE TYPE status AS ENUM ('active', 'done');
CREATE TABLE t (s status);
