CREATE DOMAIN email_address AS text
    CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%')
    CONSTRAINT email_not_blank CHECK (length(VALUE) > 3);
COMMENT ON DOMAIN email_address IS 'an e-mail address';
COMMENT ON CONSTRAINT email_has_at ON DOMAIN email_address IS 'must contain @';
CREATE DOMAIN positive_int AS integer NOT NULL DEFAULT 1 CHECK (VALUE > 0);
CREATE DOMAIN score AS positive_int CHECK (VALUE <= 100);
CREATE TABLE accounts (id integer PRIMARY KEY, email email_address, points positive_int, best score);
