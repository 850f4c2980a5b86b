CREATE TYPE status AS ENUM ('new', 'paid', 'shipped');
CREATE TYPE priority AS ENUM ('low', 'normal', 'high');
CREATE TABLE orders (
    id int PRIMARY KEY,
    s status NOT NULL DEFAULT 'shipped' CONSTRAINT orders_s_check CHECK (s <> 'shipped' OR id > 0),
    p priority NOT NULL DEFAULT 'normal'
);
CREATE INDEX orders_shipped ON orders (id) WHERE s = 'shipped';
