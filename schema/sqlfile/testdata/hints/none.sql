-- No rename hints here; schemadiff is only mentioned in prose.
CREATE TABLE plain (id int);
CREATE INDEX plain_id_idx ON plain (id);
