CREATE TABLE measurements (id bigint NOT NULL, logdate date NOT NULL, peak int, PRIMARY KEY (id, logdate)) PARTITION BY RANGE (logdate);
CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE measurements_2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY HASH (id);
CREATE TABLE measurements_2025_h0 PARTITION OF measurements_2025 FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE measurements_2025_h1 PARTITION OF measurements_2025 FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE TABLE measurements_default PARTITION OF measurements DEFAULT;
CREATE INDEX measurements_peak_idx ON measurements (peak);
CREATE TABLE other (id int);
