CREATE TABLE readings (id integer NOT NULL, at date NOT NULL, value numeric, CONSTRAINT readings_value_check CHECK (value >= 0)) PARTITION BY RANGE (at);
CREATE TABLE readings_2024 PARTITION OF readings FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE readings_2025 PARTITION OF readings (CONSTRAINT readings_2025_small CHECK (value < 1000)) FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE readings_2023 (id integer NOT NULL, at date NOT NULL, value numeric);
CREATE TABLE readings_2022 (id integer NOT NULL, at date NOT NULL, value numeric, CONSTRAINT readings_value_check CHECK (value >= 0));
