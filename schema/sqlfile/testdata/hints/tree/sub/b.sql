CREATE TABLE t2 (
    -- schemadiff:renamed-from old_id
    id int
);
