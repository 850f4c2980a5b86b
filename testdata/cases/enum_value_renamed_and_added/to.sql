CREATE TYPE status AS ENUM (
    'active',
    -- schemadiff:renamed-from done
    'finished',
    'archived'
);
CREATE TABLE t (id int, s status DEFAULT 'archived' CHECK (s <> 'archived' OR id > 0));
