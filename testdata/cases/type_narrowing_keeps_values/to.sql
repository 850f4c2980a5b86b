CREATE TABLE authors (
    id bigint PRIMARY KEY,
    name varchar(100) NOT NULL
);
CREATE TABLE pages (
    id serial PRIMARY KEY,
    author_id bigint REFERENCES authors (id),
    slug varchar(63) UNIQUE,
    title varchar(100) CHECK (title <> ''),
    price numeric(10,1),
    score integer,
    ratio integer,
    published date,
    edited timestamp(0),
    code char(3),
    hits integer
);
CREATE INDEX pages_title_idx ON pages (title);
CREATE INDEX pages_lower_slug_idx ON pages (lower(slug));
CREATE VIEW page_slugs AS SELECT id, slug FROM pages;
