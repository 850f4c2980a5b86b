CREATE TABLE events (
    id bigint GENERATED ALWAYS AS IDENTITY,
    happened date NOT NULL,
    kind text,
    PRIMARY KEY (id, happened)
);
CREATE INDEX events_kind_idx ON events (kind);
