CREATE TABLE events (
    id bigserial,
    at timestamptz NOT NULL,
    payload text
) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2025-01-01 00:00:00+00');
CREATE TABLE events_default PARTITION OF events DEFAULT;
CREATE INDEX events_at_idx ON events (at);
COMMENT ON TABLE events IS 'what happened';
CREATE VIEW recent_events AS SELECT id, at FROM events WHERE at > '2024-06-01';
GRANT SELECT ON events TO PUBLIC;
