CREATE TABLE r (id int, during tsrange, CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&));
