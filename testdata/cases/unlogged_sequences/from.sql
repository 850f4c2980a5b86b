CREATE SEQUENCE ticket_numbers;
CREATE UNLOGGED SEQUENCE scratch_ids;
CREATE UNLOGGED TABLE cache (id serial PRIMARY KEY, v text);
