-- qty feeds a generated column and ts is the partition key: PostgreSQL
-- cannot change their types in place, so the table (and the partition
-- tree) is rebuilt with its rows.
CREATE TABLE line (id int PRIMARY KEY, qty bigint, total bigint GENERATED ALWAYS AS (qty * 2) STORED);
CREATE TABLE readings (ts timestamptz NOT NULL, v int) PARTITION BY RANGE (ts);
CREATE TABLE readings_2024 PARTITION OF readings FOR VALUES FROM ('2024-01-01 00:00+00') TO ('2025-01-01 00:00+00');
CREATE TABLE readings_rest PARTITION OF readings DEFAULT;
