CREATE TABLE events (
    id bigint GENERATED ALWAYS AS IDENTITY,
    happened date NOT NULL,
    kind text NOT NULL,
    PRIMARY KEY (id, happened)
) PARTITION BY RANGE (happened);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')
    PARTITION BY RANGE (happened);
CREATE TABLE events_2024_h1 PARTITION OF events_2024 FOR VALUES FROM ('2024-01-01') TO ('2024-07-01');
CREATE TABLE events_2024_h2 PARTITION OF events_2024 DEFAULT;
CREATE TABLE events_2023 PARTITION OF events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE events_old PARTITION OF events DEFAULT;
CREATE INDEX events_kind_idx ON events (kind);
CREATE INDEX events_2023_kind_happened_idx ON events_2023 (kind, happened);
COMMENT ON TABLE events_2023 IS 'last year';

CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.kind := lower(NEW.kind); RETURN NEW; END $$;
CREATE TRIGGER events_2023_stamp BEFORE INSERT ON events_2023 FOR EACH ROW EXECUTE FUNCTION stamp();

CREATE TABLE event_notes (
    event_id bigint NOT NULL,
    happened date NOT NULL,
    FOREIGN KEY (event_id, happened) REFERENCES events (id, happened)
);
CREATE VIEW recent_events AS SELECT id, kind FROM events WHERE happened > '2024-06-01';

INSERT INTO events (happened, kind) VALUES ('2024-03-01', 'click'), ('2024-07-01', 'view'),
    ('2023-05-05', 'CLICK'), ('2019-01-01', 'click');
INSERT INTO event_notes SELECT id, happened FROM events WHERE happened >= '2023-01-01';
