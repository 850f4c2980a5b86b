-- User-defined casts are created after their types and functions: one
-- with a function (and a comment) and one WITH INOUT (WITHOUT FUNCTION
-- needs a superuser, which the schema files are not loaded as).
CREATE TYPE cents AS (amount bigint);
CREATE TYPE label AS ENUM ('low', 'high');
