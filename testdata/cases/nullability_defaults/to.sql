CREATE TABLE t (a int NOT NULL DEFAULT 0, b int, c text, d timestamptz DEFAULT now());
