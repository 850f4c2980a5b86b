-- Narrowing and converting column types on a table holding rows: values
-- that fit convert unchanged, PostgreSQL's assignment casts are used where
-- they exist (an explicit cast would cut a long text silently), and the
-- indexes and constraints PostgreSQL rebuilds itself are kept.
CREATE TABLE authors (
    id integer PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE pages (
    id serial PRIMARY KEY,
    author_id integer REFERENCES authors (id),
    slug text UNIQUE,
    title varchar(200) CHECK (title <> ''),
    price numeric(10,2),
    score numeric,
    ratio double precision,
    published timestamp,
    edited timestamp(6),
    code char(5),
    hits text
);
CREATE INDEX pages_title_idx ON pages (title);
CREATE INDEX pages_lower_slug_idx ON pages (lower(slug));
CREATE VIEW page_slugs AS SELECT id, slug FROM pages;
