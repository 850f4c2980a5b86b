-- The edit the quick start makes: a new table, a new enum value, a new column.
CREATE TABLE reviews (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES orders (id),
    rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body text
);
ALTER TYPE order_status ADD VALUE 'refunded' AFTER 'shipped';
ALTER TABLE customers ADD COLUMN phone text;
