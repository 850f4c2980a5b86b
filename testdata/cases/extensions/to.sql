CREATE SCHEMA ext;
CREATE EXTENSION pg_trgm VERSION '1.6';
CREATE EXTENSION citext WITH SCHEMA ext;
CREATE TABLE words (w text, tag ext.citext NOT NULL DEFAULT 'x');
CREATE INDEX words_w_trgm ON words USING gin (w gin_trgm_ops);
COMMENT ON EXTENSION citext IS 'case-insensitive text';
