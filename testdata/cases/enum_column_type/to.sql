CREATE TYPE color AS ENUM ('red', 'green');
CREATE TABLE t (c color DEFAULT 'red', d text);
