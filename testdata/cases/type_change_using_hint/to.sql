CREATE TABLE events (
    id integer PRIMARY KEY,
    name text NOT NULL,
    -- schemadiff:using to_timestamp(created_at) AT TIME ZONE 'UTC'
    created_at timestamp NOT NULL,
    -- schemadiff:using flags <> 0
    flags boolean
);
