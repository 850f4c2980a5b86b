-- Sequences switch between logged and unlogged, a new one is unlogged, and
-- an unlogged table becomes logged with its serial sequence.
CREATE UNLOGGED SEQUENCE ticket_numbers;
CREATE SEQUENCE scratch_ids;
CREATE UNLOGGED SEQUENCE fresh_ids;
CREATE TABLE cache (id serial PRIMARY KEY, v text);
