CREATE TABLE line (id int PRIMARY KEY, qty int, total int GENERATED ALWAYS AS (qty * 2) STORED);
INSERT INTO line (id, qty) VALUES (1, 3);
CREATE TABLE readings (ts timestamp NOT NULL, v int) PARTITION BY RANGE (ts);
CREATE TABLE readings_2024 PARTITION OF readings FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE readings_rest PARTITION OF readings DEFAULT;
INSERT INTO readings VALUES ('2024-05-01 10:00', 1), ('2030-01-01', 2);
