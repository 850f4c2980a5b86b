-- status gains 'shipped' in to.sql; priority loses 'urgent', which Down
-- adds back. Each new value is used in the same plan, in a column default, a
-- check and a partial index predicate: its ADD VALUE must commit first.
CREATE TYPE status AS ENUM ('new', 'paid');
CREATE TYPE priority AS ENUM ('low', 'normal', 'high', 'urgent');
CREATE TABLE orders (
    id int PRIMARY KEY,
    s status NOT NULL DEFAULT 'new',
    p priority NOT NULL DEFAULT 'urgent' CONSTRAINT orders_p_check CHECK (p <> 'urgent' OR id > 0)
);
CREATE INDEX orders_urgent ON orders (id) WHERE p = 'urgent';
