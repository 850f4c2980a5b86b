CREATE TABLE t (a bigint[], b text[], c numeric(8,3)[], d varchar(3)[] DEFAULT ARRAY['x']::varchar(3)[]);
