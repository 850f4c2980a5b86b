CREATE TABLE events (id integer NOT NULL, at date NOT NULL, kind text) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX events_2024_by_kind ON events_2024 (kind);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX events_2025_by_kind ON events_2025 (kind);
CREATE INDEX events_kind_idx ON events (kind);
