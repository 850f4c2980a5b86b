CREATE TABLE readings (id integer NOT NULL, at date NOT NULL, value numeric, CONSTRAINT readings_value_check CHECK (value >= 0)) PARTITION BY RANGE (at);
CREATE TABLE readings_2024 PARTITION OF readings (CONSTRAINT readings_2024_id_positive CHECK (id > 0)) FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE readings_2025 (id integer NOT NULL, at date NOT NULL, value numeric, CONSTRAINT readings_value_check CHECK (value >= 0), CONSTRAINT readings_2025_small CHECK (value < 100));
CREATE TABLE readings_2026 PARTITION OF readings (CONSTRAINT readings_2026_whole CHECK (value = round(value))) FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE readings_2023 PARTITION OF readings FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE readings_2022 PARTITION OF readings FOR VALUES FROM ('2022-01-01') TO ('2023-01-01');
