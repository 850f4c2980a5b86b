-- A plain table becomes partitioned under the same name: it is rebuilt
-- with its rows, and the sequence its default uses stays. Down turns it
-- back into a plain table, rows included.
CREATE TABLE events (
    id bigserial,
    at timestamptz NOT NULL,
    payload text
);
CREATE INDEX events_at_idx ON events (at);
COMMENT ON TABLE events IS 'what happened';
CREATE VIEW recent_events AS SELECT id, at FROM events WHERE at > '2024-06-01';
GRANT SELECT ON events TO PUBLIC;
