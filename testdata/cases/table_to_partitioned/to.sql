-- A plain table becomes partitioned: it is rebuilt, and its rows move into
-- the partitions.
CREATE TABLE events (
    id bigint GENERATED ALWAYS AS IDENTITY,
    happened date NOT NULL,
    kind text,
    PRIMARY KEY (id, happened)
) PARTITION BY RANGE (happened);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_rest PARTITION OF events DEFAULT;
CREATE INDEX events_kind_idx ON events (kind);
