-- A column changes to a type PostgreSQL has no cast to (bigint seconds to a
-- timestamp, bigint to boolean): the schema files say how to convert the
-- values, each for the plan that reaches it (Down plans to this file).
CREATE TABLE events (
    id integer PRIMARY KEY,
    name text NOT NULL,
    -- schemadiff:using extract(epoch FROM created_at)::bigint
    created_at bigint NOT NULL,
    -- schemadiff:using flags::integer
    flags bigint
);
