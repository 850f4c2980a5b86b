CREATE TYPE color AS ENUM ('red', 'green');
CREATE TABLE t (c text DEFAULT 'red', d color);
