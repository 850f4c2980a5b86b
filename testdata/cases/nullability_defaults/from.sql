CREATE TABLE t (a int, b int NOT NULL, c text DEFAULT 'x', d timestamptz);
