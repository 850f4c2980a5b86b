CREATE TABLE parent (id int, v text) PARTITION BY RANGE (id);
CREATE TABLE part1 PARTITION OF parent (
    -- schemadiff:renamed-from w
    v NOT NULL
) FOR VALUES FROM (1) TO (10);
